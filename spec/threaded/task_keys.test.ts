// Task keys are interned once per heap, not once per thread: every pool
// thread that dispatched a task and then retired left its copy of the key
// in the heap (+47 bytes and a block per retired thread, without bound
// under idle-timeout churn).
import { afterEach, expect, test } from "bun:test";
import { Threaded } from "../../lib/index.ts";
import { spawnsOne } from "../fixtures/spawn_tasks.ts";
import { add } from "../fixtures/tasks.ts";
import { until } from "../helpers/until.ts";

let t: Threaded | undefined;
afterEach(() => {
  t?.deinit();
  t = undefined;
});

test("threads that dispatch and retire leave no heap behind", async () => {
  const threaded = (t = Threaded.init({ asyncLimit: 1, idleTimeout: 20 }));
  const io = threaded.io();
  const round = async (n: number) => {
    expect(io.concurrent(spawnsOne, io).await(io)).toBe(2);
    await until(() => threaded.poolStats().live === 0, `round ${n}'s threads to retire`);
  };
  expect(io.concurrent(add, 1, 1).await(io)).toBe(2); // this thread's key of `add`
  await round(0); // the first round interns spawnsOne's and add's keys
  const base = threaded.memoryStats().heap;
  for (let n = 1; n <= 4; n++) await round(n);
  const after = threaded.memoryStats().heap;
  expect(threaded.poolStats().retiredTotal).toBeGreaterThanOrEqual(10);
  expect({ bytes: after.liveBytes, blocks: after.liveBlocks }).toEqual({
    bytes: base.liveBytes,
    blocks: base.liveBlocks,
  });
});
