// Tasks the demo runs on pool threads. A task module is loaded by every pool
// thread, so it only defines and registers functions.
import {
  Duration,
  task,
  type Group,
  type Io,
  type ResetEvent,
  type Server,
  type Stream,
} from "../lib/index.ts";

/** CPU-bound work: count the primes below `to` in blocks of 4096 numbers,
 * taking every `shares`-th block from block `share`: `shares` tasks with
 * share = 0..shares−1 get equal parts of the work. */
export const countPrimes = task(
  import.meta,
  function countPrimes(to: number, shares = 1, share = 0): number {
    const BLOCK = 4096;
    let count = 0;
    for (let base = share * BLOCK; base < to; base += shares * BLOCK) {
      const end = Math.min(base + BLOCK, to);
      for (let n = Math.max(base, 2); n < end; n++) {
        let prime = true;
        for (let d = 2; d * d <= n; d++) {
          if (n % d === 0) {
            prime = false;
            break;
          }
        }
        if (prime) count++;
      }
    }
    return count;
  },
);

/** Blocks in clock_nanosleep for an hour unless canceled. */
export const sleepAnHour = task(
  import.meta,
  function sleepAnHour(io: Io, ready: ResetEvent): string {
    ready.set();
    io.sleep(Duration.fromSeconds(3600));
    return "slept the whole hour";
  },
);

export const sleepMs = task(import.meta, function sleepMs(io: Io, ms: number): number {
  io.sleep(Duration.fromMilliseconds(ms));
  return ms;
});

/** Accepts connections until canceled; each is served by an echo task in
 * `connections`. */
export const acceptLoop = task(
  import.meta,
  function acceptLoop(io: Io, server: Server, connections: Group, ready: ResetEvent): number {
    ready.set();
    let n = 0;
    for (;;) {
      const conn = server.accept(io); // Canceled ends the loop
      n++;
      connections.concurrent(io, echo, io, conn); // a Stream crosses as itself
    }
  },
);

export const echo = task(import.meta, function echo(io: Io, stream: Stream): void {
  try {
    const buf = new Uint8Array(4096);
    for (;;) {
      const n = stream.read(io, buf); // blocked here when the server stops
      if (n === 0) return;
      stream.writeAll(io, buf.subarray(0, n));
    }
  } finally {
    stream.close(io);
  }
});
