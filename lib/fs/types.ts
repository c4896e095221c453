// Zig's Io.File / Io.Dir value types and option structs, with Zig's defaults
// in camelCase, and each operation's error set as a string union.
import type { Timestamp } from "../io/time.ts";

/** File.Kind, in Zig's order. */
export type Kind =
  | "block_device"
  | "character_device"
  | "directory"
  | "named_pipe"
  | "sym_link"
  | "file"
  | "unix_domain_socket"
  | "whiteout"
  | "door"
  | "event_port"
  | "unknown";

/** File.Stat (also Dir.Stat). Times are nanoseconds since the Unix epoch. */
export interface Stat {
  readonly inode: bigint;
  readonly size: bigint;
  readonly mode: number;
  readonly kind: Kind;
  readonly atime: Timestamp;
  readonly mtime: Timestamp;
  readonly ctime: Timestamp;
}

/** How a file is opened: `File.OpenFlags.mode` (Zig's `File.OpenMode`). */
export type OpenMode = "read_only" | "write_only" | "read_write";
/** An advisory whole-file lock taken when opening (`flock`): none, shared (readers) or exclusive (one writer). Zig's `File.Lock`. */
export type Lock = "none" | "shared" | "exclusive";

/** File.OpenFlags. */
export interface OpenFlags {
  readonly mode?: OpenMode; // "read_only"
  readonly lock?: Lock; // "none"
  /** true: WouldBlock instead of waiting for the lock. */
  readonly lockNonblocking?: boolean; // false
  readonly allowCtty?: boolean; // false
  readonly followSymlinks?: boolean; // true
}

/** File.CreateFlags. */
export interface CreateFlags {
  /** true: opened read-write; otherwise write-only. */
  readonly read?: boolean; // false
  readonly truncate?: boolean; // true
  /** true: PathAlreadyExists if the file exists. */
  readonly exclusive?: boolean; // false
  readonly lock?: Lock; // "none"
  readonly lockNonblocking?: boolean; // false
  readonly mode?: number; // 0o666
}

/** Dir.OpenOptions. */
export interface DirOpenOptions {
  readonly accessSubPaths?: boolean; // true
  readonly iterate?: boolean; // false
  readonly followSymlinks?: boolean; // true
}

/** Dir.AccessOptions. */
export interface AccessOptions {
  readonly followSymlinks?: boolean; // true
  readonly read?: boolean;
  readonly write?: boolean;
  readonly execute?: boolean;
}

/** Dir.StatPathOptions. */
export interface StatPathOptions {
  readonly followSymlinks?: boolean; // true
}

/** A path: a string (encoded as UTF-8), or the bytes of one, for names
 * that are not UTF-8 (`DirEntry.nameBytes`). */
export type PathLike = string | Uint8Array;

/** The permission bits a created file gets before the umask (0o666), as Zig's `File.default_mode`. */
export const defaultFileMode = 0o666;
/** The permission bits a created directory gets before the umask (0o755), as Zig's `Dir.default_mode`. */
export const defaultDirMode = 0o755;

type Base = "Canceled" | "Unexpected";
/** Errors of any call that takes a path: `NameTooLong` (PATH_MAX bytes or more, or a component over NAME_MAX, 255 bytes) and `BadPathName` (a NUL byte). */
export type PathNameError = "NameTooLong" | "BadPathName";
/** `Dir.access` errors (Zig's `Dir.AccessError`). */
export type AccessError =
  | Base
  | PathNameError
  | "AccessDenied"
  | "PermissionDenied"
  | "FileNotFound"
  | "InputOutput"
  | "SystemResources"
  | "FileBusy"
  | "SymLinkLoop"
  | "ReadOnlyFileSystem";
/** `Dir.openDir` errors (Zig's `Dir.OpenError`). */
export type DirOpenError =
  | Base
  | PathNameError
  | "FileNotFound"
  | "NotDir"
  | "AccessDenied"
  | "PermissionDenied"
  | "SymLinkLoop"
  | "ProcessFdQuotaExceeded"
  | "SystemFdQuotaExceeded"
  | "NoDevice"
  | "SystemResources"
  | "DeviceBusy"
  | "NetworkNotFound";
/** `Dir.makeDir` errors (Zig's `Dir.MakeError`). */
export type MakeError =
  | Base
  | PathNameError
  | "AccessDenied"
  | "PermissionDenied"
  | "DiskQuota"
  | "PathAlreadyExists"
  | "SymLinkLoop"
  | "LinkQuotaExceeded"
  | "FileNotFound"
  | "SystemResources"
  | "NoSpaceLeft"
  | "NotDir"
  | "ReadOnlyFileSystem"
  | "NoDevice"
  | "NetworkNotFound";
/** `File.stat` errors (Zig's `File.StatError`). */
export type StatError =
  Base | "SystemResources" | "AccessDenied" | "PermissionDenied" | "Streaming";
/** `Dir.openFile` and `Dir.createFile` errors (Zig's `File.OpenError`). */
export type FileOpenError =
  | Base
  | PathNameError
  | "SharingViolation"
  | "PipeBusy"
  | "NoDevice"
  | "NetworkNotFound"
  | "ProcessNotFound"
  | "AntivirusInterference"
  | "AccessDenied"
  | "PermissionDenied"
  | "SymLinkLoop"
  | "ProcessFdQuotaExceeded"
  | "SystemFdQuotaExceeded"
  | "FileNotFound"
  | "SystemResources"
  | "FileTooBig"
  | "IsDir"
  | "NoSpaceLeft"
  | "NotDir"
  | "PathAlreadyExists"
  | "DeviceBusy"
  | "FileLocksNotSupported"
  | "FileBusy"
  | "WouldBlock"
  | "ReadOnlyFileSystem";
/** `Dir.statPath` errors: opening, then stat. */
export type StatPathError = FileOpenError | StatError;
/** `Dir.makePath` errors. */
export type MakePathError = MakeError | StatPathError;
/** `Dir.makeOpenPath` errors. */
export type MakeOpenPathError = MakeError | DirOpenError | StatPathError;
/** Streaming read errors (`File.readStreaming`, `File.Reader`): Zig's
 * `File.ReadStreamingError`, plus `InvalidArgument` (EINVAL: a position
 * past 2^63 − 1, an O_DIRECT misalignment), which Zig calls a bug. */
export type ReadError =
  | Base
  | "InvalidArgument"
  | "InputOutput"
  | "SystemResources"
  | "IsDir"
  | "BrokenPipe"
  | "ConnectionResetByPeer"
  | "Timeout"
  | "NotOpenForReading"
  | "SocketUnconnected"
  | "WouldBlock"
  | "AccessDenied"
  | "ProcessNotFound"
  | "LockViolation";
/** Positional read errors: a read's, plus `Unseekable` (a pipe or terminal). */
export type ReadPositionalError = ReadError | "Unseekable";
/** The interface at Zig commit a0289d0c lists only Canceled and Unexpected, and
 * Zig's write entries are TODO panics. These are the write errors of
 * later Zig (File.Writer.Error), which this port reports. */
export type WriteError =
  | Base
  | "DiskQuota"
  | "FileTooBig"
  | "InputOutput"
  | "NoSpaceLeft"
  | "DeviceBusy"
  | "InvalidArgument"
  | "AccessDenied"
  | "PermissionDenied"
  | "BrokenPipe"
  | "SystemResources"
  | "NotOpenForWriting"
  | "LockViolation"
  | "WouldBlock"
  | "ConnectionResetByPeer"
  | "ProcessNotFound"
  | "NoDevice";
/** Positional write errors: a write's, plus `Unseekable`. */
export type WritePositionalError = WriteError | "Unseekable";
/** `File.seekTo` / `File.seekBy` errors (Zig's `File.SeekError`). */
export type SeekError = Base | "Unseekable" | "AccessDenied";

/** Dir.Entry: one name in a directory ("." and ".." are never returned). */
export interface DirEntry {
  /** The name decoded as UTF-8 (bytes that are not UTF-8 become U+FFFD). */
  readonly name: string;
  readonly kind: Kind;
  /** The name's bytes, only when they are not valid UTF-8 (Linux names are
   * bytes): `name` then names nothing, and calls take `nameBytes ?? name`. */
  readonly nameBytes?: Uint8Array;
}

/** Dir.Iterator's errors (Zig's IteratorError). A directory deleted while
 * it is iterated ends the iteration instead, as on every Zig target. */
export type IterateError = Base | "AccessDenied" | "SystemResources";
/** Dir.Walker's errors: iterating, or opening a subdirectory. */
export type WalkError = IterateError | DirOpenError;
