// The spawn host: the thread that starts pool threads for every thread of
// a pool but its owner. Bun ends a Worker's children with it, wherever they
// are: a pool thread started by a user's Worker that attached died when
// that Worker exited (even after a clean `deinit`), and one started by a
// pool thread died when a task there called `process.exit` — halfway
// through another caller's task (5 of 5 runs; the task failed with "the
// pool thread running this task exited"). So only two threads start pool
// threads: the owner (the thread of `Threaded.init`, whose end ends the
// pool anyway) and this host, a small Worker (spawn_host_thread.ts) the
// owner starts with the pool's first thread (or a user's first `handle()`)
// and ends after deinit's join, when every pool thread is gone.
//
// Protocol, on a thread-table slot's flags word (reaper.ts):
//   requester (holding the pool lock, in dispatch or a reap): reserve a
//             slot, count the thread in, mark the slot STARTING |
//             REQUESTED; bump SPAWN_REQUESTS and notify it.
//   host:     wait on SPAWN_REQUESTS (an untimed Atomics.waitAsync: no CPU
//             while idle); CAS each REQUESTED slot to HOSTED and start a
//             Worker for it; mark the slot CLOSED if that Worker ends
//             before claiming it.
//   reaper:   (CASes the same word to 0, so it and the host never both
//             win) counts out a slot that is REQUESTED whose requester or
//             host is gone, HOSTED whose host is gone, or CLOSED, and has
//             a replacement started if work is queued.
// While no host serves (none started: not Linux, or its Worker could not
// be made; or it ended) requesters start threads themselves, as before the
// host existed. While it starts (it loads one small module), requests wait
// for it: SPAWN_HOST −1, for at most SPAWN_HOST_START_S (reaper.ts).
import type { Heap } from "../substrate/heap.ts";
import { Pool, PoolBlock, ThreadState } from "../substrate/layout.ts";
import { countStarting } from "./pool.ts";
import {
  commitStartingThread,
  reserveStartingThread,
  spawnHostGone,
  type StartingSlot,
} from "./reaper.ts";

const pidx = (field: number) => (PoolBlock.OFFSET + field) >> 2;

/** The spawn host's Worker, not yet told what to serve: made early where
 * its start can overlap other work (`Threaded.init`'s shim compile for a
 * thread's first pool). Undefined where there is no host: not Linux (the
 * reapers ask after a thread by its tid), or the Worker could not be made. */
export function newSpawnHost(hostUrl: string): Worker | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    const worker = new Worker(hostUrl);
    worker.unref(); // never keeps the process alive; deinit ends it
    worker.addEventListener("error", (e) => e.preventDefault());
    return worker;
  } catch {
    return undefined;
  }
}

/** Makes `worker` (newSpawnHost) the heap's spawn host, starting pool
 * threads from `poolUrl` with `handle`; undefined if it cannot be told. */
export function startSpawnHost(
  heap: Heap,
  worker: Worker | undefined,
  poolUrl: string,
  handle: object,
): Worker | undefined {
  if (worker === undefined) return undefined;
  try {
    worker.postMessage({ handle, url: poolUrl });
  } catch {
    void worker.terminate();
    return undefined;
  }
  Atomics.store(heap.i32, pidx(Pool.SPAWN_HOST_SINCE), Math.floor(Date.now() / 1000));
  Atomics.store(heap.i32, pidx(Pool.SPAWN_HOST), -1);
  // Ended before it served: its waiting requests are written off (reaper.ts
  // `spawnHostGone`), and later ones started by their requesters.
  worker.addEventListener("close", () => {
    Atomics.compareExchange(heap.i32, pidx(Pool.SPAWN_HOST), -1, 0);
  });
  return worker;
}

/**
 * Asks the spawn host for a pool thread, holding the pool lock. True once
 * asked (the thread is counted in, as a spawn counts it), false if the
 * thread table is full, undefined if no host serves: the caller starts it.
 */
export function requestSpawn(heap: Heap): boolean | undefined {
  if (spawnHostGone(heap)) return undefined;
  const slot = reserveStartingThread(heap);
  if (slot === undefined) return false;
  countStarting(heap, 1);
  commitStartingThread(heap, { id: slot.id, flags: slot.flags | ThreadState.REQUESTED });
  Atomics.add(heap.i32, pidx(Pool.SPAWN_REQUESTS), 1);
  Atomics.notify(heap.i32, pidx(Pool.SPAWN_REQUESTS));
  return true;
}
