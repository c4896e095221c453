// A task that kills its pool thread must not leave its awaiter waiting: the
// future fails with a clear error, the pool replaces the thread, and deinit
// still joins.
import { afterEach, describe, expect, test } from "bun:test";
import { Group, IoError, Threaded } from "../../lib/index.ts";
import { add, exitThread, threadId, throwLater } from "../fixtures/tasks.ts";
import { reapCheckNs } from "../../lib/threaded/reaper.ts";

let t: Threaded | undefined;
afterEach(() => {
  t?.deinit();
  if (t) expect(t.poolStats().threads).toBe(0);
  t = undefined;
});

function failure(f: () => unknown): string {
  try {
    f();
    return "no error";
  } catch (e) {
    return e instanceof IoError ? `${e.code}: ${e.message}` : String(e);
  }
}

test("process.exit inside a task fails its future; the next task gets a new thread", () => {
  t = Threaded.init({ asyncLimit: 1 });
  const io = t.io();
  const first = io.async(threadId).await(io);
  expect(failure(() => io.async(exitThread).await(io))).toMatch(
    /^Unexpected: .*the pool thread running this task exited/,
  );
  const second = io.async(threadId).await(io);
  expect(second).not.toBe(first);
  expect(io.async(add, 2, 2).await(io)).toBe(4);
  expect(t.poolStats().spawnedTotal).toBe(2);
});

test("an uncaught error in a callback the task left behind fails its future (async await)", async () => {
  t = Threaded.init({ asyncLimit: 1 });
  const io = t.io();
  let err: unknown;
  try {
    await io.async(throwLater);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(IoError);
  expect((err as IoError).message).toContain("exited before it finished");
  expect(await io.async(add, 1, 1)).toBe(2);
});

test("a group member that exits makes group.wait throw, and the others still finish", () => {
  t = Threaded.init({ asyncLimit: 3 });
  const io = t.io();
  using g = Group.init(io);
  g.concurrent(io, add, 1, 1);
  g.concurrent(io, exitThread);
  g.concurrent(io, add, 2, 2);
  expect(failure(() => g.wait(io))).toMatch(/exited before it finished/);
});

test("deinit joins even when a fire-and-forget task killed its thread", () => {
  t = Threaded.init({ asyncLimit: 1 });
  const io = t.io();
  io.async(exitThread); // never awaited
  // afterEach: deinit must return, with no thread left
});

// Bun ends a Worker's children with it: a pool thread started from a user's
// Worker (through Threaded.attach) dies idle when that Worker ends, and
// nothing of its own fails. The pool counted it idle, so later work was
// queued for it and never ran (a newcomer's program hung).
describe("a pool thread that died idle, with the user's Worker that started it", () => {
  for (const how of ["exit", "close"] as const) {
    for (const wait of ["await(io)", "await future"] as const) {
      test(`Worker ${how}, then ${wait}: the task runs on a new thread`, async () => {
        t = Threaded.init({ asyncLimit: 1 });
        const io = t.io();
        const w = new Worker(new URL("../fixtures/attach_exit_worker.ts", import.meta.url).href);
        const closed = new Promise((r) => w.addEventListener("close", r));
        const got = new Promise((r) => (w.onmessage = (e) => r(e.data)));
        w.postMessage({ handle: t.handle(), how });
        expect(await got).toBe(5);
        await closed;
        const spawned = t.poolStats().spawnedTotal;
        const f = io.concurrent(add, 20, 22);
        expect(wait === "await(io)" ? f.await(io) : await f).toBe(42);
        expect(t.poolStats().spawnedTotal).toBe(spawned + 1);
      });
    }
  }
});

test("a blocking wait looks for a dead thread after 100 ms, then less often, at least every 800 ms", () => {
  // Rounds past 24 (a wait of 20 s) once overflowed a 32-bit shift.
  const ms = [0, 1, 2, 3, 4, 10, 25, 32, 1e6].map((r) => Number(reapCheckNs(r) / 1_000_000n));
  expect(ms).toEqual([100, 200, 400, 800, 800, 800, 800, 800, 800]);
});
