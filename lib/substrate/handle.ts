// Checked handles: how every shared object a caller holds (Future, Group,
// Queue, Mutex, Condition, ResetEvent, and any new one) refuses to touch
// memory that is no longer its own.
//
// Each heap block's header has a generation word (layout.ts `Block.GEN`):
// odd while allocated, even while free, +1 on every alloc and every free. A
// handle remembers the generation of its block when it was made (or when it
// crossed to another thread: the codec carries it beside the offset). Every
// access through the handle first compares the two, and the heap's CLOSED
// word, which `Threaded.deinit` sets:
//   - equal and open: the block is the one the handle was made for;
//   - different: it was freed (and perhaps handed out again: its generation
//     moved on, so a stale handle never matches a reused block until the
//     u32 wraps, 2^31 reuses of that one block later);
//   - closed: the Threaded instance is gone.
// Two loads and two compares; no allocation, no call on the fast path.
//
// A handle whose own object freed the block sets its generation to
// FREED_HERE (even: never matches), so the message can say it was this
// handle's `deinit`. Objects embedded in another block (a closure's DONE
// event, a queue's mutex, a waiter's condition) are EMBEDDED: their owner
// checks its own handle before reaching them.
import { BugError } from "../io/errors.ts";
import type { Heap } from "./heap.ts";
import { GEN_BEFORE_PAYLOAD, Header } from "./layout.ts";

/** An embedded object: unchecked (its owner is checked). */
export const EMBEDDED = -1;
/** This handle freed its block itself (deinit, dispose, await). */
export const FREED_HERE = 0;

/** Whether the handle (ref, gen) still names a live block of an open heap. */
export function isLive(heap: Heap, ref: number, gen: number): boolean {
  const u32 = heap.u32;
  return u32[(ref - GEN_BEFORE_PAYLOAD) >> 2] === gen && u32[Header.CLOSED >> 2] === 0;
}

/** Throws a BugError naming `kind` and what happened, unless the handle is
 * live (or EMBEDDED). */
export function checkHandle(heap: Heap, ref: number, gen: number, kind: string): void {
  if (gen === EMBEDDED || isLive(heap, ref, gen)) return;
  throw staleHandle(heap, gen, kind);
}

/** The error for a handle that is not live. */
export function staleHandle(heap: Heap, gen: number, kind: string): BugError {
  if (heap.closed) {
    return new BugError(
      `${kind} used after its Threaded instance was deinitialized (threaded.deinit())`,
    );
  }
  if (gen === FREED_HERE) {
    return new BugError(`${kind} used after it was deinitialized (deinit or dispose)`);
  }
  return new BugError(
    `${kind} used after it was freed (deinit or dispose on some thread); its memory may now hold another object`,
  );
}

/** Throws unless `io`'s heap (`other`) is the heap the object lives in: a
 * handle used with another Threaded instance's io. */
export function checkSameHeap(heap: Heap, other: Heap, kind: string): void {
  if (other !== heap && other.sab !== heap.sab) {
    throw new BugError(`${kind} belongs to another Threaded instance than the io it was used with`);
  }
}
