// The cancel signal and the process: handlers are installed once per
// process and restored when the last Threaded (on any thread) is gone, and
// the library's signal never reaches, nor displaces, a user's handler.
// Each case runs in a child process: a wrong handler kills the process
// (the old SIGIO default action: "I/O possible", exit 157).
import { expect, test } from "bun:test";
import { Threaded } from "../../lib/index.ts";
import { signalsInstalled, signalUsers } from "../../lib/threaded/signals.ts";
import { ownPool } from "../fixtures/lifetime_tasks.ts";

function runChild(file: string): { code: number | null; out: string; err: string } {
  const p = Bun.spawnSync(
    [process.execPath, new URL(`../fixtures/${file}`, import.meta.url).pathname],
    {
      timeout: 15_000,
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() };
}

test("a task that creates and destroys its own pool leaves the outer pool's cancel working", () => {
  const r = runChild("nested_pool_cancel.ts");
  expect(r.err).toBe("");
  expect(r.out).toBe("inner pools: 42 42\ncanceled\n");
  expect(r.code).toBe(0);
});

test("user SIGIO handlers, before and after init, keep working and never see cancels", () => {
  const r = runChild("user_signal_handlers.ts");
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out)).toEqual({
    outcomes: ["Canceled", "Canceled", "Canceled"],
    before: 1,
    after: 1,
  });
});

test("the handler count is process-wide: pool threads' instances count too", () => {
  const base = signalUsers();
  const t = Threaded.init({ asyncLimit: 1 });
  expect(signalUsers()).toBe(base + 1);
  const io = t.io();
  expect(io.concurrent(ownPool).await(io)).toBe(42);
  // The task's instance came and went on another thread; ours stands.
  expect(signalUsers()).toBe(base + 1);
  expect(signalsInstalled()).toBe(true);
  t.deinit();
  expect(signalUsers()).toBe(base);
  expect(signalsInstalled()).toBe(base > 0);
});
