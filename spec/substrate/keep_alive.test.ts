// Async waits never use a timed Atomics.waitAsync (it busy-polls in Bun
// 1.4), and each holds its thread's keep-alive only while it waits.
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { Condition, Group, Mutex, Queue, ResetEvent, Threaded } from "../../lib/index.ts";
import { pendingHolders } from "../../lib/substrate/keep_alive.ts";
import { blockOnEvent, getFortyTwo, putFortyTwo } from "../fixtures/tasks.ts";

const realWaitAsync = Atomics.waitAsync;
const timeouts: unknown[] = [];
beforeAll(() => {
  (Atomics as { waitAsync: unknown }).waitAsync = (...a: Parameters<typeof Atomics.waitAsync>) => {
    if (a.length > 3 && a[3] !== undefined && a[3] !== Infinity) timeouts.push(a[3]);
    return realWaitAsync(...a);
  };
});
afterAll(() => {
  (Atomics as { waitAsync: unknown }).waitAsync = realWaitAsync;
});

let t: Threaded | undefined;
afterEach(() => {
  t?.deinit();
  t = undefined;
});

test("await future, group.waitAsync, selectAsync, lockAsync, condition and queue twins wait untimed and release the loop", async () => {
  t = Threaded.init({ asyncLimit: 4 });
  const io = t.io();
  const go = ResetEvent.init(io);
  // Each twin waits for a task blocked on `go` (so it really waits).
  const f = io.async(blockOnEvent, io, go, null);
  const g = Group.init(io);
  g.async(io, blockOnEvent, io, go, null);
  const s = io.async(blockOnEvent, io, go, null);
  const m = Mutex.init(io);
  m.lock(io);
  const c = Condition.init(io);
  const q = Queue.init<number>(io, 1);
  let ready = false;
  const waits = [
    f.awaitAsync(),
    g.waitAsync(io),
    io.selectAsync([s]),
    m.lockAsync().then(() => m.unlock(io)),
    (async () => {
      await m.lockAsync();
      while (!ready) await c.waitAsync(io, m);
      m.unlock(io);
    })(),
    q.getOneAsync(io),
  ];
  // Every twin above has reached its Atomics.waitAsync synchronously.
  expect(pendingHolders()).toBeGreaterThan(3);
  go.set();
  m.unlock(io);
  await m.lockAsync();
  ready = true;
  c.broadcast(io);
  m.unlock(io);
  q.putOne(io, 42);
  expect(await Promise.all(waits)).toEqual(["set", undefined, 0, undefined, undefined, 42]);
  await s;
  expect(timeouts).toEqual([]);
  expect(pendingHolders()).toBe(0);
  g.deinit();
  m.deinit();
  c.deinit();
  q.deinit();
  go.deinit();
});

test("ResetEvent.waitAsyncTimeout: false when the time runs out, true once set, RangeError for NaN", async () => {
  t = Threaded.init();
  const ev = ResetEvent.init(t.io());
  expect(await ev.waitAsyncTimeout(5)).toBe(false);
  setTimeout(() => ev.set(), 1);
  expect(await ev.waitAsyncTimeout(60_000)).toBe(true);
  expect(ev.waitAsyncTimeout(NaN)).rejects.toThrow(RangeError);
  expect(timeouts).toEqual([]);
  ev.deinit();
});

test("a task nobody awaits stops holding the loop once it is done", async () => {
  t = Threaded.init({ asyncLimit: 2 });
  const io = t.io();
  const q = Queue.init<number>(io, 1);
  io.async(putFortyTwo, io, q); // never awaited
  expect(pendingHolders()).toBe(1);
  expect(await q.getOneAsync(io)).toBe(42);
  const f = io.async(getFortyTwo, io, q);
  q.putOne(io, 42);
  expect(await f).toBe(42);
  // The first task's holder goes at the tick that sees it done.
  while (pendingHolders() > 0) await Bun.sleep(20);
  expect(pendingHolders()).toBe(0);
  q.deinit();
});
