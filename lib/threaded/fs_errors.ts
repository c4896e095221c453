// The errno → Zig error tables of the file-system syscalls, as Zig's `Threaded.zig`
// maps them (Threaded.zig: dirMakePosix, dirStatPathLinux, fileStatLinux,
// dirAccessPosix, dirCreateFilePosix, dirOpenFilePosix, dirOpenDirPosix,
// fileReadStreamingPosix, fileReadPositionalPosix, fileSeekTo). Writes,
// which Zig's `Threaded.zig` leaves as TODO panics, follow later Zig's File.Writer.
import { BUG, type ErrnoTable } from "./syscall.ts";

export const mkdirErrors: ErrnoTable<string> = {
  EACCES: "AccessDenied",
  EBADF: BUG,
  EPERM: "PermissionDenied",
  EDQUOT: "DiskQuota",
  EEXIST: "PathAlreadyExists",
  EFAULT: BUG,
  ELOOP: "SymLinkLoop",
  EMLINK: "LinkQuotaExceeded",
  ENAMETOOLONG: "NameTooLong",
  ENOENT: "FileNotFound",
  ENOMEM: "SystemResources",
  ENOSPC: "NoSpaceLeft",
  ENOTDIR: "NotDir",
  EROFS: "ReadOnlyFileSystem",
  ENOTCONN: "FileNotFound",
  EILSEQ: "BadPathName",
};

export const statxPathErrors: ErrnoTable<string> = {
  EACCES: "AccessDenied",
  EBADF: BUG,
  EFAULT: BUG,
  EINVAL: BUG,
  ELOOP: "SymLinkLoop",
  // Zig's `Threaded.zig` (a0289d0c) calls this a bug, as if pathToPosix's
  // PATH_MAX check covered it; a component over NAME_MAX (255 bytes) is
  // the kernel's to find, and fstatat's table says NameTooLong.
  ENAMETOOLONG: "NameTooLong",
  ENOENT: "FileNotFound",
  ENOTDIR: "NotDir",
  ENOMEM: "SystemResources",
};

export const fstatatErrors: ErrnoTable<string> = {
  EINVAL: BUG,
  EBADF: BUG,
  ENOMEM: "SystemResources",
  EACCES: "AccessDenied",
  EPERM: "PermissionDenied",
  EFAULT: BUG,
  ENAMETOOLONG: "NameTooLong",
  ELOOP: "SymLinkLoop",
  ENOENT: "FileNotFound",
  ENOTDIR: "FileNotFound",
  EILSEQ: "BadPathName",
};

/** statx of a descriptor (an empty path): no path errno can happen. */
export const statxFdErrors: ErrnoTable<string> = {
  EACCES: BUG,
  EBADF: BUG,
  EFAULT: BUG,
  EINVAL: BUG,
  ELOOP: BUG,
  ENAMETOOLONG: BUG,
  ENOENT: BUG,
  ENOMEM: "SystemResources",
  ENOTDIR: BUG,
};

export const fstatErrors: ErrnoTable<string> = {
  EINVAL: BUG,
  EBADF: BUG,
  ENOMEM: "SystemResources",
  EACCES: "AccessDenied",
};

export const accessErrors: ErrnoTable<string> = {
  EACCES: "AccessDenied",
  EPERM: "PermissionDenied",
  EROFS: "ReadOnlyFileSystem",
  ELOOP: "SymLinkLoop",
  ETXTBSY: "FileBusy",
  ENOTDIR: "FileNotFound",
  ENOENT: "FileNotFound",
  ENAMETOOLONG: "NameTooLong",
  EINVAL: BUG,
  EFAULT: BUG,
  EIO: "InputOutput",
  ENOMEM: "SystemResources",
  EILSEQ: "BadPathName",
  // Not in Zig's dirAccessPosix table: unexpectedErrno, not a bug.
  EBADF: "Unexpected",
};

export const openFileErrors: ErrnoTable<string> = {
  EFAULT: BUG,
  EINVAL: "BadPathName",
  EBADF: BUG,
  EACCES: "AccessDenied",
  EFBIG: "FileTooBig",
  EOVERFLOW: "FileTooBig",
  EISDIR: "IsDir",
  ELOOP: "SymLinkLoop",
  EMFILE: "ProcessFdQuotaExceeded",
  ENAMETOOLONG: "NameTooLong",
  ENFILE: "SystemFdQuotaExceeded",
  ENODEV: "NoDevice",
  ENOENT: "FileNotFound",
  ESRCH: "ProcessNotFound",
  ENOMEM: "SystemResources",
  ENOSPC: "NoSpaceLeft",
  ENOTDIR: "NotDir",
  EPERM: "PermissionDenied",
  EEXIST: "PathAlreadyExists",
  EBUSY: "DeviceBusy",
  EOPNOTSUPP: "FileLocksNotSupported",
  EAGAIN: "WouldBlock",
  ETXTBSY: "FileBusy",
  ENXIO: "NoDevice",
  EILSEQ: "BadPathName",
  // Not in Zig's table (Unexpected there): creating or writing on a
  // read-only file system, named as makeDir, makePath and access name it.
  EROFS: "ReadOnlyFileSystem",
};

/** ftruncate(2) to 0 after a create's lock (`dirCreateFile`). */
export const truncateErrors: ErrnoTable<string> = {
  EBADF: BUG,
  EINVAL: BUG,
  EFBIG: "FileTooBig",
  EIO: "InputOutput",
  EPERM: "PermissionDenied",
  EACCES: "AccessDenied",
  EROFS: "ReadOnlyFileSystem",
  ETXTBSY: "FileBusy",
};

export const flockErrors: ErrnoTable<string> = {
  EBADF: BUG,
  EINVAL: BUG,
  ENOLCK: "SystemResources",
  EAGAIN: "WouldBlock",
  EOPNOTSUPP: "FileLocksNotSupported",
};

/** Zig's fcntl loops: every errno but EINTR is unexpectedErrno, EBADF and
 * EFAULT included (Unexpected, not a bug, even in debug mode). */
export const fcntlErrors: ErrnoTable<string> = { EBADF: "Unexpected", EFAULT: "Unexpected" };

export const openDirErrors: ErrnoTable<string> = {
  EFAULT: BUG,
  EINVAL: "BadPathName",
  EBADF: BUG,
  EACCES: "AccessDenied",
  ELOOP: "SymLinkLoop",
  EMFILE: "ProcessFdQuotaExceeded",
  ENAMETOOLONG: "NameTooLong",
  ENFILE: "SystemFdQuotaExceeded",
  ENODEV: "NoDevice",
  ENOENT: "FileNotFound",
  ENOMEM: "SystemResources",
  ENOTDIR: "NotDir",
  EPERM: "PermissionDenied",
  EBUSY: "DeviceBusy",
  ENXIO: "NoDevice",
  EILSEQ: "BadPathName",
};

export const readErrors: ErrnoTable<string> = {
  // Zig's `Threaded.zig` (a0289d0c) calls EINVAL a bug, but a caller can
  // cause it: a read at a position past 2^63 − 1 (tmpfs lets seekTo(2^63 −
  // 2) through), O_DIRECT misalignment, an eventfd read under 8 bytes. Zig's
  // read error set has no name for it; InvalidArgument, as the write's.
  EINVAL: "InvalidArgument",
  EFAULT: BUG,
  ESRCH: "ProcessNotFound",
  EAGAIN: "WouldBlock",
  // Zig's `Threaded.zig` calls EBADF a bug; on an fd that is open, it means the fd was
  // not opened for reading, which later Zig reports as NotOpenForReading.
  EBADF: "NotOpenForReading",
  EIO: "InputOutput",
  EISDIR: "IsDir",
  ENOBUFS: "SystemResources",
  ENOMEM: "SystemResources",
  ENOTCONN: "SocketUnconnected",
  ECONNRESET: "ConnectionResetByPeer",
  ETIMEDOUT: "Timeout",
};

export const preadErrors: ErrnoTable<string> = {
  ...readErrors,
  ENXIO: "Unseekable",
  ESPIPE: "Unseekable",
  EOVERFLOW: "Unseekable",
};

export const writeErrors: ErrnoTable<string> = {
  EAGAIN: "WouldBlock",
  EBADF: "NotOpenForWriting",
  EDESTADDRREQ: BUG,
  EDQUOT: "DiskQuota",
  EFAULT: BUG,
  EFBIG: "FileTooBig",
  EINVAL: "InvalidArgument",
  EIO: "InputOutput",
  ENOSPC: "NoSpaceLeft",
  EACCES: "AccessDenied",
  EPERM: "PermissionDenied",
  EPIPE: "BrokenPipe",
  ECONNRESET: "ConnectionResetByPeer",
  EBUSY: "DeviceBusy",
  ENXIO: "NoDevice",
  ENOBUFS: "SystemResources",
  ENOMEM: "SystemResources",
  ESRCH: "ProcessNotFound",
};

export const pwriteErrors: ErrnoTable<string> = {
  ...writeErrors,
  ENXIO: "Unseekable",
  ESPIPE: "Unseekable",
  EOVERFLOW: "Unseekable",
};

export const seekErrors: ErrnoTable<string> = {
  EBADF: BUG,
  EINVAL: "Unseekable",
  EOVERFLOW: "Unseekable",
  ESPIPE: "Unseekable",
  ENXIO: "Unseekable",
};

export const closeErrors: ErrnoTable<string> = { EBADF: BUG };

/** getdents64, as later Zig's dirReadLinux maps it. ENOENT (the directory
 * was removed) ends the iteration before this table is consulted. */
export const getdentsErrors: ErrnoTable<string> = {
  // The Dir is invalid, or was opened without `iterate` (O_PATH).
  EBADF: BUG,
  EFAULT: BUG,
  ENOTDIR: BUG,
  // Reading /proc/$PID/net, or a buffer too small for one entry: neither is
  // meant to be handled by this API.
  EINVAL: "Unexpected",
  EACCES: "AccessDenied", // some network file systems (Lustre)
  ENOMEM: "SystemResources",
};
