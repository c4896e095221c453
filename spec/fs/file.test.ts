import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Dir, File, IoError, Threaded } from "../../lib/index.ts";
import { tempDir } from "../helpers/tmp.ts";
import { codeOf } from "../helpers/errors.ts";

let t: Threaded;
let tmp: ReturnType<typeof tempDir>;
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

beforeAll(() => {
  t = Threaded.init();
  tmp = tempDir();
});
afterAll(() => {
  t.deinit();
  tmp.remove();
});

describe("File", () => {
  test("create, write and read back streaming and positional", () => {
    const io = t.io();
    const dir = Dir.cwd().openDir(io, tmp.path);
    const f = dir.createFile(io, "rw.txt", { read: true });
    expect(f.writeStreaming(io, [enc("hello "), enc("world")])).toBe(11);
    expect(f.writePositional(io, [enc("W")], 6)).toBe(1);
    const a = new Uint8Array(5);
    const b = new Uint8Array(6);
    expect(f.readPositional(io, [a, b], 0)).toBe(11);
    expect(dec(a) + dec(b)).toBe("hello World");
    f.seekTo(io, 0);
    const all = new Uint8Array(32);
    expect(f.readStreaming(io, all)).toBe(11);
    expect(f.readStreaming(io, all)).toBe(0); // end of file
    f.seekBy(io, -5);
    expect(f.readStreaming(io, all)).toBe(5);
    expect(dec(all.subarray(0, 5))).toBe("World");
    f.close(io);
    dir.close(io);
  });

  test("vectored I/O skips empty buffers and fills in order", () => {
    const io = t.io();
    const f = Dir.cwd().createFile(io, `${tmp.path}/vec.bin`, { read: true });
    f.writeAll(io, enc("abcdefgh"));
    const parts = [new Uint8Array(0), new Uint8Array(3), new Uint8Array(0), new Uint8Array(5)];
    expect(f.readPositional(io, parts, 0)).toBe(8);
    expect(dec(parts[1]) + dec(parts[3])).toBe("abcdefgh");
    expect(() => f.readPositional(io, [new Uint8Array(0)], 0)).toThrow(RangeError);
    f.close(io);
  });

  test("stat gives kind, size, mode and nanosecond times", () => {
    const io = t.io();
    const f = Dir.cwd().createFile(io, `${tmp.path}/stat.txt`, { mode: 0o640 });
    f.writeAll(io, enc("12345"));
    const st = f.stat(io);
    expect(st.kind).toBe("file");
    expect(st.size).toBe(5n);
    expect(st.mode & 0o777).toBe(0o640 & ~process.umask());
    expect(st.inode).toBeGreaterThan(0n);
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    expect(
      st.mtime.nanoseconds > nowNs - 60_000_000_000n &&
        st.mtime.nanoseconds <= nowNs + 1_000_000_000n,
    ).toBe(true);
    f.close(io);
    expect(Dir.cwd().statPath(io, tmp.path).kind).toBe("directory");
    expect(Dir.cwd().statPath(io, "/dev/null").kind).toBe("character_device");
  });

  test("create flags: exclusive, truncate false, read", () => {
    const io = t.io();
    const p = `${tmp.path}/flags.txt`;
    Dir.cwd().writeFile(io, { subPath: p, data: "0123456789" });
    expect(codeOf(() => Dir.cwd().createFile(io, p, { exclusive: true }))).toBe(
      "PathAlreadyExists",
    );
    const keep = Dir.cwd().createFile(io, p, { truncate: false });
    expect(keep.stat(io).size).toBe(10n);
    expect(codeOf(() => keep.readStreaming(io, new Uint8Array(1)))).toBe("NotOpenForReading");
    keep.close(io);
    const trunc = Dir.cwd().createFile(io, p);
    expect(trunc.stat(io).size).toBe(0n);
    trunc.close(io);
  });

  test("open errors: FileNotFound, IsDir, NotDir, BadPathName, NameTooLong", () => {
    const io = t.io();
    const cwd = Dir.cwd();
    expect(codeOf(() => cwd.openFile(io, `${tmp.path}/missing`))).toBe("FileNotFound");
    expect(codeOf(() => cwd.openFile(io, tmp.path, { mode: "write_only" }))).toBe("IsDir");
    cwd.writeFile(io, { subPath: `${tmp.path}/plain`, data: "x" });
    expect(codeOf(() => cwd.openFile(io, `${tmp.path}/plain/child`))).toBe("NotDir");
    expect(codeOf(() => cwd.openFile(io, "bad\0name"))).toBe("BadPathName");
    expect(codeOf(() => cwd.openFile(io, "a".repeat(4096)))).toBe("NameTooLong");
    expect(codeOf(() => cwd.openFile(io, "a".repeat(4095)))).toBe("NameTooLong"); // ENAMETOOLONG from the kernel
  });

  test("a pipe is Unseekable for positional reads and writes", () => {
    const io = t.io();
    const { shim } = require("../../lib/ffi/shim.ts");
    const fds = new Int32Array(2);
    expect(shim().tio_pipe(fds)).toBe(0);
    const r = new File(fds[0]);
    const w = new File(fds[1]);
    expect(codeOf(() => w.writePositional(io, enc("x"), 0))).toBe("Unseekable");
    expect(codeOf(() => r.readPositional(io, new Uint8Array(1), 0))).toBe("Unseekable");
    expect(codeOf(() => r.seekTo(io, 0))).toBe("Unseekable");
    w.writeAll(io, enc("through the pipe"));
    w.close(io);
    // A positional reader falls back to streaming.
    expect(dec(r.reader(io).readAll())).toBe("through the pipe");
    r.close(io);
  });

  test("openSelfExe is a regular file; stdin/stdout/stderr are fds 0-2", () => {
    const io = t.io();
    const exe = File.openSelfExe(io);
    expect(exe.stat(io).kind).toBe("file");
    expect(exe.stat(io).size).toBeGreaterThan(1_000_000n);
    exe.close(io);
    expect([File.stdin().handle, File.stdout().handle, File.stderr().handle]).toEqual([0, 1, 2]);
    expect(codeOf(() => File.openAbsolute(io, "relative/path"))).toContain("not absolute");
  });

  test("writing to a file opened read-only is NotOpenForWriting", () => {
    const io = t.io();
    const f = Dir.cwd().openFile(io, "/proc/self/exe");
    expect(codeOf(() => f.writeStreaming(io, enc("x")))).toBe("NotOpenForWriting");
    f.close(io);
  });

  test("writing to a closed pipe is BrokenPipe, with the bytes written so far", () => {
    const io = t.io();
    const { shim } = require("../../lib/ffi/shim.ts");
    const fds = new Int32Array(2);
    expect(shim().tio_pipe(fds)).toBe(0);
    new File(fds[0]).close(io);
    const w = new File(fds[1]);
    let err: unknown;
    try {
      w.writeAll(io, enc("nobody reads this"));
    } catch (e) {
      err = e;
    }
    expect((err as IoError).code).toBe("BrokenPipe");
    expect((err as IoError & { bytesWritten: number }).bytesWritten).toBe(0);
    w.close(io);
  });
});

describe("File.Reader and File.Writer", () => {
  test("a buffered writer and a line reader round-trip a file", () => {
    const io = t.io();
    const f = Dir.cwd().createFile(io, `${tmp.path}/lines.txt`, { read: true });
    const w = f.writer(io, new Uint8Array(16));
    for (let i = 0; i < 100; i++) w.writeString(`line ${i}\r\n`);
    w.write(new Uint8Array(100).fill(0x41)); // larger than the buffer
    w.writeString("\nlast without newline");
    w.flush();
    const r = f.reader(io, new Uint8Array(7));
    for (let i = 0; i < 100; i++) expect(r.readLine()).toBe(`line ${i}`);
    expect(r.readLine()).toBe("A".repeat(100));
    expect(r.readLine()).toBe("last without newline");
    expect(r.readLine()).toBeNull();
    f.close(io);
  });

  test("readExact, EndOfStream, seeking a positional reader, getSize", () => {
    const io = t.io();
    const p = `${tmp.path}/exact.bin`;
    Dir.cwd().writeFile(io, { subPath: p, data: "0123456789" });
    const f = Dir.cwd().openFile(io, p);
    const r = f.reader(io, new Uint8Array(4));
    expect(r.getSize()).toBe(10n);
    expect(dec(r.readExact(3))).toBe("012");
    r.seekBy(2);
    expect(dec(r.readExact(2))).toBe("56");
    r.seekTo(8);
    expect(codeOf(() => r.readExact(5))).toBe("EndOfStream");
    f.close(io);
  });

  test("a positional writer writes at its own position, leaving the fd's alone", () => {
    const io = t.io();
    const f = Dir.cwd().createFile(io, `${tmp.path}/pos.bin`, { read: true });
    const w = f.writer(io, new Uint8Array(4), "positional");
    w.pos = 4n;
    w.writeString("tail");
    w.flush();
    f.writeAll(io, enc("head")); // the fd position is still 0
    expect(dec(Dir.cwd().readFileAlloc(io, `${tmp.path}/pos.bin`))).toBe("headtail");
    f.close(io);
  });

  test("a failed write or flush carries bytesWritten; what was not written stays buffered", () => {
    const io = t.io();
    const { shim } = require("../../lib/ffi/shim.ts");
    const { C } = require("../../lib/os/index.ts");
    const fds = new Int32Array(2);
    expect(shim().tio_pipe(fds)).toBe(0);
    // Non-blocking both ways: a full pipe is WouldBlock, an empty one too.
    for (const fd of fds) shim().tio_fcntl(fd, C.F_SETFL, C.O_NONBLOCK);
    const r = new File(fds[0]);
    const f = new File(fds[1]);
    const drain = () => {
      let n = 0;
      const buf = new Uint8Array(1 << 16);
      for (;;) {
        try {
          n += r.readStreaming(io, buf);
        } catch (e) {
          if (IoError.is(e, "WouldBlock")) return n;
          throw e;
        }
      }
    };
    const w = f.writer(io, new Uint8Array(16));
    w.writeString("abc");
    const bytesWritten = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect((e as IoError).code).toBe("WouldBlock");
        return (e as IoError & { bytesWritten: number }).bytesWritten;
      }
      throw new Error("did not fail");
    };
    // The pipe takes a capacity's worth (the 3 buffered bytes first), then
    // would block.
    const n = bytesWritten(() => w.write(new Uint8Array(1 << 20)));
    expect(w.buffered).toBe(0);
    expect(drain()).toBe(3 + n);
    // Fill it again, then a flush that cannot write keeps its bytes.
    bytesWritten(() => w.write(new Uint8Array(1 << 20)));
    w.writeString("xyz");
    expect(bytesWritten(() => w.flush())).toBe(0);
    expect(w.buffered).toBe(3);
    drain();
    w.flush();
    expect(drain()).toBe(3);
    r.close(io);
    f.close(io);
  });

  test("for await over readableStream yields the whole file", async () => {
    const io = t.io();
    const p = `${tmp.path}/stream.bin`;
    const data = new Uint8Array(300_000).map((_, i) => i % 251);
    Dir.cwd().writeFile(io, { subPath: p, data });
    const f = Dir.cwd().openFile(io, p);
    const chunks: Uint8Array[] = [];
    for await (const chunk of f.readableStream(io, 65_536)) chunks.push(chunk);
    f.close(io);
    expect(chunks.length).toBeGreaterThanOrEqual(5);
    expect(Buffer.concat(chunks).equals(Buffer.from(data))).toBe(true);
  });
});
