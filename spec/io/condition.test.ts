import { afterEach, expect, test } from "bun:test";
import { Condition } from "../../lib/io/condition.ts";
import { Mutex } from "../../lib/io/mutex.ts";
import { ResetEvent } from "../../lib/io/reset_event.ts";
import { requestCancel } from "../../lib/substrate/cancel.ts";
import { Threaded } from "../../lib/threaded/threaded.ts";
import { startWorkers, terminateAll } from "../helpers/workers.ts";

let t: Threaded;
afterEach(() => {
  terminateAll();
  t?.deinit();
});

test("two threads ping-pong 2,000 turns over one condition", async () => {
  t = Threaded.init();
  const io = t.io();
  const base = t.heap.stats();
  const m = Mutex.init(io);
  const c = Condition.init(io);
  const turn = t.heap.allocZeroed(4);
  const [a, b] = startWorkers(t, 2);
  const args = { mutex: m.ref, cond: c.ref, turn, rounds: 1000 };
  const [pings, pongs] = await Promise.all([
    a.run("conditionTurns", { ...args, parity: 0 }),
    b.run("conditionTurns", { ...args, parity: 1 }),
  ]);
  expect([pings, pongs]).toEqual([1000, 1000]);
  expect(t.heap.i32[turn >> 2]).toBe(2000);
  expect(c.waiters()).toBe(0);
  t.heap.free(turn);
  m.deinit();
  c.deinit();
  expect(t.heap.stats()).toEqual(base);
});

test("a canceled wait ends in Canceled with the mutex held and gives its waiter count back", async () => {
  t = Threaded.init();
  const io = t.io();
  using m = Mutex.init(io);
  using c = Condition.init(io);
  using ready = ResetEvent.init(io);
  const word = t.heap.allocZeroed(4);
  const [w] = startWorkers(t, 1);
  const result = w.run<{ outcome: string; relocked: boolean }>("conditionWaitCanceled", {
    mutex: m.ref,
    cond: c.ref,
    ready: ready.ref,
    word,
  });
  await ready.waitAsync();
  // The waiter holds the mutex until it sleeps; once we get it, it waits.
  await m.lockAsync();
  expect(c.waiters()).toBe(1);
  m.unlock(io);
  requestCancel(t.heap, word);
  expect(await result).toEqual({ outcome: "Canceled", relocked: true });
  expect(c.waiters()).toBe(0); // Zig's `Threaded.zig` leaks this count
  // A later signal finds nobody and reserves nothing.
  c.signal(io);
  expect(Atomics.load(t.heap.i32, c.stateOffset >> 2)).toBe(0);
  t.heap.free(word);
});

test("waitAsync on the main thread is woken by a signal from a Worker", async () => {
  t = Threaded.init();
  const io = t.io();
  using m = Mutex.init(io);
  using c = Condition.init(io);
  const turn = t.heap.allocZeroed(4);
  const [w] = startWorkers(t, 1);
  // The worker answers odd turns; main takes even ones with waitAsync.
  const pong = w.run("conditionTurns", { mutex: m.ref, cond: c.ref, turn, rounds: 50, parity: 1 });
  await m.lockAsync();
  for (let r = 0; r < 50; r++) {
    while (t.heap.i32[turn >> 2] % 2 === 1) await c.waitAsync(io, m);
    t.heap.i32[turn >> 2]++;
    c.broadcast(io);
  }
  m.unlock(io);
  expect(await pong).toBe(50);
  expect(t.heap.i32[turn >> 2]).toBe(100);
  t.heap.free(turn);
});

test("waitAsync with the mutex not held rejects, leaving the mutex unlocked and no waiter counted", async () => {
  t = Threaded.init({ asyncLimit: 1 });
  const io = t.io();
  const m = Mutex.init(io);
  const c = Condition.init(io);
  await expect(c.waitAsync(io, m)).rejects.toThrow("not locked");
  // The waiter stayed counted (deinit then refused forever), and for a
  // while the failed wait relocked the mutex it never held.
  expect(c.waiters()).toBe(0);
  expect(m.tryLock()).toBe(true);
  m.unlock(io);
  c.deinit();
  m.deinit();
});

test("a blocking wait with the mutex not held throws, leaving no waiter counted", () => {
  t = Threaded.init({ asyncLimit: 1 });
  const io = t.io();
  const m = Mutex.init(io);
  const c = Condition.init(io);
  for (const wait of [() => c.wait(io, m), () => c.waitUncancelable(io, m)])
    expect(wait).toThrow("not locked");
  // Both stayed counted: signal and broadcast never cleared them, and
  // deinit was refused for good ("while 2 waiters are waiting").
  expect(c.waiters()).toBe(0);
  c.deinit();
  m.deinit();
});
