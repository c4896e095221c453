// `Io.Group`: tasks that are awaited (or canceled) together. Thread-safe to
// add to; `wait` and `cancel` are the seed's groupWait / groupCancel: if the
// waiting task is itself canceled, every member is canceled and the wait
// finishes uncancelably. Unlike Zig, where group functions cannot fail, a
// member that throws (other than `Canceled`) makes `wait` throw that error
// (an AggregateError when several did), so no failure is dropped. A group
// is reusable once waited.
import type { Io } from "./io.ts";
import { SHARED_REF, type SharedObject } from "./shared.ts";
import type { Heap } from "../substrate/heap.ts";
import { GroupLayout } from "../substrate/layout.ts";

type AnyFn = (...args: never[]) => unknown;
type Args<F> = F extends (...args: infer A) => unknown ? A : never;

/** `Io.Group`: tasks awaited or canceled together. Add members with `async`
 * or `concurrent` (from any thread), then `wait(io)` / `waitAsync(io)` or
 * `cancel(io)`. Crosses to tasks as the same live group. */
export class Group implements SharedObject {
  /** Errors of members that ran inline on this thread. */
  readonly inlineErrors: unknown[] = [];

  private constructor(
    readonly heap: Heap,
    readonly ref: number,
  ) {}

  static init(io: Io): Group {
    const heap = io.sharedHeap();
    return new Group(heap, heap.allocZeroed(GroupLayout.BYTES));
  }

  static from(heap: Heap, ref: number): Group {
    return new Group(heap, ref);
  }

  [SHARED_REF](): readonly ["group", number] {
    return ["group", this.ref];
  }

  /** Runs `fn(...args)` as a member; it may run inline before this returns. */
  async<F extends AnyFn>(io: Io, fn: F, ...args: Args<F>): void {
    io.vtable.groupAsync(io.userdata, this, fn, args);
  }

  /** As `async`, but never inline. Errors: ConcurrencyUnavailable. */
  concurrent<F extends AnyFn>(io: Io, fn: F, ...args: Args<F>): void {
    io.vtable.groupConcurrent(io.userdata, this, fn, args);
  }

  /** Blocks until every member has finished. */
  wait(io: Io): void {
    io.vtable.groupWait(io.userdata, this);
  }

  /** Cancels every member, then waits for them. */
  cancel(io: Io): void {
    io.vtable.groupCancel(io.userdata, this);
  }

  /** Requests cancelation of every member the group has now and returns at
   * once, without waiting: each member's next cancelable call (or the one it
   * is blocked in) throws `Canceled`. The group must still be waited (or
   * canceled). Zig has no such call; `cancel` is this plus `wait`. */
  requestCancel(io: Io): void {
    io.vtable.groupRequestCancel(io.userdata, this);
  }

  /** Non-blocking twin of `wait`. */
  waitAsync(io: Io): Promise<void> {
    return io.vtable.groupWaitAsync(io.userdata, this);
  }

  /** Cancels the members the group has when `signal` aborts. */
  cancelOn(io: Io, signal: AbortSignal): this {
    const listener = () => io.vtable.groupRequestCancel(io.userdata, this);
    if (signal.aborted) listener();
    else signal.addEventListener("abort", listener, { once: true });
    return this;
  }

  deinit(): void {
    this.heap.free(this.ref);
  }

  [Symbol.dispose](): void {
    this.deinit();
  }
}
