// The pool: Zig's run queue, busy count, lazy thread spawning and join,
// in the heap's pool block so that any thread — the main thread or a pool
// thread running a task — can hand work to the pool and spawn a thread.
//
// Idle protocol (no lost wake-ups, no wake syscall when nobody sleeps):
//   enqueuer: push under LOCK; WORK_SEQ += 1; if SLEEPERS > 0: wake 1
//   idle:     seq = WORK_SEQ (under LOCK, queue seen empty); spin while
//             WORK_SEQ == seq; else SLEEPERS += 1; if WORK_SEQ == seq:
//             futex_wait(WORK_SEQ, seq); SLEEPERS -= 1
// With sequentially consistent atomics, either the enqueuer sees the
// sleeper and wakes it, or the sleeper sees the new sequence number; and the
// kernel re-checks WORK_SEQ == seq before sleeping.
//
// Idle timeout: with IDLE_TIMEOUT_MS > 0 the idle sleep is a timed futex
// wait (no CPU while it lasts); a thread that found nothing to do for that
// long gets IDLE from take() and may `retire`: see there for why no work
// can be stranded.
import type { Heap } from "../substrate/heap.ts";
import { IoError } from "../io/errors.ts";
import {
  Closure,
  Pool,
  PoolBlock,
  ThreadState,
  ThreadTable,
  UNLIMITED,
} from "../substrate/layout.ts";
import { lockWord, unlockWord } from "../substrate/mutex_word.ts";
import { threadId } from "../substrate/cancel.ts";
import {
  futexWaitTimeout,
  futexWaitUncancelable,
  futexWake,
  futexWakeThreads,
  spinAt,
} from "../substrate/futex.ts";
import { SpinSite, yieldCpu } from "../substrate/spin_policy.ts";
import { traceDispatch } from "../substrate/trace.ts";
import { shouldHandOff } from "./idle_handoff.ts";
import { STALL_REPEAT_MS, stallReportAfterMs } from "./join_report.ts";

const P = PoolBlock.OFFSET;
const idx = (field: number) => (P + field) >> 2;

/** Loads an idle pool thread spins on WORK_SEQ before it sleeps: long
 * enough to catch the next task of a caller that awaits and calls again. */
const IDLE_SPIN_ROUNDS = 20;

/** The spin-history site of this pool thread's idle waits. */
export const idleSite = new SpinSite();

/** take()'s result, when asked for, once the thread is about to sleep for
 * the first time (worker_entry.ts compacts it then). */
export const COMPACT = -2;

/** take()'s result for a thread idle for the whole idle timeout. */
export const IDLE = -1;

export function initPool(
  heap: Heap,
  asyncLimit: number,
  concurrentLimit: number,
  idleTimeoutMs: number,
): void {
  const i32 = heap.i32;
  Atomics.store(i32, idx(Pool.LOCK), 1); // unlocked
  Atomics.store(i32, idx(Pool.ASYNC_LIMIT), asyncLimit);
  Atomics.store(i32, idx(Pool.CONCURRENT_LIMIT), concurrentLimit);
  Atomics.store(i32, idx(Pool.IDLE_TIMEOUT_MS), idleTimeoutMs);
  Atomics.store(i32, idx(Pool.THREAD_CAP), ThreadTable.MAX_THREADS);
  Atomics.store(i32, idx(Pool.INITIALIZED), 1);
}

/** Takes the pool lock (every thread: dispatch, take, groups, the reaper);
 * taken over from an owner that died holding it (mutex_word.ts), with the
 * run queue repaired. */
export function lockPool(heap: Heap): void {
  lockWord(heap, P + Pool.LOCK, repairQueue);
}

export function unlockPool(heap: Heap): void {
  unlockWord(heap, P + Pool.LOCK);
}

/**
 * The pool lock's repair, after its owner died holding it (Bun can end a
 * thread at any instruction: a child ended between two statements 37
 * times in 40 when they were 300 stores apart). The run queue is the
 * state a death can leave broken: an append links the closure (head or
 * the old tail's NEXT) and then moves the tail; a take moves the head and
 * then clears the tail. Either cut short leaves a tail that the next
 * append would link past, losing every closure after it. Walking the list
 * from the head gives the true tail and count. A take names the closure
 * as the thread's CURRENT before it unlinks it: if the dead owner was a
 * pool thread whose CURRENT is still queued, it had not taken it, and the
 * name is dropped (else the reaper would fail a closure another thread
 * runs). Counters a dead dispatch had moved stay as they are (BUSY one
 * high if it died between counting the closure and linking it).
 */
function repairQueue(heap: Heap, deadTid: number): void {
  const u32 = heap.u32;
  let dead = 0; // the dead owner's slot, if it was a pool thread
  for (let id = 1; id <= ThreadTable.MAX_THREADS && dead === 0; id++)
    if (heap.threadHandle(id) === deadTid) dead = id;
  const named = dead === 0 ? 0 : Atomics.load(heap.i32, (ThreadState.CURRENT >> 2) + dead - 1);
  let tail = 0;
  let n = 0;
  // A cycle cannot form (appends clear NEXT first); the bound only keeps
  // a corrupt word from looping forever.
  const most = heap.sab.byteLength >>> 6;
  for (let c = u32[idx(Pool.QUEUE_HEAD)]; c !== 0 && n < most; c = u32[(c + Closure.NEXT) >> 2]) {
    if (c === named) Atomics.store(heap.i32, (ThreadState.CURRENT >> 2) + dead - 1, 0);
    tail = c;
    n++;
  }
  u32[idx(Pool.QUEUE_TAIL)] = tail;
  Atomics.store(heap.i32, idx(Pool.QUEUED), n);
  Atomics.add(heap.i32, idx(Pool.LOCK_TAKEOVERS), 1);
}

/** The bits of a pool thread's flags above POOL_THREAD that identify the
 * closure it runs: its block's generation (heap.ts; 24 bits, which a
 * block would need 8 million reuses to wrap). */
export function taskGeneration(heap: Heap, closure: number): number {
  return (heap.generation(closure) & 0xffffff) << 8;
}

/** A thread being started enters the pool's counts (+1), or leaves them
 * again when its start failed (−1). Called holding the pool lock, between
 * reserving its slot and marking it STARTING (reaper.ts): only a marked
 * slot is ever counted out, so an end in between leaves the counts one
 * high, never one low. The join treats a LIVE below 0 as none all the
 * same. */
export function countStarting(heap: Heap, delta: 1 | -1): number {
  Atomics.add(heap.i32, idx(Pool.POOL_SIZE), delta);
  Atomics.add(heap.i32, idx(Pool.SPAWNED_TOTAL), delta);
  return Atomics.add(heap.i32, idx(Pool.LIVE), delta) + delta;
}

/** Lowers the most pool threads a heap may have (a testing seam: a spec
 * reaches the cap with a few threads instead of the table's 1,024). */
export function setThreadCap(heap: Heap, cap: number): void {
  if (!Number.isInteger(cap) || cap < 0 || cap > ThreadTable.MAX_THREADS)
    throw new RangeError(`Thread cap "${cap}" is not between 0 and ${ThreadTable.MAX_THREADS}`);
  lockPool(heap);
  Atomics.store(heap.i32, idx(Pool.THREAD_CAP), cap);
  unlockPool(heap);
}

export function setLimit(
  heap: Heap,
  field: typeof Pool.ASYNC_LIMIT | typeof Pool.CONCURRENT_LIMIT,
  limit: number,
): void {
  lockPool(heap);
  Atomics.store(heap.i32, idx(field), limit);
  unlockPool(heap);
}

/** A new idle timeout; sleeping threads wake to apply it. */
export function setIdleTimeout(heap: Heap, ms: number): void {
  Atomics.store(heap.i32, idx(Pool.IDLE_TIMEOUT_MS), ms);
  Atomics.add(heap.i32, idx(Pool.WORK_SEQ), 1);
  futexWakeThreads(heap, P + Pool.WORK_SEQ, 0x7fffffff);
}

export function poolCount(heap: Heap, field: number): number {
  return Atomics.load(heap.i32, idx(field));
}

/** Starts one pool thread; the owner's also `tend`s the spawn host
 * (spawn_host.ts), on each dispatch and reap check. */
export type Spawner = (() => boolean) & { tend?: () => void };

/**
 * The ConcurrencyUnavailable of a `concurrent` that `dispatch` refused,
 * saying which of its reasons holds (read after the refusal, without the
 * lock: a description, not a promise). "The concurrent limit is reached or
 * no thread could be started" left a user of `initSingleThreaded` or of a
 * small `concurrentLimit` to guess which, and at what number.
 */
export function concurrencyUnavailable(heap: Heap): IoError<"ConcurrencyUnavailable"> {
  const i32 = heap.i32;
  const limit = Atomics.load(i32, idx(Pool.CONCURRENT_LIMIT));
  const busy = Atomics.load(i32, idx(Pool.BUSY));
  const size = Atomics.load(i32, idx(Pool.POOL_SIZE));
  const cap = Atomics.load(i32, idx(Pool.THREAD_CAP));
  let why: string;
  if (heap.closed) why = "the Threaded instance is deinitialized (threaded.deinit() was called)";
  else if (Atomics.load(i32, idx(Pool.JOIN)) !== 0)
    why = "the Threaded instance is being deinitialized";
  else if (limit === 0)
    why =
      "concurrentLimit is 0 (Threaded.initSingleThreaded, or a limit of 0): no task gets a thread";
  else if (limit !== UNLIMITED && busy >= limit >>> 0)
    why = `concurrentLimit (${limit >>> 0}) is reached (tasks queued or running: ${busy})`;
  else if (size >= cap) why = `the pool has its most threads (${cap}), every one busy`;
  else why = "no pool thread could be started";
  return new IoError("ConcurrencyUnavailable", { message: `ConcurrencyUnavailable: ${why}` });
}

/**
 * Hands a closure to the pool (Zig's async/concurrent/groupAsync
 * bodies). Returns false when the limit is reached or no thread could be
 * spawned: the caller then runs the task inline (async) or fails with
 * ConcurrencyUnavailable (concurrent). `underLock` runs with the pool lock
 * held after the closure is committed (a group links it into its list there).
 * `handOffKey` (a future's task, not a group member's): the task may be
 * handed this thread's CPU when its dispatch wakes a thread after idle
 * (`dispatchedForHandOff`).
 */
export function dispatch(
  heap: Heap,
  closure: number,
  limitField: typeof Pool.ASYNC_LIMIT | typeof Pool.CONCURRENT_LIMIT,
  spawn: Spawner,
  underLock?: () => void,
  handOffKey = 0,
): boolean {
  const i32 = heap.i32;
  lockPool(heap);
  try {
    if (Atomics.load(i32, idx(Pool.JOIN)) !== 0) return false;
    const limit = Atomics.load(i32, idx(limitField));
    const busy = Atomics.load(i32, idx(Pool.BUSY));
    if (limit !== UNLIMITED && busy >= limit >>> 0) return false;
    // BUSY can end one low for good (a thread ended between publishing and
    // setting DONE: reaper.ts): with no thread left, 0 − (−1) read as an
    // idle thread, and the closure was queued for nobody.
    const needThread = Atomics.load(i32, idx(Pool.POOL_SIZE)) - Math.max(0, busy) <= 0;
    // Every thread busy and the thread table full: refused, as a limit is.
    if (
      needThread &&
      Atomics.load(i32, idx(Pool.POOL_SIZE)) >= Atomics.load(i32, idx(Pool.THREAD_CAP))
    )
      return false;
    // BUSY is decremented without the lock by finishing closures, so it is
    // only ever changed atomically.
    Atomics.add(i32, idx(Pool.BUSY), 1);
    // Append: FIFO (Zig's `Threaded.zig` prepends; FIFO is fairer under load).
    // Before the spawn, not after: `new Worker` takes milliseconds, and Bun
    // may end this thread inside it (a user's Worker terminated). The
    // closure is then queued and counted (BUSY) as a dispatch that returned
    // would leave it, for a live thread to run; the thread being started is
    // counted out by the reaper (reaper.ts `startingSlot`). Appended
    // after it, a terminated dispatcher left BUSY one too high for good,
    // shrinking the pool by a thread. Nothing takes the closure before the
    // lock is released.
    heap.u32[(closure + Closure.NEXT) >> 2] = 0;
    const tail = heap.u32[idx(Pool.QUEUE_TAIL)];
    if (tail === 0) heap.u32[idx(Pool.QUEUE_HEAD)] = closure;
    else heap.u32[(tail + Closure.NEXT) >> 2] = closure;
    heap.u32[idx(Pool.QUEUE_TAIL)] = closure;
    Atomics.add(i32, idx(Pool.QUEUED), 1);
    if (needThread) {
      let spawned = false;
      try {
        spawned = spawn(); // counts the thread in (`countStarting`)
      } finally {
        if (!spawned) {
          // Unlinked again: still the last, as the lock is held.
          if (tail === 0) heap.u32[idx(Pool.QUEUE_HEAD)] = 0;
          else heap.u32[(tail + Closure.NEXT) >> 2] = 0;
          heap.u32[idx(Pool.QUEUE_TAIL)] = tail;
          Atomics.sub(i32, idx(Pool.QUEUED), 1);
          Atomics.sub(i32, idx(Pool.BUSY), 1);
        }
      }
      if (!spawned) return false;
    }
    Atomics.add(i32, idx(Pool.DISPATCHED_TOTAL), 1);
    traceDispatch(heap, closure); // under the lock: before any thread can start it
    underLock?.();
  } finally {
    unlockPool(heap);
  }
  spawn.tend?.();
  Atomics.add(i32, idx(Pool.WORK_SEQ), 1);
  if (Atomics.load(i32, idx(Pool.SLEEPERS)) > 0) {
    const now = performance.now();
    const afterIdle = now - lastSleeperWake >= IDLE_WAKE_MS;
    lastSleeperWake = now;
    sentToSleeper = closure;
    // Decided before the wake: the woken thread is queued on this CPU
    // (after idle the other vCPU is halted) until the caller yields, so
    // nothing should stand between the two (ARCHITECTURE.md).
    sentForHandOff = afterIdle && handOffKey !== 0 && shouldHandOff(handOffKey) ? closure : 0;
    // Before the wake, so that the task's thread yields back as it
    // publishes (closure.ts `finish`), not after its way back to sleep.
    if (sentForHandOff !== 0) Atomics.store(i32, (closure + Closure.HANDED_OFF) >> 2, 1);
    futexWakeThreads(heap, P + Pool.WORK_SEQ, 1);
  } else sentToSleeper = sentForHandOff = 0;
  return true;
}

/** A dispatch that wakes a sleeping thread counts as "after idle" when
 * this thread woke none for this long: a sporadic task, not one of a
 * stream (a busy server wakes its sleeping workers every few hundred µs). */
const IDLE_WAKE_MS = 5;
let lastSleeperWake = -Infinity;
let sentForHandOff = 0;

/** When this thread's last dispatch that woke a sleeping thread did so
 * (`performance.now()` just before the wake). */
export function lastWakeAt(): number {
  return lastSleeperWake;
}

/** Whether `closure` was the last one this thread dispatched, and that
 * dispatch woke a sleeping thread after idle with the task's history
 * allowing a handoff (idle_handoff.ts): the caller hands it its CPU now. */
export function dispatchedForHandOff(closure: number): boolean {
  return closure !== 0 && closure === sentForHandOff;
}

/** The closure this thread last dispatched, if that had to wake a sleeping
 * thread (see `dispatchedToSleeper`). */
let sentToSleeper = 0;

/** Whether `closure` was the last one this thread dispatched and its
 * dispatch had to wake a sleeping pool thread: its awaiter should not spin
 * (spin_policy.ts `withoutSpins`). */
export function dispatchedToSleeper(closure: number): boolean {
  return closure !== 0 && closure === sentToSleeper;
}

/** Blocks until there is a closure to run (returned), join was asked (0),
 * or the thread has been idle for the idle timeout (IDLE); with
 * `compactFirst`, returns COMPACT instead of its first sleep; with
 * `idleCapMs`, IDLE after at most that long (a foster thread looking for a
 * spawn host, worker_entry.ts), whatever the pool's idle timeout. With
 * `yieldIfWork` (the last task's end woke a waiter of another thread, or
 * the task owed a yield, wake_yield.ts), yields once before
 * returning a closure found at once: the woken thread is often queued on
 * this CPU (futex.ts `futexWake`), and the next task would hold it there.
 * A thread that finds nothing spins with yields or sleeps, which lets it
 * run anyway. */
export function take(heap: Heap, compactFirst = false, yieldIfWork = false, idleCapMs = 0): number {
  const i32 = heap.i32;
  const u32 = heap.u32;
  let deadline = 0; // performance.now() at which this idle spell times out
  const id = threadId(heap);
  const current = (ThreadState.CURRENT >> 2) + id - 1;
  const flags = (ThreadState.FLAGS >> 2) + id - 1;
  for (;;) {
    lockPool(heap);
    const head = u32[idx(Pool.QUEUE_HEAD)];
    if (head !== 0) {
      // This thread's from here, named before it is unlinked: a thread
      // ended before the task starts has it failed by the reaper, not lost;
      // ended before the unlink, the lock's repair drops the name
      // (`repairQueue`). The flags keep the closure block's generation, so
      // that the reaper can tell this closure from a later one in the same
      // block (reaper.ts `writeOff`).
      Atomics.store(i32, flags, ThreadState.POOL_THREAD | taskGeneration(heap, head));
      Atomics.store(i32, current, head);
      const next = u32[(head + Closure.NEXT) >> 2];
      u32[idx(Pool.QUEUE_HEAD)] = next;
      if (next === 0) u32[idx(Pool.QUEUE_TAIL)] = 0;
      Atomics.sub(i32, idx(Pool.QUEUED), 1);
      unlockPool(heap);
      if (yieldIfWork) yieldCpu(); // only ever set with two CPUs or more
      return head;
    }
    const joining = Atomics.load(i32, idx(Pool.JOIN)) !== 0;
    const seq = Atomics.load(i32, idx(Pool.WORK_SEQ));
    unlockPool(heap);
    if (joining) return 0;
    yieldIfWork = false; // it spins (with yields) or sleeps now
    // Others busy: BUSY (this thread no longer counts itself).
    const busy = Atomics.load(i32, idx(Pool.BUSY));
    if (spinAt(idleSite, i32, idx(Pool.WORK_SEQ), seq, IDLE_SPIN_ROUNDS, busy)) continue;
    if (compactFirst) return COMPACT;
    const poolIdleMs = Atomics.load(i32, idx(Pool.IDLE_TIMEOUT_MS));
    const idleMs =
      idleCapMs > 0 && (poolIdleMs <= 0 || idleCapMs < poolIdleMs) ? idleCapMs : poolIdleMs;
    let timedOut = false;
    Atomics.add(i32, idx(Pool.SLEEPERS), 1);
    if (Atomics.load(i32, idx(Pool.WORK_SEQ)) === seq) {
      if (idleMs <= 0) {
        futexWaitUncancelable(heap, P + Pool.WORK_SEQ, seq);
      } else {
        const now = performance.now();
        if (deadline === 0) deadline = now + idleMs;
        const leftNs = Math.ceil((deadline - now) * 1e6);
        timedOut =
          leftNs <= 0 || !futexWaitTimeout(heap, P + Pool.WORK_SEQ, seq, BigInt(leftNs), false);
      }
    }
    Atomics.sub(i32, idx(Pool.SLEEPERS), 1);
    if (timedOut) return IDLE;
  }
}

/**
 * An idle thread (take() returned IDLE), or a foster thread being
 * `replaced` (worker_entry.ts), asks to exit; true if it may. It
 * leaves the pool's thread count under the pool lock, and only when no work
 * is queued and no join is under way; it then calls `leaveRetired` and ends.
 * A dispatch holds the same lock, so the two are ordered:
 *   D first: D counts T as idle (POOL_SIZE − BUSY > 0), so it spawns
 *            nothing and queues the closure. T then finds the queue
 *            non-empty: it stays and take() hands it the closure.
 *   T first: T leaves POOL_SIZE. D then finds every remaining thread busy
 *            and spawns one, exactly as for a pool that never had T.
 * Between take()'s timeout and this call T is still counted idle, so a
 * closure queued meanwhile waits at most until T gets here.
 */
export function retire(heap: Heap, replaced = false): boolean {
  const i32 = heap.i32;
  lockPool(heap);
  try {
    if (heap.u32[idx(Pool.QUEUE_HEAD)] !== 0) return false;
    if (Atomics.load(i32, idx(Pool.JOIN)) !== 0) return false; // join's path instead
    // No idle timeout: threads stay, unless one leaves to be replaced.
    if (!replaced && Atomics.load(i32, idx(Pool.IDLE_TIMEOUT_MS)) <= 0) return false;
    Atomics.sub(i32, idx(Pool.POOL_SIZE), 1);
    Atomics.add(i32, idx(Pool.RETIRED_TOTAL), 1);
    return true;
  } finally {
    unlockPool(heap);
  }
}

/** A retired thread's last step: it counts itself out of LIVE (waking a
 * join that waits for the last one) and, unlike `leave`, does not wait for
 * the others: it has no child thread that its exit would end. */
export function leaveRetired(heap: Heap): void {
  const left = Atomics.sub(heap.i32, idx(Pool.LIVE), 1) - 1;
  if (left <= 0) futexWake(heap, P + Pool.LIVE, 0x7fffffff);
}

/** A pool thread leaving: counts itself out and waits until every other
 * thread has too, so that a thread's exit never cuts short a thread it
 * spawned (Bun ends a Worker's children with it). */
export function leave(heap: Heap): void {
  const i32 = heap.i32;
  Atomics.sub(i32, idx(Pool.POOL_SIZE), 1);
  const left = Atomics.sub(i32, idx(Pool.LIVE), 1) - 1;
  if (left <= 0) futexWake(heap, P + Pool.LIVE, 0x7fffffff);
  waitNoneLive(heap);
}

/** Waits until every pool thread has left; `reap` (the join's) is called
 * whenever the wait times out, to account for threads that died, and
 * `stalled` once the wait has lasted `stallReportAfterMs()`, then every
 * STALL_REPEAT_MS. */
function waitNoneLive(heap: Heap, reap?: () => void, stalled?: (ms: number) => void): void {
  const start = performance.now();
  let reportAt = stallReportAfterMs();
  let unaccounted = 0; // checks in a row that found LIVE with no pool thread
  for (;;) {
    const live = Atomics.load(heap.i32, idx(Pool.LIVE));
    if (live <= 0) return;
    if (reap === undefined) futexWaitUncancelable(heap, P + Pool.LIVE, live);
    else if (!futexWaitTimeout(heap, P + Pool.LIVE, live, 100_000_000n, false)) {
      reap();
      unaccounted = noPoolThread(heap) ? unaccounted + 1 : 0;
      if (unaccounted >= PHANTOM_CHECKS) return;
      const waited = performance.now() - start;
      if (stalled !== undefined && waited >= reportAt) {
        stalled(waited);
        reportAt = waited + STALL_REPEAT_MS;
      }
    }
  }
}

/** A thread that dies between being counted in (`countStarting`) and its
 * slot's mark (a user's Worker terminated while it started a pool thread)
 * leaves LIVE one high with no thread behind it, which no reap can count
 * out, and the join waited for it forever (1 full CI run in about 6: the
 * stress test terminating a user's Worker 20 times). So the join also
 * stops once, for PHANTOM_CHECKS checks in a row (100 ms apart), no slot
 * holds a pool thread or one starting. Read under the pool lock, under
 * which every start is counted and marked; a thread leaving unmarks its
 * slot microseconds before it counts itself out of LIVE. */
const PHANTOM_CHECKS = 5;

function noPoolThread(heap: Heap): boolean {
  const busy = ThreadState.POOL_THREAD | ThreadState.STARTING;
  lockPool(heap);
  try {
    for (let id = 1; id <= ThreadTable.MAX_THREADS; id++)
      if ((Atomics.load(heap.i32, (ThreadState.FLAGS >> 2) + id - 1) & busy) !== 0) return false;
    return true;
  } finally {
    unlockPool(heap);
  }
}

/** Zig's join: ask every thread to leave once the queue is empty and
 * wait until they all have (reaping any that died meanwhile); `stalled`
 * reports a wait that lasts (join_report.ts). */
export function join(heap: Heap, reap: () => void, stalled?: (ms: number) => void): void {
  lockPool(heap);
  Atomics.store(heap.i32, idx(Pool.JOIN), 1);
  unlockPool(heap);
  Atomics.add(heap.i32, idx(Pool.WORK_SEQ), 1);
  futexWakeThreads(heap, P + Pool.WORK_SEQ, 0x7fffffff);
  waitNoneLive(heap, reap, stalled);
}

export { UNLIMITED };
