// The after-idle handoff. After idle, the guest kernel queues a woken pool
// thread on the CPU of the thread that woke it (the other vCPU is halted),
// so the task starts only when its dispatcher sleeps or yields; and an
// `await future` sleeps only by going back through its event loop, so a
// cold round trip paid that loop's way to sleep, the Atomics.notify
// wake-up back and the promise resumptions (ARCHITECTURE.md). So a
// dispatch that woke a thread after idle (pool.ts `dispatchedForHandOff`)
// hands it its CPU before `io.async` / `io.concurrent` returns: usually
// the woken thread preempts it at the wake itself, else it yields once. A
// short task is done by then, and its future comes back settled.
//
// A long task would hold the yielder's CPU for up to a scheduler slice
// (a 20 ms task stalled the event loop 2–4.4 ms, against 1.1–1.6 ms for a
// timer that never yields). So a task whose yield kept the yielder off its
// CPU for YIELD_SHORT_MS or more is not yielded to for its next 4 cold
// dispatches, then 8, 16, … up to 256 while its probes keep running long:
// a long task stalls its caller at the 1st, 6th, 15th, 32nd, … cold
// dispatch, and one yield that ran long only because another process took
// the CPU costs 4 handoffs. Keyed by the task (its interned key's offset
// in the heap; two instances may share an offset, which only mixes their
// histories).
import { yieldCpu } from "../substrate/spin_policy.ts";

const YIELD_SHORT_MS = 0.5;
const BACKOFF_MIN = 4;
const BACKOFF_MAX = 256;

interface Backoff {
  /** Cold dispatches left without a handoff. */
  skip: number;
  /** The skip after the next probe that runs long. */
  next: number;
}

const backoffs = new Map<number, Backoff>();

/** Handoffs this thread made (with or without a yield), found done,
 * found done at the wake (no yield) and skipped, and those that kept it
 * off its CPU long (specs, benchmarks). */
export const handoffs = { handedOff: 0, found: 0, atWake: 0, skipped: 0, long: 0 };

/** Whether a cold dispatch of the task of `key` should be handed the CPU
 * (`handOff`), or its history says it runs long. */
export function shouldHandOff(key: number): boolean {
  const b = backoffs.get(key);
  if (b === undefined || b.skip <= 0) return true;
  b.skip--;
  handoffs.skipped++;
  return false;
}

/** Hands the CPU to the task of `key`, woken at `wokeAt`
 * (`performance.now()`); `done()` says whether it has finished. Returns
 * that. The woken thread usually takes the CPU at the wake itself (it
 * slept long, so the scheduler lets it preempt its waker): its task is
 * then done already, and a yield would only run its way back to sleep
 * before this thread goes on (ARCHITECTURE.md). Otherwise this thread
 * yields once. */
export function handOff(key: number, done: () => boolean, wokeAt?: number): boolean {
  // From the wake: a woken thread that preempted this one there stalled
  // it from then on, whether or not its task is done now.
  const t0 = wokeAt ?? performance.now();
  let finished = done();
  if (finished) handoffs.atWake++;
  else {
    yieldCpu();
    finished = done();
  }
  const b = backoffs.get(key);
  handoffs.handedOff++;
  const short = performance.now() - t0 < YIELD_SHORT_MS;
  // Only a handoff that kept this thread off its CPU (a preemption at the
  // wake, a yield) counts against the task, and only a short one that
  // found it done clears its history: a yield that returned at once
  // unfinished found the pool thread running elsewhere (or not yet
  // runnable), stalled nothing and says nothing of the task's length (a
  // long task on two CPUs gave such yields between its stalls, and its
  // skip never grew past BACKOFF_MIN).
  if (short) {
    if (finished) backoffs.delete(key);
  } else {
    handoffs.long++;
    if (b === undefined) backoffs.set(key, { skip: BACKOFF_MIN, next: BACKOFF_MIN * 2 });
    else {
      b.skip = b.next;
      b.next = Math.min(b.next * 2, BACKOFF_MAX);
    }
  }
  if (!finished) return false;
  handoffs.found++;
  return true;
}
