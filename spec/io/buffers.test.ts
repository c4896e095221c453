// Buffer arguments of every read and write (lib/io/validate.ts asBytes):
// any ArrayBufferView moves its bytes, as node:fs does; anything else is a
// TypeError naming the argument, before any syscall. Before, an Int32Array
// read 0 bytes (looked like EOF) and wrote 0 (File.writeAll looped
// forever), and a string reached readv as a bogus pointer (EFAULT, or
// /dev/null "took" it).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Dir, Ip4Address, Threaded, type File, type Io, type Stream } from "../../lib/index.ts";
import { tempDir } from "../helpers/tmp.ts";

let t: Threaded;
let io: Io;
const tmp = tempDir("tio-buffers-");
const src = join(tmp.path, "src");
beforeAll(() => {
  t = Threaded.init();
  io = t.io();
  writeFileSync(src, "ABCDEFGHIJKLMNOP");
});
afterAll(() => {
  t.deinit();
  tmp.remove();
});

function withFile<R>(path: string, mode: "read_only" | "read_write", fn: (f: File) => R): R {
  const f = Dir.cwd().openFile(io, path, { mode });
  try {
    return fn(f);
  } finally {
    f.close(io);
  }
}

const text = (b: ArrayBufferView) =>
  new TextDecoder().decode(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));

/** Views of 8 bytes each, one with a byteOffset into a bigger buffer. */
function views(): [string, ArrayBufferView][] {
  const backing = new ArrayBuffer(24);
  return [
    ["Int32Array", new Int32Array(2)],
    ["Float64Array", new Float64Array(1)],
    ["Uint16Array", new Uint16Array(4)],
    ["Uint8ClampedArray", new Uint8ClampedArray(8)],
    ["BigUint64Array", new BigUint64Array(1)],
    ["DataView", new DataView(new ArrayBuffer(8))],
    ["DataView with a byteOffset", new DataView(backing, 8, 8)],
    ["Int32Array with a byteOffset", new Int32Array(backing, 16, 2)],
    ["Buffer", Buffer.alloc(8)],
  ];
}

describe("any ArrayBufferView transfers its bytes", () => {
  for (const [name, v] of views()) {
    test(`File read/write with a ${name}`, () => {
      withFile(src, "read_only", (f) => {
        expect(f.readPositional(io, v, 0)).toBe(8);
        expect(text(v)).toBe("ABCDEFGH");
        expect(f.readStreaming(io, [new Uint8Array(2), v])).toBe(10);
        expect(text(v)).toBe("CDEFGHIJ");
      });
      const out = join(tmp.path, `out-${name}`);
      writeFileSync(out, "");
      withFile(out, "read_write", (f) => {
        expect(f.writeStreaming(io, v)).toBe(8);
        expect(f.writePositional(io, [v, new Uint8Array([0x21])], 8)).toBe(9);
      });
      expect(readFileSync(out, "latin1")).toBe("CDEFGHIJCDEFGHIJ!");
    });
  }

  test("File.writeAll / writeAllPositional of an Int32Array write its 12 bytes (it looped forever)", () => {
    const out = join(tmp.path, "writeAll");
    writeFileSync(out, "");
    const ints = new Int32Array([0x64636261, 0x68676665, 0x6c6b6a69]);
    withFile(out, "read_write", (f) => {
      // Guard: before the fix this returned 0 and writeAll below never returned.
      expect(f.writeStreaming(io, new Int32Array(1))).toBe(4);
      f.writeAll(io, ints);
      f.writeAllPositional(io, new DataView(ints.buffer, 4, 4), 16);
    });
    expect(readFileSync(out, "latin1")).toBe("\0\0\0\0abcdefghijklefgh");
  });

  test("Dir.readFile / writeFile take any view", () => {
    const out = join(tmp.path, "dirfile");
    Dir.cwd().writeFile(io, { subPath: out, data: new Uint16Array([0x6261, 0x6463]) });
    expect(readFileSync(out, "latin1")).toBe("abcd");
    const into = new Float64Array(2);
    expect(Dir.cwd().readFile(io, src, into).length).toBe(16);
    expect(text(into)).toBe("ABCDEFGHIJKLMNOP");
  });

  test("readers and writers take views for their buffers and arguments", () => {
    const out = join(tmp.path, "rw");
    writeFileSync(out, "");
    withFile(out, "read_write", (f) => {
      const w = f.writer(io, new Uint32Array(1));
      w.write(new Uint16Array([0x6261]));
      w.writeAll(new DataView(new Uint8Array([0x63, 0x64, 0x65, 0x66, 0x67]).buffer));
      w.flush();
    });
    expect(readFileSync(out, "latin1")).toBe("abcdefg");
    withFile(src, "read_only", (f) => {
      const r = f.reader(io, new Float64Array(1));
      const dest = new Int16Array(3);
      expect(r.read(dest)).toBe(6);
      expect(text(dest)).toBe("ABCDEF");
    });
  });
});

const notBuffers: [string, unknown, RegExp][] = [
  ["a string", "abcd", /is a string "abcd", not a Uint8Array .*TextEncoder/],
  ["a number", 12345, /is a number "12345", not a Uint8Array/],
  ["an ArrayBuffer", new ArrayBuffer(4), /is an ArrayBuffer, not a Uint8Array/],
  ["null", null, /is null, not a Uint8Array/],
  ["a plain object", { length: 4 }, /is an object, not a Uint8Array/],
  [
    "a fake Uint8Array",
    Object.create(Uint8Array.prototype),
    /is an object made from Uint8Array.prototype/,
  ],
];

describe("anything else is a TypeError naming the argument, before any syscall", () => {
  for (const [name, v, message] of notBuffers) {
    test(`File calls given ${name}`, () => {
      const bad = v as Uint8Array;
      withFile("/dev/null", "read_write", (f) => {
        // /dev/null "accepted" a string and reported 4 bytes written.
        expect(() => f.writeStreaming(io, bad)).toThrow(TypeError);
        expect(() => f.writeStreaming(io, bad)).toThrow(
          new RegExp(`^Write buffer ${message.source}`),
        );
        expect(() => f.writePositional(io, bad, 0)).toThrow(TypeError);
        expect(() => f.writeAll(io, bad)).toThrow(/^Bytes is/);
        expect(() => f.writeAllPositional(io, bad, 0)).toThrow(TypeError);
      });
      withFile(src, "read_only", (f) => {
        expect(() => f.readStreaming(io, bad)).toThrow(
          new RegExp(`^Read buffer ${message.source}`),
        );
        expect(() => f.readPositional(io, bad, 0)).toThrow(TypeError);
        // One bad element of a vectored call: nothing is read (before: a
        // partial count of 2).
        expect(() => f.readStreaming(io, [new Uint8Array(2), bad])).toThrow(
          new RegExp(`^Read buffer\\[1\\] ${message.source}`),
        );
        expect(f.readPositional(io, new Uint8Array(4), 0)).toBe(4);
        expect(() => f.reader(io, bad)).toThrow(/^Reader buffer is/);
        expect(() => f.writer(io, bad)).toThrow(/^Writer buffer is/);
        expect(() => f.reader(io).read(bad)).toThrow(/^Destination is/);
      });
      expect(() => Dir.cwd().readFile(io, src, bad)).toThrow(/^Buffer is/);
    });
  }

  test("the file position did not move on a refused read", () => {
    withFile(src, "read_only", (f) => {
      expect(() => f.readStreaming(io, [new Uint8Array(2), "ab" as unknown as Uint8Array])).toThrow(
        TypeError,
      );
      const b = new Uint8Array(2);
      expect(f.readStreaming(io, b)).toBe(2);
      expect(text(b)).toBe("AB");
    });
  });

  test("Stream and Socket calls", () => {
    const server = Ip4Address.loopback(0).listen(io, {});
    let client: Stream | undefined;
    let peer: Stream | undefined;
    try {
      client = server.socket.address.connect(io, { mode: "stream" });
      peer = server.accept(io);
      const bad = "abcd" as unknown as Uint8Array;
      expect(() => client!.writeAll(io, bad)).toThrow(/^Bytes is a string "abcd"/);
      expect(() => client!.write(io, bad, [])).toThrow(/^Header is a string/);
      expect(() => client!.write(io, new Uint8Array(0), [bad])).toThrow(/^Data\[0\] is a string/);
      expect(() => peer!.read(io, bad)).toThrow(/^Read buffer is a string/);
      expect(() => client!.writer(io).write(bad)).toThrow(/^Bytes is a string/);
      expect(() => client!.writer(io).splatBytes(bad, 2)).toThrow(/^Pattern is a string/);
      // A view goes through: an Int32Array's 8 bytes, read into a DataView.
      client.writeAll(io, new Int32Array([0x64636261, 0x68676665]));
      const into = new DataView(new ArrayBuffer(8));
      let got = 0;
      while (got < 8) got += peer.read(io, new DataView(into.buffer, got));
      expect(text(into)).toBe("abcdefgh");
    } finally {
      peer?.close(io);
      client?.close(io);
      server.deinit(io);
    }
    const udp = Ip4Address.loopback(0).bind(io, { mode: "dgram" });
    try {
      const bad = "abcd" as unknown as Uint8Array;
      expect(() => udp.send(io, udp.address, bad)).toThrow(/^Bytes is a string/);
      expect(() => udp.receive(io, bad)).toThrow(/^Receive buffer is a string/);
      expect(() => udp.sendMany(io, [{ address: udp.address, data: bad }])).toThrow(
        /^Message 0's data is a string/,
      );
      udp.send(io, udp.address, new Uint16Array([0x6968]));
      const m = udp.receive(io, new Float64Array(1));
      expect(text(m.data)).toBe("hi");
    } finally {
      udp.close(io);
    }
  });
});
