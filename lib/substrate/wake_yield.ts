// The yield a waker owes the thread it woke (futex.ts `futexWake`).
//
// After idle the guest kernel queues a woken thread (or a woken event loop)
// on its waker's CPU, where it waits until the waker sleeps or its slice
// ends; a waker that keeps running yields once to let it go. When is a
// waker's own business:
// - "yield": at once (a mutex's unlock, an event's set).
// - "owe": a condition's signal, usually made under the mutex its woken
//   waiters take next. The yield waits for the next `Mutex.unlock`, and at
//   the latest for the end of this synchronous run (a microtask): a signal
//   made after the unlock, which Zig allows, would otherwise carry it into
//   whatever unlock came next, however much later and unrelated.
// - a thread that sleeps in the kernel futex gives its CPU away anyway: the
//   owed yield is dropped (futex.ts), and a pool thread folds one owed at a
//   task's end into the yield `take` makes before its next task.
// - "next": a task's end (closure.ts `publish`). A yield there handed the
//   CPU to the event loop before its promise was resolved (pinned hot
//   `await future` 9.5–11 → 24–27 µs); the pool thread yields before its
//   next task instead, and only if it has one at once (pool.ts `take`).
//   Finding none, it sleeps, which lets the woken one run.
// Pinned to one CPU nothing yields: the woken one could only run instead of
// the waker, not beside it.
import { cpusAllowed, yieldCpu } from "./spin_policy.ts";

export type AfterWake = "yield" | "owe" | "next";

let owed = false;
let beforeNextTask = false;
let payQueued = false;
let yields = 0;

/** What a wake that resumed another thread's waiter does next. */
export function afterWake(after: AfterWake): void {
  if (cpusAllowed() < 2) return;
  if (after === "next") {
    beforeNextTask = true;
    return;
  }
  if (after === "yield") {
    owed = false;
    yields++;
    yieldCpu();
    return;
  }
  owed = true;
  if (payQueued) return;
  payQueued = true;
  queueMicrotask(payAtRunEnd);
}

function payAtRunEnd(): void {
  payQueued = false;
  payOwedYield();
}

/** Yields if a wake made under the lock just released owes it (Mutex.unlock). */
export function payOwedYield(): void {
  if (!owed) return;
  owed = false;
  yields++;
  yieldCpu();
}

/** Forgets the owed yield (a futex sleep gives the CPU away). */
export function dropOwedYield(): void {
  owed = false;
}

/** Whether a pool thread should yield before its next task: its last
 * task's end woke another thread, or the task still owes a yield (both are
 * forgotten). */
export function yieldBeforeNextTask(): boolean {
  const y = beforeNextTask || owed;
  beforeNextTask = false;
  owed = false;
  return y;
}

/** Whether this thread owes a yield (specs). */
export function owesYield(): boolean {
  return owed;
}

/** Yields this thread made after its wakes (specs, benchmarks). */
export function wakeYields(): number {
  return yields;
}
