// Zig's mutex algorithm on one heap word (Io.Mutex.State):
//   LOCKED_ONCE 0 (locked, no waiters) · UNLOCKED 1 · CONTENDED 2.
// The fast paths are the interface's (an atomic AND to lock, a CAS to
// unlock); the slow paths are Zig's mutexLock / mutexLockUncancelable /
// mutexUnlock. The library's own locks (`lockWord`/`unlockWord`, below)
// add an owner so that a lock whose owner died is not waited for forever.
import type { Heap } from "./heap.ts";
import { futexWait, futexWaitTimeout, futexWaitUncancelable, futexWake } from "./futex.ts";
import { shim } from "../ffi/shim.ts";
import { E } from "../os/index.ts";

export const LOCKED_ONCE = 0;
export const UNLOCKED = 1;
export const CONTENDED = 2;

/** Interface fast path: clears the unlocked bit; returns the previous state. */
export function lockFast(i32: Int32Array, index: number): number {
  return Atomics.and(i32, index, ~UNLOCKED);
}

/** Zig's mutexLock (cancelable) and mutexLockUncancelable. */
export function lockSlow(heap: Heap, off: number, prev: number, cancelable: boolean): void {
  const wait = cancelable ? futexWait : futexWaitUncancelable;
  if (prev === CONTENDED) wait(heap, off, CONTENDED);
  while (Atomics.exchange(heap.i32, off >> 2, CONTENDED) !== UNLOCKED) {
    wait(heap, off, CONTENDED);
  }
}

/** Interface fast path: LOCKED_ONCE → UNLOCKED; returns the observed state. */
export function unlockFast(i32: Int32Array, index: number): number {
  return Atomics.compareExchange(i32, index, LOCKED_ONCE, UNLOCKED);
}

/** Zig's mutexUnlock. */
export function unlockSlow(heap: Heap, off: number): void {
  if (Atomics.exchange(heap.i32, off >> 2, UNLOCKED) === CONTENDED) futexWake(heap, off, 1);
}

// --- the library's own locks (the heap's and the pool's) -----------------
//
// A thread can die holding one of them: Bun ends a Worker wherever it is
// when its parent calls terminate() or exits (and a pool thread a user's
// Worker started ends with that Worker), even inside a futex wait. A user's
// Worker terminated while it dispatched in a loop left the pool's lock held
// within 7 rounds, and every thread of the process then waited for it
// forever (spec/stress/worker_failure.test.ts). So these locks name their
// owner, and a waiter that has slept REAP_CHECK_MS (then longer) asks
// whether the owner still exists; if not, it takes the lock over and lets
// the lock's `repair` put the state it guards back in order.
//
// The word: UNLOCKED (1), or locked: bit 1 set when someone waits (Zig's
// CONTENDED), bits 2.. the owner's kernel thread id (Linux tids are below
// 2^22; 0 where the owner cannot be named: other systems). The tid, not
// the thread-table id: a thread holds these locks before it has a table
// slot (registering takes the heap's lock; a new pool thread attaches
// before it claims its slot), and one ended there must be nameable too.
// Taken with a CAS instead of Zig's AND (the owner must be in the word the
// moment it is locked), released with an exchange: the same cost.

const WAITED = 2;

/** Puts in order what a lock guards, after `deadTid` died holding it. */
export type Repair = (heap: Heap, deadTid: number) => void;

/** This thread's owner tag (its tid << 2), read once per thread: module
 * state is per thread, each Worker loading its own copy. */
let ownTag = -1;

function ownerTag(): number {
  if (ownTag < 0) {
    const tid = process.platform === "linux" ? Number(shim().tio_thread_handle()) : 0;
    ownTag = tid > 0 && tid < 2 ** 29 ? tid << 2 : 0;
  }
  return ownTag;
}

/** Takes a library lock; `repair` runs, holding it, if its owner (a tid)
 * died. */
export function lockWord(heap: Heap, off: number, repair?: Repair): void {
  const mine = ownTag < 0 ? ownerTag() : ownTag;
  if (Atomics.compareExchange(heap.i32, off >> 2, UNLOCKED, mine) !== UNLOCKED)
    lockWordSlow(heap, off, mine, repair);
}

function lockWordSlow(heap: Heap, off: number, mine: number, repair: Repair | undefined): void {
  const i32 = heap.i32;
  const index = off >> 2;
  for (let round = 0; ;) {
    let seen = Atomics.load(i32, index);
    if (seen === UNLOCKED) {
      // Taken after a wait: as CONTENDED (Zig), others may still wait.
      if (Atomics.compareExchange(i32, index, UNLOCKED, mine | WAITED) === UNLOCKED) return;
      continue;
    }
    if ((seen & WAITED) === 0) {
      if (Atomics.compareExchange(i32, index, seen, seen | WAITED) !== seen) continue;
      seen |= WAITED;
    }
    if (futexWaitTimeout(heap, off, seen, reapCheckNs(round++), false)) continue;
    // Slept the whole timeout on one owner: is it still there?
    const owner = seen >>> 2;
    if (owner === 0 || !tidGone(owner)) continue;
    if (Atomics.compareExchange(i32, index, seen, mine | WAITED) !== seen) continue;
    repair?.(heap, owner);
    return;
  }
}

export function unlockWord(heap: Heap, off: number): void {
  const prev = Atomics.exchange(heap.i32, off >> 2, UNLOCKED);
  if (prev === UNLOCKED) throw new Error("Unlocking a mutex that is not locked");
  if ((prev & WAITED) !== 0) futexWake(heap, off, 1);
}

/** How long the `round`th bounded sleep of a wait lasts before it checks
 * for a dead thread: REAP_CHECK_MS, doubling to 800 ms. */
export function reapCheckNs(round: number): bigint {
  // Not `<<`: past 24 rounds (20 s) a 32-bit shift goes negative.
  return BigInt(Math.min(REAP_CHECK_MS * 2 ** Math.min(round, 4), REAP_CHECK_MAX_MS)) * 1_000_000n;
}

export const REAP_CHECK_MS = 100;
const REAP_CHECK_MAX_MS = 800;

/** Whether kernel thread `tid` of this process has exited. */
export function tidGone(tid: number): boolean {
  return shim().tio_thread_signal(tid, 0) === -(E.ESRCH as number);
}

/** Whether thread `id` of `heap` has exited: the handle in its slot names a
 * thread that is gone. False when the slot is empty or reserved for a
 * thread still starting (reaper.ts `slotGone` judges those). */
export function threadGone(heap: Heap, id: number): boolean {
  const handle = heap.threadHandle(id);
  return handle > 1 && tidGone(handle);
}
