// Error messages name Zig's error, the operation, the address or path, and
// the errno: "ConnectionRefused: connect to 127.0.0.1:1 failed (ECONNREFUSED)".
// Address parse errors speak of the family the text looks like.
import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { Dir, IoError, Ip4Address, IpAddress, Threaded, UnixAddress } from "../../lib/index.ts";
import { tempDir } from "../helpers/tmp.ts";

const t = Threaded.init();
const io = t.io();
const tmp = tempDir("tio-messages-");
afterAll(() => {
  t.deinit();
  tmp.remove();
});

function caught(f: () => unknown): IoError {
  try {
    f();
  } catch (e) {
    if (e instanceof IoError) return e;
    throw e;
  }
  throw new Error("did not throw");
}

test("connect refused names the address", () => {
  // Port 1 on loopback: nothing listens there in a test environment; find a
  // free port by binding and closing to be sure.
  const probe = Ip4Address.loopback(0).listen(io, {});
  const port = probe.socket.address.port;
  probe.deinit(io);
  const e = caught(() => Ip4Address.loopback(port).connect(io, { mode: "stream" }));
  expect(e.code).toBe("ConnectionRefused");
  expect(e.address).toBe(`127.0.0.1:${port}`);
  expect(e.message).toBe(`ConnectionRefused: connect to 127.0.0.1:${port} failed (ECONNREFUSED)`);
});

test("bind in use names the address", () => {
  const server = Ip4Address.loopback(0).listen(io, {});
  try {
    const at = server.socket.address.toString();
    const e = caught(() => IpAddress.parse("127.0.0.1", server.socket.address.port).listen(io, {}));
    expect(e.code).toBe("AddressInUse");
    expect(e.message).toBe(`AddressInUse: bind to ${at} failed (EADDRINUSE)`);
  } finally {
    server.deinit(io);
  }
});

test("a Unix connect names the path", () => {
  const path = join(tmp.path, "nobody.sock");
  const e = caught(() => UnixAddress.init(path).connect(io));
  expect(e.code).toBe("FileNotFound");
  expect(e.message).toBe(`FileNotFound: connect to "${path}" failed (ENOENT)`);
});

test("a file error names the path", () => {
  const path = join(tmp.path, "missing", "file");
  const e = caught(() => Dir.cwd().openFile(io, path));
  expect(e.message).toBe(`FileNotFound: openat "${path}" failed (ENOENT)`);
});

test("parse errors speak of the family the text looks like", () => {
  expect(caught(() => IpAddress.parse("127.0.0.256", 80)).message).toBe(
    'Overflow: "127.0.0.256" is not an IPv4 address at 10',
  );
  expect(caught(() => IpAddress.parse("::g", 80)).message).toContain("is not an IPv6 address");
});
