// The vtable's networking entries for POSIX (Linux tested), ported from Zig's
// `Threaded.zig`: listen, accept, bind, connect (with the timeout Zig's `Threaded.zig` leaves as a
// TODO), read, write (the splat contract), close, and interface names both ways (Zig's netInterfaceName is a TODO);
// send and receive are in net_datagram.ts.
import { yieldCpu } from "../substrate/spin_policy.ts";
import { IoError } from "../io/errors.ts";
import type { Io } from "../io/io.ts";
import { Timeout } from "../io/time.ts";
import { C, have, L, os } from "../os/index.ts";
import { shim } from "../ffi/shim.ts";
import type { IpAddress, UnixAddress } from "../net/address.ts";
import {
  Server,
  Socket,
  Stream,
  Protocol,
  defaultKernelBacklog,
  type BindOptions,
  type ConnectOptions,
  type ListenOptions,
  type SocketMode,
  type UnixListenOptions,
} from "../net/socket.ts";
import { checkProtocol } from "../net/protocol.ts";
import type { Threaded } from "./threaded.ts";
import { checkCancel } from "../substrate/cancel.ts";
import { closeHandle } from "./close.ts";
import { fcntlErrors } from "./fs_errors.ts";
import { errnoError, settle, syscall, type Subject } from "./syscall.ts";
import { fillIovecs, iovecs } from "./fs_buffers.ts";
import * as T from "./net_errors.ts";
import { pollMs } from "./net_datagram.ts";
import { readSite, readSpinBudgetMs, YIELD_EVERY } from "./net_read_spin.ts";
import {
  addr,
  base,
  IOV,
  MAX_IOVECS,
  MSG,
  single,
  singleView,
  SPLAT_BUFFER,
  writeIovec,
  writeMsghdr,
} from "./net_msghdr.ts";

// --- sockets ---------------------------------------------------------------

const modes: Record<SocketMode, number> = {
  stream: C.SOCK_STREAM,
  dgram: C.SOCK_DGRAM,
  seqpacket: C.SOCK_SEQPACKET,
  raw: C.SOCK_RAW,
  rdm: C.SOCK_RDM,
};

const familyOf = (a: IpAddress) => (a.family === "ip4" ? C.AF_INET : C.AF_INET6);

function setOption(fd: number, level: number, name: number, value: number): void {
  syscall(T.sockoptErrors, "setsockopt", () => shim().tio_setsockopt_int(fd, level, name, value));
}

/** Zig's openSocketPosix, with `ip6_only` setting IPV6_V6ONLY to 1 (Zig
 * sets 0: the opposite of what was asked). */
export function openSocket(
  family: number,
  mode: SocketMode,
  protocol: number | null | undefined,
  ip6Only = false,
): number {
  // Again here for callers of the vtable itself: bun:ffi's i32 conversion
  // would wrap anything else into another protocol.
  checkProtocol(protocol);
  const s = shim();
  const type = modes[mode] | (C.SOCK_CLOEXEC ?? 0);
  const fd = syscall(T.socketErrors, "socket", () => s.tio_socket(family, type, protocol ?? 0));
  try {
    if (C.SOCK_CLOEXEC === undefined)
      syscall(fcntlErrors, "fcntl", () => s.tio_fcntl(fd, C.F_SETFD, C.FD_CLOEXEC) as number);
    // No MSG_NOSIGNAL (Darwin): the socket itself must not raise SIGPIPE.
    if (!have.msgNoSignal && C.SO_NOSIGPIPE !== undefined)
      setOption(fd, C.SOL_SOCKET, C.SO_NOSIGPIPE, 1);
    if (ip6Only) setOption(fd, C.IPPROTO_IPV6, C.IPV6_V6ONLY, 1);
  } catch (e) {
    s.tio_close(fd);
    throw e;
  }
  return fd;
}

function localAddress(fd: number): IpAddress {
  addr.len = L.sizeof_sockaddr_storage;
  syscall(T.getsocknameErrors, "getsockname", () =>
    shim().tio_getsockname(fd, addr.ptr(), addr.lenPtr()),
  );
  return addr.readIp();
}

export function closeQuietly(fd: number): void {
  shim().tio_close(fd);
}

export function netListenIp(_t: Threaded, address: IpAddress, options: ListenOptions): Server {
  const s = shim();
  const fd = openSocket(
    familyOf(address),
    options.mode ?? "stream",
    options.protocol ?? Protocol.tcp,
  );
  try {
    if (options.reuseAddress) {
      setOption(fd, C.SOL_SOCKET, C.SO_REUSEADDR, 1);
      setOption(fd, C.SOL_SOCKET, C.SO_REUSEPORT, 1);
    }
    const len = addr.writeIp(address);
    const at = { address: address.toString() };
    syscall(T.bindErrors, "bind", () => s.tio_bind(fd, addr.ptr(), len), at);
    const backlog = options.kernelBacklog ?? defaultKernelBacklog;
    syscall(T.listenErrors, "listen", () => s.tio_listen(fd, backlog), at);
    return new Server(new Socket(fd, localAddress(fd)));
  } catch (e) {
    closeQuietly(fd);
    throw e;
  }
}

export function netListenUnix(
  _t: Threaded,
  address: UnixAddress,
  options: UnixListenOptions,
): number {
  const s = shim();
  let fd: number;
  try {
    fd = openSocket(C.AF_UNIX, "stream", 0);
  } catch (e) {
    if (
      IoError.is(
        e,
        "ProtocolUnsupportedBySystem",
        "ProtocolUnsupportedByAddressFamily",
        "SocketModeUnsupported",
      )
    ) {
      throw new IoError("AddressFamilyUnsupported", { cause: e });
    }
    throw e;
  }
  try {
    const len = addr.writeUnix(address);
    syscall(T.bindUnixErrors, "bind", () => s.tio_bind(fd, addr.ptr(), len), address.path);
    const backlog = options.kernelBacklog ?? defaultKernelBacklog;
    syscall(T.listenErrors, "listen", () => s.tio_listen(fd, backlog), address.path);
    return fd;
  } catch (e) {
    closeQuietly(fd);
    throw e;
  }
}

export function netAccept(_t: Threaded, listenFd: number): Stream {
  const s = shim();
  const call = () => {
    addr.len = L.sizeof_sockaddr_storage;
    return s.tio_accept(listenFd, addr.ptr(), addr.lenPtr(), C.SOCK_CLOEXEC ?? 0);
  };
  const fd = syscall(T.acceptErrors, "accept4", call);
  return new Stream(new Socket(fd, addr.readIp()));
}

export function netBindIp(_t: Threaded, address: IpAddress, options: BindOptions): Socket {
  const s = shim();
  const fd = openSocket(
    familyOf(address),
    options.mode,
    options.protocol,
    options.ip6Only ?? false,
  );
  try {
    const len = addr.writeIp(address);
    syscall(T.bindErrors, "bind", () => s.tio_bind(fd, addr.ptr(), len), {
      address: address.toString(),
    });
    return new Socket(fd, localAddress(fd));
  } catch (e) {
    closeQuietly(fd);
    throw e;
  }
}

/**
 * Connects without blocking in connect(2): a blocking connect interrupted
 * by a signal cannot simply be retried (the retry fails with EALREADY), so
 * the socket is non-blocking while it connects and this thread waits in
 * poll, which a cancel interrupts and which honours the timeout (Zig's
 * TODO). Then the socket is blocking again.
 */
function connectFd(
  io: Io,
  fd: number,
  len: number,
  timeout: Timeout,
  table: typeof T.connectErrors,
  subject: Subject,
): void {
  const s = shim();
  const flags = syscall(fcntlErrors, "fcntl", () => s.tio_fcntl(fd, C.F_GETFL, 0) as number);
  syscall(fcntlErrors, "fcntl", () => s.tio_fcntl(fd, C.F_SETFL, flags | C.O_NONBLOCK) as number);
  checkCancel();
  const rc = s.tio_connect(fd, addr.ptr(), len);
  if (rc < 0 && -rc !== os.errno.EINPROGRESS && -rc !== os.errno.EINTR)
    throw errnoError(table, -rc, "connect", subject);
  if (rc < 0) {
    const deadline = timeout.kind === "none" ? null : timeout.toDeadline(io);
    for (;;) {
      const ms = pollMs(io, deadline);
      if (ms === 0)
        throw new IoError("Timeout", {
          message: `Timeout: connect to ${typeof subject === "string" ? `"${subject}"` : subject.address} did not finish in time`,
          syscall: "connect",
          ...(typeof subject === "string" ? { path: subject } : subject),
        });
      const r = settle(s.tio_poll1(fd, C.POLLOUT, ms), T.pollErrors, "poll", () =>
        s.tio_poll1(fd, C.POLLOUT, ms),
      );
      if (r > 0) break;
      if (deadline === null) continue;
    }
    const err = syscall(T.sockoptErrors, "getsockopt", () =>
      s.tio_getsockopt_int(fd, C.SOL_SOCKET, C.SO_ERROR),
    );
    if (err !== 0) throw errnoError(table, err, "connect", subject);
  }
  syscall(fcntlErrors, "fcntl", () => s.tio_fcntl(fd, C.F_SETFL, flags) as number);
}

export function netConnectIp(t: Threaded, address: IpAddress, options: ConnectOptions): Stream {
  const fd = openSocket(familyOf(address), options.mode, options.protocol);
  try {
    const len = addr.writeIp(address);
    connectFd(t.ioBasic(), fd, len, options.timeout ?? Timeout.none, T.connectErrors, {
      address: address.toString(),
    });
    return new Stream(new Socket(fd, localAddress(fd)));
  } catch (e) {
    closeQuietly(fd);
    throw e;
  }
}

/**
 * Zig's posixConnectUnix: a blocking connect(2), retried after EINTR once
 * cancelation is checked. Unlike TCP's (see connectFd), an AF_UNIX connect
 * interrupted by a signal leaves the socket unconnected and can simply be
 * retried; and only a blocking one waits for room when the listener's
 * queue is full (non-blocking, it fails EAGAIN: WouldBlock). The wait is
 * interruptible, so a cancel's signal ends it.
 */
export function netConnectUnix(_t: Threaded, address: UnixAddress): number {
  const fd = openSocket(C.AF_UNIX, "stream", 0);
  try {
    const len = addr.writeUnix(address);
    const s = shim();
    const call = () => s.tio_connect(fd, addr.ptr(), len);
    syscall(T.connectUnixErrors, "connect", call, address.path);
    return fd;
  } catch (e) {
    closeQuietly(fd);
    throw e;
  }
}

export function netClose(_t: Threaded, fd: number): void {
  closeHandle(fd);
}

/** close(2) alone leaves a thread blocked in accept on the socket blocked
 * for good (a server's deinit while a task accepts: deinit then waited
 * forever for that task). shutdown(SHUT_RD) on a listening socket wakes it
 * with EINVAL (SocketNotListening) in 3 ms; elsewhere it fails harmlessly. */
export function netCloseListening(_t: Threaded, fd: number): void {
  shim().tio_shutdown(fd, SHUT_RD);
  closeHandle(fd);
}
const SHUT_RD = 0;

/** Wakes the calls blocked on a socket being closed through another object
 * over it; the last of them closes it (io/descriptor_cell.ts). Its error
 * (ENOTCONN for an unconnected datagram socket, which still wakes its
 * readers) says nothing the caller needs. */
export function netShutdown(_t: Threaded, fd: number): void {
  shim().tio_shutdown(fd, SHUT_RDWR);
}
const SHUT_RDWR = 2;

// --- streams ------------------------------------------------------------------

export function netRead(_t: Threaded, fd: number, bufs: readonly Uint8Array[]): number {
  const s = shim();
  checkCancel();
  if (bufs.length === 1 && bufs[0].length > 0) {
    const b = bufs[0];
    const until =
      readSpinBudgetMs() > 0 && readSite.shouldSpin() ? performance.now() + readSpinBudgetMs() : 0;
    for (let i = 1; until > 0; i++) {
      const rc = s.tio_recv(fd, b, b.length, C.MSG_DONTWAIT) as number;
      if (rc >= 0) {
        readSite.record(true);
        return rc;
      }
      if (-rc === os.errno.EAGAIN) {
        if (performance.now() >= until) {
          readSite.record(false);
          break;
        }
        if (i % YIELD_EVERY === 0) yieldCpu();
        continue;
      }
      // Not a socket (a pipe), or a signal: the blocking read decides.
      if (-rc === os.errno.ENOTSOCK || -rc === os.errno.EINTR) break;
      // Anything else is the socket's pending error, which this recv just
      // consumed: report it here, or the blocking read would return 0 and a
      // reset stream would read as a complete one (Zig's read sees it).
      throw errnoError(T.netReadErrors, -rc, "read");
    }
    const read = () => s.tio_read(fd, b, b.length) as number;
    return settle(read(), T.netReadErrors, "read", read);
  }
  const n = fillIovecs(bufs);
  return syscall(T.netReadErrors, "readv", () => s.tio_readv(fd, iovecs(), n) as number);
}

/** The splat contract: header, data[0..n-1], then the last slice `splat`
 * times; at most 8 iovecs, empty slices skipped; a one-byte pattern is
 * expanded through a 64-byte buffer. */
export function netWrite(
  _t: Threaded,
  fd: number,
  header: Uint8Array,
  data: readonly Uint8Array[],
  splat: number,
): number {
  if (data.length === 0) throw new RangeError("netWrite needs at least one data slice");
  const view = singleView;
  const iovAt = MSG;
  const splatAt = MSG + MAX_IOVECS * IOV;
  const keep: Uint8Array[] = []; // referenced until the syscall returns
  let n = 0;
  const add = (b: Uint8Array) => {
    if (b.length === 0 || n === MAX_IOVECS) return;
    keep.push(b);
    writeIovec(view, iovAt + n * IOV, base(b), b.length);
    n++;
  };
  add(header);
  for (let i = 0; i < data.length - 1; i++) add(data[i]);
  const pattern = data[data.length - 1];
  if (n < MAX_IOVECS && splat > 0 && pattern.length > 0) {
    if (splat === 1) add(pattern);
    else if (pattern.length === 1) {
      const buf = single.subarray(splatAt, splatAt + Math.min(SPLAT_BUFFER, splat));
      buf.fill(pattern[0]);
      add(buf);
      let remaining = splat - buf.length;
      while (remaining > SPLAT_BUFFER && n < MAX_IOVECS) {
        add(buf);
        remaining -= SPLAT_BUFFER;
      }
      add(single.subarray(splatAt, splatAt + remaining));
    } else {
      for (let i = 0; i < splat && n < MAX_IOVECS; i++) add(pattern);
    }
  }
  if (n === 0) return 0;
  const s = shim();
  const msgPtr = base(single);
  writeMsghdr(view, 0, 0, 0, msgPtr + iovAt, n);
  const flags = C.MSG_NOSIGNAL ?? 0;
  const written = syscall(
    T.netWriteErrors,
    "sendmsg",
    () => s.tio_sendmsg(fd, single, flags) as number,
  );
  keep.length = 0;
  return written;
}
