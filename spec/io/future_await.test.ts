// Awaiting a future more than once, blocking and not, in any order, gives
// the same outcome (the README promises it).
import { afterAll, expect, test } from "bun:test";
import { Canceled, Threaded } from "../../lib/index.ts";
import { ResetEvent } from "../../lib/io/reset_event.ts";
import { add, blockOnEvent, fail } from "../fixtures/tasks.ts";
import { until } from "../helpers/until.ts";

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

test("a done task's future being awaited without blocking answers as settled at once: no BugError", async () => {
  const io = t.io();
  using ev = ResetEvent.init(io);
  const f = io.concurrent(blockOnEvent, io, ev, null);
  expect(f.pendingClosure).not.toBe(0); // blocked: not settled by the after-idle handoff
  ev.set();
  await until(() => f.settled, "the task to finish");
  // The await finds the task done and frees its closure at once: the
  // future must answer from its outcome from then on, not from the freed
  // block (each of these was a BugError "used after it was awaited").
  const p = f.then((v) => v);
  expect(f.pendingClosure).toBe(0);
  expect(f.settled).toBe(true);
  f.requestCancel(io);
  expect(io.select([f])).toBe(0);
  expect(await io.selectAsync([f])).toBe(0);
  const aborted = new AbortController();
  aborted.abort();
  f.cancelOn(aborted.signal);
  f[Symbol.dispose]();
  expect(await p).toBe("set");
  expect(f.await(io)).toBe("set");
});

/** What `run()` throws. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  throw new Error("did not throw");
}

test("a Promise.race lost, then cancel(io): cancels the task, and the pending await gets the same outcome", async () => {
  const io = t.io();
  using never = ResetEvent.init(io);
  using ready = ResetEvent.init(io);
  const blocks = t.heap.stats().liveBlocks;
  const f = io.concurrent(blockOnEvent, io, never, ready);
  await ready.waitAsync();
  // The race's `then` on f starts a non-blocking await, still pending.
  expect(await Promise.race([f, Promise.resolve("timeout")])).toBe("timeout");
  const pending = f.awaitAsync();
  // Was a plain Error ("being awaited asynchronously"), and the task ran on.
  const canceled = thrown(() => f.cancel(io));
  expect(canceled).toBeInstanceOf(Canceled);
  expect(f.settled).toBe(true);
  expect(thrown(() => f.await(io))).toBe(canceled);
  await expect(pending).rejects.toBe(canceled);
  await expect(f.awaitAsync()).rejects.toBe(canceled);
  // The pending await freed the closure once, after the blocking cancel.
  expect(t.heap.stats().liveBlocks).toBe(blocks);
});

test("await(io) while a non-blocking await is pending: both get the value", async () => {
  const io = t.io();
  using ev = ResetEvent.init(io);
  using ready = ResetEvent.init(io);
  const blocks = t.heap.stats().liveBlocks;
  const f = io.concurrent(blockOnEvent, io, ev, ready);
  await ready.waitAsync();
  const pending = f.then((v) => v);
  ev.set();
  expect(f.await(io)).toBe("set");
  expect(await pending).toBe("set");
  expect(f.cancel(io)).toBe("set");
  expect(t.heap.stats().liveBlocks).toBe(blocks);
});
