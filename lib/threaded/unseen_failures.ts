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
import { failureOf, unseenDropped, unseenFailures, whenFailureUnseen } from "../io/future.ts";
import { asyncWaitsHere } from "../substrate/keep_alive.ts";
import { IS_SET } from "../io/reset_event.ts";
import { isLive } from "../substrate/handle.ts";
import { Closure, GroupLayout, RESULT_VALUE } from "../substrate/layout.ts";
import type { GroupHolder } from "./in_flight.ts";
import { isInstance } from "../substrate/safe_read.ts";
import { readKey, reportError, taskName } from "../substrate/tasks.ts";
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
  if (!note(noted, t, closure, t.heap.generation(closure)))
    dropped.set(t, (dropped.get(t) ?? 0) + 1);
}

/** Notes block `off` (of generation `gen`) for `t` in `by`; false when
 * full even after dropping the blocks freed since (awaited or waited:
 * another block's generation now). */
function note(
  by: Map<Threaded, Map<number, number>>,
  t: Threaded,
  off: number,
  gen: number,
): boolean {
  let m = by.get(t);
  if (m === undefined) by.set(t, (m = new Map()));
  if (m.size >= MAX_NOTED) for (const [o, g] of m) if (!isLive(t.heap, o, g)) m.delete(o);
  if (m.size >= MAX_NOTED) return false;
  m.set(off, gen);
  listenForExit();
  return true;
}

whenFailureUnseen(listenForExit);

/** Per instance: groups whose members are done, some failed, by offset
 * with their block's generation (a wait since then reset the count). */
const notedGroups = new Map<Threaded, Map<number, number>>();

/** A group's members are all done: noted if some failed (it may still be
 * waited; the report checks). */
export function noteGroupDone(t: Threaded, ref: number, gen: number): void {
  if (Atomics.load(t.heap.i32, (ref + GroupLayout.ERRORS) >> 2) === 0) return;
  note(notedGroups, t, ref, gen);
}

/** Reported at exit, for the instances never deinitialized. */
function listenForExit(): void {
  if (listening) return;
  listening = true;
  process.on("exit", () => {
    const all = new Set<Threaded>([...noted.keys(), ...notedGroups.keys()]);
    for (const f of unseenFailures) all.add(f.io.userdata as Threaded);
    for (const f of unseenDropped.keys()) all.add(f as Threaded);
    // Bun.isMainThread, not node:worker_threads: loading that module cost
    // every thread that imports the library 4–9 ms.
    const when = Bun.isMainThread ? "as the process exited" : "as the thread exited";
    for (const t of all) reportUnseenFailures(t, when);
  });
}

/** `reportUnseenFailures`'s `when` at `threaded.deinit()`. */
export const AT_DEINIT = "at threaded.deinit()";

/** Writes one line for the failures of `t` nobody saw, and forgets them.
 * Run by `deinit` before the heap is closed, and at exit. */
export function reportUnseenFailures(t: Threaded, when: string): void {
  try {
    reportNow(t, when);
  } catch (e) {
    // Never at the cost of the deinit or the exit code it runs in.
    try {
      reportError(`threaded-io: the report of failures nobody awaited failed: ${oneLine(e)}`);
    } catch {
      // nothing more to do
    }
  }
}

function reportNow(t: Threaded, when: string): void {
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
    // An await of it is pending here (a `then` attached before deinit, or
    // an awaitAsync a blocking await overtook): it is seen.
    if (asyncWaitsHere(heap, c + Closure.DONE) > 0) continue;
    if (Atomics.load(heap.i32, (c + Closure.DONE) >> 2) !== IS_SET) continue; // still running
    if (heap.u32[(c + Closure.RESULT_KIND) >> 2] === RESULT_VALUE) continue;
    const error = outcomeError(t, c);
    if (isInstance(error, Canceled)) continue;
    errors.push(error);
    names.push(nameOf(t, c));
  }
  for (const f of unseenFailures) {
    if (f.io.userdata !== t) continue;
    unseenFailures.delete(f);
    const [error, name] = failureOf(f);
    errors.push(error);
    names.push(name);
  }
  const more = (dropped.get(t) ?? 0) + (unseenDropped.get(t) ?? 0);
  dropped.delete(t);
  unseenDropped.delete(t);
  const count = errors.length + more;
  // At deinit, "never" would be wrong: the future still answers after it
  // (after_deinit.ts), and the program may await it next.
  const unseen =
    when === AT_DEINIT
      ? "not awaited or canceled before threaded.deinit()"
      : `never awaited or canceled (found ${when})`;
  if (count > 0)
    reportError(
      `threaded-io: ${count === 1 ? "a task" : `${count} tasks`} failed and ` +
        `${count === 1 ? "its future was" : "their futures were"} ${unseen}: ` +
        `${shown(errors, names, count)}. ` +
        "Await or cancel every future (future.await(io), await future, future.cancel(io)).",
    );
  reportGroups(t, when);
}

/** The same for groups never waited or canceled after members failed. */
function reportGroups(t: Threaded, when: string): void {
  const heap = t.heap;
  const candidates = new Map(notedGroups.get(t));
  notedGroups.delete(t);
  for (const [key, holder] of t.inFlight)
    if (key < 0 && !candidates.has(-key)) candidates.set(-key, (holder as GroupHolder).gen);
  let count = 0;
  let groups = 0;
  const errors: unknown[] = [];
  const names: string[] = [];
  for (const [ref, gen] of candidates) {
    if (!isLive(heap, ref, gen)) continue;
    const failed = Atomics.load(heap.i32, (ref + GroupLayout.ERRORS) >> 2);
    if (failed === 0) continue;
    count += failed;
    groups++;
    // The member records: only the waiter unlinks them, and none waits.
    for (let c = heap.u32[(ref + GroupLayout.TOKEN) >> 2]; c !== 0 && errors.length < 3;) {
      if (
        Atomics.load(heap.i32, (c + Closure.DONE) >> 2) === IS_SET &&
        heap.u32[(c + Closure.RESULT_KIND) >> 2] !== RESULT_VALUE
      ) {
        const error = outcomeError(t, c);
        if (!isInstance(error, Canceled)) {
          errors.push(error);
          names.push(nameOf(t, c));
        }
      }
      c = heap.u32[(c + Closure.SIBLING) >> 2];
    }
  }
  if (count === 0) return;
  reportError(
    `threaded-io: ${count === 1 ? "a group member" : `${count} group members`} failed and ` +
      `${count === 1 ? "its" : "their"} ${groups === 1 ? "group was" : "groups were"} never waited or canceled ` +
      `(found ${when}): ${shown(errors, names, count)}. ` +
      "Wait or cancel every group (group.wait(io), await group.waitAsync(io), group.cancel(io)).",
  );
}

function outcomeError(t: Threaded, closure: number): unknown {
  try {
    return readOutcome(t.heap, closure, t.reviver()).value;
  } catch (e) {
    return e;
  }
}

function nameOf(t: Threaded, closure: number): string {
  const key = t.heap.u32[(closure + Closure.TASK) >> 2];
  return key === 0 ? "" : taskName(readKey(t.heap, key)) || "a task";
}

/** The first three, named, and how many more. */
function shown(errors: unknown[], names: string[], count: number): string {
  const first = errors.slice(0, 3).map((e, i) => (names[i] ? `${names[i]}: ` : "") + oneLine(e));
  return first.join("; ") + (count > first.length ? `; and ${count - first.length} more` : "");
}

/** One line for an error, whatever was thrown: a getter that throws, a
 * value with no string form (`Object.create(null)`) must not take the
 * report (or deinit, or the exit code) down with it. */
function oneLine(e: unknown): string {
  let text: string;
  try {
    text = e instanceof Error ? `${e.name}: ${e.message}` : `thrown ${String(e)}`;
  } catch {
    try {
      text = `thrown ${Bun.inspect(e)}`;
    } catch {
      text = "thrown a value that cannot be printed";
    }
  }
  const line = text.split("\n", 1)[0];
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
