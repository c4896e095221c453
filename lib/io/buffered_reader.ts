// What File.Reader and Stream.Reader share: a buffer over a source that
// reads into caller-given slices, and the everyday calls on top — read,
// readExact, readAll, takeDelimiter, readLine. A subclass says how to read
// from its source (`readRaw`: 0 at the end).
import { asBytes, checkCount, type Bytes } from "./validate.ts";
import { IoError } from "./errors.ts";

/** What `FileReader` (`file.reader(io)`) and `StreamReader`
 * (`stream.reader(io)`) share: a buffer over their source, and `read`,
 * `readExact`, `readAll`, `takeDelimiter` and `readLine` on top. */
export abstract class BufferedReader {
  protected start = 0;
  protected end = 0;

  /** The reader's own buffer (any ArrayBufferView, as its bytes). */
  readonly buffer: Uint8Array;

  constructor(buffer: Bytes) {
    this.buffer = asBytes(buffer, "Reader buffer");
  }

  /** Reads from the source into `bufs`, in order; 0 at the end. */
  protected abstract readRaw(bufs: Uint8Array[]): number;

  /** Bytes buffered and not yet handed out. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** Reads into `dest`; returns how many bytes, 0 at the end. */
  read(into: Bytes): number {
    const dest = asBytes(into, "Destination");
    if (dest.length === 0) return 0;
    if (this.buffered === 0) {
      if (dest.length >= this.buffer.length) return this.readRaw([dest]);
      if (this.fill() === 0) return 0;
    }
    const n = Math.min(dest.length, this.buffered);
    dest.set(this.buffer.subarray(this.start, this.start + n));
    this.start += n;
    return n;
  }

  /** Exactly `n` bytes, or EndOfStream. */
  readExact(n: number): Uint8Array {
    checkCount(n, "Byte count");
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

  /** Everything to the end; StreamTooLong past `limit` bytes. */
  readAll(limit = 1 << 30): Uint8Array {
    checkCount(limit, "Limit");
    const chunks: Uint8Array[] = [];
    let total = 0;
    let chunk = new Uint8Array(Math.max(this.buffer.length, 16 * 1024));
    for (;;) {
      const n = this.read(chunk);
      if (n === 0) break;
      total += n;
      if (total > limit)
        throw new IoError("StreamTooLong", { message: `StreamTooLong: more than ${limit} bytes` });
      chunks.push(chunk.subarray(0, n));
      chunk = n === chunk.length ? new Uint8Array(chunk.length * 2) : chunk.subarray(n);
    }
    return concat(chunks, total);
  }

  /** Bytes up to (not including) `delimiter`, which is consumed; the last
   * piece without a delimiter; null at the end. */
  takeDelimiter(delimiter: number): Uint8Array | null {
    checkCount(delimiter, "Delimiter byte", 0, 255);
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      if (this.buffered === 0 && this.fill() === 0)
        return parts.length === 0 ? null : concat(parts, total);
      const window = this.buffer.subarray(this.start, this.end);
      const at = window.indexOf(delimiter);
      if (at >= 0) {
        parts.push(window.slice(0, at));
        total += at;
        this.start += at + 1;
        return concat(parts, total);
      }
      parts.push(window.slice());
      total += window.length;
      this.start = this.end;
    }
  }

  /** A line without its "\n" (or "\r\n"), decoded as UTF-8; null at the end. */
  readLine(): string | null {
    const bytes = this.takeDelimiter(0x0a);
    if (bytes === null) return null;
    const trimmed =
      bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, -1) : bytes;
    return new TextDecoder().decode(trimmed);
  }

  /** Refills the (empty) buffer; returns the bytes in it. */
  protected fill(): number {
    this.start = 0;
    this.end = 0;
    this.end = this.readRaw([this.buffer]);
    return this.end;
  }

  /** Drops what is buffered (after a seek). */
  protected discard(): void {
    this.start = this.end = 0;
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0].slice();
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
