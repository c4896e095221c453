// The vtable's networking entries for POSIX (Linux tested), ported from Zig's
// `Threaded.zig`: listen, accept, bind, connect (with the timeout Zig's `Threaded.zig` leaves as a
// TODO), read, write (the splat contract), send (sendmmsg batches),
// receive (recvmsg + poll until the deadline), close, and interface names
// both ways (Zig's netInterfaceName is a TODO).
import { SpinSite, yieldCpu } from "../substrate/spin_policy.ts";
import { ptr, type Pointer } from "bun:ffi";
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
  type IncomingMessage,
  type ListenOptions,
  type OutgoingMessage,
  type ReceiveFlags,
  type SendFlags,
  type SocketMode,
  type UnixListenOptions,
} from "../net/socket.ts";
import type { Threaded } from "./threaded.ts";
import { checkCancel } from "../substrate/cancel.ts";
import { closeHandle } from "./close.ts";
import { fcntlErrors } from "./fs_errors.ts";
import { errnoError, settle, syscall, type Subject } from "./syscall.ts";
import { fillIovecs, iovecs } from "./fs_buffers.ts";
import { SockAddrBuf } from "./sockaddr.ts";
import * as T from "./net_errors.ts";

const MAX_IOVECS = 8;
const SPLAT_BUFFER = 64;
const SEND_BATCH = 64;
const MAX_POLL_MS = 0x7fffffff;
const empty = new Uint8Array(0);

// --- per-thread scratch (explicit ArrayBuffers; addresses taken per call) ---

const addr = new SockAddrBuf();
const MSG = L.sizeof_msghdr;
const IOV = L.sizeof_iovec;
const MMSG = L.sizeof_mmsghdr ?? MSG + 8;
let batch: { bytes: Uint8Array; view: DataView; addrs: SockAddrBuf[] } | undefined;
const single = new Uint8Array(new ArrayBuffer(MSG + MAX_IOVECS * IOV + SPLAT_BUFFER));
const singleView = new DataView(single.buffer);

function setPtr(view: DataView, at: number, p: number): void {
  view.setUint32(at, p % 0x100000000, true);
  view.setUint32(at + 4, Math.floor(p / 0x100000000), true);
}

function base(u8: Uint8Array): number {
  return ptr(u8) as number;
}

/** Fills a msghdr at `at`. Unused fields stay 0: the scratch is zeroed
 * first, so writing a length's low 32 bits suits both Linux's size_t
 * msg_iovlen/msg_controllen and Darwin's int/socklen_t ones. */
function writeMsghdr(
  view: DataView,
  at: number,
  name: number,
  nameLen: number,
  iov: number,
  iovLen: number,
  control: Uint8Array | undefined = undefined,
): void {
  for (let i = 0; i < MSG; i += 4) view.setUint32(at + i, 0, true);
  setPtr(view, at + L.msghdr_msg_name, name);
  view.setUint32(at + L.msghdr_msg_namelen, nameLen, true);
  setPtr(view, at + L.msghdr_msg_iov, iov);
  view.setUint32(at + L.msghdr_msg_iovlen, iovLen, true);
  // As Zig: a null pointer for no control (some systems reject a dangling
  // one even with length 0).
  if (control !== undefined && control.length > 0) {
    setPtr(view, at + L.msghdr_msg_control, base(control));
    view.setUint32(at + L.msghdr_msg_controllen, control.length, true);
  }
}

function writeIovec(view: DataView, at: number, p: number, len: number): void {
  setPtr(view, at + L.iovec_iov_base, p);
  setPtr(view, at + L.iovec_iov_len, len);
}

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

/** Milliseconds poll may wait: -1 for no deadline, 0 once it has passed
 * (rounded up, so a sub-millisecond remainder still waits). */
function pollMs(io: Io, deadline: ReturnType<Timeout["toDeadline"]>): number {
  if (deadline === null) return -1;
  const left = deadline.durationFromNow(io).raw.nanoseconds;
  if (left <= 0n) return 0;
  return Math.min(MAX_POLL_MS, Number((left + 999_999n) / 1_000_000n));
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

// --- streams ------------------------------------------------------------------

/** How long a read tries non-blocking receives before it blocks: on
 * loopback the answer to a request usually arrives within it, and blocking
 * costs a cross-core wake-up (20–50 µs here). Bounded in time, like the
 * futex spin; 0 turns it off. Measured in bench/net.bench.ts. */
let readSpinMs = 0.05;
export function setReadSpinMicros(us: number): void {
  readSpinMs = Math.max(0, us) / 1000;
}

/** The spin-history site of this thread's socket reads: a read spins only
 * while two CPUs are allowed and spinning has paid lately (spin_policy.ts),
 * and yields the CPU every YIELD_EVERY attempts. */
const readSite = new SpinSite();
const YIELD_EVERY = 16;

/** Polls without blocking for up to the read spin; true once readable. */
function spinUntilReadable(fd: number): boolean {
  if (readSpinMs <= 0 || !readSite.shouldSpin()) return false;
  const s = shim();
  const until = performance.now() + readSpinMs;
  for (let i = 1; performance.now() < until; i++) {
    if (s.tio_poll1(fd, C.POLLIN, 0) > 0) {
      readSite.record(true);
      return true;
    }
    if (i % YIELD_EVERY === 0) yieldCpu();
  }
  readSite.record(false);
  return false;
}

export function netRead(_t: Threaded, fd: number, bufs: readonly Uint8Array[]): number {
  const s = shim();
  checkCancel();
  if (bufs.length === 1 && bufs[0].length > 0) {
    const b = bufs[0];
    const until = readSpinMs > 0 && readSite.shouldSpin() ? performance.now() + readSpinMs : 0;
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

// --- datagrams ------------------------------------------------------------------

function sendFlags(f: SendFlags): number {
  return (
    (f.confirm && C.MSG_CONFIRM !== undefined ? C.MSG_CONFIRM : 0) |
    (f.dontRoute ? C.MSG_DONTROUTE : 0) |
    (f.eor ? C.MSG_EOR : 0) |
    (f.oob ? C.MSG_OOB : 0) |
    (f.fastopen && C.MSG_FASTOPEN !== undefined ? C.MSG_FASTOPEN : 0) |
    (C.MSG_NOSIGNAL ?? 0)
  );
}

function batchScratch(): NonNullable<typeof batch> {
  if (batch === undefined) {
    const bytes = new Uint8Array(new ArrayBuffer(SEND_BATCH * (MMSG + IOV)));
    batch = {
      bytes,
      view: new DataView(bytes.buffer),
      addrs: Array.from({ length: SEND_BATCH }, () => new SockAddrBuf()),
    };
  }
  return batch;
}

/** Up to 64 messages in one sendmmsg; returns how many went. */
function sendBatch(
  fd: number,
  messages: readonly OutgoingMessage[],
  from: number,
  flags: number,
): number {
  const b = batchScratch();
  const count = Math.min(SEND_BATCH, messages.length - from);
  const bp = base(b.bytes);
  const iovBase = SEND_BATCH * MMSG;
  for (let i = 0; i < count; i++) {
    const m = messages[from + i];
    const a = b.addrs[i];
    const len = m.address === null ? 0 : a.writeIp(m.address);
    writeIovec(b.view, iovBase + i * IOV, base(m.data), m.data.length);
    writeMsghdr(
      b.view,
      i * MMSG + (L.mmsghdr_msg_hdr ?? 0),
      m.address === null ? 0 : (a.ptr() as number),
      len,
      bp + iovBase + i * IOV,
      m.data.length > 0 ? 1 : 0,
      m.control,
    );
  }
  const s = shim();
  const sent = syscall(T.sendErrors, "sendmmsg", () => s.tio_sendmmsg(fd, b.bytes, count, flags));
  for (let i = 0; i < sent; i++)
    messages[from + i].sent = b.view.getUint32(i * MMSG + L.mmsghdr_msg_len!, true);
  return sent;
}

function sendOne(fd: number, m: OutgoingMessage, flags: number): void {
  const view = singleView;
  const len = m.address === null ? 0 : addr.writeIp(m.address);
  const name = m.address === null ? 0 : (addr.ptr() as number);
  const iovAt = MSG;
  writeIovec(view, iovAt, base(m.data), m.data.length);
  writeMsghdr(view, 0, name, len, base(single) + iovAt, m.data.length > 0 ? 1 : 0, m.control);
  const s = shim();
  m.sent = syscall(T.sendOneErrors, "sendmsg", () => s.tio_sendmsg(fd, single, flags) as number);
}

export function netSend(
  _t: Threaded,
  fd: number,
  messages: OutgoingMessage[],
  flags: SendFlags,
): { err: IoError | null; count: number } {
  const f = sendFlags(flags);
  let i = 0;
  try {
    while (i < messages.length) {
      if (have.sendmmsg) i += sendBatch(fd, messages, i, f);
      else {
        sendOne(fd, messages[i], f);
        i++;
      }
    }
  } catch (e) {
    if (!(e instanceof IoError)) throw e;
    return { err: e, count: i };
  }
  return { err: null, count: i };
}

function receiveFlags(f: ReceiveFlags): number {
  return (
    (f.oob ? C.MSG_OOB : 0) |
    (f.peek ? C.MSG_PEEK : 0) |
    (f.trunc ? C.MSG_TRUNC : 0) |
    C.MSG_DONTWAIT |
    (C.MSG_NOSIGNAL ?? 0) |
    // Descriptors received with SCM_RIGHTS are close-on-exec, as every
    // descriptor this library makes (Zig leaves them inheritable).
    (C.MSG_CMSG_CLOEXEC ?? 0)
  );
}

/**
 * Zig's netReceivePosix: recvmsg with MSG_DONTWAIT into consecutive
 * parts of `buffer`; when nothing is ready, poll until the deadline (none:
 * forever). Returns as soon as at least one message came and no more are
 * ready; any error comes back with the messages received so far.
 */
export function netReceive(
  t: Threaded,
  fd: number,
  max: number,
  buffer: Uint8Array,
  flags: ReceiveFlags,
  timeout: Timeout,
  controls?: readonly Uint8Array[],
): { err: IoError | null; messages: IncomingMessage[] } {
  const messages: IncomingMessage[] = [];
  const f = receiveFlags(flags);
  const s = shim();
  let used = 0;
  try {
    const io = t.ioBasic();
    const deadline = timeout.kind === "none" ? null : timeout.toDeadline(io);
    for (;;) {
      checkCancel();
      if (messages.length === max) break;
      const rest = buffer.subarray(used);
      const control = controls?.[messages.length];
      const view = singleView;
      writeIovec(view, MSG, rest.length > 0 ? base(rest) : 0, rest.length);
      const name = addr.ptr() as number;
      writeMsghdr(view, 0, name, L.sizeof_sockaddr_storage, base(single) + MSG, 1, control);
      const rc = s.tio_recvmsg(fd, single, f) as number;
      if (rc >= 0) {
        const mflags = view.getInt32(L.msghdr_msg_flags, true);
        const controlLen = view.getUint32(L.msghdr_msg_controllen, true);
        messages.push({
          from: addr.readIp(),
          data: rest.subarray(0, rc),
          control: control === undefined ? empty : control.subarray(0, controlLen),
          flags: {
            eor: (mflags & C.MSG_EOR) !== 0,
            trunc: (mflags & C.MSG_TRUNC) !== 0,
            ctrunc: (mflags & C.MSG_CTRUNC) !== 0,
            oob: (mflags & C.MSG_OOB) !== 0,
            errqueue: C.MSG_ERRQUEUE !== undefined && (mflags & C.MSG_ERRQUEUE) !== 0,
          },
        });
        used += Math.min(rc, rest.length);
        continue;
      }
      if (-rc === os.errno.EINTR) continue;
      if (-rc !== os.errno.EAGAIN) throw errnoError(T.receiveErrors, -rc, "recvmsg");
      if (messages.length > 0) break;
      // Nothing ready: try again for a moment (an answer on loopback is
      // often microseconds away, a wake-up from poll tens), then wait until
      // something is ready, or the deadline.
      if (spinUntilReadable(fd)) continue;
      for (;;) {
        checkCancel();
        const ms = pollMs(io, deadline);
        if (ms === 0)
          throw new IoError("Timeout", {
            message: "Timeout: nothing received in time",
            syscall: "recvmsg",
          });
        const r = s.tio_poll1(fd, C.POLLIN, ms);
        if (r > 0) break;
        if (r === 0 || -r === os.errno.EINTR) continue;
        throw errnoError(T.pollErrors, -r, "poll");
      }
    }
  } catch (e) {
    if (!(e instanceof IoError)) throw e;
    return { err: e, messages };
  }
  return { err: null, messages };
}
