// The errno → Zig error tables of the socket syscalls, as Zig's `Threaded.zig` maps them
// (openSocketPosix, posixBind, posixBindUnix, listen, posixConnect,
// posixConnectUnix, posixGetSockName, setSocketOption, netAcceptPosix,
// netReadPosix, netWritePosix, netSendOne/netSendMany, netReceivePosix,
// netInterfaceNameResolve).
import { BUG, type ErrnoTable } from "./syscall.ts";

export const socketErrors: ErrnoTable<string> = {
  EAFNOSUPPORT: "AddressFamilyUnsupported",
  EINVAL: "ProtocolUnsupportedBySystem",
  EMFILE: "ProcessFdQuotaExceeded",
  ENFILE: "SystemFdQuotaExceeded",
  ENOBUFS: "SystemResources",
  ENOMEM: "SystemResources",
  EPROTONOSUPPORT: "ProtocolUnsupportedByAddressFamily",
  EPROTOTYPE: "SocketModeUnsupported",
};

export const bindErrors: ErrnoTable<string> = {
  EADDRINUSE: "AddressInUse",
  EBADF: BUG,
  EINVAL: BUG,
  ENOTSOCK: BUG,
  EAFNOSUPPORT: "AddressFamilyUnsupported",
  EADDRNOTAVAIL: "AddressUnavailable",
  EFAULT: BUG,
  ENOMEM: "SystemResources",
  EACCES: "AccessDenied",
};

export const bindUnixErrors: ErrnoTable<string> = {
  EACCES: "AccessDenied",
  EADDRINUSE: "AddressInUse",
  EAFNOSUPPORT: "AddressFamilyUnsupported",
  EADDRNOTAVAIL: "AddressUnavailable",
  ENOMEM: "SystemResources",
  ELOOP: "SymLinkLoop",
  ENOENT: "FileNotFound",
  ENOTDIR: "NotDir",
  EROFS: "ReadOnlyFileSystem",
  EPERM: "PermissionDenied",
  EBADF: BUG,
  EINVAL: BUG,
  ENOTSOCK: BUG,
  EFAULT: BUG,
  ENAMETOOLONG: BUG,
};

export const listenErrors: ErrnoTable<string> = { EADDRINUSE: "AddressInUse", EBADF: BUG };

export const connectErrors: ErrnoTable<string> = {
  EADDRNOTAVAIL: "AddressUnavailable",
  EAFNOSUPPORT: "AddressFamilyUnsupported",
  EAGAIN: "WouldBlock",
  EINPROGRESS: "WouldBlock",
  EALREADY: "ConnectionPending",
  EBADF: BUG,
  ECONNREFUSED: "ConnectionRefused",
  ECONNRESET: "ConnectionResetByPeer",
  EFAULT: BUG,
  EISCONN: BUG,
  EHOSTUNREACH: "HostUnreachable",
  ENETUNREACH: "NetworkUnreachable",
  ENOTSOCK: BUG,
  EPROTOTYPE: BUG,
  ETIMEDOUT: "Timeout",
  ECONNABORTED: BUG,
  EACCES: "AccessDenied",
  EPERM: BUG,
  ENOENT: BUG,
  ENETDOWN: "NetworkDown",
};

export const connectUnixErrors: ErrnoTable<string> = {
  EAFNOSUPPORT: "AddressFamilyUnsupported",
  EAGAIN: "WouldBlock",
  EINPROGRESS: "WouldBlock",
  EACCES: "AccessDenied",
  ELOOP: "SymLinkLoop",
  ENOENT: "FileNotFound",
  ENOTDIR: "NotDir",
  EROFS: "ReadOnlyFileSystem",
  EPERM: "PermissionDenied",
  // Not in Zig's table, but what connecting to a socket nobody
  // listens on gives on Linux.
  ECONNREFUSED: "ConnectionRefused",
  EBADF: BUG,
  ECONNABORTED: BUG,
  EFAULT: BUG,
  EISCONN: BUG,
  ENOTSOCK: BUG,
  EPROTOTYPE: BUG,
};

export const getsocknameErrors: ErrnoTable<string> = {
  EBADF: BUG,
  EFAULT: BUG,
  EINVAL: BUG,
  ENOTSOCK: BUG,
  ENOBUFS: "SystemResources",
};

export const sockoptErrors: ErrnoTable<string> = {
  EBADF: BUG,
  ENOTSOCK: BUG,
  EINVAL: BUG,
  EFAULT: BUG,
};

export const acceptErrors: ErrnoTable<string> = {
  EAGAIN: BUG,
  EBADF: BUG,
  ECONNABORTED: "ConnectionAborted",
  EFAULT: BUG,
  EINVAL: "SocketNotListening",
  ENOTSOCK: BUG,
  EMFILE: "ProcessFdQuotaExceeded",
  ENFILE: "SystemFdQuotaExceeded",
  ENOBUFS: "SystemResources",
  ENOMEM: "SystemResources",
  EOPNOTSUPP: BUG,
  EPROTO: "ProtocolFailure",
  EPERM: "BlockedByFirewall",
};

export const netReadErrors: ErrnoTable<string> = {
  EINVAL: BUG,
  EFAULT: BUG,
  EAGAIN: BUG,
  EBADF: BUG,
  ENOBUFS: "SystemResources",
  ENOMEM: "SystemResources",
  ENOTCONN: "SocketUnconnected",
  ECONNRESET: "ConnectionResetByPeer",
  ETIMEDOUT: "Timeout",
  EPIPE: "SocketUnconnected",
  ENETDOWN: "NetworkDown",
};

export const netWriteErrors: ErrnoTable<string> = {
  EACCES: BUG,
  EAGAIN: BUG,
  EALREADY: "FastOpenAlreadyInProgress",
  EBADF: BUG,
  ECONNRESET: "ConnectionResetByPeer",
  EDESTADDRREQ: BUG,
  EFAULT: BUG,
  EINVAL: BUG,
  EISCONN: BUG,
  EMSGSIZE: BUG,
  ENOBUFS: "SystemResources",
  ENOMEM: "SystemResources",
  ENOTSOCK: BUG,
  EOPNOTSUPP: BUG,
  EPIPE: "SocketUnconnected",
  EAFNOSUPPORT: "AddressFamilyUnsupported",
  EHOSTUNREACH: "HostUnreachable",
  ENETUNREACH: "NetworkUnreachable",
  ENOTCONN: "SocketUnconnected",
  ENETDOWN: "NetworkDown",
};

export const sendErrors: ErrnoTable<string> = {
  EACCES: "AccessDenied",
  EAGAIN: BUG,
  EALREADY: "FastOpenAlreadyInProgress",
  EBADF: BUG,
  ECONNRESET: "ConnectionResetByPeer",
  EDESTADDRREQ: BUG,
  EFAULT: BUG,
  EINVAL: BUG,
  EISCONN: BUG,
  EMSGSIZE: "MessageOversize",
  ENOBUFS: "SystemResources",
  ENOMEM: "SystemResources",
  ENOTSOCK: BUG,
  EOPNOTSUPP: BUG,
  EPIPE: "SocketUnconnected",
  EAFNOSUPPORT: "AddressFamilyUnsupported",
  EHOSTUNREACH: "HostUnreachable",
  ENETUNREACH: "NetworkUnreachable",
  ENOTCONN: "SocketUnconnected",
  ENETDOWN: "NetworkDown",
  ECONNREFUSED: "ConnectionRefused",
};

/** Zig's netSendOne (sendmsg; the path without sendmmsg, Darwin): its table
 * is sendmmsg's but for EAGAIN, which it does not list (Unexpected, not a
 * bug: a socket made non-blocking by its owner). */
export const sendOneErrors: ErrnoTable<string> = { ...sendErrors, EAGAIN: "Unexpected" };

export const receiveErrors: ErrnoTable<string> = {
  EBADF: BUG,
  ENFILE: "SystemFdQuotaExceeded",
  EMFILE: "ProcessFdQuotaExceeded",
  EFAULT: BUG,
  EINVAL: BUG,
  ENOBUFS: "SystemResources",
  ENOMEM: "SystemResources",
  ENOTCONN: "SocketUnconnected",
  ENOTSOCK: BUG,
  EMSGSIZE: "MessageOversize",
  EPIPE: "SocketUnconnected",
  EOPNOTSUPP: BUG,
  ECONNRESET: "ConnectionResetByPeer",
  ENETDOWN: "NetworkDown",
  ECONNREFUSED: "ConnectionRefused",
};

export const pollErrors: ErrnoTable<string> = {
  EFAULT: BUG,
  EINVAL: BUG,
  ENOMEM: "SystemResources",
};

export const ifIndexErrors: ErrnoTable<string> = {
  EINVAL: BUG,
  ENOTTY: BUG,
  ENXIO: BUG,
  EBADF: BUG,
  EFAULT: BUG,
  EIO: BUG,
  ENODEV: "InterfaceNotFound",
};
