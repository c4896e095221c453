// Where a value being encoded is going, for the checks and refusals of the
// codec's walk (codec.ts): a shared object of another Threaded instance, a
// function, a SharedArrayBuffer. Set by each encoding entry before its
// (synchronous) walk.
import { BugError } from "../io/errors.ts";
import type { SharedKind } from "../io/shared.ts";

/** Where a value being encoded is going (a function or a SharedArrayBuffer
 * in a task's result or a queue item was once said to be "passed to a
 * task"). */
export type Crossing = "passed to a task" | "returned from a task" | "put in a queue";
let crossing: Crossing = "passed to a task";
/** The address of the heap the value is written into (`Heap.base`), set
 * with `crossing`: a shared object of another heap (another Threaded
 * instance) is refused, since its reference would name some other object
 * there. 0: not known, nothing checked. */
let owner = 0;

const KIND_NAMES: Record<SharedKind, string> = {
  io: "Io",
  mutex: "Mutex",
  condition: "Condition",
  reset_event: "ResetEvent",
  group: "Group",
  queue: "Queue",
  bytes: "SharedBytes",
  file: "File",
  dir: "Dir",
};

/** Throws unless a shared object of the heap at `heapBase` may go where
 * the value is going. */
export function checkOwner(kind: SharedKind, heapBase: number): void {
  if (owner === 0 || heapBase === owner) return;
  throw new BugError(
    `${KIND_NAMES[kind]} belongs to another Threaded instance: it cannot be ${crossing} ` +
      "of this one (a shared object works only with the instance that made it)",
  );
}

/** Called by each encoding entry before it walks a value. */
export function setCrossing(where: Crossing, heapBase: number): void {
  crossing = where;
  owner = heapBase;
}

export function refuseFunction(): TypeError {
  return new TypeError(
    `A function cannot be ${crossing}: ` +
      (crossing === "passed to a task"
        ? "pass a task() function by its module instead"
        : "only data crosses between threads"),
  );
}

export function refuseSharedMemory(v: object): void {
  if (
    v instanceof SharedArrayBuffer ||
    (ArrayBuffer.isView(v) && v.buffer instanceof SharedArrayBuffer)
  ) {
    throw new TypeError(
      `A SharedArrayBuffer cannot be ${crossing}: it would arrive as a copy, so neither ` +
        "thread would see the other's writes. Allocate shared memory with " +
        "SharedBytes.alloc(io, length) and pass that instead; to send the data as a copy, " +
        "pass an ArrayBuffer or a typed array over one",
    );
  }
}

/** A value structured clone refused (a symbol, a WeakMap, a class with
 * private state): the message says where it was going (it said "Task
 * value" for a queue item too). */
export function refuseUncloneable(e: unknown): TypeError {
  return new TypeError(
    `A value that structured clone cannot copy (a symbol, a WeakMap, …) cannot be ${crossing}: ${(e as Error).message}`,
    {
      cause: e,
    },
  );
}
