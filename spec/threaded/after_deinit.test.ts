// After threaded.deinit(): every entry of its io and every shared object
// throws a BugError, except a future's own calls on the thread that made
// it, which answer with the task's outcome (lib/threaded/after_deinit.ts),
// pending or settled alike; an attached Worker's futures go on after its
// detach.
import { describe, expect, test } from "bun:test";
import { BugError, Dir, Duration, Group, IoError, Mutex, Threaded } from "../../lib/index.ts";
import { keptOutcome } from "../../lib/io/future.ts";
import { thrown } from "../helpers/errors.ts";
import { deinitAfterEach } from "../helpers/pools.ts";
import { add, sleepFor } from "../fixtures/tasks.ts";
import { lateBytesAndGroup, lateFail } from "../fixtures/lifetime_tasks.ts";

const init = deinitAfterEach();

describe("after threaded.deinit()", () => {
  test("every io entry and every shared object throws a BugError", () => {
    const t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const m = Mutex.init(io);
    const g = Group.init(io);
    const handle = t.handle();
    t.deinit();
    const calls: [string, () => unknown][] = [
      ["async", () => io.async(add, 1, 2)],
      ["concurrent", () => io.concurrent(add, 1, 2)],
      ["sleep", () => io.sleep(Duration.fromMilliseconds(1))],
      ["now", () => io.now("awake")],
      ["dirStatPath", () => Dir.cwd().statPath(io, ".")],
      ["async", () => t.ioBasic().async(add, 1, 2)],
      ["sharedHeap", () => Mutex.init(io)],
    ];
    for (const [entry, call] of calls) {
      const e = thrown(call);
      expect(e).toBeInstanceOf(BugError);
      expect((e as Error).message).toContain(`io.${entry}:`);
      expect((e as Error).message).toContain("deinitialized");
    }
    // sharedHeap is no call of the user's: the message says what it was for.
    expect((thrown(() => Group.init(io)) as Error).message).toEndWith(
      ": a Group, Mutex, Condition, ResetEvent or Queue cannot be made or used with it",
    );
    const e = thrown(() => m.tryLock());
    expect(e).toBeInstanceOf(BugError);
    expect((e as Error).message).toContain("Threaded instance was deinitialized");
    expect(thrown(() => g.wait(io))).toBeInstanceOf(BugError);
    // Attaching to it, or tracing it, is refused the same way (attach
    // used to succeed and its concurrent then claimed a limit was reached).
    for (const call of [() => Threaded.attach(handle), () => t.startTrace(), () => t.stopTrace()]) {
      const err = thrown(call);
      expect(err).toBeInstanceOf(BugError);
      expect((err as Error).message).toContain("deinitialized");
    }
    t.deinit(); // twice is harmless
  });

  test("a future answers with its task's outcome, pending at deinit or settled before it", async () => {
    const t = Threaded.init({ asyncLimit: 4 });
    const io = t.io();
    // Each still running when deinit begins: io.async returned a pending
    // future, whose outcome stays in the heap after the join.
    const value = io.async(sleepFor, io, 30);
    const failure = io.async(lateFail, "FileNotFound", 30);
    const canceled = io.async(sleepFor, io, 30);
    const twice = io.async(sleepFor, io, 30);
    for (const f of [value, failure, canceled, twice]) expect(keptOutcome(f)).toBeUndefined();
    // Settled from the start: the task ran inline (the limit reached).
    const inline = io.async(add, 1, 2);
    expect(keptOutcome(inline)).toEqual({ ok: true, value: 3 });
    t.deinit();
    expect(value.settled).toBe(true);
    value.requestCancel(io); // nothing left to cancel
    expect(value.await(io)).toBe(30);
    expect(value.await(io)).toBe(30);
    const e = thrown(() => failure.await(io));
    expect(e).toBeInstanceOf(IoError);
    expect((e as IoError).code).toBe("FileNotFound");
    expect(canceled.cancel(io)).toBe(30);
    expect(await twice).toBe(30);
    expect(inline.await(io)).toBe(3);
    // select is an io entry, not the future's: it throws as they all do.
    expect(thrown(() => io.select([value]))).toBeInstanceOf(BugError);
  });

  test("after deinit, a result's shared objects revive and its memory outside the heap is freed", () => {
    const probe = init({ asyncLimit: 0 });
    const before = probe.memoryStats().outside.liveBlocks;
    const t = Threaded.init({ asyncLimit: 1 });
    const io = t.io();
    const g = Group.init(io);
    const f = io.async(lateBytesAndGroup, io, g, 4 << 20, 30);
    expect(keptOutcome(f)).toBeUndefined();
    t.deinit();
    const r = f.await(io) as { g: Group; bytes: Uint8Array };
    expect(r.g).toBeInstanceOf(Group);
    expect(r.bytes.length).toBe(4 << 20);
    expect(r.bytes[(4 << 20) - 1]).toBe(7);
    expect(probe.memoryStats().outside.liveBlocks).toBe(before);
  });

  test("an attached thread's futures answer after its detach, waiting while the owner goes on", async () => {
    const t = init({ asyncLimit: 3 });
    const attached = Threaded.attach(t.handle());
    const aio = attached.io();
    const f = aio.async(sleepFor, aio, 20);
    const g = aio.async(sleepFor, aio, 30);
    const h = aio.async(sleepFor, aio, 40);
    for (const x of [f, g, h]) expect(keptOutcome(x)).toBeUndefined();
    attached.deinit();
    // Not through another instance's io: its own is detached here.
    const other = thrown(() => g.await(t.io()));
    expect(other).toBeInstanceOf(BugError);
    expect((other as Error).message).toContain("Future belongs to another Threaded instance");
    // The pool still runs them: the live entries wait, blocking or not.
    expect(f.await(aio)).toBe(20);
    expect(await g).toBe(30);
    // Once the owner has joined it too, from the closed heap.
    t.deinit();
    expect(h.settled).toBe(true);
    expect(h.await(aio)).toBe(40);
  });
});
