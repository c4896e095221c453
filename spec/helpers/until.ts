// Waiting in specs for a state to be reached: polled, and bounded so that a
// state never reached fails the spec instead of hanging it. A bound, not a
// sleep used as synchronization.
import type { Threaded } from "../../lib/index.ts";
import { Pool, PoolBlock } from "../../lib/substrate/layout.ts";
import { scaled } from "./time_scale.ts";

/** Resolves once `cond()` holds; rejects after `ms`, naming `what`. */
export async function until(cond: () => boolean, what: string, ms = scaled(5000)): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await Bun.sleep(1);
  }
}

/** Until every live pool thread of `t` (at least `n`) sleeps in its idle
 * futex wait. */
export function untilPoolAsleep(t: Threaded, n = 1): Promise<void> {
  const sleepers = () => Atomics.load(t.heap.i32, (PoolBlock.OFFSET + Pool.SLEEPERS) >> 2);
  return until(() => {
    const live = t.stats().threads.live;
    return live >= n && sleepers() === live;
  }, `${n} pool thread(s) to sleep`);
}
