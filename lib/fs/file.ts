// `Io.File`: a file descriptor and the calls on it, each forwarding to the
// Io's vtable (fileStat, fileClose, fileRead*/fileWrite*, fileSeek*), plus
// the everyday helpers built on them: readers, writers, whole-file reads,
// write-all loops, and a ReadableStream bridge.
import type { Io } from "../io/io.ts";
import { SHARED_REF, type SharedObject } from "../io/shared.ts";
import { closedTwice, usedAfterClose } from "../io/close_once.ts";
import { checkIo, checkLiveIo } from "../io/io_arg.ts";
import {
  cellForCrossing,
  closeCell,
  closedElsewhere,
  hasCell,
  withUse,
} from "../io/descriptor_cell.ts";
import { closeStandard, markStandard } from "../io/standard_descriptors.ts";
import type { OpenFlags, PathLike, Stat } from "./types.ts";
import { Dir } from "./dir.ts";
import { checkOpenFlags } from "./flags.ts";
import { FileReader, type ReaderMode } from "./reader.ts";
import { FileWriter, type WriterMode } from "./writer.ts";
import {
  asByteList,
  asBytes,
  checkCount,
  checkDelta,
  checkHandle,
  checkOffset,
  checkString,
  checkTransfer,
  type Bytes,
} from "../io/validate.ts";

/** A file offset or length: a number, or a bigint beyond 2^53. */
export type Offset = number | bigint;

/** `Io.File`: an open file descriptor and the calls on it: streaming and
 * positional reads and writes, seek, stat, close, and buffered
 * `reader` / `writer`. Errors are Zig's (`IoError` codes). Crosses to tasks
 * as the same descriptor. */
export class File implements SharedObject {
  constructor(readonly handle: number) {
    checkHandle(handle);
  }

  [SHARED_REF](): readonly ["file", number, number, number] {
    this.checkOpen();
    return ["file", this.handle, ...cellForCrossing(this, this.handle, "File")];
  }

  static stdin(): File {
    return standardFile(0);
  }
  static stdout(): File {
    return standardFile(1);
  }
  static stderr(): File {
    return standardFile(2);
  }

  /** Opens an absolute path (Zig: cwd().openFile). */
  static openAbsolute(io: Io, path: PathLike, flags: OpenFlags = {}): File {
    if (!(path instanceof Uint8Array)) checkString(path, "Path");
    if (path[0] !== "/" && path[0] !== 0x2f)
      throw new RangeError(
        `Path "${typeof path === "string" ? path : new TextDecoder().decode(path)}" is not absolute`,
      );
    checkOpenFlags(flags, "File.openAbsolute");
    return io.vtable.dirOpenFile(io.userdata, Dir.cwd(), path, flags);
  }

  /** The running executable (Linux: /proc/self/exe). */
  static openSelfExe(io: Io, flags: OpenFlags = {}): File {
    checkOpenFlags(flags, "File.openSelfExe");
    return io.vtable.openSelfExe(io.userdata, flags);
  }

  stat(io: Io): Stat {
    this.checkUse(io);
    return this.use(io, () => io.vtable.fileStat(io.userdata, this));
  }

  /** Set by close (io/close_once.ts). */
  private closed = false;

  /** `call` on the descriptor, as a use of its cell (descriptor_cell.ts). */
  private use<T>(io: Io, call: () => T): T {
    if (!hasCell(this)) return call();
    return withUse(
      this,
      () => usedAfterClose("File", this.handle, true),
      () => io.vtable.fileClose(io.userdata, this),
      call,
    );
  }

  /** checkOpen, and `io` an Io (a TypeError naming what came instead). */
  private checkUse(io: unknown): void {
    this.checkOpen();
    checkIo(io, "File");
  }

  private checkOpen(): void {
    if (this.closed) throw usedAfterClose("File", this.handle);
    if (closedElsewhere(this)) throw usedAfterClose("File", this.handle, true);
  }

  /** Closes the descriptor. Once: a second close through this object is a
   * BugError. Closing the descriptor again through another File over it
   * (`new File(fd)`, the one a task received) is a bug Zig's posix.close
   * also forbids: if the number was reused meanwhile, it closes another
   * file's descriptor. */
  close(io: Io): void {
    checkLiveIo(io, "File.close"); // before anything is marked closed
    if (this.closed) throw closedTwice("File", this.handle);
    if (closedElsewhere(this) || !closeStandard(this, this.handle))
      throw closedTwice("File", this.handle, true);
    this.closed = true;
    // Before close(2): the number may be reused at once. Lost to a close
    // through another object at the same time: that one closes it; with a
    // call through another object in flight, the last one does.
    const how = closeCell(this);
    if (how === "lost") throw closedTwice("File", this.handle, true);
    if (how === "now") io.vtable.fileClose(io.userdata, this);
  }

  /** Reads into `bufs` in order from the file's position; 0 at the end.
   * A buffer is any ArrayBufferView (its bytes, as node:fs takes them);
   * anything else is a TypeError. */
  readStreaming(io: Io, bufs: Bytes | readonly Bytes[]): number {
    this.checkUse(io);
    const list = asByteList(bufs, "Read buffer");
    return this.use(io, () => io.vtable.fileReadStreaming(io.userdata, this, list));
  }

  /** Reads at `offset` without moving the position. Errors include
   * Unseekable (a pipe, a socket): switch to readStreaming. */
  readPositional(io: Io, bufs: Bytes | readonly Bytes[], offset: Offset): number {
    this.checkUse(io);
    const list = asByteList(bufs, "Read buffer");
    checkTransfer(offset, list);
    return this.use(io, () => io.vtable.fileReadPositional(io.userdata, this, list, offset));
  }

  /** Writes from `bufs`, in order; returns the bytes written (maybe fewer). */
  writeStreaming(io: Io, bufs: Bytes | readonly Bytes[]): number {
    this.checkUse(io);
    const list = asByteList(bufs, "Write buffer");
    return this.use(io, () => io.vtable.fileWriteStreaming(io.userdata, this, list));
  }

  writePositional(io: Io, bufs: Bytes | readonly Bytes[], offset: Offset): number {
    this.checkUse(io);
    const list = asByteList(bufs, "Write buffer");
    checkTransfer(offset, list);
    return this.use(io, () => io.vtable.fileWritePositional(io.userdata, this, list, offset));
  }

  /** Writes every byte, looping over short writes. On failure the error
   * carries `bytesWritten`, the count that did reach the file. */
  writeAll(io: Io, bytes: Bytes): void {
    this.checkUse(io);
    const all = asBytes(bytes, "Bytes");
    this.use(io, () =>
      writeAllWith(all, (chunk) => io.vtable.fileWriteStreaming(io.userdata, this, [chunk])),
    );
  }

  writeAllPositional(io: Io, bytes: Bytes, offset: Offset): void {
    this.checkUse(io);
    const all = asBytes(bytes, "Bytes");
    checkTransfer(offset, [all]);
    const base = BigInt(offset);
    writeAllWith(all, (chunk, done) => this.writePositional(io, chunk, base + BigInt(done)));
  }

  seekTo(io: Io, offset: Offset): void {
    this.checkUse(io);
    checkOffset(offset);
    this.use(io, () => io.vtable.fileSeekTo(io.userdata, this, offset));
  }

  seekBy(io: Io, offset: Offset): void {
    this.checkUse(io);
    checkDelta(offset);
    this.use(io, () => io.vtable.fileSeekBy(io.userdata, this, offset));
  }

  /** A File.Reader: positional by default, falling back to streaming when
   * the file turns out to be unseekable. */
  reader(
    io: Io,
    buffer: Bytes = new Uint8Array(4096),
    mode: ReaderMode = "positional",
  ): FileReader {
    return new FileReader(io, this, buffer, mode);
  }

  readerStreaming(io: Io, buffer: Bytes = new Uint8Array(4096)): FileReader {
    return new FileReader(io, this, buffer, "streaming");
  }

  writer(io: Io, buffer: Bytes = new Uint8Array(4096), mode: WriterMode = "streaming"): FileWriter {
    return new FileWriter(io, this, buffer, mode);
  }

  /** The rest of the file as a ReadableStream of chunks, read on the
   * calling thread (`for await (const chunk of file.readableStream(io))`). */
  readableStream(io: Io, chunkBytes = 64 * 1024): ReadableStream<Uint8Array> {
    checkCount(chunkBytes, "Chunk size", 1);
    const reader = this.readerStreaming(io, new Uint8Array(0));
    return new ReadableStream<Uint8Array>({
      pull: (controller) => {
        const chunk = new Uint8Array(chunkBytes);
        const n = reader.read(chunk);
        if (n === 0) controller.close();
        else controller.enqueue(chunk.subarray(0, n));
      },
    });
  }
}

/** Loops `write` until all of `bytes` is written or it throws; a thrown
 * error gets `bytesWritten`. A write of 0 bytes is retried (it only
 * happens for an empty request). */
export function writeAllWith(
  bytes: Uint8Array,
  write: (chunk: Uint8Array, done: number) => number,
): void {
  let done = 0;
  while (done < bytes.length) {
    try {
      done += write(bytes.subarray(done), done);
    } catch (e) {
      if (e !== null && typeof e === "object") Object.assign(e, { bytesWritten: done });
      throw e;
    }
  }
}

/** A standard stream's File: no descriptor cell (descriptor_cell.ts). */
function standardFile(fd: number): File {
  const f = new File(fd);
  markStandard(f);
  return f;
}
