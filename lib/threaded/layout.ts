// Every offset in the shared heap, and the size of every shared object. No
// other file writes a raw offset: they name a field from here.
//
// The heap is one growable SharedArrayBuffer. Byte offsets are this port's
// pointers (u32: a heap is at most 4 GiB). All words are accessed with
// Atomics through the Int32Array view, so every field is 4-byte aligned, and
// every allocation is 8-byte aligned for 64-bit fields.
//
//   0      ┌──────────────────────────────────────────────┐
//          │ heap header                                   │
//          │   MAGIC u32 · LOCK u32 (a mutex word)         │
//          │   TOP u32 (bump pointer) · LIVE_BYTES u32     │
//          │   LIVE_BLOCKS u32 · THREAD_COUNT u32          │
//   64     │   FREE_LISTS: SIZE_CLASSES × u32 heads        │
//   256    ├──────────────────────────────────────────────┤
//          │ thread table: MAX_THREADS × f64 pthread_t     │
//          │   slot i holds thread id i+1; 0 = free        │
//   8448   ├──────────────────────────────────────────────┤
//          │ pool block (pool issue): reserved             │
//   16384  ├──────────────────────────────────────────────┤
//          │ arena: blocks of 2^k bytes, each one          │
//          │   [u32 class|ALLOCATED][u32 size][payload…]   │
//          └──────────────────────────────────────────────┘
export const Header = {
  MAGIC: 0,
  LOCK: 4,
  TOP: 8,
  LIVE_BYTES: 12,
  LIVE_BLOCKS: 16,
  THREAD_COUNT: 20,
  FREE_LISTS: 64,
} as const;

/** "TIOH" little-endian: marks a buffer as a threaded-io heap. */
export const HEAP_MAGIC = 0x484f4954;

/** Block sizes 2^(k + MIN_CLASS_SHIFT) for k in [0, SIZE_CLASSES). */
export const MIN_CLASS_SHIFT = 4;
export const SIZE_CLASSES = 28; // 16 B … 2 GiB

export const ThreadTable = {
  OFFSET: 256,
  MAX_THREADS: 1024,
  ENTRY_BYTES: 8,
} as const;

export const PoolBlock = {
  OFFSET: ThreadTable.OFFSET + ThreadTable.MAX_THREADS * ThreadTable.ENTRY_BYTES,
  BYTES: 256,
} as const;

export const ARENA_OFFSET = 16384;

/** The block header before every payload. */
export const Block = {
  HEADER_BYTES: 8,
  CLASS: 0, // u32: size class | ALLOCATED
  SIZE: 4, // u32: bytes the caller asked for
  ALLOCATED: 0x100,
  CLASS_MASK: 0xff,
  /** A free block's payload starts with the next free block's offset. */
  NEXT_FREE: 8,
} as const;

/** Shared objects: their sizes and field offsets. */
export const MutexLayout = { BYTES: 4, STATE: 0 } as const;
export const ConditionLayout = { BYTES: 8, STATE: 0, EPOCH: 4 } as const;
export const ResetEventLayout = { BYTES: 4, STATE: 0 } as const;
/** A cancel word (see cancel.ts): 0, a thread id, or CANCELING | id. */
export const CancelWordLayout = { BYTES: 4, WORD: 0 } as const;
