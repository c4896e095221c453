// The spawn host: the thread that starts pool threads for every thread of
// a pool but its owner. Bun ends a Worker's children with it, wherever they
// are: a pool thread started by a user's Worker that attached died when
// that Worker exited (even after a clean `deinit`), and one started by a
// pool thread died when a task there called `process.exit` — halfway
// through another caller's task (5 of 5 runs; the task failed with "the
// pool thread running this task exited"). So only two threads start pool
// threads: the owner (the thread of `Threaded.init`, whose end ends the
// pool anyway) and this host, a small Worker (spawn_host_thread.ts) the
// owner starts when first needed and ends after deinit's join, when every
// pool thread is gone. First needed: at a user's `handle()` (a Worker is
// about to attach), or once a pool thread asked for a thread and found no
// host (SPAWN_HOST WANTED), at the owner's next dispatch or reap check
// (`Spawner.tend`). That first thread, and any asked for before the host
// runs, its requester starts itself: a foster thread, which leaves once a
// host serves and it has nothing to run (worker_entry.ts). Started
// with every pool's first thread instead, the host cost a pool that never
// needed it 18 ms and 37 ms of CPU (init, one task, deinit: 60–63 ms
// against 42–44, three runs) and a fresh process's first task 5 ms.
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
// While no host serves (none started yet, not Linux, its Worker could not
// be made, or it ended) requesters start threads themselves. While it
// starts (it loads one small module), requests wait for it: SPAWN_HOST
// STARTING, for at most SPAWN_HOST_START_S (reaper.ts).
import type { Heap } from "../substrate/heap.ts";
import { HostState, Pool, PoolBlock, ThreadState } from "../substrate/layout.ts";
import { spawnHostGone, startingSlot } from "./reaper.ts";

export { HostState };

const pidx = (field: number) => (PoolBlock.OFFSET + field) >> 2;

/** The owner's side: starts the host if a requester asked for one
 * (`force`: a user's `handle()`, ahead of any request). Returns the host's
 * Worker, or undefined if none was started now. */
export function tendSpawnHost(
  heap: Heap,
  hostUrl: string,
  poolUrl: string,
  handle: object,
  force: boolean,
): Worker | undefined {
  const i32 = heap.i32;
  const state = Atomics.load(i32, pidx(Pool.SPAWN_HOST));
  if (state !== HostState.WANTED && !(force && state === HostState.NONE)) return undefined;
  if (process.platform !== "linux") {
    // The reapers name a thread by its tid: no host elsewhere.
    Atomics.store(i32, pidx(Pool.SPAWN_HOST), HostState.FAILED);
    return undefined;
  }
  // STARTING before the host can answer (it stores its tid once it runs).
  Atomics.store(i32, pidx(Pool.SPAWN_HOST_SINCE), Math.floor(Date.now() / 1000));
  Atomics.store(i32, pidx(Pool.SPAWN_HOST), HostState.STARTING);
  let worker: Worker | undefined;
  try {
    worker = new Worker(hostUrl);
    worker.postMessage({ handle, url: poolUrl });
  } catch {
    void worker?.terminate();
    Atomics.store(i32, pidx(Pool.SPAWN_HOST), HostState.FAILED);
    return undefined;
  }
  worker.unref(); // never keeps the process alive; deinit ends it
  worker.addEventListener("error", (e) => e.preventDefault());
  // Ended before it served: its waiting requests are written off (reaper.ts
  // `spawnHostGone`), and later ones started by their requesters.
  worker.addEventListener("close", () => {
    Atomics.compareExchange(i32, pidx(Pool.SPAWN_HOST), HostState.STARTING, HostState.FAILED);
  });
  return worker;
}

/**
 * Asks the spawn host for a pool thread, holding the pool lock. True once
 * asked (the thread is counted in, as a spawn counts it), false if the
 * thread table is full, undefined if no host serves: the caller starts it.
 */
export function requestSpawn(heap: Heap): boolean | undefined {
  // None yet: this thread starts this one, and the owner is asked to start
  // a host for the next (its next dispatch or reap check; a host started
  // with every pool cost a pool that never needed one 15 ms and 36 ms of
  // CPU: init, one task, deinit).
  Atomics.compareExchange(heap.i32, pidx(Pool.SPAWN_HOST), HostState.NONE, HostState.WANTED);
  if (spawnHostGone(heap)) return undefined;
  if (startingSlot(heap, ThreadState.REQUESTED) === undefined) return false;
  Atomics.add(heap.i32, pidx(Pool.SPAWN_REQUESTS), 1);
  Atomics.notify(heap.i32, pidx(Pool.SPAWN_REQUESTS));
  return true;
}

/** Whether a spawn host serves now (true), never will (false: it failed,
 * it ended — none is started again —, or there is none off Linux), or may
 * yet (undefined: none asked for, wanted, starting). */
export function spawnHostServes(heap: Heap): boolean | undefined {
  const host = Atomics.load(heap.i32, pidx(Pool.SPAWN_HOST));
  if (host === HostState.FAILED) return false;
  if (host > 0) return !spawnHostGone(heap);
  return undefined;
}
