// A closure is one task handed to the pool: Zig's AsyncClosure and
// GroupClosure in one heap layout (layout.ts `Closure`), with its encoded
// arguments behind the header. This file creates closures, runs them on a
// pool thread, and reads and frees their results.
//
// Finishing a closure, in this order (Zig's start()):
// 1. write the result into the closure;
// 2. leave the task: CAS the cancel word back (or settle it with the
//    watchdog), so no signal reaches this thread once it has moved on;
// 3. release the pool slot (BUSY - 1) before anyone can see the result, so
//    a caller that awaits and immediately calls async again finds the
//    thread free instead of running inline;
// 4. publish: an async closure marks SELECT done (setting a select's event
//    if one is registered) and sets DONE; a group closure sets DONE, then
//    drops the group's pending count and, if it was the last and a waiter
//    waits, wakes it (a wake writes no memory).
// After 4 the awaiter may free the closure (and, for the last member of a
// group, the group): nothing here writes either again.
//
// A result that does not fit the heap (maxHeapBytes) fails the task with
// OutOfMemory (RESULT_TOO_LARGE): the thread goes on, nothing leaks.
import type { Heap } from "../substrate/heap.ts";
import {
  BlockKind,
  Closure,
  Format,
  GroupLayout,
  GROUP_IS_WAITING,
  GROUP_ONE_PENDING,
  KIND_GROUP,
  KIND_GROUP_INLINE,
  Pool,
  PoolBlock,
  RESULT_DIED,
  RESULT_ERROR,
  RESULT_TOO_LARGE,
  RESULT_VALUE,
  SELECT_DONE,
  ThreadState,
} from "../substrate/layout.ts";
import {
  decodeArgs,
  decodeError,
  decodeValue,
  dropEncoded,
  encodeArgs,
  encodeError,
  encodeResult,
  fromF64,
  releasePayload,
  writeEncoded,
  writePayload,
  type Encoded,
  type Reviver,
} from "../substrate/codec.ts";
import { enterTask, exitTask, threadId } from "../substrate/cancel.ts";
import { futexWake } from "../substrate/futex.ts";
import {
  explainSourceTaskError,
  internKey,
  readKey,
  resolveTask,
  taskKey,
} from "../substrate/tasks.ts";
import { embeddedResetEvent, setAtTaskEnd, type ResetEvent } from "../io/reset_event.ts";
import { Canceled, IoError } from "../io/errors.ts";
import { describeThrown, isInstance } from "../substrate/safe_read.ts";
import { yieldCpu } from "../substrate/spin_policy.ts";

type AnyFn = (...args: never[]) => unknown;

export function createClosure(
  heap: Heap,
  kind: number,
  fn: AnyFn,
  args: readonly unknown[],
  group = 0,
): number {
  const keyOff = internKey(heap, taskKey(fn));
  const enc = encodeArgs(args, heap);
  let off: number;
  try {
    off = heap.alloc(Closure.HEADER_BYTES + enc.bytes, BlockKind.CLOSURE);
  } catch (e) {
    dropEncoded(enc);
    if (!IoError.is(e, "OutOfMemory")) throw e;
    throw new IoError("OutOfMemory", {
      message:
        `OutOfMemory: the task's arguments did not fit the shared heap ` +
        `(${enc.bytes} bytes encoded; maxHeapBytes ${heap.sab.maxByteLength}, ` +
        `${heap.stats().liveBytes} bytes in use)`,
      cause: e,
    });
  }
  heap.u8.fill(0, off, off + Closure.HEADER_BYTES);
  const u32 = heap.u32;
  u32[(off + Closure.KIND) >> 2] = kind;
  u32[(off + Closure.TASK) >> 2] = keyOff;
  u32[(off + Closure.GROUP) >> 2] = group;
  u32[(off + Closure.ARGS_FORMAT) >> 2] = enc.format;
  u32[(off + Closure.ARGS_LENGTH) >> 2] = enc.length;
  writeEncoded(heap.u8, heap.f64, off + Closure.HEADER_BYTES, enc);
  return off;
}

/** Frees a closure and its result block. */
export function freeClosure(heap: Heap, off: number): void {
  const block = heap.u32[(off + Closure.RESULT_BLOCK) >> 2];
  if (heap.u32[(off + Closure.ARGS_FORMAT) >> 2] === Format.JSC)
    releasePayload(heap.u8, off + Closure.HEADER_BYTES);
  if (block !== 0) {
    releasePayload(heap.u8, block + 4);
    heap.free(block);
  }
  heap.free(off);
}

export function doneEvent(heap: Heap, off: number): ResetEvent {
  return embeddedResetEvent(heap, off + Closure.DONE);
}

/** `concurrent`'s error when the closure could not be allocated: says why
 * (the arguments did not fit, with their size and the heap's maximum). */
export function unavailableFor(oom: IoError): IoError<"ConcurrencyUnavailable"> {
  return new IoError("ConcurrencyUnavailable", {
    message: `ConcurrencyUnavailable: ${oom.message.replace(/^OutOfMemory: /, "")}`,
    cause: oom,
  });
}

/** Runs a closure on this thread. Returns a promise when the task did, or
 * when its module had to be loaded first. */
export function runClosure(heap: Heap, off: number, revive: Reviver): Promise<void> | undefined {
  enterTask(heap, off + Closure.CANCEL); // CURRENT names it since take() (pool.ts)
  const keyOff = heap.u32[(off + Closure.TASK) >> 2];
  let fn: AnyFn | Promise<AnyFn>;
  try {
    fn = resolveTask(heap, keyOff);
  } catch (e) {
    finish(heap, off, RESULT_ERROR, failure(heap, keyOff, e));
    return undefined;
  }
  if (fn instanceof Promise) {
    return fn.then(
      (f) => call(heap, off, keyOff, f, revive),
      (e) => finish(heap, off, RESULT_ERROR, failure(heap, keyOff, e)),
    );
  }
  return call(heap, off, keyOff, fn, revive);
}

function call(
  heap: Heap,
  off: number,
  keyOff: number,
  fn: AnyFn,
  revive: Reviver,
): Promise<void> | undefined {
  let returned: unknown;
  try {
    const args = decodeArgs(
      heap.u8,
      heap.f64,
      off + Closure.HEADER_BYTES,
      heap.u32[(off + Closure.ARGS_FORMAT) >> 2],
      heap.u32[(off + Closure.ARGS_LENGTH) >> 2],
      revive,
    );
    // The task has its own copies now: big buffers outside the heap go back
    // before it runs, not when the closure is freed (freeClosure's release
    // then finds stale handles and does nothing).
    if (heap.u32[(off + Closure.ARGS_FORMAT) >> 2] === Format.JSC)
      releasePayload(heap.u8, off + Closure.HEADER_BYTES);
    returned = (fn as (...a: unknown[]) => unknown)(...args);
  } catch (e) {
    finish(heap, off, RESULT_ERROR, failure(heap, keyOff, e));
    return undefined;
  }
  // Reading `then` runs the value's code (a Proxy's get trap): a throw
  // fails the task with that error, as `await` of the value would.
  let thenable: boolean;
  try {
    thenable = isThenable(returned);
  } catch (e) {
    finish(heap, off, RESULT_ERROR, failure(heap, keyOff, e));
    return undefined;
  }
  if (thenable) {
    // A resolving function never throws (Promise.resolve may: it reads a
    // promise's `constructor`); neither do `finish` and `failure`, so the
    // promise the task loop awaits never rejects.
    return new Promise<unknown>((resolve) => resolve(returned)).then(
      (v) => finish(heap, off, RESULT_VALUE, v),
      (e) => finish(heap, off, RESULT_ERROR, failure(heap, keyOff, e)),
    );
  }
  finish(heap, off, RESULT_VALUE, returned);
  return undefined;
}

function failure(heap: Heap, keyOff: number, e: unknown): unknown {
  return explainSourceTaskError(readKey(heap, keyOff), e);
}

export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    (typeof v === "object" || typeof v === "function") &&
    v !== null &&
    typeof (v as { then?: unknown }).then === "function"
  );
}

/** Never throws (nor does anything it calls with the task's value): a
 * throw here ended the pool thread's task loop. */
function finish(heap: Heap, off: number, kind: number, value: unknown): void {
  kind = writeOutcome(heap, off, kind, value);
  exitTask();
  // Read before the publish, after which the closure may be freed.
  const handedOff = Atomics.load(heap.i32, (off + Closure.HANDED_OFF) >> 2) !== 0;
  publish(heap, off, kind === RESULT_ERROR && !isInstance(value, Canceled));
  // Still this thread's while it publishes: a thread ended before DONE is
  // set has its task published by the reaper, which leaves alone one whose
  // DONE is set or whose block moved on (reaper.ts `writeOff`). Cleared
  // before it, an end in between left the awaiter waiting forever.
  Atomics.store(heap.i32, (ThreadState.CURRENT >> 2) + threadId(heap) - 1, 0);
  // Its dispatcher yielded its CPU to this task (idle_handoff.ts) and is
  // queued behind this thread, likely on this CPU: it gets the CPU back
  // now, not after this thread's way back to sleep.
  if (handedOff) yieldCpu();
}

/** Steps 3 and 4 of finishing (see the top of this file). Also used by the
 * reaper for a closure whose thread died. Wakes without yielding: the
 * thread goes on to sleep, or yields before its next task if it has one at
 * once (wake_yield.ts, "next"). */
export function publish(heap: Heap, off: number, failed: boolean): void {
  Atomics.sub(heap.i32, (PoolBlock.OFFSET + Pool.BUSY) >> 2, 1);
  if (heap.u32[(off + Closure.KIND) >> 2] === KIND_GROUP) return publishMember(heap, off, failed);
  const sel = Atomics.exchange(heap.i32, (off + Closure.SELECT) >> 2, SELECT_DONE);
  if (sel !== 0 && sel !== SELECT_DONE) setAtTaskEnd(heap, sel);
  setAtTaskEnd(heap, off + Closure.DONE);
}

/** A group member (on the pool or inline) has its result: DONE first, so
 * the group's waiter may collect and free the record once the count drops;
 * then the count. After the decrement nothing writes the group: the wake
 * is a syscall on its address, harmless if the memory was reused.
 *   member: DONE.set(); prev = fetch_sub(STATE, 2)
 *   waiter: sees STATE pending 0 → collects DONE records → may free group
 *   member: prev == 2|WAITING → futex_wake(STATE)   (no write) */
export function publishMember(heap: Heap, off: number, failed: boolean): void {
  const i32 = heap.i32;
  const group = heap.u32[(off + Closure.GROUP) >> 2];
  if (failed) Atomics.add(i32, (group + GroupLayout.ERRORS) >> 2, 1);
  setAtTaskEnd(heap, off + Closure.DONE);
  const prev = Atomics.sub(i32, (group + GroupLayout.STATE) >> 2, GROUP_ONE_PENDING);
  if (prev === (GROUP_ONE_PENDING | GROUP_IS_WAITING))
    futexWake(heap, group + GroupLayout.STATE, 0x7fffffff, "next");
}

/** A record for a group member that ran inline (KIND_GROUP_INLINE): header
 * only, zeroed. */
export function createInlineRecord(heap: Heap, group: number): number {
  const off = heap.allocZeroed(Closure.HEADER_BYTES, BlockKind.CLOSURE);
  heap.u32[(off + Closure.KIND) >> 2] = KIND_GROUP_INLINE;
  heap.u32[(off + Closure.GROUP) >> 2] = group;
  return off;
}

/** Writes a member's outcome into its record (values are not kept: a
 * group reports only errors). Never throws. */
export function writeMemberOutcome(heap: Heap, off: number, ok: boolean, value: unknown): void {
  if (ok) heap.u32[(off + Closure.RESULT_KIND) >> 2] = RESULT_VALUE;
  else writeOutcome(heap, off, RESULT_ERROR, value);
}

/** writeResult that never throws; returns the kind written. A result or
 * error that cannot be encoded (encoding reads the value, whose Proxy
 * traps or getters may throw: safe_read.ts) fails the task with an error
 * that says why, in a record small enough to always fit. Thrown on a pool
 * thread, it ended the thread's task loop, and the future failed later
 * with "the pool thread exited". */
function writeOutcome(heap: Heap, off: number, kind: number, value: unknown): number {
  try {
    writeResult(heap, off, kind, value);
    return kind;
  } catch (e) {
    const code = isInstance(e, RangeError) ? "OutOfMemory" : "Unexpected";
    const what = kind === RESULT_VALUE ? "the task's result" : "the value the task threw";
    writeResult(
      heap,
      off,
      RESULT_ERROR,
      new IoError(code, {
        message: `${code}: ${what} could not be passed back: ${describeThrown(e)}`,
      }),
    );
    return RESULT_ERROR;
  }
}

/** Fails a closure no thread took (unlinked from the run queue by the
 * caller, under the pool lock): its awaiter, a group or a select sees the
 * error as the task's. */
export function failUntaken(heap: Heap, off: number, error: unknown): void {
  try {
    writeResult(heap, off, RESULT_ERROR, error);
  } catch {
    // No room for the error (the heap full): failed as by a dead thread,
    // which needs no allocation, rather than left unpublished.
    heap.u32[(off + Closure.RESULT_KIND) >> 2] = RESULT_DIED;
    heap.u32[(off + Closure.RESULT_FORMAT) >> 2] = Format.NONE;
  }
  publish(heap, off, true);
}

function writeResult(heap: Heap, off: number, kind: number, value: unknown): void {
  let enc: Encoded;
  if (kind === RESULT_VALUE) {
    try {
      enc = encodeResult(value, "returned from a task", heap);
    } catch (e) {
      kind = RESULT_ERROR;
      enc = encodeError(e, heap);
    }
  } else {
    enc = encodeError(value, heap);
  }
  const u32 = heap.u32;
  u32[(off + Closure.RESULT_KIND) >> 2] = kind;
  u32[(off + Closure.RESULT_FORMAT) >> 2] = enc.format;
  if (enc.format === Format.NUMBER) heap.f64[(off + Closure.RESULT_NUMBER) >> 3] = enc.numbers![0];
  if (enc.format === Format.JSC) {
    let block: number;
    try {
      block = heap.alloc(4 + enc.bytes);
    } catch (e) {
      dropEncoded(enc);
      if (!IoError.is(e, "OutOfMemory")) throw e;
      u32[(off + Closure.RESULT_KIND) >> 2] = RESULT_TOO_LARGE;
      u32[(off + Closure.RESULT_FORMAT) >> 2] = Format.NONE;
      heap.f64[(off + Closure.RESULT_NUMBER) >> 3] = enc.bytes;
      return;
    }
    u32[block >> 2] = enc.bytes;
    writePayload(heap.u8, block + 4, enc);
    u32[(off + Closure.RESULT_BLOCK) >> 2] = block;
  }
}

export interface Outcome {
  readonly ok: boolean;
  readonly value: unknown;
}

/** Reads a finished closure's result (does not free it). */
export function readOutcome(heap: Heap, off: number, revive: Reviver): Outcome {
  const u32 = heap.u32;
  if (u32[(off + Closure.RESULT_KIND) >> 2] === RESULT_DIED) {
    return {
      ok: false,
      value: new IoError("Unexpected", {
        message:
          "Unexpected: the pool thread running this task exited before it finished " +
          "(process.exit in a task, or the Worker that started the thread ended); a new thread takes its place when work comes",
      }),
    };
  }
  if (u32[(off + Closure.RESULT_KIND) >> 2] === RESULT_TOO_LARGE) {
    const bytes = heap.f64[(off + Closure.RESULT_NUMBER) >> 3];
    return {
      ok: false,
      value: new IoError("OutOfMemory", {
        message:
          `OutOfMemory: the task's result (${bytes} bytes encoded) does not fit the shared heap ` +
          `(maxHeapBytes ${heap.sab.maxByteLength})`,
      }),
    };
  }
  const ok = u32[(off + Closure.RESULT_KIND) >> 2] === RESULT_VALUE;
  const format = u32[(off + Closure.RESULT_FORMAT) >> 2];
  let value: unknown;
  if (format === Format.NUMBER) value = fromF64(heap.f64[(off + Closure.RESULT_NUMBER) >> 3]);
  else if (format === Format.JSC) {
    const block = u32[(off + Closure.RESULT_BLOCK) >> 2];
    const len = u32[block >> 2];
    value = ok
      ? decodeValue(heap.u8, block + 4, len, revive)
      : decodeError(heap.u8, block + 4, len, revive);
  }
  return { ok, value };
}

/** Wakes a futex word of the pool block. */
export function wakePoolWord(heap: Heap, field: number, n: number): void {
  futexWake(heap, PoolBlock.OFFSET + field, n);
}
