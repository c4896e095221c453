// A Worker's thread id, learned as it is made: Bun creates the Worker's
// thread inside `new Worker` (checked: its tid is in /proc/self/task when
// the constructor returns). A pool thread names itself in its slot once it
// runs (reaper.ts `claimStartedThread`); one whose Worker ends before that
// (its modules could not load: out of descriptors) is reported only by a
// `close` event on its parent's event loop, which a parent blocked in a
// wait (`future.await(io)`) never turns: the task then waited forever.
// Named by its parent as it is made, the slot is written off by any
// waiter's reap check once that tid is gone.
import { ptr } from "bun:ffi";
import type { Heap } from "../substrate/heap.ts";
import { Pool, PoolBlock, ThreadState } from "../substrate/layout.ts";
import { shim } from "../ffi/shim.ts";
import { C } from "../os/index.ts";

// /proc/self/task, opened by the owner at `init` and kept until deinit:
// a Worker fails to start when the process is out of descriptors, which
// is just when a directory could not be opened to list the threads
// (readdirSync failed with EMFILE there, the Worker went unnamed, and its
// task waited forever, 4 runs in 5). One descriptor per pool, in the heap
// (Pool.THREAD_LIST, fd + 1), so that a pool thread starting a thread
// opens none of its own; its offset is shared, but every listing is made
// under the pool lock (a spawn holds it).
const dents = new Uint8Array(8192);
const D_RECLEN = 16; // struct linux_dirent64: u64 ino, i64 off, u16 reclen, u8 type, name
const D_NAME = 19;
const LIST = (PoolBlock.OFFSET + Pool.THREAD_LIST) >> 2;
const taskGlob = new Bun.Glob("*");

/** The owner, at `init`: opens the pool's thread list. */
export function openThreadList(heap: Heap): void {
  if (process.platform !== "linux") return;
  const path = Buffer.from("/proc/self/task\0");
  const fd = shim().tio_openat(C.AT_FDCWD, path, C.O_RDONLY | C.O_DIRECTORY | C.O_CLOEXEC, 0);
  if (fd >= 0) Atomics.store(heap.i32, LIST, (fd as number) + 1);
}

/** The owner, at deinit, after the join. */
export function closeThreadList(heap: Heap): void {
  const fd = Atomics.exchange(heap.i32, LIST, 0) - 1;
  if (fd >= 0) shim().tio_close(fd);
}

/** The threads of this process, or undefined off Linux or if they cannot
 * be listed: through the pool's thread list (the pool lock held), or with
 * a Bun.Glob without a heap (the spare thread, spare_thread.ts, starts
 * before `init` compiles the shim). Not node:fs: loading it delayed the
 * spare's `new Worker`, on a fresh process's path to its first task, by
 * 4–5 ms (the glob's listing: 1.2–2.3 ms; it throws on EMFILE as
 * readdirSync did). */
export function threadIds(heap?: Heap): Set<string> | undefined {
  if (process.platform !== "linux") return undefined;
  if (heap === undefined) {
    try {
      return new Set(taskGlob.scanSync({ cwd: "/proc/self/task", onlyFiles: false }));
    } catch {
      return undefined;
    }
  }
  const fd = Atomics.load(heap.i32, LIST) - 1;
  if (fd < 0) return undefined;
  const s = shim();
  if ((s.tio_lseek(fd, 0, C.SEEK_SET) as number) < 0) return undefined;
  const ids = new Set<string>();
  for (;;) {
    const n = s.tio_getdents64(fd, ptr(dents), dents.length) as number;
    if (n < 0) return undefined;
    if (n === 0) return ids;
    for (let at = 0; at < n;) {
      const reclen = dents[at + D_RECLEN] | (dents[at + D_RECLEN + 1] << 8);
      let end = at + D_NAME;
      while (dents[end] !== 0) end++;
      // Not "." or "..": the names are decimal tids.
      if (dents[at + D_NAME] !== 0x2e)
        ids.add(Buffer.from(dents.subarray(at + D_NAME, end)).toString("latin1"));
      at += reclen;
    }
  }
}

/** The one thread in the process now that was not in `before`; 0 if
 * several (another thread started one meanwhile: nothing is named) or off
 * Linux; GONE if none: the Worker's thread has ended already (out of
 * descriptors, it failed to open its module and was gone before the
 * constructor's caller looked, 3 runs in 5). */
export function newThreadId(before: Set<string> | undefined, heap?: Heap): number {
  if (before === undefined) return 0;
  const after = threadIds(heap);
  if (after === undefined) return 0;
  let found = GONE;
  for (const t of after) {
    if (before.has(t)) continue;
    if (found !== GONE) return 0;
    found = Number(t);
  }
  return found;
}

/** `newThreadId`: the new Worker's thread is already gone. */
export const GONE = -1;

/** Names starting slot `id` by its Worker's `tid` (as −tid in CURRENT, as
 * the thread itself does when it claims it), unless it already named
 * itself or took a task. */
export function nameStartingThread(heap: Heap, id: number, tid: number): void {
  if (tid <= 0) return;
  Atomics.compareExchange(heap.i32, (ThreadState.CURRENT >> 2) + id - 1, 0, -tid);
}
