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
// interval timer per thread exists. Its tick (every REAP_CHECK_MS) polls
// each holder: a wait asks whether the thread it waits for died (the
// reaper; a reaped task is published, and that notify resolves the wait),
// an in-flight task that nobody awaits reports when it is done. When the
// last holder leaves, the timer is unref'd at once (so the process may
// exit) and cleared at the next tick if still idle: an idle thread has no
// timer, and a hot loop of awaits toggles ref/unref (≈30 ns) instead of
// creating timers (≈300 ns).
//
// `setKeepAlive(heap, false)` (`Threaded.unref()`) makes the holders of
// that heap stop counting: the old behaviour, where a process may exit
// with tasks in flight.
import type { Heap } from "./heap.ts";

/** How often pending waits check for dead pool threads, in ms. */
export const REAP_CHECK_MS = 100;

/** A reason to keep the loop alive. `poll` runs at each tick; it returns
 * false once the holder no longer needs the loop (it is then dropped). */
export interface Holder {
  readonly heap: Heap;
  poll(): boolean;
}

const holders = new Set<Holder>();
const unrefHeaps = new WeakSet<Heap>();
let refs = 0; // holders whose heap keeps the process alive
let timer: ReturnType<typeof setInterval> | undefined;

function counts(h: Holder): boolean {
  return !unrefHeaps.has(h.heap);
}

function tick(): void {
  for (const h of holders) {
    let keep = false;
    try {
      keep = h.poll();
    } catch {
      keep = false; // a poll that throws cannot be retried usefully
    }
    if (!keep) release(h);
  }
  if (holders.size === 0 && timer !== undefined) {
    clearInterval(timer);
    timer = undefined;
  }
}

/** Keeps the loop alive (unless the heap is unref'd) until `release(h)` or
 * until `h.poll()` returns false at a tick. */
export function hold(h: Holder): void {
  if (holders.has(h)) return;
  holders.add(h);
  if (timer === undefined) {
    timer = setInterval(tick, REAP_CHECK_MS);
    timer.unref();
  }
  if (counts(h) && refs++ === 0) timer.ref();
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
export async function waitWordAsync(
  heap: Heap,
  off: number,
  expect: number,
  check?: () => void,
): Promise<void> {
  const r = Atomics.waitAsync(heap.i32, off >> 2, expect | 0);
  if (!r.async) return;
  const holder: Holder = {
    heap,
    poll:
      check === undefined
        ? neverDone
        : () => {
            check();
            return true;
          },
  };
  hold(holder);
  try {
    await r.value;
  } finally {
    release(holder);
  }
}
