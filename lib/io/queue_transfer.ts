// Moving items between an Io.Queue's ring and its blocked getters and
// putters (queue.ts has the algorithm's steps), always under the queue's
// lock. `ref` is the queue's block; tokens are element blocks
// (queue_elements.ts); waiters are records of queue_waiters.ts.
import type { Io } from "./io.ts";
import type { Heap } from "../substrate/heap.ts";
import { QueueLayout as Q, WaiterLayout as W } from "../substrate/layout.ts";
import { embeddedCondition } from "./condition.ts";
import { field, freeWaiter, setField, shiftWaiter } from "./queue_waiters.ts";

/** Takes a drained putter off the list: signals its thread, or frees an
 * orphan's record. */
export function releasePutter(io: Io, heap: Heap, ref: number, p: number): void {
  shiftWaiter(heap, ref, Q.PUTTERS_HEAD);
  if (field(heap, p, W.ORPHAN) !== 0) freeWaiter(heap, p);
  else embeddedCondition(heap, p + W.COND).signal(io);
}

/** Steps 1 and 2 of put; returns how many of tokens[from..] were taken. */
export function putLocked(
  io: Io,
  heap: Heap,
  ref: number,
  tokens: readonly number[],
  from: number,
): number {
  const u32 = heap.u32;
  let n = from;
  while (n < tokens.length) {
    const g = field(heap, ref, Q.GETTERS_HEAD);
    if (g === 0) break;
    const pos = field(heap, g, W.POS);
    const k = Math.min(field(heap, g, W.END) - pos, tokens.length - n);
    const slots = field(heap, g, W.TOKENS) >> 2;
    for (let i = 0; i < k; i++) u32[slots + pos + i] = tokens[n + i];
    setField(heap, g, W.POS, pos + k);
    n += k;
    // Items ran out before g's min (never above its END): g stays first.
    if (pos + k < field(heap, g, W.MIN)) break;
    shiftWaiter(heap, ref, Q.GETTERS_HEAD);
    embeddedCondition(heap, g + W.COND).signal(io);
  }
  const cap = field(heap, ref, Q.CAPACITY);
  const len = field(heap, ref, Q.LEN);
  const k = Math.min(cap - len, tokens.length - n);
  if (k > 0) {
    const ring = field(heap, ref, Q.RING) >> 2;
    const start = field(heap, ref, Q.START);
    for (let i = 0; i < k; i++) u32[ring + ((start + len + i) % cap)] = tokens[n + i];
    setField(heap, ref, Q.LEN, len + k);
    n += k;
  }
  return n - from;
}

/** Steps 1 and 2 of get, then the ring refill: appends tokens to `out`. */
export function getLocked(io: Io, heap: Heap, ref: number, out: number[], max: number): void {
  const u32 = heap.u32;
  const cap = field(heap, ref, Q.CAPACITY);
  let len = field(heap, ref, Q.LEN);
  let start = field(heap, ref, Q.START);
  const ring = field(heap, ref, Q.RING) >> 2;
  while (len > 0 && out.length < max) {
    out.push(u32[ring + start]);
    start = (start + 1) % cap;
    len--;
  }
  setField(heap, ref, Q.START, start);
  setField(heap, ref, Q.LEN, len);
  while (out.length < max) {
    const p = field(heap, ref, Q.PUTTERS_HEAD);
    if (p === 0) break;
    const pos = field(heap, p, W.POS);
    const m = Math.min(field(heap, p, W.END) - pos, max - out.length);
    const src = field(heap, p, W.TOKENS) >> 2;
    for (let i = 0; i < m; i++) out.push(u32[src + pos + i]);
    setField(heap, p, W.POS, pos + m);
    if (pos + m < field(heap, p, W.END)) break;
    releasePutter(io, heap, ref, p);
  }
  refillLocked(io, heap, ref);
}

/** Moves blocked putters' items into free ring space, oldest first. */
export function refillLocked(io: Io, heap: Heap, ref: number): void {
  const u32 = heap.u32;
  const cap = field(heap, ref, Q.CAPACITY);
  const ring = field(heap, ref, Q.RING) >> 2;
  for (;;) {
    const len = field(heap, ref, Q.LEN);
    const p = field(heap, ref, Q.PUTTERS_HEAD);
    if (p === 0 || len === cap) return;
    const start = field(heap, ref, Q.START);
    const pos = field(heap, p, W.POS);
    const m = Math.min(field(heap, p, W.END) - pos, cap - len);
    const src = field(heap, p, W.TOKENS) >> 2;
    for (let i = 0; i < m; i++) u32[ring + ((start + len + i) % cap)] = u32[src + pos + i];
    setField(heap, ref, Q.LEN, len + m);
    setField(heap, p, W.POS, pos + m);
    if (pos + m < field(heap, p, W.END)) return;
    releasePutter(io, heap, ref, p);
  }
}
