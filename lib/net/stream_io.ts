// Stream.Reader and Stream.Writer: buffered reading (lines, exact counts,
// everything) and writing (write, writeAll, splat, flush) over a socket.
// A vtable error is kept in `err` and rethrown, as Zig keeps it for
// ReadFailed / WriteFailed.
import { IoError } from "../io/errors.ts";
import type { Io } from "../io/io.ts";
import type { Stream } from "./socket.ts";

export class StreamReader {
  err: unknown = null;
  private start = 0;
  private end = 0;

  constructor(
    readonly io: Io,
    readonly stream: Stream,
    readonly buffer: Uint8Array,
  ) {}

  get buffered(): number {
    return this.end - this.start;
  }

  private fill(): number {
    this.start = 0;
    try {
      this.end = this.stream.read(this.io, this.buffer);
    } catch (e) {
      this.err = e;
      this.end = 0;
      throw e;
    }
    return this.end;
  }

  /** Reads into `dest`; 0 at the end of the stream. */
  read(dest: Uint8Array): number {
    if (dest.length === 0) return 0;
    if (this.buffered === 0) {
      if (dest.length >= this.buffer.length) {
        try {
          return this.stream.read(this.io, dest);
        } catch (e) {
          this.err = e;
          throw e;
        }
      }
      if (this.fill() === 0) return 0;
    }
    const n = Math.min(dest.length, this.buffered);
    dest.set(this.buffer.subarray(this.start, this.start + n));
    this.start += n;
    return n;
  }

  /** Exactly `n` bytes, or EndOfStream. */
  readExact(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const k = this.read(out.subarray(got));
      if (k === 0)
        throw new IoError("EndOfStream", { message: `EndOfStream: wanted ${n} bytes, got ${got}` });
      got += k;
    }
    return out;
  }

  /** Everything until the peer closes. */
  readAll(limit = 1 << 30): Uint8Array {
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(Math.max(4096, this.buffer.length));
      const n = this.read(chunk);
      if (n === 0) break;
      total += n;
      if (total > limit)
        throw new IoError("StreamTooLong", { message: `StreamTooLong: more than ${limit} bytes` });
      parts.push(chunk.subarray(0, n));
    }
    return Buffer.concat(parts, total);
  }

  /** A line without "\n" / "\r\n", as UTF-8; null at the end of the stream. */
  readLine(): string | null {
    const parts: Uint8Array[] = [];
    for (;;) {
      if (this.buffered === 0 && this.fill() === 0) {
        return parts.length === 0 ? null : decode(Buffer.concat(parts));
      }
      const window = this.buffer.subarray(this.start, this.end);
      const at = window.indexOf(0x0a);
      if (at >= 0) {
        parts.push(window.slice(0, at));
        this.start += at + 1;
        return decode(Buffer.concat(parts));
      }
      parts.push(window.slice());
      this.start = this.end;
    }
  }
}

function decode(bytes: Uint8Array): string {
  const end =
    bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

const encoder = new TextEncoder();

export class StreamWriter {
  err: unknown = null;
  private end = 0;

  constructor(
    readonly io: Io,
    readonly stream: Stream,
    readonly buffer: Uint8Array,
  ) {}

  get buffered(): number {
    return this.end;
  }

  /** The interface's drain: one netWrite of the buffered bytes as header and
   * `data` with `splat`; returns how many *data* bytes went out. */
  drain(data: readonly Uint8Array[], splat: number): number {
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

  write(bytes: Uint8Array): number {
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

  writeAll(bytes: Uint8Array): void {
    this.write(bytes);
  }

  writeString(text: string): void {
    this.write(encoder.encode(text));
  }

  /** `pattern` repeated `count` times, through the splat path. */
  splatBytes(pattern: Uint8Array, count: number): void {
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
