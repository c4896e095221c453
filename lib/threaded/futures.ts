// The vtable's future entries (Zig's: async, concurrent, await, cancel,
// select) and their non-blocking twins.
import { BugError, Canceled, IoError } from "../io/errors.ts";
import {
  awaitingAsync,
  Future,
  keptOutcome,
  nameIfUnseen,
  newFuture,
  settledFuture,
  settleFuture,
  type Outcome,
} from "../io/future.ts";
import { describe } from "../io/validate.ts";
import type { Io } from "../io/io.ts";
import { embeddedResetEvent, onEventSet, type ResetEvent } from "../io/reset_event.ts";
import type { Threaded } from "./threaded.ts";
import { createClosure, doneEvent, freeClosure, readOutcome, unavailableFor } from "./closure.ts";
import {
  Closure,
  GEN_BEFORE_PAYLOAD,
  KIND_ASYNC,
  Pool,
  PoolBlock,
  ResetEventLayout,
  SELECT_DONE,
} from "../substrate/layout.ts";
import {
  concurrencyUnavailable,
  dispatch,
  dispatchedForHandOff,
  dispatchedToSleeper,
  lastWakeAt,
} from "./pool.ts";
import { inTask, requestCancel, watchTaskCancel } from "../substrate/cancel.ts";
import { reapCheckNs, reapRunnerOf } from "./reaper.ts";
import { spinAt } from "../substrate/futex.ts";
import { SpinSite, withoutSpins } from "../substrate/spin_policy.ts";
import { handOff } from "./idle_handoff.ts";
import { holdTask, releaseTask } from "./in_flight.ts";
import { IS_SET, UNSET } from "../io/reset_event.ts";
import { isLive } from "../substrate/handle.ts";
import { readKey, taskName } from "../substrate/tasks.ts";
import { noteInline, traceWaitSite, WaitSite } from "../substrate/trace.ts";

type AnyFn = (...args: never[]) => unknown;

/** Runs a task on the calling thread (Zig's inline path). */
export function runInline(io: Io, fn: AnyFn, args: readonly unknown[]): Future<unknown> {
  fn = noteInline(io.sharedHeap(), fn);
  try {
    const value = (fn as (...a: readonly unknown[]) => unknown)(...args);
    // An async task run inline settles when its promise does.
    if (value instanceof Promise) {
      const f = newFuture(io, 0, undefined, value);
      // After the future's own reaction, which notes a failure.
      value.catch(() => nameIfUnseen(f, fn.name));
      return f;
    }
    return newFuture(io, 0, { ok: true, value });
  } catch (e) {
    const f = newFuture(io, 0, { ok: false, value: e });
    nameIfUnseen(f, fn.name);
    return f;
  }
}

function isOutOfMemory(e: unknown): boolean {
  return e instanceof IoError && e.code === "OutOfMemory";
}

export function async(t: Threaded, io: Io, fn: AnyFn, args: readonly unknown[]): Future<unknown> {
  let closure: number;
  try {
    closure = createClosure(t.heap, KIND_ASYNC, fn, args);
  } catch (e) {
    if (isOutOfMemory(e)) return runInline(io, fn, args);
    throw e;
  }
  if (!dispatch(t.heap, closure, Pool.ASYNC_LIMIT, t.spawner, undefined, taskOf(t, closure))) {
    freeClosure(t.heap, closure);
    return runInline(io, fn, args);
  }
  return pending(t, io, closure);
}

const taskOf = (t: Threaded, closure: number): number => t.heap.u32[(closure + Closure.TASK) >> 2];

/** The future of a dispatched closure. After idle the task's thread is
 * queued on this CPU, so a short task is handed it first (idle_handoff.ts)
 * and, done by then, comes back settled: no hold, no wait. */
function pending(t: Threaded, io: Io, closure: number): Future<unknown> {
  const heap = t.heap;
  if (dispatchedForHandOff(closure)) {
    // Made here, not per dispatch: the hot path allocates nothing for it.
    const done = () => Atomics.load(heap.i32, (closure + Closure.DONE) >> 2) === IS_SET;
    const key = taskOf(t, closure);
    if (handOff(key, done, lastWakeAt())) {
      let o: Outcome;
      try {
        o = finalize(t, closure);
      } catch (e) {
        o = { ok: false, value: e }; // surfaces at the await, as it would have
      }
      const f = settledFuture(io, o);
      if (!o.ok) nameIfUnseen(f, taskName(readKey(heap, key)));
      return f;
    }
    // Not done: this thread no longer waits in a yield for it.
    Atomics.store(heap.i32, (closure + Closure.HANDED_OFF) >> 2, 0);
  }
  holdTask(t, closure);
  return newFuture(io, closure, undefined, undefined, heap.generation(closure));
}

export function concurrent(
  t: Threaded,
  io: Io,
  fn: AnyFn,
  args: readonly unknown[],
): Future<unknown> {
  let closure: number;
  try {
    closure = createClosure(t.heap, KIND_ASYNC, fn, args);
  } catch (e) {
    if (isOutOfMemory(e)) throw unavailableFor(e as IoError);
    throw e;
  }
  if (!dispatch(t.heap, closure, Pool.CONCURRENT_LIMIT, t.spawner, undefined, taskOf(t, closure))) {
    freeClosure(t.heap, closure);
    throw concurrencyUnavailable(t.heap);
  }
  return pending(t, io, closure);
}

/** The handle check (substrate/handle.ts) for a future whose closure is
 * about to be touched: it must be of this instance and not yet awaited. */
function checkFuture(t: Threaded, f: Future<unknown>): void {
  const c = f.pendingClosure;
  if (c === 0) return;
  // One load and compare when the future is this instance's and live. (A
  // deinitialized instance's io never gets here: its vtable throws.)
  if (f.io.userdata === t && t.heap.u32[(c - GEN_BEFORE_PAYLOAD) >> 2] === f.gen) return;
  if (f.io.userdata !== t && heapOfFuture(f).sab !== t.heap.sab) {
    throw new BugError("Future belongs to another Threaded instance than the io it was used with");
  }
  if (!isLive(t.heap, c, f.gen)) {
    throw new BugError(
      t.heap.closed
        ? "Future used after its Threaded instance was deinitialized"
        : "Future used after it was awaited or canceled: its memory may now hold another task",
    );
  }
}

/** The heap of the instance that made `f`, whose io may be retired. */
function heapOfFuture(f: Future<unknown>) {
  try {
    return f.io.sharedHeap();
  } catch {
    throw new BugError(
      "Future belongs to another Threaded instance than the io it was used with (its own is " +
        "deinitialized, or detached from this thread); use the future's own io",
    );
  }
}

/** A done task's outcome, its closure freed: what an await ends with (and
 * a future's answer after deinit, after_deinit.ts). */
export function finalize(t: Threaded, closure: number): Outcome {
  releaseTask(t, closure);
  try {
    return readOutcome(t.heap, closure, t.reviver());
  } finally {
    freeClosure(t.heap, closure); // a result that fails to decode is freed too
  }
}

/** Rounds of the futex spin an awaiter spends before it sleeps (≈20 µs):
 * a short task's result usually arrives within it, and a sleeping awaiter
 * costs a cross-core wake-up (20–50 µs) when it does. */
const AWAIT_SPIN_ROUNDS = 8;

/** The spin-history site of this thread's blocking awaits. */
export const awaitSite = new SpinSite();

function spinUntilDone(t: Threaded, closure: number): void {
  // BUSY counts the awaited task itself: spin only while another CPU is
  // free for it (spin_policy.ts).
  const busy = Atomics.load(t.heap.i32, (PoolBlock.OFFSET + Pool.BUSY) >> 2);
  spinAt(awaitSite, t.heap.i32, (closure + Closure.DONE) >> 2, UNSET, AWAIT_SPIN_ROUNDS, busy);
}

/** Waits for a closure's DONE, checking every REAP_CHECK that the thread
 * running it is still alive (reaper.ts). */
function waitDone(t: Threaded, closure: number, cancelable: boolean): void {
  const done = doneEvent(t.heap, closure);
  for (let r = 0; !done.waitBounded(reapCheckNs(r), cancelable); r++)
    reapRunnerOf(t.heap, closure, t.spawner);
}

/** Zig's waitAndDeinit: a canceled awaiter forwards the cancel and keeps
 * waiting uncancelably. */
export function awaitFuture(t: Threaded, f: Future<unknown>): Outcome {
  checkFuture(t, f);
  if (dispatchedToSleeper(f.closure)) return withoutSpins(() => awaitDone(t, f));
  if (!inTask()) spinUntilDone(t, f.closure);
  return awaitDone(t, f);
}

function awaitDone(t: Threaded, f: Future<unknown>): Outcome {
  try {
    waitDone(t, f.closure, true);
  } catch (e) {
    if (!(e instanceof Canceled)) throw e;
    requestCancel(t.heap, f.closure + Closure.CANCEL);
    waitDone(t, f.closure, false);
  }
  return collect(t, f);
}

export function cancelFuture(t: Threaded, f: Future<unknown>): Outcome {
  checkFuture(t, f);
  requestCancel(t.heap, f.closure + Closure.CANCEL);
  waitDone(t, f.closure, false);
  return collect(t, f);
}

/** The outcome of a blocking await or cancel, whose task is done. With a
 * non-blocking await of the same future pending (`Promise.race` lost, then
 * `cancel(io)`), that await frees the closure from its wake-up's reaction,
 * which this blocking wait holds back: the outcome is read here and given
 * to the future, and the reaction then frees the closure and settles with
 * that same outcome (awaitFutureAsync). Freed here instead, the reaction
 * would re-arm its wait on the freed block, perhaps another task's by then. */
function collect(t: Threaded, f: Future<unknown>): Outcome {
  if (!awaitingAsync(f)) return finalize(t, f.closure);
  let o: Outcome;
  try {
    o = readOutcome(t.heap, f.closure, t.reviver());
  } catch (e) {
    o = { ok: false, value: e }; // as finalize's failure reaches both awaits
  }
  settleFuture(f, o);
  return o;
}

/** The non-blocking await: one promise, settled from the wake-up's own
 * reaction (onEventSet), so an `await future` resumes two reactions after
 * the wake-up instead of six (ARCHITECTURE.md, the cold round trip). */
export function awaitFutureAsync(t: Threaded, f: Future<unknown>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    checkFuture(t, f);
    const closure = f.closure;
    const reap = () => reapRunnerOf(t.heap, closure, t.spawner);
    // Inside a task, Zig's await: a cancel of the awaiting task is passed
    // on to the awaited one, and the wait goes on for its outcome.
    const forward = watchTaskCancel(() => requestCancel(t.heap, closure + Closure.CANCEL));
    const finish = (e?: Error) => {
      forward?.();
      if (e !== undefined) return reject(e);
      // A blocking await or cancel took the outcome meanwhile (collect):
      // settle with it, and free what it left.
      const kept = keptOutcome(f);
      if (kept !== undefined) {
        try {
          releaseTask(t, closure);
          freeClosure(t.heap, closure);
        } finally {
          resolve(kept);
        }
        return;
      }
      let o: Outcome;
      try {
        o = finalize(t, closure);
      } catch (err) {
        o = { ok: false, value: err }; // later awaits answer it too
      }
      settleFuture(f, o); // its closure is freed: it answers from `o` now
      resolve(o);
    };
    // The wait's first spin happens before it returns, so `withoutSpins`
    // covers it; later rounds follow a wake-up and may spin.
    const wait = () => onEventSet(t.heap, closure + Closure.DONE, reap, finish);
    if (!dispatchedToSleeper(closure)) return wait();
    withoutSpins(wait);
  });
}

export function isDone(t: Threaded, f: Future<unknown>): boolean {
  checkFuture(t, f);
  const c = f.pendingClosure;
  return c !== 0 && doneEvent(t.heap, c).isSet();
}

export function requestFutureCancel(t: Threaded, f: Future<unknown>): void {
  checkFuture(t, f);
  const c = f.pendingClosure;
  if (c !== 0) requestCancel(t.heap, c + Closure.CANCEL);
}

// --- select ------------------------------------------------------------------

/** Points every future's SELECT word at `event`; returns the index of the
 * first that is already done, or -1. Registrations made before a done one
 * are undone before returning. */
function register(t: Threaded, futures: readonly Future<unknown>[], event: number): number {
  const i32 = t.heap.i32;
  for (let i = 0; i < futures.length; i++) {
    const c = futures[i].pendingClosure;
    if (c === 0) {
      unregister(t, futures, i);
      return i;
    }
    if (Atomics.exchange(i32, (c + Closure.SELECT) >> 2, event) === SELECT_DONE) {
      Atomics.store(i32, (c + Closure.SELECT) >> 2, SELECT_DONE);
      unregister(t, futures, i);
      return i;
    }
  }
  return -1;
}

/** Clears the registrations of futures[0..n); returns the lowest done index.
 * A future that finished meanwhile may be setting our event right now: wait
 * for its DONE, which it sets after, so no thread still holds our event when
 * it is freed (Zig's `Threaded.zig` leaves futures pointing at a dead event when select
 * is canceled). */
function unregister(t: Threaded, futures: readonly Future<unknown>[], n: number): number {
  const i32 = t.heap.i32;
  let first = -1;
  for (let i = 0; i < n; i++) {
    const c = futures[i].pendingClosure;
    if (c === 0) {
      if (first < 0) first = i;
      continue;
    }
    const prev = Atomics.exchange(i32, (c + Closure.SELECT) >> 2, 0);
    if (prev === SELECT_DONE) {
      Atomics.store(i32, (c + Closure.SELECT) >> 2, SELECT_DONE); // stays done for later selects
      doneEvent(t.heap, c).waitUncancelable();
      if (first < 0) first = i;
    }
  }
  return first;
}

/** A select's periodic check: reaps the threads of its futures that died,
 * and sets its event if one of them is done without having set it (a
 * thread ended between marking the closure's SELECT done and setting the
 * event leaves DONE to say so; the reaper, finding SELECT done, sets
 * nothing). */
function reapRunners(t: Threaded, futures: readonly Future<unknown>[], event: ResetEvent): void {
  for (const f of futures) {
    const c = f.pendingClosure;
    if (c === 0) continue;
    reapRunnerOf(t.heap, c, t.spawner);
    if (doneEvent(t.heap, c).isSet()) event.set();
  }
}

function check(t: Threaded, futures: readonly Future<unknown>[]): void {
  if (!Array.isArray(futures))
    throw new TypeError(`select takes an array of futures, not ${describe(futures)}`);
  if (futures.length === 0) throw new RangeError("select needs at least one future");
  for (let i = 0; i < futures.length; i++) {
    const f: unknown = futures[i];
    if (!(f instanceof Future))
      throw new TypeError(
        `select: item ${i} is ${describe(f)}, not a Future (io.async or io.concurrent)`,
      );
    checkFuture(t, f);
  }
}

export function select(t: Threaded, futures: readonly Future<unknown>[]): number {
  check(t, futures);
  const heap = t.heap;
  const ev = heap.allocZeroed(ResetEventLayout.BYTES);
  try {
    const ready = register(t, futures, ev);
    if (ready >= 0) return ready;
    let canceled: unknown;
    try {
      const event = embeddedResetEvent(heap, ev);
      traceWaitSite(WaitSite.SELECT);
      for (let r = 0; !event.waitBounded(reapCheckNs(r)); r++) reapRunners(t, futures, event);
    } catch (e) {
      canceled = e;
    }
    traceWaitSite(WaitSite.NONE);
    // On Canceled too: no future may keep pointing at our event.
    const first = unregister(t, futures, futures.length);
    if (canceled !== undefined) throw canceled;
    return first;
  } finally {
    heap.free(ev);
  }
}

export async function selectAsync(
  t: Threaded,
  futures: readonly Future<unknown>[],
): Promise<number> {
  check(t, futures);
  const heap = t.heap;
  const ev = heap.allocZeroed(ResetEventLayout.BYTES);
  try {
    const ready = register(t, futures, ev);
    if (ready >= 0) return ready;
    const event = embeddedResetEvent(heap, ev);
    try {
      await event.waitAsync(() => reapRunners(t, futures, event));
    } catch (e) {
      // Canceled (inside a task): the futures stay pending, unregistered.
      unregister(t, futures, futures.length);
      throw e;
    }
    return unregister(t, futures, futures.length);
  } finally {
    heap.free(ev);
  }
}
