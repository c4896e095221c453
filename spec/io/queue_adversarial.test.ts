// Queue under misuse and at its edges: arguments of the wrong kind, a heap
// out of memory, deinit while calls are inside it, cancelation at every
// point of a blocked get. Each spec failed before its fix.
import { afterEach, describe, expect, test } from "bun:test";
import { BugError, IoError, Queue, Threaded } from "../../lib/index.ts";
import { embeddedMutex } from "../../lib/io/mutex.ts";
import { QueueLayout } from "../../lib/substrate/layout.ts";
import { putLocked } from "../../lib/io/queue_transfer.ts";
import { encodeElements } from "../../lib/io/queue_elements.ts";
import { CONTENDED, UNLOCKED } from "../../lib/substrate/mutex_word.ts";
import { pendingHolders } from "../../lib/substrate/keep_alive.ts";
import { getOrCanceled, getUntilStop, partialProducer } from "../fixtures/tasks.ts";
import { until } from "../helpers/until.ts";

let t: Threaded | undefined;
afterEach(() => {
  t?.deinit();
  t = undefined;
});

function listed(q: Queue<unknown>): { putters: number; getters: number } {
  const u32 = q.heap.u32;
  return {
    putters: u32[(q.ref + QueueLayout.PUTTERS_HEAD) >> 2],
    getters: u32[(q.ref + QueueLayout.GETTERS_HEAD) >> 2],
  };
}

/** Runs the task once, so that interning its name is not counted as a leak. */
function warm(io: ReturnType<Threaded["io"]>): void {
  const q = Queue.init<number>(io, 0);
  io.async(getOrCanceled, io, q, 0, 0).await(io);
  q.deinit();
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("did not throw");
}

describe("Queue arguments", () => {
  test("a capacity the heap cannot hold is OutOfMemory, and nothing leaks", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const base = t.heap.stats();
    for (const capacity of [0x1fff_ffff, 0x1000_0000]) {
      const e = thrown(() => Queue.init(io, capacity));
      expect((e as IoError).code).toBe("OutOfMemory");
    }
    expect(t.heap.stats()).toEqual(base); // the queue's block leaked
    using q = Queue.init<number>(io, 1 << 20); // 4 MiB of ring: fine
    q.putOne(io, 1);
    expect(q.getOne(io)).toBe(1);
  });

  test("items that are not an array are a TypeError, and nothing is put", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using q = Queue.init<unknown>(io, 4);
    const base = t.heap.stats();
    // A string was put as its characters; a number failed "is not iterable".
    for (const items of ["abc", 5, null, undefined, { length: 2 }, new Set([1])]) {
      const e = thrown(() => q.put(io, items as never, 0));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toContain("not an array");
      expect(() => q.putUncancelable(io, items as never, 0)).toThrow(TypeError);
      expect(q.putAsync(io, items as never, 0)).rejects.toThrow(TypeError);
    }
    expect(q.length()).toBe(0);
    expect(t.heap.stats()).toEqual(base);
  });

  test("an item that cannot be copied is a TypeError saying so, and nothing is put or leaked", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using q = Queue.init<unknown>(io, 4);
    const base = t.heap.stats();
    for (const bad of [() => 1, Symbol("s"), { f: () => 1 }, new WeakMap()]) {
      const e = thrown(() => q.putAll(io, [1, "two", bad]));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toContain("cannot be put in a queue"); // said "Task value"
      expect(q.putAsync(io, [bad], 1)).rejects.toThrow(TypeError);
    }
    expect(q.length()).toBe(0);
    expect(t.heap.stats()).toEqual(base);
    q.putAll(io, [1, 2]);
    expect(q.get(io, 2, 2)).toEqual([1, 2]);
  });

  test("a partial put frees the items it did not take", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const base = t.heap.stats();
    const q = Queue.init<unknown>(io, 2);
    // Their encoded blocks stayed allocated: 4 + 1 + 3 + 1 leaked here.
    expect(q.put(io, [1, 2, 3, 4, 5, 6], 2)).toBe(2);
    expect(q.put(io, ["x"], 0)).toBe(0);
    expect(await q.putAsync(io, [{ a: 1 }, [2], 3n], 0)).toBe(0);
    expect(q.putUncancelable(io, [7], 0)).toBe(0);
    expect(q.get(io, 2, 2)).toEqual([1, 2]);
    q.deinit();
    expect(t.heap.stats()).toEqual(base);
  });

  test("a get whose waiter cannot be allocated is OutOfMemory and takes nothing", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using q = Queue.init<number>(io, 4);
    q.putOne(io, 7);
    const base = t.heap.stats();
    // Room for 10^9 tokens is 4 GB, past maxHeapBytes. The item was taken
    // first and lost, and the waiter record leaked.
    const e = thrown(() => q.get(io, 1e9, 1e9));
    expect(e).toBeInstanceOf(IoError);
    expect((e as IoError).code).toBe("OutOfMemory");
    expect(t.heap.stats()).toEqual(base);
    expect(q.getOne(io)).toBe(7);
  });

  test("a blocked get(1e9, 1) reserves a bounded buffer, not 4 GB", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using q = Queue.init<number>(io, 4);
    const base = t.heap.stats();
    const got = q.getAsync(io, 1e9, 1); // was OutOfMemory at once
    await until(() => listed(q).getters !== 0, "the getter to block");
    expect(t.heap.stats().liveBytes - base.liveBytes).toBeLessThan(64 * 1024);
    q.putAll(io, [1, 2, 3]);
    expect(await got).toEqual([1, 2, 3]);
    expect(t.heap.stats()).toEqual(base);
  });
});

describe("Queue async twins beside blocking calls on one thread", () => {
  test("an async twin holds no lock across an await: a blocking call after it proceeds", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using q = Queue.init<number>(io, 4);
    const word = (q.ref + QueueLayout.MUTEX) >> 2;
    const put = q.putAsync(io, [1], 1);
    // The twin took the lock inside Mutex.lockAsync and kept it until its
    // continuation ran, so this thread's blocking get waited forever.
    expect(Atomics.load(q.heap.i32, word)).toBe(UNLOCKED);
    expect(q.length()).toBe(1);
    expect(q.get(io, 1, 1)).toEqual([1]);
    expect(await put).toBe(1);
    const got = q.getAsync(io, 2, 2); // blocks: its lock is released
    expect(Atomics.load(q.heap.i32, word)).toBe(UNLOCKED);
    q.putAll(io, [2, 3]);
    expect(await got).toEqual([2, 3]);
  });
});

describe("Queue lifetime", () => {
  test("deinit while an async getter is served but not yet resumed is refused", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const q = Queue.init<number>(io, 4);
    const base = t.heap.stats();
    const got = q.getAsync(io, 1, 1);
    await until(() => listed(q).getters !== 0, "the getter to block");
    q.putOne(io, 1); // serves it: off the list, its continuation still to run
    // deinit freed the queue here, and the getter then locked and refilled
    // whatever the block held next.
    const e = thrown(() => q.deinit());
    expect(e).toBeInstanceOf(BugError);
    expect((e as Error).message).toContain("inside it");
    expect(await got).toEqual([1]);
    q.deinit();
    expect(t.heap.stats().liveBlocks).toBe(base.liveBlocks - 2); // the queue and its ring
  });
});

describe("Queue async twins and Threaded.deinit", () => {
  test("a getAsync pending when its Threaded is deinitialized rejects with a BugError", async () => {
    const own = Threaded.init({ asyncLimit: 1 });
    const io = own.io();
    const q = Queue.init<number>(io, 2);
    const got = q.getAsync(io, 1, 1);
    await until(() => listed(q).getters !== 0, "the getter to block");
    own.deinit();
    // It never settled, and its keep-alive hold kept the process running.
    const r = await Promise.race([
      got.then(
        () => "resolved",
        (e) => e,
      ),
      Bun.sleep(2000).then(() => "pending"),
    ]);
    expect(r).toBeInstanceOf(BugError);
    expect(String(r)).toContain("deinitialized");
    expect(pendingHolders()).toBe(0);
  });
});

describe("Queue cancelation loses no item", () => {
  test("a canceled get gives the items it had received back to the front of the queue", async () => {
    for (const capacity of [0, 2]) {
      t = Threaded.init({ asyncLimit: 1 });
      const io = t.io();
      warm(io);
      const base = t.heap.stats();
      const q = Queue.init<number>(io, capacity);
      const f = io.async(getOrCanceled, io, q, 10, 5);
      await until(() => listed(q).getters !== 0, "the getter to block");
      expect(q.put(io, [1, 2, 3], 0)).toBe(3); // handed to the getter, which wants 5
      expect(f.cancel(io)).toBe("Canceled");
      // Zig's `Threaded.zig` (a0289d0c) drops them: put, and never got.
      expect(q.get(io, 3, 0)).toEqual([1, 2, 3]); // min 0: never blocks
      expect(listed(q)).toEqual({ putters: 0, getters: 0 });
      q.deinit();
      expect(t.heap.stats()).toEqual(base);
      t.deinit();
      t = undefined;
    }
  });

  test("items given back stay ahead of later puts, and deinit frees what no one took", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    warm(io);
    const base = t.heap.stats();
    const q = Queue.init<number>(io, 1);
    const f = io.async(getOrCanceled, io, q, 8, 8);
    await until(() => listed(q).getters !== 0, "the getter to block");
    q.putAll(io, [1, 2, 3]);
    expect(f.cancel(io)).toBe("Canceled");
    const later = q.putAsync(io, [4], 1); // behind the given-back items
    expect(q.get(io, 2, 0)).toEqual([1, 2]);
    expect(q.get(io, 1, 0)).toEqual([3]);
    expect(await later).toBe(1);
    expect(q.get(io, 8, 1)).toEqual([4]);
    const f2 = io.async(getOrCanceled, io, q, 8, 8);
    await until(() => listed(q).getters !== 0, "the getter to block");
    q.putAll(io, [6, 7, 8]);
    expect(f2.cancel(io)).toBe("Canceled");
    q.deinit(); // 6 in the ring, 7 and 8 in the orphan record
    expect(t.heap.stats()).toEqual(base);
  });

  test("a canceled pool-thread put keeps what it handed over and leaks nothing", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const q0 = Queue.init<number>(io, 1); // interns the task name first
    io.async(partialProducer, io, q0, 0, 1, 1, 1).await(io);
    q0.deinit();
    const base = t.heap.stats();
    const q = Queue.init<number>(io, 2);
    const f = io.async(partialProducer, io, q, 0, 6, 6, 6); // put([0..5], 6)
    await until(() => listed(q).putters !== 0, "the putter to block");
    expect(q.get(io, 3, 3)).toEqual([0, 1, 2]); // 2 and 3 refill the ring
    expect(() => f.cancel(io)).toThrow("Canceled");
    expect(listed(q)).toEqual({ putters: 0, getters: 0 });
    expect(q.get(io, 8, 0)).toEqual([3, 4]);
    q.deinit();
    expect(t.heap.stats()).toEqual(base);
  });

  test("a get canceled after it was served returns its items", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using q = Queue.init<number>(io, 4);
    const f = io.async(getOrCanceled, io, q, 4, 2);
    // Hold the queue's lock once the getter waits (listed, lock released),
    // cancel it (it leaves its wait and waits to relock), then serve it
    // before it runs again.
    const lock = embeddedMutex(q.heap, q.ref + QueueLayout.MUTEX);
    await until(() => listed(q).getters !== 0 && lock.tryLock(), "the getter to wait");
    f.requestCancel(io);
    const word = (q.ref + QueueLayout.MUTEX) >> 2;
    await until(
      () => Atomics.load(q.heap.i32, word) === CONTENDED,
      "the getter to wait for the lock",
    );
    expect(putLocked(io, q.heap, q.ref, encodeElements(q.heap, [1, 2]), 0)).toBe(2);
    lock.unlock(io);
    // It threw Canceled and dropped both items.
    expect(f.await(io)).toEqual([1, 2]);
    expect(q.length()).toBe(0);
  });
});

describe("Queue under load", () => {
  test("pool producers and consumers, main-thread async twins, canceled getters: every item once, in order per producer", async () => {
    t = Threaded.init({ asyncLimit: 12 });
    const io = t.io();
    const q0 = Queue.init<number>(io, 1); // interns the task names first
    io.async(partialProducer, io, q0, -1, 1, 1, 1).await(io);
    io.async(getUntilStop, io, q0, 1, 1).await(io);
    q0.deinit();
    const base = t.heap.stats();
    const q = Queue.init<number>(io, 3);
    const N = 400;
    const producers = [0, 1, 2].map((p) =>
      io.async(partialProducer, io, q, p * 10_000, N, 1 + 3 * p, 1 + p),
    );
    const shapes: [number, number][] = [
      [7, 1],
      [4, 4],
      [1, 1],
      [9, 3],
    ];
    let consumers = shapes.map(([max, min]) => io.async(getUntilStop, io, q, max, min));
    // Main thread: a getAsync loop beside them.
    const mainGot: number[] = [];
    let mainDone = false;
    const mainLoop = (async () => {
      while (!mainDone) {
        const items = await q.getAsync(io, 5, 2);
        mainGot.push(...items);
        if (items.includes(-1)) mainDone = true;
      }
    })();
    // Cancel two consumers mid-stream (whatever they hold at that moment
    // goes back), and start replacements.
    const results: { got: number[]; canceled: boolean }[] = [];
    await until(() => q.length() > 0 || listed(q).putters !== 0, "traffic");
    for (const i of [1, 3]) {
      results.push(consumers[i].cancel(io));
      consumers[i] = io.async(getUntilStop, io, q, shapes[i][0], shapes[i][1]);
    }
    for (const p of producers) expect(p.await(io)).toBe(N);
    // Stop items until every consumer and the main loop have ended (one
    // that takes several leaves others waiting; a get(4, 4) needs four).
    // put(…, 0) never blocks: the ring may be full of stops no one needs.
    await until(() => {
      q.put(io, [-1], 0);
      return mainDone && consumers.every((c) => c.settled);
    }, "every consumer to stop");
    for (const c of consumers) results.push(c.await(io));
    await mainLoop;
    const leftover = q.get(io, 1000, 0);
    const all = [...results.flatMap((r) => r.got), ...mainGot, ...leftover].filter((v) => v !== -1);
    expect(all.length).toBe(3 * N);
    expect(new Set(all).size).toBe(3 * N);
    for (const seq of [...results.map((r) => r.got), mainGot]) {
      for (const p of [0, 1, 2]) {
        const mine = seq.filter((v) => v >= p * 10_000 && v < (p + 1) * 10_000);
        expect(mine).toEqual([...mine].sort((a, b) => a - b));
      }
    }
    expect(listed(q)).toEqual({ putters: 0, getters: 0 });
    q.deinit();
    expect(t.heap.stats()).toEqual(base);
  });
});
