import { afterEach, describe, expect, test } from "bun:test";
import { Canceled, Group, ResetEvent, Threaded } from "../../lib/index.ts";
import { add, blockOnEvent } from "../fixtures/tasks.ts";
import { until } from "../helpers/until.ts";

let t: Threaded | undefined;
afterEach(() => {
  t?.deinit();
  t = undefined;
});

describe("threaded.stats()", () => {
  test("a fresh pool counts nothing", () => {
    t = Threaded.init({ asyncLimit: 1, heapBytes: 1 << 20, maxHeapBytes: 1 << 24 });
    const s = t.stats();
    expect(s.threads).toEqual({ live: 0, busy: 0, idle: 0, spawnedTotal: 0 });
    expect(s.tasks).toEqual({ queued: 0, pool: 0, inline: 0 });
    expect(s.cancels).toEqual({ requested: 0, signaled: 0, delivered: 0 });
    expect(s.heap.inUse).toBe(0);
    expect(s.heap.reserved).toBe(1 << 20);
    expect(s.heap.max).toBe(1 << 24);
  });

  test("counts threads, pool and inline tasks, and cancels after a known workload", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    // One task holds the only async thread: every async call meanwhile runs
    // inline, and so does every groupAsync member.
    using ev = ResetEvent.init(io);
    using ready = ResetEvent.init(io);
    const blocked = io.async(blockOnEvent, io, ev, ready);
    await ready.waitAsync();
    let s = t.stats();
    expect(s.threads).toEqual({ live: 1, busy: 1, idle: 0, spawnedTotal: 1 });
    expect(s.tasks).toEqual({ queued: 0, pool: 1, inline: 0 });
    expect(s.heap.inUse).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) expect(await io.async(add, i, 1)).toBe(i + 1);
    const g = Group.init(io);
    for (let i = 0; i < 5; i++) g.async(io, add, i, 2);
    g.wait(io);
    s = t.stats();
    expect(s.tasks).toEqual({ queued: 0, pool: 1, inline: 15 });
    // The running task is canceled: requested, signalled, raised once.
    expect(() => blocked.cancel(io)).toThrow(Canceled);
    s = t.stats();
    expect(s.cancels).toEqual({ requested: 1, signaled: 1, delivered: 1 });
    expect(s.threads).toEqual({ live: 1, busy: 0, idle: 1, spawnedTotal: 1 });
    // Now the thread is free: 20 round trips run on the pool (none inline:
    // BUSY drops before the result is published, closure.ts).
    for (let i = 0; i < 20; i++) expect(await io.async(add, i, 1)).toBe(i + 1);
    s = t.stats();
    expect(s.tasks).toEqual({ queued: 0, pool: 21, inline: 15 });
    // A cancel of a finished task is a request that signals nothing. (A
    // dispatch after 5 ms without waking a thread yields to it first, and
    // its future comes back settled, as a task run inline does: nothing is
    // left to cancel then, and no request is counted; idle_handoff.ts.)
    const done = io.async(add, 1, 2);
    expect(done.await(io)).toBe(3);
    const late = io.async(add, 2, 2);
    const handedOff = late.pendingClosure === 0;
    await until(() => late.settled, "the late task's result");
    expect(late.cancel(io)).toBe(4);
    s = t.stats();
    expect(s.cancels).toEqual({ requested: handedOff ? 1 : 2, signaled: 1, delivered: 1 });
    expect(s.tasks.pool + s.tasks.inline).toBe(38);
  });

  test("a cancel requested twice counts once; every Canceled raised counts", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using ev = ResetEvent.init(io);
    using ready = ResetEvent.init(io);
    const f = io.async(blockOnEvent, io, ev, ready);
    ready.wait(io);
    f.requestCancel(io);
    f.requestCancel(io);
    expect(() => f.await(io)).toThrow(Canceled);
    expect(t.stats().cancels).toEqual({ requested: 1, signaled: 1, delivered: 1 });
  });

  test("two instances count apart; polling costs no lock on the pool", () => {
    t = Threaded.init({ asyncLimit: 1 });
    using other = Threaded.init({ asyncLimit: 0 });
    const io = other.io();
    for (let i = 0; i < 3; i++) expect(io.async(add, i, 0).await(io)).toBe(i);
    expect(other.stats().tasks.inline).toBe(3);
    expect(t.stats().tasks.inline).toBe(0);
    const start = process.cpuUsage();
    for (let i = 0; i < 10_000; i++) other.stats();
    // Bounded by the work, not timed: 10,000 polls stay far under a second of CPU.
    const cpu = process.cpuUsage(start);
    expect(cpu.user + cpu.system).toBeLessThan(1_000_000);
  });
});
