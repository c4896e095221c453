// `threaded-io trace-svg`: a trace recorded here, drawn by the command run
// as a child process, and the SVG parsed back: well-formed XML, one lane per
// traced thread, a bar per task and inline run, a mark per cancel event.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Canceled, Group, ResetEvent, Threaded, type ChromeTrace } from "../../lib/index.ts";
import { traceToSvg } from "../../lib/threaded/trace_svg.ts";
import { add, blockOnEvent } from "../fixtures/tasks.ts";
import { tempDir } from "../helpers/tmp.ts";

const cli = join(import.meta.dir, "..", "..", "bin", "threaded-io.ts");
let tmp: ReturnType<typeof tempDir>;
let tracePath: string;
let trace: ChromeTrace;

beforeAll(() => {
  tmp = tempDir();
  tracePath = join(tmp.path, "trace.json");
  using t = Threaded.init({ asyncLimit: 1 });
  const io = t.io();
  t.startTrace();
  for (let i = 0; i < 20; i++) io.async(add, i, 1).await(io);
  using ev = ResetEvent.init(io);
  using ready = ResetEvent.init(io);
  const blocked = io.async(blockOnEvent, io, ev, ready);
  ready.wait(io);
  const g = Group.init(io);
  for (let i = 0; i < 3; i++) g.async(io, add, i, 2); // inline: the thread is busy
  g.wait(io);
  expect(() => blocked.cancel(io)).toThrow(Canceled);
  trace = t.stopTrace(tracePath).trace;
});
afterAll(() => tmp.remove());

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([process.execPath, cli, ...args], { stdout: "pipe", stderr: "pipe" });
  const [out, err] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
  ]);
  return { code: await p.exited, out, err };
}

/** Checks that every tag closes in order and every attribute is quoted;
 * returns the elements by name. */
function parseXml(svg: string): Map<string, Record<string, string>[]> {
  const byName = new Map<string, Record<string, string>[]>();
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(svg); m !== null; m = tag.exec(svg)) {
    const between = svg.slice(last, m.index);
    expect(between).not.toMatch(/[<>]/); // text holds no stray markup
    last = tag.lastIndex;
    const [, close, name, attrs, selfClose] = m;
    if (close) {
      expect(stack.pop()).toBe(name);
      continue;
    }
    const record: Record<string, string> = {};
    for (const a of attrs!.matchAll(/([\w:-]+)="([^"]*)"/g)) record[a[1]!] = a[2]!;
    byName.set(name!, [...(byName.get(name!) ?? []), record]);
    if (!selfClose) stack.push(name!);
  }
  expect(svg.slice(last).trim()).toBe("");
  expect(stack).toEqual([]);
  return byName;
}

const count = (tr: ChromeTrace, cat: string, ph = "X") =>
  tr.traceEvents.filter((e) => e.cat === cat && e.ph === ph).length;

describe("threaded-io trace-svg", () => {
  test("draws one lane per thread, a bar per task, a mark per cancel", async () => {
    const r = await run("trace-svg", tracePath);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const xml = parseXml(r.out);
    expect(xml.get("svg")!.length).toBe(1);
    const rects = xml.get("rect")!;
    const cls = (c: string) => rects.filter((e) => e.class === c).length;
    const lanes = xml.get("g")!.filter((g) => g.class === "lane");
    expect(lanes.length).toBe(trace.otherData.threads);
    expect(cls("task")).toBe(count(trace, "task"));
    expect(cls("task")).toBe(21);
    expect(cls("inline")).toBe(3);
    expect(cls("cancel")).toBe(count(trace, "cancel", "i"));
    expect(cls("cancel")).toBe(3); // requested, signal sent, Canceled raised
    expect(cls("wake")).toBe(count(trace, "wake", "i"));
    expect(cls("wait")).toBe(count(trace, "wait"));
    // Every bar lies inside the picture.
    const width = Number(xml.get("svg")![0]!.width);
    for (const e of rects.filter((r) => r.class !== undefined)) {
      expect(Number(e.x)).toBeGreaterThanOrEqual(0);
      expect(Number(e.x) + Number(e.width)).toBeLessThanOrEqual(width + 1);
    }
  });

  test("--from/--to keep a window; bad input is a usage error or a read error", async () => {
    const last = trace.traceEvents.reduce((m, e) => Math.max(m, e.ts + (e.dur ?? 0)), 0);
    const first = trace.traceEvents
      .filter((e) => e.ph !== "M")
      .reduce((m, e) => Math.min(m, e.ts), Infinity);
    const r = await run("trace-svg", tracePath, "--from", String((last - first) / 1000 + 1));
    expect(r.code).toBe(0);
    const rects = parseXml(r.out).get("rect")!;
    expect(rects.filter((e) => e.class === "task").length).toBe(0);
    expect((await run("trace-svg")).code).toBe(64);
    expect((await run("trace-svg", tracePath, "--from", "-1")).code).toBe(64);
    expect((await run("trace-svg", tracePath, "--to", "x")).code).toBe(64);
    expect((await run("trace-svg", join(tmp.path, "missing.json"))).code).toBe(1);
    const notTrace = join(tmp.path, "not.json");
    writeFileSync(notTrace, '{"a":1}');
    const bad = await run("trace-svg", notTrace);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("Not a Chrome trace");
    expect(() => traceToSvg(trace, { fromMs: 5, toMs: 1 })).toThrow(RangeError);
  });

  test("escapes names", () => {
    const svg = traceToSvg({
      traceEvents: [
        { name: "thread_name", ph: "M", ts: 0, pid: 1, tid: 1, args: { name: "<a&b>" } },
        { name: 'x"<y>', cat: "task", ph: "X", ts: 0, dur: 5, pid: 1, tid: 1 },
      ],
      displayTimeUnit: "ns",
      otherData: { clock: "awake", recorded: 1, dropped: 0, ringEvents: 16, threads: 1 },
    });
    parseXml(svg);
    expect(svg).toContain("&lt;a&amp;b&gt;");
  });
});
