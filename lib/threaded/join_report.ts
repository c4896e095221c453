// What `threaded.deinit()` says when it has waited long. Deinit joins the
// pool (Zig's Threaded.deinit): it waits for every task to end, and a task
// that never ends (a loop, a sleep, a get from a queue nobody puts to, a
// read from a peer that stays silent) held it up with no word, until the
// program was killed. After STALL_REPORT_MS, and then every minute, it
// names the tasks still running and the ones still queued on stderr
// (synchronously: deinit blocks this thread, so nothing asynchronous would
// ever print), and says how to end them.
import type { Heap } from "../substrate/heap.ts";
import {
  Closure,
  Pool,
  PoolBlock,
  TaskKeyLayout,
  ThreadState,
  ThreadTable,
} from "../substrate/layout.ts";
import { readKey, taskName } from "../substrate/tasks.ts";

let stallReportMs = 5000;
export const STALL_REPEAT_MS = 60_000;

/** When deinit first reports (a testing seam: a spec waits 200 ms, not 5 s). */
export function setStallReportMs(ms: number): void {
  stallReportMs = ms;
}
export function stallReportAfterMs(): number {
  return stallReportMs;
}

/** The running tasks' names, read from the thread table; a closure freed
 * meanwhile (another thread's task awaited it) or reused is "a task", not
 * misread. */
function runningTasks(heap: Heap): string[] {
  const names: string[] = [];
  const bytes = heap.sab.byteLength;
  for (let id = 1; id <= ThreadTable.MAX_THREADS; id++) {
    const closure = Atomics.load(heap.i32, (ThreadState.CURRENT >> 2) + id - 1);
    if (closure <= 0) continue;
    let name = "a task";
    // Odd generation: allocated. Its key is read only when it lies in the
    // heap with its whole length.
    if (closure + Closure.HEADER_BYTES <= bytes && (heap.generation(closure) & 1) === 1) {
      const key = heap.u32[(closure + Closure.TASK) >> 2];
      if (key > 0 && key + TaskKeyLayout.BYTES <= bytes) {
        const len = heap.u32[(key + TaskKeyLayout.LENGTH) >> 2];
        if (key + TaskKeyLayout.BYTES + len <= bytes) name = taskName(readKey(heap, key)) || name;
      }
    }
    names.push(name);
  }
  return names;
}

/** One line per name, with its count: "fib (×3)". */
function tally(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts].map(([n, c]) => (c > 1 ? `${n} (×${c})` : n)).join(", ");
}

export function reportStalledJoin(heap: Heap, waitedMs: number): void {
  const running = runningTasks(heap);
  const queued = Atomics.load(heap.i32, (PoolBlock.OFFSET + Pool.QUEUED) >> 2);
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  let what: string;
  if (running.length > 0)
    what =
      `${plural(running.length, "task")} still running (${tally(running)})` +
      (queued > 0 ? ` and ${queued} queued` : "");
  else if (queued > 0) what = `${plural(queued, "queued task")} (their threads are still starting)`;
  else what = "pool threads that have not left yet";
  console.error(
    `threaded-io: threaded.deinit() has waited ${(waitedMs / 1000).toFixed(1)} s for ${what}. ` +
      "deinit joins the pool: it waits for every task to end. Cancel or await them first " +
      "(future.cancel(io), group.cancel(io)); a task that never returns (a loop, a long sleep, " +
      "a get from an empty queue) must be canceled or told to stop.",
  );
}
