import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Canceled,
  Group,
  IoError,
  ResetEvent,
  Threaded,
  type ChromeTrace,
  type TraceEvent,
} from "../../lib/index.ts";
import { Queue } from "../../lib/io/queue.ts";
import { shim } from "../../lib/ffi/shim.ts";
import { thrown } from "../helpers/errors.ts";
import { syscallNumber, untilAnyThreadBlockedIn } from "../helpers/proc.ts";
import { underQemu } from "../helpers/emulation.ts";
import { ResetEventLayout } from "../../lib/substrate/layout.ts";
import { add, blockOnEvent, putFortyTwo, sleepFor } from "../fixtures/tasks.ts";

let t: Threaded | undefined;
afterEach(() => {
  t?.deinit();
  t = undefined;
});

const named = (tr: ChromeTrace, cat: string, name?: string): TraceEvent[] =>
  tr.traceEvents.filter((e) => e.cat === cat && (name === undefined || e.name === name));

function checkWellFormed(tr: ChromeTrace): void {
  for (const e of tr.traceEvents) {
    expect(typeof e.name).toBe("string");
    expect(["M", "X", "i", "s", "f"]).toContain(e.ph);
    expect(Number.isFinite(e.ts)).toBe(true);
    if (e.ph !== "M") expect(e.ts).toBeGreaterThanOrEqual(0);
    if (e.ph === "X") expect(e.dur).toBeGreaterThanOrEqual(0);
  }
}

describe("tracing", () => {
  test("records every task, inline run, cancel and wait, and writes Chrome Trace Event JSON", async () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const path = join(tmpdir(), `tio-trace-${process.pid}.json`);
    // A thread exists before the trace starts: it joins the trace mid-flight.
    expect(io.async(add, 0, 0).await(io)).toBe(0);
    const before = t.stats().tasks;
    t.startTrace({ events: 1 << 16 });
    for (let i = 0; i < 200; i++) expect(io.async(add, i, 1).await(io)).toBe(i + 1);
    using ev = ResetEvent.init(io);
    using ready = ResetEvent.init(io);
    const blocked = io.async(blockOnEvent, io, ev, ready);
    ready.wait(io);
    // Canceled while blocked in its futex wait (a cancel that came before
    // the wait would leave no wait in the trace: seen once on a loaded
    // machine). Under qemu /proc shows host addresses: any futex then.
    await untilAnyThreadBlockedIn(
      syscallNumber("futex"),
      undefined,
      underQemu ? undefined : t.heap.addr(ev.ref + ResetEventLayout.STATE),
    );
    const g = Group.init(io);
    for (let i = 0; i < 7; i++) g.async(io, add, i, 2); // inline: the thread is busy
    g.wait(io);
    expect(() => blocked.cancel(io)).toThrow(Canceled);
    const after = t.stats().tasks;
    const summary = t.stopTrace(path);
    try {
      const tr = JSON.parse(readFileSync(path, "utf8")) as ChromeTrace;
      expect(tr).toEqual(JSON.parse(JSON.stringify(summary.trace)));
      checkWellFormed(tr);
      expect(tr.otherData.dropped).toBe(0);
      expect(summary.recorded).toBe(tr.otherData.recorded);
      // Counts match the counters.
      const pool = after.pool - before.pool;
      const inline = after.inline - before.inline;
      expect(pool).toBe(201);
      expect(inline).toBe(7);
      expect(named(tr, "task", "add").length).toBe(200);
      expect(named(tr, "task", "blockOnEvent").length).toBe(1);
      expect(named(tr, "dispatch").length).toBe(pool);
      expect(named(tr, "inline", "add").length).toBe(inline);
      expect(named(tr, "flow").length).toBe(2 * pool);
      expect(named(tr, "cancel", "cancel requested").length).toBe(1);
      expect(named(tr, "cancel", "cancel signal sent").length).toBe(1);
      expect(named(tr, "cancel", "Canceled raised").length).toBe(1);
      // Tasks ran on the pool thread's track, dispatches on the caller's.
      const poolTid = named(tr, "task")[0].tid;
      const main = named(tr, "dispatch")[0].tid;
      expect(poolTid).not.toBe(main);
      expect(named(tr, "task").every((e) => e.tid === poolTid)).toBe(true);
      const threadNames = tr.traceEvents.filter((e) => e.ph === "M" && e.name === "thread_name");
      expect(threadNames.find((e) => e.tid === poolTid)?.args?.name).toBe(`tio-pool-${poolTid}`);
      // The canceled task's wait is on the pool track, with its duration.
      expect(named(tr, "wait").some((e) => e.tid === poolTid)).toBe(true);
      // Slices on one track do not overlap.
      const slices = named(tr, "task").sort((a, b) => a.ts - b.ts);
      for (let i = 1; i < slices.length; i++)
        expect(slices[i].ts).toBeGreaterThanOrEqual(slices[i - 1].ts + slices[i - 1].dur! - 0.01);
    } finally {
      rmSync(path, { force: true });
    }
  });

  test("names the waits of group.wait, select and a queue", () => {
    t = Threaded.init({ asyncLimit: 2 });
    const io = t.io();
    t.startTrace();
    // A fresh pool: each thread takes milliseconds to start, so every wait
    // below outlasts its spin and sleeps in the kernel.
    const q = Queue.init<number>(io, 0);
    const put = io.async(putFortyTwo, io, q);
    expect(q.getOne(io)).toBe(42);
    put.await(io);
    const g = Group.init(io);
    g.async(io, sleepFor, io, 20);
    g.wait(io);
    const fast = io.async(sleepFor, io, 20);
    const slow = io.async(sleepFor, io, 60_000);
    expect(io.select([fast, slow])).toBe(0);
    expect(() => slow.cancel(io)).toThrow(Canceled);
    fast.await(io);
    q.deinit();
    const tr = t.stopTrace().trace;
    const waits = new Set(named(tr, "wait").map((e) => e.name));
    expect(waits).toContain("queue wait");
    expect(waits).toContain("group wait");
    expect(waits).toContain("select");
  });

  test("100,000 tasks in a bounded ring: the oldest events are dropped and counted", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const events = 4096;
    t.startTrace({ events });
    const before = t.stats().tasks;
    const g = Group.init(io);
    for (let batch = 0; batch < 100; batch++) {
      for (let i = 0; i < 1000; i++) g.async(io, add, i, batch);
      g.wait(io);
    }
    const after = t.stats().tasks;
    const { trace: tr, recorded, dropped } = t.stopTrace();
    const pool = after.pool - before.pool;
    const inline = after.inline - before.inline;
    expect(pool + inline).toBe(100_000);
    checkWellFormed(tr);
    // Every pool task wrote 3 events (dispatch, start, end), every inline one 1.
    expect(recorded + dropped).toBeGreaterThanOrEqual(3 * pool + inline);
    expect(recorded).toBeLessThanOrEqual(events * tr.otherData.threads);
    expect(dropped).toBeGreaterThan(0);
    // What is kept is the newest: the last batch's tasks are there.
    expect(named(tr, "task", "add").length + named(tr, "inline", "add").length).toBeGreaterThan(0);
    const parsed = JSON.parse(JSON.stringify(tr)) as ChromeTrace;
    expect(parsed.traceEvents.length).toBe(tr.traceEvents.length);
  });

  test("start and stop: arguments, twice, not running, two instances", () => {
    t = Threaded.init({ asyncLimit: 1 });
    using other = Threaded.init({ asyncLimit: 1 });
    expect(() => t!.stopTrace()).toThrow("No trace is running");
    // Not running: no file is made (checking the path used to create it).
    const never = join(tmpdir(), `tio-trace-never-${process.pid}.json`);
    expect(() => t!.stopTrace(never)).toThrow("No trace is running");
    expect(existsSync(never)).toBe(false);
    for (const bad of [0, 15, -1, 1.5, NaN, 2 ** 64, Infinity])
      expect(() => t!.startTrace({ events: bad })).toThrow(RangeError);
    expect(() => t!.startTrace(null as never)).toThrow(TypeError);
    t.startTrace({ events: 64 });
    expect(() => t!.startTrace()).toThrow("already running");
    other.startTrace();
    const io = t.io();
    io.async(add, 1, 1).await(io);
    const mine = t.stopTrace();
    const theirs = other.stopTrace();
    expect(named(mine.trace, "task").length).toBe(1);
    expect(named(theirs.trace, "task").length).toBe(0);
    // A second trace reuses the rings and holds only its own events.
    expect(() => t!.startTrace({ events: 128 })).toThrow(RangeError);
    t.startTrace();
    io.async(add, 2, 2).await(io);
    io.async(add, 3, 3).await(io);
    const second = t.stopTrace();
    expect(named(second.trace, "task").length).toBe(2);
    expect(() => t!.stopTrace("")).toThrow(TypeError);
  });

  test("a path that cannot be written: an IoError, and the trace keeps running", () => {
    t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    t.startTrace();
    io.async(add, 1, 1).await(io);
    const missing = join(tmpdir(), `tio-no-such-dir-${process.pid}`, "t.json");
    for (const [path, code] of [
      [missing, "FileNotFound"],
      [tmpdir(), "IsDir"],
    ] as const) {
      const e = thrown(() => t!.stopTrace(path));
      expect(e).toBeInstanceOf(IoError);
      expect((e as IoError).code).toBe(code);
      expect((e as IoError).path).toBe(path);
    }
    // Nothing was lost: the same trace stops now.
    expect(named(t.stopTrace().trace, "task", "add").length).toBe(1);
  });

  test("init({ trace: { path } }) checks the path (and the other trace options) first", () => {
    const usersBefore = Number(shim().tio_signals_users());
    const missing = join(tmpdir(), `tio-no-such-dir-${process.pid}`, "t.json");
    const e = thrown(() => Threaded.init({ trace: { path: missing } }));
    expect(e).toBeInstanceOf(IoError);
    expect((e as IoError).code).toBe("FileNotFound");
    expect(() => Threaded.init({ trace: { events: 3 } })).toThrow(RangeError);
    expect(() => Threaded.init({ trace: "yes" as never })).toThrow(TypeError);
    // Nothing was acquired by the refused inits: a pool works, and after
    // its deinit no cancel-signal handler is left installed.
    t = Threaded.init({ asyncLimit: 1 });
    expect(t.io().async(add, 2, 3).await(t.io())).toBe(5);
    t.deinit();
    t = undefined;
    expect(Number(shim().tio_signals_users())).toBe(usersBefore);
  });

  test("init({ trace: { path } }) writes the trace at deinit, after joining", () => {
    const path = join(tmpdir(), `tio-trace-init-${process.pid}.json`);
    const local = Threaded.init({ asyncLimit: 1, trace: { path, events: 256 } });
    const io = local.io();
    io.async(add, 1, 2).await(io);
    local.deinit();
    try {
      const tr = JSON.parse(readFileSync(path, "utf8")) as ChromeTrace;
      checkWellFormed(tr);
      expect(named(tr, "task", "add").length).toBe(1);
      expect(named(tr, "thread", "thread exit").length).toBe(1);
    } finally {
      rmSync(path, { force: true });
    }
  });
});
