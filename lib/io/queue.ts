// `Io.Queue(T)`: a many-producer, many-consumer FIFO in the shared heap, with
// the interface's exact semantics (Zig's TypeErasedQueue): a ring of
// `capacity` elements, and FIFO lists of blocked putters and getters, each
// waiting on its own Condition under the queue's Mutex. Capacity 0 is a
// rendezvous. Elements are copied through the heap as encoded blocks
// ("tokens"); shared objects inside them arrive live.
//
// put(items, min), under the lock:
//   1. hand items to waiting getters, oldest first (a getter that is full is
//      signalled and removed; one left short stays at the front);
//   2. copy what is left into free ring space;
//   3. all stored: return items.length; at least `min` stored: return that;
//   4. else wait as a putter until consumers have taken the rest.
// get(max, min), under the lock:
//   1. take from the ring; 2. then straight from blocked putters, oldest
//   first; refill the ring from putters; 3. at least `min`: return them;
//   4. else wait as a getter until producers have handed it `min` in all.
//      (Zig's `Threaded.zig` (a0289d0c) waits until they filled all `max`:
//      a `get(64, 1)` with nothing queued then hung until 64 items came,
//      against its contract; a getter is released as soon as items run out
//      with its `min` reached.)
// A canceled put or get removes itself and throws Canceled; items a canceled
// put had already handed over stay delivered, items a canceled get had
// received are dropped (as in Zig).
import type { Io } from "./io.ts";
import { traceWaitSite, WaitSite } from "../substrate/trace.ts";
import { embeddedCondition } from "./condition.ts";
import { embeddedMutex, type Mutex } from "./mutex.ts";
import { BugError } from "./errors.ts";
import { SHARED_REF, type SharedObject } from "./shared.ts";
import type { Heap } from "../substrate/heap.ts";
import {
  BlockKind,
  ElementLayout,
  Format,
  QueueLayout as Q,
  WaiterLayout as W,
} from "../substrate/layout.ts";
import {
  decodeValue,
  dropEncoded,
  encodeResult,
  fromF64,
  releasePayload,
  writePayload,
} from "../substrate/codec.ts";
import { UNLOCKED } from "../substrate/mutex_word.ts";
import { checkCount } from "./validate.ts";
import {
  checkHandle,
  checkInternal,
  checkRef,
  checkSameHeap,
  FREED_HERE,
  INTERNAL,
} from "../substrate/handle.ts";

/** `Io.Queue(T)`: a bounded many-producer, many-consumer FIFO shared by every
 * thread (`Queue.init<T>(io, capacity)`; capacity 0 is a rendezvous).
 * `putOne`/`getOne` block (cancelably) when full or empty; `put` and `get`
 * move several items with a minimum; each has a non-blocking `...Async`
 * twin. Items are copied; shared objects inside them arrive live. */
export class Queue<T = unknown> implements SharedObject {
  private readonly mutex: Mutex;

  private constructor(
    key: typeof INTERNAL,
    readonly heap: Heap,
    readonly ref: number,
    /** The block's generation (substrate/handle.ts). */
    private gen: number,
  ) {
    checkInternal(key, "Queue");
    this.mutex = embeddedMutex(heap, ref + Q.MUTEX);
  }

  static init<T>(io: Io, capacity: number): Queue<T> {
    // The ring holds a u32 per element, in one heap block (at most 2 GiB).
    checkCount(capacity, "Queue capacity", 0, 0x1fff_ffff);
    const heap = io.sharedHeap();
    const ref = heap.allocZeroed(Q.BYTES, BlockKind.QUEUE);
    const ring = capacity > 0 ? heap.alloc(4 * capacity) : 0;
    Atomics.store(heap.i32, (ref + Q.MUTEX) >> 2, UNLOCKED);
    heap.u32[(ref + Q.CAPACITY) >> 2] = capacity;
    heap.u32[(ref + Q.RING) >> 2] = ring;
    return new Queue<T>(INTERNAL, heap, ref, heap.generation(ref));
  }

  /** The same queue from another thread: `ref` and `gen` as its handle
   * carried them. A BugError unless they name a live Queue of `heap`. */
  static from<T>(heap: Heap, ref: number, gen: number): Queue<T> {
    checkRef(heap, ref, gen, BlockKind.QUEUE, "Queue");
    return new Queue<T>(INTERNAL, heap, ref, gen);
  }

  private check(io?: Io): void {
    checkHandle(this.heap, this.ref, this.gen, "Queue");
    if (io !== undefined) checkSameHeap(this.heap, io.sharedHeap(), "Queue");
  }

  [SHARED_REF](): readonly ["queue", number, number, number] {
    this.check();
    return ["queue", this.ref, this.gen, this.heap.base];
  }

  capacity(): number {
    this.check();
    return this.field(Q.CAPACITY);
  }

  /** Elements in the ring now (not counting blocked putters). */
  length(): number {
    this.check();
    return this.field(Q.LEN);
  }

  // --- blocking -------------------------------------------------------------

  /** Puts `items`, returning once at least `min` are stored or handed over:
   * the count taken. Errors: Canceled. */
  put(io: Io, items: readonly T[], min: number): number {
    return this.putWith(io, items, min, true);
  }
  putAll(io: Io, items: readonly T[]): void {
    this.putWith(io, items, items.length, true);
  }
  putOne(io: Io, item: T): void {
    this.putWith(io, [item], 1, true);
  }
  putUncancelable(io: Io, items: readonly T[], min: number): number {
    return this.putWith(io, items, min, false);
  }
  putOneUncancelable(io: Io, item: T): void {
    this.putWith(io, [item], 1, false);
  }

  /** Gets up to `max` items, returning once at least `min` are available.
   * Errors: Canceled. */
  get(io: Io, max: number, min: number): T[] {
    return this.getWith(io, max, min, true);
  }
  getOne(io: Io): T {
    return this.getWith(io, 1, 1, true)[0];
  }
  getUncancelable(io: Io, max: number, min: number): T[] {
    return this.getWith(io, max, min, false);
  }
  getOneUncancelable(io: Io): T {
    return this.getWith(io, 1, 1, false)[0];
  }

  private putWith(io: Io, items: readonly T[], min: number, cancelable: boolean): number {
    this.check(io);
    checkMin(items.length, min);
    if (items.length === 0) return 0;
    const tokens = this.encode(items);
    try {
      if (cancelable) this.mutex.lock(io);
      else this.mutex.lockUncancelable(io);
    } catch (e) {
      this.freeTokens(tokens, 0, tokens.length);
      throw e;
    }
    try {
      const n = this.putLocked(io, tokens, 0);
      if (n === tokens.length || n >= min) return n;
      const w = this.newWaiter(tokens, n, tokens.length);
      this.append(Q.PUTTERS_HEAD, w);
      try {
        this.waitServed(io, w, cancelable);
      } catch (e) {
        this.remove(Q.PUTTERS_HEAD, w);
        this.freeTokens(this.waiterTokens(w), this.wfield(w, W.POS), this.wfield(w, W.END));
        this.freeWaiter(w);
        throw e;
      }
      this.freeWaiter(w);
      return tokens.length;
    } finally {
      this.mutex.unlock(io);
    }
  }

  private getWith(io: Io, max: number, min: number, cancelable: boolean): T[] {
    checkCount(max, "Max");
    this.check(io);
    checkMin(max, min);
    if (max === 0) return [];
    if (cancelable) this.mutex.lock(io);
    else this.mutex.lockUncancelable(io);
    const out: number[] = [];
    try {
      this.getLocked(io, out, max);
      if (out.length >= min) return this.decode(io, out);
      const w = this.newWaiter(null, 0, max - out.length, min - out.length);
      this.append(Q.GETTERS_HEAD, w);
      try {
        this.waitServed(io, w, cancelable);
      } catch (e) {
        this.remove(Q.GETTERS_HEAD, w);
        this.freeTokens(this.waiterTokens(w), 0, this.wfield(w, W.POS));
        this.freeTokens(out, 0, out.length);
        this.freeWaiter(w);
        throw e;
      }
      out.push(...this.waiterTokens(w, this.wfield(w, W.POS)));
      this.freeWaiter(w);
      this.refillLocked(io);
      return this.decode(io, out);
    } finally {
      this.mutex.unlock(io);
    }
  }

  private waitServed(io: Io, w: number, cancelable: boolean): void {
    const cond = embeddedCondition(this.heap, w + W.COND);
    traceWaitSite(WaitSite.QUEUE);
    try {
      while (this.wfield(w, W.POS) < this.wfield(w, W.MIN)) {
        if (cancelable) cond.wait(io, this.mutex);
        else cond.waitUncancelable(io, this.mutex);
      }
    } finally {
      traceWaitSite(WaitSite.NONE);
    }
  }

  // --- non-blocking twins -------------------------------------------------

  async putAsync(io: Io, items: readonly T[], min: number): Promise<number> {
    this.check(io);
    checkMin(items.length, min);
    if (items.length === 0) return 0;
    const tokens = this.encode(items);
    await this.mutex.lockAsync();
    try {
      const n = this.putLocked(io, tokens, 0);
      if (n === tokens.length || n >= min) return n;
      const w = this.newWaiter(tokens, n, tokens.length);
      this.append(Q.PUTTERS_HEAD, w);
      const cond = embeddedCondition(this.heap, w + W.COND);
      while (this.wfield(w, W.POS) < this.wfield(w, W.MIN)) await cond.waitAsync(io, this.mutex);
      this.freeWaiter(w);
      return tokens.length;
    } finally {
      this.mutex.unlock(io);
    }
  }
  putOneAsync(io: Io, item: T): Promise<number> {
    return this.putAsync(io, [item], 1);
  }

  async getAsync(io: Io, max: number, min: number): Promise<T[]> {
    checkCount(max, "Max");
    this.check(io);
    checkMin(max, min);
    if (max === 0) return [];
    await this.mutex.lockAsync();
    const out: number[] = [];
    try {
      this.getLocked(io, out, max);
      if (out.length >= min) return this.decode(io, out);
      const w = this.newWaiter(null, 0, max - out.length, min - out.length);
      this.append(Q.GETTERS_HEAD, w);
      const cond = embeddedCondition(this.heap, w + W.COND);
      while (this.wfield(w, W.POS) < this.wfield(w, W.MIN)) await cond.waitAsync(io, this.mutex);
      out.push(...this.waiterTokens(w, this.wfield(w, W.POS)));
      this.freeWaiter(w);
      this.refillLocked(io);
      return this.decode(io, out);
    } finally {
      this.mutex.unlock(io);
    }
  }
  async getOneAsync(io: Io): Promise<T> {
    return (await this.getAsync(io, 1, 1))[0];
  }

  // --- the algorithm, under the lock ---------------------------------------

  /** Steps 1 and 2 of put; returns how many of tokens[from..] were taken. */
  private putLocked(io: Io, tokens: readonly number[], from: number): number {
    const u32 = this.heap.u32;
    let n = from;
    while (n < tokens.length) {
      const g = this.field(Q.GETTERS_HEAD);
      if (g === 0) break;
      const pos = this.wfield(g, W.POS);
      const k = Math.min(this.wfield(g, W.END) - pos, tokens.length - n);
      const slots = this.wfield(g, W.TOKENS) >> 2;
      for (let i = 0; i < k; i++) u32[slots + pos + i] = tokens[n + i];
      this.setW(g, W.POS, pos + k);
      n += k;
      // Items ran out before g's min (never above its END): g stays first.
      if (pos + k < this.wfield(g, W.MIN)) break;
      this.shift(Q.GETTERS_HEAD);
      embeddedCondition(this.heap, g + W.COND).signal(io);
    }
    const cap = this.field(Q.CAPACITY);
    const len = this.field(Q.LEN);
    const k = Math.min(cap - len, tokens.length - n);
    if (k > 0) {
      const ring = this.field(Q.RING) >> 2;
      const start = this.field(Q.START);
      for (let i = 0; i < k; i++) u32[ring + ((start + len + i) % cap)] = tokens[n + i];
      this.set(Q.LEN, len + k);
      n += k;
    }
    return n - from;
  }

  /** Steps 1 and 2 of get, then the ring refill: appends tokens to `out`. */
  private getLocked(io: Io, out: number[], max: number): void {
    const u32 = this.heap.u32;
    const cap = this.field(Q.CAPACITY);
    let len = this.field(Q.LEN);
    let start = this.field(Q.START);
    const ring = this.field(Q.RING) >> 2;
    while (len > 0 && out.length < max) {
      out.push(u32[ring + start]);
      start = (start + 1) % cap;
      len--;
    }
    this.set(Q.START, start);
    this.set(Q.LEN, len);
    while (out.length < max) {
      const p = this.field(Q.PUTTERS_HEAD);
      if (p === 0) break;
      const pos = this.wfield(p, W.POS);
      const m = Math.min(this.wfield(p, W.END) - pos, max - out.length);
      const src = this.wfield(p, W.TOKENS) >> 2;
      for (let i = 0; i < m; i++) out.push(u32[src + pos + i]);
      this.setW(p, W.POS, pos + m);
      if (pos + m < this.wfield(p, W.END)) break;
      this.shift(Q.PUTTERS_HEAD);
      embeddedCondition(this.heap, p + W.COND).signal(io);
    }
    this.refillLocked(io);
  }

  /** Moves blocked putters' items into free ring space, oldest first. */
  private refillLocked(io: Io): void {
    const u32 = this.heap.u32;
    const cap = this.field(Q.CAPACITY);
    const ring = this.field(Q.RING) >> 2;
    for (;;) {
      const len = this.field(Q.LEN);
      const p = this.field(Q.PUTTERS_HEAD);
      if (p === 0 || len === cap) return;
      const start = this.field(Q.START);
      const pos = this.wfield(p, W.POS);
      const m = Math.min(this.wfield(p, W.END) - pos, cap - len);
      const src = this.wfield(p, W.TOKENS) >> 2;
      for (let i = 0; i < m; i++) u32[ring + ((start + len + i) % cap)] = u32[src + pos + i];
      this.set(Q.LEN, len + m);
      this.setW(p, W.POS, pos + m);
      if (pos + m < this.wfield(p, W.END)) return;
      this.shift(Q.PUTTERS_HEAD);
      embeddedCondition(this.heap, p + W.COND).signal(io);
    }
  }

  // --- waiter lists -----------------------------------------------------------

  /** A waiter with room for (or holding) `end` tokens, released once `min`
   * have moved (a putter: all of them). */
  private newWaiter(tokens: readonly number[] | null, pos: number, end: number, min = end): number {
    const heap = this.heap;
    const w = heap.allocZeroed(W.BYTES);
    const arr = heap.alloc(4 * Math.max(end, 1));
    if (tokens !== null) for (let i = 0; i < end; i++) heap.u32[(arr >> 2) + i] = tokens[i];
    this.setW(w, W.TOKENS, arr);
    this.setW(w, W.POS, pos);
    this.setW(w, W.END, end);
    this.setW(w, W.MIN, min);
    return w;
  }

  private freeWaiter(w: number): void {
    this.heap.free(this.wfield(w, W.TOKENS));
    this.heap.free(w);
  }

  private waiterTokens(w: number, count = this.wfield(w, W.END)): number[] {
    const arr = this.wfield(w, W.TOKENS) >> 2;
    return Array.from(this.heap.u32.subarray(arr, arr + count));
  }

  private append(head: number, w: number): void {
    const tail = head + 4; // *_TAIL follows *_HEAD
    this.setW(w, W.NEXT, 0);
    const last = this.field(tail);
    if (last === 0) this.set(head, w);
    else this.setW(last, W.NEXT, w);
    this.set(tail, w);
  }

  private shift(head: number): void {
    const first = this.field(head);
    const next = this.wfield(first, W.NEXT);
    this.set(head, next);
    if (next === 0) this.set(head + 4, 0);
  }

  private remove(head: number, w: number): void {
    let prev = 0;
    for (let c = this.field(head); c !== 0; prev = c, c = this.wfield(c, W.NEXT)) {
      if (c !== w) continue;
      const next = this.wfield(c, W.NEXT);
      if (prev === 0) this.set(head, next);
      else this.setW(prev, W.NEXT, next);
      if (this.field(head + 4) === w) this.set(head + 4, prev);
      return;
    }
  }

  // --- elements -----------------------------------------------------------------

  private encode(items: readonly T[]): number[] {
    const heap = this.heap;
    const tokens: number[] = [];
    try {
      for (const item of items) {
        const e = encodeResult(item, "put in a queue", heap.base);
        const payload = e.format === Format.NUMBER ? 8 : e.bytes; // a NUMBER's f64 is not in e.bytes
        let block: number;
        try {
          block = heap.alloc(ElementLayout.PAYLOAD + payload);
        } catch (err) {
          dropEncoded(e);
          throw err;
        }
        heap.u32[(block + ElementLayout.FORMAT) >> 2] = e.format;
        heap.u32[(block + ElementLayout.LENGTH) >> 2] = e.length;
        if (e.format === Format.NUMBER)
          heap.f64[(block + ElementLayout.PAYLOAD) >> 3] = e.numbers![0];
        else if (e.format === Format.JSC) writePayload(heap.u8, block + ElementLayout.PAYLOAD, e);
        tokens.push(block);
      }
    } catch (e) {
      this.freeTokens(tokens, 0, tokens.length);
      throw e;
    }
    return tokens;
  }

  private decode(io: Io, tokens: readonly number[]): T[] {
    const heap = this.heap;
    const revive = (kind: Parameters<typeof io.vtable.revive>[1], ref: number, gen?: number) =>
      io.vtable.revive(io.userdata, kind, ref, gen);
    const out: T[] = [];
    for (const block of tokens) {
      const format = heap.u32[(block + ElementLayout.FORMAT) >> 2];
      const at = block + ElementLayout.PAYLOAD;
      if (format === Format.NUMBER) out.push(fromF64(heap.f64[at >> 3]) as T);
      else if (format === Format.JSC)
        out.push(
          decodeValue(heap.u8, at, heap.u32[(block + ElementLayout.LENGTH) >> 2], revive) as T,
        );
      else out.push(undefined as T);
      this.freeElement(block);
    }
    return out;
  }

  private freeTokens(tokens: readonly number[], from: number, to: number): void {
    for (let i = from; i < to; i++) this.freeElement(tokens[i]);
  }

  /** Frees an element's block and what its payload owns outside the heap. */
  private freeElement(block: number): void {
    if (this.heap.u32[(block + ElementLayout.FORMAT) >> 2] === Format.JSC)
      releasePayload(this.heap.u8, block + ElementLayout.PAYLOAD);
    this.heap.free(block);
  }

  // --- fields ---------------------------------------------------------------------

  private field(f: number): number {
    return this.heap.u32[(this.ref + f) >> 2];
  }
  private set(f: number, v: number): void {
    this.heap.u32[(this.ref + f) >> 2] = v;
  }
  private wfield(w: number, f: number): number {
    return this.heap.u32[(w + f) >> 2];
  }
  private setW(w: number, f: number, v: number): void {
    this.heap.u32[(w + f) >> 2] = v;
  }

  /** Frees the queue and any elements still in its ring. No thread may be
   * blocked on it. */
  deinit(): void {
    this.check();
    if (this.field(Q.PUTTERS_HEAD) !== 0 || this.field(Q.GETTERS_HEAD) !== 0) {
      throw new BugError("Queue.deinit while threads are blocked on it");
    }
    this.gen = FREED_HERE;
    const cap = this.field(Q.CAPACITY);
    const ring = this.field(Q.RING);
    const start = this.field(Q.START);
    for (let i = 0; i < this.field(Q.LEN); i++)
      this.freeElement(this.heap.u32[(ring >> 2) + ((start + i) % cap)]);
    if (ring !== 0) this.heap.free(ring);
    this.heap.free(this.ref);
  }

  [Symbol.dispose](): void {
    this.deinit();
  }
}

function checkMin(len: number, min: number): void {
  checkCount(min, "Min", 0, len);
}

/** `Queue.from` for a value that crossed the heap (the reviver): a handle
 * that went stale on the way arrives stale and throws at its first use. */
export function reviveQueue<T>(heap: Heap, ref: number, gen: number): Queue<T> {
  checkRef(heap, ref, gen, BlockKind.QUEUE, "Queue", true);
  type Make = new (key: typeof INTERNAL, heap: Heap, ref: number, gen: number) => Queue<T>;
  return new (Queue as unknown as Make)(INTERNAL, heap, ref, gen);
}
