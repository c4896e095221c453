// The vtable's mutex and condition entries (Zig's: mutexLock,
// mutexLockUncancelable, mutexUnlock, conditionWait,
// conditionWaitUncancelable, conditionWake), with Zig's leak fixed: a
// canceled condition wait gives its waiter count back.
import { Canceled } from "../io/errors.ts";
import type { Io } from "../io/io.ts";
import type { Mutex } from "../io/mutex.ts";
import {
  giveBackWaiter,
  ONE_SIGNAL,
  ONE_WAITER,
  WAITER_MASK,
  type Condition,
} from "../io/condition.ts";
import type { Wake } from "../io/vtable.ts";
import { futexWait, futexWaitUncancelable, futexWake } from "../substrate/futex.ts";
import { lockSlow, unlockSlow } from "../substrate/mutex_word.ts";

export function mutexLock(_t: unknown, prev: number, m: Mutex): void {
  lockSlow(m.heap, m.ref, prev, true);
}

export function mutexLockUncancelable(_t: unknown, prev: number, m: Mutex): void {
  lockSlow(m.heap, m.ref, prev, false);
}

export function mutexUnlock(_t: unknown, _prev: number, m: Mutex): void {
  unlockSlow(m.heap, m.ref);
}

/**
 * Waits on `cond`, Zig's algorithm. The epoch is read before the waiter is
 * added, or a wake could be missed:
 *   T1: s = LOAD(state)
 *   T2: UPDATE(state, signal); UPDATE(epoch, 1) + FUTEX_WAKE(epoch)
 *   T1: e = LOAD(epoch) (reordered after the state load)
 *   T1: s has no signal → FUTEX_WAIT(epoch, e): missed both changes
 * Atomics are sequentially consistent, which gives the order Zig's `Threaded.zig` asks
 * for with acquire/release.
 */
export function conditionWaitWith(
  io: Io,
  cond: Condition,
  mutex: Mutex,
  cancelable: boolean,
): void {
  const heap = cond.heap;
  const i32 = heap.i32;
  const s = cond.stateOffset >> 2;
  const epochOff = cond.epochOffset;
  let epoch = Atomics.load(i32, epochOff >> 2);
  const before = Atomics.add(i32, s, ONE_WAITER);
  if ((before & WAITER_MASK) === WAITER_MASK) {
    giveBackWaiter(i32, s);
    throw new Error("Condition has 65535 waiters");
  }
  try {
    mutex.unlock(io);
  } catch (e) {
    // Not locked by the caller (a BugError): the waiter is given back, or
    // it stayed counted for good and deinit was refused ever after.
    giveBackWaiter(i32, s);
    throw e;
  }
  try {
    for (;;) {
      if (cancelable) {
        try {
          futexWait(heap, epochOff, epoch);
        } catch (e) {
          if (e instanceof Canceled) giveBackWaiter(i32, s);
          throw e;
        }
      } else {
        futexWaitUncancelable(heap, epochOff, epoch);
      }
      epoch = Atomics.load(i32, epochOff >> 2);
      let state = Atomics.load(i32, s);
      // Consume a signal along with the waiter added above.
      while (state >>> 16 !== 0) {
        const prev = Atomics.compareExchange(i32, s, state, state - ONE_WAITER - ONE_SIGNAL);
        if (prev === state) return;
        state = prev;
      }
    }
  } finally {
    mutex.lockUncancelable(io);
  }
}

/** Zig's conditionWake: reserve signals for waiters not yet signalled, then
 * bump the epoch and wake that many. The signal is added before the epoch
 * changes, or a waiter could read the new epoch with no signal and sleep. */
export function conditionWake(_t: unknown, cond: Condition, wake: Wake): void {
  const i32 = cond.heap.i32;
  const s = cond.stateOffset >> 2;
  let state = Atomics.load(i32, s);
  for (;;) {
    const waiters = state & WAITER_MASK;
    const signals = state >>> 16;
    const wakeable = waiters - signals;
    if (wakeable <= 0) return;
    const toWake = wake === "one" ? 1 : wakeable;
    const prev = Atomics.compareExchange(i32, s, state, state + ONE_SIGNAL * toWake);
    if (prev === state) {
      Atomics.add(i32, cond.epochOffset >> 2, 1);
      // The woken need the mutex the signaller usually holds: the yield
      // waits for its unlock (futex.ts `payOwedYield`).
      futexWake(cond.heap, cond.epochOffset, toWake, "owe");
      return;
    }
    state = prev;
  }
}
