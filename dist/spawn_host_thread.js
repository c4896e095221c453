// @bun
// lib/threaded/spawn_host_thread.ts
import { readlinkSync } from "fs";

// lib/substrate/layout.ts
var ThreadTable = {
  OFFSET: 256,
  MAX_THREADS: 1024,
  ENTRY_BYTES: 8
};
var ThreadState = {
  CURRENT: ThreadTable.OFFSET + ThreadTable.MAX_THREADS * ThreadTable.ENTRY_BYTES + 256,
  FLAGS: ThreadTable.OFFSET + ThreadTable.MAX_THREADS * ThreadTable.ENTRY_BYTES + 256 + ThreadTable.MAX_THREADS * 4,
  POOL_THREAD: 1,
  STARTING: 2,
  REQUESTED: 4,
  HOSTED: 8,
  CLOSED: 16
};
var PoolBlock = {
  OFFSET: ThreadTable.OFFSET + ThreadTable.MAX_THREADS * ThreadTable.ENTRY_BYTES,
  BYTES: 256
};
var Block = {
  HEADER_BYTES: 16,
  CLASS: 0,
  SIZE: 4,
  GEN: 8,
  SEAL: 12,
  ALLOCATED: 256,
  CLASS_MASK: 255,
  KIND_SHIFT: 16
};
var GEN_BEFORE_PAYLOAD = Block.HEADER_BYTES - Block.GEN;
var HostState = {
  NONE: 0,
  STARTING: -1,
  WANTED: -2,
  FAILED: -3
};
var Pool = {
  LOCK: 0,
  QUEUE_HEAD: 4,
  QUEUE_TAIL: 8,
  BUSY: 12,
  POOL_SIZE: 16,
  JOIN: 20,
  ASYNC_LIMIT: 24,
  CONCURRENT_LIMIT: 28,
  LIVE: 32,
  SPAWNED_TOTAL: 36,
  INITIALIZED: 40,
  DISPATCHED_TOTAL: 44,
  IDLE_TIMEOUT_MS: 48,
  RETIRED_TOTAL: 52,
  THREAD_CAP: 56,
  QUEUED: 60,
  TRACE: 64,
  TRACE_DIR: 68,
  WORK_SEQ: 128,
  SLEEPERS: 132,
  INLINE_TOTAL: 192,
  CANCELS_REQUESTED: 196,
  CANCEL_SIGNALS: 200,
  CANCELS_DELIVERED: 204,
  LOCK_TAKEOVERS: 208,
  START_SEQ: 212,
  SPAWN_HOST: 216,
  SPAWN_REQUESTS: 220,
  SPAWN_HOST_SINCE: 224,
  TASK_KEYS: 228,
  START_FAILURES: 232,
  THREAD_LIST: 236
};
var UNLIMITED = 4294967295 | 0;
var TraceDirLayout = {
  SESSION: 0,
  CAPACITY: 4,
  START_NS: 8,
  SLOTS: 16,
  RINGS: 64,
  BYTES: 64 + ThreadTable.MAX_THREADS * 4
};

// lib/threaded/spawn_host_thread.ts
var pidx = (field) => PoolBlock.OFFSET + field >> 2;
var flagsIndex = (id) => (ThreadState.FLAGS >> 2) + id - 1;
var WANTED = ThreadState.STARTING | ThreadState.REQUESTED;
self.onmessage = (e) => {
  self.onmessage = () => {};
  serve(e.data);
};
async function serve({ handle, url }) {
  const i32 = new Int32Array(handle.heap);
  let tid = 0;
  try {
    tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
  } catch {}
  if (!(tid > 0)) {
    Atomics.store(i32, pidx(Pool.SPAWN_HOST), HostState.FAILED);
    return;
  }
  Atomics.store(i32, pidx(Pool.SPAWN_HOST), tid);
  for (;; ) {
    const seq = Atomics.load(i32, pidx(Pool.SPAWN_REQUESTS));
    for (let id = 1;id <= ThreadTable.MAX_THREADS; id++) {
      const flags = Atomics.load(i32, flagsIndex(id));
      if ((flags & 255) !== WANTED)
        continue;
      const mine = flags & ~ThreadState.REQUESTED | ThreadState.HOSTED;
      if (Atomics.compareExchange(i32, flagsIndex(id), flags, mine) === flags)
        start(i32, handle, url, { id, flags: mine });
    }
    const wait = Atomics.waitAsync(i32, pidx(Pool.SPAWN_REQUESTS), seq);
    if (wait.async)
      await wait.value;
  }
}
function start(i32, handle, url, slot) {
  const closed = () => Atomics.compareExchange(i32, flagsIndex(slot.id), slot.flags, slot.flags | ThreadState.CLOSED);
  let worker;
  try {
    worker = new Worker(url);
    worker.postMessage({ handle, slot });
  } catch {
    worker?.terminate();
    closed();
    return;
  }
  worker.unref();
  worker.addEventListener("error", (e) => e.preventDefault());
  worker.addEventListener("close", closed);
}
