import { afterEach, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { Group, ResetEvent, Threaded } from "../../lib/index.ts";
import { chain, fib, sleepFor } from "../fixtures/tasks.ts";
import { until } from "../helpers/until.ts";
import { spawnChildAndReturn } from "../fixtures/idle_tasks.ts";

let t: Threaded | undefined;
afterEach(() => {
  t?.deinit();
  if (t) expect(t.poolStats()).toMatchObject({ threads: 0, live: 0 });
  t = undefined;
});

/** OS threads of this process that belong to pool threads (a pool thread
 * names itself tio-pool-N; Bun's helper threads of a Worker inherit it). */
function poolOsThreads(): number {
  let n = 0;
  for (const id of readdirSync("/proc/self/task")) {
    try {
      if (readFileSync(`/proc/self/task/${id}/comm`, "utf8").startsWith("tio-pool")) n++;
    } catch {
      // ended while we looked
    }
  }
  return n;
}

// Starting a pool thread takes 10–100 ms (more on a loaded machine): the
// waits below are bounds, generous on purpose.
describe("idleTimeout", () => {
  test("an idle pool shrinks to no thread, OS threads included, and grows again", async () => {
    t = Threaded.init({ idleTimeout: 30, concurrentLimit: 8 });
    const io = t.io();
    const burst = Array.from({ length: 6 }, () => io.concurrent(sleepFor, io, 20));
    for (const f of burst) expect(await f).toBe(20);
    // One thread per task: all six were dispatched before any could finish.
    // (How many are still live here depends on start-up times: a thread
    // that finished first may already have retired after its 30 ms.)
    expect(t.poolStats().spawnedTotal).toBe(6);
    await until(() => t!.poolStats().live === 0, "the pool to empty", 5000);
    expect(t.poolStats()).toMatchObject({ threads: 0, busy: 0, spawnedTotal: 6, retiredTotal: 6 });
    await until(() => poolOsThreads() === 0, "the OS threads to end", 5000);
    // Demand brings threads back (concurrent: on one CPU the default
    // asyncLimit is 0 and `async` runs the task inline).
    expect(await io.concurrent(fib, 20)).toBe(6765);
    expect(t.poolStats().spawnedTotal).toBe(7);
  }, 30_000);

  test("a pool thread that spawned threads outlives them", async () => {
    // Each `chain` level waits in a concurrent task on the next, so level k
    // is spawned by level k − 1's thread: a parent must not retire first.
    t = Threaded.init({ idleTimeout: 1 });
    const io = t.io();
    for (let round = 0; round < 2; round++) {
      expect(await io.concurrent(chain, io, 3)).toBe(3);
      await until(() => t!.poolStats().live === 0, "every level to retire", 8000);
      expect(t.poolStats().threads).toBe(0);
    }
  }, 30_000);

  test("a parent idle before its child does not end it", async () => {
    // The parent's task returns at once; the child it spawned works for
    // 300 ms, long after the parent's 1 ms idle timeout. If the parent
    // exited, Bun would end the child with it and the member would fail.
    t = Threaded.init({ idleTimeout: 1 });
    const io = t.io();
    for (let round = 0; round < 2; round++) {
      const g = Group.init(io);
      using started = ResetEvent.init(io);
      try {
        expect(await io.concurrent(spawnChildAndReturn, io, g, started, 300)).toBe("returned");
        await g.waitAsync(io);
      } finally {
        g.deinit();
      }
      await until(() => t!.poolStats().live === 0, "both threads to retire", 8000);
      expect(t.poolStats()).toMatchObject({ threads: 0 });
    }
  }, 30_000);

  test("retiring threads racing new work strand nothing", async () => {
    t = Threaded.init({ idleTimeout: 1, asyncLimit: 2, concurrentLimit: 4 });
    const io = t.io();
    let sum = 0;
    // At least 40 rounds (each may start threads: ~10–100 ms apiece), and
    // on until some thread has retired: on a loaded machine the 1 ms gaps
    // may never reach a thread's timeout in 40 (seen once in a full run).
    const rounds = 40;
    let i = 0;
    for (; i < rounds || (t.poolStats().retiredTotal === 0 && i < 10 * rounds); i++) {
      const fs = [io.async(fib, 10), io.concurrent(fib, 11), io.async(fib, 12)];
      for (const f of fs) sum += await f;
      // Gaps around the 1 ms timeout, so dispatches meet retiring threads.
      if (i % 3 === 1) await Bun.sleep(1);
      if (i % 3 === 2) await new Promise((r) => setImmediate(r));
    }
    expect(sum).toBe(i * (55 + 89 + 144));
    const s = t.poolStats();
    expect(s.retiredTotal).toBeGreaterThan(0);
    expect(s.spawnedTotal - s.retiredTotal).toBe(s.threads);
    await until(() => t!.poolStats().live === 0, "the pool to empty", 5000);
    expect(t.poolStats().threads).toBe(0);
  }, 30_000);

  test("0 keeps threads (Zig); setIdleTimeout applies to sleeping threads", async () => {
    t = Threaded.init({ idleTimeout: 0, concurrentLimit: 3 });
    const io = t.io();
    await Promise.all([0, 1, 2].map(() => io.concurrent(sleepFor, io, 10)));
    await Bun.sleep(100);
    expect(t.poolStats()).toMatchObject({ threads: 3, retiredTotal: 0 });
    t.setIdleTimeout(20);
    await until(() => t!.poolStats().live === 0, "the pool to empty", 3000);
    expect(t.poolStats().retiredTotal).toBe(3);
  }, 30_000);

  test("deinit while threads are retiring", async () => {
    for (let i = 0; i < 4; i++) {
      const p = Threaded.init({ idleTimeout: 1, concurrentLimit: 4 });
      const io = p.io();
      await Promise.all([0, 1, 2, 3].map(() => io.concurrent(fib, 15)));
      if (i % 2 === 0) await Bun.sleep(1);
      p.deinit();
      expect(p.poolStats()).toMatchObject({ threads: 0, live: 0 });
    }
  }, 30_000);

  test("bad timeouts are refused", () => {
    for (const bad of [NaN, -1, 1.5, Infinity, 2 ** 31, "10" as unknown as number])
      expect(() => Threaded.init({ idleTimeout: bad })).toThrow(RangeError);
    const p = Threaded.init({ idleTimeout: 0 });
    try {
      expect(() => p.setIdleTimeout(-5)).toThrow(RangeError);
    } finally {
      p.deinit();
    }
  });
});
