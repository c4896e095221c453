import { afterEach, expect, test } from "bun:test";
import { ResetEvent } from "../../lib/io/reset_event.ts";
import { Duration } from "../../lib/io/time.ts";
import { Threaded } from "../../lib/threaded/threaded.ts";
import { startWorkers, terminateAll } from "../helpers/workers.ts";

let t: Threaded;
afterEach(() => {
  terminateAll();
  t?.deinit();
});

test("set in one thread releases a wait in another; reset makes it wait again", async () => {
  t = Threaded.init();
  const io = t.io();
  using ev = ResetEvent.init(io);
  using ack = ResetEvent.init(io);
  const [w] = startWorkers(t, 1);
  const first = w.run<string>("resetEventWait", { event: ev.ref, ack: ack.ref });
  expect(ev.isSet()).toBe(false);
  ev.set();
  expect(await first).toBe("set");
  await ack.waitAsync();
  ev.reset();
  ack.reset();
  expect(ev.isSet()).toBe(false);
  const second = w.run<string>("resetEventWait", { event: ev.ref, ack: ack.ref });
  // Not set yet: the worker must still be waiting when we check.
  expect(ack.waitTimeout(io, Duration.fromMilliseconds(20))).toBe(false);
  ev.set();
  expect(await second).toBe("set");
});

test("waitTimeout returns false when nobody sets it, true when already set", () => {
  t = Threaded.init();
  const io = t.io();
  using ev = ResetEvent.init(io);
  const start = performance.now();
  expect(ev.waitTimeout(io, Duration.fromMilliseconds(30))).toBe(false);
  expect(performance.now() - start).toBeGreaterThanOrEqual(29);
  ev.set();
  expect(ev.waitTimeout(io, Duration.fromSeconds(10))).toBe(true);
  ev.wait(io); // returns at once
});

test("waitAsync keeps the event loop running until a Worker sets the event", async () => {
  t = Threaded.init();
  const io = t.io();
  using ev = ResetEvent.init(io);
  using ack = ResetEvent.init(io);
  let timerFired = false;
  setTimeout(() => (timerFired = true), 0);
  const [w] = startWorkers(t, 1);
  const waiter = w.run<string>("resetEventWait", { event: ack.ref, ack: ev.ref });
  const pending = ev.waitAsync();
  await new Promise((r) => setTimeout(r, 2));
  expect(timerFired).toBe(true); // the loop ran while we were waiting
  ack.set(); // the worker wakes and sets `ev` for us
  await pending;
  expect(ev.isSet()).toBe(true);
  expect(await waiter).toBe("set");
});
