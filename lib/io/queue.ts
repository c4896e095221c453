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
// received go back to the front of the queue (Zig drops them). One canceled
// after it was served returns normally, its cancel left pending.
// A waiter's record is allocated before anything moves, so OutOfMemory
// never strands items; `deinit` refuses while any call is inside (an
// async twin, or a blocking call's wait: Q.INSIDE; a woken waiter that has
// not yet returned included) or holds the lock.
import type { Io } from "./io.ts";
import { traceWaitSite, WaitSite } from "../substrate/trace.ts";
import { awaitSignal, embeddedCondition } from "./condition.ts";
import { embeddedMutex, type Mutex } from "./mutex.ts";
import { BugError, Canceled } from "./errors.ts";
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
import { CONTENDED, lockFast, UNLOCKED } from "../substrate/mutex_word.ts";
import { futexWaitAsync } from "../substrate/futex.ts";
import { checkCount, describe } from "./validate.ts";
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
    // The ring first: a capacity the heap cannot hold is OutOfMemory with
    // nothing allocated (the queue's block leaked when it came first).
    const ring = capacity > 0 ? heap.alloc(4 * capacity) : 0;
    let ref: number;
    try {
      ref = heap.allocZeroed(Q.BYTES, BlockKind.QUEUE);
    } catch (e) {
      if (ring !== 0) heap.free(ring);
      throw e;
    }
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
    checkItems(items);
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
      const w = this.startPut(io, tokens, min);
      if (w === 0) return this.putCount;
      try {
        this.waitServed(io, w, cancelable);
      } catch (e) {
        this.abandonPut(w, e);
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
    try {
      const out: number[] = [];
      const w = this.startGet(io, out, max, min);
      if (w !== 0) {
        try {
          this.waitServed(io, w, cancelable);
        } catch (e) {
          this.abandonGet(io, w, out, e);
        }
        this.finishGet(io, w, out);
      }
      return this.decode(io, out);
    } finally {
      this.mutex.unlock(io);
    }
  }

  /** A blocking call's wait, counted in INSIDE: while it waits the lock is
   * free, and once served it may not run for a while. Outside the wait a
   * blocking call holds the lock, which deinit also refuses; the fast path
   * pays no count. */
  private waitServed(io: Io, w: number, cancelable: boolean): void {
    const cond = embeddedCondition(this.heap, w + W.COND);
    traceWaitSite(WaitSite.QUEUE);
    this.enter();
    try {
      while (!this.served(w)) {
        if (cancelable) cond.wait(io, this.mutex);
        else cond.waitUncancelable(io, this.mutex);
      }
    } finally {
      this.leave();
      traceWaitSite(WaitSite.NONE);
    }
  }

  // --- non-blocking twins -------------------------------------------------

  async putAsync(io: Io, items: readonly T[], min: number): Promise<number> {
    this.check(io);
    checkItems(items);
    checkMin(items.length, min);
    if (items.length === 0) return 0;
    const tokens = this.encode(items);
    this.enter();
    try {
      for (let c = false; !this.lockNow(c); c = true) await this.lockFreed();
      try {
        const w = this.startPut(io, tokens, min);
        if (w === 0) return this.putCount;
        const cond = embeddedCondition(this.heap, w + W.COND);
        try {
          while (!this.served(w)) {
            try {
              await awaitSignal(cond, io, this.mutex);
            } finally {
              for (let c = false; !this.lockNow(c); c = true) await this.lockFreed();
            }
          }
        } catch (e) {
          this.abandonPut(w, e);
        }
        this.freeWaiter(w);
        return tokens.length;
      } finally {
        this.mutex.unlock(io);
      }
    } finally {
      this.leave();
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
    this.enter();
    try {
      for (let c = false; !this.lockNow(c); c = true) await this.lockFreed();
      try {
        const out: number[] = [];
        const w = this.startGet(io, out, max, min);
        if (w !== 0) {
          const cond = embeddedCondition(this.heap, w + W.COND);
          try {
            while (!this.served(w)) {
              try {
                await awaitSignal(cond, io, this.mutex);
              } finally {
                for (let c = false; !this.lockNow(c); c = true) await this.lockFreed();
              }
            }
          } catch (e) {
            this.abandonGet(io, w, out, e);
          }
          this.finishGet(io, w, out);
        }
        return this.decode(io, out);
      } finally {
        this.mutex.unlock(io);
      }
    } finally {
      this.leave();
    }
  }
  async getOneAsync(io: Io): Promise<T> {
    return (await this.getAsync(io, 1, 1))[0];
  }

  // The async twins take the queue's lock in the same synchronous run as
  // the code that follows, never inside a promise they then await: a lock
  // taken there (Mutex.lockAsync) is held across the ticks until the twin
  // resumes, and a blocking call of this thread in between waits for it
  // forever (`q.putAsync(io, [x], 1); q.get(io, 1, 1)` on the main thread
  // hung with the queue holding room and an item). A twin that finds the
  // lock taken awaits its release, then tries again.

  /** One attempt at the lock: the interface's fast path first, then (after
   * a wait) only ever as CONTENDED, as Mutex.lockAsync does. */
  private lockNow(contended: boolean): boolean {
    const i32 = this.heap.i32;
    const index = (this.ref + Q.MUTEX) >> 2;
    if (contended) return Atomics.exchange(i32, index, CONTENDED) === UNLOCKED;
    return (lockFast(i32, index) & UNLOCKED) !== 0;
  }

  /** Resolves once the lock may have been released. */
  private lockFreed(): Promise<void> {
    return futexWaitAsync(this.heap, this.ref + Q.MUTEX, CONTENDED);
  }

  // --- the steps around a wait, under the lock ------------------------------

  /** The count a put that did not block returns (set by startPut). */
  private putCount = 0;

  /** Steps 1–3 of put. Returns 0 when done (the count in putCount), else the
   * waiter, listed as a putter. The waiter is allocated before anything
   * moves: a heap out of memory fails the put with nothing handed over
   * (allocated after, it lost the items already given to getters). */
  private startPut(io: Io, tokens: readonly number[], min: number): number {
    let w = 0;
    if (this.putRoom() < min) {
      try {
        w = this.newWaiter(tokens.length);
      } catch (e) {
        this.freeTokens(tokens, 0, tokens.length);
        throw e;
      }
    }
    const n = this.putLocked(io, tokens, 0);
    if (n === tokens.length || n >= min) {
      if (w !== 0) this.freeWaiter(w);
      // A partial put: the items not taken stay the caller's (they leaked).
      this.freeTokens(tokens, n, tokens.length);
      this.putCount = n;
      return 0;
    }
    if (w === 0) throw new BugError("Queue: a put blocked with no waiter allocated (putRoom)");
    const arr = this.wfield(w, W.TOKENS) >> 2;
    for (let i = 0; i < tokens.length; i++) this.heap.u32[arr + i] = tokens[i];
    this.setW(w, W.POS, n);
    this.setW(w, W.END, tokens.length);
    this.setW(w, W.MIN, tokens.length);
    this.append(Q.PUTTERS_HEAD, w);
    return w;
  }

  /** A putter's wait ended with `e`. Served already (every item taken
   * before the cancel was seen): the put completed, and the cancel request
   * stays pending for the next cancelation point (cancel words are sticky).
   * Else it leaves the list, drops the items no one took, and throws. */
  private abandonPut(w: number, e: unknown): void {
    if (e instanceof Canceled && this.served(w)) return;
    this.remove(Q.PUTTERS_HEAD, w);
    this.freeTokens(this.waiterTokens(w), this.wfield(w, W.POS), this.wfield(w, W.END));
    this.freeWaiter(w);
    throw e;
  }

  /** Steps 1–3 of get: fills `out`; returns 0 when it holds at least `min`,
   * else the waiter, listed as a getter, with room for what it still may
   * take. Allocated before anything moves, as in startPut. */
  private startGet(io: Io, out: number[], max: number, min: number): number {
    // A blocked getter's buffer holds up to max(min, GETTER_ROOM) items (and
    // never more than max): get(io, 1e9, 1) does not reserve 4 GB. Returning
    // fewer than max once min is reached is the contract's.
    const room = Math.min(max, Math.max(min, GETTER_ROOM));
    const w = this.getRoom() < min ? this.newWaiter(room) : 0;
    this.getLocked(io, out, max);
    if (out.length >= min) {
      if (w !== 0) this.freeWaiter(w);
      return 0;
    }
    if (w === 0) throw new BugError("Queue: a get blocked with no waiter allocated (getRoom)");
    this.setW(w, W.POS, 0);
    this.setW(w, W.END, Math.min(max - out.length, room));
    this.setW(w, W.MIN, min - out.length);
    this.append(Q.GETTERS_HEAD, w);
    return w;
  }

  /** A getter's wait ended with `e`. Served already: it returns its items
   * (the cancel stays pending, as in abandonPut). Else it leaves the list
   * and gives what it took back to the front of the queue (Zig's
   * `Threaded.zig` (a0289d0c) drops them: items a put had handed over, lost
   * to everyone), and throws. */
  private abandonGet(io: Io, w: number, out: number[], e: unknown): void {
    if (e instanceof Canceled && this.served(w)) return;
    this.remove(Q.GETTERS_HEAD, w);
    const back = out.concat(this.waiterTokens(w, this.wfield(w, W.POS)));
    out.length = 0;
    this.giveBack(io, w, back);
    throw e;
  }

  private finishGet(io: Io, w: number, out: number[]): void {
    out.push(...this.waiterTokens(w, this.wfield(w, W.POS)));
    this.freeWaiter(w);
    this.refillLocked(io);
  }

  /** Items a canceled getter held, oldest first, back where they were: at
   * the front of the queue. While a getter that has taken items is listed
   * the ring is empty and no putter is listed (a put serves the first
   * getter before the ring, a get empties the ring before it blocks, a
   * putter only blocks with no getter left), so they go to the next getters
   * and then the ring, ahead of anything put later. What does not fit (a
   * rendezvous queue, or more than the ring holds) stays in the getter's
   * own record, listed as an orphan putter that the next getters drain and
   * free: no allocation, so nothing can fail here. */
  private giveBack(io: Io, w: number, tokens: readonly number[]): void {
    const n = this.putLocked(io, tokens, 0);
    if (n === tokens.length) {
      this.freeWaiter(w);
      return;
    }
    // The record's buffer has room for them: it was sized for at least the
    // getter's min, and it held fewer than min.
    const arr = this.wfield(w, W.TOKENS) >> 2;
    for (let i = n; i < tokens.length; i++) this.heap.u32[arr + i - n] = tokens[i];
    this.heap.u32.fill(0, (w + W.COND) >> 2, (w + W.COND + 8) >> 2);
    this.setW(w, W.POS, 0);
    this.setW(w, W.END, tokens.length - n);
    this.setW(w, W.MIN, tokens.length - n);
    this.setW(w, W.ORPHAN, 1);
    this.append(Q.PUTTERS_HEAD, w);
  }

  /** Whether the waiter has moved its `min`: then whoever served it has
   * taken it off its list and signalled it. */
  private served(w: number): boolean {
    return this.wfield(w, W.POS) >= this.wfield(w, W.MIN);
  }

  /** What a put could hand over now: free ring space and the getters' room. */
  private putRoom(): number {
    let room = this.field(Q.CAPACITY) - this.field(Q.LEN);
    for (let g = this.field(Q.GETTERS_HEAD); g !== 0; g = this.wfield(g, W.NEXT))
      room += this.wfield(g, W.END) - this.wfield(g, W.POS);
    return room;
  }

  /** What a get could take now: the ring and the putters' items. */
  private getRoom(): number {
    let n = this.field(Q.LEN);
    for (let p = this.field(Q.PUTTERS_HEAD); p !== 0; p = this.wfield(p, W.NEXT))
      n += this.wfield(p, W.END) - this.wfield(p, W.POS);
    return n;
  }

  /** Takes a drained putter off the list: signals its thread, or frees an
   * orphan's record. */
  private releasePutter(io: Io, p: number): void {
    this.shift(Q.PUTTERS_HEAD);
    if (this.wfield(p, W.ORPHAN) !== 0) this.freeWaiter(p);
    else embeddedCondition(this.heap, p + W.COND).signal(io);
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
      this.releasePutter(io, p);
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
      this.releasePutter(io, p);
    }
  }

  // --- waiter lists -----------------------------------------------------------

  /** A waiter record with a buffer for `size` tokens (fields set by the
   * caller). */
  private newWaiter(size: number): number {
    const heap = this.heap;
    const w = heap.allocZeroed(W.BYTES);
    try {
      this.setW(w, W.TOKENS, heap.alloc(4 * Math.max(size, 1)));
    } catch (e) {
      heap.free(w);
      throw e;
    }
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
    try {
      for (const block of tokens) {
        const format = heap.u32[(block + ElementLayout.FORMAT) >> 2];
        const at = block + ElementLayout.PAYLOAD;
        if (format === Format.NUMBER) out.push(fromF64(heap.f64[at >> 3]) as T);
        else if (format === Format.JSC)
          out.push(
            decodeValue(heap.u8, at, heap.u32[(block + ElementLayout.LENGTH) >> 2], revive) as T,
          );
        else out.push(undefined as T);
      }
    } finally {
      // Every block is freed, even if a value failed to decode.
      this.freeTokens(tokens, 0, tokens.length);
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

  /** Frees the queue and any elements still in it. A BugError, nothing
   * freed, while a call is inside it on any thread (blocked, or woken and
   * not yet returned, as an async twin between its awaits). */
  deinit(): void {
    this.check();
    const i32 = this.heap.i32;
    const inside = Atomics.load(i32, (this.ref + Q.INSIDE) >> 2);
    const locked = Atomics.load(i32, (this.ref + Q.MUTEX) >> 2) !== UNLOCKED;
    if (inside !== 0 || locked || this.field(Q.GETTERS_HEAD) !== 0) {
      throw new BugError(
        `Queue.deinit while ${inside === 0 ? "a call holds its lock" : `${inside} call${inside === 1 ? " is" : "s are"} inside it`} (a put or get blocked or not yet returned, on some thread or as an async twin): let them return first`,
      );
    }
    this.gen = FREED_HERE;
    const cap = this.field(Q.CAPACITY);
    const ring = this.field(Q.RING);
    const start = this.field(Q.START);
    for (let i = 0; i < this.field(Q.LEN); i++)
      this.freeElement(this.heap.u32[(ring >> 2) + ((start + i) % cap)]);
    // Only orphans (a canceled getter's items) can be listed with no call inside.
    for (let p = this.field(Q.PUTTERS_HEAD); p !== 0;) {
      const next = this.wfield(p, W.NEXT);
      this.freeTokens(this.waiterTokens(p), this.wfield(p, W.POS), this.wfield(p, W.END));
      this.freeWaiter(p);
      p = next;
    }
    if (ring !== 0) this.heap.free(ring);
    this.heap.free(this.ref);
  }

  /** Counts a call in (deinit refuses while any is). */
  private enter(): void {
    Atomics.add(this.heap.i32, (this.ref + Q.INSIDE) >> 2, 1);
  }
  private leave(): void {
    Atomics.sub(this.heap.i32, (this.ref + Q.INSIDE) >> 2, 1);
  }

  [Symbol.dispose](): void {
    this.deinit();
  }
}

function checkMin(len: number, min: number): void {
  checkCount(min, "Min", 0, len);
}

/** Items to put: an array (a string was put as its characters, a number
 * failed with "number is not iterable"). */
function checkItems(items: unknown): void {
  if (!Array.isArray(items))
    throw new TypeError(`Queue items are ${describe(items)}, not an array (putOne takes one item)`);
}

/** The most items a blocked getter reserves room for beyond its min. */
const GETTER_ROOM = 1024;

/** `Queue.from` for a value that crossed the heap (the reviver): a handle
 * that went stale on the way arrives stale and throws at its first use. */
export function reviveQueue<T>(heap: Heap, ref: number, gen: number): Queue<T> {
  checkRef(heap, ref, gen, BlockKind.QUEUE, "Queue", true);
  type Make = new (key: typeof INTERNAL, heap: Heap, ref: number, gen: number) => Queue<T>;
  return new (Queue as unknown as Make)(INTERNAL, heap, ref, gen);
}
