// The report step of `bun bench`: reads bench/results/*.json (one file per
// suite) and writes bench/RESULTS.md — a table per area with every
// implementation measured in the same run and its ratio to threaded-io —
// and one SVG bar chart per area in bench/charts/. No dependency: the
// charts are plain SVG written here.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Row } from "./stats.ts";

interface Suite {
  area: string;
  bun: string;
  platform: string;
  cpus: number;
  date: string;
  rows: Row[];
}

const dir = import.meta.dir;
const titles: Record<string, string> = {
  pool: "Thread pool (vs tinypool, piscina)",
  data: "Big data across threads (vs tinypool, piscina)",
  sync: "Synchronization",
  fs: "Files (vs node:fs, Bun.file)",
  net: "Loopback TCP (vs Bun.listen/connect, node:net)",
  dns: "Host-name lookup (vs getaddrinfo, c-ares)",
  workloads: "Workloads: tree hash, HTTP service, thread per connection",
};
const order = ["workloads", "pool", "data", "fs", "net", "dns", "sync"];

function load(): Suite[] {
  const files = readdirSync(join(dir, "results")).filter((f) => f.endsWith(".json"));
  const suites = files.map(
    (f) => JSON.parse(readFileSync(join(dir, "results", f), "utf8")) as Suite,
  );
  return suites.sort((a, b) => order.indexOf(a.area) - order.indexOf(b.area));
}

function fmt(v: number | null): string {
  // A measurement that did not complete is recorded as NaN (null in JSON).
  if (v === null || !Number.isFinite(v)) return "—";
  if (v >= 1000) return Math.round(v).toLocaleString("en-US");
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** A value with its unit, and the CPU it cost when measured. */
function val(r: Row): string {
  const cpu = r.cpu === undefined ? "" : ` (CPU ${fmt(r.cpu)} ${r.cpuUnit ?? "µs"})`;
  return `${fmt(r.value)} ${r.unit}${cpu}`;
}

function groups(rows: Row[]): Map<string, Row[]> {
  const m = new Map<string, Row[]>();
  for (const r of rows) m.set(r.name, [...(m.get(r.name) ?? []), r]);
  return m;
}

/** How many times better threaded-io's best row is than `r` (>1: ours is
 * better), for rows of the same measurement. */
function ratio(ours: Row | undefined, r: Row): string {
  if (ours === undefined || r.impl.startsWith("threaded-io")) return "";
  const x = r.better === "lower" ? r.value / ours.value : ours.value / r.value;
  return `${x.toFixed(2)}×`;
}

function best(rows: Row[]): Row | undefined {
  const ours = rows.filter((r) => r.impl.startsWith("threaded-io"));
  if (ours.length === 0) return undefined;
  return ours.reduce((a, b) =>
    (a.better === "lower" ? a.value <= b.value : a.value >= b.value) ? a : b,
  );
}

function escape(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** One horizontal bar chart: a block per measurement, a bar per impl,
 * each block scaled to its own largest value. */
function chart(suite: Suite): string {
  const width = 760;
  const labelW = 250;
  const barH = 18;
  const gap = 6;
  const blocks = [...groups(suite.rows)];
  let y = 40;
  const parts: string[] = [];
  for (const [name, rows] of blocks) {
    const max = Math.max(...rows.map((r) => r.value));
    const dir = rows[0].better === "lower" ? "lower is better" : "higher is better";
    parts.push(
      `<text x="10" y="${y}" font-weight="bold" font-size="13">${escape(name)} (${rows[0].unit}, ${dir})</text>`,
    );
    y += 8;
    for (const r of rows) {
      const w = Number.isFinite(r.value)
        ? Math.max(1, ((width - labelW - 150) * r.value) / max)
        : 1;
      const ours = r.impl.startsWith("threaded-io");
      parts.push(
        `<text x="${labelW - 6}" y="${y + barH - 5}" font-size="12" text-anchor="end">${escape(r.impl)}</text>`,
        `<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${ours ? "#f7a41d" : "#8a8f98"}"/>`,
        `<text x="${labelW + w + 6}" y="${y + barH - 5}" font-size="12">${escape(val(r))}</text>`,
      );
      y += barH + gap;
    }
    y += 18;
  }
  const title = titles[suite.area] ?? suite.area;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${escape(title)} — Bun ${escape(suite.bun)}, ${escape(suite.platform)}, ${suite.cpus} CPUs</text>`,
    ...parts,
    `</svg>`,
    "",
  ].join("\n");
}

function markdown(suites: Suite[]): string {
  const out = [
    "# Benchmark results",
    "",
    "Written by `bun bench` (bench/run.ts then bench/report.ts) from bench/results/*.json; do not edit by hand.",
    "Every alternative was measured in the same run as threaded-io, on the same machine. In the ratio column, above 1× means threaded-io (its best row for that measurement) is better.",
    "",
  ];
  for (const s of suites) {
    out.push(
      `## ${titles[s.area] ?? s.area}`,
      "",
      `Bun ${s.bun}, ${s.platform}, ${s.cpus} CPUs, ${s.date}`,
      "",
    );
    out.push(`![${s.area}](charts/${s.area}.svg)`, "");
    out.push("| measurement | implementation | value | ratio |", "| --- | --- | --- | --- |");
    for (const [name, rows] of groups(s.rows)) {
      const ours = best(rows);
      for (const r of rows) out.push(`| ${name} | ${r.impl} | ${val(r)} | ${ratio(ours, r)} |`);
    }
    out.push("");
  }
  return out.join("\n");
}

/** The README's summary: one line per measurement, threaded-io's best row
 * against each alternative, written between the README's bench markers so
 * every number there comes from these files. */
function summary(suites: Suite[]): string {
  const lines = [
    "| area | measurement | threaded-io | alternatives (ratio: above 1× favours threaded-io) |",
    "| --- | --- | --- | --- |",
  ];
  for (const s of suites) {
    for (const [name, rows] of groups(s.rows)) {
      const ours = best(rows);
      if (ours === undefined) continue;
      const others = rows.filter((r) => !r.impl.startsWith("threaded-io"));
      if (others.length === 0 && rows.length > 1) {
        // Only our own variants (the CPU of each async twin's wait): the
        // range, so that the worst one shows too.
        const vs = rows.map((r) => r.value);
        lines.push(
          `| ${s.area} | ${name} | ${fmt(Math.min(...vs))}–${fmt(Math.max(...vs))} ${ours.unit} [${rows.length} variants, see RESULTS.md] | — |`,
        );
        continue;
      }
      const alt =
        others.length === 0
          ? "—"
          : others.map((r) => `${r.impl} ${val(r)} [${ratio(ours, r)}]`).join("; ");
      lines.push(
        `| ${s.area} | ${name} | ${val(ours)} [${ours.impl.replace("threaded-io", "").trim() || "threaded-io"}] | ${alt} |`,
      );
    }
  }
  const s0 = suites[0];
  return [
    `Bun ${s0.bun}, ${s0.platform}, ${s0.cpus} CPUs; generated by \`bun bench\` from bench/results/.`,
    "",
    ...lines,
  ].join("\n");
}

function updateReadme(suites: Suite[]): void {
  const path = join(dir, "..", "README.md");
  const text = readFileSync(path, "utf8");
  const start = "<!-- bench:start -->";
  const end = "<!-- bench:end -->";
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) return;
  writeFileSync(
    path,
    text.slice(0, a + start.length) + "\n" + summary(suites) + "\n" + text.slice(b),
  );
}

const suites = load();
mkdirSync(join(dir, "charts"), { recursive: true });
for (const s of suites) writeFileSync(join(dir, "charts", `${s.area}.svg`), chart(s));
writeFileSync(join(dir, "RESULTS.md"), markdown(suites));
updateReadme(suites);
console.log(`wrote bench/RESULTS.md and ${suites.length} charts in bench/charts/`);
