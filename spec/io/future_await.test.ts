// Awaiting a future more than once, blocking and not, in any order, gives
// the same outcome (the README promises it).
import { afterAll, expect, test } from "bun:test";
import { Threaded } from "../../lib/index.ts";
import { add, fail } from "../fixtures/tasks.ts";

const t = Threaded.init({ asyncLimit: 2 });
afterAll(() => t.deinit());

test("a value: await(io), then await, then awaitAsync, then cancel", async () => {
  const io = t.io();
  const f = io.concurrent(add, 20, 22);
  expect(f.await(io)).toBe(42);
  expect(await f).toBe(42);
  expect(await f.awaitAsync()).toBe(42);
  expect(f.cancel(io)).toBe(42);
  expect(f.await(io)).toBe(42);
});

test("an error: the same error every time, blocking first or not", async () => {
  const io = t.io();
  const f = io.concurrent(fail, "FileNotFound");
  const first = await f.then(
    () => null,
    (e: unknown) => e,
  );
  expect((first as { code?: string }).code).toBe("FileNotFound");
  expect(() => f.await(io)).toThrow(first as Error);
  await expect(f.awaitAsync()).rejects.toBe(first);
  const g = io.concurrent(fail, "Timeout");
  let blocking: unknown;
  try {
    g.await(io);
  } catch (e) {
    blocking = e;
  }
  await expect(Promise.resolve(g)).rejects.toBe(blocking);
});

test("then ignores a handler that is no function, as a promise's then does", async () => {
  const io = t.io();
  const ok = io.concurrent(add, 1, 2);
  const bad = io.concurrent(fail, "FileNotFound");
  const notFn = 5 as unknown as (v: unknown) => unknown;
  expect(await ok.then(notFn, notFn)).toBe(3);
  expect(await ok.then(null, notFn)).toBe(3);
  const e = await bad.then(notFn, notFn).then(
    () => null,
    (r: unknown) => r,
  );
  expect((e as { code?: string }).code).toBe("FileNotFound");
  // A settled future too (awaited above), and with no handlers at all.
  expect(await ok.then({} as never)).toBe(3);
  expect(await ok.then()).toBe(3);
});
