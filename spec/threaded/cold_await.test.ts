// An await whose task had to wake a sleeping pool thread does not spin: the
// woken thread needs 40–60 µs to run (often on the awaiter's own CPU), so a
// spin could not catch it and would only delay it.
import { afterEach, expect, test } from "bun:test";
import { Threaded } from "../../lib/index.ts";
import { add } from "../fixtures/tasks.ts";
import { awaitSite } from "../../lib/threaded/futures.ts";
import { eventSite } from "../../lib/io/reset_event.ts";
import { cpusAllowed } from "../../lib/substrate/spin_policy.ts";
import { untilPoolAsleep } from "../helpers/until.ts";

let t: Threaded | undefined;
afterEach(() => {
  t?.deinit();
  t = undefined;
});

test("await(io) of a task dispatched to a sleeping thread sleeps at once", async () => {
  if (cpusAllowed() < 2) return; // no site spins with one CPU
  t = Threaded.init({ asyncLimit: 1 });
  const io = t.io();
  expect(io.async(add, 1, 2).await(io)).toBe(3); // starts the thread
  for (let round = 0; round < 5; round++) {
    await untilPoolAsleep(t);
    awaitSite.reset();
    expect(io.async(add, round, 1).await(io)).toBe(round + 1);
    expect(awaitSite.tried).toBe(0);
  }
});

test("await future of a task dispatched to a sleeping thread does not spin either", async () => {
  if (cpusAllowed() < 2) return;
  t = Threaded.init({ asyncLimit: 1 });
  const io = t.io();
  expect(await io.async(add, 1, 2)).toBe(3);
  for (let round = 0; round < 5; round++) {
    await untilPoolAsleep(t);
    eventSite.reset();
    expect(await io.async(add, round, 2)).toBe(round + 2);
    expect(eventSite.tried).toBe(0);
  }
});
