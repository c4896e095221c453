// Pool threads that die inside a task — `process.exit()` in a task, or an
// uncaught error in a callback it left behind, both end a Bun Worker — must
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
import { shim } from "../ffi/shim.ts";
import type { Heap } from "../substrate/heap.ts";
import {
  Closure,
  Header,
  Pool,
  PoolBlock,
  RESULT_DIED,
  ThreadState,
  ThreadTable,
  Format,
} from "../substrate/layout.ts";
import { lockWord, unlockWord } from "../substrate/mutex_word.ts";
import { futexWake } from "../substrate/futex.ts";
import { publish } from "./closure.ts";
import { THREAD_ID_MASK } from "../substrate/cancel.ts";
import { os } from "../os/index.ts";

export const REAP_CHECK_MS = 100;
const REAP_CHECK_MAX_MS = 800;

/** How long the `round`th bounded sleep of one blocking wait lasts before
 * it checks for a dead thread: REAP_CHECK_MS, doubling to 800 ms, as the
 * async waits' keep-alive poll. Every check wakes a thread that sleeps: a
 * blocking `await(io)` of 5 s cost 17.7 ms of process CPU checking every
 * 100 ms, 6.1–6.2 ms backing off, against 6.8–7.4 for the same process
 * with nothing in flight (bench/fixtures/idle_await.ts). A thread's death
 * is found at most 800 ms late in a long wait. */
export function reapCheckNs(round: number): bigint {
  // Not `<<`: past 24 rounds (20 s) a 32-bit shift goes negative.
  return BigInt(Math.min(REAP_CHECK_MS * 2 ** Math.min(round, 4), REAP_CHECK_MAX_MS)) * 1_000_000n;
}

const P = PoolBlock.OFFSET;
const pidx = (f: number) => (P + f) >> 2;

export function markPoolThread(heap: Heap, id: number): void {
  Atomics.store(heap.i32, (ThreadState.FLAGS >> 2) + id - 1, ThreadState.POOL_THREAD);
  Atomics.store(heap.i32, (ThreadState.CURRENT >> 2) + id - 1, 0);
}

export function unmarkPoolThread(heap: Heap, id: number): void {
  Atomics.store(heap.i32, (ThreadState.FLAGS >> 2) + id - 1, 0);
}

function isDead(heap: Heap, id: number): boolean {
  const handle = heap.threadHandle(id);
  if (handle === 0) return false;
  return shim().tio_thread_signal(handle, 0) === -(os.errno.ESRCH as number);
}

/**
 * Reaps pool thread `id` if it has died; returns true if it did. `spawn`
 * starts a replacement (the Threaded's spawner).
 */
export function reapIfDead(heap: Heap, id: number, spawn: () => boolean): boolean {
  if (id <= 0 || id > ThreadTable.MAX_THREADS) return false;
  if ((Atomics.load(heap.i32, (ThreadState.FLAGS >> 2) + id - 1) & ThreadState.POOL_THREAD) === 0)
    return false;
  if (!isDead(heap, id)) return false;
  lockWord(heap, P + Pool.LOCK);
  let current = 0;
  let replace = false;
  try {
    // Another waiter may have reaped it meanwhile.
    if (
      heap.threadHandle(id) === 0 ||
      Atomics.load(heap.i32, (ThreadState.FLAGS >> 2) + id - 1) === 0
    )
      return false;
    current = Atomics.exchange(heap.i32, (ThreadState.CURRENT >> 2) + id - 1, 0);
    Atomics.store(heap.i32, (ThreadState.FLAGS >> 2) + id - 1, 0);
    heap.unregisterThread(id);
    Atomics.sub(heap.i32, pidx(Pool.POOL_SIZE), 1);
    const left = Atomics.sub(heap.i32, pidx(Pool.LIVE), 1) - 1;
    if (left === 0) futexWake(heap, P + Pool.LIVE, 0x7fffffff);
    replace =
      heap.u32[pidx(Pool.QUEUE_HEAD)] !== 0 && Atomics.load(heap.i32, pidx(Pool.JOIN)) === 0;
    if (replace) {
      Atomics.add(heap.i32, pidx(Pool.POOL_SIZE), 1);
      Atomics.add(heap.i32, pidx(Pool.LIVE), 1);
      Atomics.add(heap.i32, pidx(Pool.SPAWNED_TOTAL), 1);
      if (!spawn()) {
        Atomics.sub(heap.i32, pidx(Pool.POOL_SIZE), 1);
        Atomics.sub(heap.i32, pidx(Pool.LIVE), 1);
        Atomics.sub(heap.i32, pidx(Pool.SPAWNED_TOTAL), 1);
      }
    }
  } finally {
    unlockWord(heap, P + Pool.LOCK);
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

/** The thread running `closure` (from its cancel word), if it died. While
 * no thread has taken the closure yet, any pool thread that died idle: the
 * queue waits on threads counted idle, and Bun ends a Worker's children
 * with it (a pool thread started from a user's Worker that attached, which
 * then exited), so such a thread dies with nothing of its own to notice —
 * the closure would stay queued forever (found by a newcomer's test:
 * hung until killed). Work queued while threads count as idle is the sign:
 * a live idle thread takes it within microseconds, and this runs every
 * REAP_CHECK_MS of a wait. */
export function reapRunnerOf(heap: Heap, closure: number, spawn: () => boolean): boolean {
  const id = Atomics.load(heap.i32, (closure + Closure.CANCEL) >> 2) & THREAD_ID_MASK;
  if (id !== 0) return reapIfDead(heap, id, spawn);
  const queued = Atomics.load(heap.i32, pidx(Pool.QUEUED));
  const running = Atomics.load(heap.i32, pidx(Pool.BUSY)) - queued;
  const idle = Atomics.load(heap.i32, pidx(Pool.POOL_SIZE)) - running;
  return queued > 0 && idle > 0 && reapAll(heap, spawn) > 0;
}

/** Every dead pool thread (the join, and waits on whole groups). */
export function reapAll(heap: Heap, spawn: () => boolean): number {
  let n = 0;
  const count = Atomics.load(heap.i32, Header.THREAD_COUNT >> 2);
  if (count === 0) return 0;
  for (let id = 1; id <= ThreadTable.MAX_THREADS; id++) {
    if (
      Atomics.load(heap.i32, (ThreadState.FLAGS >> 2) + id - 1) !== 0 &&
      reapIfDead(heap, id, spawn)
    )
      n++;
  }
  return n;
}
