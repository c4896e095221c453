// The Io argument, checked where a shared object first touches it: a call
// that left it out (`group.concurrent(fib, 3)`) or passed something else
// read "io.sharedHeap is not a function" or "undefined is not an object
// (evaluating 'io.vtable.await')".
import type { Heap } from "../substrate/heap.ts";
import type { Io } from "./io.ts";
import { describe } from "./validate.ts";

/** Throws a TypeError naming `kind` unless `io` is an Io. */
export function checkIo(io: unknown, kind: string): asserts io is Io {
  if (typeof io !== "object" || io === null || typeof (io as Io).sharedHeap !== "function")
    throw new TypeError(
      `${kind} takes the Io (threaded.io()) as its first argument, not ${describe(io)}`,
    );
}

/** `io`'s heap, once `io` is checked. */
export function heapOf(io: unknown, kind: string): Heap {
  checkIo(io, kind);
  return io.sharedHeap();
}
