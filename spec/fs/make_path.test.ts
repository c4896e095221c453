// makePath ends on every input (lib/fs/dir.ts): Zig's loop cycled forever
// between "/proc" (exists) and "/proc/x" (mkdir: FileNotFound).
import { afterAll, expect, test } from "bun:test";
import { IoError, Threaded } from "../../lib/index.ts";
import { makePathTask } from "../fixtures/tasks.ts";

const t = Threaded.init();
const io = t.io();
afterAll(() => t.deinit());

test("makePath on /proc/x/y fails with the mkdir error within a second", async () => {
  // On a pool thread, so a loop that never ends is canceled, not hung on.
  const f = io.concurrent(makePathTask, io, "/proc/x/y");
  const outcome = f.awaitAsync().then(
    () => "created",
    (e: unknown) => e,
  );
  let timer: Timer | undefined;
  const late = new Promise<"late">((r) => (timer = setTimeout(() => r("late"), 1000)));
  const first = await Promise.race([outcome, late]);
  clearTimeout(timer);
  if (first === "late") {
    f.cancelOn(AbortSignal.abort());
    await outcome;
  }
  expect(first).toBeInstanceOf(IoError);
  const e = first as IoError;
  expect(e.code).toBe("FileNotFound");
  expect(e.path).toBe("/proc/x");
});
