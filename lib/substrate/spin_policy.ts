// When a waiter spins before it sleeps. A spin pays only while the thread
// it waits for is running on another CPU: then the handoff costs ~1 µs
// instead of a futex wake-up (~20–50 µs across cores). When both share a
// CPU (one CPU allowed, more busy threads than CPUs, a loaded machine) the
// spin burns the very slice the other thread needs: pinned to one CPU, a
// round trip took 133 µs with the spins against 18 µs for tinypool.
//
// So each wait site (the awaiter, an idle pool thread, a socket read, a
// futex wait) asks first:
// - are two CPUs allowed (sched_getaffinity through the shim)?
// - are fewer threads busy than CPUs allowed (the pool's BUSY count, when
//   the site knows it)?
// - has spinning paid here lately? A site keeps a credit: a spin that ends
//   with the word changed within 30 µs (what a futex wake-up would have
//   cost) earns 2, one that runs out or ends later costs 1, so the site
//   keeps spinning while more than a third of its spins succeed (a failed
//   spin costs about half what a successful one saves). At 0 it sleeps at
//   once, and probes with one spin every 16th wait, so it learns when the
//   machine is idle again.
// - is the machine not overloaded? More runnable threads than CPUs (the
//   kernel's count in /proc/loadavg, on two reads in a row) means a
//   thread is waiting for a CPU, likely the one this waiter waits for: a
//   ping-pong on a loaded 2-CPU machine took 66 µs spinning against 28 µs
//   sleeping at once, though its spins mostly "succeeded". The decision
//   uses the last reading; /proc is read again (at most every 100 ms) only
//   after a spin failed or while overloaded, when the thread is about to
//   sleep anyway. Read before deciding, it cost a cold round trip 35 µs:
//   on a thread that slept 50 ms one read takes ≈ 50 µs, and the thread it
//   just woke is often queued on its CPU, waiting for it to sleep.
// - was the thread waited for asleep? An await whose dispatch had to wake
//   it runs `withoutSpins`: a Bun thread takes 40–60 µs from the wake to
//   its JavaScript, so no spin can catch it.
// Between rounds of loads the spinner yields (sched_yield), so a thread
// runnable on the same CPU gets it.
import { shim } from "../ffi/shim.ts";
import { C } from "../os/index.ts";

let cpus = 0;

/** CPUs the calling thread may run on (read once per thread). */
export function cpusAllowed(): number {
  if (cpus === 0) {
    const n = Number(shim().tio_cpus_allowed());
    cpus = n > 0 ? n : 1;
  }
  return cpus;
}

const LOAD_CHECK_MS = 100;
let loadCheckedAt = -Infinity;
let overloaded = false;
let overSeen = 0; // consecutive reads that found more runnable threads than CPUs

const LOADAVG = new TextEncoder().encode("/proc/loadavg\0");
const loadBuf = new Uint8Array(128);
const loadFd = new Int32Array(1);

/** Runnable threads on the machine now (Linux), or 0 if unknown. One shim
 * call (open, read, close): node:fs's readFileSync cost 3.7 ms of module
 * loading at start-up on every thread, and more per read. */
function runnableThreads(): number {
  // "0.52 0.41 0.33 2/812 9": the fourth field's numerator.
  const n = Number(
    shim().tio_open_read(C.AT_FDCWD, LOADAVG, C.O_RDONLY | C.O_CLOEXEC, loadBuf, 128, loadFd),
  );
  if (loadFd[0] >= 0) shim().tio_close(loadFd[0]); // longer than the buffer: not loadavg
  if (n <= 0 || loadFd[0] >= 0) return 0;
  let field = 0;
  let i = 0;
  while (i < n && field < 3) if (loadBuf[i++] === 0x20) field++;
  let runnable = 0;
  for (; i < n && loadBuf[i] >= 0x30 && loadBuf[i] <= 0x39; i++)
    runnable = runnable * 10 + loadBuf[i] - 0x30;
  return runnable;
}

/** Reads /proc/loadavg again if the last reading is 100 ms old: whether
 * more threads are runnable than this thread has CPUs. */
function refreshLoad(): void {
  const now = performance.now();
  if (now - loadCheckedAt < LOAD_CHECK_MS) return;
  loadCheckedAt = now;
  // Two reads in a row: a runtime's own short-lived threads (JIT, GC) are
  // runnable now and then, and one such blip must not stop the spins of a
  // hot handoff for 100 ms (2-idle-core round trip, one run each: 3.9–6.0 µs
  // with one read, 3.9–4.4 µs with two). A real hog shows in both (with a
  // busy loop running: 12.8 µs either way).
  overSeen = runnableThreads() > cpusAllowed() ? overSeen + 1 : 0;
  overloaded = overSeen >= 2;
}

let spinsOff = 0;

/** Runs `f` with every spin of this thread off: a waiter whose partner
 * was asleep (it just had to be woken) cannot be caught by a spin (a Bun
 * thread takes 40–60 µs from the wake to its JavaScript), and often is
 * queued on the waiter's own CPU (the other vCPU was halted), where a spin
 * or a /proc read only delays it. */
export function withoutSpins<T>(f: () => T): T {
  spinsOff++;
  try {
    return f();
  } finally {
    spinsOff--;
  }
}

const CREDIT_MAX = 16;
const PROBE_EVERY = 16;

export class SpinSite {
  private credit = CREDIT_MAX;
  private skipped = 0;
  /** Spins tried and spins that saw the word change (for benchmarks). */
  tried = 0;
  won = 0;

  /** Whether the next wait here should spin. `busy`: threads known to be
   * running work besides the caller (the pool's BUSY), or 1 if unknown;
   * `loaded`: whether the machine is overloaded (tests pass it; by default
   * the last reading). */
  shouldSpin(busy = 1, loaded = overloaded): boolean {
    if (spinsOff > 0) return false;
    const n = cpusAllowed();
    if (n < 2 || busy >= n) return false;
    if (loaded) {
      refreshLoad(); // so that the end of the load is seen
      return false;
    }
    if (this.credit > 0) return true;
    if (++this.skipped < PROBE_EVERY) return false;
    this.skipped = 0;
    return true;
  }

  record(won: boolean): void {
    this.tried++;
    if (won) {
      this.won++;
      this.credit = Math.min(CREDIT_MAX, this.credit + 2);
    } else {
      if (this.credit > 0) this.credit--;
      refreshLoad();
    }
  }

  /** Forget the history (benchmarks, tests). */
  reset(): void {
    this.credit = CREDIT_MAX;
    this.skipped = 0;
    this.tried = 0;
    this.won = 0;
  }
}

/** Gives the CPU to another runnable thread, if any. */
export function yieldCpu(): void {
  shim().tio_sched_yield();
}
