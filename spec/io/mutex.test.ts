import { afterEach, expect, test } from "bun:test";
import { Mutex } from "../../lib/io/mutex.ts";
import { BugError } from "../../lib/io/errors.ts";
import { Threaded } from "../../lib/threaded/threaded.ts";
import { startWorkers, terminateAll } from "../helpers/workers.ts";

let t: Threaded;
afterEach(() => {
  terminateAll();
  t?.deinit();
});

test("4 threads × 10,000 increments under the mutex end exactly at 40,000", async () => {
  t = Threaded.init();
  const io = t.io();
  const base = t.heap.stats();
  const m = Mutex.init(io);
  const counter = t.heap.allocZeroed(4);
  const workers = startWorkers(t, 4);
  await Promise.all(
    workers.map((w) => w.run("mutexCounter", { mutex: m.ref, counter, iterations: 10_000 })),
  );
  expect(t.heap.i32[counter >> 2]).toBe(40_000);
  expect(m.tryLock()).toBe(true); // left unlocked
  m.unlock(io);
  t.heap.free(counter);
  m.deinit();
  expect(t.heap.stats()).toEqual(base);
});

test("tryLock fails while held; unlocking an unlocked mutex is a bug", () => {
  t = Threaded.init();
  const io = t.io();
  using m = Mutex.init(io);
  m.lock(io);
  expect(m.tryLock()).toBe(false);
  m.unlock(io);
  expect(() => m.unlock(io)).toThrow(BugError);
});

test("lockAsync waits for a Worker to unlock without blocking the event loop", async () => {
  t = Threaded.init();
  const io = t.io();
  using m = Mutex.init(io);
  const counter = t.heap.allocZeroed(4);
  m.lock(io);
  const [w] = startWorkers(t, 1);
  const done = w.run("mutexCounter", { mutex: m.ref, counter, iterations: 1 });
  let timerFired = false;
  setTimeout(() => (timerFired = true), 1);
  // Let the timer run while the worker is blocked on the mutex we hold.
  await new Promise((r) => setTimeout(r, 5));
  expect(timerFired).toBe(true);
  expect(t.heap.i32[counter >> 2]).toBe(0); // the worker is still waiting
  m.unlock(io);
  await done;
  expect(t.heap.i32[counter >> 2]).toBe(1);
  await m.lockAsync();
  expect(m.tryLock()).toBe(false);
  m.unlock(io);
  t.heap.free(counter);
});

test("a lockAsync woken after the lock was taken again keeps it contended: no waiter is left asleep", async () => {
  t = Threaded.init();
  const io = t.io();
  using m = Mutex.init(io);
  m.lock(io);
  const order: string[] = [];
  const a = m.lockAsync().then(() => {
    order.push("a");
    m.unlock(io);
  });
  const b = m.lockAsync().then(() => {
    order.push("b");
    m.unlock(io);
  });
  m.unlock(io); // wakes one waiter...
  expect(m.tryLock()).toBe(true); // ...but the lock is taken before it runs
  await Promise.resolve(); // the woken waiter finds it taken and sleeps again
  m.unlock(io);
  await Promise.all([a, b]);
  expect(order.sort()).toEqual(["a", "b"]);
  expect(m.tryLock()).toBe(true);
  m.unlock(io);
});
