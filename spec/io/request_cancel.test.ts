// future.requestCancel and group.requestCancel: a cancel request that
// returns at once; the future or group is still awaited (or waited) after.
import { afterEach, expect, test } from "bun:test";
import { Canceled, Group, ResetEvent, Threaded } from "../../lib/index.ts";
import { add, blockOnEvent } from "../fixtures/tasks.ts";
import { getEventListeners } from "node:events";
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

test("future.cancelOn: a signal that aborts after deinit does nothing, as group.cancelOn", () => {
  t = Threaded.init({ asyncLimit: 2 });
  const io = t.io();
  const ev = ResetEvent.init(io);
  const controller = new AbortController();
  const f = io.concurrent(blockOnEvent, io, ev, null).cancelOn(controller.signal);
  expect(f.pendingClosure).not.toBe(0); // blocked: not settled by the after-idle handoff
  ev.set();
  t.deinit(); // joins the task, never awaited (its event goes with the heap)
  t = undefined;
  // The listener threw a BugError (requestCancel on a deinitialized
  // instance), uncaught: the process exited with code 1.
  const uncaught: unknown[] = [];
  const onError = (e: unknown) => uncaught.push(e);
  process.on("uncaughtException", onError);
  try {
    controller.abort();
  } finally {
    process.off("uncaughtException", onError);
  }
  expect(uncaught).toEqual([]);
});

test("future.cancelOn: the listeners leave every signal once the future is awaited", async () => {
  t = Threaded.init({ asyncLimit: 2 });
  const io = t.io();
  using ev = ResetEvent.init(io);
  const [a, b, c] = [new AbortController(), new AbortController(), new AbortController()];
  const listeners = (x: AbortController) => getEventListeners(x.signal, "abort").length;
  const f = io.concurrent(blockOnEvent, io, ev, null).cancelOn(a.signal).cancelOn(b.signal);
  const g = io.concurrent(blockOnEvent, io, ev, null).cancelOn(c.signal);
  expect([listeners(a), listeners(b), listeners(c)]).toEqual([1, 1, 1]);
  ev.set();
  expect(await f).toBe("set"); // the first signal's listener stayed
  expect(g.await(io)).toBe("set");
  expect([listeners(a), listeners(b), listeners(c)]).toEqual([0, 0, 0]);
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
