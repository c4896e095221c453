// Traces a small workload and writes trace.json (open it in Perfetto or
// chrome://tracing, or draw it: `bunx threaded-io trace-svg trace.json >
// timeline.svg`). Argument: the output path (default trace.json).
import { Group, ResetEvent, Threaded, task, type Io } from "../lib/index.ts";

export const work = task(import.meta, function work(ms: number): number {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) n++;
  return n;
});

export const waitThenWork = task(
  import.meta,
  function waitThenWork(io: Io, ev: ResetEvent): string {
    ev.wait(io); // canceled while it waits
    return "set";
  },
);

const path = process.argv[2] ?? "trace.json";
using t = Threaded.init({ asyncLimit: 2 });
const io = t.io();
// Start both pool threads first (a Worker takes tens of ms to start: traced
// from the first task, the picture shows the caller running everything
// inline until they are up).
const warm = Group.init(io);
for (let i = 0; i < 4; i++) warm.async(io, work, 20);
warm.wait(io);
t.startTrace();
const g = Group.init(io);
for (let i = 0; i < 12; i++) g.async(io, work, 1 + (i % 4));
g.wait(io);
using ev = ResetEvent.init(io);
const f = io.async(waitThenWork, io, ev);
io.async(work, 2).await(io);
try {
  f.cancel(io);
} catch {}
for (let i = 0; i < 6; i++) io.async(work, 1).await(io);
const { recorded, dropped } = t.stopTrace(path);
console.log(`${path}: ${recorded} events, ${dropped} dropped`, t.stats().tasks);
