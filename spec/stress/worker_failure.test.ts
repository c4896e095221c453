// A task that kills its pool thread must not leave its awaiter waiting: the
// future fails with a clear error, the pool replaces the thread, and deinit
// still joins.
import { afterEach, expect, test } from "bun:test";
import { Group, IoError, Threaded } from "../../lib/index.ts";
import { add, exitThread, threadId, throwLater } from "../fixtures/tasks.ts";

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
