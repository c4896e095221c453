// Big data across threads, one pool thread each, sequential round trips in
// one run: SharedBytes modified in place against tinypool moving the buffer
// (transferList) both ways; a 1 MiB Uint8Array and 10,000 small objects
// copied in and out against tinypool's and piscina's structured clone.
// Process CPU per round trip beside each time (the machine is shared).
import Tinypool from "tinypool";
import Piscina from "piscina";
import { SharedBytes, Threaded } from "../lib/index.ts";
import { echo, noop, touch } from "./fixtures/data_tasks.ts";
import { median, writeResults, type Row } from "./stats.ts";

const worker = new URL("./fixtures/data_worker.ts", import.meta.url).href;
const MIB = 1 << 20;
const REPEATS = 5;
const rows: Row[] = [];

const bytes1m = new Uint8Array(MIB).map((_, i) => i & 255);
const objects = Array.from({ length: 10_000 }, (_, i) => ({
  id: i,
  name: `item ${i}`,
  ok: i % 2 === 0,
  score: i * 1.5,
}));

/** Median µs per round trip over REPEATS batches of n, and CPU µs per round trip. */
async function measure(n: number, f: () => unknown): Promise<{ us: number; cpu: number }> {
  for (let i = 0; i < Math.min(n, 20); i++) await f(); // warm up
  const times: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await f();
    const t1 = performance.now();
    const c = process.cpuUsage(c0);
    times.push(((t1 - t0) * 1000) / n);
    cpus.push((c.user + c.system) / n);
  }
  return { us: median(times), cpu: median(cpus) };
}

function row(name: string, impl: string, m: { us: number; cpu: number }): void {
  rows.push({ name, impl, value: m.us, unit: "µs", better: "lower" });
  rows.push({ name: `${name} (process CPU)`, impl, value: m.cpu, unit: "µs", better: "lower" });
}

const t = Threaded.init({ asyncLimit: 1 });
const io = t.io();
const tp = new Tinypool({ filename: worker, minThreads: 1, maxThreads: 1, isolateWorkers: false });
const ps = new Piscina({ filename: worker, minThreads: 1, maxThreads: 1 });

// Empty task: the baseline for the SharedBytes target (≤ 5×).
row("empty task round trip", "threaded-io", await measure(5000, () => io.async(noop).await(io)));
row("empty task round trip", "threaded-io await", await measure(2000, () => io.async(noop)));
row("empty task round trip", "tinypool", await measure(2000, () => tp.run({ kind: "noop", v: 0 })));

// 1 MiB, modified in place by the task.
{
  using shared = SharedBytes.alloc(io, MIB);
  shared.bytes.set(bytes1m);
  row(
    "1 MiB modified in place",
    "threaded-io SharedBytes",
    await measure(5000, () => io.async(touch, shared).await(io)),
  );
  row(
    "1 MiB modified in place",
    "threaded-io SharedBytes await",
    await measure(2000, () => io.async(touch, shared)),
  );
  let moving: Uint8Array = new Uint8Array(bytes1m);
  row(
    "1 MiB modified in place",
    "tinypool transfer",
    await measure(1000, async () => {
      moving = (await tp.run(
        { kind: "move", v: moving },
        { transferList: [moving.buffer] as never },
      )) as Uint8Array;
    }),
  );
}

// 1 MiB copied in and out.
row(
  "1 MiB Uint8Array in and out",
  "threaded-io",
  await measure(300, () => io.async(echo, bytes1m).await(io)),
);
row(
  "1 MiB Uint8Array in and out",
  "tinypool",
  await measure(300, () => tp.run({ kind: "echo", v: bytes1m })),
);
row(
  "1 MiB Uint8Array in and out",
  "piscina",
  await measure(300, () => ps.run({ kind: "echo", v: bytes1m })),
);

// 10,000 small objects in and out.
row(
  "10,000 objects in and out",
  "threaded-io",
  await measure(30, () => io.async(echo, objects).await(io)),
);
row(
  "10,000 objects in and out",
  "tinypool",
  await measure(30, () => tp.run({ kind: "echo", v: objects })),
);
row(
  "10,000 objects in and out",
  "piscina",
  await measure(30, () => ps.run({ kind: "echo", v: objects })),
);

// Memory: the arena's high-water mark stays small (big buffers live outside
// it), and blocks outside it are all given back.
{
  const big = new Uint8Array(64 * MIB);
  await io.async(echo, big);
  const m = t.memoryStats();
  console.log(
    `heap arena high-water ${(m.heap.highWater / MIB).toFixed(2)} MiB (capacity ${(m.heap.capacity / MIB).toFixed(2)} MiB); ` +
      `outside the heap: ${m.outside.liveBlocks} blocks live, peak ${(m.outside.peakBytes / MIB).toFixed(1)} MiB`,
  );
  rows.push({
    name: "heap arena high-water after the runs",
    impl: "threaded-io",
    value: m.heap.highWater / MIB,
    unit: "MiB",
    better: "lower",
  });
}

t.deinit();
await tp.destroy();
await ps.destroy();

const get = (name: string, impl: string) =>
  rows.find((r) => r.name === name && r.impl === impl)!.value;
const empty = get("empty task round trip", "threaded-io");
const shared = get("1 MiB modified in place", "threaded-io SharedBytes");
console.log(
  `SharedBytes 1 MiB in place: ${(shared / empty).toFixed(2)}× the empty task (target ≤ 5×), ` +
    `${(get("1 MiB modified in place", "tinypool transfer") / shared).toFixed(1)}× faster than tinypool with transfer (target ≥ 5×)`,
);
console.log(
  `1 MiB copied: ${(get("1 MiB Uint8Array in and out", "threaded-io") / get("1 MiB Uint8Array in and out", "tinypool")).toFixed(2)}× tinypool's time (target ≤ 1); ` +
    `10,000 objects: ${(get("10,000 objects in and out", "threaded-io") / get("10,000 objects in and out", "tinypool")).toFixed(2)}× tinypool's (target ≤ 1)`,
);
writeResults("data", rows);
