// Pool threads that die inside a task — `process.exit()` in a task ends a
// Bun Worker — must
// not leave their task's awaiter waiting forever, nor the pool counting a
// thread that is gone. Nothing runs on a dead thread, so the threads that
// wait do the work: every blocking wait on a closure, a group, a select or
// the join wakes after REAP_CHECK_MS (then less often, `reapCheckNs`, but
// at least every 800 ms), and an async wait is polled
// by its thread's keep-alive timer (keep_alive.ts; every 50 ms doubling to
// 800 ms) and reaped at once by the `close` event of a pool thread this
// thread spawned. Each asks whether the thread running
// what it waits for still exists (tgkill(pid, tid, 0): ESRCH once it has
// exited). If not, under the pool lock (so only one waiter reaps a thread):
// the thread's current closure is failed with RESULT_DIED and published as
// a finished task is, the thread leaves the pool's counts, and if work is
// queued a replacement thread is started.
//
// A thread also dies where it stands when Bun ends its Worker from outside
// (its parent's terminate() or exit ends it and the Workers it started;
// pool threads are started only by the owner and the spawn host,
// spawn_host.ts, but a user's Worker that attached is ended by its own
// parent): idle, starting (before it ran a line of the library: its slot,
// reserved by the thread that started it, is then written off once that
// parent is gone), or holding one of the library's locks (mutex_word.ts
// `lockWord`: the next waiter takes the lock over).
import { shim } from "../ffi/shim.ts";
import type { Heap } from "../substrate/heap.ts";
import {
  Closure,
  HostState,
  Pool,
  PoolBlock,
  RESULT_DIED,
  ThreadState,
  ThreadTable,
  Format,
} from "../substrate/layout.ts";
import { REAP_CHECK_MS, reapCheckNs, threadGone, tidGone } from "../substrate/mutex_word.ts";
import { futexWake } from "../substrate/futex.ts";
import { failUntaken, publish } from "./closure.ts";
import { IoError } from "../io/errors.ts";
import { countStarting, lockPool, type Spawner, taskGeneration, unlockPool } from "./pool.ts";
import { IS_SET } from "../io/reset_event.ts";
import { adoptThreadId, THREAD_ID_MASK } from "../substrate/cancel.ts";

export { REAP_CHECK_MS, reapCheckNs };

const P = PoolBlock.OFFSET;
const pidx = (f: number) => (P + f) >> 2;

const flagsIndex = (id: number) => (ThreadState.FLAGS >> 2) + id - 1;

/** Reserves a slot, counts the thread in and marks the slot (with `more`
 * flags: the spawn host's REQUESTED), in the order the two functions below
 * explain; undefined if the table is full. Called holding the pool lock. */
export function startingSlot(heap: Heap, more = 0): StartingSlot | undefined {
  const slot = reserveStartingThread(heap);
  if (slot === undefined) return undefined;
  countStarting(heap, 1);
  const marked = { id: slot.id, flags: slot.flags | more };
  commitStartingThread(heap, marked);
  return marked;
}

/** Reserves a thread-table slot for a pool thread the calling thread is
 * about to start (0 if the table is full). From here on the slot counts
 * as the new thread's: if the starting thread dies before it claims the
 * slot (its parent died, or its Worker closed), the reaper counts it out
 * of the pool — before, a thread that died starting stayed counted
 * forever and deinit's join waited for it. */
function reserveStartingThread(heap: Heap): StartingSlot | undefined {
  const id = heap.reserveThread(shim().tio_thread_handle() as number);
  if (id === 0) return undefined;
  // Numbered: a slot is reused as soon as its thread leaves, and the close
  // event of that earlier thread's Worker must not write off the next one.
  const seq = Atomics.add(heap.i32, pidx(Pool.START_SEQ), 1) & 0xffffff;
  Atomics.store(heap.i32, (ThreadState.CURRENT >> 2) + id - 1, 0);
  return { id, flags: ThreadState.STARTING | (seq << 8) };
}

/** Marks the reserved slot STARTING, once the thread is counted in
 * (pool.ts `countStarting`): the reaper counts out only what was counted
 * in. Ended between the two, the spawning thread leaves the counts one
 * high (a join then waits, as for a thread it cannot find), never one low
 * (a join would return under a live thread). */
function commitStartingThread(heap: Heap, slot: StartingSlot): void {
  Atomics.store(heap.i32, flagsIndex(slot.id), slot.flags);
}

/** A thread-table slot reserved for a thread being started, and the
 * flags that mark that one reservation. */
export interface StartingSlot {
  readonly id: number;
  readonly flags: number;
}

/** A reserved slot whose thread could not be started at all. */
export function releaseStartingThread(heap: Heap, slot: StartingSlot): void {
  Atomics.store(heap.i32, flagsIndex(slot.id), 0);
  heap.unregisterThread(slot.id);
}

/** The new pool thread takes its reserved slot; false if it was counted
 * out meanwhile (it must then end without touching the pool's counts).
 * First it names itself in the slot's CURRENT word, as −tid (a closure
 * offset is positive; `take` overwrites it): from then on the reaper asks
 * whether this thread is gone, not its parent (`slotGone`), as a parent
 * can end and leave its child running a while. Only on Linux, where the
 * handle is the tid; elsewhere its parent answers. */
export function claimStartedThread(heap: Heap, slot: StartingSlot): boolean {
  const flags = flagsIndex(slot.id);
  if (Atomics.load(heap.i32, flags) !== slot.flags) return false;
  if (process.platform === "linux") {
    const tid = Number(shim().tio_thread_handle());
    Atomics.store(heap.i32, (ThreadState.CURRENT >> 2) + slot.id - 1, -tid);
  }
  if (Atomics.compareExchange(heap.i32, flags, slot.flags, ThreadState.POOL_THREAD) !== slot.flags)
    return false;
  Atomics.store(heap.i32, pidx(Pool.START_FAILURES), 0); // threads start again
  adoptThreadId(heap, slot.id); // its handle, in place of the parent's
  return true;
}

/** Whether the thread of slot `id` is gone. A slot reserved for a thread
 * still starting holds its parent's handle, negated: the thread is gone
 * once its parent is (Bun ends a Worker's children with it), or, once it
 * named itself in CURRENT (−tid), once it is. */
function slotGone(heap: Heap, id: number): boolean {
  const entry = heap.threadHandle(id);
  if (entry >= 0) return threadGone(heap, id);
  const self = Atomics.load(heap.i32, (ThreadState.CURRENT >> 2) + id - 1);
  if (self < 0) return tidGone(-self);
  // Started by the spawn host (spawn_host.ts): its Worker closed, or the
  // host (its parent) is gone.
  const flags = Atomics.load(heap.i32, flagsIndex(id));
  if ((flags & ThreadState.CLOSED) !== 0) return true;
  if ((flags & ThreadState.HOSTED) !== 0) return spawnHostGone(heap);
  if (-entry > 1 && tidGone(-entry)) return true;
  // Asked of the host and not yet taken: it never will be if the host is gone.
  return (flags & ThreadState.REQUESTED) !== 0 && spawnHostGone(heap);
}

/** Whether the heap's spawn host will serve no request (spawn_host.ts):
 * none serves (not started, wanted, failed), it ended (its tid is gone),
 * or it has been starting for longer than any start takes. */
export function spawnHostGone(heap: Heap): boolean {
  const host = Atomics.load(heap.i32, pidx(Pool.SPAWN_HOST));
  if (host > 0) return tidGone(host);
  if (host !== HostState.STARTING) return true;
  const since = Atomics.load(heap.i32, pidx(Pool.SPAWN_HOST_SINCE));
  return Math.floor(Date.now() / 1000) - since > SPAWN_HOST_START_S;
}

/** Seconds a spawn host may take to start (it loads the library, as a
 * pool thread does: 30 ms here, 10× that under emulation). Its requests
 * wait for it meanwhile; past this they are written off and started by
 * their requesters' reapers (a host whose Worker failed where no event
 * loop turned to say so). */
const SPAWN_HOST_START_S = 10;

export function unmarkPoolThread(heap: Heap, id: number): void {
  Atomics.store(heap.i32, flagsIndex(id), 0);
}

/**
 * Reaps pool thread `id` if it has died (or, still starting, if its parent
 * has); returns true if it did. `spawn` starts a replacement (the
 * Threaded's spawner).
 */
export function reapIfDead(heap: Heap, id: number, spawn: () => boolean): boolean {
  if (id <= 0 || id > ThreadTable.MAX_THREADS) return false;
  const flags = Atomics.load(heap.i32, flagsIndex(id));
  if (flags === 0 || !slotGone(heap, id)) return false;
  return writeOff(heap, id, flags, spawn, true);
}

/** Counts out a thread whose Worker closed before it claimed its slot
 * (its start-up failed): the spawning thread's `close` listener. */
export function writeOffStarting(heap: Heap, slot: StartingSlot, spawn: () => boolean): boolean {
  return writeOff(heap, slot.id, slot.flags, spawn, false);
}

/** Counts thread `id` out of the pool if its flags still read `flags`
 * (else another waiter reaped it, or it claimed its slot meanwhile): fails
 * the closure it was running, and starts a replacement if work is queued. */
function writeOff(
  heap: Heap,
  id: number,
  flags: number,
  spawn: () => boolean,
  dead: boolean,
): boolean {
  lockPool(heap);
  let current = 0;
  let replace = false;
  let failures = 0;
  try {
    // Asked again under the lock (`dead`): between the first look and
    // here another waiter may have reaped it and a new thread taken the
    // slot, with the same flags.
    // A CAS: a starting thread claims its slot without the lock.
    if (dead && !slotGone(heap, id)) return false;
    if (Atomics.compareExchange(heap.i32, flagsIndex(id), flags, 0) !== flags) return false;
    // A slot not yet claimed holds no closure (CURRENT names the thread).
    const claimed = heap.threadHandle(id) >= 0;
    current = Atomics.exchange(heap.i32, (ThreadState.CURRENT >> 2) + id - 1, 0);
    // A closure the thread had published (DONE set; its awaiter may have
    // freed it since: the block's generation moved on) is not its to fail.
    if (
      !claimed ||
      current <= 0 || // none, or the thread's own name (−tid) before its first task
      (flags & ~0xff) !== taskGeneration(heap, current) ||
      Atomics.load(heap.i32, (current + Closure.DONE) >> 2) === IS_SET
    )
      current = 0;
    heap.unregisterThread(id);
    Atomics.sub(heap.i32, pidx(Pool.POOL_SIZE), 1);
    const left = Atomics.sub(heap.i32, pidx(Pool.LIVE), 1) - 1;
    if (left <= 0) futexWake(heap, P + Pool.LIVE, 0x7fffffff);
    replace =
      heap.u32[pidx(Pool.QUEUE_HEAD)] !== 0 && Atomics.load(heap.i32, pidx(Pool.JOIN)) === 0;
    // A thread that ended before it ran (its Worker could not load: out of
    // descriptors or memory) was replaced at once, and its replacement
    // failed the same way: 441–712 Workers in 3 s, a core busy, the task
    // waiting until descriptors were freed. After START_FAILURE_LIMIT in
    // a row none is started for the queue: threads still running take it,
    // and with none left it fails.
    if (!claimed) failures = Atomics.add(heap.i32, pidx(Pool.START_FAILURES), 1) + 1;
    // spawn() counts the new thread in, if it starts.
    if (replace && !(failures < START_FAILURE_LIMIT && spawn())) {
      // Failed under the lock, where they were unlinked: this thread may be
      // ended anywhere (a user's Worker), and a closure unlinked and not
      // yet failed would be lost.
      if (Atomics.load(heap.i32, pidx(Pool.POOL_SIZE)) <= 0) failQueue(heap, startFailed(failures));
    }
  } finally {
    unlockPool(heap);
  }
  if (current !== 0) {
    const u32 = heap.u32;
    u32[(current + Closure.RESULT_KIND) >> 2] = RESULT_DIED;
    u32[(current + Closure.RESULT_FORMAT) >> 2] = Format.NONE;
    // A canceled task's watchdog entry would outlive it: settle the word.
    const word = Atomics.load(heap.i32, (current + Closure.CANCEL) >> 2);
    if ((word & ~THREAD_ID_MASK) !== 0)
      shim().tio_watchdog_settle(heap.addr(current + Closure.CANCEL), word & ~THREAD_ID_MASK);
    publish(heap, current, true);
  }
  return true;
}

/** Threads in a row that may end before they run (Pool.START_FAILURES)
 * before the run queue stops getting replacements. */
const START_FAILURE_LIMIT = 3;

/** Empties the run queue (the pool lock held), failing every closure in
 * it with `error`. */
function failQueue(heap: Heap, error: IoError): void {
  let c = heap.u32[pidx(Pool.QUEUE_HEAD)];
  heap.u32[pidx(Pool.QUEUE_HEAD)] = 0;
  heap.u32[pidx(Pool.QUEUE_TAIL)] = 0;
  while (c !== 0) {
    const next = heap.u32[(c + Closure.NEXT) >> 2]; // before its awaiter may free it
    Atomics.sub(heap.i32, pidx(Pool.QUEUED), 1);
    failUntaken(heap, c, error);
    c = next;
  }
}

function startFailed(failures: number): IoError<"ConcurrencyUnavailable"> {
  return new IoError("ConcurrencyUnavailable", {
    message: `ConcurrencyUnavailable: no pool thread could start for this task (${failures > 1 ? `the last ${failures} ended before they ran` : "its Worker ended as it started"}: out of file descriptors or memory?)`,
  });
}

/** The thread running `closure` (from its cancel word), if it died. While
 * the closure has not started, every dead pool thread: one that took it
 * and died before it began (its CURRENT names it), or one that died idle —
 * the queue waits on threads counted idle, and Bun ends a Worker's
 * children with it (a pool thread a requester started itself, no spawn
 * host serving, when that requester ends), so such a thread dies with
 * nothing of its own to notice and the closure would stay queued forever
 * (found by a newcomer's test: hung until killed). This runs every REAP_CHECK_MS of a
 * wait (then less often): a scan of the flags and one tgkill per thread. */
export function reapRunnerOf(heap: Heap, closure: number, spawn: Spawner): boolean {
  spawn.tend?.(); // the owner's: starts the spawn host if one is wanted
  const id = Atomics.load(heap.i32, (closure + Closure.CANCEL) >> 2) & THREAD_ID_MASK;
  if (id !== 0) return reapIfDead(heap, id, spawn);
  // Not started: still queued, or taken by a thread that died before it
  // began (take() makes it that thread's CURRENT as it unlinks it).
  return reapAll(heap, spawn) > 0;
}

/** Every dead pool thread (the join, and waits on whole groups). */
export function reapAll(heap: Heap, spawn: Spawner): number {
  spawn.tend?.();
  let n = 0;
  for (let id = 1; id <= ThreadTable.MAX_THREADS; id++) {
    if (Atomics.load(heap.i32, flagsIndex(id)) !== 0 && reapIfDead(heap, id, spawn)) n++;
  }
  return n;
}
