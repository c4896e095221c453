// The vtable's datagram entries: send (sendmmsg batches of up to 64, or
// sendmsg one by one) and receive (recvmsg with MSG_DONTWAIT, then poll
// until the deadline), control messages both ways.
import { IoError } from "../io/errors.ts";
import type { Io } from "../io/io.ts";
import { Timeout } from "../io/time.ts";
import { C, have, L, os } from "../os/index.ts";
import { shim } from "../ffi/shim.ts";
import {
  type IncomingMessage,
  type OutgoingMessage,
  type ReceiveFlags,
  type SendFlags,
} from "../net/socket.ts";
import type { Threaded } from "./threaded.ts";
import { checkCancel } from "../substrate/cancel.ts";
import { errnoError, syscall } from "./syscall.ts";
import { SockAddrBuf } from "./sockaddr.ts";
import * as T from "./net_errors.ts";

import {
  addr,
  base,
  empty,
  IOV,
  MMSG,
  MSG,
  single,
  singleView,
  writeIovec,
  writeMsghdr,
} from "./net_msghdr.ts";
import { spinUntilReadable } from "./net_read_spin.ts";

const SEND_BATCH = 64;
const MAX_POLL_MS = 0x7fffffff;
let batch: { bytes: Uint8Array; view: DataView; addrs: SockAddrBuf[] } | undefined;

/** Milliseconds poll may wait: -1 for no deadline, 0 once it has passed
 * (rounded up, so a sub-millisecond remainder still waits). */
export function pollMs(io: Io, deadline: ReturnType<Timeout["toDeadline"]>): number {
  if (deadline === null) return -1;
  const left = deadline.durationFromNow(io).raw.nanoseconds;
  if (left <= 0n) return 0;
  return Math.min(MAX_POLL_MS, Number((left + 999_999n) / 1_000_000n));
}

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
  let sawReady = false; // poll said readable since the last datagram
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
        sawReady = false;
        continue;
      }
      if (-rc === os.errno.EINTR) continue;
      if (-rc !== os.errno.EAGAIN) throw errnoError(T.receiveErrors, -rc, "recvmsg");
      if (messages.length > 0) break;
      // Readable, yet nothing to read: shut down, when poll says POLLHUP (a
      // close through another object over the socket woke this receive:
      // io/descriptor_cell.ts). Every poll would then return at once and
      // every recvmsg find nothing: a busy loop until the end of time.
      if (sawReady && (s.tio_poll1(fd, C.POLLIN, 0) & C.POLLHUP) !== 0)
        throw new IoError("SocketUnconnected", {
          message:
            "SocketUnconnected: the socket was shut down while this receive waited " +
            "(closed through another object over it)",
          syscall: "recvmsg",
        });
      // Nothing ready: try again for a moment (an answer on loopback is
      // often microseconds away, a wake-up from poll tens), then wait until
      // something is ready, or the deadline.
      sawReady = spinUntilReadable(fd);
      if (sawReady) continue;
      for (;;) {
        checkCancel();
        const ms = pollMs(io, deadline);
        if (ms === 0)
          throw new IoError("Timeout", {
            message: "Timeout: nothing received in time",
            syscall: "recvmsg",
          });
        const r = s.tio_poll1(fd, C.POLLIN, ms);
        if (r > 0) {
          sawReady = true;
          break;
        }
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
