// `Io.Group`: tasks that are awaited (or canceled) together. Thread-safe to
// add to; `wait` and `cancel` are Zig's groupWait / groupCancel: if the
// waiting task is itself canceled, every member is canceled and the wait
// finishes uncancelably. Unlike Zig, where group functions cannot fail, a
// member that throws (other than `Canceled`) makes `wait` throw that error
// (an AggregateError when several did), so no failure is dropped. Errors
// are kept in the shared group, whichever thread added or ran the member.
// A group is reusable once waited.
//
// `using g = Group.init(io)` is Zig's `defer group.cancel(io)`: leaving the
// scope (normally or by an exception) cancels the members still running and
// waits for them before the memory is freed. A Group is a checked handle
// (substrate/handle.ts).
import { BugError } from "./errors.ts";
import type { Io } from "./io.ts";
import { SHARED_REF, type SharedObject } from "./shared.ts";
import type { Heap } from "../substrate/heap.ts";
import { BlockKind, GroupLayout } from "../substrate/layout.ts";
import {
  checkHandle,
  checkInternal,
  checkRef,
  checkSameHeap,
  FREED_HERE,
  INTERNAL,
  isLive,
} from "../substrate/handle.ts";
import { heapOf } from "./io_arg.ts";

type AnyFn = (...args: never[]) => unknown;
type Args<F> = F extends (...args: infer A) => unknown ? A : never;

/** `Io.Group`: tasks awaited or canceled together. Add members with `async`
 * or `concurrent` (from any thread), then `wait(io)` / `waitAsync(io)` or
 * `cancel(io)`. Crosses to tasks as the same live group. */
export class Group implements SharedObject {
  private constructor(
    key: typeof INTERNAL,
    readonly heap: Heap,
    readonly ref: number,
    /** The block's generation (substrate/handle.ts). */
    private gen: number,
    /** The io it was made with (or revived by): what dispose cancels with. */
    readonly io: Io,
  ) {
    checkInternal(key, "Group");
  }

  static init(io: Io): Group {
    const heap = heapOf(io, "Group");
    const ref = heap.allocZeroed(GroupLayout.BYTES, BlockKind.GROUP);
    return new Group(INTERNAL, heap, ref, heap.generation(ref), io);
  }

  /** The same group from another thread: `ref` and `gen` as its handle
   * carried them. A BugError unless they name a live Group of `io`'s heap. */
  static from(io: Io, ref: number, gen: number): Group {
    const heap = heapOf(io, "Group");
    checkRef(heap, ref, gen, BlockKind.GROUP, "Group");
    return new Group(INTERNAL, heap, ref, gen, io);
  }

  /** Throws a BugError unless the handle is live and `io` is of its heap. */
  /** `check`, with `io` required: a TypeError naming what came instead of
   * it (an unlock without one released the lock and then threw before the
   * wake, leaving a waiter asleep for good). */
  private checkFor(io: unknown): void {
    this.check();
    checkSameHeap(this.heap, heapOf(io, "Group"), "Group");
  }

  private check(io?: Io): void {
    checkHandle(this.heap, this.ref, this.gen, "Group");
    if (io !== undefined) checkSameHeap(this.heap, heapOf(io, "Group"), "Group");
  }

  [SHARED_REF](): readonly ["group", number, number, number] {
    this.check();
    return ["group", this.ref, this.gen, this.heap.base];
  }

  /** Runs `fn(...args)` as a member; it may run inline before this returns. */
  async<F extends AnyFn>(io: Io, fn: F, ...args: Args<F>): void {
    this.checkFor(io);
    io.vtable.groupAsync(io.userdata, this, fn, args);
  }

  /** As `async`, but never inline. Errors: ConcurrencyUnavailable. */
  concurrent<F extends AnyFn>(io: Io, fn: F, ...args: Args<F>): void {
    this.checkFor(io);
    io.vtable.groupConcurrent(io.userdata, this, fn, args);
  }

  /** Blocks until every member has finished, members added meanwhile
   * included; throws what members threw, except `Canceled`: a member
   * canceled (by `cancel`, or throwing `Canceled` itself) counts as
   * finished, as in Zig, where a group's tasks return nothing. */
  wait(io: Io): void {
    this.checkFor(io);
    io.vtable.groupWait(io.userdata, this);
  }

  /** Cancels every member, then waits for them. */
  cancel(io: Io): void {
    this.checkFor(io);
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
    this.checkFor(io);
    return io.vtable.groupWaitAsync(io.userdata, this);
  }

  /** Cancels the members the group has when `signal` aborts (nothing once
   * the group is gone). */
  cancelOn(io: Io, signal: AbortSignal): this {
    this.checkFor(io);
    const listener = () => {
      if (isLive(this.heap, this.ref, this.gen)) io.vtable.groupRequestCancel(io.userdata, this);
    };
    if (signal.aborted) listener();
    else signal.addEventListener("abort", listener, { once: true });
    return this;
  }

  /** Frees the group. Members must all have been waited for (or canceled):
   * freeing memory a member will still write is refused. */
  deinit(): void {
    this.check();
    const u32 = this.heap.u32;
    if (
      Atomics.load(this.heap.i32, (this.ref + GroupLayout.STATE) >> 2) !== 0 ||
      u32[(this.ref + GroupLayout.TOKEN) >> 2] !== 0
    ) {
      throw new BugError(
        "Group.deinit with members not yet waited for: call wait or cancel first (or `using`)",
      );
    }
    this.gen = FREED_HERE;
    this.heap.free(this.ref);
  }

  /** Zig's `defer group.cancel(io)`, then the memory is freed. A group this
   * handle already freed is left alone. */
  [Symbol.dispose](): void {
    if (this.gen === FREED_HERE) return;
    try {
      this.cancel(this.io);
    } finally {
      // Not freed if the cancel could not drain the group (a bug it reported).
      if (
        isLive(this.heap, this.ref, this.gen) &&
        Atomics.load(this.heap.i32, (this.ref + GroupLayout.STATE) >> 2) === 0 &&
        this.heap.u32[(this.ref + GroupLayout.TOKEN) >> 2] === 0
      ) {
        this.gen = FREED_HERE;
        this.heap.free(this.ref);
      }
    }
  }
}

/** `Group.from` for a value that crossed the heap (the reviver): a handle
 * that went stale on the way arrives stale and throws at its first use. */
export function reviveGroup(heap: Heap, io: Io, ref: number, gen: number): Group {
  // The heap given, not the io's: after deinit the io's vtable throws, and
  // a future's outcome holding a group is still decoded (after_deinit.ts).
  checkRef(heap, ref, gen, BlockKind.GROUP, "Group", true);
  type Make = new (key: typeof INTERNAL, heap: Heap, ref: number, gen: number, io: Io) => Group;
  return new (Group as unknown as Make)(INTERNAL, heap, ref, gen, io);
}
