// `Io.Dir`: a directory descriptor (or the cwd) and the calls on it, each
// forwarding to the Io's vtable, plus makePath by the interface's algorithm
// and the whole-file helpers readFile / writeFile.
import { BugError, IoError } from "../io/errors.ts";
import type { Io } from "../io/io.ts";
import { SHARED_REF, type SharedObject } from "../io/shared.ts";
import { closedTwice, isDirClosed, markDirClosed, usedAfterClose } from "../io/close_once.ts";
import {
  cellForCrossing,
  closeCell,
  closedElsewhere,
  hasCell,
  withUse,
} from "../io/descriptor_cell.ts";
import { checkIo, checkLiveIo } from "../io/io_arg.ts";
import type { File } from "./file.ts";
import { asBytes, checkCount, checkHandle, checkString, type Bytes } from "../io/validate.ts";
import { checkOptions, optionNames } from "../io/check_options.ts";
import { DirIterator, type IterateOptions } from "./dir_iterator.ts";
import {
  checkAccessOptions,
  checkCreateFlags,
  checkDirOpenOptions,
  checkOpenFlags,
  checkStatPathOptions,
} from "./flags.ts";
import { Walker, type WalkOptions } from "./walker.ts";
import {
  defaultDirMode,
  type AccessOptions,
  type CreateFlags,
  type DirOpenOptions,
  type OpenFlags,
  type PathLike,
  type Stat,
  type StatPathOptions,
} from "./types.ts";

/** The handle `Dir.cwd()` stands for; the vtable maps it to AT_FDCWD. */
export const CWD_HANDLE = -100_000;

/** What `Dir.makePathStatus` found at the path: already there, or made. */
export type MakePathStatus = "existed" | "created";

/** `Io.Dir`: a directory descriptor (or `Dir.cwd()`), and the calls that take
 * a path relative to it: open and create files, make and open directories
 * (`makePath` included), stat, access, and read or write whole files. Crosses to tasks as the same descriptor.
 * A path is a string, or its bytes (`PathLike`) for a name that is not UTF-8
 * (`DirEntry.nameBytes`). */
export class Dir implements SharedObject {
  constructor(readonly handle: number) {
    if (handle !== CWD_HANDLE) checkHandle(handle);
  }

  [SHARED_REF](): readonly ["dir", number, number, number] {
    this.checkOpen();
    return ["dir", this.handle, ...cellForCrossing(this, this.handle, "Dir")];
  }

  /** The process's working directory. Not to be closed. */
  static cwd(): Dir {
    return new Dir(CWD_HANDLE);
  }

  openFile(io: Io, path: PathLike, flags: OpenFlags = {}): File {
    this.checkUse(io);
    checkOpenFlags(flags, "openFile");
    return this.use(io, () => io.vtable.dirOpenFile(io.userdata, this, path, flags));
  }

  createFile(io: Io, path: PathLike, flags: CreateFlags = {}): File {
    this.checkUse(io);
    checkCreateFlags(flags, "createFile");
    return this.use(io, () => io.vtable.dirCreateFile(io.userdata, this, path, flags));
  }

  makeDir(io: Io, path: PathLike, mode = defaultDirMode): void {
    this.checkUse(io);
    checkCount(mode, "Mode", 0, 0o7777);
    this.use(io, () => io.vtable.dirMake(io.userdata, this, path, mode));
  }

  /** Creates `path` and any missing parents; fine if it exists as a dir. */
  makePath(io: Io, path: PathLike): void {
    this.checkUse(io);
    makePathStatus(io, this, path);
  }

  /** As makePath, saying whether anything was created. */
  makePathStatus(io: Io, path: PathLike): MakePathStatus {
    this.checkUse(io);
    return makePathStatus(io, this, path);
  }

  makeOpenPath(io: Io, path: PathLike, options: DirOpenOptions = {}): Dir {
    this.checkUse(io);
    checkDirOpenOptions(options, "makeOpenPath");
    return this.use(io, () => io.vtable.dirMakeOpenPath(io.userdata, this, path, options));
  }

  openDir(io: Io, path: PathLike, options: DirOpenOptions = {}): Dir {
    this.checkUse(io);
    checkDirOpenOptions(options, "openDir");
    return this.use(io, () => io.vtable.dirOpenDir(io.userdata, this, path, options));
  }

  /** Stats `path` relative to this directory (an absolute path ignores it). */
  statPath(io: Io, path: PathLike, options: StatPathOptions = {}): Stat {
    this.checkUse(io);
    checkStatPathOptions(options);
    return this.use(io, () => io.vtable.dirStatPath(io.userdata, this, path, options));
  }

  stat(io: Io): Stat {
    this.checkUse(io);
    return this.use(io, () => io.vtable.dirStat(io.userdata, this));
  }

  access(io: Io, path: PathLike, options: AccessOptions = {}): void {
    this.checkUse(io);
    checkAccessOptions(options);
    this.use(io, () => io.vtable.dirAccess(io.userdata, this, path, options));
  }

  /** The entries of this directory (opened with `iterate: true`), from the
   * first: `for (const e of dir.iterate(io))` or `it.next()` until null. */
  iterate(io: Io, options: IterateOptions = {}): DirIterator {
    this.checkUse(io);
    if (this.handle === CWD_HANDLE)
      throw new RangeError('Dir.cwd() cannot be iterated: open "." with { iterate: true }');
    return new DirIterator(io, this, options);
  }

  /** Every entry below this directory (opened with `iterate: true`), depth
   * first. Close it with `deinit()` (or `using`, or finish a for-of loop). */
  walk(io: Io, options: WalkOptions = {}): Walker {
    this.checkUse(io);
    if (this.handle === CWD_HANDLE)
      throw new RangeError('Dir.cwd() cannot be walked: open "." with { iterate: true }');
    return new Walker(io, this, options);
  }

  /** `call` on the descriptor, as a use of its cell (descriptor_cell.ts). */
  private use<T>(io: Io, call: () => T): T {
    return useDir(this, io, call);
  }

  /** checkOpen, and `io` an Io (a TypeError naming what came instead). */
  private checkUse(io: unknown): void {
    this.checkOpen();
    checkIo(io, "Dir");
  }

  private checkOpen(): void {
    if (isDirClosed(this)) throw usedAfterClose("Dir", this.handle);
    if (closedElsewhere(this)) throw usedAfterClose("Dir", this.handle, true);
  }

  /** Closes the descriptor. Once: a second close through this object is a
   * BugError, and closing it again through another Dir over it is a bug
   * Zig also forbids (if the number was reused, it closes another
   * descriptor). */
  close(io: Io): void {
    // Zig's `Dir.close` on `cwd()` closes AT_FDCWD: EBADF, which it treats
    // as unreachable (a programmer bug), as this does.
    if (this.handle === CWD_HANDLE)
      throw new BugError("Dir.cwd() cannot be closed: it is not a descriptor the program opened");
    checkLiveIo(io, "Dir.close"); // before anything is marked closed
    if (isDirClosed(this)) throw closedTwice("Dir", this.handle);
    if (closedElsewhere(this)) throw closedTwice("Dir", this.handle, true);
    markDirClosed(this);
    // Before close(2): the number may be reused at once. Lost to a close
    // through another object at the same time: that one closes it; with a
    // call through another object in flight, the last one does.
    const how = closeCell(this);
    if (how === "lost") throw closedTwice("Dir", this.handle, true);
    if (how === "now") io.vtable.dirClose(io.userdata, this);
  }

  /** Reads `path` into `buffer`; returns the part filled. A full buffer is
   * ambiguous (the file may be longer), as in Zig. */
  readFile(io: Io, path: PathLike, into: Bytes): Uint8Array {
    this.checkUse(io);
    const buffer = asBytes(into, "Buffer");
    const start = this.use(io, () => io.vtable.dirReadFileStart(io.userdata, this, path, buffer));
    if (typeof start === "number") return buffer.subarray(0, start);
    const { file } = start;
    try {
      let n = start.read;
      while (n < buffer.length) {
        const got = file.readStreaming(io, buffer.subarray(n));
        if (got === 0) break;
        n += got;
      }
      return buffer.subarray(0, n);
    } catch (e) {
      throw withPath(e, path);
    } finally {
      file.close(io);
    }
  }

  /** Reads the whole of `path` (to the end: a read that returns 0);
   * StreamTooLong past `limit` bytes. */
  readFileAlloc(io: Io, path: PathLike, limit = 1 << 30): Uint8Array {
    this.checkUse(io);
    checkCount(limit, "Limit");
    const buf = (scratch ??= new Uint8Array(SCRATCH_BYTES));
    const start = this.use(io, () => io.vtable.dirReadFileStart(io.userdata, this, path, buf));
    if (typeof start === "number") {
      if (start > limit) throw tooLong(limit);
      return buf.slice(0, start);
    }
    try {
      return readRest(io, start.file, buf, start.read, limit);
    } catch (e) {
      throw withPath(e, path);
    } finally {
      start.file.close(io);
    }
  }

  /** Creates (or truncates) `subPath`, writes `data`, closes it. */
  writeFile(io: Io, options: { subPath: string; data: string | Bytes; flags?: CreateFlags }): void {
    this.checkUse(io);
    if (options === undefined)
      throw new TypeError("writeFile takes { subPath, data }, not undefined");
    checkOptions(options, "writeFile", WRITE_FILE_OPTION_NAMES);
    const bytes =
      typeof options.data === "string"
        ? new TextEncoder().encode(options.data)
        : asBytes(options.data, "Data");
    const file = this.createFile(io, options.subPath, options.flags);
    try {
      file.writeAll(io, bytes);
    } finally {
      file.close(io);
    }
  }
}

const WRITE_FILE_OPTION_NAMES = optionNames<Parameters<Dir["writeFile"]>[1]>({
  subPath: true,
  data: true,
  flags: true,
});

/** Per-thread scratch for whole-file reads: most files fit in one read. */
const SCRATCH_BYTES = 64 * 1024;
let scratch: Uint8Array | undefined;

/**
 * The rest of a whole-file read whose first `n` bytes are in `buf` (the
 * thread's scratch). Profiled against readFileSync (docs/ARCHITECTURE.md):
 * a small file never gets here — it was read, to its end, in one crossing
 * into the shim and is copied out at its exact length (no stat, no growth).
 * A file that fills the scratch is stat'ed once and the rest read straight
 * into a buffer of its size; one that was interrupted carries on here.
 */
/** A read error of a whole-file read, with the path it was reading: the
 * reads after the open go through the File, which has no path, and
 * "IsDir: read failed (EISDIR)" alone does not say which file it was.
 * Only a plain IoError with no path is rebuilt (Canceled stays as it is). */
function withPath(e: unknown, path: PathLike): unknown {
  if (!(e instanceof IoError) || e.constructor !== IoError || e.path !== undefined) return e;
  return new IoError(e.code, {
    ...(e.errno !== undefined && { errno: e.errno }),
    ...(e.syscall !== undefined && { syscall: e.syscall }),
    path: typeof path === "string" ? path : Buffer.from(path).toString(),
    cause: e.cause,
  });
}

function readRest(io: Io, file: File, buf: Uint8Array, n: number, limit: number): Uint8Array {
  while (n < buf.length) {
    const got = file.readStreaming(io, buf.subarray(n));
    if (got === 0) {
      if (n > limit) throw tooLong(limit);
      return buf.slice(0, n);
    }
    n += got;
  }
  if (n > limit) throw tooLong(limit);
  // Larger than the scratch: one byte more than its size, so the read that
  // finds the end needs no growth.
  const size = Number(file.stat(io).size);
  // Not zero-filled: every byte up to `n` is read into, the rest cleared.
  let out: Uint8Array = Buffer.allocUnsafeSlow(Math.min(Math.max(size, n) + 1, limit + 1));
  out.set(buf.subarray(0, n));
  for (;;) {
    if (n > limit) throw tooLong(limit);
    if (n === out.length) {
      // The file grew: double, within the limit.
      const grown = Buffer.allocUnsafeSlow(Math.min(out.length * 2, limit + 1));
      grown.set(out);
      out = grown;
    }
    const got = file.readStreaming(io, out.subarray(n));
    if (got === 0) return out.fill(0, n).subarray(0, n);
    n += got;
  }
}

function tooLong(limit: number): IoError<"StreamTooLong"> {
  return new IoError("StreamTooLong", { message: `StreamTooLong: more than ${limit} bytes` });
}

/** Prefix paths of each component: "a/b/c" → ["a", "a/b", "a/b/c"],
 * "/x/y/" → ["/x", "/x/y"]; bytes (a name that is not UTF-8) the same way,
 * split at each "/" byte. */
export function pathPrefixes(path: PathLike): PathLike[] {
  if (path instanceof Uint8Array) return bytePrefixes(path);
  checkString(path, "Path");
  const absolute = path.startsWith("/");
  const parts = path.split("/").filter((p) => p.length > 0);
  const out: string[] = [];
  let acc = absolute ? "" : ".";
  for (const p of parts) {
    acc = acc === "." ? p : `${acc}/${p}`;
    out.push(acc);
  }
  return out;
}

const SLASH = 0x2f;

function bytePrefixes(path: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const acc: number[] = [];
  let i = 0;
  if (path[0] === SLASH) acc.push(SLASH);
  while (i < path.length) {
    while (i < path.length && path[i] === SLASH) i++;
    if (i === path.length) break;
    const start = i;
    while (i < path.length && path[i] !== SLASH) i++;
    if (acc.length > 0 && acc[acc.length - 1] !== SLASH) acc.push(SLASH);
    for (let j = start; j < i; j++) acc.push(path[j]);
    out.push(Uint8Array.from(acc));
  }
  return out;
}

/** A path for a message: bytes decoded (U+FFFD for what is not UTF-8). */
function shown(path: PathLike): string {
  return typeof path === "string" ? path : new TextDecoder().decode(path);
}

/** The interface's makePath: try the whole path first, step back on
 * FileNotFound, then forward; an existing component must be a directory. A
 * component made by someone else meanwhile counts as existing. Each
 * directory made gets `mode` (the vtable's dirMakePath passes its own).
 *
 * Zig's loop can cycle forever: on "/proc/x/y", mkdir "/proc/x" fails with
 * FileNotFound although "/proc" exists (procfs creates nothing), so it steps
 * back to "/proc", finds it, steps forward again, and so on at 100% CPU.
 * Here FileNotFound for a component whose parent is known to exist is the
 * answer: that mkdir error is thrown. */
export function makePathStatus(
  io: Io,
  dir: Dir,
  path: PathLike,
  mode: number = defaultDirMode,
): MakePathStatus {
  const prefixes = pathPrefixes(path);
  if (prefixes.length === 0)
    throw new IoError("BadPathName", {
      message: `BadPathName: "${shown(path)}" has no component to make`,
      path: shown(path),
    });
  let i = prefixes.length - 1;
  /** The deepest component known to exist as a directory (-1: none yet). */
  let known = -1;
  let status: MakePathStatus = "existed";
  for (;;) {
    try {
      dir.makeDir(io, prefixes[i], mode);
      status = "created";
    } catch (e) {
      if (IoError.is(e, "PathAlreadyExists")) {
        let isDir: boolean;
        try {
          isDir = dir.statPath(io, prefixes[i]).kind === "directory";
        } catch (se) {
          if (!IoError.is(se, "IsDir")) throw se;
          isDir = true;
        }
        if (!isDir)
          throw new IoError("NotDir", {
            message: `NotDir: "${shown(prefixes[i])}" exists and is not a directory`,
            path: shown(prefixes[i]),
          });
      } else if (IoError.is(e, "FileNotFound")) {
        if (i === 0 || known === i - 1) throw e;
        i--;
        continue;
      } else {
        throw e;
      }
    }
    if (i === prefixes.length - 1) return status;
    known = i;
    i++;
  }
}

/** A call on `dir`'s descriptor as a use of its cell (descriptor_cell.ts). */
function useDir<T>(dir: Dir, io: Io, call: () => T): T {
  if (!hasCell(dir)) return call();
  return withUse(
    dir,
    () => usedAfterClose("Dir", dir.handle, true),
    () => io.vtable.dirClose(io.userdata, dir),
    call,
  );
}
