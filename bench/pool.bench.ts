// The pool against tinypool, piscina and a raw Worker, same tasks and
// thread counts, one run, with process CPU beside the time: round trip of
// one trivial task at a time (back to back and after 50 ms idle, free and
// pinned to one CPU), waking a waiter from a thread that keeps running,
// the CPU an async twin costs while it waits 5 s, throughput of 100,000
// trivial tasks in flight (with the share that ran inline on the caller,
// and with every task on a pool thread), and the speedup of 1 ms
// CPU-bound tasks on every core over one thread; then a fresh process's
// time to its first task's result and the RSS each pool thread adds.
import { availableParallelism } from "node:os";
import Tinypool from "tinypool";
import Piscina from "piscina";
import { Threaded, type Future } from "../lib/index.ts";
import { inc } from "./fixtures/pool_tasks.ts";
import { median, writeResults, type Row } from "./stats.ts";

const altWorker = new URL("./fixtures/alt_worker.ts", import.meta.url).href;
const cores = availableParallelism();
const IN_FLIGHT = 100_000;
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
// Each variant in a process of its own (bench/fixtures/round_trip.ts): hot
// (back to back) and cold (50 ms idle before each task; steady state, and
// the first 60 after a burst), free on every CPU
// and pinned to one (taskset -c 0), where any spin burns the slice the
// other thread needs. Every implementation gets the same count; the value
// is the median, the CPU per round trip is process CPU, every thread.
const taskset = Bun.which("taskset");
function child(script: string, args: string[], pinned: boolean): unknown {
  const path = new URL(`./fixtures/${script}`, import.meta.url).pathname;
  const cmd = [process.execPath, path, ...args];
  const p = Bun.spawnSync(pinned && taskset !== null ? [taskset, "-c", "0", ...cmd] : cmd, {
    stderr: "inherit",
  });
  if (p.exitCode !== 0) throw new Error(`${script} ${args.join(" ")} exited with ${p.exitCode}`);
  return JSON.parse(p.stdout.toString().trim().split("\n").at(-1)!);
}
for (const [mode, pinned] of [
  ["hot", false],
  ["hot", true],
  ["cold", false],
  ["cold", true],
] as const) {
  if (pinned && taskset === null) continue;
  type Rows = { impl: string; us: number; cpuUs: number }[];
  const out = child("round_trip.ts", [mode, mode === "hot" ? "5000" : "60"], pinned) as {
    results: Rows;
    afterBurst?: Rows;
  };
  const pin = pinned ? ", pinned to 1 CPU" : "";
  const sets: [string, Rows][] = [
    [`round trip, ${mode === "hot" ? "back to back" : "after 50 ms idle"}${pin}`, out.results],
  ];
  // The first 60 after 2 s back to back, before JSC has recompiled the
  // after-idle path (round_trip.ts measureCold).
  if (out.afterBurst !== undefined)
    sets.push([`round trip, after 50 ms idle, the first 60 after a burst${pin}`, out.afterBurst]);
  for (const [name, set] of sets)
    for (const r of set)
      rows.push({ name, impl: r.impl, value: r.us, unit: "µs", better: "lower", cpu: r.cpuUs });
}

// --- waking a waiter from a thread that keeps running --------------------
// After 50 ms idle a task hands over mid-way (unlocks a mutex, puts into a
// queue) and works on for 1 ms; a Worker posts a message and does the same
// (bench/fixtures/async_wake.ts, its own process, interleaved). The value
// is the median µs from the hand-over to the waiter's code.
{
  const out = child("async_wake.ts", ["30"], false) as {
    results: { impl: string; us: number; p90: number; cpuUs: number }[];
  };
  for (const r of out.results)
    rows.push({
      name: "waking a waiter after 50 ms idle, the waker working on",
      impl: `${r.impl} (p90 ${Math.round(r.p90)} µs)`,
      value: r.us,
      unit: "µs",
      better: "lower",
      cpu: r.cpuUs,
    });
}

// --- an async twin waiting 5 s: process CPU ------------------------------
// One process per twin, all at once (each measures its own process CPU and
// they are idle); nothing else is pending on their event loops.
{
  const twins = [
    "await future",
    "group.waitAsync",
    "selectAsync",
    "mutex.lockAsync",
    "condition.waitAsync",
    "queue.getOneAsync",
    "io.abortSignal (in a task)",
    "future.await(io)",
    "nothing (Bun.sleep, the baseline)",
  ];
  const path = new URL("./fixtures/idle_await.ts", import.meta.url).pathname;
  const procs = twins.map((twin) =>
    Bun.spawn([process.execPath, path, twin, "5000"], { stderr: "inherit" }),
  );
  for (let i = 0; i < twins.length; i++) {
    const text = await new Response(procs[i].stdout).text();
    const r = JSON.parse(text.trim()) as { cpuMs: number; firstUseCpuMs: number };
    rows.push({
      name: "CPU while waiting 5 s for a task (after a first use)",
      impl: `threaded-io ${twins[i]}`,
      value: r.cpuMs,
      unit: "ms CPU",
      better: "lower",
    });
    rows.push({
      name: "CPU of a twin's first use (a 1 ms wait)",
      impl: `threaded-io ${twins[i]}`,
      value: r.firstUseCpuMs,
      unit: "ms CPU",
      better: "lower",
    });
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
  const inline = 100 - (100 * inPool) / (REPEATS * IN_FLIGHT);
  t.deinit();
  rows.push({
    name: `throughput, ${IN_FLIGHT} in flight, ${cores} threads`,
    impl: `threaded-io (${inline.toFixed(1)} % ran inline)`,
    value: IN_FLIGHT / (ms / 1000),
    unit: "tasks/s",
    better: "higher",
  });
  // Every task on a pool thread: at most `cores` in flight (asyncLimit
  // cores), the caller submitting and awaiting the oldest.
  const tp = Threaded.init({ asyncLimit: cores });
  const iop = tp.io();
  const beforeP = tp.poolStats().dispatchedTotal;
  const msPool = await timeIt(() => {
    const window: Future<number>[] = [];
    for (let i = 0; i < IN_FLIGHT; i++) {
      if (window.length === cores) window.shift()!.await(iop);
      window.push(iop.async(inc, i));
    }
    for (const f of window) f.await(iop);
  });
  const inlineP = 100 - (100 * (tp.poolStats().dispatchedTotal - beforeP)) / (REPEATS * IN_FLIGHT);
  tp.deinit();
  rows.push({
    name: `throughput, ${IN_FLIGHT} in flight, ${cores} threads`,
    impl: `threaded-io window of ${cores} (${inlineP.toFixed(1)} % inline)`,
    value: IN_FLIGHT / (msPool / 1000),
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
// 2,000 tasks of ≈1 ms each (bench/fixtures/cpu_batch.ts, its own process):
// Zig's `async` with the default limit (the caller runs a task inline when
// the pool is full), with asyncLimit = cores, and `concurrent` with a
// window of `cores` tasks in flight, against tinypool with `cores` threads.
{
  const out = child("cpu_batch.ts", ["2000"], false) as {
    serialCpuMs: number;
    rows: { impl: string; speedup: number; cpuMs: number; inlineShare?: number }[];
  };
  for (const r of out.rows)
    rows.push({
      name: `CPU-bound speedup, 2,000 × 1 ms tasks, ${cores} threads vs 1`,
      impl:
        r.inlineShare === undefined
          ? r.impl
          : `${r.impl} (${(100 * r.inlineShare).toFixed(0)} % inline)`,
      value: r.speedup,
      unit: "×",
      better: "higher",
      cpu: r.cpuMs,
      cpuUnit: "ms",
    });
}

// --- start-up and memory per thread --------------------------------------
// What `import "threaded-io"` loads: the package's bundle (dist/, built
// here as npm pack builds it), beside the sources and the alternatives.
// Fresh processes, alternating; the median of five each.
{
  const build = Bun.spawnSync([
    process.execPath,
    new URL("../scripts/build.ts", import.meta.url).pathname,
  ]);
  if (build.exitCode !== 0) throw new Error("scripts/build.ts failed");
  const kinds = ["threaded-io", "threaded-io sources", "tinypool", "piscina"];
  const ms = new Map<string, number[]>();
  const cpu = new Map<string, number[]>();
  for (let r = 0; r < 5; r++)
    for (const k of kinds) {
      const out = child("first_task.ts", [k], false) as { ms: number; cpuMs: number };
      ms.set(k, [...(ms.get(k) ?? []), out.ms]);
      cpu.set(k, [...(cpu.get(k) ?? []), out.cpuMs]);
    }
  for (const k of kinds)
    rows.push({
      name: "fresh process to the first task's result",
      impl: k,
      value: median(ms.get(k)!),
      unit: "ms",
      better: "lower",
      cpu: median(cpu.get(k)!),
      cpuUnit: "ms",
    });
  // RSS per pool thread: 9 threads against 1, each in a fresh process.
  for (const k of kinds) {
    const per: number[] = [];
    for (let r = 0; r < 3; r++) {
      const one = child("thread_rss.ts", [k, "1"], false) as { rssMiB: number };
      const nine = child("thread_rss.ts", [k, "9"], false) as { rssMiB: number };
      per.push((nine.rssMiB - one.rssMiB) / 8);
    }
    rows.push({
      name: "RSS per pool thread (9 threads against 1)",
      impl: k,
      value: median(per),
      unit: "MiB",
      better: "lower",
    });
  }
}

writeResults("pool", rows);
const get = (name: string, impl: string) =>
  rows.find((r) => r.name.startsWith(name) && r.impl.startsWith(impl))?.value ?? NaN;
const rt = get("round trip, back to back", "tinypool");
console.log(
  `round trip vs tinypool: await(io) ${(rt / get("round trip, back to back", "threaded-io await(io)")).toFixed(1)}×, ` +
    `await ${(rt / get("round trip, back to back", "threaded-io await")).toFixed(1)}×; ` +
    `throughput vs tinypool ${(get("throughput", "threaded-io") / get("throughput", "tinypool")).toFixed(1)}×`,
);
