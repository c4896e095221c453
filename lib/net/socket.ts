// `net.Socket`, `net.Stream`, `net.Server` and the option and message types
// around them (Zig's defaults in camelCase). Every call forwards to the Io's
// vtable (net*).
import { IoError } from "../io/errors.ts";
import type { Io } from "../io/io.ts";
import { Timeout } from "../io/time.ts";
import { closedTwice, usedAfterClose } from "../io/close_once.ts";
import { closeCell, closedElsewhere, hasCell, withUse } from "../io/descriptor_cell.ts";
import { checkIo, checkLiveIo } from "../io/io_arg.ts";
import type { IpAddress } from "./address.ts";
import { StreamReader, StreamWriter } from "./stream_io.ts";
import { checkReceiveFlags, checkSendFlags } from "./socket_options.ts";
import {
  asByteList,
  asBytes,
  checkCount,
  checkHandle,
  describe,
  type Bytes,
} from "../io/validate.ts";

/** The kind of socket (`SOCK_STREAM`, `SOCK_DGRAM`, ...). */
export type SocketMode = "stream" | "dgram" | "seqpacket" | "raw" | "rdm";

export { Protocol } from "./protocol.ts";

/** The listen backlog when `ListenOptions.kernelBacklog` is not given (128, as Zig). */
export const defaultKernelBacklog = 128;

/** Options of `IpAddress.listen` (Zig's `IpAddress.ListenOptions`; defaults in the comments). */
export interface ListenOptions {
  readonly kernelBacklog?: number; // 128
  /** SO_REUSEADDR, and SO_REUSEPORT on POSIX. */
  readonly reuseAddress?: boolean; // false
  readonly mode?: SocketMode; // "stream"
  /** One of `Protocol`'s values (another number is a RangeError). */
  readonly protocol?: number; // Protocol.tcp
}

/** Options of `IpAddress.bind`: a socket that is not listening (UDP, usually). */
export interface BindOptions {
  readonly ip6Only?: boolean; // false
  readonly mode: SocketMode;
  /** One of `Protocol`'s values (another number is a RangeError). */
  readonly protocol?: number | null; // null: 0
}

/** Options of `IpAddress.connect`; `timeout` bounds the connect (`Timeout` error). */
export interface ConnectOptions {
  readonly mode: SocketMode;
  /** One of `Protocol`'s values (another number is a RangeError). */
  readonly protocol?: number | null;
  readonly timeout?: Timeout; // Timeout.none
}

/** Options of `UnixAddress.listen`. */
export interface UnixListenOptions {
  readonly kernelBacklog?: number; // 128
}

/** Flags of `Socket.sendMany` (`MSG_*`). */
export interface SendFlags {
  readonly confirm?: boolean;
  readonly dontRoute?: boolean;
  readonly eor?: boolean;
  readonly oob?: boolean;
  readonly fastopen?: boolean;
}

/** Flags of `Socket.receiveManyTimeout` (`MSG_*`). */
export interface ReceiveFlags {
  readonly oob?: boolean;
  readonly peek?: boolean;
  readonly trunc?: boolean;
}

/** A datagram to send; `sent` is set to the bytes the kernel took. */
export interface OutgoingMessage {
  /** The destination; null for the socket's connected peer (msg_name
   * NULL: a connected socket, a Unix stream socket). */
  readonly address: IpAddress | null;
  readonly data: Uint8Array;
  /** Control messages (ancillary data: `struct cmsghdr`s, as sendmsg(2)
   * takes them; SCM_RIGHTS passes descriptors over a Unix socket). Another
   * ArrayBufferView (a DataView) is sent as its bytes. */
  readonly control?: Uint8Array;
  sent?: number;
}

/** A received datagram: its sender, its bytes and what the kernel reported. */
export interface IncomingMessage {
  readonly from: IpAddress;
  /** The bytes received, inside the caller's data buffer. */
  readonly data: Uint8Array;
  /** The control messages received (`struct cmsghdr`s), inside the
   * control buffer the caller gave for this message; empty without one.
   * `flags.ctrunc` says some did not fit. */
  readonly control: Uint8Array;
  readonly flags: {
    eor: boolean;
    trunc: boolean;
    ctrunc: boolean;
    oob: boolean;
    errqueue: boolean;
  };
}

/** What sendMany / receiveManyTimeout report: how far they got, and the
 * error that stopped them, if one did. */
export interface Progress<E> {
  readonly err: IoError | null;
  readonly count: number;
  readonly items: E;
}

/** Sockets closed through their object (Socket.close, Stream.close,
 * Server.deinit): a module-level set rather than a public field, so that
 * Stream and Server can check their Socket (io/close_once.ts). */
const closedSockets = new WeakSet<Socket>();

/** `socket`'s descriptor, or the BugError of its use after its close: a
 * call, or a crossing to a task (value_classes.ts; a closed Stream passed
 * to a task read the connection that reused its number). */
export function checkSocketOpen(socket: Socket, kind: string): number {
  if (closedSockets.has(socket)) throw usedAfterClose(kind, socket.handle);
  if (closedElsewhere(socket)) throw usedAfterClose(kind, socket.handle, true);
  return socket.handle;
}

/** `call` on the socket's descriptor (checked open first; the caller has
 * checked `io`), as a use of its cell when it has one
 * (io/descriptor_cell.ts): a close through
 * another object over it meanwhile wakes the call (shutdown) and leaves
 * close(2) to the last call out, so that no call reaches the number after
 * another open reused it. */
function useSocket<T>(socket: Socket, kind: string, io: Io, call: (fd: number) => T): T {
  const fd = checkSocketOpen(socket, kind);
  if (!hasCell(socket)) return call(fd);
  return withUse(
    socket,
    () => usedAfterClose(kind, fd, true),
    () => io.vtable.netClose(io.userdata, fd),
    () => call(fd),
  );
}

/** `net.Socket`: a socket descriptor and its address (the local one after
 * bind or connect, the peer's after accept), with datagram calls: `send`,
 * `receive`, `sendMany`, `receiveManyTimeout`. Crosses to tasks as a
 * `Socket` over the same descriptor. */
export class Socket {
  constructor(
    readonly handle: number,
    /** The local address (bind, connect) or the peer's (accept). */
    readonly address: IpAddress,
  ) {
    checkHandle(handle);
  }

  /** Closes the descriptor. Once: a second close through this object (or
   * its Stream or Server) is a BugError, and closing it again through
   * another object over it is a bug Zig also forbids (if the number was
   * reused, it closes another descriptor). */
  close(io: Io): void {
    closeSocket(this, io, false, "Socket");
  }

  /** One datagram to `dest`. Errors: Socket.SendError, MessageOversize
   * when the kernel took fewer bytes. */
  send(io: Io, dest: IpAddress, data: Bytes): void {
    checkIo(io, "Socket"); // first: a left-out io shifted the arguments
    const bytes = asBytes(data, "Bytes");
    const msg: OutgoingMessage = { address: dest, data: bytes };
    const r = useSocket(this, "Socket", io, (fd) => io.vtable.netSend(io.userdata, fd, [msg], {}));
    if (r.count !== 1) throw r.err ?? new IoError("Unexpected");
    if (msg.sent !== bytes.length)
      throw new IoError("MessageOversize", {
        message: `MessageOversize: sent ${msg.sent} of ${bytes.length} bytes`,
      });
  }

  /** Sends in order (sendmmsg batches of up to 64 on Linux); stops at the
   * first error, returned with the count fully sent. */
  sendMany(
    io: Io,
    messages: OutgoingMessage[],
    flags: SendFlags = {},
  ): Progress<OutgoingMessage[]> {
    checkIo(io, "Socket");
    checkMessages(messages);
    checkSendFlags(flags);
    const r = useSocket(this, "Socket", io, (fd) =>
      io.vtable.netSend(io.userdata, fd, messages, flags),
    );
    return { err: r.err, count: r.count, items: messages };
  }

  /** Blocks until one datagram arrives; its control messages go to
   * `control`, when given. */
  receive(io: Io, buffer: Bytes, control?: Uint8Array): IncomingMessage {
    return this.receiveTimeout(io, buffer, Timeout.none, control);
  }

  /** As receive, but Timeout once `timeout` passes. */
  receiveTimeout(io: Io, buffer: Bytes, timeout: Timeout, control?: Uint8Array): IncomingMessage {
    checkIo(io, "Socket");
    const into = asBytes(buffer, "Receive buffer");
    const controls = control === undefined ? undefined : [asBytes(control, "Control buffer")];
    const r = useSocket(this, "Socket", io, (fd) =>
      io.vtable.netReceive(io.userdata, fd, 1, into, {}, timeout, controls),
    );
    if (r.err !== null) throw r.err;
    return r.messages[0];
  }

  /** Up to `max` datagrams into consecutive parts of `buffer`: returns as
   * soon as one arrived and no more are ready. The i-th message's control
   * messages go to `controls[i]`, when given. */
  receiveManyTimeout(
    io: Io,
    max: number,
    buffer: Bytes,
    flags: ReceiveFlags,
    timeout: Timeout,
    controls?: readonly Uint8Array[],
  ): Progress<IncomingMessage[]> {
    checkIo(io, "Socket");
    const into = asBytes(buffer, "Receive buffer");
    checkCount(max, "Message count", 1);
    checkReceiveFlags(flags);
    // Before recvmsg: a control found bad after it would lose the datagram.
    const ctl = controls === undefined ? undefined : controlList(controls);
    const r = useSocket(this, "Socket", io, (fd) =>
      io.vtable.netReceive(io.userdata, fd, max, into, flags, timeout, ctl),
    );
    return { err: r.err, count: r.messages.length, items: r.messages };
  }
}

/** Each message's `data` must be a Uint8Array (the kernel's count goes
 * back into the caller's message, so it is not rewrapped); its `control`,
 * when given, any ArrayBufferView (the msghdr takes its bytes). All checked
 * before the first message goes. */
function checkMessages(messages: readonly OutgoingMessage[]): void {
  if (!Array.isArray(messages))
    throw new TypeError(`Messages is ${describe(messages)}, not an array`);
  for (let i = 0; i < messages.length; i++) {
    const data: unknown = messages[i]?.data;
    if (!(ArrayBuffer.isView(data) && data instanceof Uint8Array))
      throw new TypeError(`Message ${i}'s data is ${describe(data)}, not a Uint8Array`);
    const control: unknown = messages[i].control;
    if (control !== undefined) asBytes(control, `Message ${i}'s control`);
  }
}

/** receiveManyTimeout's control buffers as Uint8Arrays (as receive's one,
 * through asBytes); the caller's array is copied only to convert. An
 * undefined entry is a message without one. */
function controlList(controls: readonly Uint8Array[]): readonly Uint8Array[] {
  if (!Array.isArray(controls))
    throw new TypeError(`Control buffers is ${describe(controls)}, not an array`);
  let list: (Uint8Array | undefined)[] = controls;
  for (let i = 0; i < controls.length; i++) {
    const c: unknown = controls[i];
    if (c === undefined || c instanceof Uint8Array) continue;
    if (list === controls) list = controls.slice();
    list[i] = asBytes(c, `Control buffer ${i}`);
  }
  return list as readonly Uint8Array[];
}

/** `net.Stream`: a connected stream socket: `read`, `writeAll`, buffered
 * `reader(io)` / `writer(io)`, `close`. Crosses to tasks as a
 * `Stream` over the same descriptor, so one thread can accept and another
 * serve. */
export class Stream {
  constructor(readonly socket: Socket) {}

  get handle(): number {
    return this.socket.handle;
  }

  reader(io: Io, buffer: Bytes = new Uint8Array(4096)): StreamReader {
    return new StreamReader(io, this, buffer);
  }

  writer(io: Io, buffer: Bytes = new Uint8Array(4096)): StreamWriter {
    return new StreamWriter(io, this, buffer);
  }

  /** Reads into `bufs` in order; 0 at the end of the stream. */
  read(io: Io, bufs: Bytes | readonly Bytes[]): number {
    checkIo(io, "Stream"); // first: a left-out io shifted the arguments
    const list = asByteList(bufs, "Read buffer");
    return useSocket(this.socket, "Stream", io, (fd) => io.vtable.netRead(io.userdata, fd, list));
  }

  /** The splat contract: header ++ data[0..n-1] ++ data[n-1] × splat;
   * returns bytes written, header first (maybe fewer than all). */
  write(io: Io, header: Bytes, data: readonly Bytes[], splat = 1): number {
    checkIo(io, "Stream");
    const head = asBytes(header, "Header");
    const list = asByteList(data, "Data");
    checkCount(splat, "Splat");
    return useSocket(this.socket, "Stream", io, (fd) =>
      io.vtable.netWrite(io.userdata, fd, head, list, splat),
    );
  }

  /** Writes every byte of `bytes`. */
  writeAll(io: Io, bytes: Bytes): void {
    checkIo(io, "Stream");
    const all = asBytes(bytes, "Bytes");
    let done = 0;
    const empty = new Uint8Array(0);
    useSocket(this.socket, "Stream", io, (fd) => {
      while (done < all.length)
        done += io.vtable.netWrite(io.userdata, fd, empty, [all.subarray(done)], 1);
    });
  }

  /** Closes the socket: once (see Socket.close). */
  close(io: Io): void {
    closeSocket(this.socket, io, false, "Stream");
  }
}

/** `net.Server`: a listening socket (`IpAddress.listen`). `accept(io)` blocks
 * cancelably until a client connects and returns its `Stream`; `deinit`
 * closes it. Crosses to tasks as a `Server` over the same descriptor. */
export class Server {
  constructor(readonly socket: Socket) {}

  /** Blocks until a connection arrives; its address is the peer's. */
  accept(io: Io): Stream {
    checkIo(io, "Server");
    return useSocket(this.socket, "Server", io, (fd) => io.vtable.netAccept(io.userdata, fd));
  }

  /** Closes the listening socket; a task blocked in `accept` on it (on
   * another thread) returns with SocketNotListening, where Zig's close
   * would leave it blocked for good. */
  deinit(io: Io): void {
    closeSocket(this.socket, io, true, "Server");
  }
}

function closeSocket(socket: Socket, io: Io, listening: boolean, kind: string): void {
  checkLiveIo(io, listening ? `${kind}.deinit` : `${kind}.close`); // before anything is marked closed
  if (closedSockets.has(socket)) throw closedTwice(kind, socket.handle);
  if (closedElsewhere(socket)) throw closedTwice(kind, socket.handle, true);
  closedSockets.add(socket);
  // Before close(2): the number may be reused at once. Lost to a close
  // through another object at the same time: that one closes it. With
  // calls through other objects in flight, they are woken (shutdown) and
  // the last one out closes it.
  const fd = socket.handle;
  const how = closeCell(socket, {
    wake: () => io.vtable.netShutdown(io.userdata, fd),
    closeNow: () => io.vtable.netClose(io.userdata, fd),
  });
  if (how === "lost") throw closedTwice(kind, fd, true);
  if (how === "done") return;
  if (listening) io.vtable.netCloseListening(io.userdata, fd);
  else io.vtable.netClose(io.userdata, fd);
}
