// The waiter records of an Io.Queue (queue.ts): a blocked getter or putter
// is a heap record (WaiterLayout) with a buffer of element tokens, linked
// into the queue's GETTERS or PUTTERS list (a *_HEAD word followed by its
// *_TAIL word in the queue's block at `ref`). All of it under the queue's
// lock.
import type { Heap } from "../substrate/heap.ts";
import { WaiterLayout as W } from "../substrate/layout.ts";

/** The u32 field at byte offset `f` of a heap block (a queue or a waiter). */
export function field(heap: Heap, block: number, f: number): number {
  return heap.u32[(block + f) >> 2];
}

export function setField(heap: Heap, block: number, f: number, v: number): void {
  heap.u32[(block + f) >> 2] = v;
}

/** A zeroed waiter record with a buffer for `size` tokens (the caller sets
 * its fields). */
export function newWaiter(heap: Heap, size: number): number {
  const w = heap.allocZeroed(W.BYTES);
  try {
    setField(heap, w, W.TOKENS, heap.alloc(4 * Math.max(size, 1)));
  } catch (e) {
    heap.free(w);
    throw e;
  }
  return w;
}

export function freeWaiter(heap: Heap, w: number): void {
  heap.free(field(heap, w, W.TOKENS));
  heap.free(w);
}

/** The first `count` tokens of `w`'s buffer (all END of them by default). */
export function waiterTokens(heap: Heap, w: number, count = field(heap, w, W.END)): number[] {
  const arr = field(heap, w, W.TOKENS) >> 2;
  return Array.from(heap.u32.subarray(arr, arr + count));
}

export function appendWaiter(heap: Heap, ref: number, head: number, w: number): void {
  const tail = head + 4; // *_TAIL follows *_HEAD
  setField(heap, w, W.NEXT, 0);
  const last = field(heap, ref, tail);
  if (last === 0) setField(heap, ref, head, w);
  else setField(heap, last, W.NEXT, w);
  setField(heap, ref, tail, w);
}

export function shiftWaiter(heap: Heap, ref: number, head: number): void {
  const next = field(heap, field(heap, ref, head), W.NEXT);
  setField(heap, ref, head, next);
  if (next === 0) setField(heap, ref, head + 4, 0);
}

export function removeWaiter(heap: Heap, ref: number, head: number, w: number): void {
  let prev = 0;
  for (let c = field(heap, ref, head); c !== 0; prev = c, c = field(heap, c, W.NEXT)) {
    if (c !== w) continue;
    const next = field(heap, c, W.NEXT);
    if (prev === 0) setField(heap, ref, head, next);
    else setField(heap, prev, W.NEXT, next);
    if (field(heap, ref, head + 4) === w) setField(heap, ref, head + 4, prev);
    return;
  }
}
