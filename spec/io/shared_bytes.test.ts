import { afterEach, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ptr } from "bun:ffi";
import { BugError, Dir, Ip4Address, Queue, SharedBytes, Threaded } from "../../lib/index.ts";
import {
  address,
  allocFilled,
  consumeBytes,
  consumeSeeded,
  echoValue,
  fillAndSum,
  fillView,
  freeThenRead,
  mixedArgs,
  produceBytes,
  produceSeeded,
  readInto,
  sendShared,
  sha256,
} from "../fixtures/bytes_tasks.ts";
import { tempDir } from "../helpers/tmp.ts";
import { encodeArgs } from "../../lib/substrate/codec.ts";
import { Format } from "../../lib/substrate/layout.ts";

let t: Threaded | undefined;
afterEach(() => {
  t?.deinit();
  t = undefined;
});

describe("SharedBytes", () => {
  test("alloc gives zeroed bytes; free gives the block back; stats count it", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const before = SharedBytes.stats();
    const b = SharedBytes.alloc(io, 100);
    expect(b.length).toBe(100);
    expect(b.bytes.length).toBe(100);
    expect(b.bytes.every((x) => x === 0)).toBe(true);
    expect(b.bytes.buffer instanceof SharedArrayBuffer).toBe(false); // TextDecoder takes it
    expect(SharedBytes.stats().liveBlocks).toBe(before.liveBlocks + 1);
    expect(SharedBytes.stats().liveBytes).toBe(before.liveBytes + 100);
    b.free(io);
    expect(b.isLive).toBe(false);
    expect(SharedBytes.stats().liveBlocks).toBe(before.liveBlocks);
    const big = SharedBytes.alloc(io, 2 << 20);
    big.free(io); // never viewed: released at once, kept for reuse
    expect(SharedBytes.stats().cachedBytes).toBeGreaterThanOrEqual(2 << 20);
    SharedBytes.trim();
    expect(SharedBytes.stats().cachedBytes).toBe(0);
    const empty = SharedBytes.alloc(io, 0);
    expect(empty.bytes.length).toBe(0);
    empty.free(io);
  });

  test("bad lengths are RangeErrors", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    for (const n of [-1, 1.5, NaN, Infinity, 2 ** 32 + 1, 2 ** 64, "8" as unknown as number])
      expect(() => SharedBytes.alloc(io, n)).toThrow(RangeError);
  });

  test("a task modifies the bytes in place: the same memory on both threads", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using b = SharedBytes.alloc(io, 1 << 20);
    b.bytes.fill(2);
    expect(await io.async(fillAndSum, b, 7)).toBe(2 * (1 << 20));
    expect(b.bytes.every((x) => x === 7)).toBe(true);
    expect(await io.async(address, b)).toBe(ptr(b.bytes));
    expect(t.poolStats().dispatchedTotal).toBeGreaterThanOrEqual(2);
  });

  test("bytes written by one task are read by another through a Queue", async () => {
    t = Threaded.init({ asyncLimit: 2 });
    const io = t.io();
    using q = Queue.init<SharedBytes>(io, 2);
    const before = SharedBytes.stats().liveBlocks;
    const consumer = io.concurrent(consumeBytes, io, q, 20);
    const producer = io.concurrent(produceBytes, io, q, 20, 4096 + 13);
    expect(await producer).toBe(20);
    expect(await consumer).toBe(20);
    expect(SharedBytes.stats().liveBlocks).toBe(before); // the consumer freed each
  });

  test("two producers and two consumers on four threads hand over 400 SharedBytes intact", async () => {
    t = Threaded.init({ asyncLimit: 4 });
    const io = t.io();
    using q = Queue.init<SharedBytes>(io, 8);
    const before = SharedBytes.stats().liveBlocks;
    const futures = [
      io.concurrent(consumeSeeded, io, q, 200),
      io.concurrent(consumeSeeded, io, q, 200),
      io.concurrent(produceSeeded, io, q, 200, 1),
      io.concurrent(produceSeeded, io, q, 200, 2),
    ];
    const [a, b, p1, p2] = await Promise.all(futures);
    expect(p1 + p2).toBe(400);
    expect(a + b).toBe(400);
    expect(SharedBytes.stats().liveBlocks).toBe(before);
  }, 20_000);

  test("a subarray crosses threads as the same memory", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using b = SharedBytes.alloc(io, 1000);
    b.bytes.fill(1);
    const mid = b.subarray(100, 200);
    expect(mid.length).toBe(100);
    expect(await io.async(fillAndSum, mid, 9)).toBe(100);
    expect(b.bytes[99]).toBe(1);
    expect(b.bytes[100]).toBe(9);
    expect(b.bytes[199]).toBe(9);
    expect(b.bytes[200]).toBe(1);
    // Negative and out-of-range indices clamp as Uint8Array.subarray does.
    expect(b.subarray(-10).length).toBe(10);
    expect(b.subarray(5, 2).length).toBe(0);
    expect(b.subarray(0, 5000).length).toBe(1000);
    expect(() => b.subarray(0.5)).toThrow(RangeError);
    expect(() => mid.free(io)).toThrow(/subarray/);
  });

  test("a typed array over SharedBytes memory crosses as that memory", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using b = SharedBytes.alloc(io, 64);
    expect(await io.async(fillView, b.bytes.subarray(8, 16), 5)).toBe(8);
    expect([...b.bytes.subarray(6, 18)]).toEqual([0, 0, 5, 5, 5, 5, 5, 5, 5, 5, 0, 0]);
    const f64 = new Float64Array(b.bytes.buffer, 32, 2);
    expect(await io.async(fillView, f64, 1.5)).toBe(16);
    expect(f64[1]).toBe(1.5);
    // Back from the task too: the same memory, not a copy.
    const back = (await io.async(echoValue, b.bytes.subarray(1, 3))) as Uint8Array;
    back[0] = 99;
    expect(b.bytes[1]).toBe(99);
    const stale = b.bytes;
    const c = SharedBytes.alloc(io, 8);
    const cView = c.bytes;
    c.free(io);
    expect(() => io.async(fillView, cView, 1)).toThrow(
      /Use after free: passing a view of SharedBytes \(8 bytes/,
    );
    expect(stale.length).toBe(64);
  });

  test("use after free is a BugError naming the object, on this thread and the task's", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const b = SharedBytes.alloc(io, 64);
    const mid = b.subarray(8, 16);
    const stale = b.bytes;
    b.free(io);
    expect(() => b.bytes).toThrow(BugError);
    expect(() => b.bytes).toThrow(
      /Use after free: reading \.bytes of SharedBytes \(64 bytes, handle \d+\)/,
    );
    expect(() => mid.bytes).toThrow(/bytes 8\.\.16 of 64/);
    expect(() => b.subarray(1)).toThrow(BugError);
    expect(() => b.free(io)).toThrow(/Use after free: freeing SharedBytes/);
    expect(() => io.async(fillAndSum, b, 1)).toThrow(/passing to another thread/);
    expect(stale.length).toBe(64); // a kept view stays readable memory, never another object's
    // Freed by the task, then used there.
    const c = SharedBytes.alloc(io, 32);
    expect(await io.async(freeThenRead, c)).toMatch(
      /^BugError: Use after free: reading \.bytes of SharedBytes \(32 bytes/,
    );
    expect(c.isLive).toBe(false);
    expect(() => c.bytes).toThrow(BugError);
    // A new allocation reusing the slot does not revive the old handle.
    const d = SharedBytes.alloc(io, 32);
    expect(() => c.bytes).toThrow(BugError);
    expect(d.bytes.length).toBe(32);
    d.free(io);
  });

  test("a reference that does not fit its block is refused (the table's length is trusted)", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using b = SharedBytes.alloc(io, 64);
    const [h] = b.toData();
    expect(SharedBytes.fromData([h, 64, 8, 56]).bytes.length).toBe(56);
    for (const forged of [
      [h, 1 << 20, 0, 1 << 20],
      [h, 64, 60, 8],
      [h, 64, -1, 4],
      [h, 64, 0.5, 4],
      [h + 1, 64, 0, 64],
    ] as [number, number, number, number][])
      expect(() => SharedBytes.fromData(forged)).toThrow(BugError);
  });

  test("a task allocates SharedBytes and returns them; the caller reads and frees them", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const before = SharedBytes.stats().liveBlocks;
    const b = (await io.async(allocFilled, io, 3 << 20, 9)) as SharedBytes;
    expect(b).toBeInstanceOf(SharedBytes);
    expect(b.length).toBe(3 << 20);
    expect(b.bytes[0]).toBe(9);
    expect(b.bytes[(3 << 20) - 1]).toBe(9);
    b.free(io);
    expect(SharedBytes.stats().liveBlocks).toBe(before);
  });

  test("using frees once, even after an explicit free", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const before = SharedBytes.stats().liveBlocks;
    {
      using b = SharedBytes.alloc(io, 10);
      b.bytes[0] = 1;
      using c = SharedBytes.alloc(io, 10);
      c.free(io);
    }
    expect(SharedBytes.stats().liveBlocks).toBe(before);
  });

  test("a file is read into shared bytes on one pool thread and hashed on another", async () => {
    t = Threaded.init({ asyncLimit: 2 });
    const io = t.io();
    const dir = tempDir();
    try {
      const data = new Uint8Array(3 * 1024 * 1024 + 17);
      for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 9)) & 255;
      const path = join(dir.path, "data.bin");
      writeFileSync(path, data);
      using b = SharedBytes.alloc(io, data.length);
      const reader = io.concurrent(readInto, io, path, b);
      expect(await reader).toBe(data.length);
      const hash = await io.concurrent(sha256, b);
      expect(hash).toBe(createHash("sha256").update(data).digest("hex"));
      expect(b.bytes).toEqual(data);
      // Views of a SharedArrayBuffer (a user's own, or the growable heap)
      // are read into where they are too: their address goes to pread.
      const sab = new Uint8Array(new SharedArrayBuffer(64), 8, 32);
      const file = Dir.cwd().openFile(io, path);
      expect(file.readPositional(io, sab, 100)).toBe(32);
      expect([...sab]).toEqual([...data.subarray(100, 132)]);
      // Whole pages: Bun for arm64 under qemu aborts on a sub-page growable buffer.
      const growable = new Uint8Array(new SharedArrayBuffer(1 << 16, { maxByteLength: 1 << 17 }));
      expect(file.readPositional(io, growable.subarray(4, 16), 0)).toBe(12);
      expect([...growable.subarray(4, 16)]).toEqual([...data.subarray(0, 12)]);
      file.close(io);
    } finally {
      dir.remove();
    }
  });

  test("a socket writes from shared bytes on a pool thread and reads into others here", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const server = Ip4Address.loopback(0).listen(io);
    const client = server.socket.address.connect(io, { mode: "stream" });
    const conn = server.accept(io);
    try {
      using src = SharedBytes.alloc(io, 2 << 20);
      for (let i = 0; i < src.length; i++) src.bytes[i] = (i * 13 + (i >> 10)) & 255;
      using dst = SharedBytes.alloc(io, src.length);
      const sender = io.concurrent(sendShared, io, conn.handle, src);
      let n = 0;
      while (n < dst.length) n += client.read(io, dst.bytes.subarray(n));
      expect(await sender).toBe(src.length);
      expect(Buffer.compare(dst.bytes, src.bytes)).toBe(0);
    } finally {
      client.close(io);
      conn.close(io);
      server.deinit(io);
    }
  });

  test("two Threaded instances see the same block", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    using t2 = Threaded.init({ asyncLimit: 1 });
    using b = SharedBytes.alloc(t.io(), 16);
    b.bytes.fill(3);
    expect(await t2.io().async(fillAndSum, b, 4)).toBe(48);
    expect(await t.io().async(fillAndSum, b, 5)).toBe(64);
  });
});

describe("SharedBytes among number arguments", () => {
  test("cross without the JSON path, checked, in any position, beside io", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using a = SharedBytes.alloc(io, 16);
    using b = SharedBytes.alloc(io, 32);
    expect(encodeArgs([io, a.subarray(4, 8), 2.5, b, -0]).format).toBe(Format.MIXED);
    expect(await io.async(mixedArgs, io, a.subarray(4, 8), 2.5, b, 7)).toBe("io 4@4 2.5 32@0 7");
    expect(a.bytes[4]).toBe(1);
    expect(b.bytes[0]).toBe(1);
    const freed = SharedBytes.alloc(io, 8);
    freed.free(io);
    expect(() => io.async(mixedArgs, io, a, 1, freed, 2)).toThrow(/passing to another thread/);
    expect(encodeArgs([a, "x"]).format).toBe(Format.JSC); // anything else: the general path
  });
});
