// Sync primitives: uncontended Mutex lock+unlock, and a two-thread handoff
// through the futex facade (with and without the bounded spin) beside a
// postMessage ping-pong between the same two threads, in one run.
import { Bench } from "tinybench";
import { Threaded } from "../lib/threaded/threaded.ts";
import { Mutex } from "../lib/io/mutex.ts";
import { getSpinLimit, setSpinLimit } from "../lib/substrate/futex.ts";
import { ResetEvent } from "../lib/io/reset_event.ts";
import { median, writeResults, type Row } from "./stats.ts";

const ROUNDS = 4000;
const BATCHES = 7;
const workerUrl = new URL("./fixtures/pingpong_worker.ts", import.meta.url).href;

const t = Threaded.init();
const io = t.io();
const rows: Row[] = [];

// --- uncontended lock + unlock ------------------------------------------
// Timed in batches of a million: one call is shorter than tinybench's own
// per-call overhead.
{
  const m = Mutex.init(io);
  const N = 1_000_000;
  const perCall: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const start = performance.now();
    for (let i = 0; i < N; i++) {
      m.lock(io);
      m.unlock(io);
    }
    perCall.push(((performance.now() - start) * 1e6) / N);
  }
  rows.push({
    name: "uncontended lock+unlock",
    impl: "threaded-io Mutex",
    value: median(perCall),
    unit: "ns",
    better: "lower",
  });
  m.deinit();
}

// tinybench's view of the same call, overhead included, for reference.
{
  const m = Mutex.init(io);
  const bench = new Bench({ time: 300, warmupTime: 100 });
  bench.add("Mutex lock+unlock", () => {
    m.lock(io);
    m.unlock(io);
  });
  await bench.run();
  const ns = (bench.tasks[0].result as { latency: { mean: number } }).latency.mean * 1e6;
  rows.push({
    name: "uncontended lock+unlock (tinybench)",
    impl: "threaded-io Mutex",
    value: ns,
    unit: "ns",
    better: "lower",
  });
  m.deinit();
}

// --- ping-pong between two threads --------------------------------------
// Each side waits on a ResetEvent the other sets: the futex facade with the
// Zig's "wake only if someone sleeps" protocol.
/** Process CPU per round of the last ping-pong (µs, every thread). */
let cpuPerRound = 0;
async function futexPingPong(spin: number): Promise<number> {
  const perRound: number[] = [];
  let cpuUs = 0;
  const saved = getSpinLimit();
  setSpinLimit(spin);
  for (let b = 0; b < BATCHES; b++) {
    const ping = ResetEvent.init(io);
    const pong = ResetEvent.init(io);
    const w = new Worker(workerUrl);
    const done = new Promise((r) => (w.onmessage = r));
    w.postMessage({
      kind: "events",
      handle: t.handle(),
      ping: ping.ref,
      pong: pong.ref,
      rounds: ROUNDS,
      spin,
    });
    const start = performance.now();
    const c0 = process.cpuUsage();
    for (let r = 0; r < ROUNDS; r++) {
      pong.reset();
      ping.set();
      pong.waitUncancelable();
    }
    const elapsed = performance.now() - start;
    const c = process.cpuUsage(c0);
    if (b > 0) cpuUs += c.user + c.system;
    await done;
    w.terminate();
    ping.deinit();
    pong.deinit();
    // The first batch includes the worker's start-up; skip it.
    if (b > 0) perRound.push((elapsed * 1000) / ROUNDS);
  }
  setSpinLimit(saved);
  cpuPerRound = cpuUs / ((BATCHES - 1) * ROUNDS);
  return median(perRound);
}

async function postMessagePingPong(): Promise<number> {
  const w = new Worker(workerUrl);
  const perRound: number[] = [];
  const c0 = process.cpuUsage();
  for (let b = 0; b < BATCHES; b++) {
    const start = performance.now();
    for (let r = 0; r < ROUNDS; r++) {
      await new Promise<void>((resolve) => {
        w.onmessage = () => resolve();
        w.postMessage({ kind: "echo", n: r });
      });
    }
    const elapsed = performance.now() - start;
    if (b > 0) perRound.push((elapsed * 1000) / ROUNDS);
  }
  const c = process.cpuUsage(c0);
  cpuPerRound = (c.user + c.system) / (BATCHES * ROUNDS);
  w.terminate();
  return median(perRound);
}

const spun = await futexPingPong(getSpinLimit());
const spunCpu = cpuPerRound;
const slept = await futexPingPong(0);
const sleptCpu = cpuPerRound;
const posted = await postMessagePingPong();
const postedCpu = cpuPerRound;
rows.push(
  {
    name: "two-thread round trip",
    impl: "threaded-io futex, spin then sleep",
    value: spun,
    unit: "µs",
    better: "lower",
    cpu: spunCpu,
  },
  {
    name: "two-thread round trip",
    impl: "threaded-io futex, sleep at once",
    value: slept,
    unit: "µs",
    better: "lower",
    cpu: sleptCpu,
  },
  {
    name: "two-thread round trip",
    impl: "postMessage",
    value: posted,
    unit: "µs",
    better: "lower",
    cpu: postedCpu,
  },
);
writeResults("sync", rows);
console.log(
  `futex (spin) is ${(posted / spun).toFixed(1)}× faster than postMessage; without spin ${(posted / slept).toFixed(1)}×`,
);
t.deinit();
