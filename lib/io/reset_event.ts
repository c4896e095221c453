// ResetEvent in the shared heap (Zig's ResetEventFutex): a u32 that is
// UNSET 0, WAITING 1 (unset, with sleepers) or IS_SET 2. `set` wakes every
// waiter; memory written before `set` is visible to whoever sees it set.
// A standalone event (not one embedded in a closure or a select) also
// counts the calls waiting on it in a second word, so that `deinit` can
// refuse while one is: the word WAITING may stay after its waiters left (a
// timeout, a cancel), so it cannot tell.
import { SHARED_REF, type SharedObject } from "./shared.ts";
import type { Io } from "./io.ts";
import { Duration } from "./time.ts";
import type { Heap } from "../substrate/heap.ts";
import { BlockKind, ResetEventLayout } from "../substrate/layout.ts";
import {
  futexWait,
  futexWaitAsync,
  futexWaitTimeout,
  futexWaitUncancelable,
  futexWake,
  spinAt,
} from "../substrate/futex.ts";
import { SpinSite } from "../substrate/spin_policy.ts";
import { onWordChange } from "../substrate/keep_alive.ts";
import { BugError } from "./errors.ts";
import { watchWordCancel } from "../substrate/cancel.ts";
import { describe } from "./validate.ts";
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
import { checkIo, heapOf } from "./io_arg.ts";

export const UNSET = 0;
export const WAITING = 1;
export const IS_SET = 2;

/** The spin-history site of every ResetEvent wait on this thread. */
/** The spin-history site of ResetEvent waits (exported for specs). */
export const eventSite = new SpinSite();

/** `Io.ResetEvent`: a flag threads wait on until it is set
 * (`ResetEvent.init(io)`). `set()` wakes every waiter; memory written before
 * `set` is visible to whoever sees it set. `wait(io)` blocks cancelably,
 * `waitAsync()` does not block the event loop. */
export class ResetEvent implements SharedObject {
  private readonly index: number;
  /** The i32 index of the WAITERS word; -1 for an embedded event. */
  private readonly waitersIndex: number;

  private constructor(
    key: typeof INTERNAL,
    readonly heap: Heap,
    readonly ref: number,
    /** The block's generation (substrate/handle.ts), or EMBEDDED. */
    private gen: number,
  ) {
    checkInternal(key, "ResetEvent");
    this.index = (ref + ResetEventLayout.STATE) >> 2;
    this.waitersIndex = gen === EMBEDDED ? -1 : (ref + ResetEventLayout.WAITERS) >> 2;
  }

  static init(io: Io): ResetEvent {
    const heap = heapOf(io, "ResetEvent");
    const ref = heap.allocZeroed(ResetEventLayout.BYTES, BlockKind.RESET_EVENT);
    return new ResetEvent(INTERNAL, heap, ref, heap.generation(ref));
  }

  /** The same event from another thread: `ref` and `gen` as its handle
   * carried them. A BugError unless they name a live ResetEvent of `heap`. */
  static from(heap: Heap, ref: number, gen: number): ResetEvent {
    checkRef(heap, ref, gen, BlockKind.RESET_EVENT, "ResetEvent");
    return new ResetEvent(INTERNAL, heap, ref, gen);
  }

  private check(): void {
    if (this.gen !== EMBEDDED) checkHandle(this.heap, this.ref, this.gen, "ResetEvent");
  }

  isSet(): boolean {
    this.check();
    return Atomics.load(this.heap.i32, this.index) === IS_SET;
  }

  private prepare(): boolean {
    return prepareWait(this.heap.i32, this.index);
  }

  /** Counts a waiting call (not for an embedded event: its owner frees it). */
  private enter(): void {
    if (this.waitersIndex >= 0) Atomics.add(this.heap.i32, this.waitersIndex, 1);
  }

  private leave(): void {
    if (this.waitersIndex >= 0) Atomics.sub(this.heap.i32, this.waitersIndex, 1);
  }

  /** Blocks until set. Errors: Canceled. */
  wait(io: Io): void {
    this.check();
    if (this.gen !== EMBEDDED) checkSameHeap(this.heap, heapOf(io, "ResetEvent"), "ResetEvent");
    const off = this.index << 2;
    this.enter();
    try {
      while (this.prepare()) futexWait(this.heap, off, WAITING);
    } finally {
      this.leave();
    }
  }

  waitUncancelable(): void {
    this.check();
    const off = this.index << 2;
    this.enter();
    try {
      while (this.prepare()) futexWaitUncancelable(this.heap, off, WAITING);
    } finally {
      this.leave();
    }
  }

  /** Blocks until set or until `timeout` passes; true if set.
   * Errors: Canceled. */
  waitTimeout(io: Io, timeout: Duration, cancelable = true): boolean {
    this.check();
    checkIo(io, "ResetEvent");
    const deadline = io.now("awake").addDuration(timeout);
    const off = this.index << 2;
    this.enter();
    try {
      while (this.prepare()) {
        const left = io.now("awake").durationTo(deadline).nanoseconds;
        if (left <= 0n) return this.isSet();
        futexWaitTimeout(this.heap, off, WAITING, left, cancelable);
      }
      return true;
    } finally {
      this.leave();
    }
  }

  /** One bounded wait: returns once set (true) or after at most `ns`
   * nanoseconds, or a spurious wake-up (then false if still unset). No
   * clock is read: for periodic checks, not deadlines. */
  waitBounded(ns: bigint | number, cancelable = true): boolean {
    // NaN went through as a timeout of 0 and returned false at once.
    if (typeof ns === "number" && Number.isInteger(ns)) ns = BigInt(ns);
    if (typeof ns !== "bigint")
      throw new TypeError(
        `ResetEvent.waitBounded takes nanoseconds as a bigint (or an integer number), not ${describe(ns)}`,
      );
    this.check();
    if (!this.prepare()) return true;
    this.enter();
    try {
      futexWaitTimeout(this.heap, this.index << 2, WAITING, ns, cancelable);
    } finally {
      this.leave();
    }
    return this.isSet();
  }

  /** Non-blocking twin of `wait`. `check` runs at each keep-alive tick while
   * it waits (futexWaitAsync); the wait keeps the event loop alive. */
  waitAsync(check?: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.check();
      this.enter();
      // Inside a task, a cancelation point as `wait` is.
      const watch = watchWordCancel(this.heap, this.index << 2);
      onEventSet(
        this.heap,
        this.index << 2,
        check,
        (e) => {
          watch?.stop();
          this.leave();
          if (e === undefined) resolve();
          else reject(e);
        },
        watch?.canceled,
      );
    });
  }

  /** Non-blocking twin of waitTimeout: resolves true once set, false when
   * `ms` passed first. The wait itself is untimed (a timed waitAsync
   * busy-polls in Bun 1.4): a timer ends it with a notify, which other
   * async waiters of this event see as a spurious wake-up and re-check. */
  async waitAsyncTimeout(ms: number): Promise<boolean> {
    if (Number.isNaN(ms)) throw new RangeError("waitAsyncTimeout: the timeout is NaN");
    this.check();
    const off = this.index << 2;
    let expired = false;
    const timer =
      ms < 0x7fffffff
        ? setTimeout(
            () => {
              expired = true;
              Atomics.notify(this.heap.i32, this.index);
            },
            Math.max(0, ms),
          )
        : undefined;
    this.enter();
    try {
      while (this.prepare()) {
        if (expired) return this.isSet();
        await futexWaitAsync(this.heap, off, WAITING);
      }
      return true;
    } finally {
      this.leave();
      clearTimeout(timer);
    }
  }

  set(): void {
    this.check();
    if (Atomics.exchange(this.heap.i32, this.index, IS_SET) === WAITING) {
      futexWake(this.heap, this.index << 2, 0x7fffffff);
    }
  }

  /** Assumes no thread is blocked in `wait`. */
  reset(): void {
    this.check();
    Atomics.store(this.heap.i32, this.index, UNSET);
  }

  [SHARED_REF](): readonly ["reset_event", number, number, number] {
    this.check();
    return ["reset_event", this.ref, this.gen, this.heap.base];
  }

  /** Frees the event. Refused (a BugError, nothing freed) while a call
   * waits on it (`wait`, `waitAsync`, ...): it would wait on freed memory,
   * which the next block allocated there reuses. */
  deinit(): void {
    this.check();
    if (this.gen === EMBEDDED) throw new Error("An embedded event is freed with its owner");
    const waiting = Atomics.load(this.heap.i32, this.waitersIndex);
    if (waiting !== 0) {
      throw new BugError(
        `ResetEvent.deinit while ${waiting} waiter${waiting === 1 ? " is" : "s are"} waiting on it: set it or cancel them and let them return first`,
      );
    }
    this.gen = FREED_HERE;
    this.heap.free(this.ref);
  }

  [Symbol.dispose](): void {
    this.deinit();
  }
}

/** Announces a sleeper on the event word at i32[index]; returns false once
 * the event is set. It spins on UNSET first: if `set` comes within the
 * spin, the setter sees no sleeper and skips the wake syscall, and the
 * handoff costs ~1 µs. */
function prepareWait(i32: Int32Array, index: number): boolean {
  let state = Atomics.load(i32, index);
  // Only an unset event is worth a spin (a set one would count as a won
  // spin in the site's history without any spinning).
  if (state === UNSET && spinAt(eventSite, i32, index, UNSET)) state = Atomics.load(i32, index);
  if (state === IS_SET) return false;
  if (state === UNSET) return Atomics.compareExchange(i32, index, UNSET, WAITING) !== IS_SET;
  return true;
}

/** The callback form of `waitAsync` for the event whose state is at byte
 * `off`, handle already checked: `done()` runs once it is set (at once, if
 * it is), with a BugError if the heap was closed under the wait. The
 * awaits of futures use it so that one promise reaction, not one per
 * layer, stands between the wake-up and the result (keep_alive.ts). */
export function onEventSet(
  heap: Heap,
  off: number,
  check: (() => void) | undefined,
  done: (error?: Error) => void,
  stopped?: () => Error | undefined,
): void {
  const again = (e?: BugError): void => {
    if (e !== undefined) return done(e);
    if (!prepareWait(heap.i32, off >> 2)) return done(); // set: that wins over a cancel
    const why = stopped?.();
    if (why !== undefined) done(why);
    else onWordChange(heap, off, WAITING, check, again);
  };
  again();
}

/** `set` at a task's end (closure.ts `publish`), by the event's ref: wakes
 * without yielding now (wake_yield.ts, "next"); true if it woke another
 * thread's waiter. */
export function setAtTaskEnd(heap: Heap, ref: number): boolean {
  const index = (ref + ResetEventLayout.STATE) >> 2;
  if (Atomics.exchange(heap.i32, index, IS_SET) !== WAITING) return false;
  return futexWake(heap, index << 2, 0x7fffffff, "next");
}

/** An event inside another object (a closure's DONE, a select's event),
 * which checks its own handle. Not exported from the package. */
export function embeddedResetEvent(heap: Heap, ref: number): ResetEvent {
  return heapHandle(ResetEvent, heap, ref, EMBEDDED);
}

/** `ResetEvent.from` for a value that crossed the heap (the reviver): a handle
 * that went stale on the way arrives stale and throws at its first use. */
export function reviveResetEvent(heap: Heap, ref: number, gen: number): ResetEvent {
  checkRef(heap, ref, gen, BlockKind.RESET_EVENT, "ResetEvent", true);
  return heapHandle(ResetEvent, heap, ref, gen);
}
