// Every way of waiting on tasks dispatched to pool threads that were all
// asleep in their idle futex wait (the dispatch had to wake one: no spin,
// spin_policy.ts `withoutSpins`): each returns the task's value, and none
// is left waiting for a wake-up that already happened. A lost one hangs
// the test (its timeout is the watchdog).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Group, Threaded, type Io } from "../../lib/index.ts";
import { add, chain, sleepFor } from "../fixtures/tasks.ts";
import { untilPoolAsleep } from "../helpers/until.ts";

let t: Threaded;
let io: Io;
beforeAll(() => {
  t = Threaded.init({ asyncLimit: 3 });
  io = t.io();
});
afterAll(() => t.deinit());

const ROUNDS = 8;
const forms: [string, (r: number) => Promise<void> | void][] = [
  ["future.await(io)", (r) => expect(io.async(add, r, 1).await(io)).toBe(r + 1)],
  ["await future", async (r) => expect(await io.async(add, r, 2)).toBe(r + 2)],
  [
    "io.select, then both",
    (r) => {
      const fs = [io.concurrent(add, r, 1), io.concurrent(add, r, 2)];
      const i = io.select(fs);
      expect(fs[i].await(io)).toBe(r + 1 + i);
      expect(fs[1 - i].await(io)).toBe(r + 2 - i);
    },
  ],
  [
    "group.wait",
    (r) => {
      const g = Group.init(io);
      for (let i = 0; i < 3; i++) g.concurrent(io, add, r, i);
      g.wait(io);
    },
  ],
  [
    "group.waitAsync",
    async (r) => {
      const g = Group.init(io);
      for (let i = 0; i < 3; i++) g.concurrent(io, add, r, i);
      await g.waitAsync(io);
    },
  ],
  [
    "Promise.all",
    async (r) =>
      expect(await Promise.all([io.concurrent(add, r, 1), io.async(add, r, 2)])).toEqual([
        r + 1,
        r + 2,
      ]),
  ],
  [
    "a task awaiting a task it dispatched",
    (r) => expect(io.concurrent(chain, io, 2).await(io)).toBe(2),
  ],
  [
    "cancel",
    (r) => {
      const f = io.concurrent(sleepFor, io, 60_000 + r);
      expect(() => f.cancel(io)).toThrow("Canceled");
    },
  ],
];

// Three threads first, so that every form finds sleepers to wake.
test("three pool threads start and go to sleep", async () => {
  const g = Group.init(io);
  for (let i = 0; i < 3; i++) g.concurrent(io, sleepFor, io, 30);
  g.wait(io);
  await untilPoolAsleep(t, 3);
});

for (const [name, form] of forms)
  test(`${name}: cold, ${ROUNDS} rounds`, async () => {
    for (let r = 0; r < ROUNDS; r++) {
      await untilPoolAsleep(t, 3);
      await form(r);
    }
  });
