// `Dir.Reader`, as later Zig has it: the state of reading one directory in
// batches — a buffer the implementation fills with a batch of raw entries
// (getdents64 on Linux), the unread part of it, and whether the position
// must be reset first or the end was seen. `Io.vtable.dirRead` takes the
// next entry from it, reading another batch when the buffer is used up; a
// cancel request is honoured before each batch.
import type { Dir } from "./dir.ts";

/** Where a `DirReader` is: before its first batch, between batches, or done. */
export type DirReaderState = "reset" | "reading" | "finished";

/** Default batch buffer: a few hundred typical entries per syscall. */
export const DEFAULT_DIR_BUFFER_BYTES = 8192;
/** Smallest buffer: one entry with a 255-byte name, and its header. */
export const MIN_DIR_BUFFER_BYTES = 512;

/** `Dir.Reader`: the batch buffer and position of one directory's
 * iteration (what the vtable's `dirRead` fills and consumes). */
export class DirReader {
  readonly buffer: Buffer;
  /** Unread bytes of the batch: buffer[index, end). */
  index = 0;
  end = 0;
  /** The last record taken from the batch (-1: none since the reset). */
  last = -1;
  /** A position to seek to before the next batch (`resumeAt`). */
  seekTo: bigint | undefined = undefined;

  constructor(
    readonly dir: Dir,
    bufferBytes: number = DEFAULT_DIR_BUFFER_BYTES,
    public state: DirReaderState = "reset",
  ) {
    if (
      !Number.isInteger(bufferBytes) ||
      bufferBytes < MIN_DIR_BUFFER_BYTES ||
      bufferBytes > 1 << 24
    )
      throw new RangeError(
        `Directory buffer of ${bufferBytes} bytes is not an integer in [${MIN_DIR_BUFFER_BYTES}, 2^24]`,
      );
    // Its own ArrayBuffer (not a slice of Bun's pool): the address handed to
    // the syscall is taken at each call.
    this.buffer = Buffer.allocUnsafeSlow(bufferBytes);
  }

  /** Starts over from the first entry at the next read. */
  reset(): void {
    this.state = "reset";
    this.index = this.end = 0;
    this.last = -1;
    this.seekTo = undefined;
  }

  /** The directory position just past the last entry taken (the record's
   * d_off, getdents64's telldir cookie), or undefined before the first.
   * The file system keeps it valid for another descriptor of the same
   * directory, and entries added or removed elsewhere do not move it. */
  position(): bigint | undefined {
    if (this.seekTo !== undefined) return this.seekTo;
    return this.last < 0 ? undefined : this.buffer.readBigInt64LE(this.last + 8);
  }

  /** Goes on from `position` (one `position()` gave) at the next read. */
  resumeAt(position: bigint): void {
    this.state = "reading";
    this.index = this.end = 0;
    this.last = -1;
    this.seekTo = position;
  }
}
