// Tree hash: the SHA-256 of every file under a directory, on the pool. Each
// task iterates a few directories (Dir.iterate), reads every file in them
// (Dir.readFile into the thread's buffer) and hashes it; the subdirectories
// it finds become new tasks. The main thread only hands out work and gathers lines.
//   bun examples/tree_hash.ts [dir]        (default: this repository's lib/)
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Threaded, type Future, type Io } from "../lib/index.ts";
import { addLines, hashDirs, treeDigest, type DirsHashed } from "./workload_tasks.ts";
import { hashDirsInto } from "./tree_worker.ts";

/** Directories per task. Fewer cost more CPU in hand-offs and idle spins:
 * on /usr/share (one run), 8 per task used 1.11–1.18× the single thread's
 * CPU, 32 per task 1.03–1.05×. */
export const DIRS_PER_TASK = 32;

/**
 * The next batch: up to DIRS_PER_TASK directories, but no more than an even
 * share of what is queued among `ways` tasks, so that at the start (one
 * root) and near the end (a few directories left) every thread gets some
 * rather than one task taking them all while the others idle.
 */
export function nextBatch(queue: string[], ways: number): string[] {
  return queue.splice(0, Math.max(1, Math.min(DIRS_PER_TASK, Math.ceil(queue.length / ways))));
}

/**
 * Walks the tree breadth-first through `run` (a task on some pool, or a
 * plain call), keeping up to `inflight` batches of directories going, and
 * returns the tree's digest and file count.
 */
export async function driveTreeHash(
  root: string,
  run: (dirs: string[]) => PromiseLike<DirsHashed> | DirsHashed,
  inflight: number,
): Promise<{ digest: string; files: number }> {
  const queue: string[] = [""];
  const lines: string[] = [];
  const pending = new Set<Promise<void>>();
  while (queue.length > 0 || pending.size > 0) {
    while (queue.length > 0 && pending.size < inflight) {
      const batch = nextBatch(queue, inflight);
      const p: Promise<void> = Promise.resolve(run(batch)).then((r) => {
        addLines(lines, r.lines);
        for (const d of r.dirs) queue.push(d);
        pending.delete(p);
      });
      pending.add(p);
    }
    if (pending.size > 0) await Promise.race(pending);
  }
  return { digest: treeDigest(lines), files: lines.length };
}

/**
 * The tree's digest with threaded-io: `io.async` tasks gathered with
 * `io.select` — the main thread has nothing else to do, so it blocks (in a
 * futex: no CPU) instead of awaiting on its loop. It keeps exactly
 * `inflight` tasks going (the pool's asyncLimit): one more would run inline
 * on this thread (Zig's caller-runs rule), and while it runs no finished
 * thread gets new work. On /usr/share (46,371 files, one run, 3 repeats):
 * 8 in flight 845–876 ms with 72–86 of ~125 tasks inline; 2 in flight
 * 621–647 ms, none inline.
 */
export function treeHash(
  io: Io,
  root: string,
  inflight = availableParallelism(),
): { digest: string; files: number } {
  const queue: string[] = [""];
  const lines: string[] = [];
  const futures: Future<DirsHashed>[] = [];
  while (queue.length > 0 || futures.length > 0) {
    while (queue.length > 0 && futures.length < inflight)
      futures.push(io.async(hashDirs, io, root, nextBatch(queue, inflight)));
    const i = io.select(futures);
    const r = futures[i].await(io);
    futures[i] = futures[futures.length - 1];
    futures.pop();
    addLines(lines, r.lines);
    for (const d of r.dirs) queue.push(d);
  }
  return { digest: treeDigest(lines), files: lines.length };
}

/** The same digest on this thread alone, with node:fs: the plain program,
 * lines gathered where they are made. */
export function treeHashSingle(root: string): { digest: string; files: number } {
  const queue: string[] = [""];
  const lines: string[] = [];
  while (queue.length > 0)
    for (const d of hashDirsInto(root, queue.splice(0, DIRS_PER_TASK), lines)) queue.push(d);
  return { digest: treeDigest(lines), files: lines.length };
}

if (import.meta.main) {
  const root = process.argv[2] ?? join(import.meta.dir, "..", "lib");
  const threaded = Threaded.init({ asyncLimit: availableParallelism() });
  try {
    let start = performance.now();
    const pooled = treeHash(threaded.io(), root);
    const pooledMs = performance.now() - start;
    start = performance.now();
    const single = treeHashSingle(root);
    const singleMs = performance.now() - start;
    console.log(`${pooled.files} files under ${root}`);
    console.log(`tree digest: ${pooled.digest}`);
    console.log(`pool ${pooledMs.toFixed(1)} ms, single thread ${singleMs.toFixed(1)} ms`);
    console.log(`single-threaded digest matches: ${single.digest === pooled.digest}`);
  } finally {
    threaded.deinit();
  }
}
