// The after-idle handoff (lib/threaded/idle_handoff.ts): a dispatch that
// woke a pool thread after idle yields its CPU once, and a task done by
// then comes back as a settled future; a task that held the CPU long is
// not yielded to again for a while.
import { expect, test } from "bun:test";
import { Threaded } from "../../lib/index.ts";
import { add } from "../fixtures/tasks.ts";
import { pendingHolders } from "../../lib/substrate/keep_alive.ts";
import { untilPoolAsleep } from "../helpers/until.ts";

const taskset = Bun.which("taskset");

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
  "pinned to one CPU: a short task is done when the yield returns; a long one is not yielded to again",
  async () => {
    const child = Bun.spawn(
      [taskset!, "-c", "0", process.execPath, `${import.meta.dir}/../fixtures/handoff_child.ts`],
      { stdout: "pipe", stderr: "pipe" },
    );
    const [out, err, code] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    expect(err).toBe("");
    expect(code).toBe(0);
    const r = JSON.parse(out);
    // Every short round yielded (or skipped after a yield that an
    // emulator made slow) and each yield found its task done: with one
    // CPU, the woken thread runs exactly while the dispatcher yields.
    for (const s of r.shortRounds) {
      expect(s.yielded + s.skipped).toBe(1);
      expect(s.found).toBe(s.yielded);
      expect(s.settled).toBe(s.found === 1);
    }
    // The first long round yielded and held the CPU 20 ms: the next two
    // skip the handoff (BACKOFF_MIN is 4) and wait as any await does.
    expect(r.longRounds[0].yielded).toBe(1);
    expect(r.longRounds[1]).toEqual({ settled: false, yielded: 0, found: 0, skipped: 1 });
    expect(r.longRounds[2]).toEqual({ settled: false, yielded: 0, found: 0, skipped: 1 });
  },
);
