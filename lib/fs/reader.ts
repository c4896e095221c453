// `File.Reader`: buffered reads from a File, positional (explicit offsets,
// the default) or streaming (the fd's own position). A positional reader on
// a file that turns out to be unseekable (a pipe, a terminal) switches to
// streaming, as Zig's does: if it had already advanced, it seeks the fd by
// that much first, and if that fails the reader is in "failure" mode.
import { IoError } from "../io/errors.ts";
import type { Io } from "../io/io.ts";
import type { File } from "./file.ts";

export type ReaderMode = "positional" | "streaming" | "failure";

export class FileReader {
  /** The true offset in the file: what has been read from it so far. */
  pos = 0n;
  /** Known once a read returned 0 (end of file) or getSize succeeded. */
  size: bigint | undefined;
  private start = 0;
  private end = 0;

  constructor(
    readonly io: Io,
    readonly file: File,
    readonly buffer: Uint8Array,
    public mode: ReaderMode,
  ) {}

  /** Bytes buffered and not yet handed out. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** The position of the next byte a caller will get. */
  logicalPos(): bigint {
    return this.pos - BigInt(this.buffered);
  }

  /** File size by stat; a non-regular file switches the reader to
   * streaming and reports Streaming. */
  getSize(): bigint {
    const st = this.file.stat(this.io);
    if (st.kind !== "file") {
      if (this.mode === "positional") this.mode = "streaming";
      throw new IoError("Streaming", { message: `Streaming: a ${st.kind} has no size` });
    }
    this.size = st.size;
    return st.size;
  }

  /** Reads into `dest`; returns how many bytes, 0 at the end. */
  read(dest: Uint8Array): number {
    if (dest.length === 0) return 0;
    if (this.buffered > 0) return this.takeBuffered(dest);
    if (dest.length >= this.buffer.length) return this.readRaw([dest]);
    this.start = 0;
    this.end = this.readRaw([this.buffer]);
    return this.takeBuffered(dest);
  }

  /** Reads until the end; throws StreamTooLong past `limit` bytes. */
  readAll(limit = 1 << 30): Uint8Array {
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
      if (n === chunk.length) chunk = new Uint8Array(chunk.length * 2);
      else chunk = chunk.subarray(n);
    }
    return concat(chunks, total);
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

  /** Bytes up to (not including) `delimiter`, which is consumed; the last
   * piece without a delimiter; null at the end. */
  takeDelimiter(delimiter: number): Uint8Array | null {
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      if (this.buffered === 0) {
        this.start = 0;
        this.end = this.readRaw([this.buffer]);
        if (this.end === 0) return total === 0 && parts.length === 0 ? null : concat(parts, total);
      }
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

  seekTo(offset: bigint | number): void {
    const to = BigInt(offset);
    if (this.mode === "positional") {
      this.pos = to;
    } else {
      this.file.seekTo(this.io, to);
      this.pos = to;
    }
    this.start = this.end = 0;
  }

  seekBy(delta: bigint | number): void {
    this.seekTo(this.logicalPos() + BigInt(delta));
  }

  private takeBuffered(dest: Uint8Array): number {
    const n = Math.min(dest.length, this.buffered);
    dest.set(this.buffer.subarray(this.start, this.start + n));
    this.start += n;
    return n;
  }

  private readRaw(bufs: Uint8Array[]): number {
    for (;;) {
      switch (this.mode) {
        case "failure":
          throw new IoError("Unseekable", {
            message: "Unseekable: the reader could not switch to streaming",
          });
        case "streaming": {
          const n = this.file.readStreaming(this.io, bufs);
          return this.advance(n);
        }
        case "positional":
          try {
            return this.advance(this.file.readPositional(this.io, bufs, this.pos));
          } catch (e) {
            if (!IoError.is(e, "Unseekable")) throw e;
            this.toStreaming();
          }
      }
    }
  }

  private toStreaming(): void {
    this.mode = "streaming";
    if (this.pos === 0n) return;
    const skip = this.pos;
    this.pos = 0n;
    try {
      this.file.seekBy(this.io, skip);
      this.pos = skip;
    } catch (e) {
      this.mode = "failure";
      throw e;
    }
  }

  private advance(n: number): number {
    this.pos += BigInt(n);
    if (n === 0) this.size = this.pos;
    return n;
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
