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
