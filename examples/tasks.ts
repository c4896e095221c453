// Tasks the examples run on pool threads. Every pool thread loads this
// module, so it only defines and registers functions.
import {
  Duration,
  SharedBytes,
  task,
  type Group,
  type Io,
  type Queue,
  type Server,
  type Stream,
} from "../lib/index.ts";

/** A pure function worth running in parallel: the sum of squares of a range. */
export const sumSquares = task(import.meta, function sumSquares(from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += (i % 1000) * (i % 1000);
  return s;
});

/** Work that takes `ms` (a blocking sleep: cancelation interrupts it). */
export const slowWork = task(
  import.meta,
  function slowWork(io: Io, ms: number, result: string): string {
    io.sleep(Duration.fromMilliseconds(ms));
    return result;
  },
);

/** Sleeps for `ms`; used as the timer side of a select. */
export const timer = task(import.meta, function timer(io: Io, ms: number): "timeout" {
  io.sleep(Duration.fromMilliseconds(ms));
  return "timeout";
});

/** Waits for something that only a signal-aware Bun API would end: an
 * AbortSignal-driven promise (like a fetch), aborted when the task is
 * canceled. */
export const waitForAbort = task(import.meta, async function waitForAbort(io: Io): Promise<string> {
  const signal = io.abortSignal();
  const saw = () => `aborted: ${(signal.reason as Error).name}`;
  // Canceled before the task started: the signal is already aborted, and an
  // "abort" event never fires twice.
  if (signal.aborted) return saw();
  return await new Promise<string>((resolve) => {
    signal.addEventListener("abort", () => resolve(saw()), { once: true });
  });
});

/** Produces `count` jobs into the queue, then one `null` per consumer. */
export const produce = task(
  import.meta,
  function produce(io: Io, jobs: Queue<number | null>, count: number, consumers: number): number {
    for (let i = 1; i <= count; i++) jobs.putOne(io, i);
    for (let c = 0; c < consumers; c++) jobs.putOne(io, null);
    return count;
  },
);

/** Takes jobs until `null`; sends each result on. */
export const consume = task(
  import.meta,
  function consume(io: Io, jobs: Queue<number | null>, results: Queue<number>): number {
    let handled = 0;
    for (;;) {
      const job = jobs.getOne(io);
      if (job === null) return handled;
      results.putOne(io, job * job);
      handled++;
    }
  },
);

/** Accepts connections until canceled; each gets its own echo task. A
 * `Server` and each accepted `Stream` cross to other threads as themselves. */
export const acceptConnections = task(
  import.meta,
  function acceptConnections(io: Io, server: Server, connections: Group): void {
    for (;;) connections.concurrent(io, echoLines, io, server.accept(io));
  },
);

/** Echoes lines, upper-cased, until the client leaves or the task is canceled. */
export const echoLines = task(import.meta, function echoLines(io: Io, stream: Stream): void {
  try {
    const reader = stream.reader(io);
    for (let line = reader.readLine(); line !== null; line = reader.readLine()) {
      stream.writeAll(io, new TextEncoder().encode(line.toUpperCase() + "\n"));
    }
  } finally {
    stream.close(io);
  }
});

/** The sum of shared bytes, computed where they are (no copy). */
export const checksum = task(import.meta, function checksum(b: SharedBytes): number {
  let sum = 0;
  for (const x of b.bytes) sum += x;
  return sum;
});
