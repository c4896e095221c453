// The vtable's group entries (seed: groupAsync, groupConcurrent, groupWait,
// groupCancel) and the non-blocking twin of groupWait.
//
// Members are linked through their SIBLING field from the group's TOKEN,
// under the pool lock, only when they really get a thread (the seed pushes
// to `group.token` the same way); a member run inline is just a call. STATE
// counts pending members (+2 each) and bit 0 says a waiter waits; the last
// member to finish sets EVENT if a waiter is there.
import { Canceled, IoError } from "../io/errors.ts";
import type { Group } from "../io/group.ts";
import { ResetEvent } from "../io/reset_event.ts";
import type { Threaded } from "./threaded.ts";
import { createClosure, freeClosure, readOutcome } from "./closure.ts";
import { requestCancel } from "../substrate/cancel.ts";
import { REAP_CHECK_NS, reapRunnerOf } from "./reaper.ts";
import {
  Closure,
  GroupLayout,
  GROUP_IS_WAITING,
  GROUP_ONE_PENDING,
  KIND_GROUP,
  Pool,
  PoolBlock,
} from "../substrate/layout.ts";
import { dispatch } from "./pool.ts";
import { holdGroup, releaseGroup } from "./in_flight.ts";
import { lockWord, unlockWord } from "../substrate/mutex_word.ts";
import { noteInline } from "../substrate/trace.ts";

type AnyFn = (...args: never[]) => unknown;

function link(t: Threaded, g: Group, closure: number): () => void {
  return () => {
    const u32 = t.heap.u32;
    u32[(closure + Closure.SIBLING) >> 2] = u32[(g.ref + GroupLayout.TOKEN) >> 2];
    u32[(g.ref + GroupLayout.TOKEN) >> 2] = closure;
    // Counted before the lock is released, so the member cannot finish first.
    Atomics.add(t.heap.i32, (g.ref + GroupLayout.STATE) >> 2, GROUP_ONE_PENDING);
  };
}

function runMemberInline(g: Group, fn: AnyFn, args: readonly unknown[]): void {
  fn = noteInline(g.heap, fn);
  try {
    const r = (fn as (...a: readonly unknown[]) => unknown)(...args);
    if (r instanceof Promise) r.catch((e) => recordInline(g, e));
  } catch (e) {
    recordInline(g, e);
  }
}

function recordInline(g: Group, e: unknown): void {
  if (!(e instanceof Canceled)) g.inlineErrors.push(e);
}

export function groupAsync(t: Threaded, g: Group, fn: AnyFn, args: readonly unknown[]): void {
  let closure: number;
  try {
    closure = createClosure(t.heap, KIND_GROUP, fn, args, g.ref);
  } catch (e) {
    if (e instanceof IoError && e.code === "OutOfMemory") return runMemberInline(g, fn, args);
    throw e;
  }
  if (!dispatch(t.heap, closure, Pool.ASYNC_LIMIT, t.spawner, link(t, g, closure))) {
    freeClosure(t.heap, closure);
    runMemberInline(g, fn, args);
    return;
  }
  holdGroup(t, g.ref);
}

export function groupConcurrent(t: Threaded, g: Group, fn: AnyFn, args: readonly unknown[]): void {
  let closure: number;
  try {
    closure = createClosure(t.heap, KIND_GROUP, fn, args, g.ref);
  } catch (e) {
    if (e instanceof IoError && e.code === "OutOfMemory")
      throw new IoError("ConcurrencyUnavailable", { cause: e });
    throw e;
  }
  if (!dispatch(t.heap, closure, Pool.CONCURRENT_LIMIT, t.spawner, link(t, g, closure))) {
    freeClosure(t.heap, closure);
    throw new IoError("ConcurrencyUnavailable", {
      message:
        "ConcurrencyUnavailable: the concurrent limit is reached or no thread could be started",
    });
  }
  holdGroup(t, g.ref);
}

/** The member list. It stays linked until `finish`, so a cancel from an
 * AbortSignal during the wait still reaches every member. */
function takeMembers(t: Threaded, g: Group): number {
  lockWord(t.heap, PoolBlock.OFFSET + Pool.LOCK);
  const token = t.heap.u32[(g.ref + GroupLayout.TOKEN) >> 2];
  unlockWord(t.heap, PoolBlock.OFFSET + Pool.LOCK);
  return token;
}

function forEachMember(t: Threaded, token: number, f: (closure: number) => void): void {
  for (let c = token; c !== 0;) {
    const next = t.heap.u32[(c + Closure.SIBLING) >> 2];
    f(c);
    c = next;
  }
}

/** Cancels the members present now (AbortSignal interop). */
export function groupRequestCancel(t: Threaded, g: Group): void {
  lockWord(t.heap, PoolBlock.OFFSET + Pool.LOCK);
  try {
    forEachMember(t, t.heap.u32[(g.ref + GroupLayout.TOKEN) >> 2], (c) =>
      requestCancel(t.heap, c + Closure.CANCEL),
    );
  } finally {
    unlockWord(t.heap, PoolBlock.OFFSET + Pool.LOCK);
  }
}

/** Frees the members, resets the group, and throws what members threw. */
function finish(t: Threaded, g: Group, token: number): void {
  releaseGroup(t, g.ref);
  const errors: unknown[] = [];
  const revive = t.reviver();
  forEachMember(t, token, (c) => {
    const o = readOutcome(t.heap, c, revive);
    if (!o.ok && !(o.value instanceof Canceled)) errors.push(o.value);
    freeClosure(t.heap, c);
  });
  const i32 = t.heap.i32;
  lockWord(t.heap, PoolBlock.OFFSET + Pool.LOCK);
  t.heap.u32[(g.ref + GroupLayout.TOKEN) >> 2] = 0;
  unlockWord(t.heap, PoolBlock.OFFSET + Pool.LOCK);
  Atomics.store(i32, (g.ref + GroupLayout.STATE) >> 2, 0);
  Atomics.store(i32, (g.ref + GroupLayout.EVENT) >> 2, 0);
  Atomics.store(i32, (g.ref + GroupLayout.ERRORS) >> 2, 0);
  errors.push(...g.inlineErrors.splice(0));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} group members failed`);
}

function announceWaiter(t: Threaded, g: Group): number {
  const prev = Atomics.add(t.heap.i32, (g.ref + GroupLayout.STATE) >> 2, GROUP_IS_WAITING);
  if (prev & GROUP_IS_WAITING) throw new Error("Group is already being waited on");
  return prev;
}

/** Waits for the group's event, checking every REAP_CHECK that the threads
 * running its members are alive (reaper.ts). */
function waitEvent(t: Threaded, g: Group, token: number, cancelable: boolean): void {
  const event = ResetEvent.from(t.heap, g.ref + GroupLayout.EVENT);
  while (!event.waitBounded(REAP_CHECK_NS, cancelable)) {
    forEachMember(t, token, (c) => reapRunnerOf(t.heap, c, t.spawner));
  }
}

export function groupWait(t: Threaded, g: Group): void {
  const token = takeMembers(t, g);
  if (token === 0) return finish(t, g, 0);
  if (announceWaiter(t, g) >= GROUP_ONE_PENDING) {
    try {
      waitEvent(t, g, token, true);
    } catch (e) {
      if (!(e instanceof Canceled)) throw e;
      // The waiter was canceled: cancel every member, then wait for them.
      forEachMember(t, token, (c) => requestCancel(t.heap, c + Closure.CANCEL));
      waitEvent(t, g, token, false);
    }
  }
  finish(t, g, token);
}

export function groupCancel(t: Threaded, g: Group): void {
  const token = takeMembers(t, g);
  if (token === 0) return finish(t, g, 0);
  forEachMember(t, token, (c) => requestCancel(t.heap, c + Closure.CANCEL));
  if (announceWaiter(t, g) >= GROUP_ONE_PENDING) waitEvent(t, g, token, false);
  finish(t, g, token);
}

export async function groupWaitAsync(t: Threaded, g: Group): Promise<void> {
  const token = takeMembers(t, g);
  if (token === 0) return finish(t, g, 0);
  if (announceWaiter(t, g) >= GROUP_ONE_PENDING) {
    await ResetEvent.from(t.heap, g.ref + GroupLayout.EVENT).waitAsync(() =>
      forEachMember(t, token, (c) => reapRunnerOf(t.heap, c, t.spawner)),
    );
  }
  finish(t, g, token);
}
