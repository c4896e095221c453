import { afterEach, expect, test } from "bun:test";
import { shim } from "../../lib/ffi/shim.ts";
import { cancelSignal, E } from "../../lib/os/index.ts";
import { futexWaitAsync, futexWake } from "../../lib/substrate/futex.ts";
import { ResetEvent, setAtTaskEnd, WAITING } from "../../lib/io/reset_event.ts";
import { ResetEventLayout } from "../../lib/substrate/layout.ts";
import { Threaded } from "../../lib/threaded/threaded.ts";
import { startWorkers, terminateAll } from "../helpers/workers.ts";
import { syscallNumber, untilBlockedIn } from "../helpers/proc.ts";

let t: Threaded;
afterEach(() => {
  terminateAll();
  t?.deinit();
});

test("futex wake counts: wake(2) of 3 sleepers wakes 2, wake(10) the last one", async () => {
  t = Threaded.init();
  using ready = ResetEvent.init(t.io());
  const word = t.heap.allocZeroed(4);
  const workers = startWorkers(t, 3);
  const tids = await Promise.all(workers.map((w) => w.run<number>("threadOsId")));
  const results = workers.map((w) => w.run<number>("rawFutexWait", { word, ready: ready.ref }));
  for (const tid of tids) await untilBlockedIn(tid, syscallNumber("futex"), t.heap.addr(word));
  const s = shim();
  expect(s.tio_futex_wake(t.heap.addr(word), 2)).toBe(2);
  expect(s.tio_futex_wake(t.heap.addr(word), 10)).toBe(1);
  expect(s.tio_futex_wake(t.heap.addr(word), 10)).toBe(0);
  expect(await Promise.all(results)).toEqual([0, 0, 0]);
  t.heap.free(word);
});

test("a futex wait in a Worker interrupted by pthread_kill(cancel signal) returns EINTR", async () => {
  t = Threaded.init();
  using ready = ResetEvent.init(t.io());
  const word = t.heap.allocZeroed(4);
  const [w] = startWorkers(t, 1);
  const tid = await w.run<number>("threadOsId");
  const handle = await w.run<number>("threadSelf");
  const result = w.run<number>("rawFutexWait", { word, ready: ready.ref });
  await untilBlockedIn(tid, syscallNumber("futex"), t.heap.addr(word));
  expect(shim().tio_thread_kill(handle, cancelSignal)).toBe(0);
  expect(await result).toBe(-E.EINTR!);
  t.heap.free(word);
});

test("the facade's wake reaches both a kernel waiter and an Atomics.waitAsync waiter", async () => {
  t = Threaded.init();
  using ready = ResetEvent.init(t.io());
  const word = t.heap.allocZeroed(4);
  const [w] = startWorkers(t, 1);
  const tid = await w.run<number>("threadOsId");
  const kernelWaiter = w.run<number>("rawFutexWait", { word, ready: ready.ref });
  let woken = false;
  const asyncWaiter = futexWaitAsync(t.heap, word, 0).then(() => (woken = true));
  await untilBlockedIn(tid, syscallNumber("futex"), t.heap.addr(word));
  expect(woken).toBe(false);
  futexWake(t.heap, word, 2);
  await asyncWaiter;
  expect(woken).toBe(true);
  expect(await kernelWaiter).toBe(0);
  t.heap.free(word);
});

test("futexWake says whether it woke another thread's waiter (what decides its yield)", async () => {
  t = Threaded.init();
  using ready = ResetEvent.init(t.io());
  const word = t.heap.allocZeroed(4);
  expect(futexWake(t.heap, word, 1)).toBe(false);
  // This thread's own async waiter: woken, but its CPU is this one.
  let waiting = futexWaitAsync(t.heap, word, 0);
  expect(futexWake(t.heap, word, 1, "next")).toBe(false);
  await waiting;
  const [w] = startWorkers(t, 1);
  const tid = await w.run<number>("threadOsId");
  const kernelWaiter = w.run<number>("rawFutexWait", { word, ready: ready.ref });
  await untilBlockedIn(tid, syscallNumber("futex"), t.heap.addr(word));
  waiting = futexWaitAsync(t.heap, word, 0);
  Atomics.store(t.heap.i32, word >> 2, 1);
  expect(futexWake(t.heap, word, 2, "next")).toBe(true);
  expect(await kernelWaiter).toBe(0);
  await waiting;
  expect(futexWake(t.heap, word, 1)).toBe(false);
  t.heap.free(word);
});

test("a task's end sets its event and reports a waiter only if another thread's waited", async () => {
  t = Threaded.init();
  const ev = ResetEvent.init(t.io());
  const i32 = t.heap.i32;
  const state = (ev.ref + ResetEventLayout.STATE) >> 2;
  expect(setAtTaskEnd(t.heap, ev.ref)).toBe(false); // UNSET, nobody waiting
  expect(ev.isSet()).toBe(true);
  ev.reset();
  const waited = ev.waitAsync();
  expect(Atomics.load(i32, state)).toBe(WAITING);
  expect(setAtTaskEnd(t.heap, ev.ref)).toBe(false); // this thread's own
  await waited;
  expect(ev.isSet()).toBe(true);
  ev.deinit();
});
