// A reset after data must read as the data, then ConnectionResetByPeer: the
// read's non-blocking receive before it blocks must not swallow the
// socket's pending error (the blocking read after it would return 0, and a
// truncated stream would read as complete).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Ip4Address, Threaded } from "../../lib/index.ts";
import { codeOf as code } from "../helpers/errors.ts";

let t: Threaded;
beforeAll(() => {
  t = Threaded.init();
});
afterAll(() => t.deinit());

test('a peer that sends "hi" then resets reads as 2, then ConnectionResetByPeer', () => {
  const io = t.io();
  const server = Ip4Address.loopback(0).listen(io);
  const client = server.socket.address.connect(io, { mode: "stream" });
  const conn = server.accept(io);
  // Closing a socket with unread received bytes resets the connection
  // (RFC 2525 2.17; Linux sends RST): the client's "x" stays unread.
  client.writeAll(io, new Uint8Array([0x78]));
  conn.writeAll(io, new TextEncoder().encode("hi"));
  conn.close(io);
  const buf = new Uint8Array(16);
  expect(client.read(io, buf)).toBe(2);
  expect(new TextDecoder().decode(buf.subarray(0, 2))).toBe("hi");
  expect(code(() => client.read(io, buf))).toBe("ConnectionResetByPeer");
  // After the reset is reported, the stream is at its end.
  expect(client.read(io, buf)).toBe(0);
  client.close(io);
  server.deinit(io);
});

test("a clean close still reads as end of stream", () => {
  const io = t.io();
  const server = Ip4Address.loopback(0).listen(io);
  const client = server.socket.address.connect(io, { mode: "stream" });
  const conn = server.accept(io);
  conn.writeAll(io, new TextEncoder().encode("hi"));
  conn.close(io);
  const buf = new Uint8Array(16);
  expect(client.read(io, buf)).toBe(2);
  expect(client.read(io, buf)).toBe(0);
  client.close(io);
  server.deinit(io);
});
