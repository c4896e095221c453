// An HTTP service: Bun.serve on the main thread, each request's ~1 ms of
// hashing on the pool. The pattern for many connections: the event loop
// owns the sockets, the pool owns the CPU work. Tasks go out with
// `io.concurrent` (always another thread: the event loop never runs a
// task inline, which is what keeps the tail latency down), at most one per
// core at a time; requests beyond that wait their turn in `Admission`.
// With --queue-fed the service uses `HashWorkers` instead (below), the
// pattern for sustained load.
//   bun examples/http_service.ts [--seconds N] [--port P] [--queue-fed]
import { availableParallelism } from "node:os";
import { Queue, Threaded, type Future, type Io } from "../lib/index.ts";
import { hashWorker, hashWorkTask, type HashJob } from "./workload_tasks.ts";

/** Per request: SHA-256 of this many KiB (~1 ms on the reference VM). */
export const WORK_KIB = 256;

/** A counting semaphore with a FIFO of waiters. */
export class Admission {
  private free: number;
  private readonly waiters: (() => void)[] = [];

  constructor(slots: number) {
    this.free = slots;
  }

  async run<T>(f: () => PromiseLike<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiters.push(resolve));
    try {
      return await f();
    } finally {
      const next = this.waiters.shift();
      if (next !== undefined) next();
      else this.free++;
    }
  }
}

/** The request handler of the threaded-io service. */
export function hashHandler(
  io: Io,
  kib = WORK_KIB,
  slots = availableParallelism(),
): () => Promise<Response> {
  const admission = new Admission(slots);
  return async () => new Response(await admission.run(() => io.concurrent(hashWorkTask, kib)));
}

/**
 * The same service with one long-running worker per core fed by a queue:
 * the requests wait in `jobs` (in the heap, not on the event loop), so a
 * worker that finishes one takes the next at once, without sleeping and
 * without the event loop's help; results come back through `results`,
 * gathered by one async loop that settles each request's promise.
 */
export class HashWorkers {
  private readonly jobs: Queue<HashJob>;
  private readonly results: Queue<[number, string]>;
  private readonly workers: Future<void>[];
  private readonly pending = new Map<number, (digest: string) => void>();
  private readonly gathered: Promise<void>;
  private nextId = 0;

  constructor(
    private readonly io: Io,
    private readonly kib = WORK_KIB,
    threads = availableParallelism(),
    capacity = 1024,
  ) {
    this.jobs = Queue.init<HashJob>(io, capacity);
    this.results = Queue.init<[number, string]>(io, capacity);
    this.workers = Array.from({ length: threads }, () =>
      io.concurrent(hashWorker, io, this.jobs, this.results),
    );
    this.gathered = this.gather();
  }

  /** The request handler. */
  readonly fetch = async (): Promise<Response> => {
    const id = this.nextId++;
    const digest = new Promise<string>((resolve) => this.pending.set(id, resolve));
    await this.jobs.putOneAsync(this.io, [id, this.kib]);
    return new Response(await digest);
  };

  private async gather(): Promise<void> {
    for (;;) {
      // Whatever is ready: at least one, or, while requests queue behind
      // busy workers, one per worker. They finish about together, so the
      // event loop then wakes once for a round of results rather than once
      // for each; with no backlog a result goes out alone, at once.
      const w = this.workers.length;
      const min = this.pending.size > w ? w : 1;
      for (const [id, digest] of await this.results.getAsync(this.io, 64, min)) {
        if (id < 0) return;
        this.pending.get(id)?.(digest);
        this.pending.delete(id);
      }
    }
  }

  /** Ends the workers (after the jobs already queued) and the gathering. */
  async close(): Promise<void> {
    await this.jobs.putAsync(
      this.io,
      this.workers.map(() => [-1, 0] as HashJob),
      this.workers.length,
    );
    for (const w of this.workers) await w;
    await this.results.putOneAsync(this.io, [-1, ""]);
    await this.gathered;
    this.jobs.deinit();
    this.results.deinit();
  }
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const seconds = args.includes("--seconds") ? Number(args[args.indexOf("--seconds") + 1]) : 0;
  const port = args.includes("--port") ? Number(args[args.indexOf("--port") + 1]) : 0;
  const cores = availableParallelism();
  // Threads kept while idle: a server's bursts then never wait for thread
  // starts (README, "Servers: which pattern when").
  const threaded = Threaded.init({ concurrentLimit: cores, idleTimeout: 0 });
  const workers = args.includes("--queue-fed") ? new HashWorkers(threaded.io()) : undefined;
  const handler = workers?.fetch ?? hashHandler(threaded.io());
  const server = Bun.serve({ hostname: "127.0.0.1", port, fetch: handler });
  console.log(
    `hash service (${workers ? "queue-fed workers" : "concurrent, admitted"}) on ${server.url}` +
      ` — try: wrk -t2 -c16 -d5s ${server.url}`,
  );
  if (seconds > 0) {
    // A small built-in client, so the example checks itself: 8 requests at
    // a time for `seconds`.
    const end = performance.now() + seconds * 1000;
    let ok = 0;
    const digests = new Set<string>();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (performance.now() < end) {
          const r = await fetch(server.url);
          if (r.status === 200) ok++;
          digests.add(await r.text());
        }
      }),
    );
    console.log(`served ${ok} requests, ${digests.size} distinct digest(s)`);
  } else {
    await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
  }
  server.stop(true);
  await workers?.close();
  threaded.deinit();
  console.log("stopped: server closed, pool joined");
}
