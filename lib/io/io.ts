// `Io`: the interface every threaded-io call goes through, as Zig's std.Io —
// a `userdata` and a `vtable`, with methods that only forward. Any
// implementation (Threaded, a test double) can be injected wherever an `Io`
// is taken.
import { Canceled } from "./errors.ts";
import { Duration, Timeout, type ClockName, type Timestamp } from "./time.ts";
import type { VTable } from "./vtable.ts";
import type { Heap } from "../threaded/heap.ts";

export class Io<U = unknown> {
  constructor(
    readonly userdata: U,
    readonly vtable: VTable<U>,
  ) {}

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
    if (this.vtable.cancelRequested(this.userdata)) throw new Canceled();
  }

  /** The heap shared objects of this Io live in. */
  sharedHeap(): Heap {
    return this.vtable.sharedHeap(this.userdata);
  }
}
