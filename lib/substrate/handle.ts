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
//
// A handle made from a bare number (`Queue.from(heap, ref, gen)`, or a value
// revived on another thread) is checked once more, when it is made
// (`checkRef`): the number must be the start of a block (16-aligned in the
// arena, below the bump pointer, its header's SEAL word its own offset
// sealed) whose generation is the one given and whose kind tag (in the
// CLASS word) is the object's. Otherwise a forged or mistaken number would have the handle
// read a header out of some payload, or wait on arbitrary words forever.
//
// Constructors of handles take INTERNAL as their first argument: it is not
// reachable from the package's public exports, so user code cannot make an
// unchecked handle (an EMBEDDED one, or a Future over any offset) with
// `new`, even by casting a private constructor to `any`.
import { BugError } from "../io/errors.ts";
import type { Heap } from "./heap.ts";
import {
  ARENA_OFFSET,
  Block,
  BLOCK_SEAL,
  type BlockKind,
  GEN_BEFORE_PAYLOAD,
  Header,
} from "./layout.ts";

/** An embedded object: unchecked (its owner is checked). */
export const EMBEDDED = -1;
/** This handle freed its block itself (deinit, dispose, await). */
export const FREED_HERE = 0;

/** The token every handle constructor requires (not exported publicly). */
export const INTERNAL: unique symbol = Symbol("threaded-io internal");

/** A heap object's class (its constructor is private, and takes INTERNAL,
 * heap, ref, gen): named by its prototype. */
type HeapHandleClass<T> = { readonly prototype: T };

/** Builds a handle of a heap object through its private constructor:
 * `gen` EMBEDDED for one inside another object (which checks its own
 * handle), else the generation the handle was made with. */
export function heapHandle<T>(Class: HeapHandleClass<T>, heap: Heap, ref: number, gen: number): T {
  type Make = new (key: typeof INTERNAL, heap: Heap, ref: number, gen: number) => T;
  return new (Class as unknown as Make)(INTERNAL, heap, ref, gen);
}

/** Throws unless `key` is INTERNAL: a handle constructor called by user code. */
export function checkInternal(key: unknown, kind: string): void {
  if (key !== INTERNAL) {
    throw new BugError(
      `${kind} has no public constructor: use ${kind === "Future" ? "io.async or io.concurrent" : `${kind}.init`} (objects cross to tasks as arguments)`,
    );
  }
}

/** Throws a BugError unless `ref` is the payload of an allocated block of
 * `kind` in `heap` whose generation is `gen`: what every handle made from
 * a number (`from`, revival) passes before it is made. A few loads. */
export function checkRef(
  heap: Heap,
  ref: number,
  gen: number,
  kind: BlockKind,
  name: string,
  /** Revival of a value that crossed the heap: a handle that went stale on
   * the way arrives stale (its first use throws), so that decoding the
   * value around it (a queue item, a task's arguments) completes. */
  staleOk = false,
): void {
  if (gen === undefined) {
    throw new BugError(
      `${name}.from needs the generation its handle carried (gen): without it a stale reference could not be told from a live one`,
    );
  }
  if (
    typeof gen !== "number" ||
    !Number.isInteger(gen) ||
    gen < 1 ||
    gen > 0xffffffff ||
    gen % 2 === 0
  ) {
    throw new BugError(
      `${name}.from: generation ${String(gen)} is not a live handle's generation (an odd u32, as the handle carried it)`,
    );
  }
  const block = ref - Block.HEADER_BYTES;
  const u32 = heap.u32;
  if (
    typeof ref !== "number" ||
    !Number.isInteger(ref) ||
    block < ARENA_OFFSET ||
    (block - ARENA_OFFSET) % Block.HEADER_BYTES !== 0 ||
    ref > Atomics.load(heap.i32, Header.TOP >> 2) ||
    u32[(block + Block.SEAL) >> 2] !== (block ^ BLOCK_SEAL) >>> 0
  ) {
    throw new BugError(
      `${name}.from: ${String(ref)} is not a ${name} of this heap (no heap block starts there)`,
    );
  }
  // Freed (and perhaps reused): stale, whatever it holds now.
  if (u32[(block + Block.GEN) >> 2] !== gen || heap.closed) {
    if (staleOk) return;
    throw staleHandle(heap, gen, name);
  }
  if (((u32[(block + Block.CLASS) >> 2] >>> Block.KIND_SHIFT) & 0xff) !== kind) {
    throw new BugError(
      `${name}.from: ${ref} is not a ${name} (its block holds another kind of object)`,
    );
  }
}

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
