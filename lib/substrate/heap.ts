// The shared heap: one growable SharedArrayBuffer that every thread of a
// `Threaded` maps, and a thread-safe size-class allocator over it.
//
// Invariants:
// - An offset handed out stays valid until freed; the buffer only grows, and
//   its address never moves (JSC reserves maxByteLength up front), so
//   `base + offset` is a stable futex address in every thread.
// - Allocation and free take the header's LOCK (a futex mutex word, held for
//   a few hundred instructions at most) and are uncancelable.
// - Blocks are powers of two from 16 B; freed blocks go on their class's
//   free list and are reused before the bump pointer moves.
// - LIVE_BYTES / LIVE_BLOCKS count what is allocated now, so a test can
//   assert that a workload gave everything back.
import { ptr, type Pointer } from "bun:ffi";
import { BugError, IoError } from "../io/errors.ts";
import {
  ARENA_OFFSET,
  Block,
  BLOCK_SEAL,
  BlockKind,
  GEN_BEFORE_PAYLOAD,
  Header,
  HEAP_MAGIC,
  MIN_CLASS_SHIFT,
  SIZE_CLASSES,
  ThreadTable,
} from "./layout.ts";
import { lockWord, unlockWord } from "./mutex_word.ts";

const PAGE = 65536;
export const DEFAULT_HEAP_BYTES = 1 << 20;
export const DEFAULT_MAX_HEAP_BYTES = 1 << 30;
const MAX_OFFSET = 2 ** 32 - PAGE;
/** The smallest heap: the header, thread table and pool block
 * (ARENA_OFFSET) and a page of arena, in whole 64 KiB pages: 128 KiB. */
export const MIN_HEAP_BYTES = Math.ceil((ARENA_OFFSET + PAGE) / PAGE) * PAGE;
/** The largest heap: offsets are u32, in whole pages: 4 GiB − 64 KiB. */
export const MAX_HEAP_BYTES = MAX_OFFSET;

export interface HeapStats {
  readonly liveBytes: number;
  readonly liveBlocks: number;
  readonly capacity: number;
  readonly maxCapacity: number;
}

export class Heap {
  readonly sab: SharedArrayBuffer;
  readonly u8: Uint8Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
  /** The buffer's address: `base + offset` is what the shim receives. */
  readonly base: number;
  private constructor(sab: SharedArrayBuffer) {
    this.sab = sab;
    // Length-tracking views: they see growth made by any thread.
    this.u8 = new Uint8Array(sab);
    this.i32 = new Int32Array(sab);
    this.u32 = new Uint32Array(sab);
    this.f64 = new Float64Array(sab);
    this.base = ptr(this.u8);
  }

  static create(initialBytes = DEFAULT_HEAP_BYTES, maxBytes = DEFAULT_MAX_HEAP_BYTES): Heap {
    const max = Math.min(roundUp(Math.max(maxBytes, ARENA_OFFSET + PAGE), PAGE), MAX_OFFSET);
    // One page short of the maximum at most: Bun 1.4.5 under qemu-aarch64
    // (multi-arch containers built on x86 hosts) aborts with "mprotect
    // failed" making a growable SharedArrayBuffer whose length equals its
    // maxByteLength. The heap grows on demand, so nothing else changes.
    const cap = max > ARENA_OFFSET + PAGE ? max - PAGE : max;
    const initial = Math.min(roundUp(Math.max(initialBytes, ARENA_OFFSET + PAGE), PAGE), cap);
    const heap = new Heap(new SharedArrayBuffer(initial, { maxByteLength: max }));
    const u32 = heap.u32;
    u32[Header.LOCK >> 2] = 1; // unlocked
    u32[Header.TOP >> 2] = ARENA_OFFSET;
    Atomics.store(heap.i32, Header.MAGIC >> 2, HEAP_MAGIC);
    return heap;
  }

  /** Maps a heap made by another thread (received in a message). */
  static attach(sab: SharedArrayBuffer): Heap {
    if (!(sab instanceof SharedArrayBuffer) || !sab.growable) {
      throw new TypeError("A threaded-io heap is a growable SharedArrayBuffer");
    }
    if (sab.byteLength < ARENA_OFFSET) {
      throw new TypeError("SharedArrayBuffer is not a threaded-io heap (too small)");
    }
    const heap = new Heap(sab);
    if (Atomics.load(heap.i32, Header.MAGIC >> 2) !== HEAP_MAGIC) {
      throw new TypeError("SharedArrayBuffer is not a threaded-io heap");
    }
    return heap;
  }

  /** Address of a byte offset, for the shim. */
  addr(offset: number): Pointer {
    return (this.base + offset) as Pointer;
  }

  /** A block of at least `bytes` (its payload offset); `kind` tags its
   * header for handles made from a number (handle.ts `checkRef`). */
  alloc(bytes: number, kind: BlockKind = BlockKind.DATA): number {
    if (!Number.isInteger(bytes) || bytes < 0)
      throw new RangeError(`Allocation size "${bytes}" is invalid`);
    const k = sizeClass(bytes);
    if (k >= SIZE_CLASSES) throw outOfMemory(bytes, this.sab.maxByteLength);
    const i32 = this.i32;
    lockWord(this, Header.LOCK);
    let block: number;
    try {
      const head = Header.FREE_LISTS + 4 * k;
      block = this.u32[head >> 2];
      if (block !== 0) {
        this.u32[head >> 2] = this.u32[(block + Block.SIZE) >> 2]; // next free
      } else {
        // 2 ** k, not 1 << k: the 2 GiB class is 2^31, which `<<` makes
        // negative (the bump pointer then moved back 2 GiB and a result of
        // just over 1 GiB was written past the heap's end).
        block = this.bump(2 ** (k + MIN_CLASS_SHIFT), bytes);
        this.u32[(block + Block.SEAL) >> 2] = block ^ BLOCK_SEAL;
      }
      this.u32[(block + Block.CLASS) >> 2] = (kind << Block.KIND_SHIFT) | Block.ALLOCATED | k;
      this.u32[(block + Block.SIZE) >> 2] = bytes;
      this.u32[(block + Block.GEN) >> 2] += 1; // odd: allocated
      i32[Header.LIVE_BYTES >> 2] += bytes;
      i32[Header.LIVE_BLOCKS >> 2] += 1;
    } finally {
      unlockWord(this, Header.LOCK);
    }
    return block + Block.HEADER_BYTES;
  }

  /** Allocates and zeroes. */
  allocZeroed(bytes: number, kind: BlockKind = BlockKind.DATA): number {
    const off = this.alloc(bytes, kind);
    this.u8.fill(0, off, off + bytes);
    return off;
  }

  free(offset: number): void {
    const block = offset - Block.HEADER_BYTES;
    if (!Number.isInteger(offset) || block < ARENA_OFFSET || offset >= this.sab.byteLength) {
      throw new RangeError(`Offset "${offset}" is not a heap block`);
    }
    lockWord(this, Header.LOCK);
    try {
      const tag = this.u32[(block + Block.CLASS) >> 2];
      if ((tag & Block.ALLOCATED) === 0) {
        throw new BugError(`Heap block "${offset}" freed twice or never allocated`);
      }
      const k = tag & Block.CLASS_MASK;
      const head = Header.FREE_LISTS + 4 * k;
      this.i32[Header.LIVE_BYTES >> 2] -= this.u32[(block + Block.SIZE) >> 2];
      this.i32[Header.LIVE_BLOCKS >> 2] -= 1;
      this.u32[(block + Block.CLASS) >> 2] = tag & ~Block.ALLOCATED; // the kind stays
      // Even: free. Every handle to the block is stale from here on, even
      // once the block is handed out again (its generation moves on).
      this.u32[(block + Block.GEN) >> 2] += 1;
      this.u32[(block + Block.SIZE) >> 2] = this.u32[head >> 2]; // next free
      this.u32[head >> 2] = block;
    } finally {
      unlockWord(this, Header.LOCK);
    }
  }

  /** The generation of the block at `offset` (odd while allocated): what a
   * checked handle to it remembers (handle.ts). */
  generation(offset: number): number {
    return this.u32[(offset - GEN_BEFORE_PAYLOAD) >> 2];
  }

  /** Whether the Threaded owning this heap was deinitialized. */
  get closed(): boolean {
    return this.u32[Header.CLOSED >> 2] !== 0;
  }

  /** Marks the heap closed: from here on every checked handle refuses it. */
  close(): void {
    Atomics.store(this.i32, Header.CLOSED >> 2, 1);
  }

  /** Bytes the caller asked for when it allocated `offset`. */
  sizeOf(offset: number): number {
    return this.u32[(offset - Block.HEADER_BYTES + Block.SIZE) >> 2];
  }

  stats(): HeapStats {
    // Taken under the lock so bytes and blocks agree with each other.
    lockWord(this, Header.LOCK);
    try {
      return {
        liveBytes: this.i32[Header.LIVE_BYTES >> 2],
        liveBlocks: this.i32[Header.LIVE_BLOCKS >> 2],
        capacity: this.sab.byteLength,
        maxCapacity: this.sab.maxByteLength,
      };
    } finally {
      unlockWord(this, Header.LOCK);
    }
  }

  /** The arena's high-water mark: the heap bytes ever carved into blocks
   * (its bump pointer, the header included). Freed blocks are reused by
   * their size class and never returned, so this only grows. */
  highWater(): number {
    return Atomics.load(this.i32, Header.TOP >> 2);
  }

  // --- thread table -------------------------------------------------------

  /** Records the calling thread's signal handle (tio_thread_handle: the
   * kernel thread id on Linux); returns its id (≥ 1). */
  registerThread(handle: number): number {
    const id = this.takeSlot(handle);
    if (id !== 0) return id;
    throw new IoError("SystemResources", {
      message: `SystemResources: more than ${ThreadTable.MAX_THREADS} threads on one heap`,
    });
  }

  /** Reserves a slot for a thread that the calling thread (its parent,
   * `parentHandle`) is starting: the slot holds −parentHandle until the
   * new thread writes its own handle (`claimThread`). 0 if the table is
   * full. */
  reserveThread(parentHandle: number): number {
    return this.takeSlot(-parentHandle || -1);
  }

  /** The first free slot of the thread table, holding `entry` (≠ 0); its
   * id, or 0 if the table is full. */
  private takeSlot(entry: number): number {
    lockWord(this, Header.LOCK);
    try {
      const first = ThreadTable.OFFSET >> 3;
      for (let i = 0; i < ThreadTable.MAX_THREADS; i++) {
        if (this.f64[first + i] === 0) {
          this.f64[first + i] = entry;
          this.i32[Header.THREAD_COUNT >> 2] += 1;
          return i + 1;
        }
      }
      return 0;
    } finally {
      unlockWord(this, Header.LOCK);
    }
  }

  /** The thread a parent reserved slot `id` for takes it as its own. */
  claimThread(id: number, handle: number): void {
    this.f64[(ThreadTable.OFFSET >> 3) + id - 1] = handle;
  }

  unregisterThread(id: number): void {
    lockWord(this, Header.LOCK);
    try {
      this.f64[(ThreadTable.OFFSET >> 3) + id - 1] = 0;
      this.i32[Header.THREAD_COUNT >> 2] -= 1;
    } finally {
      unlockWord(this, Header.LOCK);
    }
  }

  /** The signal handle of thread `id`; written before the id was published.
   * Negative while the slot is reserved for a thread still starting: its
   * parent's handle, negated (`reserveThread`). */
  threadHandle(id: number): number {
    return this.f64[(ThreadTable.OFFSET >> 3) + id - 1];
  }

  private bump(blockBytes: number, asked: number): number {
    const top = this.u32[Header.TOP >> 2];
    const end = top + blockBytes;
    if (end > this.sab.byteLength) {
      const max = this.sab.maxByteLength;
      if (end > max) throw outOfMemory(asked, max);
      this.sab.grow(Math.min(max, Math.max(roundUp(end, PAGE), this.sab.byteLength * 2)));
    }
    this.u32[Header.TOP >> 2] = end;
    return top;
  }
}

function sizeClass(bytes: number): number {
  const total = bytes + Block.HEADER_BYTES;
  // Past the largest class (2 GiB) before clz32 truncates to 32 bits: a
  // request of 2^42 bytes (a Queue.get with a max of 2^40) read as 15
  // bytes and got a 16-byte block that its owner then wrote far past.
  if (total > 2 ** (SIZE_CLASSES - 1 + MIN_CLASS_SHIFT)) return SIZE_CLASSES;
  const shift = total <= 16 ? MIN_CLASS_SHIFT : 32 - Math.clz32(total - 1);
  return shift - MIN_CLASS_SHIFT;
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

function outOfMemory(bytes: number, max: number): IoError<"OutOfMemory"> {
  return new IoError("OutOfMemory", {
    message: `OutOfMemory: allocating ${bytes} bytes would grow the shared heap past maxHeapBytes (${max})`,
  });
}
