// The vtable's group entries (Zig's: groupAsync, groupConcurrent, groupWait,
// groupCancel) and the non-blocking twin of groupWait.
//
// Everything a waiter must report lives in the shared group, not in one
// thread's JS objects. The group's member list (TOKEN, linked through
// SIBLING under the pool lock) holds a record per member whose outcome
// matters:
//   - a member on a pool thread: its closure (KIND_GROUP), linked and counted
//     pending (+2 in STATE) under the pool lock when it gets a thread, as the
//     Zig pushes to `group.token`;
//   - a member that ran inline and threw: a finished record holding the
//     error (KIND_GROUP_INLINE), so a waiter on any thread reports it;
//   - a member that ran inline and returned a promise: a pending record,
//     published when the promise settles on the thread that ran it.
// A member that ran inline and returned normally leaves nothing.
//
// Waiting (closure.ts `publishMember` is the other half):
//   waiter: fetch_or(STATE, WAITING); loop { while pending(STATE) > 0:
//           futex_wait(STATE); collect the records that are DONE (under
//           the pool lock); stop when no member is pending and the list is
//           empty }; clear WAITING
// A member added while the owner waits is linked and counted like any
// other, so the loop collects it too. The waiter sleeps on STATE itself:
// the last write a member makes to the group is its decrement, so once the
// waiter reads pending 0 the group may be freed.
import { BugError, Canceled, IoError } from "../io/errors.ts";
import type { Group } from "../io/group.ts";
import type { Threaded } from "./threaded.ts";
import {
  createClosure,
  createInlineRecord,
  doneEvent,
  freeClosure,
  isThenable,
  publishMember,
  readOutcome,
  writeMemberOutcome,
  unavailableFor,
} from "./closure.ts";
import { inTaskWhere, requestCancel, watchTaskCancel } from "../substrate/cancel.ts";
import { isInstance } from "../substrate/safe_read.ts";
import { reapCheckNs, reapRunnerOf } from "./reaper.ts";
import {
  Closure,
  GroupLayout,
  GROUP_IS_WAITING,
  GROUP_ONE_PENDING,
  KIND_GROUP,
  Pool,
  PoolBlock,
} from "../substrate/layout.ts";
import { concurrencyUnavailable, dispatch, lockPool, unlockPool } from "./pool.ts";
import { holdGroup, releaseGroup } from "./in_flight.ts";
import { futexWaitAsync, futexWaitTimeout } from "../substrate/futex.ts";
import type { Heap } from "../substrate/heap.ts";
import { noteInline } from "../substrate/trace.ts";

type AnyFn = (...args: never[]) => unknown;

/** Inline members' records still pending on this thread, by heap: a
 * blocking wait here cannot let their promises settle. */
const pendingHere = new Map<Heap, Set<number>>();

function stateIndex(g: Group): number {
  return (g.ref + GroupLayout.STATE) >> 2;
}

/** Links `record` into the group's list; counts it pending unless it is
 * already finished. Runs under the pool lock. */
function linkLocked(t: Threaded, g: Group, record: number, pending: boolean): void {
  const u32 = t.heap.u32;
  u32[(record + Closure.SIBLING) >> 2] = u32[(g.ref + GroupLayout.TOKEN) >> 2];
  u32[(g.ref + GroupLayout.TOKEN) >> 2] = record;
  // Counted before the lock is released, so the member cannot finish first.
  if (pending) Atomics.add(t.heap.i32, stateIndex(g), GROUP_ONE_PENDING);
}

function link(t: Threaded, g: Group, record: number, pending: boolean): void {
  lockPool(t.heap);
  try {
    linkLocked(t, g, record, pending);
  } finally {
    unlockPool(t.heap);
  }
}

/** Zig runs the member inline; here its failure, or its promise, is kept in
 * the shared group so that whoever waits reports it. */
function runMemberInline(t: Threaded, g: Group, fn: AnyFn, args: readonly unknown[]): void {
  fn = noteInline(t.heap, fn);
  let returned: unknown;
  try {
    returned = (fn as (...a: readonly unknown[]) => unknown)(...args);
  } catch (e) {
    if (!isInstance(e, Canceled)) recordInlineError(t, g, e);
    return;
  }
  // Reading `then` may throw (a Proxy's get trap): the member fails with
  // that error, as `await` of the value would (safe_read.ts).
  try {
    if (!isThenable(returned)) return;
  } catch (e) {
    recordInlineError(t, g, e);
    return;
  }
  const heap = t.heap;
  let record: number;
  try {
    record = createInlineRecord(heap, g.ref);
  } catch (e) {
    // No room for the record: the promise cannot be awaited by the group.
    throw new IoError("OutOfMemory", {
      message: "OutOfMemory: no heap for a group member",
      cause: e,
    });
  }
  link(t, g, record, true);
  let mine = pendingHere.get(heap);
  if (mine === undefined) pendingHere.set(heap, (mine = new Set()));
  mine.add(record);
  const settle = (ok: boolean, value: unknown) => {
    mine.delete(record);
    const failed = !ok && !isInstance(value, Canceled);
    writeMemberOutcome(heap, record, ok || !failed, value);
    publishMember(heap, record, failed);
  };
  new Promise<unknown>((resolve) => resolve(returned)).then(
    (v) => settle(true, v),
    (e) => settle(false, e),
  );
}

function recordInlineError(t: Threaded, g: Group, e: unknown): void {
  let record: number;
  try {
    record = createInlineRecord(t.heap, g.ref);
    writeMemberOutcome(t.heap, record, false, e);
  } catch {
    throw e; // no room to keep it for the waiter: the caller gets it now
  }
  doneEvent(t.heap, record).set();
  link(t, g, record, false);
}

export function groupAsync(t: Threaded, g: Group, fn: AnyFn, args: readonly unknown[]): void {
  let closure: number;
  try {
    closure = createClosure(t.heap, KIND_GROUP, fn, args, g.ref);
  } catch (e) {
    if (e instanceof IoError && e.code === "OutOfMemory") return runMemberInline(t, g, fn, args);
    throw e;
  }
  if (
    !dispatch(t.heap, closure, Pool.ASYNC_LIMIT, t.spawner, () => linkLocked(t, g, closure, true))
  ) {
    freeClosure(t.heap, closure);
    runMemberInline(t, g, fn, args);
    return;
  }
  holdGroup(t, g.ref);
}

export function groupConcurrent(t: Threaded, g: Group, fn: AnyFn, args: readonly unknown[]): void {
  let closure: number;
  try {
    closure = createClosure(t.heap, KIND_GROUP, fn, args, g.ref);
  } catch (e) {
    if (e instanceof IoError && e.code === "OutOfMemory") throw unavailableFor(e);
    throw e;
  }
  if (
    !dispatch(t.heap, closure, Pool.CONCURRENT_LIMIT, t.spawner, () =>
      linkLocked(t, g, closure, true),
    )
  ) {
    freeClosure(t.heap, closure);
    throw concurrencyUnavailable(t.heap);
  }
  holdGroup(t, g.ref);
}

/** Calls `f` for every record in the list. Only the waiter unlinks, and
 * adders only push at the head, so the walk needs no lock. */
function forEachMember(t: Threaded, g: Group, f: (record: number) => void): void {
  for (let c = t.heap.u32[(g.ref + GroupLayout.TOKEN) >> 2]; c !== 0;) {
    const next = t.heap.u32[(c + Closure.SIBLING) >> 2];
    f(c);
    c = next;
  }
}

function cancelMembers(t: Threaded, g: Group): void {
  lockPool(t.heap);
  try {
    forEachMember(t, g, (c) => {
      if (t.heap.u32[(c + Closure.KIND) >> 2] === KIND_GROUP && !doneEvent(t.heap, c).isSet())
        requestCancel(t.heap, c + Closure.CANCEL);
    });
  } finally {
    unlockPool(t.heap);
  }
}

/** Cancels the members present now (AbortSignal interop). */
export function groupRequestCancel(t: Threaded, g: Group): void {
  cancelMembers(t, g);
}

function reapMembers(t: Threaded, g: Group): void {
  forEachMember(t, g, (c) => {
    if (t.heap.u32[(c + Closure.KIND) >> 2] === KIND_GROUP) reapRunnerOf(t.heap, c, t.spawner);
  });
}

/** Unlinks the finished records, reads what they threw, frees them. */
function collect(t: Threaded, g: Group, errors: unknown[]): void {
  const heap = t.heap;
  const u32 = heap.u32;
  const done: number[] = [];
  lockPool(heap);
  try {
    let prev = 0;
    for (let c = u32[(g.ref + GroupLayout.TOKEN) >> 2]; c !== 0;) {
      const next = u32[(c + Closure.SIBLING) >> 2];
      if (doneEvent(heap, c).isSet()) {
        if (prev === 0) u32[(g.ref + GroupLayout.TOKEN) >> 2] = next;
        else u32[(prev + Closure.SIBLING) >> 2] = next;
        done.push(c);
      } else prev = c;
      c = next;
    }
  } finally {
    unlockPool(heap);
  }
  const revive = t.reviver();
  for (const c of done) {
    const o = readOutcome(heap, c, revive);
    if (!o.ok && !(o.value instanceof Canceled)) errors.push(o.value);
    freeClosure(heap, c);
  }
}

function drained(t: Threaded, g: Group): boolean {
  return (
    Atomics.load(t.heap.i32, stateIndex(g)) >>> 1 === 0 &&
    t.heap.u32[(g.ref + GroupLayout.TOKEN) >> 2] === 0
  );
}

function announceWaiter(t: Threaded, g: Group): void {
  const prev = Atomics.or(t.heap.i32, stateIndex(g), GROUP_IS_WAITING);
  if (prev & GROUP_IS_WAITING) throw new BugError("Group is already being waited on");
}

function retire(t: Threaded, g: Group, errors: unknown[], pending?: PendingWait): void {
  releaseGroup(t, g.ref);
  Atomics.and(t.heap.i32, stateIndex(g), ~GROUP_IS_WAITING);
  Atomics.store(t.heap.i32, (g.ref + GroupLayout.ERRORS) >> 2, 0);
  let failure: unknown = undefined;
  if (errors.length === 1) failure = errors[0];
  if (errors.length > 1)
    failure = new AggregateError(errors, `${errors.length} group members failed`);
  if (pending !== undefined) {
    // For the waitAsync this drain finished: it settles the same way.
    pending.finished = { failed: errors.length > 0, failure };
    forgetPending(t, g, pending);
  }
  if (errors.length > 0) throw failure;
}

/**
 * A `waitAsync` in progress on this thread. A blocking wait or cancel of
 * the same group here (a SIGINT handler's `group.cancel(io)` while main
 * awaits `group.waitAsync(io)`) threw "already being waited on", though a
 * future allows the same; it now carries on the wait with the records
 * collected so far, and the pending `waitAsync` settles with its outcome.
 */
interface PendingWait {
  readonly errors: unknown[];
  finished?: { readonly failed: boolean; readonly failure: unknown };
}
const pendingWaits = new WeakMap<Heap, Map<number, PendingWait>>();

function pendingWaitOf(t: Threaded, g: Group): PendingWait | undefined {
  return pendingWaits.get(t.heap)?.get(g.ref);
}

function forgetPending(t: Threaded, g: Group, pending: PendingWait): void {
  const m = pendingWaits.get(t.heap);
  if (m?.get(g.ref) === pending) m.delete(g.ref);
}

/** A blocking wait cannot let a promise of this thread settle. */
function refuseOwnPendingPromises(t: Threaded, g: Group): void {
  const mine = pendingHere.get(t.heap);
  if (mine === undefined || mine.size === 0) return;
  let found = false;
  forEachMember(t, g, (c) => (found ||= mine.has(c)));
  if (found) {
    throw new BugError(
      "A group member that ran inline on this thread returned a promise that has not settled: " +
        "a blocking wait or cancel cannot wait for it; use `await group.waitAsync(io)`",
    );
  }
}

/** A member waiting for its own group would wait for itself (the owner's
 * wait then reported "already being waited on", far from the fault): the
 * call throws in the member instead. The task frames of this thread say
 * which closures it is running (cancel.ts); one of group kind whose GROUP
 * is `g` is a member. */
function refuseOwnMember(t: Threaded, g: Group, call: string): void {
  const u32 = t.heap.u32;
  const mine = inTaskWhere(t.heap, (word) => {
    const c = word - Closure.CANCEL;
    return u32[(c + Closure.KIND) >> 2] === KIND_GROUP && u32[(c + Closure.GROUP) >> 2] === g.ref;
  });
  if (mine) {
    throw new BugError(
      `group.${call} called by one of the group's own members: it would wait for itself. ` +
        "A member may add members and requestCancel; the owner waits",
    );
  }
}

/** Zig's groupWait and groupCancel: `canceling` from the start for
 * cancel; a canceled waiter cancels every member and goes on uncancelably. */
function drain(t: Threaded, g: Group, canceling: boolean): void {
  refuseOwnMember(t, g, canceling ? "cancel" : "wait");
  refuseOwnPendingPromises(t, g);
  // This thread's waitAsync announced the wait: carried on here.
  const pending = pendingWaitOf(t, g);
  if (pending === undefined) announceWaiter(t, g);
  const errors: unknown[] = pending?.errors ?? [];
  const i32 = t.heap.i32;
  const off = g.ref + GroupLayout.STATE;
  let round = 0; // of bounded sleeps that ran out (reaper.ts reapCheckNs)
  try {
    for (;;) {
      if (canceling) cancelMembers(t, g);
      for (;;) {
        const s = Atomics.load(i32, off >> 2);
        if (s >>> 1 === 0) break;
        try {
          if (!futexWaitTimeout(t.heap, off, s, reapCheckNs(round), !canceling)) {
            round++;
            reapMembers(t, g);
          }
        } catch (e) {
          if (!(e instanceof Canceled)) throw e;
          canceling = true;
          cancelMembers(t, g);
        }
      }
      collect(t, g, errors);
      if (drained(t, g)) break;
      refuseOwnPendingPromises(t, g);
    }
  } catch (e) {
    // A pending waitAsync keeps the wait announced; it goes on.
    if (pending === undefined) Atomics.and(i32, off >> 2, ~GROUP_IS_WAITING);
    throw e;
  }
  retire(t, g, errors, pending);
}

export function groupWait(t: Threaded, g: Group): void {
  drain(t, g, false);
}

export function groupCancel(t: Threaded, g: Group): void {
  drain(t, g, true);
}

export async function groupWaitAsync(t: Threaded, g: Group): Promise<void> {
  refuseOwnMember(t, g, "waitAsync");
  announceWaiter(t, g);
  const pending: PendingWait = { errors: [] };
  let m = pendingWaits.get(t.heap);
  if (m === undefined) pendingWaits.set(t.heap, (m = new Map()));
  m.set(g.ref, pending);
  const i32 = t.heap.i32;
  const off = g.ref + GroupLayout.STATE;
  // Inside a task, Zig's groupWait: a cancel of the waiting task cancels
  // every member (those added later too), and the wait goes on.
  let canceling = false;
  const forward = watchTaskCancel(() => {
    canceling = true;
    cancelMembers(t, g);
  });
  try {
    for (;;) {
      for (;;) {
        if (pending.finished !== undefined) break;
        const s = Atomics.load(i32, off >> 2);
        if (s >>> 1 === 0) break;
        if (canceling) cancelMembers(t, g);
        await futexWaitAsync(t.heap, off, s, () => reapMembers(t, g));
      }
      // Finished by a blocking wait or cancel on this thread meanwhile: the
      // group may be in use again, so it is not touched.
      const done = pending.finished;
      if (done !== undefined) {
        if (done.failed) throw done.failure;
        return;
      }
      collect(t, g, pending.errors);
      if (drained(t, g)) break;
    }
  } catch (e) {
    if (pending.finished === undefined) {
      forgetPending(t, g, pending);
      Atomics.and(i32, off >> 2, ~GROUP_IS_WAITING);
    }
    throw e;
  } finally {
    forward?.();
  }
  retire(t, g, pending.errors, pending);
}
