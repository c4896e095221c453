// A future made settled with a value (the after-idle handoff's common
// case) is a native promise underneath, so that `await` skips the thenable
// protocol (lib/io/future.ts FutureShell). It must answer every call as any
// other future does, and only values that cannot run code when a promise
// resolves with them (no `then`), and no failure, take that form.
import { afterAll, expect, test } from "bun:test";
import { Future, Threaded } from "../../lib/index.ts";
import { settledFuture } from "../../lib/io/future.ts";
import { add } from "../fixtures/tasks.ts";
import { types } from "node:util";

const t = Threaded.init({ asyncLimit: 1 });
afterAll(() => t.deinit());
const io = t.io();
// A native promise, and one `await` takes as it is (constructor Promise).
const isNative = (f: unknown) => types.isPromise(f) && (f as object).constructor === Promise;

test("a value: awaited natively, and answers every call as a settled future", async () => {
  const f = settledFuture<{ n: number }>(io, { ok: true, value: { n: 7 } });
  expect(isNative(f)).toBe(true);
  expect(Promise.resolve(f)).toBe(f as never);
  expect(f instanceof Future).toBe(true);
  expect(f instanceof Promise).toBe(false);
  expect(f.settled).toBe(true);
  expect(f.pendingClosure).toBe(0);
  expect((await f).n).toBe(7);
  expect(f.await(io).n).toBe(7);
  expect(f.cancel(io).n).toBe(7);
  expect((await f.awaitAsync()).n).toBe(7);
  expect(await f.then((v) => v.n + 1)).toBe(8);
  expect(await Promise.all([f, f])).toEqual([{ n: 7 }, { n: 7 }]);
  f.requestCancel(io);
  expect(f.cancelOn(AbortSignal.abort())).toBe(f);
  f[Symbol.dispose]();
  expect(io.select([f])).toBe(0);
  expect(await io.selectAsync([f])).toBe(0);
});

test("primitives, null and undefined are awaited natively too", async () => {
  for (const v of [0, -1.5, "s", null, undefined, 2n ** 64n, true]) {
    const f = settledFuture(io, { ok: true, value: v });
    expect(isNative(f)).toBe(true);
    expect(await f).toBe(v);
  }
});

test("a value with a `then` stays a plain future: resolving with it would call it", async () => {
  let calls = 0;
  const value = { then: () => calls++ };
  const f = settledFuture(io, { ok: true, value });
  expect(isNative(f)).toBe(false);
  expect(f.await(io)).toBe(value);
  expect(calls).toBe(0);
});

test("a failure stays a plain future: it is never reported as an unhandled rejection", async () => {
  const err = new Error("task failed");
  const f = settledFuture(io, { ok: false, value: err });
  expect(isNative(f)).toBe(false);
  expect(() => f.await(io)).toThrow(err);
  // A rejected promise nobody handled by the next turn fails the test
  // (bun test reports it): awaited only blocking, this one must not be one.
  await new Promise((r) => setImmediate(r));
  expect(f.settled).toBe(true);
});

test("console.log shows a future by its outcome, whichever form it has", () => {
  expect(Bun.inspect(settledFuture(io, { ok: true, value: 5 }))).toBe("Future { 5 }");
  expect(Bun.inspect(settledFuture(io, { ok: true, value: { then: 1 } }))).toContain("Future {");
  const err = new RangeError("r");
  expect(Bun.inspect(settledFuture(io, { ok: false, value: err }))).toStartWith(
    "Future { <rejected> RangeError",
  );
  const f = io.concurrent(add, 1, 2);
  expect(Bun.inspect(f)).toBe("Future { <pending> }");
  expect(f.await(io)).toBe(3);
  expect(Bun.inspect(f)).toBe("Future { 3 }");
});
