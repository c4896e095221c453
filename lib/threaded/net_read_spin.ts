// The bounded spin before a socket blocks: non-blocking receives (netRead)
// or a zero-timeout poll (receive) for up to 50 µs, gated by the spin
// policy, so a reply that is about to arrive skips a futex wake-up.
import { SpinSite, yieldCpu } from "../substrate/spin_policy.ts";
import { C } from "../os/index.ts";
import { shim } from "../ffi/shim.ts";

/** How long a read tries non-blocking receives before it blocks: on
 * loopback the answer to a request usually arrives within it, and blocking
 * costs a cross-core wake-up (20–50 µs here). Bounded in time, like the
 * futex spin; 0 turns it off. Measured in bench/net.bench.ts. */
let readSpinMs = 0.05;

/** The current read spin, in milliseconds (0: off). */
export function readSpinBudgetMs(): number {
  return readSpinMs;
}
export function setReadSpinMicros(us: number): void {
  readSpinMs = Math.max(0, us) / 1000;
}

/** The spin-history site of this thread's socket reads: a read spins only
 * while two CPUs are allowed and spinning has paid lately (spin_policy.ts),
 * and yields the CPU every YIELD_EVERY attempts. */
export const readSite = new SpinSite();
export const YIELD_EVERY = 16;

/** Polls without blocking for up to the read spin; true once readable. */
export function spinUntilReadable(fd: number): boolean {
  if (readSpinMs <= 0 || !readSite.shouldSpin()) return false;
  const s = shim();
  const until = performance.now() + readSpinMs;
  for (let i = 1; performance.now() < until; i++) {
    if (s.tio_poll1(fd, C.POLLIN, 0) > 0) {
      readSite.record(true);
      return true;
    }
    if (i % YIELD_EVERY === 0) yieldCpu();
  }
  readSite.record(false);
  return false;
}
