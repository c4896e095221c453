import { afterEach, describe, expect, test } from "bun:test";
import { Queue, SharedBytes, Threaded } from "../../lib/index.ts";
import { blockCount, echoValue, makeBytes } from "../fixtures/bytes_tasks.ts";

let t: Threaded | undefined;
afterEach(() => {
  t?.deinit();
  t = undefined;
});

describe("typed arrays and buffers cross as raw bytes", () => {
  test("every view type, DataView and ArrayBuffer arrive equal and of their class", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const values: unknown[] = [
      new Uint8Array([1, 2, 3]),
      new Int8Array([-1, 2]),
      new Uint8ClampedArray([255, 0]),
      new Int16Array([-300, 300]),
      new Uint16Array([65535]),
      new Int32Array([-(2 ** 31)]),
      new Uint32Array([2 ** 32 - 1]),
      new Float32Array([1.5, -2]),
      new Float64Array([-0, Infinity]),
      new BigInt64Array([-(2n ** 63n)]),
      new BigUint64Array([2n ** 64n - 1n]),
      new DataView(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2),
      new Uint8Array([1, 2, 3]).buffer,
      new Uint8Array(0),
      new ArrayBuffer(0),
    ];
    for (const v of values) {
      const back = await io.async(echoValue, v);
      expect(Object.getPrototypeOf(back)).toBe(Object.getPrototypeOf(v));
      expect(back).toEqual(v);
      expect(back).not.toBe(v);
    }
  });

  test("nested, shared between two places, views of one buffer, beside shared objects", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const buf = new ArrayBuffer(16);
    const a = new Uint8Array(buf, 0, 8);
    const b = new Uint32Array(buf, 8, 2);
    a[0] = 42;
    b[1] = 7;
    using q = Queue.init<number>(io, 1);
    const v = { a, again: a, b, list: [a, { deep: new Float64Array([1.25]) }], q, n: 1, s: "x" };
    const back = (await io.async(echoValue, v)) as typeof v;
    expect(back.again).toBe(back.a); // one object reached twice stays one
    expect(back.a.buffer).toBe(back.b.buffer); // two views of one buffer share it
    expect(back.a.byteOffset).toBe(0);
    expect(back.b.byteOffset).toBe(8);
    expect(back.a[0]).toBe(42);
    expect(back.b[1]).toBe(7);
    expect(back.list[0]).toBe(back.a);
    expect((back.list[1] as { deep: Float64Array }).deep[0]).toBe(1.25);
    expect(back.q).toBeInstanceOf(Queue);
    expect(back.n).toBe(1);
    // A subarray carries its whole buffer, as structured clone does.
    const sub = new Uint8Array([1, 2, 3, 4]).subarray(1, 3);
    const subBack = (await io.async(echoValue, sub)) as Uint8Array;
    expect([...subBack]).toEqual([2, 3]);
    expect(subBack.byteOffset).toBe(1);
    expect(subBack.buffer.byteLength).toBe(4);
  });

  test("a Buffer arrives as a Uint8Array (as structured clone)", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const back = await io.async(echoValue, Buffer.from("hello"));
    expect(back).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(back as Uint8Array)).toBe("hello");
  });

  // Whole 64 KiB pages: Bun 1.4.5 for arm64 under qemu aborts ("mprotect
  // failed") making a resizable buffer whose sizes are not page multiples.
  test("resizable buffers keep working", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const rab = new ArrayBuffer(1 << 16, { maxByteLength: 1 << 17 });
    const rabBack = (await io.async(echoValue, rab)) as ArrayBuffer;
    expect(rabBack.resizable).toBe(true);
    expect(rabBack.maxByteLength).toBe(1 << 17);
  });

  test("big buffers (≥ 1 MiB) live outside the heap and are given back", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const before = SharedBytes.stats();
    const heapBefore = t.heap.stats().capacity;
    const big = new Uint8Array(8 << 20);
    for (let i = 0; i < big.length; i += 4096) big[i] = (i >> 12) & 255;
    const back = (await io.async(echoValue, big)) as Uint8Array;
    expect(back.length).toBe(big.length);
    expect(Buffer.compare(back, big)).toBe(0);
    const made = (await io.async(makeBytes, 3 << 20)) as Uint8Array;
    expect(made[4096]).toBe(1);
    expect(t.heap.stats().capacity).toBe(heapBefore); // the arena did not grow
    expect(SharedBytes.stats().liveBlocks).toBe(before.liveBlocks);
    expect(SharedBytes.stats().peakBytes).toBeGreaterThanOrEqual(8 << 20);
    // Through a queue, and a queue dropped with big items still in it.
    const q = Queue.init<Uint8Array>(io, 2);
    q.putOne(io, big);
    expect(q.getOne(io).length).toBe(big.length);
    q.putOne(io, big);
    q.putOne(io, big);
    expect(SharedBytes.stats().liveBlocks).toBe(before.liveBlocks + 2);
    q.deinit();
    expect(SharedBytes.stats().liveBlocks).toBe(before.liveBlocks);
  });

  test("a SharedArrayBuffer is still refused, naming SharedBytes.alloc", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    expect(() => io.async(echoValue, new Uint8Array(new SharedArrayBuffer(8)))).toThrow(
      "SharedBytes.alloc(io, length)",
    );
  });
});

describe("the codec's walk", () => {
  test("a value that fails to encode leaves nothing behind for the next one", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    expect(() => io.async(echoValue, [new Uint8Array(4), () => 1])).toThrow(
      "A function (at [0][1]) cannot be passed",
    );
    expect(await io.async(echoValue, { plain: 1 })).toEqual({ plain: 1 });
  });

  test("cycles, holes, errors and objects reached twice arrive as structured clone gives them", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using q = Queue.init<number>(io, 1);
    const shared = { n: 1 };
    // (A cycle whose members hold shared objects or buffers is not kept:
    // the walk copies the member and the cycle points at the original.)
    const cyclic: Record<string, unknown> = { n: 1, list: [1, 2] };
    cyclic.self = cyclic;
    // eslint-disable-next-line no-sparse-arrays
    const holey = [q, , shared, shared];
    const big = Array.from({ length: 500 }, (_, i) => ({ i, again: shared }));
    const [c, h, b, e] = (await io.async(echoValue, [cyclic, holey, big, new RangeError("r")])) as [
      Record<string, unknown>,
      unknown[],
      { i: number; again: object }[],
      Error,
    ];
    expect(c.self).toBe(c);
    expect(c.list).toEqual([1, 2]);
    expect(1 in h).toBe(false);
    expect(h[0]).toBeInstanceOf(Queue);
    expect(h[2]).toBe(h[3]);
    expect(b[499].again).toBe(b[0].again);
    expect(b[499].i).toBe(499);
    expect(e).toBeInstanceOf(RangeError);
  });

  test("10,000 records cross exactly (the JSON path for big values)", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const rows = Array.from({ length: 10_000 }, (_, i) => ({
      id: i,
      name: `row ${i}`,
      ok: i % 2 === 0,
      score: i * 1.5,
    }));
    expect(await io.async(echoValue, rows)).toEqual(rows);
    const inexact = rows.map((r) => ({ ...r }));
    (inexact[9999] as Record<string, unknown>).score = -0;
    const back = (await io.async(echoValue, inexact)) as { score: number }[];
    expect(Object.is(back[9999].score, -0)).toBe(true);
  });
});

describe("big arguments", () => {
  test("are given back as soon as the task has its copy", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const before = SharedBytes.stats().liveBlocks;
    const f = io.async(blockCount, new Uint8Array(4 << 20));
    expect(await f).toBe(before); // counted inside the task: already released
    expect(SharedBytes.stats().liveBlocks).toBe(before);
  });
});
