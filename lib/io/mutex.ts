// `Io.Mutex` in the shared heap. The fast paths are the interface's (an
// atomic AND to lock, a weak CAS to unlock) and run inline here; contention
// goes to the implementation's vtable (Zig's: mutexLock, mutexLockUncancelable,
// mutexUnlock). A Mutex travels to other threads as its heap reference, and
// is a checked handle (substrate/handle.ts): every call first checks that
// its block is still the one it was made for.
import { SHARED_REF, type SharedObject } from "./shared.ts";
import { BugError } from "./errors.ts";
import type { Io } from "./io.ts";
import type { Heap } from "../substrate/heap.ts";
import { futexWaitAsync, futexWaitAsyncCancelable } from "../substrate/futex.ts";
import { payOwedYield } from "../substrate/wake_yield.ts";
import { BlockKind, MutexLayout } from "../substrate/layout.ts";
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
import { CONTENDED, LOCKED_ONCE, lockFast, UNLOCKED, unlockFast } from "../substrate/mutex_word.ts";
import { heapOf } from "./io_arg.ts";

/** `Io.Mutex`: a mutual-exclusion lock in the shared heap, usable from every
 * thread (`Mutex.init(io)`). `lock(io)` blocks cancelably, `lockAsync` does
 * not block the event loop, `tryLock` never waits. Crosses to tasks as the
 * same lock. */
export class Mutex implements SharedObject {
  private readonly index: number;

  private constructor(
    key: typeof INTERNAL,
    readonly heap: Heap,
    /** Byte offset of the state word in the heap. */
    readonly ref: number,
    /** The block's generation (handle.ts), or EMBEDDED. */
    private gen: number,
  ) {
    checkInternal(key, "Mutex");
    this.index = ref >> 2;
  }

  static init(io: Io): Mutex {
    const heap = heapOf(io, "Mutex");
    const ref = heap.alloc(MutexLayout.BYTES, BlockKind.MUTEX);
    Atomics.store(heap.i32, (ref + MutexLayout.STATE) >> 2, UNLOCKED);
    return new Mutex(INTERNAL, heap, ref, heap.generation(ref));
  }

  /** The same mutex, seen from another thread of the same heap: `ref` and
   * `gen` as its handle carried them (`[ref, gen]` of its shared
   * reference). A BugError unless they name a live Mutex of `heap`. */
  static from(heap: Heap, ref: number, gen: number): Mutex {
    checkRef(heap, ref, gen, BlockKind.MUTEX, "Mutex");
    return new Mutex(INTERNAL, heap, ref, gen);
  }

  /** Throws a BugError unless the handle is live and `io` (if given) is of
   * its heap (substrate/handle.ts). */
  /** `check`, with `io` required: a TypeError naming what came instead of
   * it (an unlock without one released the lock and then threw before the
   * wake, leaving a waiter asleep for good). */
  private checkFor(io: unknown): void {
    this.check();
    checkSameHeap(this.heap, heapOf(io, "Mutex"), "Mutex");
  }

  check(io?: Io): void {
    checkHandle(this.heap, this.ref, this.gen, "Mutex");
    if (io !== undefined) checkSameHeap(this.heap, heapOf(io, "Mutex"), "Mutex");
  }

  tryLock(): boolean {
    this.check();
    return (lockFast(this.heap.i32, this.index) & UNLOCKED) !== 0;
  }

  /** Errors: Canceled. */
  lock(io: Io): void {
    this.checkFor(io);
    const prev = lockFast(this.heap.i32, this.index);
    if ((prev & UNLOCKED) !== 0) return;
    io.vtable.mutexLock(io.userdata, prev, this);
  }

  lockUncancelable(io: Io): void {
    this.checkFor(io);
    const prev = lockFast(this.heap.i32, this.index);
    if ((prev & UNLOCKED) !== 0) return;
    io.vtable.mutexLockUncancelable(io.userdata, prev, this);
  }

  unlock(io: Io): void {
    this.checkFor(io);
    const prev = unlockFast(this.heap.i32, this.index);
    if (prev === UNLOCKED) throw new BugError("Unlocking a mutex that is not locked");
    if (prev !== LOCKED_ONCE) io.vtable.mutexUnlock(io.userdata, prev, this);
    payOwedYield(); // a condition signalled under this lock (threaded/sync.ts)
  }

  /** Non-blocking twin of `lock` for code on an event loop. Inside a task
   * it is a cancelation point, as `lock` is: a cancel while it waits
   * rejects it with Canceled, the lock not taken. */
  lockAsync(): Promise<void> {
    return lockAsyncWith(this, true);
  }

  [SHARED_REF](): readonly ["mutex", number, number, number] {
    this.check();
    return ["mutex", this.ref, this.gen, this.heap.base];
  }

  /** Frees the mutex. Refused (a BugError, nothing freed) while it is
   * locked: its holder would unlock freed memory, and a waiter sleep on it. */
  deinit(): void {
    this.check();
    if (this.gen === EMBEDDED) throw new Error("An embedded mutex is freed with its owner");
    const state = Atomics.load(this.heap.i32, this.index);
    if (state !== UNLOCKED) {
      throw new BugError(
        `Mutex.deinit while it is locked${state === CONTENDED ? " and waited for" : ""}: unlock it first (and let its waiters return)`,
      );
    }
    this.gen = FREED_HERE;
    this.heap.free(this.ref);
  }

  [Symbol.dispose](): void {
    this.deinit();
  }
}

/** A mutex word inside another object, which checks its own handle. Not
 * exported from the package: an unchecked handle is the library's own. */
export function embeddedMutex(heap: Heap, ref: number): Mutex {
  return heapHandle(Mutex, heap, ref, EMBEDDED);
}

/** `Mutex.from` for a value that crossed the heap (the reviver): a handle
 * that went stale on the way arrives stale and throws at its first use. */
export function reviveMutex(heap: Heap, ref: number, gen: number): Mutex {
  checkRef(heap, ref, gen, BlockKind.MUTEX, "Mutex", true);
  return heapHandle(Mutex, heap, ref, gen);
}

/** `lockAsync`, or with `cancelable` false the twin of `lockUncancelable`
 * (a condition's relock after a canceled wait). Not exported from the
 * package. */
export async function lockAsyncWith(m: Mutex, cancelable: boolean): Promise<void> {
  m.check();
  const { heap, ref } = m;
  const index = ref >> 2;
  if ((lockFast(heap.i32, index) & UNLOCKED) !== 0) return;
  // Zig's slow path: from here on, only ever take the lock as CONTENDED.
  // Taking it with the fast path after a wake-up would store LOCKED_ONCE
  // while other waiters sleep, and the unlock would then wake none of
  // them (a lost wake: three async contenders hung). A canceled waiter
  // leaves CONTENDED behind: the next unlock wakes one waiter too many.
  for (;;) {
    if (Atomics.exchange(heap.i32, index, CONTENDED) === UNLOCKED) return;
    if (cancelable) await futexWaitAsyncCancelable(heap, ref, CONTENDED);
    else await futexWaitAsync(heap, ref, CONTENDED);
  }
}
