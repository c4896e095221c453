// Blocks outside the shared heap (shim/memory.c): the memory of SharedBytes,
// and the codec's big copied values. A block has one address in the whole
// process, so any thread — including a pool thread blocked in a task, which
// no message could reach — makes its own ArrayBuffer over it from the handle
// alone. Blocks of a mebibyte or more are mappings of their own, given back
// to the kernel when freed: the heap arena never holds them, so it never
// grows for them.
//
// A handle is gen * 2^20 + slot (a safe integer). Each thread checks a
// handle against the slot table (one 32-bit load of `live` and `gen`) and
// keeps one ArrayBuffer per block it has used: made once (toArrayBuffer
// costs ~1 µs, ~30 µs for a mebibyte because of GC accounting), reused by
// every later task. Entries for freed blocks are dropped by a sweep that
// runs as the cache grows; until then a stale entry holds only address
// space (free gives the pages back).
import { toArrayBuffer, type Pointer } from "bun:ffi";
import { shim } from "../ffi/shim.ts";
import { IoError } from "../io/errors.ts";
import { E } from "../os/index.ts";

const SLOT_BITS = 20;
const SLOT_MASK = (1 << SLOT_BITS) - 1;
const SLOT_WORDS = 8; // 32-byte slots: [gen, live, length lo, length hi, base…]
/** The longest ArrayBuffer Bun 1.4 makes over foreign memory: one byte
 * more fails (RangeError "Out of memory"). */
export const MAX_VIEW_BYTES = 2 ** 32;
/** From this size a block is a mapping of its own (shim/memory.c). */
export const MAP_MIN_BYTES = 1 << 20;
const SLOT_TABLE_BYTES = (1 << SLOT_BITS) * SLOT_WORDS * 4;

let table: Int32Array | undefined;
let unrefFn: Pointer | undefined;

function slots(): Int32Array {
  if (table !== undefined) return table;
  const s = shim();
  const p = s.tio_mem_table() as Pointer | null;
  if (p === null) throw new IoError("OutOfMemory", { message: "OutOfMemory: no slot table" });
  unrefFn = s.tio_mem_unref_fn() as Pointer;
  return (table = new Int32Array(toArrayBuffer(p, 0, SLOT_TABLE_BYTES)));
}

/** A block of `length` bytes, zeroed unless `zero` is false (the caller
 * overwrites all of it); its handle. */
export function allocBlock(length: number, zero = true): number {
  slots();
  const h = shim().tio_mem_alloc(length, zero ? 1 : 0) as number;
  if (h >= 0) return h;
  // -EMFILE: every slot is in use.
  if (h === -(E.EMFILE as number))
    throw new IoError("SystemResources", {
      message: `SystemResources: more than ${SLOT_MASK} blocks of shared memory at once`,
    });
  throw new IoError("OutOfMemory", {
    message: `OutOfMemory: cannot allocate ${length} bytes of shared memory`,
  });
}

/** True while `handle` names a block that has not been freed. */
export function isLive(handle: number): boolean {
  const t = slots();
  const i = (handle & SLOT_MASK) * SLOT_WORDS;
  return t[i + 1] === 1 && t[i] === Math.floor(handle / (1 << SLOT_BITS));
}

/** Ends a block's allocation; false if it was already freed. */
export function freeBlock(handle: number): boolean {
  views.delete(handle);
  return shim().tio_mem_free(handle) === 0;
}

/** The block's address, for a copy the caller owns (no view is made). */
export function blockAddress(handle: number): Pointer {
  const p = shim().tio_mem_address(handle) as Pointer | null;
  if (p === null) throw new RangeError(`Shared memory block "${handle}" is not allocated`);
  return p;
}

// Per thread: handle → a Uint8Array over the whole block.
const views = new Map<number, Uint8Array>();
/** The block each of this thread's block ArrayBuffers is over: a typed
 * array on one crosses threads as the same memory (binary_payload.ts). */
const owners = new WeakMap<ArrayBuffer, { handle: number; length: number }>();

/** The block `buffer` is over, if it is one of this thread's views. */
export function blockOf(buffer: ArrayBufferLike): { handle: number; length: number } | undefined {
  return owners.get(buffer as ArrayBuffer);
}
let sweepAt = 64;

/** The block's length as the slot table records it (a handle that came
 * from another thread carries a length too, but only this one is trusted:
 * a view longer than the block would reach other memory). 0 if stale. */
export function blockLength(handle: number): number {
  if (!isLive(handle)) return 0;
  const i = (handle & SLOT_MASK) * SLOT_WORDS;
  const t = slots();
  return (t[i + 2] >>> 0) + t[i + 3] * 2 ** 32;
}

/** A Uint8Array over the whole block, made once per thread; undefined if
 * the handle is stale. */
export function blockBytes(handle: number): Uint8Array | undefined {
  const cached = views.get(handle);
  if (cached !== undefined) {
    if (isLive(handle)) return cached;
    views.delete(handle);
    return undefined;
  }
  if (!isLive(handle)) return undefined;
  const length = blockLength(handle);
  if (length === 0) return new Uint8Array(0); // toArrayBuffer refuses length 0
  if (length > MAX_VIEW_BYTES) throw new RangeError(`Block of ${length} bytes is too long to view`);
  const p = shim().tio_mem_view(handle) as Pointer | null;
  if (p === null) return undefined; // freed in between
  // A failed toArrayBuffer has already run the deallocator (measured: a
  // failure past MAX_VIEW_BYTES dropped the count), so the count taken
  // above must not be dropped again here; callers keep lengths in range.
  let u8: Uint8Array;
  try {
    // The deallocator drops the reference tio_mem_view counted.
    // (bun-types omits toArrayBuffer's deallocator arguments.)
    const withDeallocator = toArrayBuffer as unknown as (
      p: Pointer,
      offset: number,
      length: number,
      context: number,
      deallocator: Pointer,
    ) => ArrayBuffer;
    u8 = new Uint8Array(withDeallocator(p, 0, length, handle, unrefFn!));
  } catch (e) {
    throw new RangeError(`Cannot map ${length} bytes of shared memory: ${(e as Error).message}`, {
      cause: e,
    });
  }
  if (views.size >= sweepAt) sweep();
  views.set(handle, u8);
  owners.set(u8.buffer as ArrayBuffer, { handle, length });
  return u8;
}

/** Drops this thread's views of freed blocks, so their memory can go. */
function sweep(): void {
  for (const handle of views.keys()) if (!isLive(handle)) views.delete(handle);
  sweepAt = Math.max(64, views.size * 2);
}

const statsOut = new Float64Array(6);

/** Memory outside the heap arena (SharedBytes and big copied values):
 * `SharedBytes.stats()` and `threaded.memoryStats()`. */
export interface NativeMemoryStats {
  /** Blocks allocated and not freed, and their bytes. */
  readonly liveBlocks: number;
  readonly liveBytes: number;
  /** Bytes still held: live, or freed while a thread's ArrayBuffer over
   * them has not been collected yet (their pages are already returned). */
  readonly heldBytes: number;
  /** The most bytes ever held at once. */
  readonly peakBytes: number;
  readonly allocations: number;
  /** Released mappings (each ≤ 8 MiB, 16 MiB in all) kept for reuse:
   * a fresh mapping costs a page fault per 4 KiB. `SharedBytes.trim()`
   * gives them back. */
  readonly cachedBytes: number;
}

/** Gives the mappings kept for reuse back to the kernel. */
export function trimNativeMemory(): void {
  shim().tio_mem_trim();
}

export function nativeMemoryStats(): NativeMemoryStats {
  slots();
  shim().tio_mem_stats(statsOut);
  return {
    liveBlocks: statsOut[0],
    liveBytes: statsOut[1],
    heldBytes: statsOut[2],
    peakBytes: statsOut[3],
    allocations: statsOut[4],
    cachedBytes: statsOut[5],
  };
}
