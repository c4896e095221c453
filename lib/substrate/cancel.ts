// Cancelation, as in Zig's `Threaded.zig`, with its lost-cancel window closed.
//
// Every task has a cancel word in the heap:
//   0                  not started, or finished normally
//   id                 running on the thread registered as `id` (≥ 1)
//   CANCELING | id     cancel requested while running on thread `id`
//   CANCELING          cancel requested before start, or settled after one
//
// requestCancel: prev = fetch_or(word, CANCELING). If prev was a bare id,
// the task is running: the shim's watchdog sends SIGIO to that thread now
// and again with back-off until the task settles the word, so a signal that
// lands between a cancel check and the blocking syscall (Zig's lost
// cancel, upstream issue 25751) is followed by another that interrupts it.
//
// A running task observes the cancel at its next cancelable operation:
// `checkCancel()` before every blocking call, and EINTR from the signal
// makes the call re-check. Pure JavaScript loops poll `cancelRequested()`.
//
// Task end: CAS(word, id → 0). If that fails the task was canceled, and
// `tio_watchdog_settle` stores CANCELING and drops the watchdog entry under
// the watchdog's lock, so no signal is sent once this thread has moved on:
//   T1 (canceler): fetch_or → prev = id          T2 (task): CAS(id→0) fails
//   T1: watchdog_add: *word == CANCELING|id ?    T2: settle: *word = CANCELING
// Whichever takes the watchdog lock first, the entry never outlives the task.
import { Canceled } from "../io/errors.ts";
import type { Heap } from "./heap.ts";
import { shim } from "../ffi/shim.ts";
import { noteCanceled, noteCancelRequest } from "./trace.ts";

export const CANCELING = 0x80000000 | 0;
export const THREAD_ID_MASK = 0x7fffffff;

interface TaskFrame {
  readonly heap: Heap;
  readonly index: number;
  readonly id: number;
  readonly prev: TaskFrame | null;
  ended: boolean;
  controller?: AbortController;
}

let current: TaskFrame | null = null;
const threadIds = new Map<Heap, number>();

/** This thread's id in `heap`'s thread table, registering it on first use. */
export function threadId(heap: Heap): number {
  let id = threadIds.get(heap);
  if (id === undefined) {
    id = heap.registerThread(shim().tio_thread_handle() as number);
    threadIds.set(heap, id);
  }
  return id;
}

/** This thread takes slot `id`, which the thread that started it reserved
 * (reaper.ts `claimStartedThread`). */
export function adoptThreadId(heap: Heap, id: number): void {
  heap.claimThread(id, shim().tio_thread_handle() as number);
  threadIds.set(heap, id);
}

/** Removes this thread from `heap`'s thread table (thread exit, heap teardown). */
export function forgetThread(heap: Heap): void {
  const id = threadIds.get(heap);
  if (id === undefined) return;
  threadIds.delete(heap);
  heap.unregisterThread(id);
}

/** Marks the task whose cancel word is at `wordOff` as running on this
 * thread until `exitTask`. A task canceled before it started still runs (its
 * result must be valid), and sees `Canceled` at its first check. */
export function enterTask(heap: Heap, wordOff: number): void {
  const id = threadId(heap);
  const index = wordOff >> 2;
  Atomics.compareExchange(heap.i32, index, 0, id);
  current = { heap, index, id, prev: current, ended: false };
}

export function exitTask(): void {
  const frame = current;
  if (frame === null) throw new Error("exitTask without enterTask");
  current = frame.prev;
  frame.ended = true;
  const { heap, index, id } = frame;
  if (Atomics.compareExchange(heap.i32, index, id, 0) !== id) {
    // Canceled: settle under the watchdog's lock so it stops signalling us.
    shim().tio_watchdog_settle(heap.addr(index * 4), CANCELING);
  }
  // Let an abortSignal() watcher see that the task is over.
  if (frame.controller !== undefined) Atomics.notify(heap.i32, index);
}

/** Requests cancelation of the task whose cancel word is at `wordOff`. */
export function requestCancel(heap: Heap, wordOff: number): void {
  const prev = Atomics.or(heap.i32, wordOff >> 2, CANCELING);
  if ((prev & CANCELING) !== 0) return; // already requested
  const id = prev & THREAD_ID_MASK;
  noteCancelRequest(heap, id);
  if (id === 0) return; // not running: it checks the word when it starts
  shim().tio_watchdog_add(heap.addr(wordOff), prev | CANCELING, heap.threadHandle(id));
  // Wakes an abortSignal() watcher (Atomics.waitAsync) on the task's thread.
  Atomics.notify(heap.i32, wordOff >> 2);
}

const neverAborts = new AbortController().signal;

/**
 * An AbortSignal that aborts with `Canceled` when the current task is
 * canceled. It watches the cancel word with Atomics.waitAsync, which
 * `requestCancel` notifies, so it needs this thread's event loop: it serves
 * tasks that await (fetch, timers), which is where a signal is useful.
 */
export function abortSignal(): AbortSignal {
  const frame = current;
  if (frame === null) return neverAborts;
  if (frame.controller !== undefined) return frame.controller.signal;
  const controller = new AbortController();
  frame.controller = controller;
  const { heap, index } = frame;
  void (async () => {
    for (;;) {
      const word = Atomics.load(heap.i32, index);
      if ((word & CANCELING) !== 0 && !frame.ended) {
        controller.abort(new Canceled());
        return;
      }
      if (frame.ended) return;
      const r = Atomics.waitAsync(heap.i32, index, word);
      if (r.async) await r.value;
    }
  })();
  return controller.signal;
}

/**
 * Inside a task: runs `onCancel` once when the task is canceled (at once,
 * synchronously, if it already is) and returns what stops watching; outside
 * a task, undefined. For the async waits of a task that awaits (a
 * `lockAsync`, a `getOneAsync`), which no signal interrupts: the pool
 * thread sits in its event loop, and a cancel request reaches it through
 * the task's abort signal (one watcher per task, `abortSignal`).
 */
export function watchTaskCancel(onCancel: () => void): (() => void) | undefined {
  const frame = current;
  if (frame === null || frame.ended) return undefined;
  const signal = abortSignal();
  if (signal.aborted) {
    onCancel();
    return () => {};
  }
  signal.addEventListener("abort", onCancel, { once: true });
  return () => signal.removeEventListener("abort", onCancel);
}

/** A cancel watch over one async wait on the heap word at `off`. */
export interface WordWaitCancel {
  /** The Canceled to end the wait with, once the task was canceled. */
  readonly canceled: () => Canceled | undefined;
  /** Stops watching (the wait ended). */
  readonly stop: () => void;
}

/**
 * Inside a task, makes an async wait on the word at `off` a cancelation
 * point: a cancel of the task notifies the word, which ends the wait (a
 * spurious wake for any other waiter on it, who loops), and `canceled()`
 * then gives the Canceled to end it with. Outside a task, undefined.
 */
export function watchWordCancel(heap: Heap, off: number): WordWaitCancel | undefined {
  let canceled = false;
  const stop = watchTaskCancel(() => {
    canceled = true;
    Atomics.notify(heap.i32, off >> 2);
  });
  if (stop === undefined) return undefined;
  return { canceled: () => (canceled ? canceledNow() : undefined), stop };
}

/** The Canceled an async wait of the current task ends with (counted, as
 * `raiseCanceled` counts it). */
export function canceledNow(): Canceled {
  if (current !== null) noteCanceled(current.heap);
  return new Canceled();
}

/** Whether the task running on this thread has a pending cancel request. */
export function cancelRequested(): boolean {
  const frame = current;
  return frame !== null && (Atomics.load(frame.heap.i32, frame.index) & CANCELING) !== 0;
}

/** Throws `Canceled` if the current task has a pending cancel request. */
export function checkCancel(): void {
  if (cancelRequested()) raiseCanceled();
}

/** Throws `Canceled` for the current task's cancel request, counting it
 * (stats, trace) in the task's heap. */
export function raiseCanceled(): never {
  if (current !== null) noteCanceled(current.heap);
  throw new Canceled();
}

/** Whether this thread is running a task (and can be canceled). */
/** Whether this thread is running, in `heap`, a task whose cancel word is
 * at an offset `test` accepts (innermost task first; a task that awaits
 * inline work runs inside another). */
export function inTaskWhere(heap: Heap, test: (wordOff: number) => boolean): boolean {
  for (let f = current; f !== null; f = f.prev) {
    if (f.heap === heap && !f.ended && test(f.index << 2)) return true;
  }
  return false;
}

export function inTask(): boolean {
  return current !== null;
}
