// Stream.Reader and Stream.Writer: buffered reading (lines, exact counts,
// everything) and writing (write, writeAll, splat, flush) over a socket.
// A vtable error is kept in `err` and rethrown, as Zig keeps it for
// ReadFailed / WriteFailed.
import type { Io } from "../io/io.ts";
import { BufferedReader } from "../io/buffered_reader.ts";
import type { Stream } from "./socket.ts";
import { asBytes, checkCount, checkString, type Bytes } from "../io/validate.ts";

/** `Stream.Reader`: buffered reads from a `Stream` (`stream.reader(io)`): lines, exact byte counts, everything until the peer closes. */
export class StreamReader extends BufferedReader {
  /** The error the last read failed with (Zig keeps it for ReadFailed). */
  err: unknown = null;

  constructor(
    readonly io: Io,
    readonly stream: Stream,
    buffer: Bytes,
  ) {
    super(buffer);
  }

  protected readRaw(bufs: Uint8Array[]): number {
    try {
      return this.stream.read(this.io, bufs);
    } catch (e) {
      this.err = e;
      throw e;
    }
  }
}

const encoder = new TextEncoder();

/** `Stream.Writer`: buffered writes to a `Stream` (`stream.writer(io)`); `flush()` sends what is buffered. */
export class StreamWriter {
  err: unknown = null;
  private end = 0;
  /** The writer's own buffer (any ArrayBufferView, as its bytes). */
  readonly buffer: Uint8Array;

  constructor(
    readonly io: Io,
    readonly stream: Stream,
    buffer: Bytes,
  ) {
    this.buffer = asBytes(buffer, "Writer buffer");
  }

  get buffered(): number {
    return this.end;
  }

  /** The interface's drain: one netWrite of the buffered bytes as header and
   * `data` with `splat`; returns how many *data* bytes went out. */
  drain(data: readonly Bytes[], splat: number): number {
    let n: number;
    try {
      n = this.stream.write(this.io, this.buffer.subarray(0, this.end), data, splat);
    } catch (e) {
      this.err = e;
      throw e;
    }
    if (n < this.end) {
      this.buffer.copyWithin(0, n, this.end);
      this.end -= n;
      return 0;
    }
    const fromData = n - this.end;
    this.end = 0;
    return fromData;
  }

  write(data: Bytes): number {
    const bytes = asBytes(data, "Bytes");
    if (bytes.length <= this.buffer.length - this.end) {
      this.buffer.set(bytes, this.end);
      this.end += bytes.length;
      return bytes.length;
    }
    let rest = bytes;
    while (rest.length > 0 && (this.end > 0 || rest.length > this.buffer.length)) {
      rest = rest.subarray(this.drain([rest], 1));
    }
    this.buffer.set(rest, this.end);
    this.end += rest.length;
    return bytes.length;
  }

  writeAll(bytes: Bytes): void {
    this.write(bytes);
  }

  writeString(text: string): void {
    checkString(text, "Text");
    this.write(encoder.encode(text));
  }

  /** `pattern` repeated `count` times, through the splat path. */
  splatBytes(bytes: Bytes, count: number): void {
    const pattern = asBytes(bytes, "Pattern");
    checkCount(count, "Splat count");
    let left = count * pattern.length;
    while (left > 0) {
      if (pattern.length === 1 || left % pattern.length === 0) {
        const done = this.drain([pattern], Math.ceil(left / pattern.length));
        left -= done;
      } else {
        left -= this.drain([pattern.subarray(pattern.length - (left % pattern.length))], 1);
      }
    }
  }

  flush(): void {
    while (this.end > 0) this.drain([new Uint8Array(0)], 0);
  }
}
