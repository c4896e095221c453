// The value classes that cross threads as data and come back as instances:
// addresses, host names, time values, SharedBytes (its block handle and
// span: the same memory arrives, not a copy), and sockets: a `Socket` is its
// descriptor plus an address, and a `Stream` or `Server` is a `Socket`, so
// each arrives on the other thread as a working instance over the same
// descriptor (descriptors are per process, shared by every thread, as a
// `File`'s is). Registered once, when the implementation loads (see codec.ts
// registerValueClass).
import { registerValueClass } from "../substrate/codec.ts";
import { revivingHeap } from "../substrate/crossing.ts";
import { adoptCell, cellForCrossing } from "../io/descriptor_cell.ts";
import { Ip4Address } from "../net/ip4.ts";
import { Ip6Address } from "../net/ip6.ts";
import { HostName } from "../net/host_name.ts";
import { UnixAddress, type IpAddress } from "../net/address.ts";
import { checkSocketOpen, Server, Socket, Stream } from "../net/socket.ts";
import { Duration, Timestamp } from "../io/time.ts";
import { SharedBytes, type SharedBytesData } from "../io/shared_bytes.ts";

registerValueClass(
  "ip4",
  Ip4Address,
  (a): [number[], number] => [Array.from(a.bytes), a.port],
  ([b, port]: [number[], number]) => new Ip4Address(new Uint8Array(b), port),
);
registerValueClass(
  "ip6",
  Ip6Address,
  (a): [number[], number, number, number] => [Array.from(a.bytes), a.port, a.flow, a.iface],
  ([b, port, flow, iface]: [number[], number, number, number]) =>
    new Ip6Address(new Uint8Array(b), port, flow, iface),
);
registerValueClass(
  "host_name",
  HostName as unknown as abstract new () => HostName,
  (h) => h.bytes,
  (s: string) => HostName.init(s),
);
registerValueClass(
  "timestamp",
  Timestamp,
  (t) => t.nanoseconds,
  (n: bigint) => new Timestamp(n),
);
registerValueClass(
  "duration",
  Duration,
  (d) => d.nanoseconds,
  (n: bigint) => new Duration(n),
);
registerValueClass(
  "unix_address",
  UnixAddress as unknown as abstract new () => UnixAddress,
  (a) => a.path,
  (path: string) => UnixAddress.init(path),
);
// The address inside is itself a value class: the codec rebuilds it first.
// With the descriptor's cell (io/descriptor_cell.ts): a close through the
// original or a copy is seen by all.
registerValueClass(
  "socket",
  Socket,
  (s): [number, IpAddress, number, number] => [
    checkSocketOpen(s, "Socket"),
    s.address,
    ...cellForCrossing(s, s.handle, "Socket"),
  ],
  ([handle, address, ref, gen]: [number, IpAddress, number?, number?]) => {
    const s = new Socket(handle, address);
    const heap = revivingHeap();
    if (heap !== undefined && typeof ref === "number" && typeof gen === "number")
      adoptCell(s, heap, ref, gen);
    return s;
  },
);
registerValueClass(
  "stream",
  Stream,
  (s) => (checkSocketOpen(s.socket, "Stream"), s.socket),
  (socket: Socket) => new Stream(socket),
);
registerValueClass(
  "server",
  Server,
  (s) => (checkSocketOpen(s.socket, "Server"), s.socket),
  (socket: Socket) => new Server(socket),
);
registerValueClass(
  "shared_bytes",
  SharedBytes as unknown as abstract new () => SharedBytes,
  (b) => b.toData(),
  (d: SharedBytesData) => SharedBytes.fromData(d),
);
