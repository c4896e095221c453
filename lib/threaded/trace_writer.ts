// Tracing, the reading side: `threaded.startTrace()` / `stopTrace(path)`
// and the Chrome Trace Event JSON they produce (Perfetto and
// chrome://tracing open it): one track per thread id, tasks as slices,
// dispatch → start as flow arrows, futex waits and I/O calls as slices with
// their duration, cancels, wakes and thread lifetimes as instant events.
// The recording side and the ring layout are in lib/substrate/trace.ts.
import type { Heap } from "../substrate/heap.ts";
import { E, type ErrnoName } from "../os/index.ts";
import { errnoError } from "./syscall.ts";
import { openFileErrors } from "./fs_errors.ts";
import {
  Closure,
  GroupLayout,
  Header,
  Pool,
  PoolBlock,
  TraceDirLayout,
  TraceRingLayout,
} from "../substrate/layout.ts";
import { ThreadTable } from "../substrate/layout.ts";
import {
  DEFAULT_TRACE_EVENTS,
  IoOp,
  MAX_TRACE_EVENTS,
  startTracing,
  stopTracing,
  traceCapacity,
  tracing,
  TraceKind,
  WaitSite,
} from "../substrate/trace.ts";
import { readKey, taskName } from "../substrate/tasks.ts";
import { lazyFs } from "../substrate/lazy_fs.ts";
import { checkOptions, optionNames } from "../io/check_options.ts";

/** Options of `startTrace` (and of `Threaded.init({ trace })`). */
export interface TraceOptions {
  /** The size of each thread's ring in 32-byte events, 4 of which hold its
   * header: when it is full the oldest events are dropped (and counted).
   * Default 32,768 (1 MiB per thread that records). Fixed by the first
   * trace of a Threaded: its rings are reused. */
  readonly events?: number;
}

/** One Chrome Trace Event. */
export interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly pid: number;
  readonly tid: number;
  readonly cat?: string;
  readonly dur?: number;
  readonly s?: string;
  readonly id?: number;
  readonly bp?: string;
  readonly args?: Record<string, unknown>;
}

/** A trace in Chrome's Trace Event format (JSON object form). */
export interface ChromeTrace {
  readonly traceEvents: TraceEvent[];
  readonly displayTimeUnit: "ns";
  readonly otherData: {
    readonly clock: "awake";
    /** Events kept in the trace's rings. */
    readonly recorded: number;
    /** Events lost because a ring was full (the oldest of its thread). */
    readonly dropped: number;
    readonly ringEvents: number;
    readonly threads: number;
  };
}

/** What `stopTrace` returns. */
export interface TraceSummary {
  readonly trace: ChromeTrace;
  readonly recorded: number;
  readonly dropped: number;
  /** The file written, when a path was given. */
  readonly path?: string;
}

export function startTrace(heap: Heap, options: TraceOptions = {}, atInit = false): void {
  checkTraceOptions(options, atInit);
  const events = options.events ?? (traceCapacity(heap) || DEFAULT_TRACE_EVENTS);
  if (tracing(heap)) throw new Error("A trace is already running: stop it first");
  startTracing(heap, events);
}

const TRACE_OPTION_NAMES = optionNames<TraceOptions>({ events: true });
/** `Threaded.init({ trace })` also takes the `path` deinit writes to
 * (`startTrace` has no such option: `stopTrace(path)` writes). */
const INIT_TRACE_OPTION_NAMES = optionNames<TraceOptions & { path?: string }>({
  events: true,
  path: true,
});

/** Throws what `startTrace` (or, `atInit`, `Threaded.init({ trace })`)
 * would for these options, touching nothing. */
export function checkTraceOptions(options: TraceOptions, atInit = false): void {
  if (atInit) checkOptions(options, "Threaded.init({ trace })", INIT_TRACE_OPTION_NAMES);
  else checkOptions(options, "startTrace", TRACE_OPTION_NAMES);
  const events = options.events;
  if (
    events !== undefined &&
    (!Number.isInteger(events) || events < 16 || events > MAX_TRACE_EVENTS)
  )
    throw new RangeError(
      `Trace ring size "${events}" is not a count of events in [16, ${MAX_TRACE_EVENTS}]`,
    );
}

export function stopTrace(heap: Heap, path?: string): TraceSummary {
  // The path's type, then whether a trace runs: opening the path creates
  // the file, and with no trace to write an empty file was left behind.
  if (path !== undefined) checkTracePathType(path);
  if (!tracing(heap)) throw new Error("No trace is running: call startTrace() first");
  if (path !== undefined) checkTracePath(path);
  const dir = stopTracing(heap);
  if (dir === 0) throw new Error("No trace is running: call startTrace() first");
  const trace = collect(heap, dir);
  if (path !== undefined) {
    try {
      lazyFs().writeFileSync(path, JSON.stringify(trace));
    } catch (e) {
      throw fileError(e, path, "write");
    }
  }
  const { recorded, dropped } = trace.otherData;
  return path === undefined ? { trace, recorded, dropped } : { trace, recorded, dropped, path };
}

/**
 * Checks that a trace can be written to `path` by opening it for appending
 * (which creates it): an IoError (FileNotFound, AccessDenied, IsDir, …)
 * while the trace keeps running, rather than node:fs's error after the
 * rings were read and the trace was lost.
 */
export function checkTracePath(path: unknown): void {
  checkTracePathType(path);
  try {
    const f = lazyFs();
    f.closeSync(f.openSync(path, "a"));
  } catch (e) {
    throw fileError(e, path, "open");
  }
}

function checkTracePathType(path: unknown): asserts path is string {
  if (typeof path !== "string" || path === "")
    throw new TypeError(`Trace path "${String(path)}" is not a file path`);
}

/** node:fs's error as the IoError its errno means when opening a file. */
function fileError(e: unknown, path: string, syscall: string): Error {
  const errno = E[(e as { code?: string }).code as ErrnoName];
  return errno === undefined ? (e as Error) : errnoError(openFileErrors, errno, syscall, path);
}

// --- reading the rings -----------------------------------------------------------

interface Raw {
  readonly tid: number;
  readonly ts: number;
  readonly dur: number;
  readonly kind: number;
  readonly a0: number;
  readonly a1: number;
  readonly a2: number;
}

interface Lane {
  readonly tid: number;
  readonly pool: boolean;
  readonly events: Raw[];
}

function readRings(heap: Heap, dir: number): { lanes: Lane[]; recorded: number; dropped: number } {
  const u32 = heap.u32;
  const f64 = heap.f64;
  const session = u32[(dir + TraceDirLayout.SESSION) >> 2];
  const capacity = u32[(dir + TraceDirLayout.CAPACITY) >> 2];
  const lanes: Lane[] = [];
  let recorded = 0;
  let dropped = 0;
  for (let i = 0; i < ThreadTable.MAX_THREADS; i++) {
    const r = Atomics.load(u32, (dir + TraceDirLayout.RINGS + i * 4) >> 2);
    if (r === 0 || Atomics.load(u32, (r + TraceRingLayout.SESSION) >> 2) !== session) continue;
    const count = Atomics.load(u32, (r + TraceRingLayout.COUNT) >> 2);
    const first = Math.max(0, count - capacity);
    const events: Raw[] = [];
    for (let n = first; n < count; n++) {
      const e = r + TraceRingLayout.EVENTS + (n % capacity) * TraceRingLayout.EVENT_BYTES;
      events.push({
        tid: i + 1,
        ts: f64[(e + TraceRingLayout.TS) >> 3],
        dur: f64[(e + TraceRingLayout.DUR) >> 3],
        kind: u32[(e + TraceRingLayout.KIND) >> 2],
        a0: u32[(e + TraceRingLayout.A0) >> 2],
        a1: u32[(e + TraceRingLayout.A1) >> 2],
        a2: u32[(e + TraceRingLayout.A2) >> 2],
      });
    }
    // A thread that had not yet seen the stop may have written on: slots it
    // overwrote while they were copied are dropped, not read torn.
    const after = Atomics.load(u32, (r + TraceRingLayout.COUNT) >> 2);
    const overwritten = Math.max(0, Math.min(count, after - capacity) - first);
    events.splice(0, overwritten);
    recorded += events.length;
    dropped += first + overwritten;
    if (events.length > 0)
      lanes.push({ tid: i + 1, pool: u32[(r + TraceRingLayout.POOL_THREAD) >> 2] === 1, events });
  }
  return { lanes, recorded, dropped };
}

// --- Chrome Trace Event JSON -----------------------------------------------------

const FLOW_SLACK_NS = 2_000;

const P = PoolBlock.OFFSET;
const waitNames = new Map<number, string>([
  [P + Pool.WORK_SEQ, "idle (waiting for work)"],
  [P + Pool.LIVE, "join (waiting for threads to leave)"],
  [P + Pool.LOCK, "pool lock"],
  [Header.LOCK, "heap lock"],
]);
const ioNames: Record<number, string> = {
  [IoOp.LOOKUP]: "lookup",
  [IoOp.CONNECT]: "connect",
  [IoOp.ACCEPT]: "accept",
  [IoOp.READ]: "read",
};

function collect(heap: Heap, dir: number): ChromeTrace {
  const { lanes, recorded, dropped } = readRings(heap, dir);
  const start = heap.f64[(dir + TraceDirLayout.START_NS) >> 3];
  const pid = process.pid;
  const us = (ns: number) => Math.round((ns - start) / 10) / 100; // µs, 10 ns resolution
  const names = new Map<number, string>();
  const name = (key: number): string => {
    if (key === 0) return "inline function";
    let n = names.get(key);
    if (n === undefined) names.set(key, (n = taskName(readKey(heap, key))));
    return n;
  };
  const out: TraceEvent[] = [
    { name: "process_name", ph: "M", ts: 0, pid, tid: 0, args: { name: "threaded-io" } },
  ];
  let end = start;
  for (const lane of lanes) for (const e of lane.events) end = Math.max(end, e.ts + e.dur);

  // Flows: a start is linked to the latest dispatch of the same closure
  // before it (offsets are reused once a closure is freed, never before).
  const dispatches = new Map<number, { ts: number; tid: number }[]>();
  const keyOf = new Map<number, number>();
  const groups = new Set<number>();
  for (const lane of lanes)
    for (const e of lane.events)
      if (e.kind === TraceKind.DISPATCH) {
        let list = dispatches.get(e.a1);
        if (list === undefined) dispatches.set(e.a1, (list = []));
        list.push({ ts: e.ts, tid: e.tid });
        keyOf.set(e.a1, e.a0);
        if (e.a2 !== 0) groups.add(e.a2 + GroupLayout.STATE); // a group waiter sleeps on STATE;
      }
  for (const list of dispatches.values()) list.sort((a, b) => a.ts - b.ts);
  let flowId = 0;
  // A wait or wake on a dispatched closure's DONE word is its awaiter's.
  const waitName = (off: number, prefix: string, site = 0): string => {
    if (site === WaitSite.SELECT) return "select";
    if (site === WaitSite.QUEUE) return "queue wait";
    const known = waitNames.get(off);
    if (known !== undefined) return prefix + known;
    if (groups.has(off)) return `${prefix}group wait`;
    const key = keyOf.get(off - Closure.DONE);
    if (key !== undefined) return `${prefix}await ${name(key)}`;
    return prefix === "" ? "futex wait" : "wake futex";
  };

  for (const lane of lanes) {
    const tid = lane.tid;
    out.push({
      name: "thread_name",
      ph: "M",
      ts: 0,
      pid,
      tid,
      args: { name: lane.pool ? `tio-pool-${tid}` : `thread ${tid}` },
    });
    out.push({ name: "thread_sort_index", ph: "M", ts: 0, pid, tid, args: { sort_index: tid } });
    let open: Raw | null = null;
    for (const e of lane.events) {
      if (e.ts < start) continue; // a late event of an earlier trace
      const ts = us(e.ts);
      const dur = Math.round(e.dur / 10) / 100;
      switch (e.kind) {
        case TraceKind.DISPATCH:
          out.push({
            name: `dispatch ${name(e.a0)}`,
            cat: "dispatch",
            ph: "i",
            s: "t",
            ts,
            pid,
            tid,
          });
          break;
        case TraceKind.TASK_START: {
          open = e;
          const list = dispatches.get(e.a1);
          let from: { ts: number; tid: number } | undefined;
          // Lanes' clocks agree to about a µs (trace.ts calibrate); the
          // same closure offset cannot be dispatched again that soon.
          while (list !== undefined && list.length > 0 && list[0].ts <= e.ts + FLOW_SLACK_NS)
            from = list.shift();
          if (from !== undefined) {
            const id = ++flowId;
            out.push({
              name: "task",
              cat: "flow",
              ph: "s",
              id,
              ts: us(from.ts),
              pid,
              tid: from.tid,
            });
            out.push({ name: "task", cat: "flow", ph: "f", bp: "e", id, ts, pid, tid });
          }
          break;
        }
        case TraceKind.TASK_END:
          if (open !== null && open.a1 === e.a1) {
            out.push({
              name: name(open.a0),
              cat: "task",
              ph: "X",
              ts: us(open.ts),
              dur: Math.round((e.ts - open.ts) / 10) / 100,
              pid,
              tid,
            });
          }
          open = null;
          break;
        case TraceKind.INLINE:
          out.push({ name: name(e.a0), cat: "inline", ph: "X", ts, dur, pid, tid });
          break;
        case TraceKind.SPAWN:
          out.push({ name: "spawn thread", cat: "thread", ph: "i", s: "t", ts, pid, tid });
          break;
        case TraceKind.THREAD_START:
          out.push({ name: "thread start", cat: "thread", ph: "i", s: "t", ts, pid, tid });
          break;
        case TraceKind.THREAD_EXIT:
          out.push({ name: "thread exit", cat: "thread", ph: "i", s: "t", ts, pid, tid });
          break;
        case TraceKind.CANCEL_REQUEST:
          out.push({
            name: "cancel requested",
            cat: "cancel",
            ph: "i",
            s: "t",
            ts,
            pid,
            tid,
            args: { runningOn: e.a0 },
          });
          break;
        case TraceKind.CANCEL_SIGNAL:
          out.push({
            name: "cancel signal sent",
            cat: "cancel",
            ph: "i",
            s: "t",
            ts,
            pid,
            tid,
            args: { to: e.a0 },
          });
          break;
        case TraceKind.CANCELED:
          out.push({ name: "Canceled raised", cat: "cancel", ph: "i", s: "t", ts, pid, tid });
          break;
        case TraceKind.FUTEX_WAIT:
          out.push({
            name: waitName(e.a0, "", e.a1),
            cat: "wait",
            ph: "X",
            ts,
            dur,
            pid,
            tid,
            args: { word: e.a0 },
          });
          break;
        case TraceKind.FUTEX_WAKE:
          out.push({
            name: waitName(e.a0, "wake "),
            cat: "wake",
            ph: "i",
            s: "t",
            ts,
            pid,
            tid,
            args: { word: e.a0, count: e.a1 },
          });
          break;
        case TraceKind.IO:
          out.push({
            name: ioNames[e.a0] ?? "io",
            cat: "io",
            ph: "X",
            ts,
            dur,
            pid,
            tid,
            args: { failed: e.a1 === 1 },
          });
          break;
      }
    }
    if (open !== null) {
      // Still running when the trace stopped.
      out.push({
        name: name(open.a0),
        cat: "task",
        ph: "X",
        ts: us(open.ts),
        dur: Math.round((end - open.ts) / 10) / 100,
        pid,
        tid,
        args: { unfinished: true },
      });
    }
  }
  return {
    traceEvents: out,
    displayTimeUnit: "ns",
    otherData: {
      clock: "awake",
      recorded,
      dropped,
      ringEvents: heap.u32[(dir + TraceDirLayout.CAPACITY) >> 2],
      threads: lanes.length,
    },
  };
}
