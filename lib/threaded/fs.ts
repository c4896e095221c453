// The vtable's file-system entries for POSIX (Linux tested): Zig's
// dirMake, dirStatPath, fileStat, dirAccess, dirCreateFile, dirOpenFile,
// dirOpenDir, dirClose, fileClose, fileReadStreaming, fileReadPositional,
// fileSeekTo and openSelfExe, and what it leaves as TODO: dirMakePath,
// dirStat, fileSeekBy, fileWriteStreaming, fileWritePositional. Each
// syscall goes through `syscall()` with its table from fs_errors.ts.
import { Timestamp } from "../io/time.ts";
import { IoError } from "../io/errors.ts";
import { C, E, have, L, os } from "../os/index.ts";
import { shim, shimAtHand } from "../ffi/shim.ts";
import { useStandardRecord } from "../io/standard_descriptors.ts";
import { Dir, CWD_HANDLE, makePathStatus } from "../fs/dir.ts";
import { File, type Offset } from "../fs/file.ts";
import type {
  AccessOptions,
  CreateFlags,
  DirOpenOptions,
  Kind,
  Lock,
  OpenFlags,
  Stat,
  StatPathOptions,
} from "../fs/types.ts";
import { defaultFileMode } from "../fs/types.ts";
import type { Threaded } from "./threaded.ts";
import { closeHandle } from "./close.ts";
import { settle, syscall, type ErrnoTable } from "./syscall.ts";
import type { Pointer } from "bun:ffi";
import { checkCancel } from "../substrate/cancel.ts";
import {
  fdOut,
  fdOutPtr,
  fillIovecs,
  iovecs,
  pathText,
  pathToPosix,
  statPtr,
  statView,
  type PathLike,
} from "./fs_buffers.ts";
import * as T from "./fs_errors.ts";

const fdOf = (handle: number) => (handle === CWD_HANDLE ? C.AT_FDCWD : handle);

// The standard descriptors closed through File.stdin() and the others, for
// every thread of the process: in the shim, which the process has once. A
// thread without it has no live io, so it made no close and its call fails
// at the io check: asking must not compile the shim there (in a Worker,
// never: shim.ts).
useStandardRecord({
  claim: (fd) => shim().tio_std_close_claim(fd) === 1,
  closed: (fd) => shimAtHand() && shim().tio_std_closed(fd) === 1,
});

// --- stat ----------------------------------------------------------------------

function kindOf(mode: number): Kind {
  switch (mode & C.S_IFMT) {
    case C.S_IFDIR:
      return "directory";
    case C.S_IFCHR:
      return "character_device";
    case C.S_IFBLK:
      return "block_device";
    case C.S_IFREG:
      return "file";
    case C.S_IFIFO:
      return "named_pipe";
    case C.S_IFLNK:
      return "sym_link";
    case C.S_IFSOCK:
      return "unix_domain_socket";
    default:
      return "unknown";
  }
}

const NS = 1_000_000_000n;
const STATX_MASK =
  (C.STATX_INO ?? 0) |
  (C.STATX_SIZE ?? 0) |
  (C.STATX_TYPE ?? 0) |
  (C.STATX_MODE ?? 0) |
  (C.STATX_ATIME ?? 0) |
  (C.STATX_MTIME ?? 0) |
  (C.STATX_CTIME ?? 0);

function statxTime(at: number): Timestamp {
  const sec = statView.getBigInt64(at + L.statx_timestamp_tv_sec!, true);
  const nsec = statView.getUint32(at + L.statx_timestamp_tv_nsec!, true);
  return new Timestamp(sec * NS + BigInt(nsec));
}

/** Zig's statFromLinux, over the statx scratch buffer. */
function statFromStatx(): Stat {
  const mode = statView.getUint16(L.statx_stx_mode!, true);
  return {
    inode: statView.getBigUint64(L.statx_stx_ino!, true),
    size: statView.getBigUint64(L.statx_stx_size!, true),
    mode,
    kind: kindOf(mode),
    atime: statxTime(L.statx_stx_atime!),
    mtime: statxTime(L.statx_stx_mtime!),
    ctime: statxTime(L.statx_stx_ctime!),
  };
}

function timespecAt(at: number): Timestamp {
  return new Timestamp(statView.getBigInt64(at, true) * NS + statView.getBigInt64(at + 8, true));
}

/** Zig's statFromPosix, over the struct stat scratch buffer. */
function statFromStat(): Stat {
  const mode =
    L.sizeof_st_mode === 2
      ? statView.getUint16(L.stat_st_mode, true)
      : statView.getUint32(L.stat_st_mode, true);
  return {
    inode: statView.getBigUint64(L.stat_st_ino, true),
    size: statView.getBigInt64(L.stat_st_size, true),
    mode,
    kind: kindOf(mode),
    atime: timespecAt(L.stat_st_atime),
    mtime: timespecAt(L.stat_st_mtime),
    ctime: timespecAt(L.stat_st_ctime),
  };
}

export function dirStatPath(
  _t: Threaded,
  dir: Dir,
  path: PathLike,
  options: StatPathOptions,
): Stat {
  const p = pathToPosix(path);
  const s = shim();
  const nofollow = options.followSymlinks === false ? C.AT_SYMLINK_NOFOLLOW : 0;
  if (have.statx) {
    const flags = (C.AT_NO_AUTOMOUNT ?? 0) | nofollow;
    syscall(
      T.statxPathErrors,
      "statx",
      () => s.tio_statx(fdOf(dir.handle), p, flags, STATX_MASK, statPtr()),
      pathText(path),
    );
    return statFromStatx();
  }
  syscall(
    T.fstatatErrors,
    "fstatat",
    () => s.tio_fstatat(fdOf(dir.handle), p, statPtr(), nofollow),
    pathText(path),
  );
  return statFromStat();
}

function statFd(fd: number): Stat {
  const s = shim();
  if (have.statx) {
    const empty = pathToPosix("");
    syscall(T.statxFdErrors, "statx", () =>
      s.tio_statx(fd, empty, C.AT_EMPTY_PATH!, STATX_MASK, statPtr()),
    );
    return statFromStatx();
  }
  syscall(T.fstatErrors, "fstat", () => s.tio_fstat(fd, statPtr()));
  return statFromStat();
}

export function fileStat(_t: Threaded, file: File): Stat {
  return statFd(file.handle);
}

/** Zig's TODO: a directory's own stat, from its descriptor. */
export function dirStat(_t: Threaded, dir: Dir): Stat {
  return statFd(fdOf(dir.handle));
}

// --- directories -------------------------------------------------------------------

export function dirMake(_t: Threaded, dir: Dir, path: PathLike, mode: number): void {
  const p = pathToPosix(path);
  syscall(
    T.mkdirErrors,
    "mkdirat",
    () => shim().tio_mkdirat(fdOf(dir.handle), p, mode),
    pathText(path),
  );
}

/** Zig's TODO, by the interface's makePath algorithm, each directory
 * made with `mode`. */
export function dirMakePath(t: Threaded, dir: Dir, path: PathLike, mode: number): void {
  makePathStatus(t.ioBasic(), dir, path, mode);
}

export function dirOpenDir(_t: Threaded, dir: Dir, path: PathLike, options: DirOpenOptions): Dir {
  const p = pathToPosix(path);
  let flags = C.O_RDONLY | C.O_DIRECTORY | C.O_CLOEXEC;
  if (options.followSymlinks === false) flags |= C.O_NOFOLLOW;
  // O_PATH when the directory will not be iterated, as Zig's `Threaded.zig` does.
  if (C.O_PATH !== undefined && !options.iterate) flags |= C.O_PATH;
  return new Dir(
    syscall(
      T.openDirErrors,
      "openat",
      () => shim().tio_openat(fdOf(dir.handle), p, flags, 0),
      pathText(path),
    ),
  );
}

export function dirMakeOpenPath(
  t: Threaded,
  dir: Dir,
  path: PathLike,
  options: DirOpenOptions,
): Dir {
  try {
    return dirOpenDir(t, dir, path, options);
  } catch (e) {
    if (!IoError.is(e, "FileNotFound")) throw e;
    makePathStatus(t.ioBasic(), dir, path);
    return dirOpenDir(t, dir, path, options);
  }
}

export function dirAccess(_t: Threaded, dir: Dir, path: PathLike, options: AccessOptions): void {
  const p = pathToPosix(path);
  const flags = options.followSymlinks === false ? C.AT_SYMLINK_NOFOLLOW : 0;
  const mode =
    (options.read ? C.R_OK : 0) | (options.write ? C.W_OK : 0) | (options.execute ? C.X_OK : 0);
  syscall(
    T.accessErrors,
    "faccessat",
    () => shim().tio_faccessat(fdOf(dir.handle), p, mode, flags),
    pathText(path),
  );
}

export function dirClose(_t: Threaded, dir: Dir): void {
  closeFd(dir.handle);
}

// --- files ---------------------------------------------------------------------------

const EINVAL = E.EINVAL as number;

function openWithLock(
  dir: Dir,
  path: PathLike,
  flags: number,
  mode: number,
  lock: Lock,
  nonblocking: boolean,
  truncateAfterLock = false,
): File {
  const p = pathToPosix(path);
  const s = shim();
  if (have.openLockFlags && lock !== "none") {
    flags |= lock === "shared" ? C.O_SHLOCK! : C.O_EXLOCK!;
    if (nonblocking) flags |= C.O_NONBLOCK;
  }
  const fd = syscall(
    T.openFileErrors,
    "openat",
    () => s.tio_openat(fdOf(dir.handle), p, flags, mode),
    pathText(path),
  );
  try {
    if (!have.openLockFlags && lock !== "none") {
      const op = (lock === "shared" ? C.LOCK_SH : C.LOCK_EX) | (nonblocking ? C.LOCK_NB : 0);
      syscall(T.flockErrors, "flock", () => s.tio_flock(fd, op), pathText(path));
    }
    if (have.openLockFlags && nonblocking) {
      // Zig's `Threaded.zig` leaves the fd non-blocking after a non-blocking lock here.
      const fl = syscall(T.fcntlErrors, "fcntl", () => s.tio_fcntl(fd, C.F_GETFL, 0) as number);
      syscall(
        T.fcntlErrors,
        "fcntl",
        () => s.tio_fcntl(fd, C.F_SETFL, fl | C.O_NONBLOCK) as number,
      );
    }
    if (truncateAfterLock) {
      // EINVAL: not a regular file (a FIFO, /dev/null), which O_TRUNC
      // leaves alone too.
      syscall(
        T.truncateErrors,
        "ftruncate",
        () => {
          const rc = s.tio_ftruncate(fd, 0) as number;
          return rc === -EINVAL ? 0 : rc;
        },
        pathText(path),
      );
    }
  } catch (e) {
    s.tio_close(fd);
    throw e;
  }
  return new File(fd);
}

const accessMode: Record<string, number> = {
  read_only: C.O_RDONLY,
  write_only: C.O_WRONLY,
  read_write: C.O_RDWR,
};

export function dirOpenFile(_t: Threaded, dir: Dir, path: PathLike, flags: OpenFlags): File {
  let os_flags = accessMode[flags.mode ?? "read_only"] | C.O_CLOEXEC | (C.O_LARGEFILE ?? 0);
  if (flags.allowCtty !== true) os_flags |= C.O_NOCTTY;
  if (flags.followSymlinks === false) os_flags |= C.O_NOFOLLOW;
  return openWithLock(dir, path, os_flags, 0, flags.lock ?? "none", flags.lockNonblocking ?? false);
}

export function dirCreateFile(_t: Threaded, dir: Dir, path: PathLike, flags: CreateFlags): File {
  let os_flags =
    (flags.read ? C.O_RDWR : C.O_WRONLY) | C.O_CREAT | C.O_CLOEXEC | (C.O_LARGEFILE ?? 0);
  const lock = flags.lock ?? "none";
  // With a lock, truncated once it is held (Zig's `Threaded.zig` opens with
  // O_TRUNC, then locks): a create that then waits for the lock, fails to
  // get it (lockNonblocking: WouldBlock) or is canceled meanwhile emptied
  // the holder's file anyway.
  const truncate = flags.truncate ?? true;
  if (truncate && lock === "none") os_flags |= C.O_TRUNC;
  if (flags.exclusive) os_flags |= C.O_EXCL;
  return openWithLock(
    dir,
    path,
    os_flags,
    flags.mode ?? defaultFileMode,
    lock,
    flags.lockNonblocking ?? false,
    truncate && lock !== "none",
  );
}

/**
 * Port-specific: the start of a whole-file read, in one crossing into the
 * shim (open, read until the end or until `buffer` is full, close). A small
 * file's read is then one FFI call instead of four: on a tree of small
 * files that is what brings readFileAlloc to readFileSync's cost
 * (docs/ARCHITECTURE.md). Returns the byte count when the file was read to
 * its end (and closed); otherwise the file, still open, and the bytes read
 * so far — the buffer filled, or a read failed or was interrupted, and the
 * caller goes on with ordinary reads (which report the error or the cancel).
 */
export function dirReadFileStart(
  _t: Threaded,
  dir: Dir,
  path: PathLike,
  buffer: Uint8Array,
): number | { file: File; read: number } {
  const p = pathToPosix(path);
  const flags = C.O_RDONLY | C.O_CLOEXEC | C.O_NOCTTY | (C.O_LARGEFILE ?? 0);
  const s = shim();
  const fdPtr = fdOutPtr();
  const n = syscall(
    T.openFileErrors,
    "openat",
    () => s.tio_open_read(fdOf(dir.handle), p, flags, buffer, buffer.length, fdPtr) as number,
    pathText(path),
  );
  const fd = fdOut();
  return fd < 0 ? n : { file: new File(fd), read: n };
}

export function openSelfExe(t: Threaded, flags: OpenFlags): File {
  // Linux has /proc/self/exe; elsewhere the path Bun reports for itself.
  const path = os.name === "linux" ? "/proc/self/exe" : process.execPath;
  return dirOpenFile(t, Dir.cwd(), path, flags);
}

function closeFd(fd: number): void {
  closeHandle(fd);
}

export function fileClose(_t: Threaded, file: File): void {
  closeFd(file.handle);
}

// --- reading, writing, seeking -----------------------------------------------------
// One buffer (the common case) goes through read/pread/write/pwrite with the
// buffer itself as the pointer argument; several go through the iovec
// scratch (readv, ...). The first attempt is made inline, without the retry
// helper's closure, which only runs when the call fails.

type Single = (fd: number, b: Uint8Array, len: number, offset: Offset) => number;
type Vectored = (fd: number, iov: Pointer, n: number, offset: Offset) => number;

/** One buffer through the plain call, several through the iovec scratch;
 * the first attempt of the plain call is made inline. */
function transfer(
  fd: number,
  bufs: readonly Uint8Array[],
  offset: Offset,
  table: ErrnoTable<string>,
  names: readonly [string, string],
  single: Single,
  vectored: Vectored,
): number {
  checkCancel();
  if (bufs.length === 1 && bufs[0].length > 0) {
    const b = bufs[0];
    const call = () => single(fd, b, b.length, offset);
    return settle(call(), table, names[0], call);
  }
  const n = fillIovecs(bufs);
  return syscall(table, names[1], () => vectored(fd, iovecs(), n, offset));
}

const s = () => shim();
const read: Single = (fd, b, len) => s().tio_read(fd, b, len) as number;
const readv: Vectored = (fd, iov, n) => s().tio_readv(fd, iov, n) as number;
const pread: Single = (fd, b, len, off) => s().tio_pread(fd, b, len, off) as number;
const preadv: Vectored = (fd, iov, n, off) => s().tio_preadv(fd, iov, n, off) as number;
const write: Single = (fd, b, len) => s().tio_write(fd, b, len) as number;
const writev: Vectored = (fd, iov, n) => s().tio_writev(fd, iov, n) as number;
const pwrite: Single = (fd, b, len, off) => s().tio_pwrite(fd, b, len, off) as number;
const pwritev: Vectored = (fd, iov, n, off) => s().tio_pwritev(fd, iov, n, off) as number;

export function fileReadStreaming(_t: Threaded, file: File, bufs: readonly Uint8Array[]): number {
  return transfer(file.handle, bufs, 0, T.readErrors, ["read", "readv"], read, readv);
}

export function fileReadPositional(
  _t: Threaded,
  file: File,
  bufs: readonly Uint8Array[],
  offset: Offset,
): number {
  return transfer(file.handle, bufs, offset, T.preadErrors, ["pread", "preadv"], pread, preadv);
}

export function fileWriteStreaming(_t: Threaded, file: File, bufs: readonly Uint8Array[]): number {
  return transfer(file.handle, bufs, 0, T.writeErrors, ["write", "writev"], write, writev);
}

export function fileWritePositional(
  _t: Threaded,
  file: File,
  bufs: readonly Uint8Array[],
  offset: Offset,
): number {
  return transfer(
    file.handle,
    bufs,
    offset,
    T.pwriteErrors,
    ["pwrite", "pwritev"],
    pwrite,
    pwritev,
  );
}

export function fileSeekTo(_t: Threaded, file: File, offset: Offset): void {
  syscall(T.seekErrors, "lseek", () => shim().tio_lseek(file.handle, offset, C.SEEK_SET) as number);
}

/** Zig's TODO: lseek relative to the current position. */
export function fileSeekBy(_t: Threaded, file: File, offset: Offset): void {
  syscall(T.seekErrors, "lseek", () => shim().tio_lseek(file.handle, offset, C.SEEK_CUR) as number);
}
