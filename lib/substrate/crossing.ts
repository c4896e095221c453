// Where a value being encoded is going, for the checks and refusals of the
// codec's walk (codec.ts): a shared object of another Threaded instance, a
// function, a SharedArrayBuffer. Set by each encoding entry before its
// (synchronous) walk.
import { BugError } from "../io/errors.ts";
import type { SharedKind } from "../io/shared.ts";
import type { Heap } from "./heap.ts";

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
/** That heap, for what a crossing allocates there (descriptor_cell.ts). */
let ownerHeap: Heap | undefined;

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

/** Called by each encoding entry before it walks a value; `leaveCrossing`
 * after. A getter or a Proxy trap met by the walk may encode another value
 * (put to a queue, start a task) in the middle of this one: the outer walk
 * must go on checking against its own heap. */
export function enterCrossing(where: Crossing, heap: Heap | undefined): void {
  saved.push(crossing, ownerHeap);
  crossing = where;
  ownerHeap = heap;
  owner = heap?.base ?? 0;
}

export function leaveCrossing(): void {
  ownerHeap = saved.pop() as Heap | undefined;
  owner = ownerHeap?.base ?? 0;
  crossing = saved.pop() as Crossing;
}
const saved: (Crossing | Heap | undefined)[] = [];

/** The heap the value being encoded goes into (undefined: not known). */
export function crossingHeap(): Heap | undefined {
  return ownerHeap;
}

/** The heap a value being revived came through, while a value class's
 * `fromData` runs (a Socket adopts its descriptor cell there). */
let fromHeap: Heap | undefined;
const fromSaved: (Heap | undefined)[] = [];

export function enterReviving(heap: Heap | undefined): void {
  fromSaved.push(fromHeap);
  fromHeap = heap;
}

export function leaveReviving(): void {
  fromHeap = fromSaved.pop();
}

export function revivingHeap(): Heap | undefined {
  return fromHeap;
}

/** On the prototype of a class whose instances stay on the thread that made
 * them (a Future, a Threaded instance): what to pass instead. The refusal
 * names such an object where it meets it, instead of whatever inside it
 * structured clone refused (a path that ran through `io.userdata.ioFull…`
 * until the search gave up). */
export const STAYS_ON_THREAD = Symbol("threaded-io.staysOnThread");

/** On a prototype: the name a refusal gives its objects when the
 * constructor's name would mislead (a settled Future is a Promise
 * underneath, whose `constructor` must stay Promise: future.ts). */
export const DISPLAY_NAME = Symbol("threaded-io.displayName");

/** What to pass instead of `v`, if it stays on its thread. */
export function staysOnThread(v: unknown): string | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  const why = (v as { [STAYS_ON_THREAD]?: unknown })[STAYS_ON_THREAD];
  return typeof why === "string" ? why : undefined;
}

const FUNCTION_REFUSAL = Symbol("threaded-io.functionRefusal");

/** `path`: where in the value the function is ("[0].onDone"), when the
 * encoder has looked for it (it does, once the walk has thrown). */
export function refuseFunction(path = ""): TypeError {
  const e = new TypeError(
    `A function${path === "" ? "" : ` (at ${path})`} cannot be ${crossing}: ` +
      (crossing === "passed to a task"
        ? "pass a task() function by its module instead"
        : "only data crosses between threads"),
  );
  (e as unknown as Record<symbol, boolean>)[FUNCTION_REFUSAL] = true;
  return e;
}

export function isFunctionRefusal(e: unknown): boolean {
  return typeof e === "object" && e !== null && FUNCTION_REFUSAL in e;
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

/** The TypeError for a value structured clone refused (`cause`): it names
 * what was refused and where in the value (`path`, e.g. "[1].key"), found
 * by `locate` — "The object can not be cloned" alone leaves a newcomer to
 * guess which of the arguments it was. */
export function refuseUncloneable(
  cause: unknown,
  located: { path: string; value: unknown } | null,
): TypeError {
  const what =
    located === null
      ? "A value"
      : `${describeValue(located.value)}${located.path === "" ? "" : ` (at ${located.path})`}`;
  const stays = located === null ? undefined : staysOnThread(located.value);
  if (stays !== undefined)
    return new TypeError(`${what} cannot be ${crossing}: it stays on its thread; ${stays}`, {
      cause,
    });
  return new TypeError(
    `${what} cannot be ${crossing}: it is not data that can be copied to another thread ` +
      `(${(cause as Error)?.message ?? String(cause)})`,
    { cause },
  );
}

const article = (noun: string): string => `${/^[AEIOUaeiou]/.test(noun) ? "An" : "A"} ${noun}`;

function describeValue(v: unknown): string {
  if (typeof v === "symbol") return "A symbol";
  if (typeof v === "object" && v !== null) {
    const shown = (v as { [DISPLAY_NAME]?: unknown })[DISPLAY_NAME];
    if (typeof shown === "string") return article(shown);
    const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === "string" && name !== "" ? article(name) : "An object";
  }
  return article(typeof v);
}
