// Socket, Stream and Server handed to tasks (and returned from them) arrive
// as working instances over the same descriptor, as File does.
import { afterAll, beforeAll, expect, test } from "bun:test";
import {
  Ip4Address,
  Ip6Address,
  IpAddress,
  ResetEvent,
  Server,
  Socket,
  Stream,
  Threaded,
  UnixAddress,
} from "../../lib/index.ts";
import { acceptOne, bounce, connectBack, describeValue } from "../fixtures/crossing_tasks.ts";
import { openSockets } from "../helpers/tmp.ts";

let t: Threaded;
beforeAll(() => {
  t = Threaded.init({ asyncLimit: 4 });
});
afterAll(() => t.deinit());

test("Server, Stream and Socket arrive as themselves, nested too", () => {
  const io = t.io();
  const server = Ip4Address.loopback(0).listen(io, { reuseAddress: true });
  const stream = server.socket.address.connect(io, { mode: "stream" });
  const udp = IpAddress.parse("::1", 0).bind(io, { mode: "dgram" });
  try {
    const where = (s: Socket) => [String(s.handle), String(s.address)];
    expect(io.concurrent(describeValue, server).await(io)).toEqual([
      "Server",
      "true",
      ...where(server.socket),
    ]);
    expect(io.concurrent(describeValue, stream).await(io)).toEqual([
      "Stream",
      "true",
      ...where(stream.socket),
    ]);
    expect(io.concurrent(describeValue, udp).await(io)).toEqual(["Socket", "true", ...where(udp)]);
    expect(udp.address).toBeInstanceOf(Ip6Address);
    // Inside an array, as every value class.
    expect(io.concurrent(describeValue, [stream, 1]).await(io)).toEqual([
      "Stream",
      "true",
      ...where(stream.socket),
    ]);
  } finally {
    stream.close(io);
    udp.close(io);
    server.deinit(io);
  }
});

test("a UnixAddress arrives as a UnixAddress", () => {
  const io = t.io();
  const [cls] = io.concurrent(describeValue, UnixAddress.init("/tmp/tio.sock")).await(io);
  expect(cls).toBe("UnixAddress");
});

test("a Server accepts on a pool thread and a Stream is served by another task", async () => {
  const io = t.io();
  const before = openSockets();
  const server = Ip4Address.loopback(0).listen(io, { reuseAddress: true });
  using ready = ResetEvent.init(io);
  const acceptor = io.concurrent(acceptOne, io, server, ready);
  await ready.waitAsync();
  const client = server.socket.address.connect(io, { mode: "stream" });
  client.writeAll(io, new TextEncoder().encode("hello\n"));
  expect(client.reader(io).readLine()).toBe("HELLO");
  expect(await acceptor).toBe("hello");
  client.close(io);
  server.deinit(io);
  expect(openSockets()).toBe(before);
});

test("a Socket receives and sends datagrams on a pool thread", async () => {
  const io = t.io();
  const a = Ip4Address.loopback(0).bind(io, { mode: "dgram" });
  const b = Ip4Address.loopback(0).bind(io, { mode: "dgram" });
  try {
    const f = io.concurrent(bounce, io, a);
    b.send(io, a.address, new TextEncoder().encode("ping"));
    const back = b.receive(io, new Uint8Array(64));
    expect(new TextDecoder().decode(back.data)).toBe("ping");
    expect(back.from.toString()).toBe(a.address.toString());
    expect(await f).toBe("ping");
  } finally {
    a.close(io);
    b.close(io);
  }
});

test("a Stream made on a pool thread comes back as a Stream", async () => {
  const io = t.io();
  const server = Ip4Address.loopback(0).listen(io, { reuseAddress: true });
  try {
    const f = io.concurrent(connectBack, io, server.socket.address);
    const accepted = server.accept(io);
    const stream = await f;
    expect(stream).toBeInstanceOf(Stream);
    expect(stream.socket).toBeInstanceOf(Socket);
    stream.writeAll(io, new TextEncoder().encode("back\n"));
    expect(accepted.reader(io).readLine()).toBe("back");
    stream.close(io);
    accepted.close(io);
  } finally {
    server.deinit(io);
  }
});

test("a Server passed to a task is the same listening socket (not a copy)", () => {
  const io = t.io();
  const server = Ip4Address.loopback(0).listen(io, { reuseAddress: true });
  try {
    const [cls, , handle] = io.concurrent(describeValue, server).await(io);
    expect(cls).toBe(Server.name);
    expect(Number(handle)).toBe(server.socket.handle);
  } finally {
    server.deinit(io);
  }
});
