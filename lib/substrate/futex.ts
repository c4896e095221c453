// The futex facade: the one way threads of a `Threaded` sleep on a heap word
// and wake each other.
//
// Contract (what each call promises, and to whom):
// - `futexWait(heap, off, expect)` blocks the calling thread while the u32 at
//   `off` holds `expect`, through the shim's kernel futex, so a SIGIO sent to
//   this thread (a cancel request) interrupts it. It first checks the current
//   task's cancel word and throws `Canceled` if a cancel is pending. It may
//   return spuriously (signal, wake meant for another waiter): callers loop
//   and re-read their state.
// - `futexWaitUncancelable` is the same without the cancel check; a signal
//   still makes it return early.
// - `futexWaitTimeout` returns false if the timeout ran out.
// - `futexWaitAsync` never blocks: it returns a promise that settles through
//   an untimed `Atomics.waitAsync`, for code on an event loop that must keep
//   running; while pending it keeps the event loop alive (keep_alive.ts).
// - `futexWake(heap, off, n)` wakes up to n waiters of both kinds. In Bun the
//   kernel futex and Atomics.wait/notify do not wake each other, so it does
//   both `futex_wake` and `Atomics.notify`. Every wake in threaded-io goes
//   through it, which is what makes the two wait kinds interchangeable.
//   Having woken another thread, the waker yields once (wake_yield.ts).
// - Before sleeping, waits spin on the word for `spinLimit` loads when their
//   site says spinning can pay (spin_policy.ts): a handoff to a thread that
//   is still spinning costs ~1 µs instead of the ~20 µs of a cross-core
//   futex wake-up. The spin is bounded, so an idle thread uses no CPU.
import { checkCancel, watchWordCancel } from "./cancel.ts";
import type { Heap } from "./heap.ts";
import { shim } from "../ffi/shim.ts";
import { E } from "../os/index.ts";
import { asyncWaitsHere, waitWordAsync } from "./keep_alive.ts";
import { SpinSite, yieldCpu } from "./spin_policy.ts";
import { afterWake, type AfterWake, dropOwedYield } from "./wake_yield.ts";
import { traceWaitEnd, traceWaitStart, traceWake } from "./trace.ts";

let spinLimit = 1000; // ≈2.4 µs of loads on the reference VM (bench/sync.bench.ts)

/** Loads of the word before a wait sleeps in the kernel (0 disables). */
export function setSpinLimit(n: number): void {
  spinLimit = Math.max(0, n | 0);
}
export function getSpinLimit(): number {
  return spinLimit;
}

/** Spins while the word holds `expect`; true if it changed meanwhile. Used
 * before a waiter announces itself, so a quick handoff needs no wake call.
 * Unconditional: waits go through `spinAt`, which asks the site first. */
export function spin(i32: Int32Array, index: number, expect: number): boolean {
  for (let i = 0; i < spinLimit; i++) {
    if (Atomics.load(i32, index) !== expect) return true;
  }
  return false;
}

/** Up to `rounds` spins of `spinLimit` loads, yielding the CPU between
 * rounds, if the site says spinning can pay now (spin_policy.ts); `busy`
 * is the number of threads known to be running work besides the caller.
 * True if the word changed. */
export function spinAt(
  site: SpinSite,
  i32: Int32Array,
  index: number,
  expect: number,
  rounds = 1,
  busy = 1,
): boolean {
  if (spinLimit === 0 || !site.shouldSpin(busy)) return false;
  const start = performance.now();
  for (let r = 1; ; r++) {
    if (spin(i32, index, expect)) {
      // Won only if quicker than sleeping would have been: on a loaded
      // machine a yield can give the CPU away for a whole slice, and a
      // spin that "succeeds" after that only delayed the waiter.
      site.record(performance.now() - start < SPIN_WORTH_MS);
      return true;
    }
    if (r >= rounds) break;
    yieldCpu();
  }
  site.record(false);
  return false;
}

/** A spin that saw the word change later than this (a cross-core futex
 * wake-up costs 20–50 µs) counts as failed in its site's history. */
const SPIN_WORTH_MS = 0.03;

/** The site of plain futex waits (mutex, condition, join). */
export const futexSite = new SpinSite();

export function futexWait(heap: Heap, off: number, expect: number): void {
  checkCancel();
  if (spinAt(futexSite, heap.i32, off >> 2, expect | 0)) return;
  dropOwedYield(); // sleeping gives the CPU away (wake_yield.ts)
  const traced = traceWaitStart(heap);
  shim().tio_futex_wait(heap.addr(off), expect | 0);
  traceWaitEnd(heap, traced, off);
}

export function futexWaitUncancelable(heap: Heap, off: number, expect: number): void {
  if (spinAt(futexSite, heap.i32, off >> 2, expect | 0)) return;
  dropOwedYield(); // sleeping gives the CPU away (wake_yield.ts)
  const traced = traceWaitStart(heap);
  shim().tio_futex_wait(heap.addr(off), expect | 0);
  traceWaitEnd(heap, traced, off);
}

/** Waits at most `timeoutNs`; returns false if that time ran out. */
export function futexWaitTimeout(
  heap: Heap,
  off: number,
  expect: number,
  timeoutNs: bigint,
  cancelable = true,
): boolean {
  if (cancelable) checkCancel();
  if (spinAt(futexSite, heap.i32, off >> 2, expect | 0)) return true;
  dropOwedYield(); // sleeping gives the CPU away (wake_yield.ts)
  const traced = traceWaitStart(heap);
  const rc = shim().tio_futex_wait_timeout(
    heap.addr(off),
    expect | 0,
    // Past i64 the shim's argument would wrap; -1 waits without a timeout.
    timeoutNs < 0n ? 0n : timeoutNs > 0x7fff_ffff_ffff_ffffn ? -1n : timeoutNs,
  );
  traceWaitEnd(heap, traced, off);
  return rc !== -(E.ETIMEDOUT as number);
}

/** Resolves once the word may no longer hold `expect` (or at once if it
 * already differs). Spurious resolutions are allowed. Never timed: a timed
 * `Atomics.waitAsync` busy-polls in Bun 1.4 (keep_alive.ts); `check` runs
 * at each keep-alive tick while it is pending, and the pending wait keeps the
 * event loop alive. */
export function futexWaitAsync(
  heap: Heap,
  off: number,
  expect: number,
  check?: () => void,
): Promise<void> {
  return waitWordAsync(heap, off, expect, check);
}

/**
 * `futexWaitAsync`, and inside a task a cancelation point: a cancel of the
 * task rejects it with Canceled. The word's wait is ended with a notify of
 * the word (a spurious wake for any other waiter on it, which loops), so
 * no wait is left pending. Outside a task, the plain wait. An async wait
 * in a canceled task held `future.cancel(io)` and `deinit()` until the
 * resource came, if ever.
 */
export function futexWaitAsyncCancelable(
  heap: Heap,
  off: number,
  expect: number,
  check?: () => void,
): Promise<void> {
  const watch = watchWordCancel(heap, off);
  if (watch === undefined) return waitWordAsync(heap, off, expect, check);
  const already = watch.canceled();
  if (already !== undefined) return Promise.reject(already);
  return waitWordAsync(heap, off, expect, check).then(
    () => {
      watch.stop();
      const why = watch.canceled();
      if (why !== undefined) throw why;
    },
    (e: unknown) => {
      watch.stop();
      throw e;
    },
  );
}

/** Wakes only threads blocked in the kernel futex (`futexWait*`), for a
 * word no async waiter ever waits on (the pool's WORK_SEQ): Atomics.notify
 * with no waiter costs 4–4.7 µs after idle (≈ 0.1 hot), on the path of
 * every cold dispatch. Never yields (see futexWake): a dispatch that woke a
 * pool thread yields, if at all, through the after-idle handoff, whose
 * backoff keeps a long task from stalling the dispatcher. Returns the
 * number of threads woken. */
export function futexWakeThreads(heap: Heap, off: number, maxWaiters: number): number {
  const n = Math.min(maxWaiters, 0x7fffffff);
  const woke = shim().tio_futex_wake(heap.addr(off), n);
  traceWake(heap, off, n);
  return woke;
}

/** Wakes threads blocked in the kernel futex and async waiters alike;
 * true if it woke a waiter of another thread (one of this thread's own
 * async waiters, an event loop awaiting its own lock or event, is not).
 *
 * Then it does what `after` says (wake_yield.ts): by default, if it woke
 * another thread and this one may run on two CPUs or more, the waker
 * yields its CPU once. After idle the guest kernel queues the woken thread
 * (or the woken waiter's event loop) on the waker's CPU, the other vCPU
 * halted, and there it waits until the waker sleeps or its slice ends: a
 * task that unlocked a mutex and worked on for 1 ms woke a blocked `lock`
 * 0.9–1.2 ms later (84–94 µs with the yield) and a `lockAsync` 0.9–1.2 ms
 * later (141–233 µs). With the woken one on another CPU the yield costs
 * one syscall; waking only this thread's own waiter it would give the CPU
 * away for nothing (a whole slice on a loaded machine). "owe": a wake made
 * under a lock the woken thread needs next (a condition's signal) yields
 * when the lock is released (`payOwedYield`). "next": a task's end
 * (closure.ts `publish`); its thread yields in `take` only if it has
 * another task to run (ARCHITECTURE.md, "Waking a thread that sleeps"). */
export function futexWake(
  heap: Heap,
  off: number,
  maxWaiters: number,
  after: AfterWake = "yield",
): boolean {
  const threads = futexWakeThreads(heap, off, maxWaiters);
  const loops = Atomics.notify(heap.i32, off >> 2, Math.min(maxWaiters, 0x7fffffff));
  // A notify of n < all may have taken our own waiter or another thread's:
  // counted as ours (no yield, as before yields existed).
  if (threads <= 0 && (loops === 0 || loops <= asyncWaitsHere(heap, off))) return false;
  afterWake(after);
  return true;
}
