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
//          │   CLOSED u32 (set by Threaded.deinit)         │
//   64     │   FREE_LISTS: SIZE_CLASSES × u32 heads        │
//   256    ├──────────────────────────────────────────────┤
//          │ thread table: MAX_THREADS × f64 handles     │
//          │   slot i holds thread id i+1; 0 = free        │
//   8448   ├──────────────────────────────────────────────┤
//          │ pool block (see Pool)                          │
//   8704   ├──────────────────────────────────────────────┤
//          │ thread state: CURRENT u32 × MAX_THREADS,       │
//          │               FLAGS u32 × MAX_THREADS          │
//   16896  ├──────────────────────────────────────────────┤
//          │ (free)                                         │
//   20480  ├──────────────────────────────────────────────┤
//          │ arena: blocks of 2^k bytes, each one          │
//          │   [u32 kind<<16|ALLOCATED|class]               │
//          │   [u32 size | next free][u32 generation]       │
//          │   [u32 seal][payload…]                         │
//          └──────────────────────────────────────────────┘
export const Header = {
  MAGIC: 0,
  LOCK: 4,
  TOP: 8,
  LIVE_BYTES: 12,
  LIVE_BLOCKS: 16,
  THREAD_COUNT: 20,
  /** 1 once the Threaded that owns the heap is deinitialized: every checked
   * handle (handle.ts) then refuses to touch it. */
  CLOSED: 24,
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

/** Per pool thread, by thread id − 1: the closure it is running (0: none)
 * and flags. A thread that dies in a task (process.exit, or ended with the
 * Worker that started it) is found through these and its task failed. */
export const ThreadState = {
  CURRENT: ThreadTable.OFFSET + ThreadTable.MAX_THREADS * ThreadTable.ENTRY_BYTES + 256, // after the pool block
  FLAGS:
    ThreadTable.OFFSET +
    ThreadTable.MAX_THREADS * ThreadTable.ENTRY_BYTES +
    256 +
    ThreadTable.MAX_THREADS * 4,
  POOL_THREAD: 1,
  STARTING: 2, // reserved by the thread starting it, not yet claimed; the
  // bits from 8 up number the reservation (reaper.ts)
  // With STARTING (spawn_host.ts): asked of the spawn host, not yet taken;
  // taken, the host starting it; its Worker closed before it claimed it.
  REQUESTED: 4,
  HOSTED: 8,
  CLOSED: 16,
} as const;

export const PoolBlock = {
  OFFSET: ThreadTable.OFFSET + ThreadTable.MAX_THREADS * ThreadTable.ENTRY_BYTES, // 64-byte aligned
  BYTES: 256,
} as const;

export const ARENA_OFFSET = 20480;

/** The block header before every payload. A block never changes size
 * class (blocks are neither split nor merged), so its header stays a header
 * for the life of the heap. */
export const Block = {
  HEADER_BYTES: 16,
  CLASS: 0, // u32: kind << KIND_SHIFT | ALLOCATED | size class
  /** u32: bytes the caller asked for while allocated; while free, the next
   * free block of its class (a word of the header, so that a zero-byte
   * block of the 16-byte class can be on a free list). */
  SIZE: 4,
  /** u32: odd while allocated, even while free; +1 on every alloc and free.
   * A checked handle (handle.ts) remembers the value it was made with. */
  GEN: 8,
  /** u32: the block's offset XOR BLOCK_SEAL, written when the block is
   * carved and never changed: with the alignment and the bump pointer, what
   * tells a block's start from an offset into some payload when a handle
   * is made from a bare number (handle.ts `checkRef`). */
  SEAL: 12,
  ALLOCATED: 0x100,
  CLASS_MASK: 0xff,
  /** The block's kind (BlockKind) sits in bits 16–23 of the CLASS word; it
   * stays when the block is freed, until the block is handed out again. */
  KIND_SHIFT: 16,
} as const;
export const BLOCK_SEAL = 0x5e41b10c;

/** What a heap block holds, tagged in its header at allocation: a handle
 * made from a number (`Queue.from`, a value revived on another thread)
 * must name a block of its own kind. */
export const BlockKind = {
  DATA: 0,
  MUTEX: 1,
  CONDITION: 2,
  RESET_EVENT: 3,
  GROUP: 4,
  QUEUE: 5,
  CLOSURE: 6,
} as const;
export type BlockKind = (typeof BlockKind)[keyof typeof BlockKind];
/** From a payload offset back to its block's GEN word. */
export const GEN_BEFORE_PAYLOAD = Block.HEADER_BYTES - Block.GEN;

/** Shared objects: their sizes and field offsets. */
export const MutexLayout = { BYTES: 4, STATE: 0 } as const;
export const ConditionLayout = { BYTES: 8, STATE: 0, EPOCH: 4 } as const;
/** STATE is the event word (an embedded event is that word alone); WAITERS
 * counts the threads and async waits in a standalone event's wait calls,
 * for `deinit`'s check. */
export const ResetEventLayout = { BYTES: 8, STATE: 0, WAITERS: 4 } as const;
/** A cancel word (see cancel.ts): 0, a thread id, or CANCELING | id. */
export const CancelWordLayout = { BYTES: 4, WORD: 0 } as const;

/** The pool block: one per heap, at PoolBlock.OFFSET (Zig's Threaded
 * fields that threads share). All u32 words. */
/** Pool.SPAWN_HOST's states below a serving host's tid (spawn_host.ts). */
export const HostState = {
  NONE: 0, // never asked for
  STARTING: -1, // started by the owner; requests wait for it
  WANTED: -2, // a requester found none: the owner starts one when it next tends
  FAILED: -3, // could not be started: requesters start threads themselves
} as const;

export const Pool = {
  LOCK: 0, // mutex word guarding the queue and the counts
  QUEUE_HEAD: 4, // first closure in the run queue, 0 if empty
  QUEUE_TAIL: 8,
  BUSY: 12, // closures queued or running (Zig's busy_count)
  POOL_SIZE: 16, // threads spawned and not yet gone (Zig's wait_group)
  JOIN: 20, // 1 once deinit asked every thread to leave
  ASYNC_LIMIT: 24, // UNLIMITED = 0xffffffff
  CONCURRENT_LIMIT: 28,
  LIVE: 32, // threads that have not finished leaving; deinit sleeps on it
  SPAWNED_TOTAL: 36, // threads ever spawned (for tests and stats)
  INITIALIZED: 40,
  DISPATCHED_TOTAL: 44, // closures ever handed to the pool (the rest ran inline)
  IDLE_TIMEOUT_MS: 48, // an idle thread exits after this long; 0: never (Zig)
  RETIRED_TOTAL: 52, // threads that exited on the idle timeout
  // Most pool threads at once: every pool thread holds a thread-table slot
  // (registered threads ≤ POOL_SIZE ≤ THREAD_CAP ≤ MAX_THREADS), so one can
  // never fail to register and stay counted in LIVE forever.
  THREAD_CAP: 56,
  QUEUED: 60, // closures in the run queue (changed under LOCK; stats.ts)
  // A read-mostly line: every traced site loads TRACE (trace.ts).
  TRACE: 64, // the trace directory's offset while tracing, else 0
  TRACE_DIR: 68, // the trace directory, kept once made (reused by the next trace)
  // Idle threads spin on WORK_SEQ: it gets a cache line of its own so that
  // spinning does not slow the enqueuer's work on the lock and the queue.
  WORK_SEQ: 128, // bumped on every enqueue and on join; idle threads sleep on it
  SLEEPERS: 132, // threads asleep on WORK_SEQ (enqueue wakes only if > 0)
  // Counters of `threaded.stats()`, bumped with Atomics where the events
  // happen, on a line of their own (stats.ts).
  INLINE_TOTAL: 192, // tasks run inline on the caller (async, groupAsync)
  CANCELS_REQUESTED: 196, // first cancel requests of a task
  CANCEL_SIGNALS: 200, // requests that found the task running (SIGIO sent)
  CANCELS_DELIVERED: 204, // Canceled raised in a task
  LOCK_TAKEOVERS: 208, // pool locks taken over from a thread that died holding them
  START_SEQ: 212, // numbers each reserved slot's STARTING flags (reaper.ts)
  SPAWN_HOST: 216, // the spawn host: its tid once it serves, −1 starting, 0 none (spawn_host.ts)
  SPAWN_REQUESTS: 220, // bumped on every request; the spawn host waits on it
  SPAWN_HOST_SINCE: 224, // when the host was started (s, Date.now), while starting
  TASK_KEYS: 228, // the interned task keys, a list pushed with a CAS (tasks.ts)
  START_FAILURES: 232, // threads in a row that ended before running (reaper.ts)
  THREAD_LIST: 236, // /proc/self/task's descriptor + 1, kept open (worker_tid.ts)
} as const;
export const UNLIMITED = 0xffffffff | 0;

/** A closure: one task handed to the pool (Zig's AsyncClosure and
 * GroupClosure in one layout), followed by its encoded arguments. */
export const Closure = {
  // First cache line: what waiters spin on and what the canceler touches.
  NEXT: 0, // run-queue link
  CANCEL: 4, // cancel word (cancel.ts)
  DONE: 8, // ResetEvent set when the task has finished and its result is written
  SELECT: 12, // 0, SELECT_DONE, or the offset of a select's ResetEvent
  KIND: 16, // KIND_ASYNC | KIND_GROUP
  TASK: 20, // offset of the interned task key
  GROUP: 24, // the group's ref (group closures)
  SIBLING: 28, // next record of the same group (the group's member list)
  ARGS_FORMAT: 32,
  ARGS_LENGTH: 36, // numbers: count; jsc: bytes
  // 1 while its dispatcher yields its CPU to it (idle_handoff.ts): the
  // task's thread yields back as soon as the task is published.
  HANDED_OFF: 40,
  // Second cache line: the result, written before DONE is set, so an
  // awaiter spinning on DONE does not pull the line the worker writes.
  RESULT_KIND: 64, // RESULT_NONE | RESULT_VALUE | RESULT_ERROR
  RESULT_FORMAT: 68, // Format.*
  RESULT_NUMBER: 72, // f64, for Format.NUMBER
  RESULT_BLOCK: 80, // offset of a [u32 length][bytes] block, for Format.JSC
  HEADER_BYTES: 88, // arguments follow, 8-byte aligned
} as const;

export const KIND_ASYNC = 1;
export const KIND_GROUP = 2;
/** A group member that ran inline and whose outcome the group must report:
 * it threw (recorded finished), or it returned a promise (pending until the
 * promise settles on the thread that ran it). Header only: no arguments,
 * no task, never in the run queue, never signalled. */
export const KIND_GROUP_INLINE = 3;
export const SELECT_DONE = 1;
export const RESULT_NONE = 0;
export const RESULT_VALUE = 1;
export const RESULT_ERROR = 2;
/** The thread running the closure died; no result was written. */
export const RESULT_DIED = 3;
/** The result did not fit the heap (RESULT_NUMBER: its encoded bytes). */
export const RESULT_TOO_LARGE = 4;

/** How a value crossed the heap. */
export const Format = {
  NONE: 0, // no arguments
  UNDEFINED: 1,
  NUMBER: 2, // one f64 (a result)
  NUMBERS: 3, // f64 × count (arguments)
  JSC: 4, // bun:jsc structured-clone bytes
  /** Arguments: numbers and SharedBytes (codec.ts encodeMixed): a kind
   * byte per argument (8-byte padded), then f64s, 4 for each SharedBytes. */
  MIXED: 5,
} as const;

/** A group: Zig's Group fields that threads share. The waiter sleeps
 * on STATE itself: a member's last touch of the group is the atomic
 * decrement (then a wake, which writes nothing), so once the waiter sees no
 * member pending, no member will write the group again and it may be freed. */
export const GroupLayout = {
  BYTES: 12,
  STATE: 0, // bit 0: a waiter is waiting; +2 per pending member
  TOKEN: 4, // first member record (guarded by the pool lock)
  ERRORS: 8, // members that ended with an error other than Canceled
} as const;
export const GROUP_IS_WAITING = 1;
export const GROUP_ONE_PENDING = 2;

/** The trace directory (trace.ts): one per heap, made by the first
 * startTrace, then a ring per thread id, made by that thread on its first
 * event of a session. */
export const TraceDirLayout = {
  SESSION: 0, // bumped by every startTrace; a ring of another session is stale
  CAPACITY: 4, // events per ring: SLOTS − RING_HEADER_SLOTS
  START_NS: 8, // f64: awake-clock time the session started
  SLOTS: 16, // 32-byte slots per ring, its header included (the option `events`)
  RINGS: 64, // u32 × ThreadTable.MAX_THREADS: ring offset by thread id − 1
  BYTES: 64 + ThreadTable.MAX_THREADS * 4,
} as const;

/** A thread's ring: a header, then CAPACITY events of EVENT_BYTES. Only its
 * thread writes it; COUNT (events ever written this session) is stored
 * after each event, so a reader knows which slots are whole. */
export const TraceRingLayout = {
  COUNT: 0,
  SESSION: 4,
  THREAD: 8, // thread id
  POOL_THREAD: 12, // 1 for a pool thread
  EVENTS: 64,
  EVENT_BYTES: 32,
  /** Slots a ring gives up for its header and the heap's block header, so
   * that SLOTS × 32 bytes (a power of two by default) fill a size class
   * instead of spilling into the next one, twice as big. */
  HEADER_SLOTS: 4,
  // An event: the awake-clock time and duration in ns, a kind, three words.
  TS: 0, // f64
  DUR: 8, // f64 (0 for an instant)
  KIND: 16,
  A0: 20,
  A1: 24,
  A2: 28,
} as const;

/** An interned task key: [u32 byteLength][utf8 bytes]. */
export const TaskKeyLayout = { NEXT: 0, LENGTH: 4, BYTES: 8 } as const;

/** A queue (Io.Queue): the ring holds element tokens (heap blocks of
 * encoded values); blocked putters and getters wait in FIFO lists of
 * waiter records. Everything is guarded by MUTEX. */
export const QueueLayout = {
  BYTES: 40,
  MUTEX: 0,
  CAPACITY: 4,
  START: 8,
  LEN: 12,
  PUTTERS_HEAD: 16,
  PUTTERS_TAIL: 20,
  GETTERS_HEAD: 24,
  GETTERS_TAIL: 28,
  RING: 32, // offset of u32[CAPACITY], 0 for a rendezvous queue
  INSIDE: 36, // calls between entry and return (deinit refuses while nonzero)
} as const;

/** A blocked putter or getter: its condition and the token slice it still
 * has to hand over or receive (TOKENS[POS..END)). */
export const WaiterLayout = {
  BYTES: 32,
  NEXT: 0,
  COND: 4, // a Condition (8 bytes)
  TOKENS: 12,
  POS: 16, // tokens moved so far
  END: 20, // tokens it has room for (getter) or holds (putter)
  MIN: 24, // released once POS reaches it: a getter's min, a putter's END
  ORPHAN: 28, // 1: a putter record with no thread (a canceled getter's items)
} as const;

/** An encoded queue element: [u32 format][u32 length][payload]. */
export const ElementLayout = { FORMAT: 0, LENGTH: 4, PAYLOAD: 8 } as const;
