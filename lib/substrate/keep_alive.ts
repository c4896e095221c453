// What keeps a thread's event loop alive while it has work in flight, and
// what makes its async waits cost nothing.
//
// Two facts about Bun 1.4.5 decide the design (measured, ARCHITECTURE.md):
// - A pending `Atomics.waitAsync` does not keep the event loop alive: a
//   script whose last act is `await future` exits before the task ends.
//   Under a top-level await it keeps the process alive but the loop spins
//   (a full core) until it settles; a timed `waitAsync` spins in every case
//   while nothing else is ref'd.
// - An untimed `waitAsync` with a ref'd timer pending costs ~0 CPU, and the
//   waker's `Atomics.notify` (futexWake) still resolves it at once.
//
// So every async wait is an untimed `waitAsync`, and while any wait is
// pending or any task this thread started is in flight, one ref'd
// timer per thread exists. Its tick (50 ms, doubling to 800 ms) polls
// each holder: a wait asks whether the thread it waits for died (the
// reaper's fallback; a pool thread's `close` event reaps at once on the
// thread that spawned it), an in-flight task that nobody awaits starts
// watching its DONE word. When the last holder leaves, the timer is
// unref'd at once (so the process may exit) and dropped at its next tick:
// an idle thread has no timer, and a hot loop of awaits toggles ref/unref
// (≈30 ns) instead of creating timers (≈300 ns).
//
// `setKeepAlive(heap, false)` (`Threaded.unref()`) makes the holders of
// that heap's work in flight stop counting: a process may exit with tasks
// nobody waits for. An async wait still counts: its awaiter would never
// run again.
import type { Heap } from "./heap.ts";
import { BugError } from "../io/errors.ts";

/** The keep-alive timer's first period, doubled at each tick up to
 * POLL_MAX_MS: each tick costs ~0.1–0.2 ms of CPU in Bun (process wake-up,
 * loop turn), so a wait of seconds pays a handful, not one per 100 ms. */
export const POLL_MIN_MS = 50;
export const POLL_MAX_MS = 800;

/** A reason to keep the loop alive. `poll` runs at each tick; it returns
 * false once the holder no longer needs the loop (it is then dropped). */
export interface Holder {
  readonly heap: Heap;
  poll(): boolean;
  /** The word an async wait waits on (waitWordAsync). */
  readonly off?: number;
}

const holders = new Set<Holder>();
const unrefHeaps = new WeakSet<Heap>();
let refs = 0; // holders whose heap keeps the process alive
let timer: ReturnType<typeof setTimeout> | undefined;
let period = POLL_MIN_MS;

/** Whether `h` keeps the loop alive: an async wait always does (someone
 * awaits its outcome: under `unref()` an `await future` in `main()` let the
 * process exit 0 with the rest of `main()` never run), the other holders
 * (tasks and groups in flight that nobody awaits) unless unref'd. */
function counts(h: Holder): boolean {
  return h.off !== undefined || !unrefHeaps.has(h.heap);
}

function tick(): void {
  timer = undefined;
  for (const h of holders) {
    let keep = false;
    try {
      keep = h.poll();
    } catch {
      keep = false; // a poll that throws cannot be retried usefully
    }
    if (!keep) release(h);
  }
  // Idle: no timer until the next hold (which may have come from a poll,
  // and armed one already).
  if (holders.size === 0 || timer !== undefined) return;
  period = Math.min(period * 2, POLL_MAX_MS);
  arm();
}

function arm(): void {
  timer = setTimeout(tick, period);
  if (refs === 0) timer.unref();
}

/** Keeps the loop alive (unless the heap is unref'd) until `release(h)` or
 * until `h.poll()` returns false at a tick. */
export function hold(h: Holder): void {
  if (holders.has(h)) return;
  holders.add(h);
  if (counts(h)) refs++;
  if (timer === undefined) {
    if (!armQueued) {
      armQueued = true;
      queueMicrotask(armSoon);
    }
  } else if (refs === 1 && counts(h)) timer.ref();
}

// A new timer costs ≈ 8 µs after idle, on the path of a cold round trip
// (the task's thread is often queued on this CPU until this one yields or
// sleeps). So the first hold arms it from a microtask queued twice: after
// the microtasks of this turn so far, an `await` begun in the same turn
// has run once, and a future settled by the after-idle handoff
// (idle_handoff.ts) has released its holds, so no timer is made at all. The loop
// looks for pending work only after every microtask ran, so it never sees
// a holder without the timer.
let armQueued = false;

function armSoon(): void {
  queueMicrotask(armNow);
}

function armNow(): void {
  armQueued = false;
  if (timer !== undefined || holders.size === 0) return;
  period = POLL_MIN_MS;
  arm();
}

export function release(h: Holder): void {
  if (!holders.delete(h)) return;
  if (counts(h) && --refs === 0) timer?.unref();
}

/** Whether pending work on `heap` keeps this thread's event loop alive. */
export function setKeepAlive(heap: Heap, keep: boolean): void {
  if (keep === !unrefHeaps.has(heap)) return;
  if (keep) unrefHeaps.delete(heap);
  else unrefHeaps.add(heap);
  refs = 0;
  for (const h of holders) if (counts(h)) refs++;
  if (timer === undefined) return;
  if (refs > 0) timer.ref();
  else timer.unref();
}

export function keepsAlive(heap: Heap): boolean {
  return !unrefHeaps.has(heap);
}

/** Holders pending on this thread (tests). */
export function pendingHolders(): number {
  return holders.size;
}

const neverDone = () => true;

/**
 * Resolves once the i32 at byte offset `off` may no longer hold `expect`
 * (at once if it already differs; spurious resolutions are allowed: callers
 * loop). Untimed, so it costs nothing while pending; `check` runs at each
 * tick while it is (the reaper's dead-thread test).
 */
export function waitWordAsync(
  heap: Heap,
  off: number,
  expect: number,
  check?: () => void,
): Promise<void> {
  return new Promise((resolve, reject) =>
    onWordChange(heap, off, expect, check, (e) => (e === undefined ? resolve() : reject(e))),
  );
}

/**
 * The callback form of waitWordAsync, for waits on the round trip's path:
 * `done()` runs synchronously if the word already differs, else from the
 * wake-up's own promise reaction, with a BugError if the heap was closed
 * under the wait. Each promise between the wake-up and the awaiter's code
 * is one more resumption of cold code after idle (ARCHITECTURE.md).
 */
export function onWordChange(
  heap: Heap,
  off: number,
  expect: number,
  check: (() => void) | undefined,
  done: (error?: BugError) => void,
): void {
  // No lost wake: every waker changes the word, then notifies (futexWake),
  // and waitAsync compares and enqueues under JSC's waiter-list lock:
  //   T1 waitAsync: word == expect, enqueued;  T2 store; notify → resolved
  //   T2 store; notify (nobody queued);  T1 waitAsync: word != expect → "not-equal"
  const r = Atomics.waitAsync(heap.i32, off >> 2, expect | 0);
  if (!r.async) return done();
  const addr = heap.base + off;
  waitsHere.set(addr, (waitsHere.get(addr) ?? 0) + 1);
  const holder: Holder = {
    heap,
    off,
    poll:
      check === undefined
        ? neverDone
        : () => {
            check();
            return true;
          },
  };
  hold(holder);
  void r.value.then(() => {
    release(holder);
    const left = waitsHere.get(addr)! - 1;
    if (left === 0) waitsHere.delete(addr);
    else waitsHere.set(addr, left);
    // Woken by wakeAsyncWaiters, the word unchanged: nothing will ever
    // change it now (every thread of the heap has left).
    if (heap.closed && Atomics.load(heap.i32, off >> 2) === (expect | 0)) {
      done(
        new BugError(
          "An async wait (a queue, mutex, condition or event of this Threaded instance) was pending when the instance was deinitialized (threaded.deinit())",
        ),
      );
    } else done();
  });
}

/** This thread's pending async waits (onWordChange) by word address: a
 * wake whose `Atomics.notify` resumed only these hands no CPU to another
 * thread (futex.ts `futexWake`). A waiter already notified counts until
 * its promise reaction runs. */
const waitsHere = new Map<number, number>();

/** How many async waits this thread has pending on the word at `off`. */
export function asyncWaitsHere(heap: Heap, off: number): number {
  return waitsHere.size === 0 ? 0 : (waitsHere.get(heap.base + off) ?? 0);
}

/** Ends every async wait this thread has pending on `heap`, now closed
 * (Threaded.deinit): each rejects with a BugError unless its word changed.
 * Left pending, such a wait never settled, and its hold kept the process
 * alive forever (a getAsync on an empty queue, then deinit). */
export function wakeAsyncWaiters(heap: Heap): void {
  for (const h of holders)
    if (h.heap === heap && h.off !== undefined) Atomics.notify(heap.i32, h.off >> 2);
}
