// `Io.Condition` in the shared heap: a u32 state (waiters in bits 0–15,
// reserved signals in bits 16–31) and a u32 epoch that waiters sleep on, as
// Zig's `Threaded.zig` splits the u64. The blocking calls go through the vtable; the
// non-blocking twin `waitAsync` runs the same algorithm on Atomics.waitAsync.
import { SHARED_REF, type SharedObject } from "./shared.ts";
import { BugError, Canceled } from "./errors.ts";
import type { Io } from "./io.ts";
import { lockAsyncWith, Mutex } from "./mutex.ts";
import { describe } from "./validate.ts";
import type { Heap } from "../substrate/heap.ts";
import { BlockKind, ConditionLayout } from "../substrate/layout.ts";
import { futexWaitAsyncCancelable } from "../substrate/futex.ts";
import {
  checkHandle,
  checkInternal,
  checkRef,
  checkSameHeap,
  EMBEDDED,
  FREED_HERE,
  INTERNAL,
  heapHandle,
} from "../substrate/handle.ts";
import { heapOf } from "./io_arg.ts";

export const ONE_WAITER = 1;
export const WAITER_MASK = 0xffff;
export const ONE_SIGNAL = 1 << 16;

/** `Io.Condition`: a condition variable used with a `Mutex`, in the shared
 * heap (`Condition.init(io)`): `wait(io, mutex)`, `signal`, `broadcast`,
 * and the non-blocking `waitAsync`. Crosses to tasks as the same object. */
export class Condition implements SharedObject {
  private constructor(
    key: typeof INTERNAL,
    readonly heap: Heap,
    readonly ref: number,
    /** The block's generation (substrate/handle.ts), or EMBEDDED. */
    private gen: number,
  ) {
    checkInternal(key, "Condition");
  }

  static init(io: Io): Condition {
    const heap = heapOf(io, "Condition");
    const ref = heap.allocZeroed(ConditionLayout.BYTES, BlockKind.CONDITION);
    return new Condition(INTERNAL, heap, ref, heap.generation(ref));
  }

  /** The same condition from another thread: `ref` and `gen` as its handle
   * carried them. A BugError unless they name a live Condition of `heap`. */
  static from(heap: Heap, ref: number, gen: number): Condition {
    checkRef(heap, ref, gen, BlockKind.CONDITION, "Condition");
    return new Condition(INTERNAL, heap, ref, gen);
  }

  /** `check`, with `io` required: a TypeError naming what came instead of
   * it (an unlock without one released the lock and then threw before the
   * wake, leaving a waiter asleep for good). */
  private checkFor(io: unknown): void {
    this.check();
    checkSameHeap(this.heap, heapOf(io, "Condition"), "Condition");
  }

  private check(io?: Io): void {
    checkHandle(this.heap, this.ref, this.gen, "Condition");
    if (io !== undefined) checkSameHeap(this.heap, heapOf(io, "Condition"), "Condition");
  }

  get stateOffset(): number {
    return this.ref + ConditionLayout.STATE;
  }
  get epochOffset(): number {
    return this.ref + ConditionLayout.EPOCH;
  }

  /** Waiters currently counted (for tests of Zig's leak fix). */
  waiters(): number {
    this.check();
    return Atomics.load(this.heap.i32, this.stateOffset >> 2) & WAITER_MASK;
  }

  /** Errors: Canceled (the mutex is locked again before it is thrown). */
  wait(io: Io, mutex: Mutex): void {
    this.checkFor(io);
    checkMutex(mutex, "wait");
    mutex.check(io); // before the waiter is counted
    io.vtable.conditionWait(io.userdata, this, mutex);
  }

  waitUncancelable(io: Io, mutex: Mutex): void {
    this.checkFor(io);
    checkMutex(mutex, "waitUncancelable");
    mutex.check(io); // before the waiter is counted
    io.vtable.conditionWaitUncancelable(io.userdata, this, mutex);
  }

  signal(io: Io): void {
    this.checkFor(io);
    io.vtable.conditionWake(io.userdata, this, "one");
  }

  broadcast(io: Io): void {
    this.checkFor(io);
    io.vtable.conditionWake(io.userdata, this, "all");
  }

  /** Non-blocking twin of `wait`: unlocks `mutex`, resolves once signalled
   * with `mutex` locked again. */
  async waitAsync(io: Io, mutex: Mutex): Promise<void> {
    this.checkFor(io);
    checkMutex(mutex, "waitAsync");
    mutex.check(io); // before the waiter is counted
    const signalled = awaitSignal(this, io, mutex); // counted and unlocked now
    try {
      await signalled;
    } finally {
      // Uncancelably, as Zig relocks after a canceled wait: the caller
      // gets its Canceled with the mutex held.
      await lockAsyncWith(mutex, false);
    }
  }

  [SHARED_REF](): readonly ["condition", number, number, number] {
    this.check();
    return ["condition", this.ref, this.gen, this.heap.base];
  }

  /** Frees the condition. Refused (a BugError, nothing freed) while a
   * waiter is counted: it would wake on freed memory. */
  deinit(): void {
    this.check();
    if (this.gen === EMBEDDED) throw new Error("An embedded condition is freed with its owner");
    const waiting = Atomics.load(this.heap.i32, this.stateOffset >> 2) & WAITER_MASK;
    if (waiting !== 0) {
      throw new BugError(
        `Condition.deinit while ${waiting} waiter${waiting === 1 ? " is" : "s are"} waiting on it: wake them (signal/broadcast) or cancel them and let them return first`,
      );
    }
    this.gen = FREED_HERE;
    this.heap.free(this.ref);
  }

  [Symbol.dispose](): void {
    this.deinit();
  }
}

/** The mutex argument of a wait, before any method is called on it. */
function checkMutex(mutex: unknown, where: string): void {
  if (!(mutex instanceof Mutex))
    throw new TypeError(`Condition.${where}: ${describe(mutex)} is not a Mutex (Mutex.init(io))`);
}

/** A condition inside another object (a queue's waiter record), which
 * checks its own handle. Not exported from the package. */
export function embeddedCondition(heap: Heap, ref: number): Condition {
  return heapHandle(Condition, heap, ref, EMBEDDED);
}

/** `Condition.from` for a value that crossed the heap (the reviver): a handle
 * that went stale on the way arrives stale and throws at its first use. */
export function reviveCondition(heap: Heap, ref: number, gen: number): Condition {
  checkRef(heap, ref, gen, BlockKind.CONDITION, "Condition", true);
  return heapHandle(Condition, heap, ref, gen);
}

/** `waitAsync` without the relock: counts a waiter and unlocks `mutex` at
 * once (before it returns its promise), and resolves once signalled, with
 * `mutex` still unlocked. For a caller that retakes the lock itself in the
 * same synchronous run as the code that follows (Queue's async twins): a
 * lock taken inside a promise is held across the ticks until its awaiter
 * resumes, and a blocking call of the same thread in between waits forever. */
export function awaitSignal(cond: Condition, io: Io, mutex: Mutex): Promise<void> {
  const i32 = cond.heap.i32;
  const s = cond.stateOffset >> 2;
  const epoch = Atomics.load(i32, cond.epochOffset >> 2);
  Atomics.add(i32, s, ONE_WAITER);
  try {
    mutex.unlock(io);
  } catch (e) {
    // Not locked by the caller: thrown here, before any await, so that
    // waitAsync does not relock a mutex its caller never held; the waiter
    // is given back.
    Atomics.sub(i32, s, ONE_WAITER);
    throw e;
  }
  return signalAfter(cond, epoch);
}

async function signalAfter(cond: Condition, epoch: number): Promise<void> {
  const heap = cond.heap;
  const i32 = heap.i32;
  const s = cond.stateOffset >> 2;
  for (;;) {
    // A cancelation point inside a task, as the blocking wait is: the
    // waiter is given back before the Canceled goes on.
    try {
      await futexWaitAsyncCancelable(heap, cond.epochOffset, epoch);
    } catch (e) {
      if (e instanceof Canceled) giveBackWaiter(i32, s);
      throw e;
    }
    epoch = Atomics.load(i32, cond.epochOffset >> 2);
    let state = Atomics.load(i32, s);
    while (state >>> 16 !== 0) {
      const prev = Atomics.compareExchange(i32, s, state, state - ONE_WAITER - ONE_SIGNAL);
      if (prev === state) return;
      state = prev;
    }
  }
}

/**
 * A waiter that leaves without being signalled (a cancel) takes itself off
 * the count, which Zig's `Threaded.zig` leaks. Signals never outnumber
 * waiters; if every waiter (this one included) already has a signal
 * reserved, it takes one with it so that stays true. Otherwise the pending
 * signals belong to the waiters that remain, and none is lost.
 */
export function giveBackWaiter(i32: Int32Array, s: number): void {
  for (;;) {
    const state = Atomics.load(i32, s);
    const waiters = state & WAITER_MASK;
    const signals = state >>> 16;
    const next = signals >= waiters ? state - ONE_WAITER - ONE_SIGNAL : state - ONE_WAITER;
    if (Atomics.compareExchange(i32, s, state, next) === state) return;
  }
}
