import { afterEach, describe, expect, test } from "bun:test";
import { Canceled, Group, ResetEvent, Threaded, type Future } from "../../lib/index.ts";
import { Closure } from "../../lib/substrate/layout.ts";
import { shim } from "../../lib/ffi/shim.ts";
import {
  add,
  awaitsSignal,
  blockOnEvent,
  cooperative,
  countCancel,
  futexBlock,
  groupOfSleepers,
  selectCanceled,
  sleeper,
  sleepFor,
} from "../fixtures/tasks.ts";
import { scaled } from "../helpers/time_scale.ts";

let t: Threaded | undefined;
afterEach(() => {
  t?.deinit();
  t = undefined;
});

function outcome(f: () => unknown): string {
  try {
    f();
    return "ok";
  } catch (e) {
    return e instanceof Canceled ? "Canceled" : String(e);
  }
}

describe("future.cancel", () => {
  test("interrupts a task blocked in sleep and rethrows Canceled", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using ready = ResetEvent.init(io);
    const f = io.async(sleeper, io, ready, 60_000);
    await ready.waitAsync();
    const start = performance.now();
    expect(outcome(() => f.cancel(io))).toBe("Canceled");
    expect(performance.now() - start).toBeLessThan(scaled(5000));
  });

  test("a task canceled before a thread picks it up sees Canceled at its first check", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const f = io.async(sleeper, io, null, 60_000);
    expect(outcome(() => f.cancel(io))).toBe("Canceled");
  });

  test("cancel after completion returns the result", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const f = io.async(add, 1, 2);
    expect(f.await(io)).toBe(3);
    expect(f.cancel(io)).toBe(3);
  });

  test("a pure JavaScript loop cancels cooperatively through io.cancelRequested()", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using ready = ResetEvent.init(io);
    const f = io.async(cooperative, io, ready);
    await ready.waitAsync();
    expect(f.cancel(io)).toBe("saw cancel");
  });

  test("cancelOn(AbortSignal) cancels the task when the signal aborts", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using ready = ResetEvent.init(io);
    const controller = new AbortController();
    const f = io.async(sleeper, io, ready, 60_000).cancelOn(controller.signal);
    await ready.waitAsync();
    controller.abort();
    await expect(f.awaitAsync()).rejects.toBeInstanceOf(Canceled);
  });

  test("io.abortSignal() inside a task aborts with Canceled when the task is canceled", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using ready = ResetEvent.init(io);
    const f = io.async(awaitsSignal, io, ready);
    await ready.waitAsync();
    expect(f.cancel(io)).toBe("aborted with Canceled");
  });
});

describe("groups", () => {
  test("group.cancel interrupts every member blocked in sleep; each sees Canceled", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const counter = { ref: t.heap.allocZeroed(4) };
    using g = Group.init(io);
    for (let i = 0; i < 6; i++) g.concurrent(io, countCancel, io, counter, null);
    g.cancel(io);
    expect(t.heap.i32[counter.ref >> 2]).toBe(6);
    t.heap.free(counter.ref);
  });

  test("group.cancel interrupts members blocked in a futex wait", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const word = { ref: t.heap.allocZeroed(4) };
    using g = Group.init(io);
    for (let i = 0; i < 4; i++) g.concurrent(io, futexBlock, io, word);
    g.cancel(io); // all members end Canceled, which wait does not rethrow
    expect(Atomics.load(t.heap.i32, word.ref >> 2)).toBe(0);
    t.heap.free(word.ref);
  });

  test("when the task waiting on a group is canceled, every member is canceled", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using ready = ResetEvent.init(io);
    const f = io.async(groupOfSleepers, io, 5, ready);
    await ready.waitAsync();
    expect(f.cancel(io)).toBe("members canceled");
  });

  test("group.wait waits for every member and rethrows a member's error", () => {
    t = Threaded.init({ asyncLimit: 2 });
    const io = t.io();
    using g = Group.init(io);
    for (let i = 0; i < 5; i++) g.async(io, sleepFor, io, 5);
    g.wait(io);
    g.async(io, function boom() {
      throw new RangeError("member failed");
    });
    g.async(io, sleepFor, io, 1);
    expect(() => g.wait(io)).toThrow("member failed");
    g.wait(io); // reusable, and empty now
  });

  test("group.waitAsync and cancelOn(AbortSignal)", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const counter = { ref: t.heap.allocZeroed(4) };
    using g = Group.init(io);
    using ready = ResetEvent.init(io);
    const controller = new AbortController();
    g.concurrent(io, countCancel, io, counter, ready);
    g.concurrent(io, countCancel, io, counter, null);
    g.cancelOn(io, controller.signal);
    await ready.waitAsync();
    setTimeout(() => controller.abort(), 1);
    await g.waitAsync(io);
    expect(t.heap.i32[counter.ref >> 2]).toBe(2);
    t.heap.free(counter.ref);
  });
});

describe("select", () => {
  test("returns the index of the first future done and leaves no registration", () => {
    t = Threaded.init({ asyncLimit: 3 });
    const io = t.io();
    const slowMs = scaled(300); // the margin over a thread's start-up
    const slow = io.async(sleepFor, io, slowMs);
    const fast = io.async(sleepFor, io, 5);
    const futures: Future<number>[] = [slow, fast];
    expect(io.select(futures)).toBe(1);
    for (const f of futures)
      expect(Atomics.load(t.heap.i32, (f.closure + Closure.SELECT) >> 2)).not.toBeGreaterThan(1);
    expect(fast.await(io)).toBe(5);
    expect(slow.await(io)).toBe(slowMs);
  });

  test("a future already done is returned at once, lowest index first", () => {
    t = Threaded.init({ asyncLimit: 2 });
    const io = t.io();
    const a = io.async(add, 1, 1);
    const b = io.async(add, 2, 2);
    a.await(io);
    b.await(io);
    expect(io.select([a, b])).toBe(0);
  });

  test("a canceled select leaves every future clean, and they can be selected again", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    using never = ResetEvent.init(io);
    using ready = ResetEvent.init(io);
    const f = io.async(selectCanceled, io, never, ready);
    await ready.waitAsync();
    expect(f.cancel(io)).toBe("canceled, clean");
  });

  test("selectAsync on the main thread", async () => {
    t = Threaded.init({ asyncLimit: 2 });
    const io = t.io();
    using gate = ResetEvent.init(io);
    const blocked = [io.async(blockOnEvent, io, gate, null), io.async(sleepFor, io, 5)];
    expect(await io.selectAsync(blocked)).toBe(1);
    gate.set();
    expect(blocked[0].await(io)).toBe("set");
    expect(blocked[1].await(io)).toBe(5);
  });
});

// prettier-ignore
test("2,000 cancels at random moments around sleeps and futex waits: no hang, every one Canceled", async () => {
  t = Threaded.init({ asyncLimit: 2 });
  const io = t.io();
  const word = { ref: t.heap.allocZeroed(4) };
  let canceled = 0;
  const start = performance.now();
  for (let i = 0; i < 2000; i++) {
    const f = i % 2 === 0 ? io.async(sleeper, io, null, -1) : io.async(futexBlock, io, word);
    const spins = Math.floor(Math.random() * 30_000);
    for (let s = 0; s < spins; s++) Atomics.load(t.heap.i32, 0);
    if (outcome(() => f.cancel(io)) === "Canceled") canceled++;
  }
  expect(canceled).toBe(2000);
  expect(shim().tio_watchdog_pending()).toBe(0);
  expect(performance.now() - start).toBeLessThan(scaled(60_000));
  t.heap.free(word.ref);
}, scaled(90_000));
