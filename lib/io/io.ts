// `Io`: the interface every threaded-io call goes through, as Zig's std.Io —
// a `userdata` and a `vtable`, with methods that only forward. Any
// implementation (Threaded, a test double) can be injected wherever an `Io`
// is taken.
import type { Future } from "./future.ts";
import { SHARED_REF, type SharedObject } from "./shared.ts";
import { Duration, Timeout, type ClockName, type Timestamp } from "./time.ts";
import type { AnyFn, VTable } from "./vtable.ts";
import type { Heap } from "../substrate/heap.ts";
import { raiseCanceled } from "../substrate/cancel.ts";

type Args<F> = F extends (...args: infer A) => unknown ? A : never;
type Result<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;
/** What `select` resolves futures to: their index. */
type FutureList = readonly Future<unknown>[];

/** `std.Io`: the interface every call takes first. A `userdata` and a `vtable`
 * of functions (the implementation, e.g. `Threaded`), with methods that only
 * forward: `async`, `concurrent`, `select`, `sleep`, `now`, cancelation
 * checks. It crosses to tasks as the same live object. */
export class Io<U = unknown> implements SharedObject {
  constructor(
    readonly userdata: U,
    readonly vtable: VTable<U>,
    /** How this Io travels to another thread (0: io(), 1: ioBasic()). */
    readonly sharedRef = 0,
  ) {}

  [SHARED_REF](): readonly ["io", number, number, number] {
    return ["io", this.sharedRef, 0, this.sharedHeap().base];
  }

  /**
   * Runs `fn(...args)` on a pool thread and returns its Future. Runs it
   * inline, before returning, when the async limit is reached, no thread
   * can be had, or its arguments do not fit the shared heap
   * (`maxHeapBytes`): Zig's rule, which runs a task inline when its closure
   * cannot be allocated. `fn` is a `task()` function or a plain function
   * that travels as source.
   */
  async<F extends AnyFn>(fn: F, ...args: Args<F>): Future<Result<F>> {
    return this.vtable.async(this.userdata, this, fn, args) as Future<Result<F>>;
  }

  /** As `async`, but never inline. Errors: ConcurrencyUnavailable (the
   * concurrent limit is reached, no thread could be started, or the
   * arguments did not fit the shared heap: the message says which, with
   * their size and the maximum). */
  concurrent<F extends AnyFn>(fn: F, ...args: Args<F>): Future<Result<F>> {
    return this.vtable.concurrent(this.userdata, this, fn, args) as Future<Result<F>>;
  }

  /** Blocks until one of `futures` is done; returns the lowest index that
   * is. The futures still need awaiting. Errors: Canceled. */
  select(futures: FutureList): number {
    return this.vtable.select(this.userdata, futures);
  }

  /** Non-blocking twin of `select`. */
  selectAsync(futures: FutureList): Promise<number> {
    return this.vtable.selectAsync(this.userdata, futures);
  }

  /** Inside a task: an AbortSignal that aborts (with `Canceled`) when the
   * task is canceled, for fetch and other Bun APIs. Outside a task it never
   * aborts. */
  abortSignal(): AbortSignal {
    return this.vtable.abortSignal(this.userdata);
  }

  /** Reads `clock` (Zig's `clock.now(io)`). Errors: UnsupportedClock, Unexpected. */
  now(clock: ClockName): Timestamp {
    return this.vtable.now(this.userdata, clock);
  }

  /** Sleeps for `duration` on `clock`. Errors: Canceled, UnsupportedClock, Unexpected. */
  sleep(duration: Duration, clock: ClockName = "awake"): void {
    this.vtable.sleep(this.userdata, Timeout.duration(duration, clock));
  }

  /** Sleeps as a `Timeout` says: none sleeps until canceled. */
  sleepTimeout(timeout: Timeout): void {
    this.vtable.sleep(this.userdata, timeout);
  }

  /** Whether the task calling this has a pending cancel request. */
  cancelRequested(): boolean {
    return this.vtable.cancelRequested(this.userdata);
  }

  /** Throws `Canceled` if the current task has a pending cancel request:
   * the cancelation point for pure JavaScript loops. */
  checkCancel(): void {
    if (this.vtable.cancelRequested(this.userdata)) raiseCanceled();
  }

  /** The heap shared objects of this Io live in. */
  sharedHeap(): Heap {
    return this.vtable.sharedHeap(this.userdata);
  }
}
