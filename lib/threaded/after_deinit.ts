// The vtable of a deinitialized instance's io (threaded.ts `retireIo`):
// every entry throws a BugError, except a Future's own calls on the thread
// that made it. `deinit` joined every task, so a pending future's task is
// done and its outcome is still in the heap, which nothing allocates from
// any more: the future answers with it, as a future settled from the start
// (an inline run, or a task the after-idle handoff saw finish) always did.
// Which of the two a program holds depends on timing, so before this the
// same program's `await` after `deinit` returned the value in some runs
// and threw in others. An instance that was only detached (`attach`, then
// `deinit`) still has live tasks in a live heap: its futures wait for them
// through the live entries, as before the detach.
import { BugError } from "../io/errors.ts";
import type { Future, Outcome } from "../io/future.ts";
import type { VTable } from "../io/vtable.ts";
import { Closure, GEN_BEFORE_PAYLOAD } from "../substrate/layout.ts";
import { IS_SET } from "../io/reset_event.ts";
import { finalize } from "./futures.ts";
import type { Threaded } from "./threaded.ts";

function deinitialized(name: string): BugError {
  return new BugError(
    `io.${name}: this io's Threaded instance is deinitialized (threaded.deinit() was called)` +
      // sharedHeap is no call of the user's: say what it was for.
      (name === "sharedHeap"
        ? ": a Group, Mutex, Condition, ResetEvent or Queue cannot be made or used with it"
        : ""),
  );
}

/** Whether `f`'s task is done in `t`'s closed heap, its closure still its
 * own: then its outcome can be read. */
function joined(t: Threaded, f: Future<unknown>): boolean {
  const c = f.pendingClosure;
  const heap = t.heap;
  return (
    f.io.userdata === t &&
    c !== 0 &&
    heap.closed &&
    // Its block still this future's (isLive also wants an open heap).
    heap.u32[(c - GEN_BEFORE_PAYLOAD) >> 2] === f.gen &&
    Atomics.load(heap.i32, (c + Closure.DONE) >> 2) === IS_SET
  );
}

/** Whether the live entries still serve `f`: its instance was attached and
 * detached from this thread (`threaded.deinit()` there) while the owner
 * goes on, so the pool still runs the task in an open heap, and waiting
 * for it needs only that heap. (An owner's heap is closed by its deinit.)
 * Refused, the futures whose tasks went to the pool threw while those run
 * inline answered: which was which was timing again. */
function served(t: Threaded, f: Future<unknown>): boolean {
  return f.io.userdata === t && !t.heap.closed;
}

/** What a future's call names: the Future method, not the vtable entry. */
const CALLS: Record<string, string> = {
  await: "future.await",
  cancel: "future.cancel",
  awaitAsync: "await future",
  isDone: "future.settled",
  requestCancel: "future.requestCancel",
};

/** The error for a future's call that cannot be answered. */
function unanswered(t: Threaded, f: Future<unknown>, name: string): BugError {
  if (f.io.userdata !== t)
    return new BugError(
      `${CALLS[name] ?? `io.${name}`}: the Future belongs to another Threaded instance than ` +
        "the io it was used with (this io's instance is deinitialized); use the future's own io",
    );
  return deinitialized(name);
}

/** The outcome of a joined future, its closure freed as an await frees it
 * (a result's memory outside the heap is the process's, not the closed
 * heap's); the future keeps the outcome from here on. */
function kept(t: Threaded, f: Future<unknown>, name: string): Outcome {
  if (!joined(t, f)) throw unanswered(t, f, name);
  return finalize(t, f.pendingClosure);
}

/** `live`'s entries, each throwing, but a joined future's calls. */
export function retiredVtable(live: VTable<Threaded>): VTable<Threaded> {
  const vtable = Object.fromEntries(
    Object.keys(live).map((name) => [
      name,
      () => {
        throw deinitialized(name);
      },
    ]),
  ) as unknown as VTable<Threaded>;
  return {
    ...vtable,
    await: (t, f) => (served(t, f) ? live.await(t, f) : kept(t, f, "await")),
    // Joined, the task is done: there is nothing left to cancel.
    cancel: (t, f) => (served(t, f) ? live.cancel(t, f) : kept(t, f, "cancel")),
    awaitAsync: (t, f) => {
      if (served(t, f)) return live.awaitAsync(t, f);
      try {
        return Promise.resolve(kept(t, f, "awaitAsync"));
      } catch (e) {
        return Promise.reject(e);
      }
    },
    isDone: (t, f) => {
      if (served(t, f)) return live.isDone(t, f);
      if (!joined(t, f)) throw unanswered(t, f, "isDone");
      return true;
    },
    requestCancel: (t, f) => {
      if (served(t, f)) return live.requestCancel(t, f);
      if (!joined(t, f)) throw unanswered(t, f, "requestCancel");
    },
  };
}
