// The value classes that cross threads as data and come back as instances:
// addresses, host names, time values, and SharedBytes (which crosses as its
// block handle and span: the same memory arrives, not a copy). Registered once, when the
// implementation loads (see codec.ts registerValueClass).
import { registerValueClass } from "../substrate/codec.ts";
import { Ip4Address } from "../net/ip4.ts";
import { Ip6Address } from "../net/ip6.ts";
import { HostName } from "../net/host_name.ts";
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
  "shared_bytes",
  SharedBytes as unknown as abstract new () => SharedBytes,
  (b) => b.toData(),
  (d: SharedBytesData) => SharedBytes.fromData(d),
);
