// A future made settled with a value (the after-idle handoff's common
// case) is a native promise underneath, so that `await` skips the thenable
// protocol (lib/io/future.ts settledFuture). It must answer every call as any
// other future does, and only values that cannot run code when a promise
// resolves with them (no `then`), and no failure, take that form.
import { afterAll, expect, test } from "bun:test";
import { Future, Threaded } from "../../lib/index.ts";
import { settledFuture } from "../../lib/io/future.ts";
import { add } from "../fixtures/tasks.ts";
import { inspect, types } from "node:util";

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

// `await` and `Promise.resolve` share ECMAScript's PromiseResolve: a future
// settled with a value comes back from `Promise.resolve` as it is, not
// wrapped, so it must have what code calls on a promise.
test("Promise.resolve(future) has catch and finally, whichever form the future has", async () => {
  const forms = [
    settledFuture<number>(io, { ok: true, value: 4 }),
    settledFuture<number>(io, { ok: true, value: { then: 4 } }),
  ];
  for (const f of forms) {
    let finals = 0;
    const p = Promise.resolve(f);
    expect(await p.catch(() => -1)).toEqual(f.await(io));
    expect(await p.finally(() => finals++)).toEqual(f.await(io));
    expect(await f.finally(() => finals++)).toEqual(f.await(io));
    expect(finals).toBe(2);
  }
  const err = new Error("failed");
  const failed = settledFuture<number>(io, { ok: false, value: err });
  expect(await failed.catch((e) => e)).toBe(err);
  expect(await Promise.resolve(failed).catch((e) => e)).toBe(err);
  let ran = false;
  await expect(failed.finally(() => (ran = true))).rejects.toBe(err);
  expect(ran).toBe(true);
  // The pending form too: catch/finally wait for the task.
  const pending = io.concurrent(add, 2, 3);
  expect(await pending.finally(() => {})).toBe(5);
});

test("console.log of a future counts depth and stops at a value that holds the future", () => {
  // Each form, holding itself in its value (a task run inline may return
  // an object the caller then stores its future in).
  const held: { self?: unknown } = {};
  const f = settledFuture(io, { ok: true, value: held });
  held.self = f;
  expect(Bun.inspect(f)).toContain("[Circular Future]");
  expect(inspect(f)).toBe("Future { { self: [Circular Future] } }");
  // Two futures each holding the other.
  const a: { other?: unknown } = {};
  const b: { other?: unknown } = {};
  const fa = settledFuture(io, { ok: true, value: a });
  const fb = settledFuture(io, { ok: true, value: b });
  a.other = fb;
  b.other = fa;
  expect(inspect(fa, { depth: Infinity })).toBe(
    "Future { { other: Future { { other: [Circular Future] } } } }",
  );
  // Depth: as for a promise, the value is one level below the future.
  const deep = settledFuture(io, { ok: true, value: { a: { b: 1 } } });
  expect(inspect({ x: deep }, { depth: 0 })).toBe("{ x: [Future] }");
  expect(inspect({ x: deep }, { depth: 1 })).toBe("{ x: Future { [Object] } }");
  expect(inspect({ x: deep }, { depth: 3 })).toBe("{ x: Future { { a: { b: 1 } } } }");
});
