// The spawn host's thread (the protocol is in spawn_host.ts). It loads no
// more than this file and the heap's layout: it is a Worker of its own for
// as long as the pool lives, and loading the library there cost a fresh
// process's first task 13 ms and 25 ms of CPU (medians of six runs, the
// host started with the first pool thread). So it takes the pool lock
// nowhere: it moves a slot from REQUESTED to HOSTED with a CAS on the
// slot's flags — the reaper writes a slot off with a CAS on the same word,
// so exactly one of the two wins — and marks CLOSED a slot whose Worker
// ended before claiming it, for the reapers to count out.
import { readlinkSync } from "node:fs";
import { HostState, Pool, PoolBlock, ThreadState, ThreadTable } from "../substrate/layout.ts";

declare const self: Worker;

const pidx = (field: number) => (PoolBlock.OFFSET + field) >> 2;
const flagsIndex = (id: number) => (ThreadState.FLAGS >> 2) + id - 1;
const WANTED = ThreadState.STARTING | ThreadState.REQUESTED;

/** The start-up message: the handle a pool thread attaches with, and the
 * pool thread's entry module. */
export interface SpawnHostStart {
  readonly handle: { readonly heap: SharedArrayBuffer };
  readonly url: string;
}

self.onmessage = (e: MessageEvent) => {
  // A message listener keeps this thread's event loop alive (a pending
  // Atomics.waitAsync does not); no other message comes.
  self.onmessage = () => {};
  void serve(e.data as SpawnHostStart);
};

async function serve({ handle, url }: SpawnHostStart): Promise<void> {
  const i32 = new Int32Array(handle.heap);
  // "/proc/<pid>/task/<tid>": the tid the reapers ask after (tgkill).
  let tid = 0;
  try {
    tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
  } catch {
    // Unnamed, it cannot serve: FAILED, so that
    // waiting requests are written off and the requesters start threads.
  }
  if (!(tid > 0)) {
    Atomics.store(i32, pidx(Pool.SPAWN_HOST), HostState.FAILED);
    return;
  }
  Atomics.store(i32, pidx(Pool.SPAWN_HOST), tid); // requests made meanwhile are served below
  for (;;) {
    const seq = Atomics.load(i32, pidx(Pool.SPAWN_REQUESTS));
    for (let id = 1; id <= ThreadTable.MAX_THREADS; id++) {
      const flags = Atomics.load(i32, flagsIndex(id));
      if ((flags & 0xff) !== WANTED) continue;
      const mine = (flags & ~ThreadState.REQUESTED) | ThreadState.HOSTED;
      if (Atomics.compareExchange(i32, flagsIndex(id), flags, mine) === flags)
        start(i32, handle, url, { id, flags: mine });
    }
    // Untimed: no CPU while nothing is asked (a timed one polls in Bun 1.4).
    const wait = Atomics.waitAsync(i32, pidx(Pool.SPAWN_REQUESTS), seq);
    if (wait.async) await wait.value;
  }
}

function start(
  i32: Int32Array,
  handle: SpawnHostStart["handle"],
  url: string,
  slot: { id: number; flags: number },
): void {
  // Ended before it claimed its slot (its start failed): the reapers count
  // it out, and start a replacement if work is queued.
  const closed = () =>
    Atomics.compareExchange(i32, flagsIndex(slot.id), slot.flags, slot.flags | ThreadState.CLOSED);
  let worker: Worker | undefined;
  try {
    worker = new Worker(url);
    worker.postMessage({ handle, slot });
  } catch {
    worker?.terminate();
    closed();
    return;
  }
  worker.unref();
  // A pool thread that dies in a task is reaped by whoever waits on it.
  worker.addEventListener("error", (e) => e.preventDefault());
  worker.addEventListener("close", closed);
}
