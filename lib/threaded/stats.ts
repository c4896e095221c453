// `threaded.stats()`: live counters of a Threaded, read from words the pool
// and the cancel protocol already keep or bump with one Atomics.add where
// the event happens (layout.ts Pool). Reading them takes no lock on the
// pool, so polling every second costs a few loads (and the heap lock for
// its byte counts, held for two loads).
//
// The words are read one by one while threads change them, so a snapshot
// is not atomic: `busy` is derived as BUSY (queued or running) − QUEUED and
// clamped to [0, live], and may be off by the tasks that moved meanwhile.
import type { Heap } from "../substrate/heap.ts";
import { Pool, PoolBlock } from "../substrate/layout.ts";

/** A snapshot of a Threaded's pool, tasks, cancels and heap. */
export interface ThreadedStats {
  readonly threads: {
    /** Pool threads started and not yet gone. */
    readonly live: number;
    /** Pool threads running a task. */
    readonly busy: number;
    /** Pool threads waiting for work. */
    readonly idle: number;
    /** Pool threads ever started. */
    readonly spawnedTotal: number;
  };
  readonly tasks: {
    /** Tasks handed to the pool and not yet taken by a thread. */
    readonly queued: number;
    /** Tasks ever handed to the pool (async, concurrent, group members). */
    readonly pool: number;
    /** Tasks ever run inline on their caller (async and groupAsync when
     * every allowed thread was busy, or the heap was full). */
    readonly inline: number;
  };
  readonly cancels: {
    /** Tasks whose cancel was requested (the first request of each). */
    readonly requested: number;
    /** Requests that found their task running: a signal was sent. */
    readonly signaled: number;
    /** `Canceled` raised in a task (a task may raise it more than once). */
    readonly delivered: number;
  };
  readonly heap: {
    /** Bytes of live allocations (what callers asked for). */
    readonly inUse: number;
    /** Bytes the shared heap holds now. */
    readonly reserved: number;
    /** The most it may grow to. */
    readonly max: number;
  };
}

const word = (heap: Heap, field: number): number =>
  Atomics.load(heap.i32, (PoolBlock.OFFSET + field) >> 2);

export function readStats(heap: Heap): ThreadedStats {
  const live = Math.max(0, word(heap, Pool.POOL_SIZE));
  const queued = Math.max(0, word(heap, Pool.QUEUED));
  const busy = Math.min(live, Math.max(0, word(heap, Pool.BUSY) - queued));
  const h = heap.stats();
  return {
    threads: {
      live,
      busy,
      idle: live - busy,
      spawnedTotal: word(heap, Pool.SPAWNED_TOTAL) >>> 0,
    },
    tasks: {
      queued,
      pool: word(heap, Pool.DISPATCHED_TOTAL) >>> 0,
      inline: word(heap, Pool.INLINE_TOTAL) >>> 0,
    },
    cancels: {
      requested: word(heap, Pool.CANCELS_REQUESTED) >>> 0,
      signaled: word(heap, Pool.CANCEL_SIGNALS) >>> 0,
      delivered: word(heap, Pool.CANCELS_DELIVERED) >>> 0,
    },
    heap: { inUse: h.liveBytes, reserved: h.capacity, max: h.maxCapacity },
  };
}
