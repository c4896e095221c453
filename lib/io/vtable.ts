// The Io vtable: what an implementation of `Io` provides. Entries are named
// and ordered as the seed's `io()` (Zig's Io.VTable); each takes the
// implementation's `userdata` first. Areas land issue by issue: the pool
// (async … select, group*), files (dir*, file*), networking (net*).
//
// One entry is this port's own: `sharedHeap`, because objects that several
// threads touch (Mutex, Condition, ResetEvent, ...) must live in memory every
// thread maps, and only the implementation knows where that is.
import type { Heap } from "../threaded/heap.ts";
import type { Condition } from "./condition.ts";
import type { Mutex } from "./mutex.ts";
import type { ClockName, Timeout, Timestamp } from "./time.ts";

export type Wake = "one" | "all";

export interface VTable<U = unknown> {
  // 1. futures and cancelation
  cancelRequested(userdata: U): boolean;
  // 3. mutex slow paths (the fast paths are in Mutex itself)
  mutexLock(userdata: U, prevState: number, mutex: Mutex): void;
  mutexLockUncancelable(userdata: U, prevState: number, mutex: Mutex): void;
  mutexUnlock(userdata: U, prevState: number, mutex: Mutex): void;
  // 4. condition
  conditionWait(userdata: U, cond: Condition, mutex: Mutex): void;
  conditionWaitUncancelable(userdata: U, cond: Condition, mutex: Mutex): void;
  conditionWake(userdata: U, cond: Condition, wake: Wake): void;
  // 6. time
  now(userdata: U, clock: ClockName): Timestamp;
  sleep(userdata: U, timeout: Timeout): void;
  // port-specific
  sharedHeap(userdata: U): Heap;
}
