// `File.Reader`: buffered reads from a File, positional (explicit offsets,
// the default) or streaming (the fd's own position). A positional reader on
// a file that turns out to be unseekable (a pipe, a terminal) switches to
// streaming, as Zig's does: if it had already advanced, it seeks the fd by
// that much first, and if that fails the reader is in "failure" mode.
import { IoError } from "../io/errors.ts";
import type { Io } from "../io/io.ts";
import { BufferedReader } from "../io/buffered_reader.ts";
import type { File } from "./file.ts";
import { checkOneOf } from "../io/check_options.ts";
import { checkDelta, checkOffset, type Bytes } from "../io/validate.ts";

/** How a `FileReader` reads: at explicit offsets, from the descriptor's position, or failed (an unseekable file it could not switch over). */
export type ReaderMode = "positional" | "streaming" | "failure";

const READER_MODES: readonly ReaderMode[] = ["positional", "streaming", "failure"];

/** `File.Reader`: buffered reads from a `File` (`file.reader(io)`): lines,
 * exact byte counts, everything. Positional by default; switches to
 * streaming on a pipe or terminal, as Zig's does. */
export class FileReader extends BufferedReader {
  /** The true offset in the file: what has been read from it so far. */
  pos = 0n;
  /** Known once a read returned 0 (end of file) or getSize succeeded. */
  size: bigint | undefined;

  constructor(
    readonly io: Io,
    readonly file: File,
    buffer: Bytes,
    public mode: ReaderMode,
  ) {
    super(buffer);
    // An unknown mode matched no case of readRaw's switch, which then
    // looped forever.
    checkOneOf(mode, "Reader mode", READER_MODES);
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

  seekTo(offset: bigint | number): void {
    checkOffset(offset);
    const to = BigInt(offset);
    if (this.mode !== "positional") this.file.seekTo(this.io, to);
    this.pos = to;
    this.discard();
  }

  seekBy(delta: bigint | number): void {
    checkDelta(delta);
    this.seekTo(this.logicalPos() + BigInt(delta));
  }

  protected readRaw(bufs: Uint8Array[]): number {
    for (;;) {
      switch (this.mode) {
        case "failure":
          throw new IoError("Unseekable", {
            message: "Unseekable: the reader could not switch to streaming",
          });
        case "streaming":
          return this.advance(this.file.readStreaming(this.io, bufs));
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
