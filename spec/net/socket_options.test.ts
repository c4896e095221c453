// The options of listen, bind, connect and the datagram calls, as a
// newcomer gets them wrong: a misspelled name (`reuseAdress` left the
// default), a socket mode outside `SocketMode` (it reached socket(2) and came
// back as an Unexpected ESOCKTNOSUPPORT), connect or bind without options
// ("evaluating 'options.mode'"). Each is refused before any socket is made.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  Ip4Address,
  Ip6Address,
  Protocol,
  Threaded,
  UnixAddress,
  type Io,
} from "../../lib/index.ts";
import { openSockets } from "../helpers/tmp.ts";

let t: Threaded;
let io: Io;
beforeAll(() => {
  t = Threaded.init();
  io = t.io();
});
afterAll(() => t.deinit());

describe("listen", () => {
  test("an unknown option is a TypeError naming it and the known ones", () => {
    const before = openSockets();
    expect(() => Ip4Address.loopback(0).listen(io, { reuseAdress: true } as never)).toThrow(
      new TypeError(
        'listen has no option "reuseAdress" (the options: kernelBacklog, reuseAddress, mode, protocol)',
      ),
    );
    expect(() => Ip6Address.loopback(0).listen(io, { backlog: 4 } as never)).toThrow(
      /^listen has no option "backlog"/,
    );
    expect(() =>
      UnixAddress.init("/tmp/tio-never").listen(io, { mode: "stream" } as never),
    ).toThrow(new TypeError('listen has no option "mode" (the options: kernelBacklog)'));
    expect(openSockets()).toBe(before);
  });

  test("a mode outside SocketMode is a RangeError", () => {
    expect(() => Ip4Address.loopback(0).listen(io, { mode: "tcp" } as never)).toThrow(
      new RangeError('Socket mode "tcp" is not one of stream, dgram, seqpacket, raw, rdm'),
    );
  });
});

describe("connect and bind", () => {
  test("without options: a TypeError saying a mode is needed", () => {
    expect(() => Ip4Address.loopback(1).connect(io, undefined as never)).toThrow(
      new TypeError('connect needs options with a mode, such as { mode: "stream" }'),
    );
    expect(() => Ip4Address.loopback(1).connect(io, {} as never)).toThrow(
      /^connect needs options with a mode/,
    );
    expect(() => Ip6Address.loopback(0).bind(io, undefined as never)).toThrow(
      new TypeError('bind needs options with a mode, such as { mode: "stream" }'),
    );
  });

  test("a bogus mode is a RangeError naming it, not Unexpected ESOCKTNOSUPPORT", () => {
    expect(() => Ip4Address.loopback(1).connect(io, { mode: "bogus" } as never)).toThrow(
      new RangeError('Socket mode "bogus" is not one of stream, dgram, seqpacket, raw, rdm'),
    );
    expect(() => Ip4Address.loopback(0).bind(io, { mode: "udp" } as never)).toThrow(RangeError);
  });

  test("unknown names are TypeErrors", () => {
    expect(() =>
      Ip4Address.loopback(1).connect(io, { mode: "stream", timeOut: 5 } as never),
    ).toThrow(/^connect has no option "timeOut" \(the options: mode, protocol, timeout\)/);
    expect(() =>
      Ip4Address.loopback(0).bind(io, { mode: "dgram", ipv6Only: true } as never),
    ).toThrow(/^bind has no option "ipv6Only" \(the options: ip6Only, mode, protocol\)/);
  });

  test("sendMany and receiveManyTimeout flags", () => {
    const s = Ip4Address.loopback(0).bind(io, { mode: "dgram" });
    try {
      expect(() => s.sendMany(io, [], { dontroute: true } as never)).toThrow(
        /^sendMany has no option "dontroute"/,
      );
      expect(() =>
        s.receiveManyTimeout(io, 1, new Uint8Array(8), { peak: true } as never, undefined as never),
      ).toThrow(/^receiveManyTimeout has no option "peak" \(the options: oob, peek, trunc\)/);
    } finally {
      s.close(io);
    }
  });

  test("a protocol outside net.Protocol is refused before socket(2), not wrapped", () => {
    // Zig's net.Protocol is an exhaustive enum: only its values. 2^32 + 6
    // and 6.9 used to reach socket(2) as 6 (TCP), 17.5 as 17 (UDP).
    const before = openSockets();
    const listen = (protocol: unknown) =>
      Ip4Address.loopback(0).listen(io, { protocol: protocol as number });
    for (const bad of [2 ** 32 + Protocol.tcp, -(2 ** 32) + 6, 6.9, NaN, -1, 3, 256, Infinity])
      expect(() => listen(bad)).toThrow(RangeError);
    expect(() => listen(2 ** 32 + 6)).toThrow(
      new RangeError(
        `Protocol 4294967302 is not one of net.Protocol's values (${Object.values(Protocol).join(", ")})`,
      ),
    );
    for (const bad of ["6", 6n, {}, true]) expect(() => listen(bad)).toThrow(TypeError);
    expect(() => listen("6")).toThrow(new TypeError('Protocol is a string "6", not a number'));
    for (const bad of [2 ** 32 + Protocol.udp, 17.5])
      expect(() => Ip4Address.loopback(0).bind(io, { mode: "dgram", protocol: bad })).toThrow(
        RangeError,
      );
    expect(() => Ip4Address.loopback(1).connect(io, { mode: "stream", protocol: 6.5 })).toThrow(
      RangeError,
    );
    expect(openSockets()).toBe(before);
    // The enum's values, null and no protocol still work.
    listen(Protocol.tcp).deinit(io);
    Ip4Address.loopback(0).bind(io, { mode: "dgram", protocol: Protocol.udp }).close(io);
    Ip4Address.loopback(0).bind(io, { mode: "dgram", protocol: null }).close(io);
  });

  test("correct options still connect", () => {
    const server = Ip4Address.loopback(0).listen(io, { reuseAddress: true, kernelBacklog: 4 });
    const c = Ip4Address.loopback(server.socket.address.port).connect(io, { mode: "stream" });
    const a = server.accept(io);
    c.close(io);
    a.close(io);
    server.deinit(io);
  });
});
