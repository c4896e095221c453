// Tracing, the recording side: what threads write while a trace runs. The
// reading side (the Chrome Trace Event writer) is lib/threaded/trace_writer.ts.
//
// Layout (layout.ts TraceDirLayout, TraceRingLayout): the pool block's TRACE
// word holds the trace directory's offset while a trace runs, 0 otherwise.
// The directory holds, per thread id, the offset of that thread's ring: a
// header and a fixed number of 32-byte events (awake-clock time, duration,
// kind, three words). A ring has one writer, its thread, so recording is
// plain stores and one Atomics.store of COUNT: no lock, no allocation. When
// the ring is full the oldest events are overwritten; COUNT − CAPACITY of
// them were dropped, and the writer reports that number.
//
// Cost when no trace runs: every hook starts with one load of the TRACE word
// (on a read-mostly cache line) and a branch that is always taken the same
// way.
//
// A thread makes its ring (heap.alloc, once per thread per heap) on its
// first event of a session; the directory's SESSION tells it when a new
// trace started, and it then resets COUNT itself, so COUNT never has two
// writers. Events a thread records while it makes its ring (the heap lock's
// futex wait, say) are dropped: `claiming` stops the recursion.
//
// A trace that stops while a thread is writing: stopTrace clears TRACE and
// reads COUNT before and after copying the events; a slot the writer may
// have overwritten meanwhile (index < COUNT_after − CAPACITY) is counted as
// dropped instead of read. Rings and the directory are never freed while
// the heap lives (a late writer may still hold their offsets): the next
// trace reuses them.
import type { Heap } from "./heap.ts";
import {
  Closure,
  Pool,
  PoolBlock,
  ThreadState,
  TraceDirLayout,
  TraceRingLayout,
} from "./layout.ts";
import { threadId } from "./cancel.ts";
import { shim } from "../ffi/shim.ts";
import { C } from "../os/index.ts";
import { internKey, taskKey } from "./tasks.ts";

/** Event kinds (the writer names them). */
export const TraceKind = {
  DISPATCH: 1, // a0 task key, a1 closure, a2 group (0: none)
  TASK_START: 2, // a0 task key, a1 closure
  TASK_END: 3, // a0 task key, a1 closure
  INLINE: 4, // a0 task key (0: a plain function), dur: the synchronous part
  SPAWN: 5, // a thread was started by this one
  THREAD_START: 6,
  THREAD_EXIT: 7,
  CANCEL_REQUEST: 8, // a0 the thread running the task (0: not running)
  CANCEL_SIGNAL: 9, // a0 the thread signalled
  CANCELED: 10, // Canceled raised on this thread
  FUTEX_WAIT: 11, // a0 word offset, a1 WaitSite, dur: time asleep in the kernel
  FUTEX_WAKE: 12, // a0 word offset, a1 waiters asked to wake
  IO: 13, // a0 the operation (IoOp), a1 1 if it failed; dur
} as const;

/** What a thread's futex waits are for, where the word alone cannot say
 * (the writer names pool, join, lock, await and group waits by their word). */
export const WaitSite = { NONE: 0, SELECT: 1, QUEUE: 2 } as const;

/** The I/O calls traced with their duration. */
export const IoOp = { LOOKUP: 1, CONNECT: 2, ACCEPT: 3, READ: 4 } as const;

export const DEFAULT_TRACE_EVENTS = 32_768; // 1 MiB per thread
export const MAX_TRACE_EVENTS = 1 << 24; // 512 MiB per thread: the heap's size class limit is far above

const TRACE_INDEX = (PoolBlock.OFFSET + Pool.TRACE) >> 2;

/** Whether a trace runs in `heap`: the one check on every traced path. */
export function tracing(heap: Heap): boolean {
  return heap.i32[TRACE_INDEX] !== 0;
}

// --- the clock -----------------------------------------------------------------
// performance.now() reads the same monotonic clock as the awake clock
// (CLOCK_MONOTONIC on Linux, which Zig's `awake` is) but from this thread's
// time origin; one clock_gettime per thread gives the offset, so an event
// costs one performance.now() (~30 ns) instead of an FFI call.
let offsetNs = NaN;

function calibrate(): number {
  const ts = new BigInt64Array(new ArrayBuffer(16));
  const clock = C.CLOCK_UPTIME_RAW ?? C.CLOCK_MONOTONIC;
  // The offset is known to ± half the bracket: keep the tightest of a few
  // (a thread preempted between the reads would skew its whole lane, and a
  // task could seem to start before its dispatch on another lane).
  let best = NaN;
  let bracket = Infinity;
  for (let i = 0; i < 8; i++) {
    const before = performance.now();
    shim().tio_clock_gettime(clock, ts);
    const after = performance.now();
    if (after - before < bracket) {
      bracket = after - before;
      best = Number(ts[0]) * 1e9 + Number(ts[1]) - ((before + after) / 2) * 1e6;
    }
  }
  return best;
}

/** The awake clock in ns (as a double: exact to well under 1 ns for years). */
export function traceNow(): number {
  if (offsetNs !== offsetNs) offsetNs = calibrate();
  return performance.now() * 1e6 + offsetNs;
}

// --- this thread's ring --------------------------------------------------------
let cachedHeap: Heap | null = null;
let cachedSession = -1;
let cachedRing = 0;
let claiming = false;

/** This thread's ring in the running trace, or 0 (none could be made). */
function ring(heap: Heap, dir: number): number {
  const session = heap.u32[(dir + TraceDirLayout.SESSION) >> 2];
  if (heap === cachedHeap && session === cachedSession) return cachedRing;
  if (claiming) return 0;
  claiming = true;
  try {
    cachedRing = claim(heap, dir, session);
    cachedHeap = heap;
    cachedSession = session;
  } catch {
    return 0; // the heap is full: this thread records nothing
  } finally {
    claiming = false;
  }
  return cachedRing;
}

function claim(heap: Heap, dir: number, session: number): number {
  const id = threadId(heap);
  const slot = (dir + TraceDirLayout.RINGS + (id - 1) * 4) >> 2;
  const capacity = heap.u32[(dir + TraceDirLayout.CAPACITY) >> 2];
  let r = Atomics.load(heap.u32, slot);
  if (r === 0) {
    r = heap.alloc(TraceRingLayout.EVENTS + capacity * TraceRingLayout.EVENT_BYTES);
    Atomics.store(heap.u32, slot, r);
  }
  const u32 = heap.u32;
  const pool = Atomics.load(heap.i32, (ThreadState.FLAGS >> 2) + id - 1) & ThreadState.POOL_THREAD;
  u32[(r + TraceRingLayout.THREAD) >> 2] = id;
  u32[(r + TraceRingLayout.POOL_THREAD) >> 2] = pool === 0 ? 0 : 1;
  // A thread that reuses the id of one that left in this session appends
  // to its ring (the same lane); ids are never held by two threads at once.
  if (Atomics.load(u32, (r + TraceRingLayout.SESSION) >> 2) !== session) {
    Atomics.store(u32, (r + TraceRingLayout.COUNT) >> 2, 0);
    Atomics.store(u32, (r + TraceRingLayout.SESSION) >> 2, session);
  }
  return r;
}

/** Appends one event to this thread's ring (tracing is on). */
function record(
  heap: Heap,
  kind: number,
  ts: number,
  dur: number,
  a0: number,
  a1: number,
  a2: number,
): void {
  const dir = heap.i32[TRACE_INDEX];
  if (dir === 0) return;
  const r = ring(heap, dir);
  if (r === 0) return;
  const u32 = heap.u32;
  const count = u32[(r + TraceRingLayout.COUNT) >> 2];
  const capacity = heap.u32[(dir + TraceDirLayout.CAPACITY) >> 2];
  const e = r + TraceRingLayout.EVENTS + (count % capacity) * TraceRingLayout.EVENT_BYTES;
  heap.f64[(e + TraceRingLayout.TS) >> 3] = ts;
  heap.f64[(e + TraceRingLayout.DUR) >> 3] = dur;
  u32[(e + TraceRingLayout.KIND) >> 2] = kind;
  u32[(e + TraceRingLayout.A0) >> 2] = a0;
  u32[(e + TraceRingLayout.A1) >> 2] = a1;
  u32[(e + TraceRingLayout.A2) >> 2] = a2;
  // Publishes the event: a reader that sees COUNT sees the slot written.
  Atomics.store(u32, (r + TraceRingLayout.COUNT) >> 2, count + 1);
}

// --- hooks: one call at each traced site ----------------------------------------

/** pool.ts dispatch: the closure was queued. */
export function traceDispatch(heap: Heap, closure: number): void {
  if (heap.i32[TRACE_INDEX] === 0) return;
  const key = heap.u32[(closure + Closure.TASK) >> 2];
  const group = heap.u32[(closure + Closure.GROUP) >> 2]; // 0 for async/concurrent
  record(heap, TraceKind.DISPATCH, traceNow(), 0, key, closure, group);
}

let runningKey = 0;
let runningClosure = 0;

/** worker_entry.ts: a pool thread starts a closure. */
export function traceTaskStart(heap: Heap, closure: number): void {
  if (heap.i32[TRACE_INDEX] === 0) return;
  runningKey = heap.u32[(closure + Closure.TASK) >> 2];
  runningClosure = closure;
  record(heap, TraceKind.TASK_START, traceNow(), 0, runningKey, closure, 0);
}

/** worker_entry.ts: the closure started last has finished (it may be freed
 * already: its key was kept at the start). */
export function traceTaskEnd(heap: Heap): void {
  if (heap.i32[TRACE_INDEX] === 0 || runningClosure === 0) return;
  record(heap, TraceKind.TASK_END, traceNow(), 0, runningKey, runningClosure, 0);
  runningClosure = 0;
}

/** A task runs inline on its caller: counted, and when tracing, `fn` is
 * wrapped so its run is recorded with its duration (futures.ts runInline,
 * groups.ts runMemberInline). Returns the function to call. */
export function noteInline<F extends (...args: never[]) => unknown>(heap: Heap, fn: F): F {
  Atomics.add(heap.i32, (PoolBlock.OFFSET + Pool.INLINE_TOTAL) >> 2, 1);
  if (heap.i32[TRACE_INDEX] === 0) return fn;
  return ((...args: never[]) => {
    const start = traceNow();
    try {
      return fn(...args);
    } finally {
      record(heap, TraceKind.INLINE, start, traceNow() - start, inlineKey(heap, fn), 0, 0);
    }
  }) as F;
}

// The interned key of an inline task, for its name: interning allocates, but
// only while tracing, and once per task function.
function inlineKey(heap: Heap, fn: (...args: never[]) => unknown): number {
  try {
    return internKey(heap, taskKey(fn));
  } catch {
    return 0;
  }
}

/** threaded.ts spawn: this thread started a pool thread. */
export function traceSpawn(heap: Heap): void {
  if (heap.i32[TRACE_INDEX] === 0) return;
  record(heap, TraceKind.SPAWN, traceNow(), 0, 0, 0, 0);
}

/** worker_entry.ts: a pool thread starts (true) or leaves (false). */
export function traceThread(heap: Heap, starting: boolean): void {
  if (heap.i32[TRACE_INDEX] === 0) return;
  const kind = starting ? TraceKind.THREAD_START : TraceKind.THREAD_EXIT;
  record(heap, kind, traceNow(), 0, 0, 0, 0);
  // The ring may have been made before the thread was marked a pool thread
  // (a wait for the heap lock while it registered): name its lane now.
  const dir = heap.i32[TRACE_INDEX]; // 0 again if the trace stopped meanwhile
  const r = starting && dir !== 0 ? ring(heap, dir) : 0;
  if (r !== 0) heap.u32[(r + TraceRingLayout.POOL_THREAD) >> 2] = 1;
}

/** cancel.ts requestCancel: the first request for a task (`runner`: the
 * thread running it, 0 if none). */
export function noteCancelRequest(heap: Heap, runner: number): void {
  Atomics.add(heap.i32, (PoolBlock.OFFSET + Pool.CANCELS_REQUESTED) >> 2, 1);
  if (runner !== 0) Atomics.add(heap.i32, (PoolBlock.OFFSET + Pool.CANCEL_SIGNALS) >> 2, 1);
  if (heap.i32[TRACE_INDEX] === 0) return;
  const ts = traceNow();
  record(heap, TraceKind.CANCEL_REQUEST, ts, 0, runner, 0, 0);
  if (runner !== 0) record(heap, TraceKind.CANCEL_SIGNAL, ts, 0, runner, 0, 0);
}

/** cancel.ts: `Canceled` is being raised in a task on this thread. */
export function noteCanceled(heap: Heap): void {
  Atomics.add(heap.i32, (PoolBlock.OFFSET + Pool.CANCELS_DELIVERED) >> 2, 1);
  if (heap.i32[TRACE_INDEX] === 0) return;
  record(heap, TraceKind.CANCELED, traceNow(), 0, 0, 0, 0);
}

/** futex.ts: the start of a kernel futex wait (0 when not tracing); pass
 * it to traceWaitEnd. */
export function traceWaitStart(heap: Heap): number {
  return heap.i32[TRACE_INDEX] === 0 ? 0 : traceNow();
}

export function traceWaitEnd(heap: Heap, start: number, off: number): void {
  if (start === 0) return;
  record(heap, TraceKind.FUTEX_WAIT, start, traceNow() - start, off, waitSite, 0);
}

let waitSite: number = WaitSite.NONE;

/** Names this thread's futex waits until it is called again with
 * WaitSite.NONE (select, queue: around their wait loops). */
export function traceWaitSite(site: number): void {
  waitSite = site;
}

/** futex.ts futexWake. */
export function traceWake(heap: Heap, off: number, n: number): void {
  if (heap.i32[TRACE_INDEX] === 0) return;
  record(heap, TraceKind.FUTEX_WAKE, traceNow(), 0, off, n, 0);
}

/** An I/O call with its duration (trace_vtable.ts). */
export function traceIo(heap: Heap, op: number, start: number, failed: boolean): void {
  record(heap, TraceKind.IO, start, traceNow() - start, op, failed ? 1 : 0, 0);
}

// --- starting and stopping (threaded.ts through trace_writer.ts) ------------------

/** Starts a trace session: makes the directory on first use. */
export function startTracing(heap: Heap, events: number): void {
  const i32 = heap.i32;
  let dir = Atomics.load(i32, (PoolBlock.OFFSET + Pool.TRACE_DIR) >> 2);
  if (dir === 0) {
    dir = heap.allocZeroed(TraceDirLayout.BYTES);
    heap.u32[(dir + TraceDirLayout.SLOTS) >> 2] = events;
    heap.u32[(dir + TraceDirLayout.CAPACITY) >> 2] = events - TraceRingLayout.HEADER_SLOTS;
    const prev = Atomics.compareExchange(i32, (PoolBlock.OFFSET + Pool.TRACE_DIR) >> 2, 0, dir);
    if (prev !== 0) {
      heap.free(dir); // another thread made it first
      dir = prev;
    }
  }
  const slots = heap.u32[(dir + TraceDirLayout.SLOTS) >> 2];
  if (slots !== events)
    throw new RangeError(
      `Trace ring size "${events}" differs from the ${slots} events this Threaded's first trace chose`,
    );
  heap.f64[(dir + TraceDirLayout.START_NS) >> 3] = traceNow();
  Atomics.add(i32, (dir + TraceDirLayout.SESSION) >> 2, 1);
  Atomics.store(i32, TRACE_INDEX, dir);
}

/** Stops recording; returns the directory (0 if no trace ran). */
export function stopTracing(heap: Heap): number {
  return Atomics.exchange(heap.i32, TRACE_INDEX, 0);
}

/** The ring size (`events`) the first trace of this heap chose, or 0. */
export function traceCapacity(heap: Heap): number {
  const dir = Atomics.load(heap.i32, (PoolBlock.OFFSET + Pool.TRACE_DIR) >> 2);
  return dir === 0 ? 0 : heap.u32[(dir + TraceDirLayout.SLOTS) >> 2];
}
