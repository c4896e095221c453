// SharedBytes: bytes every thread sees as the same memory. Passed to a task
// or through a Queue, a SharedBytes crosses as a reference (block handle,
// offset, length), and the other thread's `.bytes` is a view of the very
// same memory: no copy in, none out. Files and sockets read into and write
// from `.bytes` directly.
//
// The memory is a block outside the shared heap (substrate/native_memory.ts):
// at one address for the whole process, so a thread resolves a handle it has
// never seen without any message, and a block of a mebibyte or more is given
// back to the kernel when freed.
//
// A SharedBytes is a checked handle: its block's slot carries a generation,
// and every use (`.bytes`, `subarray`, passing it on, `free`) checks it, so
// use after free is a BugError naming the object instead of reading memory
// that now belongs to someone else. `.bytes` itself is a plain Uint8Array
// (not on a SharedArrayBuffer: TextDecoder and friends accept it); one kept
// past `free` reads zeros or stale data but never another object's memory,
// because the block is only released once every thread's view of it has
// been collected.
import { BugError } from "./errors.ts";
import type { Io } from "./io.ts";
import {
  allocBlock,
  blockBytes,
  blockLength as blockLengthOf,
  freeBlock,
  isLive,
  MAX_VIEW_BYTES,
  nativeMemoryStats,
  trimNativeMemory,
  type NativeMemoryStats,
} from "../substrate/native_memory.ts";

/** The largest SharedBytes: the longest ArrayBuffer Bun makes over
 * foreign memory (4 GiB), since `.bytes` must be one. */
const MAX_LENGTH = MAX_VIEW_BYTES;

/** Bytes every thread sees as the same memory (`SharedBytes.alloc(io, n)`):
 * `.bytes` is a view of it on any thread; passed to a task or through a
 * Queue it crosses as a reference, not a copy. A checked handle: use after
 * `free(io)` (or `using`) is a BugError. */
export class SharedBytes {
  /** @internal The block's handle. */
  readonly handle: number;
  /** Where this view starts in the block, and its length in bytes. */
  readonly offset: number;
  readonly length: number;
  /** @internal The whole block's length (a view's block is bigger). */
  readonly blockLength: number;
  #bytes: Uint8Array | undefined;

  private constructor(handle: number, blockLength: number, offset: number, length: number) {
    this.handle = handle;
    this.blockLength = blockLength;
    this.offset = offset;
    this.length = length;
  }

  /** `length` zeroed bytes shared by every thread. Free them with `free`
   * (or `using`). */
  static alloc(_io: Io, length: number): SharedBytes {
    if (!Number.isSafeInteger(length) || length < 0 || length > MAX_LENGTH)
      throw new RangeError(
        `SharedBytes length "${length}" is not a byte count up to ${MAX_LENGTH} (Bun's largest ArrayBuffer)`,
      );
    const handle = allocBlock(length);
    return new SharedBytes(handle, length, 0, length);
  }

  /** @internal A SharedBytes that crossed threads: its data, checked
   * against the slot table (live, and the span inside the block). */
  static fromData([handle, blockLength, offset, length]: SharedBytesData): SharedBytes {
    const out = new SharedBytes(handle, blockLength, offset, length);
    out.check("receiving");
    const real = blockLengthOf(handle);
    if (
      real !== blockLength ||
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(length) ||
      offset < 0 ||
      length < 0 ||
      offset + length > real
    )
      throw new BugError(`${out.describe()} does not fit its block (${real} bytes)`);
    return out;
  }

  /** @internal What crosses threads. Throws if freed. */
  toData(): SharedBytesData {
    this.check("passing to another thread");
    return [this.handle, this.blockLength, this.offset, this.length];
  }

  /** The bytes: a Uint8Array over the shared memory, the same on every
   * thread. Throws a BugError after `free`. */
  get bytes(): Uint8Array {
    const cached = this.#bytes;
    if (cached !== undefined && isLive(this.handle)) return cached;
    const whole = blockBytes(this.handle);
    if (whole === undefined) throw this.useAfterFree("reading .bytes of");
    return (this.#bytes =
      this.offset === 0 && this.length === this.blockLength
        ? whole
        : whole.subarray(this.offset, this.offset + this.length));
  }

  /** A SharedBytes for `[start, end)` of this one: the same memory, not a
   * copy (as `Uint8Array.subarray`). Negative indices count from the end.
   * It lives as long as the allocation it came from. */
  subarray(start = 0, end = this.length): SharedBytes {
    this.check("taking a subarray of");
    const s = clampIndex(start, this.length, "start");
    const e = Math.max(s, clampIndex(end, this.length, "end"));
    return new SharedBytes(this.handle, this.blockLength, this.offset + s, e - s);
  }

  /** True until the allocation is freed (by any thread). */
  get isLive(): boolean {
    return isLive(this.handle);
  }

  /** Ends the allocation. Only the SharedBytes returned by `alloc` (or one
   * that crossed threads from it) frees; a subarray cannot. Freeing twice is
   * a BugError. Any thread may free, once every thread is done with it. */
  free(_io?: Io): void {
    if (this.offset !== 0 || this.length !== this.blockLength)
      throw new BugError(`${this.describe()} is a subarray: free the SharedBytes it came from`);
    this.#bytes = undefined;
    if (!freeBlock(this.handle)) throw this.useAfterFree("freeing");
  }

  [Symbol.dispose](): void {
    // `using` frees once; a value freed explicitly before is not a bug here.
    if (isLive(this.handle)) this.free();
  }

  /** Blocks of SharedBytes and big copied values outside the heap. */
  static stats(): NativeMemoryStats {
    return nativeMemoryStats();
  }

  /** Gives back the released mappings kept for reuse (`cachedBytes`, at
   * most 16 MiB): for a process that wants its RSS at the minimum now. */
  static trim(): void {
    trimNativeMemory();
  }

  private check(doing: string): void {
    if (!isLive(this.handle)) throw this.useAfterFree(doing);
  }

  private describe(): string {
    const span =
      this.offset === 0 && this.length === this.blockLength
        ? `${this.length} bytes`
        : `bytes ${this.offset}..${this.offset + this.length} of ${this.blockLength}`;
    return `SharedBytes (${span}, handle ${this.handle})`;
  }

  private useAfterFree(doing: string): BugError {
    return new BugError(`Use after free: ${doing} ${this.describe()}, which was freed`);
  }
}

export type SharedBytesData = [handle: number, blockLength: number, offset: number, length: number];

function clampIndex(i: number, length: number, name: string): number {
  if (!Number.isInteger(i)) throw new RangeError(`SharedBytes ${name} "${i}" is not an integer`);
  return i < 0 ? Math.max(0, length + i) : Math.min(i, length);
}
