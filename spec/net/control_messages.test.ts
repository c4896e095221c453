// Control messages (ancillary data) both ways: OutgoingMessage.control goes
// to sendmsg, and a receive's control buffer gets what recvmsg returned.
// SCM_RIGHTS over a Unix stream pair passes a descriptor; the file is read
// through the received one.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import {
  Dir,
  Duration,
  File,
  Ip4Address,
  Threaded,
  Timeout,
  UnixAddress,
  type OutgoingMessage,
  type Stream,
} from "../../lib/index.ts";
import { shim } from "../../lib/ffi/shim.ts";
import { C, L } from "../../lib/os/index.ts";
import { openFdsUnder, tempDir } from "../helpers/tmp.ts";

let t: Threaded;
let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  t = Threaded.init();
  tmp = tempDir();
});
afterAll(() => {
  t.deinit();
  tmp.remove();
});

const align = (n: number) => Math.ceil(n / L.cmsg_align) * L.cmsg_align;
const HEADER = align(L.sizeof_cmsghdr);
const LEN_WIDTH = L.cmsghdr_cmsg_level - L.cmsghdr_cmsg_len; // size_t on Linux, 4 on Darwin

/** One SCM_RIGHTS message carrying `fds` (CMSG_SPACE bytes). */
function rights(fds: number[]): Uint8Array {
  const bytes = new Uint8Array(HEADER + align(4 * fds.length));
  const v = new DataView(bytes.buffer);
  v.setUint32(L.cmsghdr_cmsg_len, HEADER + 4 * fds.length, true); // CMSG_LEN; high half 0
  v.setInt32(L.cmsghdr_cmsg_level, C.SOL_SOCKET, true);
  v.setInt32(L.cmsghdr_cmsg_type, C.SCM_RIGHTS, true);
  fds.forEach((fd, i) => v.setInt32(HEADER + 4 * i, fd, true));
  return bytes;
}

/** The descriptors of every SCM_RIGHTS message in `control`. */
function receivedFds(control: Uint8Array): number[] {
  const v = new DataView(control.buffer, control.byteOffset, control.byteLength);
  const out: number[] = [];
  for (let at = 0; at + HEADER <= control.length;) {
    const len =
      LEN_WIDTH === 8
        ? Number(v.getBigUint64(at + L.cmsghdr_cmsg_len, true))
        : v.getUint32(at + L.cmsghdr_cmsg_len, true);
    const level = v.getInt32(at + L.cmsghdr_cmsg_level, true);
    const type = v.getInt32(at + L.cmsghdr_cmsg_type, true);
    if (level === C.SOL_SOCKET && type === C.SCM_RIGHTS)
      for (let i = HEADER; i + 4 <= len; i += 4) out.push(v.getInt32(at + i, true));
    at += align(len);
  }
  return out;
}

function unixPair(name: string): { a: Stream; b: Stream; close(): void } {
  const io = t.io();
  const address = UnixAddress.init(`${tmp.path}/${name}.sock`);
  const server = address.listen(io);
  const a = address.connect(io);
  const b = server.accept(io);
  server.deinit(io);
  return {
    a,
    b,
    close() {
      a.close(io);
      b.close(io);
    },
  };
}

test("SCM_RIGHTS passes a file descriptor; the file reads through the received one", () => {
  const io = t.io();
  const path = `${tmp.path}/passed.txt`;
  writeFileSync(path, "read through a passed descriptor");
  const pair = unixPair("rights");
  const file = Dir.cwd().openFile(io, path);
  const sent: OutgoingMessage = {
    address: null,
    data: new Uint8Array([0x66]),
    control: rights([file.handle]),
  };
  const r = pair.a.socket.sendMany(io, [sent]);
  expect(r.err).toBeNull();
  expect(sent.sent).toBe(1);
  file.close(io); // the receiver's descriptor keeps the open file alive

  const data = new Uint8Array(8);
  const control = new Uint8Array(64);
  const m = pair.b.socket.receiveTimeout(io, data, Timeout.none, control);
  expect(Array.from(m.data)).toEqual([0x66]);
  expect(m.flags.ctrunc).toBe(false);
  expect(m.control.buffer).toBe(control.buffer); // inside the caller's buffer
  expect(m.control.length).toBe(HEADER + align(4));
  const fds = receivedFds(m.control);
  expect(fds.length).toBe(1);
  const passed = new File(fds[0]);
  // Close-on-exec, as every descriptor the library makes.
  if (C.MSG_CMSG_CLOEXEC !== undefined)
    expect(Number(shim().tio_fcntl(fds[0], C.F_GETFD, 0)) & C.FD_CLOEXEC).toBe(C.FD_CLOEXEC);
  const text = new Uint8Array(64);
  const n = passed.readPositional(io, text, 0);
  expect(new TextDecoder().decode(text.subarray(0, n))).toBe("read through a passed descriptor");
  passed.close(io);
  pair.close();
  expect(openFdsUnder(tmp.path)).toBe(0); // every received descriptor closed
});

test("a control buffer too small, or none, reports ctrunc and installs no descriptor", () => {
  const io = t.io();
  const pair = unixPair("ctrunc");
  const file = Dir.cwd().openFile(io, `${tmp.path}`);
  const small = new Uint8Array(4);
  for (const control of [small, undefined]) {
    const sent = { address: null, data: new Uint8Array([1]), control: rights([file.handle]) };
    expect(pair.a.socket.sendMany(io, [sent]).err).toBeNull();
    const m = pair.b.socket.receiveTimeout(io, new Uint8Array(8), Timeout.none, control);
    expect(Array.from(m.data)).toEqual([1]);
    expect(m.flags.ctrunc).toBe(true);
    expect(m.control.length).toBe(0);
  }
  file.close(io);
  pair.close();
  expect(openFdsUnder(tmp.path)).toBe(0); // the kernel closed what did not fit
});

test("receiveManyTimeout gives each message its own control buffer", () => {
  const io = t.io();
  const pair = unixPair("many");
  const f1 = Dir.cwd().openFile(io, `${tmp.path}`);
  // Two sends: a stream socket keeps each one's descriptors with its bytes.
  for (const b of [2, 3]) {
    const m = { address: null, data: new Uint8Array([b]), control: rights([f1.handle]) };
    expect(pair.a.socket.sendMany(io, [m]).err).toBeNull();
  }
  const controls = [new Uint8Array(64), new Uint8Array(64)];
  const got: number[] = [];
  const received: number[] = [];
  while (got.length < 2) {
    const r = pair.b.socket.receiveManyTimeout(
      io,
      2 - got.length,
      new Uint8Array(2), // room for both: a stream read stops at a descriptor boundary
      {},
      Timeout.none,
      controls.slice(got.length),
    );
    expect(r.err).toBeNull();
    for (const m of r.items) {
      got.push(...m.data);
      received.push(...receivedFds(m.control));
    }
  }
  expect(got).toEqual([2, 3]);
  expect(received.length).toBe(2);
  for (const fd of received) new File(fd).close(io);
  f1.close(io);
  pair.close();
  expect(openFdsUnder(tmp.path)).toBe(0); // every received descriptor closed
});

test("control buffers of any ArrayBufferView kind, checked before any syscall", () => {
  const io = t.io();
  const a = Ip4Address.loopback(0).bind(io, { mode: "dgram" });
  const b = Ip4Address.loopback(0).bind(io, { mode: "dgram" });
  // Bounded, so that a lost datagram fails the test rather than hangs it.
  const soon = () => Timeout.duration(Duration.fromSeconds(2));
  try {
    a.send(io, b.address, new Uint8Array([1, 2, 3]));
    // A bad control anywhere in the list is refused before recvmsg: the
    // datagram stays queued (a DataView used to throw after recvmsg took it).
    for (const bad of [["x"], [new Uint8Array(8), 5], "not a list"])
      expect(() =>
        b.receiveManyTimeout(io, 2, new Uint8Array(16), {}, soon(), bad as never),
      ).toThrow(TypeError);
    const controls = [new DataView(new ArrayBuffer(64)), new Float64Array(8)];
    const r = b.receiveManyTimeout(io, 2, new Uint8Array(16), {}, soon(), controls as never);
    expect(r.err).toBeNull();
    expect(Array.from(r.items[0].data)).toEqual([1, 2, 3]);
    expect(r.items[0].control).toBeInstanceOf(Uint8Array);
    expect(r.items[0].control.buffer).toBe(controls[0].buffer);

    // sendMany: a bad control is refused before any message goes.
    const bad = { address: b.address, data: new Uint8Array([9]), control: "x" as never };
    const good = { address: b.address, data: new Uint8Array([8]) };
    expect(() => a.sendMany(io, [good, bad])).toThrow(TypeError);
    a.send(io, b.address, new Uint8Array([7]));
    expect(Array.from(b.receiveTimeout(io, new Uint8Array(4), soon()).data)).toEqual([7]);
  } finally {
    a.close(io);
    b.close(io);
  }
});

test("sendMany passes a DataView control (it was dropped: no descriptor arrived)", () => {
  const io = t.io();
  const pair = unixPair("dataview");
  const file = Dir.cwd().openFile(io, `${tmp.path}`);
  const bytes = rights([file.handle]);
  const control = new DataView(bytes.buffer) as never;
  expect(
    pair.a.socket.sendMany(io, [{ address: null, data: new Uint8Array([5]), control }]).err,
  ).toBeNull();
  file.close(io);
  const m = pair.b.socket.receiveTimeout(io, new Uint8Array(8), Timeout.none, new Uint8Array(64));
  expect(Array.from(m.data)).toEqual([5]);
  const fds = receivedFds(m.control);
  expect(fds.length).toBe(1);
  for (const fd of fds) new File(fd).close(io);
  pair.close();
  expect(openFdsUnder(tmp.path)).toBe(0);
});
