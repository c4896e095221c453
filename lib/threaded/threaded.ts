// `Threaded`: the thread-pool implementation of `Io` (Zig's
// std.Io.Threaded). This file owns its lifetime — the shared heap, the
// process's signal handlers, the pool's limits, spawning pool threads, the
// two vtables — and how another thread attaches to it. The pieces live
// beside it: pool.ts (queue, spawn rule, join), closure.ts, futures.ts,
// groups.ts, sync.ts, time.ts, cancel.ts.
import { availableParallelism } from "node:os";
import { Io } from "../io/io.ts";
import { Condition } from "../io/condition.ts";
import { Group } from "../io/group.ts";
import { Queue } from "../io/queue.ts";
import { Dir } from "../fs/dir.ts";
import { File } from "../fs/file.ts";
import { Mutex } from "../io/mutex.ts";
import { ResetEvent } from "../io/reset_event.ts";
import type { SharedKind } from "../io/shared.ts";
import type { VTable } from "../io/vtable.ts";
import type { ClockName, Timeout } from "../io/time.ts";
import { shim, shimPointers, adoptShimPointers, type ShimPointers } from "../ffi/shim.ts";
import { abortSignal, cancelRequested, forgetThread } from "../substrate/cancel.ts";
import {
  DEFAULT_HEAP_BYTES,
  DEFAULT_MAX_HEAP_BYTES,
  Heap,
  type HeapStats,
} from "../substrate/heap.ts";
import { nativeMemoryStats, type NativeMemoryStats } from "../substrate/native_memory.ts";
import { Pool } from "../substrate/layout.ts";
import { initPool, join, poolCount, setLimit, UNLIMITED } from "./pool.ts";
import { reapAll } from "./reaper.ts";
import { acquireSignals, releaseSignals } from "./signals.ts";
import type { Reviver } from "../substrate/codec.ts";
import "./value_classes.ts";
import * as fs from "./fs.ts";
import * as net from "./net.ts";
import * as netInterface from "./net_interface.ts";
import * as lookup from "./lookup.ts";
import { unavailable } from "./net_unavailable.ts";
import * as futures from "./futures.ts";
import * as groups from "./groups.ts";
import * as sync from "./sync.ts";
import * as time from "./time.ts";

export interface ThreadedOptions {
  /** Pool threads for `async` (default: CPU count − 1, as the seed).
   * Infinity means unlimited. */
  readonly asyncLimit?: number;
  /** Pool threads for `concurrent` (default: unlimited). */
  readonly concurrentLimit?: number;
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

const workerUrl = new URL("./worker_entry.ts", import.meta.url).href;

function toLimit(n: number | undefined, fallback: number): number {
  const v = n ?? fallback;
  if (v === Infinity) return UNLIMITED;
  if (!Number.isInteger(v) || v < 0 || v >= 0xffffffff)
    throw new RangeError(`Limit "${v}" is not a count of threads`);
  return v | 0;
}

export class Threaded {
  readonly heap: Heap;
  private readonly owner: boolean;
  private alive = true;
  private readonly ioFull: Io<Threaded>;
  private readonly ioNoNet: Io<Threaded>;
  private revive: Reviver | undefined;
  /** Starts one pool thread; bound, so the pool can call it. */
  readonly spawner: () => boolean;

  private constructor(heap: Heap, owner: boolean) {
    this.heap = heap;
    this.owner = owner;
    this.ioFull = new Io(this, vtable, 0);
    this.ioNoNet = new Io(this, vtableBasic, 1);
    this.spawner = () => this.spawn();
  }

  static init(options: ThreadedOptions = {}): Threaded {
    shim(); // compile the shim on this thread before anything needs it
    const cpus = availableParallelism();
    const asyncLimit = toLimit(options.asyncLimit, Math.max(0, cpus - 1));
    const concurrentLimit = toLimit(options.concurrentLimit, Infinity);
    const heap = Heap.create(
      options.heapBytes ?? DEFAULT_HEAP_BYTES,
      options.maxHeapBytes ?? DEFAULT_MAX_HEAP_BYTES,
    );
    initPool(heap, asyncLimit, concurrentLimit);
    acquireSignals(); // before any cancel can signal a thread
    return new Threaded(heap, true);
  }

  /** The seed's `init_single_threaded`: `async` always runs inline and
   * `concurrent` fails with ConcurrencyUnavailable. */
  static initSingleThreaded(
    options: Pick<ThreadedOptions, "heapBytes" | "maxHeapBytes"> = {},
  ): Threaded {
    return Threaded.init({ ...options, asyncLimit: 0, concurrentLimit: 0 });
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

  setAsyncLimit(limit: number): void {
    setLimit(this.heap, Pool.ASYNC_LIMIT, toLimit(limit, 0));
  }

  setConcurrentLimit(limit: number): void {
    setLimit(this.heap, Pool.CONCURRENT_LIMIT, toLimit(limit, 0));
  }

  /** Pool threads running now, tasks queued or running, threads ever
   * spawned, and tasks ever handed to the pool (the others ran inline). */
  poolStats(): { threads: number; busy: number; spawnedTotal: number; dispatchedTotal: number } {
    return {
      threads: poolCount(this.heap, Pool.POOL_SIZE),
      busy: poolCount(this.heap, Pool.BUSY),
      spawnedTotal: poolCount(this.heap, Pool.SPAWNED_TOTAL),
      dispatchedTotal: poolCount(this.heap, Pool.DISPATCHED_TOTAL) >>> 0,
    };
  }

  /** Memory: the shared heap (its arena's high-water mark included), and
   * the blocks outside it — SharedBytes and big copied values — which the
   * whole process shares and which go back to the kernel when freed. */
  memoryStats(): { heap: HeapStats & { highWater: number }; outside: NativeMemoryStats } {
    return {
      heap: { ...this.heap.stats(), highWater: this.heap.highWater() },
      outside: nativeMemoryStats(),
    };
  }

  /** Turns a shared reference from another thread into a live object. */
  reviver(): Reviver {
    return (this.revive ??= (kind: SharedKind, ref: number): unknown => {
      switch (kind) {
        case "io":
          return ref === 1 ? this.ioNoNet : this.ioFull;
        case "mutex":
          return Mutex.from(this.heap, ref);
        case "condition":
          return Condition.from(this.heap, ref);
        case "reset_event":
          return ResetEvent.from(this.heap, ref);
        case "group":
          return Group.from(this.heap, ref);
        case "queue":
          return Queue.from(this.heap, ref);
        case "file":
          return new File(ref);
        case "dir":
          return new Dir(ref);
        default:
          throw new TypeError(`Cannot revive a shared "${kind}" yet`);
      }
    });
  }

  private spawn(): boolean {
    let worker: Worker;
    try {
      worker = new Worker(workerUrl);
    } catch {
      return false;
    }
    worker.unref(); // a forgotten deinit must not keep the process alive
    // A thread that dies in a task is reaped by whoever waits (reaper.ts);
    // its error event must not become an uncaught error here.
    worker.addEventListener("error", (e) => e.preventDefault());
    worker.postMessage({ handle: this.handle() });
    return true;
  }

  /** Waits for every pool thread to finish its work and leave (the seed's
   * join), then restores the signal handlers. Blocks the calling thread. */
  deinit(): void {
    if (!this.alive) return;
    this.alive = false;
    if (!this.owner) {
      forgetThread(this.heap);
      return;
    }
    join(this.heap, () => reapAll(this.heap, this.spawner));
    forgetThread(this.heap);
    const h = this.heap;
    shim().tio_watchdog_forget_range(h.addr(0), h.addr(h.sab.maxByteLength));
    releaseSignals();
  }

  [Symbol.dispose](): void {
    this.deinit();
  }
}

const vtable: VTable<Threaded> = {
  async: futures.async,
  concurrent: futures.concurrent,
  await: futures.awaitFuture,
  cancel: futures.cancelFuture,
  cancelRequested: () => cancelRequested(),
  select: futures.select,
  groupAsync: groups.groupAsync,
  groupConcurrent: groups.groupConcurrent,
  groupWait: groups.groupWait,
  groupCancel: groups.groupCancel,
  mutexLock: sync.mutexLock,
  mutexLockUncancelable: sync.mutexLockUncancelable,
  mutexUnlock: sync.mutexUnlock,
  conditionWait: (t, cond, m) => sync.conditionWaitWith(t.ioBasic(), cond, m, true),
  conditionWaitUncancelable: (t, cond, m) => sync.conditionWaitWith(t.ioBasic(), cond, m, false),
  conditionWake: sync.conditionWake,
  dirMake: fs.dirMake,
  dirMakePath: fs.dirMakePath,
  dirMakeOpenPath: fs.dirMakeOpenPath,
  dirStat: fs.dirStat,
  dirStatPath: fs.dirStatPath,
  fileStat: fs.fileStat,
  dirAccess: fs.dirAccess,
  dirCreateFile: fs.dirCreateFile,
  dirOpenFile: fs.dirOpenFile,
  dirOpenDir: fs.dirOpenDir,
  dirClose: fs.dirClose,
  fileClose: fs.fileClose,
  fileWriteStreaming: fs.fileWriteStreaming,
  fileWritePositional: fs.fileWritePositional,
  fileReadStreaming: fs.fileReadStreaming,
  fileReadPositional: fs.fileReadPositional,
  fileSeekBy: fs.fileSeekBy,
  fileSeekTo: fs.fileSeekTo,
  openSelfExe: fs.openSelfExe,
  now: (_t: Threaded, clock: ClockName) => time.now(clock),
  sleep: (_t: Threaded, timeout: Timeout) => time.sleep(timeout),
  netListenIp: net.netListenIp,
  netListenUnix: net.netListenUnix,
  netAccept: net.netAccept,
  netBindIp: net.netBindIp,
  netConnectIp: net.netConnectIp,
  netConnectUnix: net.netConnectUnix,
  netClose: net.netClose,
  netRead: net.netRead,
  netWrite: net.netWrite,
  netSend: net.netSend,
  netReceive: net.netReceive,
  netInterfaceNameResolve: netInterface.netInterfaceNameResolve,
  netInterfaceName: netInterface.netInterfaceName,
  netLookup: (t, host, queue, options) => lookup.netLookup(t.io(), host, queue, options),
  awaitAsync: futures.awaitFutureAsync,
  isDone: futures.isDone,
  requestCancel: futures.requestFutureCancel,
  selectAsync: futures.selectAsync,
  groupWaitAsync: groups.groupWaitAsync,
  groupRequestCancel: groups.groupRequestCancel,
  abortSignal: () => abortSignal(),
  sharedHeap: (t) => t.heap,
  revive: (t, kind, ref) => t.reviver()(kind, ref),
};

const vtableBasic: VTable<Threaded> = { ...vtable, ...unavailable };
