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

export type OpenMode = "read_only" | "write_only" | "read_write";
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

export const defaultFileMode = 0o666;
export const defaultDirMode = 0o755;

type Base = "Canceled" | "Unexpected";
export type PathNameError = "NameTooLong" | "BadPathName";
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
export type StatError =
  Base | "SystemResources" | "AccessDenied" | "PermissionDenied" | "Streaming";
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
  | "WouldBlock";
export type StatPathError = FileOpenError | StatError;
export type MakePathError = MakeError | StatPathError;
export type MakeOpenPathError = MakeError | DirOpenError | StatPathError;
export type ReadError =
  | Base
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
export type ReadPositionalError = ReadError | "Unseekable";
/** The interface of the seed's era lists only Canceled and Unexpected, and
 * the seed's write entries are TODO panics. These are the write errors of
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
export type WritePositionalError = WriteError | "Unseekable";
export type SeekError = Base | "Unseekable" | "AccessDenied";

/** Dir.Entry: one name in a directory ("." and ".." are never returned). */
export interface DirEntry {
  readonly name: string;
  readonly kind: Kind;
}

/** Dir.Iterator's errors (Zig's IteratorError). A directory deleted while
 * it is iterated ends the iteration instead, as on every Zig target. */
export type IterateError = Base | "AccessDenied" | "SystemResources";
/** Dir.Walker's errors: iterating, or opening a subdirectory. */
export type WalkError = IterateError | DirOpenError;
