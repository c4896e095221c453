import { afterEach, describe, expect, test } from "bun:test";
import { IoError } from "../../lib/io/errors.ts";
import { Heap } from "../../lib/substrate/heap.ts";
import { Threaded } from "../../lib/threaded/threaded.ts";
import { startWorkers, terminateAll } from "../helpers/workers.ts";

afterEach(terminateAll);

describe("Heap", () => {
  test("alloc returns distinct 8-byte aligned blocks and free gives them back", () => {
    const heap = Heap.create();
    const base = heap.stats();
    const a = heap.alloc(10);
    const b = heap.alloc(10);
    expect(a % 8).toBe(0);
    expect(b).not.toBe(a);
    expect(heap.sizeOf(a)).toBe(10);
    expect(heap.stats().liveBlocks).toBe(base.liveBlocks + 2);
    expect(heap.stats().liveBytes).toBe(base.liveBytes + 20);
    heap.free(a);
    heap.free(b);
    expect(heap.stats()).toEqual(base);
  });

  test("a freed block is reused by the next allocation of its size class", () => {
    const heap = Heap.create();
    const a = heap.alloc(100);
    heap.free(a);
    expect(heap.alloc(90)).toBe(a); // 100 and 90 share the 128-byte class
  });

  test("a zero-byte allocation is a real block", () => {
    const heap = Heap.create();
    const a = heap.alloc(0);
    expect(heap.sizeOf(a)).toBe(0);
    heap.free(a);
  });

  test("the buffer grows on demand and its address does not move", () => {
    const heap = Heap.create(128 * 1024, 64 << 20);
    const base = heap.base;
    const before = heap.sab.byteLength;
    const big = heap.alloc(4 << 20);
    heap.u8[big + (4 << 20) - 1] = 7;
    expect(heap.sab.byteLength).toBeGreaterThan(before);
    expect(heap.base).toBe(base);
    expect(heap.u8[big + (4 << 20) - 1]).toBe(7);
    heap.free(big);
  });

  test("growing past maxHeapBytes is a clear OutOfMemory, and the heap still works", () => {
    const heap = Heap.create(128 * 1024, 1 << 20);
    let err: unknown;
    try {
      heap.alloc(2 << 20);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IoError);
    expect((err as IoError).code).toBe("OutOfMemory");
    expect((err as IoError).message).toContain("maxHeapBytes");
    const ok = heap.alloc(64);
    heap.free(ok);
    expect(heap.stats().liveBlocks).toBe(0);
  });

  test("a request past every class (2^32 bytes and more) is OutOfMemory, not a tiny block", () => {
    const heap = Heap.create(128 * 1024, 1 << 20);
    const top = heap.highWater();
    // clz32 truncated these to their low 32 bits: 2^42 + 4 was a 16-byte class.
    for (const bytes of [2 ** 31, 2 ** 32, 2 ** 42 + 4, 2 ** 53 - 1]) {
      let err: unknown;
      try {
        heap.alloc(bytes);
      } catch (e) {
        err = e;
      }
      expect((err as IoError).code).toBe("OutOfMemory");
    }
    expect(heap.stats().liveBlocks).toBe(0);
    expect(heap.highWater()).toBe(top);
  });

  test("a block of the 2 GiB class (just over 1 GiB asked) is OutOfMemory, the heap unchanged", () => {
    const heap = Heap.create(128 * 1024, 1 << 20);
    const top = heap.highWater();
    for (const bytes of [2 ** 30 + 1, 1_100_000_000, 2 ** 31 - 16]) {
      let err: unknown;
      try {
        heap.alloc(bytes);
      } catch (e) {
        err = e;
      }
      expect(IoError.is(err, "OutOfMemory")).toBe(true);
      expect((err as Error).message).toContain(`allocating ${bytes} bytes`);
      expect(heap.highWater()).toBe(top); // the bump pointer did not move back
    }
    const a = heap.alloc(64);
    expect(a).toBeGreaterThanOrEqual(top);
    heap.free(a);
  });

  test("double free and foreign offsets are refused", () => {
    const heap = Heap.create();
    const a = heap.alloc(8);
    heap.free(a);
    expect(() => heap.free(a)).toThrow("freed twice");
    expect(() => heap.free(12)).toThrow("not a heap block");
    expect(() => heap.alloc(-1)).toThrow("invalid");
  });

  test("attach refuses a buffer that is not a heap", () => {
    expect(() => Heap.attach(new SharedArrayBuffer(1 << 16, { maxByteLength: 1 << 20 }))).toThrow(
      "not a threaded-io heap",
    );
  });

  test("four Workers allocating and freeing at once never overlap and leave it at baseline", async () => {
    const t = Threaded.init({ heapBytes: 128 * 1024 });
    try {
      const base = t.heap.stats();
      const workers = startWorkers(t, 4);
      const checked = await Promise.all(
        workers.map((w, i) => w.run<number>("heapChurn", { iterations: 3000, seed: i + 1 })),
      );
      expect(checked).toEqual([3000, 3000, 3000, 3000]);
      const after = t.heap.stats();
      expect(after.liveBytes).toBe(base.liveBytes);
      expect(after.liveBlocks).toBe(base.liveBlocks);
      // Each worker holds 65 blocks of up to 4 KiB at once: more than the
      // 128 KiB heap, so it grew while shared, whatever the interleaving.
      expect(after.capacity).toBeGreaterThan(base.capacity);
    } finally {
      t.deinit();
    }
  });
});

describe("heap size options", () => {
  const range = "an integer from 131072 to 4294901760";
  for (const [options, message] of [
    [{ maxHeapBytes: 0 }, `maxHeapBytes "0" is out of range: ${range}`],
    [{ heapBytes: 65536 }, `heapBytes "65536" is out of range: ${range}`],
    [{ maxHeapBytes: 2 ** 40 }, `maxHeapBytes "1099511627776" is out of range: ${range}`],
    [{ heapBytes: 2 ** 33 }, `heapBytes "8589934592" is out of range: ${range}`],
    [{ heapBytes: 2 ** 32 }, `heapBytes "4294967296" is out of range: ${range}`],
    [
      { heapBytes: 4 << 20, maxHeapBytes: 1 << 20 },
      "heapBytes 4194304 is larger than maxHeapBytes 1048576",
    ],
  ] as const) {
    test(`${JSON.stringify(options)} is a RangeError naming the value and the range`, () => {
      expect(() => Threaded.init(options)).toThrow(RangeError);
      expect(() => Threaded.init(options)).toThrow(message);
    });
  }

  test("the bounds themselves are accepted; sizes round up to 64 KiB pages", () => {
    for (const [options, capacity, max] of [
      // Equal to the maximum: one page short, grown on demand (heap.ts).
      [{ heapBytes: 131072, maxHeapBytes: 131072 }, 65536, 131072],
      [{ maxHeapBytes: 4294901760 }, 1 << 20, 4294901760],
      [{ heapBytes: 200_000 }, 262144, 1 << 30],
    ] as const) {
      const t = Threaded.init(options);
      try {
        expect(t.heap.sab.byteLength).toBe(capacity);
        expect(t.heap.sab.maxByteLength).toBe(max);
      } finally {
        t.deinit();
      }
    }
  });
});
