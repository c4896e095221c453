// Zig's mutex algorithm on one heap word (Io.Mutex.State):
//   LOCKED_ONCE 0 (locked, no waiters) · UNLOCKED 1 · CONTENDED 2.
// The fast paths are the interface's (an atomic AND to lock, a CAS to
// unlock); the slow paths are Zig's mutexLock / mutexLockUncancelable /
// mutexUnlock. `lockWord`/`unlockWord` use it uncancelably for the heap's
// own lock.
import type { Heap } from "./heap.ts";
import { futexWait, futexWaitUncancelable, futexWake } from "./futex.ts";

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

export function lockWord(heap: Heap, off: number): void {
  const prev = lockFast(heap.i32, off >> 2);
  if ((prev & UNLOCKED) === 0) lockSlow(heap, off, prev, false);
}

export function unlockWord(heap: Heap, off: number): void {
  const prev = unlockFast(heap.i32, off >> 2);
  if (prev === LOCKED_ONCE) return;
  if (prev === UNLOCKED) throw new Error("Unlocking a mutex that is not locked");
  unlockSlow(heap, off);
}
