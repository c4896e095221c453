// What tracing costs: the round trip and group throughput of
// bench/fixtures/trace_cost.ts with tracing off and on, alternating
// processes, and — when TIO_BASE names a checkout of the tree before the
// tracing hooks (its bench/fixtures/trace_cost.ts copied in) — the same
// before the hooks, in the same run. Ratios against "off" (or "before"),
// CPU per operation beside every time.
import { join } from "node:path";
import { writeResults, type Row } from "./stats.ts";

const here = join(import.meta.dir, "fixtures/trace_cost.ts");
const base = process.env.TIO_BASE;
const ROUNDS = Number(process.env.TIO_ROUNDS ?? 3);
type M = { us: number; cpuUs: number };
type Out = { roundTrip: M; group: M };
const variants: [string, string, string][] = [
  ...(base
    ? [
        ["before (no hooks)", join(base, "bench/fixtures/trace_cost.ts"), "off"] as [
          string,
          string,
          string,
        ],
      ]
    : []),
  ["tracing off", here, "off"],
  ["tracing on", here, "on"],
];
const results = new Map<string, Out[]>();
for (let r = 0; r < ROUNDS; r++)
  for (const [name, script, mode] of variants) {
    const p = Bun.spawnSync([process.execPath, script, mode]);
    const out = JSON.parse(p.stdout.toString().trim().split("\n").pop()!) as Out;
    results.set(name, [...(results.get(name) ?? []), out]);
  }
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const rows: Row[] = [];
const ref = results.get(variants[0][0])!;
for (const [name] of variants) {
  const outs = results.get(name)!;
  for (const k of ["roundTrip", "group"] as const) {
    const us = med(outs.map((o) => o[k].us));
    const cpu = med(outs.map((o) => o[k].cpuUs));
    const ratio = us / med(ref.map((o) => o[k].us));
    console.log(
      `${name.padEnd(18)} ${k.padEnd(9)} ${us.toFixed(2).padStart(8)} µs  CPU ${cpu.toFixed(2).padStart(7)} µs  ×${ratio.toFixed(2)}`,
    );
    rows.push({
      name: `${k}: ${name}`,
      impl: "threaded-io",
      value: us,
      unit: "µs",
      better: "lower",
      cpu,
    });
  }
}
writeResults("trace", rows);
