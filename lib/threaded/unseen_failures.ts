// Tasks that failed and whose futures nobody awaited or canceled. Zig
// requires every future to be awaited or canceled, and says nothing of a
// failure left in one; JavaScript at least reports a rejected promise
// nobody handled. Such a failure is reported here, on stderr, when its
// instance is deinitialized or the process exits, not sooner: a future may
// be awaited long after its task ended, so there is no earlier point at
// which it is known to be lost (a report from a FinalizationRegistry would
// cost every future a registration on the hot path).
//
// What it costs: nothing per task that succeeds. A dispatched task is
// noted when the keep-alive hold of its caller's event loop finds it done
// with a failure (in_flight.ts), its closure still in the heap; an await
// since then freed that block, which the report sees by its generation. A
// failure the caller holds itself (a task run inline, one the after-idle
// handoff brought back) is noted by its future (io/future.ts
// `unseenFailures`) until an await, a cancel or a `then` sees it.
import { Canceled } from "../io/errors.ts";
import { failureOf, unseenFailures, whenFailureUnseen } from "../io/future.ts";
import { IS_SET } from "../io/reset_event.ts";
import { Closure, RESULT_VALUE } from "../substrate/layout.ts";
import { isInstance } from "../substrate/safe_read.ts";
import { readKey, taskName } from "../substrate/tasks.ts";
import { readOutcome } from "./closure.ts";
import type { Threaded } from "./threaded.ts";

/** Per instance: failed closures by offset, with their block's generation. */
const noted = new Map<Threaded, Map<number, number>>();
/** Beyond this many notes an instance keeps only a count. */
const MAX_NOTED = 1000;
const dropped = new Map<Threaded, number>();
let listening = false;

/** A dispatched task is done: noted if it failed (its future may still be
 * awaited; the report checks). */
export function noteDone(t: Threaded, closure: number): void {
  if (t.heap.u32[(closure + Closure.RESULT_KIND) >> 2] === RESULT_VALUE) return;
  let m = noted.get(t);
  if (m === undefined) noted.set(t, (m = new Map()));
  if (m.size >= MAX_NOTED) {
    // Awaited since (freed, or another closure's now): dropped first.
    for (const [c, gen] of m) if (t.heap.generation(c) !== gen) m.delete(c);
    if (m.size >= MAX_NOTED) {
      dropped.set(t, (dropped.get(t) ?? 0) + 1);
      return;
    }
  }
  m.set(closure, t.heap.generation(closure));
  listenForExit();
}

whenFailureUnseen(listenForExit);

/** Reported at exit, for the instances never deinitialized. */
function listenForExit(): void {
  if (listening) return;
  listening = true;
  process.on("exit", () => {
    const all = new Set<Threaded>(noted.keys());
    for (const f of unseenFailures) all.add(f.io.userdata as Threaded);
    for (const t of all) reportUnseenFailures(t, "as the process exited");
  });
}

/** Writes one line for the failures of `t` nobody saw, and forgets them.
 * Run by `deinit` before the heap is closed, and at exit. */
export function reportUnseenFailures(t: Threaded, when: string): void {
  const errors: unknown[] = [];
  const names: string[] = [];
  const m = noted.get(t);
  noted.delete(t);
  const candidates = new Map(m);
  // Done before their first hold check: still in the hold table.
  for (const c of t.inFlight.keys()) if (c > 0 && !candidates.has(c)) candidates.set(c, -1);
  for (const [c, gen] of candidates) {
    const heap = t.heap;
    if (gen === -1 ? (heap.generation(c) & 1) === 0 : heap.generation(c) !== gen) continue;
    if (Atomics.load(heap.i32, (c + Closure.DONE) >> 2) !== IS_SET) continue; // still running
    if (heap.u32[(c + Closure.RESULT_KIND) >> 2] === RESULT_VALUE) continue;
    let error: unknown;
    try {
      error = readOutcome(heap, c, t.reviver()).value;
    } catch (e) {
      error = e;
    }
    if (isInstance(error, Canceled)) continue;
    errors.push(error);
    names.push(taskName(readKey(heap, heap.u32[(c + Closure.TASK) >> 2])) || "a task");
  }
  for (const f of unseenFailures) {
    if (f.io.userdata !== t) continue;
    unseenFailures.delete(f);
    const [error, name] = failureOf(f);
    errors.push(error);
    names.push(name);
  }
  const more = dropped.get(t) ?? 0;
  dropped.delete(t);
  const count = errors.length + more;
  if (count === 0) return;
  const shown = errors.slice(0, 3).map((e, i) => (names[i] ? `${names[i]}: ` : "") + oneLine(e));
  console.error(
    `threaded-io: ${count === 1 ? "a task" : `${count} tasks`} failed and ` +
      `${count === 1 ? "its future was" : "their futures were"} never awaited or canceled ` +
      `(found ${when}): ${shown.join("; ")}` +
      (count > shown.length ? `; and ${count - shown.length} more` : "") +
      ". Await or cancel every future (future.await(io), await future, future.cancel(io)).",
  );
}

function oneLine(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : `thrown ${String(e)}`;
  const line = text.split("\n", 1)[0];
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
