// Big data across threads, one pool thread each, sequential round trips in
// one run: SharedBytes modified in place against tinypool moving the buffer
// (transferList) both ways; a 1 MiB Uint8Array and 10,000 small objects
// copied in and out against tinypool's and piscina's structured clone.
// Each comparison interleaves its implementations batch by batch, so a
// change in the machine's load hits all of them alike; process CPU per
// round trip is reported beside each time (the machine is shared).
import Tinypool from "tinypool";
import Piscina from "piscina";
import { SharedBytes, Threaded } from "../lib/index.ts";
import { echo, noop, touch } from "./fixtures/data_tasks.ts";
import { median, writeResults, type Row } from "./stats.ts";

const worker = new URL("./fixtures/data_worker.ts", import.meta.url).href;
const MIB = 1 << 20;
const REPEATS = 7;
const rows: Row[] = [];

const bytes1m = new Uint8Array(MIB).map((_, i) => i & 255);
const objects = Array.from({ length: 10_000 }, (_, i) => ({
  id: i,
  name: `item ${i}`,
  ok: i % 2 === 0,
  score: i * 1.5,
}));

type Impl = readonly [impl: string, n: number, f: () => unknown];

/** For each implementation: the median over REPEATS batches of its µs per
 * round trip and process CPU µs per round trip. Batches of the
 * implementations alternate. */
async function compare(name: string, impls: readonly Impl[]): Promise<void> {
  for (const [, n, f] of impls) for (let i = 0; i < Math.min(n, 20); i++) await f(); // warm up
  const times = impls.map(() => [] as number[]);
  const cpus = impls.map(() => [] as number[]);
  for (let r = 0; r < REPEATS; r++) {
    for (let k = 0; k < impls.length; k++) {
      const [, n, f] = impls[k];
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await f();
      const t1 = performance.now();
      const c = process.cpuUsage(c0);
      times[k].push(((t1 - t0) * 1000) / n);
      cpus[k].push((c.user + c.system) / n);
    }
  }
  impls.forEach(([impl], k) => {
    rows.push({ name, impl, value: median(times[k]), unit: "µs", better: "lower" });
    rows.push({
      name: `${name} (process CPU)`,
      impl,
      value: median(cpus[k]),
      unit: "µs",
      better: "lower",
    });
  });
}

const t = Threaded.init({ asyncLimit: 1 });
const io = t.io();
const tp = new Tinypool({ filename: worker, minThreads: 1, maxThreads: 1, isolateWorkers: false });
const ps = new Piscina({ filename: worker, minThreads: 1, maxThreads: 1 });

{
  // SharedBytes, modified in place, against the empty task (target ≤ 5×)
  // and tinypool moving the buffer both ways (target ≥ 5× faster).
  using shared = SharedBytes.alloc(io, MIB);
  shared.bytes.set(bytes1m);
  let moving: Uint8Array = new Uint8Array(bytes1m);
  await compare("1 MiB modified in place", [
    ["threaded-io SharedBytes", 2000, () => io.async(touch, shared).await(io)],
    ["threaded-io SharedBytes await", 1000, () => io.async(touch, shared)],
    ["threaded-io empty task", 2000, () => io.async(noop).await(io)],
    ["threaded-io empty task await", 1000, () => io.async(noop)],
    [
      "tinypool transfer",
      300,
      async () => {
        const options = { transferList: [moving.buffer] as never };
        moving = (await tp.run({ kind: "move", v: moving }, options)) as Uint8Array;
      },
    ],
    ["tinypool empty task", 300, () => tp.run({ kind: "noop", v: 0 })],
  ]);
}

await compare("1 MiB Uint8Array in and out", [
  ["threaded-io", 200, () => io.async(echo, bytes1m).await(io)],
  ["tinypool", 200, () => tp.run({ kind: "echo", v: bytes1m })],
  ["piscina", 200, () => ps.run({ kind: "echo", v: bytes1m })],
]);

await compare("10,000 objects in and out", [
  ["threaded-io", 20, () => io.async(echo, objects).await(io)],
  ["tinypool", 20, () => tp.run({ kind: "echo", v: objects })],
  ["piscina", 20, () => ps.run({ kind: "echo", v: objects })],
]);

// Memory: the arena's high-water mark stays small (big buffers live outside
// it), and blocks outside it are all given back.
{
  await io.async(echo, new Uint8Array(64 * MIB));
  const m = t.memoryStats();
  console.log(
    `heap arena high-water ${(m.heap.highWater / MIB).toFixed(2)} MiB (capacity ${(m.heap.capacity / MIB).toFixed(2)} MiB); ` +
      `outside the heap: ${m.outside.liveBlocks} blocks live, peak ${(m.outside.peakBytes / MIB).toFixed(1)} MiB, ` +
      `${(m.outside.cachedBytes / MIB).toFixed(1)} MiB kept for reuse`,
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
const inPlace = "1 MiB modified in place";
const copied = "1 MiB Uint8Array in and out";
const records = "10,000 objects in and out";
for (const cpu of ["", " (process CPU)"]) {
  const shared = get(inPlace + cpu, "threaded-io SharedBytes");
  console.log(
    `${cpu ? "CPU " : "time"}: SharedBytes in place ${(shared / get(inPlace + cpu, "threaded-io empty task")).toFixed(2)}× the empty task (target ≤ 5×), ` +
      `${(get(inPlace + cpu, "tinypool transfer") / shared).toFixed(1)}× faster than tinypool with transfer (target ≥ 5×); ` +
      `1 MiB copied ${(get(copied + cpu, "threaded-io") / get(copied + cpu, "tinypool")).toFixed(2)}× tinypool's (target ≤ 1); ` +
      `10,000 objects ${(get(records + cpu, "threaded-io") / get(records + cpu, "tinypool")).toFixed(2)}× tinypool's (target ≤ 1)`,
  );
}
writeResults("data", rows);
