import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  Duration,
  Group,
  InterfaceName,
  Ip4Address,
  Ip6Address,
  IoError,
  IpAddress,
  ResetEvent,
  Threaded,
  Timeout,
  UnixAddress,
  type Stream,
} from "../../lib/index.ts";
import {
  acceptLoop,
  blockedAccept,
  blockedRead,
  echoClient,
  readAllTask,
} from "../fixtures/tasks.ts";
import { openSockets, tempDir } from "../helpers/tmp.ts";
import { codeOf as code } from "../helpers/errors.ts";

let t: Threaded;
let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  t = Threaded.init({ asyncLimit: 4 });
  tmp = tempDir();
});
afterAll(() => {
  t.deinit();
  tmp.remove();
});

const enc = (s: string) => new TextEncoder().encode(s);

describe("TCP", () => {
  test("an echo server: accept loop in a pool thread, connections served by group.concurrent", async () => {
    const io = t.io();
    const before = openSockets();
    const server = Ip4Address.loopback(0).listen(io, { reuseAddress: true });
    using connections = Group.init(io);
    using ready = ResetEvent.init(io);
    const acceptor = io.concurrent(
      acceptLoop,
      io,
      { handle: server.socket.handle },
      connections,
      ready,
    );
    await ready.waitAsync();
    const port = server.socket.address.port;
    const clients = [0, 1, 2].map(() => io.concurrent(echoClient, io, port, 20));
    for (const c of clients)
      expect(await c).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i}`));
    expect(acceptor.cancel(io)).toBe(3);
    connections.wait(io); // each echo task ends when its client closed
    server.deinit(io);
    expect(openSockets()).toBe(before);
  });

  test("large writes with splat arrive whole; read after peer close is end of stream", () => {
    const io = t.io();
    const server = Ip4Address.loopback(0).listen(io);
    const client = server.socket.address.connect(io, { mode: "stream" });
    const conn = server.accept(io);
    const w = client.writer(io, new Uint8Array(100));
    w.writeString("head:");
    w.splatBytes(enc("z"), 1_000_000); // one-byte pattern through the 64-byte splat buffer
    w.splatBytes(enc("ab"), 1000);
    w.writeString(":tail");
    const total = 5 + 1_000_000 + 2000 + 5;
    const reader = io.concurrent(readAllTask, io, conn.handle);
    w.flush();
    client.close(io);
    const text = reader.await(io) as string;
    expect(text.length).toBe(total);
    expect(text.startsWith("head:zzz")).toBe(true);
    expect(text.endsWith("abab:tail")).toBe(true);
    expect(text.slice(5, 1_000_005)).toBe("z".repeat(1_000_000));
    conn.close(io);
    server.deinit(io);
  });

  test("Stream.write honours the splat contract: header, data, last slice × splat, ≤ 8 iovecs", () => {
    const io = t.io();
    const server = Ip4Address.loopback(0).listen(io);
    const client = server.socket.address.connect(io, { mode: "stream" });
    const conn = server.accept(io);
    expect(client.write(io, enc("H"), [enc("a"), enc("b"), enc("xy")], 3)).toBe(9); // H a b xyxyxy
    expect(client.write(io, enc(""), [enc("q"), enc("-")], 0)).toBe(1); // splat 0: the pattern is not sent
    expect(client.write(io, enc(""), [enc("ab")], 20)).toBe(16); // an empty header is skipped: 8 iovecs of "ab"
    client.close(io);
    const r = conn.reader(io);
    expect(new TextDecoder().decode(r.readAll())).toBe("Habxyxyxyq" + "ab".repeat(8));
    conn.close(io);
    server.deinit(io);
  });

  test("connect to a closed port is ConnectionRefused; a full backlog times out", () => {
    const io = t.io();
    const probe = Ip4Address.loopback(0).listen(io);
    const port = probe.socket.address.port;
    probe.deinit(io);
    expect(code(() => Ip4Address.loopback(port).connect(io, { mode: "stream" }))).toBe(
      "ConnectionRefused",
    );

    // A listener with backlog 0 that never accepts: once its queue is full,
    // further SYNs are dropped and connect waits until its timeout.
    const server = Ip4Address.loopback(0).listen(io, { kernelBacklog: 0 });
    const open: Stream[] = [];
    let timedOut = false;
    for (let i = 0; i < 16 && !timedOut; i++) {
      try {
        open.push(
          server.socket.address.connect(io, {
            mode: "stream",
            timeout: Timeout.duration(Duration.fromMilliseconds(200)),
          }),
        );
      } catch (e) {
        expect((e as IoError).code).toBe("Timeout");
        timedOut = true;
      }
    }
    expect(timedOut).toBe(true);
    for (const s of open) s.close(io);
    server.deinit(io);
  });

  test("listening on an address in use is AddressInUse; with reuseAddress both bind", () => {
    const io = t.io();
    const a = Ip4Address.loopback(0).listen(io);
    expect(code(() => a.socket.address.listen(io))).toBe("AddressInUse");
    a.deinit(io);
    const b = Ip4Address.loopback(0).listen(io, { reuseAddress: true });
    const c = b.socket.address.listen(io, { reuseAddress: true });
    b.deinit(io);
    c.deinit(io);
  });

  test("IPv6 loopback, and ip6Only really sets IPV6_V6ONLY", () => {
    const io = t.io();
    const server = Ip6Address.loopback(0).listen(io);
    const client = server.socket.address.connect(io, { mode: "stream" });
    const conn = server.accept(io);
    expect(conn.socket.address.toString()).toStartWith("[::1]:");
    client.close(io);
    conn.close(io);
    server.deinit(io);
    // An IPv6-only socket cannot send to an IPv4-mapped address.
    const only = Ip6Address.unspecified(0).bind(io, { mode: "dgram", ip6Only: true });
    const target = Ip6Address.fromAny(Ip4Address.loopback(9));
    expect(code(() => only.send(io, target, enc("x")))).not.toBe("ok");
    only.close(io);
    const dual = Ip6Address.unspecified(0).bind(io, { mode: "dgram", ip6Only: false });
    expect(code(() => dual.send(io, target, enc("x")))).toBe("ok");
    dual.close(io);
  });
});

describe("cancelation", () => {
  test("a task blocked in accept or in read ends with Canceled, and no fd leaks", async () => {
    const io = t.io();
    const before = openSockets();
    const server = Ip4Address.loopback(0).listen(io);
    using r1 = ResetEvent.init(io);
    using r2 = ResetEvent.init(io);
    const accepting = io.concurrent(blockedAccept, io, server.socket.handle, r1);
    await r1.waitAsync();
    expect(accepting.cancel(io)).toBe("Canceled");

    const client = server.socket.address.connect(io, { mode: "stream" });
    const conn = server.accept(io);
    const reading = io.concurrent(blockedRead, io, conn.handle, r2);
    await r2.waitAsync();
    expect(reading.cancel(io)).toBe("Canceled");
    client.close(io);
    conn.close(io);
    server.deinit(io);
    expect(openSockets()).toBe(before);
  });

  test("group.cancel stops a server whose workers are blocked in accept and read", async () => {
    const io = t.io();
    const before = openSockets();
    const server = Ip4Address.loopback(0).listen(io);
    using connections = Group.init(io);
    using ready = ResetEvent.init(io);
    using g = Group.init(io);
    g.concurrent(io, acceptLoop, io, { handle: server.socket.handle }, connections, ready);
    await ready.waitAsync();
    const idle = [
      server.socket.address.connect(io, { mode: "stream" }),
      server.socket.address.connect(io, { mode: "stream" }),
    ];
    // A round trip on each proves its echo task is up; it then blocks in read.
    for (const c of idle) {
      c.writeAll(io, enc("ping\n"));
      expect(c.reader(io).readLine()).toBe("ping");
    }
    g.cancel(io);
    connections.cancel(io);
    for (const c of idle) c.close(io);
    server.deinit(io);
    expect(openSockets()).toBe(before);
  });
});

describe("UDP", () => {
  test("send many to one receiver, receive many into one buffer", () => {
    const io = t.io();
    const rx = Ip4Address.loopback(0).bind(io, { mode: "dgram" });
    const tx = Ip4Address.loopback(0).bind(io, { mode: "dgram" });
    const messages = Array.from({ length: 100 }, (_, i) => ({
      address: rx.address,
      data: enc(`msg ${i}`),
    }));
    const sent = tx.sendMany(io, messages);
    expect(sent.err).toBeNull();
    expect(sent.count).toBe(100);
    expect(messages.every((m, i) => (m as { sent?: number }).sent === `msg ${i}`.length)).toBe(
      true,
    );
    const buf = new Uint8Array(64 * 1024);
    const got: string[] = [];
    while (got.length < 100) {
      const r = rx.receiveManyTimeout(io, 32, buf, {}, Timeout.duration(Duration.fromSeconds(5)));
      expect(r.err).toBeNull();
      for (const m of r.items) {
        got.push(new TextDecoder().decode(m.data));
        expect(IpAddress.eql(m.from, tx.address)).toBe(true);
      }
    }
    expect(got).toEqual(messages.map((_, i) => `msg ${i}`));
    rx.close(io);
    tx.close(io);
  });

  test("receive with a timeout gives Timeout; with none it waits for data", async () => {
    const io = t.io();
    const rx = Ip4Address.loopback(0).bind(io, { mode: "dgram" });
    const start = performance.now();
    expect(
      code(() =>
        rx.receiveTimeout(io, new Uint8Array(16), Timeout.duration(Duration.fromMilliseconds(50))),
      ),
    ).toBe("Timeout");
    expect(performance.now() - start).toBeGreaterThanOrEqual(45);
    const tx = Ip4Address.loopback(0).bind(io, { mode: "dgram" });
    setTimeout(() => tx.send(io, rx.address, enc("late")), 30);
    await new Promise((r) => setTimeout(r, 60));
    const m = rx.receive(io, new Uint8Array(16));
    expect(new TextDecoder().decode(m.data)).toBe("late");
    rx.close(io);
    tx.close(io);
  });
});

describe("Unix sockets", () => {
  test("listen, connect, echo", () => {
    const io = t.io();
    const addr = UnixAddress.init(`${tmp.path}/echo.sock`);
    const server = addr.listen(io);
    const client = addr.connect(io);
    const conn = server.accept(io);
    client.writeAll(io, enc("over unix\n"));
    expect(conn.reader(io).readLine()).toBe("over unix");
    client.close(io);
    conn.close(io);
    server.deinit(io);
    expect(code(() => UnixAddress.init(`${tmp.path}/${"x".repeat(120)}`))).toBe("NameTooLong");
    expect(code(() => UnixAddress.init(`${tmp.path}/none.sock`).connect(io))).toBe("FileNotFound");
  });
});

test("lo resolves to its index and back to its name", () => {
  const io = t.io();
  const lo = InterfaceName.fromSlice("lo").resolve(io);
  expect(lo.index).toBeGreaterThan(0);
  expect(lo.name(io).toSlice()).toBe("lo");
  expect(code(() => InterfaceName.fromSlice("nosuchif0").resolve(io))).toBe("InterfaceNotFound");
  expect(code(() => InterfaceName.fromSlice("x".repeat(16)))).toBe("NameTooLong");
});

test("ioBasic() networking is Unavailable: NetworkDown (Unix sockets AddressFamilyUnsupported)", () => {
  const io = t.ioBasic();
  expect(code(() => Ip4Address.loopback(0).listen(io))).toBe("NetworkDown");
  const unix = UnixAddress.init(`${tmp.path}/basic.sock`);
  expect(code(() => unix.listen(io))).toBe("AddressFamilyUnsupported");
  expect(code(() => unix.connect(io))).toBe("AddressFamilyUnsupported");
  expect(code(() => InterfaceName.fromSlice("lo").resolve(io))).toBe("InterfaceNotFound");
});
