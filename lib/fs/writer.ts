// `File.Writer`: buffered writes to a File, streaming (the fd's position,
// the default) or positional (from `pos`, without moving the fd). Short
// writes are continued; `flush` empties the buffer. A failed write keeps
// what was not written of the buffer in the buffer and throws with
// `bytesWritten`, as File.writeAll does: how many of the bytes this call
// was given reached the file (for `flush`, of the buffered bytes). The
// rest of the data given to `write` is neither written nor buffered.
import type { Io } from "../io/io.ts";
import type { File } from "./file.ts";
import { checkOneOf } from "../io/check_options.ts";
import { asBytes, checkString, type Bytes } from "../io/validate.ts";

/** How a `FileWriter` writes: at the descriptor's position, or from its own offset. */
export type WriterMode = "streaming" | "positional";

const WRITER_MODES: readonly WriterMode[] = ["streaming", "positional"];

const encoder = new TextEncoder();

/** `File.Writer`: buffered writes to a `File` (`file.writer(io)`); call
 * `flush()` to write out what is buffered. */
export class FileWriter {
  /** Where the next byte goes in positional mode; bytes written so far in
   * streaming mode. */
  pos = 0n;
  private end = 0;
  /** The writer's own buffer (any ArrayBufferView, as its bytes). */
  readonly buffer: Uint8Array;

  constructor(
    readonly io: Io,
    readonly file: File,
    buffer: Bytes,
    readonly mode: WriterMode,
  ) {
    this.buffer = asBytes(buffer, "Writer buffer");
    checkOneOf(mode, "Writer mode", WRITER_MODES);
  }

  get buffered(): number {
    return this.end;
  }

  /** Accepts all of `bytes` (buffering what fits, writing the rest). On
   * failure the error carries `bytesWritten`: how many of `bytes` reached
   * the file (none of the rest is buffered). */
  write(data: Bytes): number {
    const bytes = asBytes(data, "Bytes");
    if (bytes.length <= this.buffer.length - this.end) {
      this.buffer.set(bytes, this.end);
      this.end += bytes.length;
      return bytes.length;
    }
    // Buffer and data go out in one vectored write where possible.
    let rest = bytes;
    try {
      while (this.end > 0 || rest.length > this.buffer.length) {
        const n = this.send(this.end > 0 ? [this.buffer.subarray(0, this.end), rest] : [rest]);
        const fromBuffer = Math.min(n, this.end);
        this.consume(fromBuffer);
        rest = rest.subarray(n - fromBuffer);
        if (this.end === 0 && rest.length <= this.buffer.length) break;
      }
    } catch (e) {
      throw withBytesWritten(e, bytes.length - rest.length);
    }
    this.buffer.set(rest, 0);
    this.end = rest.length;
    return bytes.length;
  }

  writeAll(bytes: Bytes): void {
    this.write(bytes);
  }

  writeString(text: string): void {
    checkString(text, "Text");
    this.write(encoder.encode(text));
  }

  /** Writes out everything buffered. On failure the error carries
   * `bytesWritten`, and what was not written stays buffered. */
  flush(): void {
    const before = this.end;
    try {
      while (this.end > 0) this.consume(this.send([this.buffer.subarray(0, this.end)]));
    } catch (e) {
      throw withBytesWritten(e, before - this.end);
    }
  }

  private consume(n: number): void {
    if (n === 0) return;
    this.buffer.copyWithin(0, n, this.end);
    this.end -= n;
  }

  private send(bufs: Uint8Array[]): number {
    const n =
      this.mode === "positional"
        ? this.file.writePositional(this.io, bufs, this.pos)
        : this.file.writeStreaming(this.io, bufs);
    this.pos += BigInt(n);
    return n;
  }
}

function withBytesWritten(e: unknown, bytesWritten: number): unknown {
  if (e !== null && typeof e === "object") Object.assign(e, { bytesWritten });
  return e;
}
