// future.requestCancel and group.requestCancel: a cancel request that
// returns at once; the future or group is still awaited (or waited) after.
import { afterEach, expect, test } from "bun:test";
import { Canceled, Group, ResetEvent, Threaded } from "../../lib/index.ts";
import { add } from "../fixtures/tasks.ts";
import { ignoresCancel, requestGroupCancel, untilCanceled } from "../fixtures/crossing_tasks.ts";

let t: Threaded | undefined;
afterEach(() => {
  t?.deinit();
  t = undefined;
});

test("future.requestCancel interrupts a blocked task; await then throws Canceled", async () => {
  t = Threaded.init({ asyncLimit: 2 });
  const io = t.io();
  using started = ResetEvent.init(io);
  const f = io.concurrent(untilCanceled, io, started);
  await started.waitAsync();
  f.requestCancel(io);
  f.requestCancel(io); // twice is harmless
  expect(await f).toBe("Canceled");
});

test("future.requestCancel does not wait for the task", async () => {
  t = Threaded.init({ asyncLimit: 2 });
  const io = t.io();
  using started = ResetEvent.init(io);
  using release = ResetEvent.init(io);
  const f = io.concurrent(ignoresCancel, io, started, release);
  await started.waitAsync();
  f.requestCancel(io); // returns although the task cannot end before `release`
  expect(f.settled).toBe(false);
  release.set();
  expect(f.await(io)).toBe("cancel requested");
});

test("future.requestCancel before the task starts: it sees the request", async () => {
  t = Threaded.init({ asyncLimit: 2 });
  const io = t.io();
  using started = ResetEvent.init(io);
  const f = io.concurrent(untilCanceled, io, started);
  f.requestCancel(io);
  let outcome: unknown;
  try {
    outcome = await f;
  } catch (e) {
    outcome = e instanceof Canceled ? "Canceled (before it ran)" : e;
  }
  expect(["Canceled", "Canceled (before it ran)"]).toContain(outcome as string);
});

test("future.requestCancel after await, and on an inline future, is a no-op", () => {
  t = Threaded.initSingleThreaded();
  const io = t.io();
  const inline = io.async(add, 1, 2);
  inline.requestCancel(io);
  expect(inline.await(io)).toBe(3);
  inline.requestCancel(io); // settled and freed: nothing to cancel
  expect(inline.await(io)).toBe(3);

  const pooled = Threaded.init({ asyncLimit: 1 });
  try {
    const pio = pooled.io();
    const f = pio.concurrent(add, 2, 3);
    expect(f.await(pio)).toBe(5);
    f.requestCancel(pio); // its closure is freed: must not touch it
    expect(f.await(pio)).toBe(5);
  } finally {
    pooled.deinit();
  }
});

test("group.requestCancel interrupts every member and returns at once", async () => {
  t = Threaded.init({ asyncLimit: 3 });
  const io = t.io();
  using blocked = ResetEvent.init(io);
  using started = ResetEvent.init(io);
  using release = ResetEvent.init(io);
  const group = Group.init(io);
  group.concurrent(io, untilCanceled, io, blocked);
  group.concurrent(io, ignoresCancel, io, started, release);
  await blocked.waitAsync();
  await started.waitAsync();
  group.requestCancel(io); // the second member holds on until `release`
  release.set();
  await group.waitAsync(io);
  group.requestCancel(io); // an empty group: nothing to do
  group.deinit();
});

test("group.requestCancel from a pool thread", async () => {
  t = Threaded.init({ asyncLimit: 3 });
  const io = t.io();
  using started = ResetEvent.init(io);
  const group = Group.init(io);
  group.concurrent(io, untilCanceled, io, started);
  await started.waitAsync();
  expect(await io.concurrent(requestGroupCancel, io, group)).toBe("requested");
  group.wait(io);
  group.deinit();
});
