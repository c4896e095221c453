// Work in flight keeps the process alive; an idle pool does not. Each case
// is a child process whose script ends with `main().catch(console.error)`
// and nothing else pending on its event loop (the first program people
// write), and which never calls deinit.
import { afterAll, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../helpers/tmp.ts";
import { scaled } from "../helpers/time_scale.ts";

const child = join(import.meta.dir, "..", "fixtures", "keep_alive_child.ts");
const dir = tempDir("tio-keepalive-");
afterAll(() => dir.remove());

/** Runs the child; resolves with its exit code and what it wrote (null when
 * the file was never created). Killed after 10 s (scaled under emulation): a hang fails the test. */
async function run(
  mode: string,
): Promise<{ code: number | null; wrote: string | null; err: string }> {
  const out = join(dir.path, mode.replace(/\W/g, "_"));
  const p = Bun.spawn([process.execPath, child, mode, out], { stdout: "pipe", stderr: "pipe" });
  const killer = setTimeout(() => p.kill(), scaled(10_000));
  const code = await p.exited;
  clearTimeout(killer);
  const err = await new Response(p.stderr).text();
  return { code, wrote: existsSync(out) ? readFileSync(out, "utf8") : null, err };
}

test("an awaited task, awaitAsync, a group.waitAsync, lockAsync and getOneAsync keep the process alive until they finish", async () => {
  const results = await Promise.all(
    ["await", "awaitAsync", "group", "mutex", "queue"].map((m) => run(m)),
  );
  expect(results.map((r) => r.wrote)).toEqual([
    "awaited",
    "awaitAsync",
    "group",
    "mutex",
    "queue 7",
  ]);
  for (const r of results) {
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
  }
});

test("a task or a group member started and never awaited still finishes before exit", async () => {
  const results = await Promise.all(["unawaited", "group-unwaited"].map((m) => run(m)));
  expect(results.map((r) => r.wrote)).toEqual(["unawaited", "group-unwaited"]);
  for (const r of results) expect(r.code).toBe(0);
});

test("a group made in the block of one freed on a pool thread still keeps the process alive", async () => {
  const r = await run("group-reused");
  expect(r.wrote).toBe("group-reused");
  expect(r.code).toBe(0);
});

test("a group waited and freed on pool threads lets the process exit, deinit or not", async () => {
  const results = await Promise.all(
    ["group-elsewhere", "group-elsewhere+deinit"].map((m) => run(m)),
  );
  for (const r of results) {
    expect(r.wrote).toBe("group-elsewhere");
    expect(r.err).toBe("");
    expect(r.code).toBe(0); // not killed after 10 s
  }
});

test("an idle pool does not keep the process alive; unref() gives up keeping it alive", async () => {
  const [idle, unref] = await Promise.all([run("idle"), run("unawaited+unref")]);
  expect(idle.wrote).toBe("idle x");
  expect(idle.code).toBe(0);
  // Exited without waiting for the 300 ms task.
  expect(unref.code).toBe(0);
  expect(unref.wrote).toBeNull();
});

test("under unref(), what main() awaits still keeps the process alive", async () => {
  // It exited 0 at the await, silently: the rest of main() never ran.
  const results = await Promise.all(["await+unref", "awaitAsync+unref"].map((m) => run(m)));
  expect(results.map((r) => r.wrote)).toEqual(["awaited", "awaitAsync"]);
  for (const r of results) expect(r.code).toBe(0);
});
