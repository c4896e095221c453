// A trace as a picture without a browser (`threaded-io trace-svg`): one lane
// per thread, tasks as bars (pool tasks blue, inline runs orange), waits as
// thin grey bars under them, I/O calls green, cancels as red marks and
// wake-ups as small ticks, a time axis in ms. Input: the Chrome Trace Event
// JSON stopTrace writes.
import type { ChromeTrace, TraceEvent } from "./trace_writer.ts";

const LANE = 34;
const LEFT = 120;
const WIDTH = 1200;
const TOP = 30;

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const n = (x: number) => Math.round(x * 10) / 10;

/** A window of the trace, in ms from its first event. */
export interface SvgWindow {
  readonly fromMs?: number;
  readonly toMs?: number;
}

export function traceToSvg(trace: ChromeTrace, window: SvgWindow = {}): string {
  if (typeof trace !== "object" || trace === null || !Array.isArray(trace.traceEvents))
    throw new TypeError("Not a Chrome trace: no traceEvents array");
  const all = trace.traceEvents.filter(
    (e) => e !== null && typeof e === "object" && e.ph !== "M" && Number.isFinite(e.ts),
  );
  const first = all.reduce((m, e) => Math.min(m, e.ts), Infinity);
  const from = first + (window.fromMs ?? 0) * 1000;
  const to = window.toMs === undefined ? Infinity : first + window.toMs * 1000;
  if (!(from <= to)) throw new RangeError(`Window ${window.fromMs} … ${window.toMs} ms is empty`);
  // Events that overlap the window, slices clipped to it.
  const events: TraceEvent[] = [];
  for (const e of all) {
    const end = e.ts + (e.dur ?? 0);
    if (end < from || e.ts > to) continue;
    if (e.ph !== "X") events.push(e);
    else {
      const ts = Math.max(e.ts, from);
      events.push({ ...e, ts, dur: Math.min(end, to) - ts });
    }
  }
  const names = new Map<number, string>();
  for (const e of trace.traceEvents)
    if (e.ph === "M" && e.name === "thread_name") names.set(e.tid, String(e.args?.name ?? e.tid));
  const tids = [...new Set([...names.keys(), ...events.map((e) => e.tid)])]
    .filter((tid) => names.has(tid) || events.some((e) => e.tid === tid))
    .sort((a, b) => a - b);
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const e of events) {
    t0 = Math.min(t0, e.ts);
    t1 = Math.max(t1, e.ts + (e.dur ?? 0));
  }
  if (!Number.isFinite(t0)) t0 = t1 = 0;
  if (Number.isFinite(from) && window.fromMs !== undefined) t0 = from;
  if (Number.isFinite(to)) t1 = to;
  const span = Math.max(t1 - t0, 1);
  const x = (ts: number) => LEFT + ((ts - t0) / span) * (WIDTH - LEFT - 40);
  const lane = new Map(tids.map((tid, i) => [tid, TOP + i * LANE]));
  const height = TOP + tids.length * LANE + 50;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    `<text x="8" y="18" font-size="13" font-weight="bold">threaded-io trace: ${events.length} events, ${tids.length} threads, ${n(span / 1000)} ms${window.fromMs !== undefined || window.toMs !== undefined ? ` from ${n((t0 - first) / 1000)} ms` : ""}${trace.otherData?.dropped ? `, ${trace.otherData.dropped} dropped` : ""}</text>`,
  ];
  for (const tid of tids) {
    const y = lane.get(tid)!;
    out.push(
      `<g class="lane" data-tid="${tid}"><rect x="${LEFT}" y="${y}" width="${WIDTH - LEFT - 40}" height="${LANE - 4}" fill="#f4f4f4"/>`,
      `<text x="8" y="${y + LANE / 2}">${esc(names.get(tid) ?? `thread ${tid}`)}</text></g>`,
    );
  }
  const bar = (e: TraceEvent, cls: string, fill: string, dy: number, h: number) => {
    const y = lane.get(e.tid);
    if (y === undefined) return;
    const w = Math.max(0.5, x(e.ts + (e.dur ?? 0)) - x(e.ts));
    out.push(
      `<rect class="${cls}" x="${n(x(e.ts))}" y="${y + dy}" width="${n(w)}" height="${h}" fill="${fill}"><title>${esc(e.name)} ${n(e.dur ?? 0)} µs</title></rect>`,
    );
    // A name where it fits (about 6 px a character).
    if (h >= 18 && w > 6 * e.name.length + 8)
      out.push(
        `<text x="${n(x(e.ts) + 4)}" y="${y + dy + 13}" fill="white" pointer-events="none">${esc(e.name)}</text>`,
      );
  };
  const mark = (e: TraceEvent, cls: string, fill: string, dy: number, h: number) => {
    const y = lane.get(e.tid);
    if (y === undefined) return;
    out.push(
      `<rect class="${cls}" x="${n(x(e.ts) - 0.75)}" y="${y + dy}" width="1.5" height="${h}" fill="${fill}"><title>${esc(e.name)}</title></rect>`,
    );
  };
  for (const e of events) if (e.ph === "X" && e.cat === "wait") bar(e, "wait", "#b8b8b8", 22, 6);
  for (const e of events) {
    if (e.ph === "X" && e.cat === "task") bar(e, "task", "#3b73c4", 2, 18);
    else if (e.ph === "X" && e.cat === "inline") bar(e, "inline", "#e8912d", 2, 18);
    else if (e.ph === "X" && e.cat === "io") bar(e, "io", "#3c9a4c", 2, 18);
  }
  for (const e of events) {
    if (e.ph === "i" && e.cat === "wake") mark(e, "wake", "#7a4fb5", 20, 10);
    else if (e.ph === "i" && e.cat === "thread") mark(e, "thread", "#222", 0, LANE - 4);
  }
  for (const e of events)
    if (e.ph === "i" && e.cat === "cancel") mark(e, "cancel", "#d62728", 0, LANE - 4);
  // Axis: ten ticks in ms.
  const ay = TOP + tids.length * LANE + 6;
  out.push(`<line x1="${LEFT}" y1="${ay}" x2="${WIDTH - 40}" y2="${ay}" stroke="#444"/>`);
  for (let i = 0; i <= 10; i++) {
    const ts = t0 + (span * i) / 10;
    out.push(
      `<line x1="${n(x(ts))}" y1="${ay}" x2="${n(x(ts))}" y2="${ay + 4}" stroke="#444"/>`,
      `<text x="${n(x(ts))}" y="${ay + 16}" text-anchor="middle">${n((ts - first) / 1000)} ms</text>`,
    );
  }
  const legend: [string, string][] = [
    ["#3b73c4", "task"],
    ["#e8912d", "inline"],
    ["#3c9a4c", "I/O"],
    ["#b8b8b8", "futex wait"],
    ["#7a4fb5", "wake"],
    ["#d62728", "cancel"],
    ["#222", "thread start/exit"],
  ];
  legend.forEach(([fill, label], i) => {
    const lx = LEFT + i * 130;
    out.push(
      `<rect x="${lx}" y="${ay + 24}" width="10" height="10" fill="${fill}"/><text x="${lx + 14}" y="${ay + 33}">${label}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
