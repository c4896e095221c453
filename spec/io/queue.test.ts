import { afterEach, describe, expect, test } from "bun:test";
import { Mutex, Queue, ResetEvent, Threaded } from "../../lib/index.ts";
import { QueueLayout } from "../../lib/substrate/layout.ts";
import { consumer, getSome, producer, queueBlock } from "../fixtures/tasks.ts";
import { scaled } from "../helpers/time_scale.ts";
import { until } from "../helpers/until.ts";

let t: Threaded | undefined;
afterEach(() => {
  t?.deinit();
  t = undefined;
});

function waiters(q: Queue<unknown>): { putters: number; getters: number } {
  const u32 = q.heap.u32;
  return {
    putters: u32[(q.ref + QueueLayout.PUTTERS_HEAD) >> 2],
    getters: u32[(q.ref + QueueLayout.GETTERS_HEAD) >> 2],
  };
}

describe("Queue on one thread", () => {
  test("put and get in order, with partial puts and gets by min", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using q = Queue.init<number>(io, 4);
    expect(q.capacity()).toBe(4);
    expect(q.put(io, [1, 2, 3, 4, 5, 6], 2)).toBe(4); // ring full after 4: partial
    expect(q.length()).toBe(4);
    expect(q.get(io, 2, 2)).toEqual([1, 2]);
    expect(q.put(io, [7, 8, 9], 0)).toBe(2); // only room for two
    expect(q.get(io, 10, 0)).toEqual([3, 4, 7, 8]);
    expect(q.get(io, 3, 0)).toEqual([]); // min 0 never blocks
    expect(q.put(io, [], 0)).toBe(0);
  });

  test("FIFO holds across many wraps of the ring", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using q = Queue.init<number>(io, 3);
    let next = 0;
    let expectNext = 0;
    for (let round = 0; round < 100; round++) {
      const n = 1 + (round % 3);
      q.putAll(
        io,
        Array.from({ length: n }, () => next++),
      );
      for (const v of q.get(io, n, n)) expect(v).toBe(expectNext++);
    }
  });

  test("values of every kind come back as they went in; shared objects stay live", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using q = Queue.init<unknown>(io, 8);
    using m = Mutex.init(io);
    const items = [undefined, 1.5, "text", { a: [1, { b: 2n }] }, null, m];
    q.putAll(io, items);
    const got = q.get(io, 6, 6);
    expect(got.slice(0, 5)).toEqual(items.slice(0, 5));
    expect(got[5]).toBeInstanceOf(Mutex);
    expect((got[5] as Mutex).ref).toBe(m.ref);
  });

  test("async twins: getters are served in the order they blocked", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using q = Queue.init<string>(io, 2);
    const first = q.getOneAsync(io);
    const second = q.getOneAsync(io);
    await Promise.resolve();
    await q.putAsync(io, ["a", "b"], 2);
    expect(await first).toBe("a");
    expect(await second).toBe("b");
  });
});

describe("Queue across threads", () => {
  test("one producer, one consumer: 1,000 items arrive complete and in order", () => {
    t = Threaded.init({ asyncLimit: 2 });
    const io = t.io();
    using q = Queue.init<number>(io, 16);
    const p = io.async(producer, io, q, 0, 1000, 7);
    const c = io.async(consumer, io, q, 1000);
    expect(p.await(io)).toBe(1000);
    expect(c.await(io)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  test("two producers: each producer's items keep their order", async () => {
    t = Threaded.init({ asyncLimit: 3 });
    const io = t.io();
    using q = Queue.init<number>(io, 5);
    const a = io.async(producer, io, q, 0, 500, 3);
    const b = io.async(producer, io, q, 10_000, 500, 11);
    const got = await q.getAsync(io, 1000, 1000);
    a.await(io);
    b.await(io);
    const fromA = got.filter((v) => v < 10_000);
    const fromB = got.filter((v) => v >= 10_000);
    expect(fromA).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(fromB).toEqual(Array.from({ length: 500 }, (_, i) => 10_000 + i));
  });

  test("capacity 0 is a rendezvous: each put waits for a get", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using q = Queue.init<number>(io, 0);
    const p = io.async(producer, io, q, 0, 5, 1);
    const got: number[] = [];
    for (let i = 0; i < 5; i++) {
      got.push(await q.getOneAsync(io));
      expect(q.length()).toBe(0);
    }
    expect(p.await(io)).toBe(5);
    expect(got).toEqual([0, 1, 2, 3, 4]);
  });

  test("a get takes the ring first, then a blocked putter's items, then refills the ring", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using q = Queue.init<number>(io, 2);
    const p = io.async(producer, io, q, 1, 5, 5); // putAll([1..5]): 2 in the ring, 3 blocked
    while (waiters(q).putters === 0) await new Promise((r) => setTimeout(r, 1));
    expect(q.get(io, 4, 4)).toEqual([1, 2, 3, 4]);
    expect(q.length()).toBe(1); // 5 moved into the ring, the putter released
    expect(p.await(io)).toBe(5);
    expect(q.getOne(io)).toBe(5);
  });

  test("a blocked get and a blocked put end with Canceled and leave no waiter", async () => {
    t = Threaded.init({ asyncLimit: 2 });
    const io = t.io();
    using empty = Queue.init<number>(io, 1);
    using full = Queue.init<number>(io, 1);
    full.putOne(io, 1);
    using r1 = ResetEvent.init(io);
    using r2 = ResetEvent.init(io);
    const getter = io.async(queueBlock, io, empty, false, r1);
    const putter = io.async(queueBlock, io, full, true, r2);
    await r1.waitAsync();
    await r2.waitAsync();
    while (waiters(empty).getters === 0 || waiters(full).putters === 0)
      await new Promise((r) => setTimeout(r, 1));
    expect(getter.cancel(io)).toBe("Canceled");
    expect(putter.cancel(io)).toBe("Canceled");
    expect(waiters(empty)).toEqual({ putters: 0, getters: 0 });
    expect(waiters(full)).toEqual({ putters: 0, getters: 0 });
    expect(full.getOne(io)).toBe(1); // the canceled put delivered nothing
    expect(full.length()).toBe(0);
  });

  test("a blocked get(max, min) returns once it has min items, not once it has max", async () => {
    t = Threaded.init({ concurrentLimit: 1 });
    const io = t.io();
    using q = Queue.init<number>(io, 16);
    const f = io.concurrent(getSome, io, q, 8, 3);
    await until(() => waiters(q).getters !== 0, "the getter to block"); // blocked, nothing queued
    q.putOne(io, 1);
    q.putAll(io, [2, 3]);
    // Zig's `Threaded.zig` (a0289d0c) would wait here for 5 more items.
    const released = await until(() => f.settled, "the getter's result", scaled(3000)).then(
      () => true,
      () => false,
    );
    if (!released) q.putAll(io, [0, 0, 0, 0, 0]); // let the old behaviour end
    expect(released).toBe(true);
    expect(f.await(io)).toEqual([1, 2, 3]);
    q.putOne(io, 4); // later items go to the ring
    expect(q.get(io, 8, 0)).toEqual([4]);
    expect(waiters(q)).toEqual({ putters: 0, getters: 0 });
  });

  test("the async twin too: getAsync(8, 1) resolves with the one item a pool thread put", async () => {
    t = Threaded.init({ concurrentLimit: 1 });
    const io = t.io();
    using q = Queue.init<number>(io, 16);
    const got = q.getAsync(io, 8, 1);
    await until(() => waiters(q).getters !== 0, "the getter to block");
    io.concurrent(producer, io, q, 7, 1, 1).await(io);
    const r = await Promise.race([got, Bun.sleep(scaled(3000)).then(() => "still waiting")]);
    if (r === "still waiting") q.putAll(io, [0, 0, 0, 0, 0, 0, 0]);
    expect(r).toEqual([7]);
  });

  test("the heap returns to its baseline after a queue workload", () => {
    t = Threaded.init({ asyncLimit: 2 });
    const io = t.io();
    io.async(producer, io, Queue.init<number>(io, 1), 0, 0, 1).await(io); // interns the task name
    io.async(consumer, io, Queue.init<number>(io, 1), 0).await(io);
    const base = t.heap.stats();
    const q = Queue.init<unknown>(io, 3);
    const p = io.async(producer, io, q as Queue<number>, 0, 300, 4);
    const c = io.async(consumer, io, q, 250);
    expect(c.await(io)).toHaveLength(250);
    expect(q.get(io, 47, 47)).toHaveLength(47);
    expect(p.await(io)).toBe(300);
    expect(q.length()).toBe(3);
    q.deinit(); // frees what is still in the ring
    const after = t.heap.stats();
    expect(after.liveBlocks).toBe(base.liveBlocks);
    expect(after.liveBytes).toBe(base.liveBytes);
  });
});
