import { afterEach, describe, expect, test } from "bun:test";
import { Threaded, IoError, Mutex, Future } from "../../lib/index.ts";
import { shim } from "../../lib/ffi/shim.ts";
import {
  add,
  asyncAdd,
  chain,
  echo,
  fail,
  failPlain,
  fib,
  innerWork,
  lockedCount,
  nested,
  threadId,
} from "../fixtures/tasks.ts";
import { scaled } from "../helpers/time_scale.ts";

let t: Threaded | undefined;
afterEach(() => {
  t?.deinit();
  if (t) expect(t.poolStats().threads).toBe(0); // deinit joined every thread
  t = undefined;
});

describe("io.async", () => {
  test("runs the task on another thread and returns its result", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const f = io.async(threadId);
    expect(f.closure).not.toBe(0);
    expect(f.await(io)).not.toBe(shim().tio_thread_self() as number);
    expect(io.async(fib, 20).await(io)).toBe(6765);
    expect(t.poolStats().spawnedTotal).toBe(1);
  });

  test("await is idempotent and a Future is thenable", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const f = io.async(add, 2, 3);
    expect(f.await(io)).toBe(5);
    expect(f.await(io)).toBe(5);
    expect(await io.async(add, 4, 5)).toBe(9);
    const g = io.async(echo, { nested: [1, "two", { three: 3n }] });
    expect(await g.awaitAsync()).toEqual({ nested: [1, "two", { three: 3n }] });
    expect(await g).toEqual({ nested: [1, "two", { three: 3n }] });
  });

  test("a task that throws is rethrown with its class, code, message and stack", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    let err: unknown;
    try {
      io.async(fail, "FileNotFound").await(io);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IoError);
    expect((err as IoError).code).toBe("FileNotFound");
    expect((err as IoError).message).toBe("FileNotFound: from a task");
    expect((err as IoError).stack).toContain("fixtures/tasks.ts");
    expect(() => io.async(failPlain, "out of range").await(io)).toThrow(RangeError);
    expect(() =>
      io
        .async(function throwsValue() {
          throw 42;
        })
        .await(io),
    ).toThrow(); // eslint-disable-line
    try {
      io.async(function throwsValue() {
        throw { why: "not an Error" };
      }).await(io); // eslint-disable-line
    } catch (e) {
      expect(e).toEqual({ why: "not an Error" });
    }
  });

  test("a task returning a Promise completes when it settles", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    expect(io.async(asyncAdd, 20, 22).await(io)).toBe(42);
    expect(await io.async(asyncAdd, 1, 2)).toBe(3);
  });

  test("a plain function travels as source; a captured variable fails with advice", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    expect(io.async((a: number, b: number) => a * b, 6, 7).await(io)).toBe(42);
    const captured = 10;
    let err: unknown;
    try {
      io.async((a: number) => a + captured, 1).await(io);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ReferenceError);
    expect((err as Error).message).toContain("register it with task(import.meta, fn)");
  });

  test("shared objects arrive live; a SharedArrayBuffer or a function is refused", () => {
    t = Threaded.init({ asyncLimit: 2 });
    const io = t.io();
    using m = Mutex.init(io);
    const counter = { ref: t.heap.allocZeroed(4) };
    const a = io.async(lockedCount, io, m, counter, 5000);
    const b = io.async(lockedCount, io, m, counter, 5000);
    expect(a.await(io) + b.await(io)).toBe(10_000);
    expect(t.heap.i32[counter.ref >> 2]).toBe(10_000);
    t.heap.free(counter.ref);
    // Says what to do, naming the API that shares bytes.
    expect(() => io.async(echo, new SharedArrayBuffer(8))).toThrow(
      "Allocate shared memory with SharedBytes.alloc(io, length)",
    );
    expect(() => io.async(echo, { deep: [new Int32Array(new SharedArrayBuffer(8))] })).toThrow(
      "A SharedArrayBuffer cannot be passed to a task",
    );
    expect(() => io.async(echo, { f: () => 1 })).toThrow("A function (at [0].f) cannot be passed");
  });

  test("async limit 0 runs everything inline; concurrent with limit 0 is ConcurrencyUnavailable", () => {
    t = Threaded.initSingleThreaded();
    const io = t.io();
    const f = io.async(threadId);
    expect(f.closure).toBe(0);
    expect(f.await(io)).toBe(shim().tio_thread_self() as number);
    expect(() => io.concurrent(add, 1, 2)).toThrow(IoError);
    try {
      io.concurrent(add, 1, 2);
    } catch (e) {
      expect((e as IoError).code).toBe("ConcurrencyUnavailable");
    }
    expect(t.poolStats().spawnedTotal).toBe(0);
  });

  test("setAsyncLimit takes effect", () => {
    t = Threaded.init({ asyncLimit: 0 });
    const io = t.io();
    expect(io.async(add, 1, 1).closure).toBe(0);
    t.setAsyncLimit(1);
    const f = io.async(add, 1, 1);
    expect(f.closure).not.toBe(0);
    expect(f.await(io)).toBe(2);
  });

  test("concurrent tasks waiting on concurrent tasks do not deadlock", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    expect(io.concurrent(chain, io, 4).await(io)).toBe(4);
    expect(t.poolStats().spawnedTotal).toBeGreaterThanOrEqual(4);
  });

  test("async from inside a task spawns another thread when every thread is busy", () => {
    t = Threaded.init({ asyncLimit: 2 });
    const io = t.io();
    const r = io.async(nested, io, 21).await(io);
    expect(r.value).toBe(42);
    expect(r.inner).not.toBe(r.outer);
    expect(t.poolStats().spawnedTotal).toBe(2);
  });

  // prettier-ignore
  test("the heap is back at its baseline after a workload", async () => {
    t = Threaded.init({ asyncLimit: 2 });
    const io = t.io();
    // Warm up: interns the task names (kept for the heap's life).
    io.async(add, 0, 0).await(io);
    io.async(echo, "x").await(io);
    expect(() => io.async(fail, "Unexpected").cancel(io)).toThrow();
    const base = t.heap.stats();
    const fs: Future<unknown>[] = [];
    for (let i = 0; i < 500; i++)
      fs.push(i % 3 === 0 ? io.async(add, i, 1) : io.async(echo, { i, s: "x".repeat(i) }));
    for (const f of fs) f.await(io);
    for (let i = 0; i < 50; i++) expect(() => io.async(fail, "Unexpected").await(io)).toThrow();
    await Promise.all(Array.from({ length: 50 }, (_, i) => io.async(echo, [i])));
    const after = t.heap.stats();
    expect(after.liveBlocks).toBe(base.liveBlocks);
    expect(after.liveBytes).toBe(base.liveBytes);
  }, scaled(20_000));

  test("awaitAsync keeps the event loop running while the task runs", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await io.async(innerWork, io, 1); // sleeps 20 ms in the pool
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
  });
});
