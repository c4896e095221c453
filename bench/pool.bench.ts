// The pool against tinypool and piscina, same tasks and thread counts, one
// run: round trip of one trivial task at a time, throughput of 100,000
// trivial tasks in flight, and the speedup of CPU-bound tasks on every core
// over one thread.
import { availableParallelism } from "node:os";
import Tinypool from "tinypool";
import Piscina from "piscina";
import { Threaded, type Future } from "../lib/index.ts";
import { cpu, inc } from "./fixtures/pool_tasks.ts";
import { median, writeResults, type Row } from "./stats.ts";

const altWorker = new URL("./fixtures/alt_worker.ts", import.meta.url).href;
const cores = availableParallelism();
const ROUND_TRIPS = 20_000;
const IN_FLIGHT = 100_000;
const CPU_TASKS = 8;
const CPU_N = 20_000_000;
const REPEATS = 5;
const rows: Row[] = [];

type Runner = {
  name: string;
  run(kind: "inc" | "cpu", n: number): Promise<number>;
  close(): Promise<void>;
};

function alternatives(threads: number): Runner[] {
  const tp = new Tinypool({
    filename: altWorker,
    minThreads: threads,
    maxThreads: threads,
    isolateWorkers: false,
  });
  const ps = new Piscina({ filename: altWorker, minThreads: threads, maxThreads: threads });
  return [
    { name: "tinypool", run: (kind, n) => tp.run({ kind, n }), close: () => tp.destroy() },
    { name: "piscina", run: (kind, n) => ps.run({ kind, n }), close: () => ps.destroy() },
  ];
}

async function timeIt(f: () => Promise<void> | void): Promise<number> {
  const samples: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const start = performance.now();
    await f();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

// --- round trip: one thread ---------------------------------------------
{
  const t = Threaded.init({ asyncLimit: 1 });
  const io = t.io();
  io.async(inc, 0).await(io); // start the thread
  const before = t.poolStats().dispatchedTotal;
  const blocking = await timeIt(() => {
    for (let i = 0; i < ROUND_TRIPS; i++) io.async(inc, i).await(io);
  });
  const awaited = await timeIt(async () => {
    for (let i = 0; i < ROUND_TRIPS; i++) await io.async(inc, i);
  });
  const inPool = t.poolStats().dispatchedTotal - before;
  console.log(`round trip: ${inPool} of ${2 * REPEATS * ROUND_TRIPS} tasks ran on the pool thread`);
  t.deinit();
  rows.push(
    {
      name: "round trip, 1 thread",
      impl: "threaded-io await(io)",
      value: (blocking * 1000) / ROUND_TRIPS,
      unit: "µs",
      better: "lower",
    },
    {
      name: "round trip, 1 thread",
      impl: "threaded-io await",
      value: (awaited * 1000) / ROUND_TRIPS,
      unit: "µs",
      better: "lower",
    },
  );
  for (const alt of alternatives(1)) {
    await alt.run("inc", 0);
    const ms = await timeIt(async () => {
      for (let i = 0; i < ROUND_TRIPS / 4; i++) await alt.run("inc", i);
    });
    rows.push({
      name: "round trip, 1 thread",
      impl: alt.name,
      value: (ms * 1000) / (ROUND_TRIPS / 4),
      unit: "µs",
      better: "lower",
    });
    await alt.close();
  }
}

// --- throughput: every core ---------------------------------------------
// threaded-io keeps Zig's rule: at most asyncLimit tasks queued or running
// in the pool; `async` beyond that runs the task inline on the caller
// ("caller runs"). The default asyncLimit (cores − 1) plus the caller
// uses every core. The share that ran on pool threads is printed.
{
  const t = Threaded.init();
  const io = t.io();
  const warm = Array.from({ length: cores * 4 }, (_, i) => io.async(inc, i));
  for (const f of warm) f.await(io);
  const before = t.poolStats().dispatchedTotal;
  const ms = await timeIt(() => {
    const fs: Future<number>[] = new Array(IN_FLIGHT);
    for (let i = 0; i < IN_FLIGHT; i++) fs[i] = io.async(inc, i);
    for (let i = 0; i < IN_FLIGHT; i++) fs[i].await(io);
  });
  const inPool = t.poolStats().dispatchedTotal - before;
  console.log(
    `throughput: ${((100 * inPool) / (REPEATS * IN_FLIGHT)).toFixed(1)}% of tasks ran on pool threads, the rest inline`,
  );
  t.deinit();
  rows.push({
    name: `throughput, ${IN_FLIGHT} in flight, ${cores} threads`,
    impl: "threaded-io",
    value: IN_FLIGHT / (ms / 1000),
    unit: "tasks/s",
    better: "higher",
  });
  for (const alt of alternatives(cores)) {
    await Promise.all(Array.from({ length: cores * 4 }, (_, i) => alt.run("inc", i)));
    const ms = await timeIt(async () => {
      const ps: Promise<number>[] = new Array(IN_FLIGHT);
      for (let i = 0; i < IN_FLIGHT; i++) ps[i] = alt.run("inc", i);
      await Promise.all(ps);
    });
    rows.push({
      name: `throughput, ${IN_FLIGHT} in flight, ${cores} threads`,
      impl: alt.name,
      value: IN_FLIGHT / (ms / 1000),
      unit: "tasks/s",
      better: "higher",
    });
    await alt.close();
  }
}

// --- CPU-bound speedup: every core vs one thread -------------------------
// One thread: the tasks called one after another on this thread. The pool,
// three ways, because Zig's rule matters here: `async` runs a task inline
// when the pool is full, and with equal tasks the pool thread then idles
// while the caller works ("caller runs"); `concurrent` gives every task a
// thread (threads persist, so later batches reuse them).
async function cpuSpeedups(): Promise<Record<string, number>> {
  const one = await timeIt(() => {
    for (let i = 0; i < CPU_TASKS; i++) cpu(CPU_N);
  });
  const out: Record<string, number> = {};
  const variants: [string, number | undefined, "async" | "concurrent"][] = [
    ["threaded-io async, default limit", undefined, "async"],
    [`threaded-io async, asyncLimit ${cores}`, cores, "async"],
    ["threaded-io concurrent", undefined, "concurrent"],
  ];
  for (const [name, asyncLimit, how] of variants) {
    const t = Threaded.init(asyncLimit === undefined ? {} : { asyncLimit });
    const io = t.io();
    const start = () => (how === "async" ? io.async(cpu, CPU_N) : io.concurrent(cpu, CPU_N));
    const warm = Array.from({ length: CPU_TASKS }, () =>
      how === "async" ? io.async(cpu, 1000) : io.concurrent(cpu, 1000),
    );
    for (const f of warm) f.await(io);
    const all = await timeIt(() => {
      const fs = Array.from({ length: CPU_TASKS }, start);
      for (const f of fs) f.await(io);
    });
    t.deinit();
    out[name] = one / all;
  }
  return out;
}
{
  for (const [impl, speedup] of Object.entries(await cpuSpeedups())) {
    rows.push({
      name: `CPU-bound speedup, ${cores} threads vs 1`,
      impl,
      value: speedup,
      unit: "×",
      better: "higher",
    });
  }
  for (const name of ["tinypool", "piscina"]) {
    const time = async (threads: number) => {
      const alt = alternatives(threads).find((a) => a.name === name)!;
      const others = alternatives(threads).filter((a) => a.name !== name);
      for (const o of others) await o.close();
      await Promise.all(Array.from({ length: threads }, () => alt.run("cpu", 1000)));
      const ms = await timeIt(async () => {
        await Promise.all(Array.from({ length: CPU_TASKS }, () => alt.run("cpu", CPU_N)));
      });
      await alt.close();
      return ms;
    };
    const one = await time(1);
    const all = await time(cores);
    rows.push({
      name: `CPU-bound speedup, ${cores} threads vs 1`,
      impl: name,
      value: one / all,
      unit: "×",
      better: "higher",
    });
  }
}

writeResults("pool", rows);
const get = (name: string, impl: string) =>
  rows.find((r) => r.name.startsWith(name) && r.impl === impl)!.value;
const rt = get("round trip", "tinypool");
console.log(
  `round trip vs tinypool: await(io) ${(rt / get("round trip", "threaded-io await(io)")).toFixed(1)}×, ` +
    `await ${(rt / get("round trip", "threaded-io await")).toFixed(1)}×; ` +
    `throughput vs tinypool ${(get("throughput", "threaded-io") / get("throughput", "tinypool")).toFixed(1)}×`,
);
