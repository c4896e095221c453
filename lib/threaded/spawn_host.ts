// The spawn host: the thread that starts pool threads for every thread of
// a pool but its owner. Bun ends a Worker's children with it, wherever they
// are: a pool thread started by a user's Worker that attached died when
// that Worker exited (even after a clean `deinit`), and one started by a
// pool thread died when a task there called `process.exit` — halfway
// through another caller's task (5 of 5 runs; the task failed with "the
// pool thread running this task exited"). So only two threads start pool
// threads: the owner (the thread of `Threaded.init`, whose end ends the
// pool anyway) and this host, a Worker the owner starts with the pool's
// first thread and ends after deinit's join, when every pool thread is gone.
//
// Protocol (the pool lock orders every step against the reaper's):
//   requester (holding the pool lock, in dispatch or a reap): reserve a
//             slot (parent: itself), count the thread in, mark the slot
//             STARTING | REQUESTED; bump SPAWN_REQUESTS and notify it.
//   host:     wait on SPAWN_REQUESTS (an untimed Atomics.waitAsync: no
//             CPU while idle); under the pool lock, for each REQUESTED
//             slot make itself the parent and clear REQUESTED; then start
//             a Worker for each, as the owner would.
//   reaper:   a slot still REQUESTED is gone when its requester is gone or
//             the host is (reaper.ts `slotGone`): it is counted out, and a
//             replacement requested if work is queued.
// A host not serving yet (it loads the library first) or gone: the
// requester starts the thread itself, as before the host existed.
import type { Heap } from "../substrate/heap.ts";
import { Pool, PoolBlock, ThreadState, ThreadTable } from "../substrate/layout.ts";
import { shim } from "../ffi/shim.ts";
import { countStarting, lockPool, unlockPool } from "./pool.ts";
import {
  commitStartingThread,
  reserveStartingThread,
  spawnHostGone,
  type StartingSlot,
} from "./reaper.ts";

const pidx = (field: number) => (PoolBlock.OFFSET + field) >> 2;
const flagsIndex = (id: number) => (ThreadState.FLAGS >> 2) + id - 1;
const WANTED = ThreadState.STARTING | ThreadState.REQUESTED;

/** Starts the spawn host (the owner, with the pool's first thread or a
 * user's first `handle()`); undefined if its Worker could not be made
 * (requests then fall back to their requesters). */
export function startSpawnHost(heap: Heap, url: string, handle: object): Worker | undefined {
  let worker: Worker;
  try {
    worker = new Worker(url);
    worker.postMessage({ spawnHost: handle });
  } catch {
    return undefined;
  }
  // Starting: requests wait for it (a thread started by a requester
  // itself dies with that requester).
  Atomics.store(heap.i32, pidx(Pool.SPAWN_HOST_SINCE), Math.floor(Date.now() / 1000));
  Atomics.store(heap.i32, pidx(Pool.SPAWN_HOST), -1);
  worker.unref(); // never keeps the process alive; deinit ends it
  worker.addEventListener("error", (e) => e.preventDefault());
  // Ended before it served: its waiting requests are written off (reaper.ts
  // `spawnHostGone`) and later ones started by their requesters.
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

/** Starts a pool thread for a reserved, counted slot; false if its Worker
 * could not be made (the slot is then still counted). */
export type ThreadStarter = (slot: StartingSlot) => boolean;

/** The host's loop: announces itself, then serves requests until the
 * owner ends this thread. `spawn` starts a thread from scratch (a retry). */
export async function serveSpawns(
  heap: Heap,
  start: ThreadStarter,
  spawn: () => boolean,
): Promise<never> {
  const i32 = heap.i32;
  const tid = Number(shim().tio_thread_handle());
  Atomics.store(i32, pidx(Pool.SPAWN_HOST), tid); // requests made while it started are served below
  for (;;) {
    const seq = Atomics.load(i32, pidx(Pool.SPAWN_REQUESTS));
    for (const slot of takeRequests(heap, tid)) {
      if (!start(slot)) failed(heap, slot, spawn);
    }
    const wait = Atomics.waitAsync(i32, pidx(Pool.SPAWN_REQUESTS), seq);
    if (wait.async) await wait.value;
  }
}

/** The REQUESTED slots, now this thread's to start. */
function takeRequests(heap: Heap, tid: number): StartingSlot[] {
  const taken: StartingSlot[] = [];
  lockPool(heap);
  try {
    for (let id = 1; id <= ThreadTable.MAX_THREADS; id++) {
      const flags = Atomics.load(heap.i32, flagsIndex(id));
      if ((flags & 0xff) !== WANTED) continue;
      heap.reparentThread(id, tid);
      Atomics.store(heap.i32, flagsIndex(id), flags & ~ThreadState.REQUESTED);
      taken.push({ id, flags: flags & ~ThreadState.REQUESTED });
    }
  } finally {
    unlockPool(heap);
  }
  return taken;
}

const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5000;

/** A Worker the host could not make: its slot is counted out; and if work
 * waits with no thread to run it, the host tries again later (a dispatch
 * whose own spawn failed ran the task inline or refused it; this one is
 * already queued, and its awaiter must not wait forever). */
function failed(heap: Heap, slot: StartingSlot, spawn: () => boolean): void {
  lockPool(heap);
  let starving: boolean;
  try {
    if (Atomics.compareExchange(heap.i32, flagsIndex(slot.id), slot.flags, 0) === slot.flags) {
      countStarting(heap, -1);
      heap.unregisterThread(slot.id);
    }
    starving = starved(heap);
  } finally {
    unlockPool(heap);
  }
  if (starving) retryLater(heap, spawn, RETRY_FIRST_MS);
}

function retryLater(heap: Heap, spawn: () => boolean, ms: number): void {
  setTimeout(() => {
    if (heap.closed) return;
    lockPool(heap);
    let again = false;
    try {
      again = starved(heap) && !spawn();
    } finally {
      unlockPool(heap);
    }
    if (again) retryLater(heap, spawn, Math.min(ms * 2, RETRY_MAX_MS));
  }, ms);
}

/** Work is queued and no thread is idle to take it (under the pool lock). */
function starved(heap: Heap): boolean {
  const i32 = heap.i32;
  if (heap.u32[pidx(Pool.QUEUE_HEAD)] === 0 || Atomics.load(i32, pidx(Pool.JOIN)) !== 0)
    return false;
  return (
    Atomics.load(i32, pidx(Pool.POOL_SIZE)) - Math.max(0, Atomics.load(i32, pidx(Pool.BUSY))) <= 0
  );
}
