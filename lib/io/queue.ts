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
import { BlockKind, QueueLayout as Q, WaiterLayout as W } from "../substrate/layout.ts";
import { getLocked, putLocked, refillLocked } from "./queue_transfer.ts";
import { decodeElements, encodeElements, freeElement, freeElements } from "./queue_elements.ts";
import {
  appendWaiter,
  freeWaiter,
  newWaiter,
  removeWaiter,
  shiftWaiter,
  waiterTokens,
} from "./queue_waiters.ts";
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
import { heapOf } from "./io_arg.ts";

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
    const heap = heapOf(io, "Queue");
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

  /** `check`, with `io` required: a TypeError naming what came instead of
   * it (an unlock without one released the lock and then threw before the
   * wake, leaving a waiter asleep for good). */
  private checkFor(io: unknown): void {
    this.check();
    checkSameHeap(this.heap, heapOf(io, "Queue"), "Queue");
  }

  private check(io?: Io): void {
    checkHandle(this.heap, this.ref, this.gen, "Queue");
    if (io !== undefined) checkSameHeap(this.heap, heapOf(io, "Queue"), "Queue");
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
    this.checkFor(io);
    checkItems(items);
    checkMin(items.length, min);
    if (items.length === 0) return 0;
    const tokens = encodeElements(this.heap, items);
    try {
      if (cancelable) this.mutex.lock(io);
      else this.mutex.lockUncancelable(io);
    } catch (e) {
      freeElements(this.heap, tokens, 0, tokens.length);
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
      freeWaiter(this.heap, w);
      return tokens.length;
    } finally {
      this.mutex.unlock(io);
    }
  }

  private getWith(io: Io, max: number, min: number, cancelable: boolean): T[] {
    checkCount(max, "Max");
    this.checkFor(io);
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
      return decodeElements<T>(io, this.heap, out);
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
    this.checkFor(io);
    checkItems(items);
    checkMin(items.length, min);
    if (items.length === 0) return 0;
    const tokens = encodeElements(this.heap, items);
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
        freeWaiter(this.heap, w);
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
    this.checkFor(io);
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
        return decodeElements<T>(io, this.heap, out);
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
        w = newWaiter(this.heap, tokens.length);
      } catch (e) {
        freeElements(this.heap, tokens, 0, tokens.length);
        throw e;
      }
    }
    const n = putLocked(io, this.heap, this.ref, tokens, 0);
    if (n === tokens.length || n >= min) {
      if (w !== 0) freeWaiter(this.heap, w);
      // A partial put: the items not taken stay the caller's (they leaked).
      freeElements(this.heap, tokens, n, tokens.length);
      this.putCount = n;
      return 0;
    }
    if (w === 0) throw new BugError("Queue: a put blocked with no waiter allocated (putRoom)");
    const arr = this.wfield(w, W.TOKENS) >> 2;
    for (let i = 0; i < tokens.length; i++) this.heap.u32[arr + i] = tokens[i];
    this.setW(w, W.POS, n);
    this.setW(w, W.END, tokens.length);
    this.setW(w, W.MIN, tokens.length);
    appendWaiter(this.heap, this.ref, Q.PUTTERS_HEAD, w);
    return w;
  }

  /** A putter's wait ended with `e`. Served already (every item taken
   * before the cancel was seen): the put completed, and the cancel request
   * stays pending for the next cancelation point (cancel words are sticky).
   * Else it leaves the list, drops the items no one took, and throws. */
  private abandonPut(w: number, e: unknown): void {
    if (e instanceof Canceled && this.served(w)) return;
    removeWaiter(this.heap, this.ref, Q.PUTTERS_HEAD, w);
    freeElements(
      this.heap,
      waiterTokens(this.heap, w),
      this.wfield(w, W.POS),
      this.wfield(w, W.END),
    );
    freeWaiter(this.heap, w);
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
    const w = this.getRoom() < min ? newWaiter(this.heap, room) : 0;
    getLocked(io, this.heap, this.ref, out, max);
    if (out.length >= min) {
      if (w !== 0) freeWaiter(this.heap, w);
      return 0;
    }
    if (w === 0) throw new BugError("Queue: a get blocked with no waiter allocated (getRoom)");
    this.setW(w, W.POS, 0);
    this.setW(w, W.END, Math.min(max - out.length, room));
    this.setW(w, W.MIN, min - out.length);
    appendWaiter(this.heap, this.ref, Q.GETTERS_HEAD, w);
    return w;
  }

  /** A getter's wait ended with `e`. Served already: it returns its items
   * (the cancel stays pending, as in abandonPut). Else it leaves the list
   * and gives what it took back to the front of the queue (Zig's
   * `Threaded.zig` (a0289d0c) drops them: items a put had handed over, lost
   * to everyone), and throws. */
  private abandonGet(io: Io, w: number, out: number[], e: unknown): void {
    if (e instanceof Canceled && this.served(w)) return;
    removeWaiter(this.heap, this.ref, Q.GETTERS_HEAD, w);
    const back = out.concat(waiterTokens(this.heap, w, this.wfield(w, W.POS)));
    out.length = 0;
    this.giveBack(io, w, back);
    throw e;
  }

  private finishGet(io: Io, w: number, out: number[]): void {
    out.push(...waiterTokens(this.heap, w, this.wfield(w, W.POS)));
    freeWaiter(this.heap, w);
    refillLocked(io, this.heap, this.ref);
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
    const n = putLocked(io, this.heap, this.ref, tokens, 0);
    if (n === tokens.length) {
      freeWaiter(this.heap, w);
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
    appendWaiter(this.heap, this.ref, Q.PUTTERS_HEAD, w);
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
      freeElement(this.heap, this.heap.u32[(ring >> 2) + ((start + i) % cap)]);
    // Only orphans (a canceled getter's items) can be listed with no call inside.
    for (let p = this.field(Q.PUTTERS_HEAD); p !== 0;) {
      const next = this.wfield(p, W.NEXT);
      freeElements(
        this.heap,
        waiterTokens(this.heap, p),
        this.wfield(p, W.POS),
        this.wfield(p, W.END),
      );
      freeWaiter(this.heap, p);
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
