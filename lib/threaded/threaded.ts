// `Threaded`: the thread-pool implementation of `Io` (Zig's
// std.Io.Threaded). This file owns its lifetime — the shared heap, the
// process's signal handlers, the two vtables — and how another thread
// attaches to it. The pool itself lands with the pool issue.
import { Io } from "../io/io.ts";
import type { VTable } from "../io/vtable.ts";
import type { ClockName, Timeout } from "../io/time.ts";
import { shim, shimPointers, adoptShimPointers, type ShimPointers } from "../ffi/shim.ts";
import { cancelRequested, forgetThread } from "./cancel.ts";
import { DEFAULT_HEAP_BYTES, DEFAULT_MAX_HEAP_BYTES, Heap } from "./heap.ts";
import { acquireSignals, releaseSignals } from "./signals.ts";
import * as sync from "./sync.ts";
import * as time from "./time.ts";

export interface ThreadedOptions {
  /** Initial shared-heap size in bytes (default 1 MiB). */
  readonly heapBytes?: number;
  /** The most the shared heap may grow to (default 1 GiB). */
  readonly maxHeapBytes?: number;
}

/** What a new thread needs to attach to a Threaded: sent in its start-up
 * message (a SharedArrayBuffer is shared, not copied, by postMessage). */
export interface ThreadedHandle {
  readonly heap: SharedArrayBuffer;
  readonly shim: ShimPointers;
}

export class Threaded {
  readonly heap: Heap;
  private readonly owner: boolean;
  private alive = true;
  private readonly ioFull: Io<Threaded>;
  private readonly ioNoNet: Io<Threaded>;

  private constructor(heap: Heap, owner: boolean) {
    this.heap = heap;
    this.owner = owner;
    this.ioFull = new Io(this, vtable);
    this.ioNoNet = new Io(this, vtableBasic);
  }

  static init(options: ThreadedOptions = {}): Threaded {
    shim(); // compile the shim on this thread before anything needs it
    const heap = Heap.create(
      options.heapBytes ?? DEFAULT_HEAP_BYTES,
      options.maxHeapBytes ?? DEFAULT_MAX_HEAP_BYTES,
    );
    acquireSignals(); // before any cancel can signal a thread
    return new Threaded(heap, true);
  }

  /** Attaches the calling thread (a Worker) to a Threaded made elsewhere. */
  static attach(handle: ThreadedHandle): Threaded {
    adoptShimPointers(handle.shim);
    return new Threaded(Heap.attach(handle.heap), false);
  }

  /** The start-up message for a thread that will `attach`. */
  handle(): ThreadedHandle {
    return { heap: this.heap.sab, shim: shimPointers() };
  }

  io(): Io<Threaded> {
    return this.ioFull;
  }

  /** As `io()`, with networking replaced by the seed's Unavailable entries. */
  ioBasic(): Io<Threaded> {
    return this.ioNoNet;
  }

  deinit(): void {
    if (!this.alive) return;
    this.alive = false;
    forgetThread(this.heap);
    if (this.owner) {
      const h = this.heap;
      shim().tio_watchdog_forget_range(h.addr(0), h.addr(h.sab.maxByteLength));
      releaseSignals();
    }
  }

  [Symbol.dispose](): void {
    this.deinit();
  }
}

const vtable: VTable<Threaded> = {
  cancelRequested: () => cancelRequested(),
  mutexLock: sync.mutexLock,
  mutexLockUncancelable: sync.mutexLockUncancelable,
  mutexUnlock: sync.mutexUnlock,
  conditionWait: (t, cond, m) => sync.conditionWaitWith(t.ioBasic(), cond, m, true),
  conditionWaitUncancelable: (t, cond, m) => sync.conditionWaitWith(t.ioBasic(), cond, m, false),
  conditionWake: sync.conditionWake,
  now: (_t: Threaded, clock: ClockName) => time.now(clock),
  sleep: (_t: Threaded, timeout: Timeout) => time.sleep(timeout),
  sharedHeap: (t) => t.heap,
};

const vtableBasic: VTable<Threaded> = { ...vtable };
