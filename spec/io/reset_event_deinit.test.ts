// ResetEvent.deinit refuses while a call waits on the event, as Mutex,
// Condition, Group and Queue refuse while in use: freed under a blocked
// `wait`, the event's memory went to the next block allocated, whose `set`
// then released the waiter as if this event had been set; a pending
// `waitAsync()` promise never settled.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { BugError, Duration, ResetEvent, task, Threaded, type Io } from "../../lib/index.ts";
import { ResetEventLayout } from "../../lib/substrate/layout.ts";
import { until } from "../helpers/until.ts";

export const waitOn = task(import.meta, function waitOn(io: Io, ev: ResetEvent): string {
  ev.wait(io);
  return "set";
});

let t: Threaded;
let io: Io;
beforeAll(() => {
  t = Threaded.init();
  io = t.io();
});
afterAll(() => t.deinit());

/** The calls waiting on `ev`, as deinit counts them. */
function waiters(ev: ResetEvent): number {
  return Atomics.load(ev.heap.i32, (ev.ref + ResetEventLayout.WAITERS) >> 2);
}

const refused = /^ResetEvent\.deinit while 1 waiter is waiting on it/;

test("a task blocked in wait: deinit is a BugError and frees nothing", async () => {
  const ev = ResetEvent.init(io);
  const f = io.concurrent(waitOn, io, ev);
  await until(() => waiters(ev) === 1, "the task to wait");
  expect(() => ev.deinit()).toThrow(BugError);
  expect(() => ev.deinit()).toThrow(refused);
  expect(ev.isSet()).toBe(false); // still the live event
  ev.set();
  expect(await f).toBe("set");
  ev.deinit();
});

test("a pending waitAsync: deinit is a BugError; the promise still resolves on set", async () => {
  const ev = ResetEvent.init(io);
  const p = ev.waitAsync();
  expect(() => ev.deinit()).toThrow(refused);
  ev.set();
  await p;
  ev.deinit();
});

test("waiters that left (a timeout, a cancel) do not hold deinit back", async () => {
  const ev = ResetEvent.init(io);
  expect(ev.waitTimeout(io, Duration.fromMilliseconds(5))).toBe(false);
  expect(await ev.waitAsyncTimeout(5)).toBe(false);
  expect(ev.waitBounded(1000n)).toBe(false);
  const f = io.concurrent(waitOn, io, ev);
  await until(() => waiters(ev) === 1, "the task to wait");
  f.requestCancel(io);
  await expect(f.awaitAsync()).rejects.toThrow("Canceled");
  expect(waiters(ev)).toBe(0);
  ev.deinit();
});
