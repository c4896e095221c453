// A pool thread compacts (Bun.shrink + Bun.gc(true)) before its first task,
// or, for an instance's first thread, as it first goes idle. Tasks that run
// after it — on a respawned thread (idleTimeout 1 ms: every round starts
// new threads, each compacting first) and on a first thread handed work
// while it compacts — still see their module's state, run async work,
// throw their own error classes, share memory and read files.
import { afterEach, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { SharedBytes, Threaded } from "../../lib/index.ts";
import {
  asyncTwice,
  fill,
  readLength,
  stateful,
  throwRange,
} from "../fixtures/compaction_tasks.ts";

let t: Threaded | undefined;
afterEach(() => {
  t?.deinit();
  t = undefined;
});

const self = import.meta.path;
const selfLength = readFileSync(self).length;

async function round(threaded: Threaded, r: number): Promise<void> {
  const io = threaded.io();
  const b = SharedBytes.alloc(io, 64);
  try {
    const [s, a, n, len] = await Promise.all([
      io.concurrent(stateful, "b"),
      io.concurrent(asyncTwice, r),
      io.concurrent(fill, b, r & 0xff),
      io.concurrent(readLength, io, self),
    ]);
    expect(s).toBe("2:44:true");
    expect(a).toBe(2 * r);
    expect(n).toBe(64);
    expect(b.bytes[63]).toBe(r & 0xff);
    expect(len).toBe(selfLength);
    const thrown = io.concurrent(throwRange, `round ${r}`);
    expect(() => thrown.await(io)).toThrow(new RangeError(`round ${r}`));
  } finally {
    b.free();
  }
}

test("threads that compact before their first task run every kind of task", async () => {
  t = Threaded.init({ asyncLimit: 4, idleTimeout: 1 });
  for (let r = 0; r < 6; r++) {
    await round(t, r);
    // Long enough for the round's threads to retire: the next round's
    // threads are new ones, which compact before their first task.
    await Bun.sleep(10);
  }
  expect(t.stats().threads.spawnedTotal).toBeGreaterThan(4);
});

test("a first thread handed work as it goes idle (its compaction) runs it", async () => {
  for (let i = 0; i < 6; i++) {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    expect(io.async(stateful, "a").await(io)).toBe("1:44:true");
    // The thread is about to compact, or compacting: queue work for it at
    // once, from both await forms.
    expect(io.async(asyncTwice, i).await(io)).toBe(2 * i);
    expect(await io.async(stateful, "b")).toBe("2:44:true");
    await round(t, i);
    t.deinit();
    t = undefined;
  }
});
