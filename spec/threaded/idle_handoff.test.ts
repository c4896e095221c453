// The after-idle handoff (lib/threaded/idle_handoff.ts): a dispatch that
// woke a pool thread after idle yields its CPU once, and a task done by
// then comes back as a settled future; a task that held the CPU long is
// not yielded to again for a while.
import { expect, spyOn, test } from "bun:test";
import { Threaded } from "../../lib/index.ts";
import { add } from "../fixtures/tasks.ts";
import { pendingHolders } from "../../lib/substrate/keep_alive.ts";
import { handOff, handoffs, shouldHandOff } from "../../lib/threaded/idle_handoff.ts";
import { untilPoolAsleep } from "../helpers/until.ts";
import { runPinned, taskset } from "../helpers/child.ts";

test("after idle, a future settled by the handoff or pending gives the same result and frees everything", async () => {
  const t = Threaded.init({ asyncLimit: 1 });
  try {
    const io = t.io();
    expect(await io.async(add, 1, 2)).toBe(3);
    const baseline = t.heap.stats().liveBytes;
    for (let round = 0; round < 5; round++) {
      await untilPoolAsleep(t);
      await Bun.sleep(10); // the idle the dispatch measures (IDLE_WAKE_MS 5), not a sync
      const f = round % 2 === 0 ? io.async(add, round, 1) : io.concurrent(add, round, 1);
      // Settled or not, it answers like any future, blocking or not.
      expect(round === 4 ? f.await(io) : await f).toBe(round + 1);
      expect(f.await(io)).toBe(round + 1);
      expect(t.heap.stats().liveBytes).toBe(baseline);
      expect(pendingHolders()).toBe(0);
    }
  } finally {
    t.deinit();
  }
});

test.skipIf(taskset === null)(
  "pinned to one CPU: a short task is done when the dispatcher goes on; a long one is not handed off again",
  async () => {
    const { out, err, code } = await runPinned(`${import.meta.dir}/../fixtures/handoff_child.ts`);
    expect(err).toBe("");
    expect(code).toBe(0);
    const r = JSON.parse(out);
    // Every short round was handed off (or skipped after a handoff that an
    // emulator made slow), and most found their task done: with one CPU
    // the woken thread runs while the dispatcher yields, unless the
    // scheduler hands the CPU straight back (≈ 1 yield in 15 here).
    for (const s of r.shortRounds) {
      expect(s.handedOff + s.skipped).toBe(1);
      expect(s.found).toBeLessThanOrEqual(s.handedOff);
      expect(s.settled).toBe(s.found === 1);
      expect(s.native).toBe(s.found === 1);
    }
    expect(r.shortRounds.filter((s: { found: number }) => s.found === 1).length).toBeGreaterThan(0);
    // The long task is yielded to until a yield holds the CPU (its 20 ms;
    // one that the scheduler handed straight back counts neither way), and
    // not for the next 4 (BACKOFF_MIN) cold dispatches: they wait as any
    // await does. Under arm64 emulation every yield of a run came back at
    // once (1 run in 4): then all four rounds yield and none skips (the
    // backoff itself is the mocked-clock spec below).
    const found = r.longRounds.findIndex((s: { long: number }) => s.long === 1);
    const first = found < 0 ? r.longRounds.length : found;
    r.longRounds.forEach((s: object, i: number) => {
      if (i < first)
        expect(s).toEqual({
          settled: false,
          native: false,
          handedOff: 1,
          found: 0,
          skipped: 0,
          long: 0,
        });
      if (i > first)
        expect(s).toEqual({
          settled: false,
          native: false,
          handedOff: 0,
          found: 0,
          skipped: 1,
          long: 0,
        });
    });
  },
);

test("a yield that returned at once unfinished leaves the task's backoff as it was", () => {
  // The clock handOff reads around its yield: each probe takes `yieldMs`.
  let now = 0;
  let yieldMs = 0;
  let reads = 0;
  const clock = spyOn(performance, "now").mockImplementation(() => {
    if (reads++ % 2 === 1) now += yieldMs;
    return now;
  });
  try {
    const key = 0x7ffffff0; // no interned task's
    /** Cold dispatches until the next probe (its own included); whether it yielded. */
    const toProbe = (ms: number, finished: boolean): number => {
      yieldMs = ms;
      for (let n = 1; ; n++) {
        const before = handoffs.handedOff;
        if (shouldHandOff(key)) handOff(key, () => finished);
        if (handoffs.handedOff > before) return n;
      }
    };
    expect(toProbe(5, false)).toBe(1); // held the CPU 5 ms: skip the next 4
    expect(toProbe(0.01, false)).toBe(5); // at once, unfinished: counts neither way
    expect(toProbe(5, false)).toBe(1); // the second long probe: skip the next 8
    expect(toProbe(0.01, false)).toBe(9);
    expect(toProbe(5, false)).toBe(1); // then 16
    expect(toProbe(0.01, true)).toBe(17); // short and done: its history is cleared
    expect(toProbe(5, false)).toBe(1);
    expect(toProbe(5, false)).toBe(5); // skip 4 again, as a first long probe
  } finally {
    clock.mockRestore();
  }
});

/** Runs `fn` with `performance.now()` fixed at `now`. */
function atFixedClock(fn: (now: number) => void): void {
  const now = 100;
  const clock = spyOn(performance, "now").mockImplementation(() => now);
  try {
    fn(now);
  } finally {
    clock.mockRestore();
  }
}

test("a task done at the wake is not yielded to, and its time since the wake counts", () =>
  atFixedClock((now) => {
    const key = 0x7fffffe0; // no interned task's
    const before = { ...handoffs };
    // The woken thread preempted the dispatcher and finished within 0.1 ms.
    expect(handOff(key, () => true, now - 0.1)).toBe(true);
    expect(handoffs.atWake - before.atWake).toBe(1);
    expect(handoffs.long - before.long).toBe(0);
    expect(shouldHandOff(key)).toBe(true);
    // It held the dispatcher off its CPU for 5 ms: skip the next 4.
    expect(handOff(key, () => true, now - 5)).toBe(true);
    expect(handoffs.atWake - before.atWake).toBe(2);
    expect(handoffs.long - before.long).toBe(1);
    for (let i = 0; i < 4; i++) expect(shouldHandOff(key)).toBe(false);
    expect(shouldHandOff(key)).toBe(true);
    // Not done at the wake: a yield, as before.
    const found = handoffs.found;
    expect(handOff(key, () => false, now)).toBe(false);
    expect(handoffs.atWake - before.atWake).toBe(2);
    expect(handoffs.found).toBe(found);
  }));

test("a thread preempted at the wake counts that time, done or not; a short yield that finds the task done clears its history", () =>
  atFixedClock((now) => {
    const key = 0x7fffffd0; // no interned task's
    const before = { ...handoffs };
    // Kept off its CPU 20 ms at the wake, the task still running: long.
    expect(handOff(key, () => false, now - 20)).toBe(false);
    expect(handoffs.long - before.long).toBe(1);
    for (let i = 0; i < 4; i++) expect(shouldHandOff(key)).toBe(false);
    // Not done at the wake, done after a short yield: its history is cleared.
    let checks = 0;
    expect(handOff(key, () => checks++ > 0, now - 0.05)).toBe(true);
    expect(checks).toBe(2);
    expect(handoffs.atWake - before.atWake).toBe(0);
    expect(handoffs.found - before.found).toBe(1);
    expect(shouldHandOff(key)).toBe(true);
  }));
