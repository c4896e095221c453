// What a waker does after it woke someone (substrate/wake_yield.ts): one
// yield when it woke another thread on a machine where both can run,
// none for its own event loop's waiters, a condition's owed yield paid at
// the unlock or the end of the synchronous run, never carried further.
import { afterEach, expect, test } from "bun:test";
import { Threaded } from "../../lib/threaded/threaded.ts";
import { Condition, ONE_SIGNAL, ONE_WAITER } from "../../lib/io/condition.ts";
import { Mutex } from "../../lib/io/mutex.ts";
import { ResetEvent } from "../../lib/io/reset_event.ts";
import { futexWaitAsync, futexWaitTimeout, futexWake } from "../../lib/substrate/futex.ts";
import { cpusAllowed } from "../../lib/substrate/spin_policy.ts";
import { owesYield, wakeYields } from "../../lib/substrate/wake_yield.ts";
import { startWorker, terminateAll, type ScenarioWorker } from "../helpers/workers.ts";
import { syscallNumber, untilBlockedIn } from "../helpers/proc.ts";
import { runPinned, taskset } from "../helpers/child.ts";

let t: Threaded | undefined;
afterEach(() => {
  terminateAll();
  t?.deinit();
  t = undefined;
});

/** 1 where a waker yields at all (two CPUs or more), else 0. */
const one = () => (cpusAllowed() >= 2 ? 1 : 0);
const turnEnds = () => new Promise((resolve) => setImmediate(resolve));

/** A Worker blocked in the kernel futex on the word at `off` while it is 0:
 * a waiter of another thread, known to be asleep. */
async function kernelWaiter(t: Threaded, off: number): Promise<{ slept: Promise<number> }> {
  const w: ScenarioWorker = startWorker(t);
  const tid = await w.run<number>("threadOsId");
  const ready = ResetEvent.init(t.io());
  const result = w.run<number>("rawFutexWait", { word: off, ready: ready.ref });
  await untilBlockedIn(tid, syscallNumber("futex"), t.heap.addr(off));
  ready.deinit();
  return { slept: result }; // not the promise itself: an async function would await it
}

/** A condition with one counted waiter, which a Worker plays by sleeping
 * on the epoch word: `signal` then wakes another thread. */
async function conditionWithSleeper(t: Threaded) {
  const cond = Condition.init(t.io());
  Atomics.add(t.heap.i32, cond.stateOffset >> 2, ONE_WAITER);
  const { slept } = await kernelWaiter(t, cond.epochOffset);
  return {
    cond,
    async done(): Promise<void> {
      expect(await slept).toBe(0);
      Atomics.sub(t.heap.i32, cond.stateOffset >> 2, ONE_WAITER + ONE_SIGNAL);
      cond.deinit();
    },
  };
}

test("waking another thread's sleeper yields once, and says it woke someone", async () => {
  t = Threaded.init();
  const word = t.heap.allocZeroed(4);
  const { slept } = await kernelWaiter(t, word);
  const y = wakeYields();
  Atomics.store(t.heap.i32, word >> 2, 1);
  expect(futexWake(t.heap, word, 1)).toBe(true);
  expect(wakeYields()).toBe(y + one());
  expect(await slept).toBe(0);
  t.heap.free(word);
});

test("waking only this thread's own async waiters yields nothing: the CPU is already theirs", async () => {
  t = Threaded.init();
  const io = t.io();
  const y = wakeYields();
  const ev = ResetEvent.init(io);
  const set = ev.waitAsync();
  ev.set();
  await set;
  const m = Mutex.init(io);
  m.lock(io);
  const locked = m.lockAsync();
  m.unlock(io);
  await locked;
  m.unlock(io);
  // Two of its waits on one word, woken together.
  const word = t.heap.allocZeroed(4);
  const both = [futexWaitAsync(t.heap, word, 0), futexWaitAsync(t.heap, word, 0)];
  Atomics.store(t.heap.i32, word >> 2, 1);
  expect(futexWake(t.heap, word, 0x7fffffff)).toBe(false);
  await Promise.all(both);
  expect(wakeYields()).toBe(y);
  t.heap.free(word);
  ev.deinit();
  m.deinit();
});

test("a condition signalled under its mutex yields at the unlock, not before", async () => {
  t = Threaded.init();
  const io = t.io();
  const m = Mutex.init(io);
  const c = await conditionWithSleeper(t);
  m.lock(io);
  const y = wakeYields();
  c.cond.signal(io);
  expect(wakeYields()).toBe(y);
  expect(owesYield()).toBe(one() === 1);
  m.unlock(io);
  expect(owesYield()).toBe(false);
  expect(wakeYields()).toBe(y + one());
  await c.done();
  m.deinit();
});

test("a condition signalled after the unlock yields when the synchronous run ends, not at a later unrelated unlock", async () => {
  t = Threaded.init();
  const io = t.io();
  const c = await conditionWithSleeper(t);
  const y = wakeYields();
  c.cond.signal(io);
  await turnEnds();
  expect(owesYield()).toBe(false);
  expect(wakeYields()).toBe(y + one());
  // An unrelated lock much later pays nothing.
  const m = Mutex.init(io);
  m.lock(io);
  m.unlock(io);
  expect(wakeYields()).toBe(y + one());
  await c.done();
  m.deinit();
});

test("a waker that sleeps in the futex drops the yield it owed: the sleep gave the CPU away", async () => {
  t = Threaded.init();
  const io = t.io();
  const c = await conditionWithSleeper(t);
  const word = t.heap.allocZeroed(4);
  const y = wakeYields();
  c.cond.signal(io);
  expect(futexWaitTimeout(t.heap, word, 0, 1_000_000n)).toBe(false);
  expect(owesYield()).toBe(false);
  await turnEnds();
  expect(wakeYields()).toBe(y);
  t.heap.free(word);
  await c.done();
});

test.skipIf(taskset === null)("pinned to one CPU, a waker never yields nor owes", async () => {
  const { out, err, code } = await runPinned(`${import.meta.dir}/../fixtures/wake_yield_child.ts`);
  expect({ code, err: code === 0 ? "" : err }).toEqual({ code: 0, err: "" });
  expect(JSON.parse(out.trim())).toEqual({ cpus: 1, woke: [true, true], owed: false, yields: 0 });
});
