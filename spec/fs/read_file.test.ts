import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { Dir, IoError, ResetEvent, Threaded } from "../../lib/index.ts";
import { shim } from "../../lib/ffi/shim.ts";
import { readFileAllocTask } from "../fixtures/dir_tasks.ts";
import { openFds, tempDir } from "../helpers/tmp.ts";
import { codeOf } from "../helpers/errors.ts";
import { untilBlockedIn } from "../helpers/proc.ts";

let t: Threaded;
let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  t = Threaded.init({ asyncLimit: 2 });
  tmp = tempDir();
});
afterAll(() => {
  t.deinit();
  tmp.remove();
});

function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

function mkfifo(path: string): void {
  expect(shim().tio_mkfifoat(-100, new TextEncoder().encode(`${path}\0`), 0o600)).toBe(0);
}

describe("Dir.readFileAlloc and Dir.readFile", () => {
  test("every size around the one-crossing buffer reads back exactly", () => {
    const io = t.io();
    const before = openFds();
    for (const n of [0, 1, 4095, 65535, 65536, 65537, 131072, (1 << 20) + 3]) {
      const p = `${tmp.path}/size-${n}`;
      const data = bytes(n, n);
      writeFileSync(p, data);
      const got = Dir.cwd().readFileAlloc(io, p);
      expect(got.length).toBe(n);
      expect(Buffer.from(got).equals(readFileSync(p))).toBe(true);
      // Memory beyond the result, if any, holds nothing of anyone's.
      expect(new Uint8Array(got.buffer, got.byteOffset + n).every((b) => b === 0)).toBe(true);
      // Into a caller's buffer: larger, exact, and smaller than the file.
      for (const cap of [n + 10, n, Math.max(0, n - 7)]) {
        const buf = new Uint8Array(cap);
        const part = Dir.cwd().readFile(io, p, buf);
        expect(part.length).toBe(Math.min(n, cap));
        expect(Buffer.from(part).equals(Buffer.from(data.subarray(0, part.length)))).toBe(true);
      }
    }
    expect(openFds()).toBeLessThanOrEqual(before); // fewer: an idle pool thread retired
  });

  test("limit: StreamTooLong past it, exact fit allowed, bad limits refused", () => {
    const io = t.io();
    const before = openFds();
    const small = `${tmp.path}/hundred`;
    writeFileSync(small, bytes(100, 1));
    const large = `${tmp.path}/large`;
    writeFileSync(large, bytes(200_000, 2));
    const cwd = Dir.cwd();
    expect(codeOf(() => cwd.readFileAlloc(io, small, 99))).toBe("StreamTooLong");
    expect(cwd.readFileAlloc(io, small, 100).length).toBe(100);
    expect(codeOf(() => cwd.readFileAlloc(io, large, 100_000))).toBe("StreamTooLong");
    expect(codeOf(() => cwd.readFileAlloc(io, large, 199_999))).toBe("StreamTooLong");
    expect(cwd.readFileAlloc(io, large, 200_000).length).toBe(200_000);
    expect(codeOf(() => cwd.readFileAlloc(io, large, 0))).toBe("StreamTooLong");
    for (const bad of [NaN, -1, 1.5, Infinity, 2 ** 64])
      expect(codeOf(() => cwd.readFileAlloc(io, small, bad))).toContain("RangeError");
    expect(openFds()).toBeLessThanOrEqual(before); // fewer: an idle pool thread retired
  });

  test("errors come from the right call, and no descriptor is left open", () => {
    const io = t.io();
    const before = openFds();
    const cwd = Dir.cwd();
    expect(codeOf(() => cwd.readFileAlloc(io, `${tmp.path}/absent`))).toBe("FileNotFound");
    mkdirSync(`${tmp.path}/a-dir`);
    expect(codeOf(() => cwd.readFileAlloc(io, `${tmp.path}/a-dir`))).toBe("IsDir");
    expect(codeOf(() => cwd.readFile(io, `${tmp.path}/a-dir`, new Uint8Array(8)))).toBe("IsDir");
    expect(codeOf(() => cwd.readFileAlloc(io, `${tmp.path}/x\0y`))).toBe("BadPathName");
    expect(openFds()).toBeLessThanOrEqual(before); // fewer: an idle pool thread retired
  });

  test("a read error names the path it was reading", () => {
    const io = t.io();
    const cwd = Dir.cwd();
    const dir = `${tmp.path}/named-dir`;
    mkdirSync(dir);
    for (const read of [
      () => cwd.readFileAlloc(io, dir),
      () => cwd.readFile(io, dir, new Uint8Array(8)),
    ]) {
      let err: unknown;
      try {
        read();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(IoError);
      expect(err).toMatchObject({ code: "IsDir", errno: "EISDIR", path: dir });
      expect((err as Error).message).toBe(`IsDir: read "${dir}" failed (EISDIR)`);
    }
  });

  test("a /proc file is read to its end across short reads", () => {
    // seq_file hands out at most about a page per read. smaps, not maps:
    // a process of its own (this file run alone) has under 8 KiB of maps,
    // and smaps is some twenty lines per mapping.
    const got = new TextDecoder().decode(Dir.cwd().readFileAlloc(t.io(), "/proc/self/smaps"));
    expect(got.length).toBeGreaterThan(8192);
    const lines = got.trimEnd().split("\n");
    const header = /^[0-9a-f]+-[0-9a-f]+ [rwxps-]{4} /;
    expect(lines.filter((l) => header.test(l)).length).toBeGreaterThan(10);
    for (const line of lines) expect(line).toMatch(/^(?:[0-9a-f]+-[0-9a-f]+ [rwxps-]{4} |\w+:)/);
    expect(got.endsWith("\n")).toBe(true);
  });

  test("a pipe is read to its end across writes", async () => {
    const io = t.io();
    const fifo = `${tmp.path}/fifo-pieces`;
    mkfifo(fifo);
    using ready = ResetEvent.init(io);
    const f = io.async(readFileAllocTask, io, fifo, ready);
    await ready.waitAsync();
    const w = openSync(fifo, "w"); // blocks until the task opened it
    writeSync(w, "first ");
    writeSync(w, "second");
    closeSync(w);
    expect(await f).toBe("first second");
  });

  test("canceled while blocked opening or reading", async () => {
    const io = t.io();
    const before = openFds();
    const fifo = `${tmp.path}/fifo-cancel`;
    mkfifo(fifo);
    using ready = ResetEvent.init(io);
    // No writer: blocked in openat.
    const opening = io.async(readFileAllocTask, io, fifo, ready);
    await ready.waitAsync();
    expect(opening.cancel(io)).toBe("Canceled");
    // A writer that writes nothing: blocked in read inside the shim.
    ready.reset();
    const reading = io.async(readFileAllocTask, io, fifo, ready);
    await ready.waitAsync();
    const w = openSync(fifo, "w");
    expect(reading.cancel(io)).toBe("Canceled");
    closeSync(w);
    expect(openFds()).toBeLessThanOrEqual(before); // fewer: an idle pool thread retired
  });
});
