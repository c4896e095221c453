// Small helpers shared by the bench suites: medians of repeated batches and
// writing a suite's results where the report step (bench/run.ts) finds them.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Row {
  /** What was measured, e.g. "futex ping-pong round trip". */
  readonly name: string;
  /** Who did it: "threaded-io" or the alternative's name. */
  readonly impl: string;
  readonly value: number;
  /** "ns", "µs", "ops/s", "MiB/s", ... */
  readonly unit: string;
  /** Lower is better (latency) or higher is better (throughput). */
  readonly better: "lower" | "higher";
  /** Process CPU (every thread) for the same operation, beside the time,
   * so that spinning cannot hide: in `cpuUnit` (default µs). */
  readonly cpu?: number;
  readonly cpuUnit?: string;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function writeResults(area: string, rows: Row[]): void {
  const dir = join(import.meta.dir, "results");
  mkdirSync(dir, { recursive: true });
  const doc = {
    area,
    bun: Bun.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: navigator.hardwareConcurrency,
    date: new Date().toISOString(),
    rows,
  };
  writeFileSync(join(dir, `${area}.json`), JSON.stringify(doc, null, 2) + "\n");
  printRows(rows);
}

/** Prints rows without recording them (a partial run of a suite). */
export function printRows(rows: Row[]): void {
  for (const r of rows)
    console.log(
      `${r.name.padEnd(44)} ${r.impl.padEnd(18)} ${r.value.toFixed(2).padStart(12)} ${r.unit}` +
        (r.cpu === undefined ? "" : `  CPU ${r.cpu.toFixed(2)} ${r.cpuUnit ?? "µs"}`),
    );
}
