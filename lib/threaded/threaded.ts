// `Threaded`: the thread-pool implementation of `Io` (Zig's
// std.Io.Threaded). This file owns its lifetime — the shared heap, the
// process's signal handlers, the pool's limits, spawning pool threads, the
// two vtables — and how another thread attaches to it. The pieces live
// beside it: pool.ts (queue, spawn rule, join), closure.ts, futures.ts,
// groups.ts, sync.ts, time.ts, cancel.ts.
import { bundled } from "../bundle.ts";
import { firstPoolFailed, firstPoolSpare, type SpareThread } from "./spare_thread.ts";
import { Io } from "../io/io.ts";
import { BugError } from "../io/errors.ts";
import type { VTable } from "../io/vtable.ts";
import type { ClockName, Timeout } from "../io/time.ts";
import {
  adoptShimPointers,
  checkShimPointers,
  shim,
  shimPointers,
  type ShimPointers,
} from "../ffi/shim.ts";
import { abortSignal, cancelRequested, forgetThread } from "../substrate/cancel.ts";
import { Heap, type HeapStats } from "../substrate/heap.ts";
import { nativeMemoryStats, type NativeMemoryStats } from "../substrate/native_memory.ts";
import { Pool } from "../substrate/layout.ts";
import {
  countStarting,
  initPool,
  join,
  poolCount,
  setIdleTimeout,
  setLimit,
  type Spawner,
} from "./pool.ts";
import {
  reapAll,
  releaseStartingThread,
  startingSlot,
  type StartingSlot,
  writeOffStarting,
} from "./reaper.ts";
import { requestSpawn, tendSpawnHost } from "./spawn_host.ts";
import { releaseAll } from "./in_flight.ts";
import { AT_DEINIT, reportUnseenFailures } from "./unseen_failures.ts";
import {
  closeThreadList,
  GONE,
  nameStartingThread,
  newThreadId,
  openThreadList,
  threadIds,
} from "./worker_tid.ts";
import { STAYS_ON_THREAD } from "../substrate/crossing.ts";
import { makeReviver } from "./revive.ts";
import { setKeepAlive, wakeAsyncWaiters, type Holder } from "../substrate/keep_alive.ts";
import { acquireSignals, releaseSignals } from "./signals.ts";
import type { Reviver } from "../substrate/codec.ts";
import { stopOutsideTask, TaskModuleStop, taskModuleLoading } from "../substrate/tasks.ts";
import "./value_classes.ts";
import * as fs from "./fs.ts";
import { dirRead } from "./dir_read.ts";
import * as net from "./net.ts";
import * as datagram from "./net_datagram.ts";
import * as netInterface from "./net_interface.ts";
import * as lookup from "./lookup.ts";
import { unavailable } from "./net_unavailable.ts";
import * as futures from "./futures.ts";
import * as groups from "./groups.ts";
import * as sync from "./sync.ts";
import * as time from "./time.ts";
import { readStats, type ThreadedStats } from "./stats.ts";
import {
  checkTraceOptions,
  checkTracePath,
  startTrace,
  stopTrace,
  type TraceOptions,
  type TraceSummary,
} from "./trace_writer.ts";
import { withIoTracing } from "./trace_io.ts";
import { retiredVtable } from "./after_deinit.ts";
import { reportStalledJoin } from "./join_report.ts";
import {
  checkOptionNames,
  checkSingleThreadedNames,
  DEFAULT_IDLE_TIMEOUT_MS,
  heapSizes,
  toIdleTimeout,
  toLimit,
  type ThreadedOptions,
} from "./options.ts";

export type { ThreadedOptions } from "./options.ts";
import { traceSpawn, tracing } from "../substrate/trace.ts";

/** What a new thread needs to attach to a Threaded: sent in its start-up
 * message (a SharedArrayBuffer is shared, not copied, by postMessage). */
export interface ThreadedHandle {
  readonly heap: SharedArrayBuffer;
  readonly shim: ShimPointers;
}

// The pool thread's entry module, beside the library's index: lib/ from the
// sources (this file is lib/threaded/threaded.ts), dist/ in the package's
// bundle (this code is in dist/index.js).
const workerUrl = new URL(bundled ? "./pool_thread.js" : "../pool_thread.ts", import.meta.url).href;
const hostUrl = new URL(
  bundled ? "./spawn_host_thread.js" : "./spawn_host_thread.ts",
  import.meta.url,
).href;

/** `std.Io.Threaded`: the thread-pool implementation of `Io`. `Threaded.init()`
 * makes the pool (threads start on demand; only a thread's first pool
 * starts its first thread at once, to load while `init` compiles, and
 * ends it after `idleTimeout` if no task came) and `io()` gives the `Io`
 * to pass around; `deinit()` (or `using threaded = Threaded.init()`) joins
 * every pool thread. One per program is usual; several may coexist. */
export class Threaded {
  readonly heap: Heap;
  // Made by `Threaded.init` on this thread: the only instance whose deinit
  // joins the pool and closes the heap.
  private readonly owner: boolean;
  // A pool thread's own instance (attachPoolThread): the library's, so a
  // task calling its deinit is refused.
  private poolThread = false;
  private alive = true;
  private readonly ioFull: Io<Threaded>;
  private readonly ioNoNet: Io<Threaded>;
  private revive: Reviver | undefined;
  /** Starts one pool thread; bound, so the pool can call it. */
  readonly spawner: Spawner;
  /** Tasks and groups this thread started that hold its event loop open
   * (in_flight.ts), by closure (groups: by −ref). */
  readonly inFlight = new Map<number, Holder>();
  /** Threads this thread spawned that have not ended yet. */
  private children = 0;
  /** The first pool thread, started by `init` before the pool needed it. */
  private spare: SpareThread | undefined;
  /** The owner's spawn host, once started. */
  private spawnHost: Worker | undefined;
  /** Where deinit writes the trace `init({ trace: { path } })` started. */
  private tracePath: string | undefined;

  private constructor(heap: Heap, owner: boolean) {
    this.heap = heap;
    this.owner = owner;
    this.ioFull = new Io(this, vtable, 0);
    this.ioNoNet = new Io(this, vtableBasic, 1);
    const spawner: Spawner = () => this.spawn();
    if (owner) spawner.tend = () => this.tendHost(false);
    this.spawner = spawner;
  }

  static init(options: ThreadedOptions = {}): Threaded {
    // A pool thread loading a task's module stops it here (tasks.ts): the
    // rest is the program, which must not run again in every pool thread.
    const loading = taskModuleLoading();
    if (loading !== null) throw new TaskModuleStop(loading, Threaded.init);
    const outside = stopOutsideTask(Threaded.init);
    if (outside !== null) throw outside;
    // Every option is checked before anything is acquired: a bad one throws
    // with nothing to undo.
    checkOptionNames(options);
    // The CPUs this process may run on (its affinity mask, as node:os's
    // availableParallelism, which costs ≈1 ms to import on every thread).
    const cpus = navigator.hardwareConcurrency;
    const asyncLimit = toLimit("asyncLimit", options.asyncLimit ?? Math.max(0, cpus - 1));
    const concurrentLimit = toLimit("concurrentLimit", options.concurrentLimit ?? Infinity);
    const { initial, max } = heapSizes(options);
    const idleTimeout = toIdleTimeout(
      "idleTimeout",
      options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_MS,
    );
    const trace = options.trace === true ? {} : options.trace || undefined;
    if (trace !== undefined) {
      checkTraceOptions(trace, true);
      // Now (the file is created), not when deinit writes it.
      if (trace.path !== undefined) checkTracePath(trace.path);
    }
    // The first pool's first thread loads the library while this thread
    // compiles the shim (spare_thread.ts); only where `async` uses threads.
    // (asyncLimit is −1 when unlimited.)
    const spare = firstPoolSpare(workerUrl, asyncLimit !== 0);
    let heap: Heap;
    try {
      shim(); // compile the shim on this thread before anything needs it
      heap = Heap.create(initial, max);
    } catch (e) {
      firstPoolFailed(spare);
      throw e;
    }
    initPool(heap, asyncLimit, concurrentLimit, idleTimeout);
    openThreadList(heap); // names each Worker as it is made, even out of descriptors
    acquireSignals(); // before any cancel can signal a thread
    const t = new Threaded(heap, true);
    t.spare = spare;
    if (trace !== undefined) {
      startTrace(heap, trace, true);
      t.tracePath = trace.path;
    }
    spare?.endAfter(idleTimeout);
    return t;
  }

  /** Zig's `init_single_threaded`: `async` always runs inline and
   * `concurrent` fails with ConcurrencyUnavailable. */
  static initSingleThreaded(
    options: Pick<ThreadedOptions, "heapBytes" | "maxHeapBytes"> = {},
  ): Threaded {
    checkSingleThreadedNames(options);
    return Threaded.init({ ...options, asyncLimit: 0, concurrentLimit: 0 });
  }

  /** Attaches the calling thread (a Worker) to a Threaded made elsewhere,
   * from the handle `threaded.handle()` gave. The handle is checked first
   * (a TypeError, and nothing adopted, if it is not one). */
  static attach(handle: ThreadedHandle): Threaded {
    // Everything is checked before anything is adopted: a failed attach
    // leaves this thread as it was (a bad shim table adopted first made
    // every later Threaded.init fail).
    if (typeof handle !== "object" || handle === null) {
      throw new TypeError("Threaded.attach takes the handle threaded.handle() returned");
    }
    const heap = Heap.attach(handle.heap);
    if (heap.closed)
      throw new BugError(
        "Threaded.attach: this handle's Threaded instance is deinitialized (threaded.deinit() was called)",
      );
    checkShimPointers(handle.shim);
    adoptShimPointers(handle.shim);
    return new Threaded(heap, false);
  }

  /** The start-up message for a thread that will `attach`. */
  handle(): ThreadedHandle {
    // A user's Worker will attach and dispatch: its threads are the spawn
    // host's from the start (spawn_host.ts).
    if (this.owner) this.tendHost(true);
    return this.ownHandle();
  }

  private ownHandle(): ThreadedHandle {
    return { heap: this.heap.sab, shim: shimPointers() };
  }

  /** The owner starts the spawn host when a requester wanted one, or
   * (`force`) when a user's Worker is about to attach. */
  private tendHost(force: boolean): void {
    if (this.spawnHost !== undefined || !this.alive) return;
    this.spawnHost = tendSpawnHost(this.heap, hostUrl, workerUrl, this.ownHandle(), force);
  }

  io(): Io<Threaded> {
    return this.ioFull;
  }

  /** As `io()`, with networking replaced by Zig's Unavailable entries. */
  ioBasic(): Io<Threaded> {
    return this.ioNoNet;
  }

  /** Lets the process exit while tasks this thread started are in flight
   * or one of its async waits (`await future`, `group.waitAsync`, …) is
   * pending. By default these keep the thread's event loop alive, as a
   * Worker or a socket does; an idle pool never does. */
  unref(): this {
    setKeepAlive(this.heap, false);
    return this;
  }

  /** Undoes `unref()` (the default). */
  ref(): this {
    setKeepAlive(this.heap, true);
    return this;
  }

  setAsyncLimit(limit: number): void {
    setLimit(this.heap, Pool.ASYNC_LIMIT, toLimit("setAsyncLimit", limit));
  }

  setConcurrentLimit(limit: number): void {
    setLimit(this.heap, Pool.CONCURRENT_LIMIT, toLimit("setConcurrentLimit", limit));
  }

  /** Milliseconds after which an idle pool thread exits; 0: never. */
  setIdleTimeout(ms: number): void {
    setIdleTimeout(this.heap, toIdleTimeout("setIdleTimeout", ms));
  }

  /** Pool threads this thread started that are still running (a pool
   * thread with any must not exit: its children would end with it). */
  get liveChildren(): number {
    return this.children;
  }

  /** Pool threads running now, tasks queued or running, threads ever
   * spawned, and tasks ever handed to the pool (the others ran inline). */
  poolStats(): {
    threads: number;
    live: number;
    busy: number;
    spawnedTotal: number;
    retiredTotal: number;
    dispatchedTotal: number;
  } {
    return {
      threads: poolCount(this.heap, Pool.POOL_SIZE),
      live: poolCount(this.heap, Pool.LIVE),
      retiredTotal: poolCount(this.heap, Pool.RETIRED_TOTAL),
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

  /** Live counters: pool threads (live, busy, idle), tasks (queued, run on
   * the pool, run inline), cancels (requested, signalled, delivered) and the
   * heap's bytes. A few atomic loads: cheap enough to poll every second. */
  stats(): ThreadedStats {
    return readStats(this.heap);
  }

  /** Starts recording what every thread of this pool does (tasks, waits,
   * wakes, cancels, I/O) into per-thread rings in the heap. */
  startTrace(options?: TraceOptions): void {
    this.checkAlive("startTrace");
    startTrace(this.heap, options);
  }

  /** Stops the trace; returns it as Chrome Trace Event JSON (open it in
   * Perfetto or chrome://tracing) and writes it to `path` if given. */
  stopTrace(path?: string): TraceSummary {
    this.checkAlive("stopTrace");
    return stopTrace(this.heap, path);
  }

  private checkAlive(entry: string): void {
    if (!this.alive)
      throw new BugError(
        `threaded.${entry}(): this Threaded instance is deinitialized (threaded.deinit() was called)`,
      );
  }

  /** Turns a shared reference from another thread into a live object. */
  reviver(): Reviver {
    return (this.revive ??= makeReviver(this.heap, this.ioFull, this.ioNoNet));
  }

  private spawn(): boolean {
    // Only the owner starts threads itself (and the spawn host, for the
    // others): Bun ends a Worker's children with it (spawn_host.ts).
    if (!this.owner) {
      const asked = requestSpawn(this.heap);
      if (asked !== undefined) {
        if (asked) traceSpawn(this.heap);
        return asked;
      }
    }
    // The slot first: a thread that dies starting is then counted out
    // (reaper.ts `startingSlot`).
    const slot = startingSlot(this.heap);
    if (slot === undefined) return false;
    // Started here by a thread other than the owner (no host serves yet):
    // it leaves once a host serves (worker_entry.ts `foster`).
    if (this.startThread(slot, !this.owner)) return true;
    countStarting(this.heap, -1);
    releaseStartingThread(this.heap, slot);
    return false;
  }

  /** Starts the Worker of a reserved slot, its thread counted in; false if
   * it could not be made. */
  private startThread(slot: StartingSlot, foster: boolean): boolean {
    let worker: Worker | undefined;
    let tid = this.spare?.tid ?? 0;
    try {
      worker = this.spare?.adopt();
      if (worker !== undefined && tid === GONE) {
        // The spare's thread had ended as it was made (out of descriptors
        // at init): a Worker that never runs, and that nothing would find.
        void worker.terminate();
        worker = undefined;
      }
      if (worker === undefined) {
        const before = threadIds(this.heap);
        worker = new Worker(workerUrl);
        tid = newThreadId(before, this.heap);
        // Ended already: not started (its close event would reach only an
        // event loop that may not turn before the task is awaited).
        if (tid === GONE) throw new Error("the Worker ended as it started");
      }
      nameStartingThread(this.heap, slot.id, tid);
      // Its listeners are added below, in the same turn: nothing is missed.
      worker.postMessage({ handle: this.ownHandle(), slot, foster });
    } catch {
      worker?.terminate();
      return false;
    }
    worker.unref(); // a forgotten deinit must not keep the process alive
    this.children++;
    worker.addEventListener("close", () => this.children--);
    // A thread that dies in a task is reaped by whoever waits (reaper.ts);
    // its error event must not become an uncaught error here.
    worker.addEventListener("error", (e) => e.preventDefault());
    // Its exit reaches this thread's event loop at once: an async wait here
    // learns of a thread that died in a task without polling, and a thread
    // that ended before it claimed its slot (its module failed to load) is
    // counted out (reaper.ts).
    worker.addEventListener("close", () => {
      if (!this.alive) return;
      writeOffStarting(this.heap, slot, this.spawner);
      reapAll(this.heap, this.spawner);
    });
    traceSpawn(this.heap);
    return true;
  }

  /** Waits for every pool thread to finish its work and leave (Zig's
   * join), then gives back the signal handlers (restored when the last
   * Threaded in the process is gone). Blocks the calling thread. From here
   * on every entry of its io, and every shared object of its heap, throws a
   * BugError. Only the thread that created the instance (`Threaded.init`)
   * tears it down: on an instance made by `Threaded.attach` it detaches
   * only that thread (its io throws from then on), and on a pool thread's
   * own instance (`io.userdata` in a task) it is a BugError with no effect. */
  deinit(): void {
    if (this.poolThread) {
      // A task's io.userdata: detaching the pool thread would make every
      // later task on it fail while the owner carries on.
      throw new BugError(
        "threaded.deinit() called on a pool thread (from a task): only the thread that created the Threaded (Threaded.init) may deinit it; the pool thread is left as it was",
      );
    }
    if (!this.alive) return;
    this.alive = false;
    this.spare?.dispose();
    if (!this.owner) {
      reportUnseenFailures(this, AT_DEINIT);
      releaseAll(this);
      forgetThread(this.heap);
      this.retireIo();
      return;
    }
    join(
      this.heap,
      () => reapAll(this.heap, this.spawner),
      (ms) => reportStalledJoin(this.heap, ms),
    );
    closeThreadList(this.heap);
    reportUnseenFailures(this, AT_DEINIT);
    // Every pool thread has left: the host's children are gone.
    void this.spawnHost?.terminate();
    forgetThread(this.heap);
    const h = this.heap;
    h.close();
    wakeAsyncWaiters(h);
    releaseAll(this);
    this.retireIo();
    shim().tio_watchdog_forget_range(h.addr(0), h.addr(h.sab.maxByteLength));
    releaseSignals();
    // Last: every thread has left, and a failed write leaves nothing undone.
    if (this.tracePath !== undefined && tracing(h)) stopTrace(h, this.tracePath);
  }

  /** Points both Io objects at a vtable whose every entry throws: the live
   * vtable pays nothing for the check. */
  private retireIo(): void {
    (this.ioFull as { vtable: VTable<Threaded> }).vtable = deinitialized;
    (this.ioNoNet as { vtable: VTable<Threaded> }).vtable = deinitialized;
  }

  [Symbol.dispose](): void {
    this.deinit();
  }
}

// An instance belongs to the thread that made it; a task gets a working Io
// (crossing.ts names it when one is passed to a task).
Object.defineProperty(Threaded.prototype, STAYS_ON_THREAD, { value: "pass its io() instead" });

/** A pool thread's instance (worker_entry.ts): as `Threaded.attach`, and
 * its `deinit` is refused (only the owner tears the pool down). */
export function attachPoolThread(handle: ThreadedHandle): Threaded {
  const t = Threaded.attach(handle);
  (t as unknown as { poolThread: boolean }).poolThread = true;
  return t;
}

const vtable: VTable<Threaded> = withIoTracing({
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
  dirRead: dirRead,
  dirReadFileStart: fs.dirReadFileStart,
  now: (_t: Threaded, clock: ClockName) => time.now(clock),
  sleep: (_t: Threaded, timeout: Timeout) => time.sleep(timeout),
  netListenIp: net.netListenIp,
  netListenUnix: net.netListenUnix,
  netAccept: net.netAccept,
  netBindIp: net.netBindIp,
  netConnectIp: net.netConnectIp,
  netConnectUnix: net.netConnectUnix,
  netClose: net.netClose,
  netCloseListening: net.netCloseListening,
  netShutdown: net.netShutdown,
  netRead: net.netRead,
  netWrite: net.netWrite,
  netSend: datagram.netSend,
  netReceive: datagram.netReceive,
  netInterfaceNameResolve: netInterface.netInterfaceNameResolve,
  netInterfaceName: netInterface.netInterfaceName,
  netLookup: (t, host, queue, options) => lookup.netLookup(t.io(), host, queue, options),
  netLookupAll: (t, host, options) => lookup.netLookupAll(t.io(), host, options),
  awaitAsync: futures.awaitFutureAsync,
  isDone: futures.isDone,
  requestCancel: futures.requestFutureCancel,
  selectAsync: futures.selectAsync,
  groupWaitAsync: groups.groupWaitAsync,
  groupRequestCancel: groups.groupRequestCancel,
  abortSignal: () => abortSignal(),
  sharedHeap: (t) => t.heap,
  revive: (t, kind, ref, gen, extra) => t.reviver()(kind, ref, gen, extra),
});

const vtableBasic: VTable<Threaded> = { ...vtable, ...unavailable };

/** The vtable of a deinitialized instance's io: every entry throws, but a
 * joined future's own calls (after_deinit.ts). */
const deinitialized = retiredVtable(vtable);
