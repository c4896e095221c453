// The Io argument, checked where a shared object first touches it: a call
// that left it out (`group.concurrent(fib, 3)`) or passed something else
// read "io.sharedHeap is not a function" or "undefined is not an object
// (evaluating 'io.vtable.await')".
import type { Heap } from "../substrate/heap.ts";
import type { Io } from "./io.ts";
import { describe } from "./validate.ts";
import { BugError } from "./errors.ts";

/** Throws a TypeError naming `kind` unless `io` is an Io. */
export function checkIo(io: unknown, kind: string): asserts io is Io {
  if (typeof io !== "object" || io === null || typeof (io as Io).sharedHeap !== "function")
    throw new TypeError(
      `${kind} takes the Io (threaded.io()) as its first argument, not ${describe(io)}`,
    );
}

/** checkIo, and the io's instance not deinitialized: a close must know
 * its call can run before it marks anything closed (with a dead io it
 * marked the object closed, then threw, and the descriptor leaked). */
export function checkLiveIo(io: unknown, kind: string): asserts io is Io {
  checkIo(io, kind);
  try {
    io.sharedHeap();
  } catch {
    throw new BugError(
      `${kind}: this io's Threaded instance is deinitialized (threaded.deinit() was called): ` +
        "nothing was closed; close it with a live instance's io",
    );
  }
}

/** `io`'s heap, once `io` is checked. */
export function heapOf(io: unknown, kind: string): Heap {
  checkIo(io, kind);
  return io.sharedHeap();
}
