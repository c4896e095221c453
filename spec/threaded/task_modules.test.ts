// How pool threads load a task's module (lib/substrate/tasks.ts): a
// single-file program and a test file that define their own tasks work, and
// never make a pool per pool thread (which once ran away: 28 → 155 threads).
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { scaled } from "../helpers/time_scale.ts";

const root = join(import.meta.dir, "..", "..");
const programs = join(root, "spec", "fixtures", "programs");

// What `bun -e` or a script on standard input runs: a task defined there.
const EVAL_TASK =
  `import { task } from ${JSON.stringify(join(root, "lib", "index.ts"))};\n` +
  "try { task(import.meta, function f() {}); console.log('registered'); }\n" +
  "catch (e) { console.log(`${e.name}: ${e.message}`); }\n";

/** Runs `args` in a child Bun, sampling its thread count until it exits. */
async function run(args: string[]): Promise<{ code: number; out: string; maxThreads: number }> {
  const p = Bun.spawn([process.execPath, ...args], { stdout: "pipe", stderr: "pipe" });
  let maxThreads = 0;
  const sample = setInterval(() => {
    try {
      const m = /Threads:\s+(\d+)/.exec(readFileSync(`/proc/${p.pid}/status`, "utf8"));
      if (m) maxThreads = Math.max(maxThreads, Number(m[1]));
    } catch {
      // exited between samples
    }
  }, 5);
  const timer = setTimeout(() => p.kill(), scaled(10_000));
  const [out, err] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
  ]);
  const code = await p.exited;
  clearTimeout(timer);
  clearInterval(sample);
  return { code, out: out + err, maxThreads };
}

// A bare Bun process has 3 threads, Threaded.init() adds the watchdog and
// Bun's own helpers (6), each pool thread 1–2 more.
const THREAD_LIMIT = 24;

test(
  "a single-file program runs its body once and ends",
  async () => {
    const r = await run(["run", join(programs, "single_file.ts")]);
    const lines = r.out.split("\n");
    expect(lines.slice(0, 2)).toEqual(["program starts", "results 6765,10946,17711,28657,46368"]);
    const m = /^pool (\d+) threads (\d+)$/.exec(lines[2])!;
    expect(lines.slice(3)).toEqual([""]);
    expect(Number(m[1])).toBeLessThanOrEqual(5);
    expect(Number(m[2])).toBeLessThan(THREAD_LIMIT);
    expect(r.maxThreads).toBeLessThan(THREAD_LIMIT);
    expect(r.code).toBe(0);
  },
  scaled(15_000),
);

test(
  "an async main's catch-print-exit does not act on the pool thread, nor its logs print again",
  async () => {
    const r = await run(["run", join(programs, "async_main.ts")]);
    expect(r.out).toBe("top level\nmain starts\nfib 6765\n");
    expect(r.code).toBe(0);
  },
  scaled(15_000),
);

test(
  "a task defined below Threaded.init() fails with advice, spawning nothing more",
  async () => {
    const r = await run(["run", join(programs, "misordered.ts")]);
    expect(r.out).toContain(
      'TypeError: Task "late" is defined below the first Threaded.init() of "file://',
    );
    expect(r.out).toContain("run the program under `if (import.meta.main)`");
    expect(r.out).toContain("pool 1\n");
    expect(r.maxThreads).toBeLessThan(THREAD_LIMIT);
    expect(r.code).toBe(0);
  },
  scaled(15_000),
);

test(
  "a task registered inside main() fails with advice to register it at the top level",
  async () => {
    const r = await run(["run", join(programs, "task_in_function.ts")]);
    expect(r.out).toContain('TypeError: Task "nap" is not registered by module "file://');
    expect(r.out).toContain("must run at the module's top level, not inside a function");
    expect(r.code).toBe(0);
  },
  scaled(15_000),
);

test(
  "tasks defined in a bun test file run",
  async () => {
    const r = await run(["test", join(programs, "test_file_tasks.ts")]);
    expect(r.out).toContain(" 2 pass");
    expect(r.out).toContain(" 0 fail");
    expect(r.maxThreads).toBeLessThan(THREAD_LIMIT);
    expect(r.code).toBe(0);
  },
  scaled(15_000),
);

test(
  "a task registered through another copy of the library names both copies",
  async () => {
    const r = await run(["run", join(programs, "two_copies", "main.ts")]);
    expect(r.out).toContain(
      'TypeError: Task "fib" of module "file://' +
        `${join(programs, "two_copies", "tasks.ts")}" was registered through another copy of ` +
        `threaded-io (${join(root, "lib", "index.ts")}) than the one running this pool ` +
        `(${join(root, "dist", "index.js")})`,
    );
    expect(r.out).toContain("Import threaded-io from one place");
    expect(r.code).toBe(0);
  },
  scaled(15_000),
);

test(
  "a task module importing the module that makes the pool: the error names that module",
  async () => {
    const r = await run(["run", join(programs, "imported_pool", "main.ts")]);
    expect(r.out).toContain(
      `TypeError: Task "work" of "file://${join(programs, "imported_pool", "work.ts")}" is not ` +
        "available on a pool thread: loading that module ran Threaded.init() at the top level " +
        `of "${join(programs, "imported_pool", "pool.ts")}" (`,
    );
    expect(r.out).toContain("create the pool under `if (import.meta.main)` or lazily");
    expect(r.out).not.toContain("Define tasks above it");
    expect(r.code).toBe(0);
  },
  scaled(15_000),
);

for (const [how, args, stdin] of [
  ["bun -e", ["-e", EVAL_TASK], undefined],
  ["standard input", ["run", "-"], EVAL_TASK],
] as const) {
  test(`task() in code from ${how} is refused at once`, async () => {
    const p = Bun.spawn([process.execPath, ...args], {
      cwd: programs,
      stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
      stdout: "pipe",
      stderr: "pipe",
    });
    const out = (await new Response(p.stdout).text()) + (await new Response(p.stderr).text());
    expect(await p.exited).toBe(0);
    expect(out).toContain(
      'TypeError: Task "f" is defined in code given to `bun -e` or on standard input',
    );
    expect(out).toContain("a task needs a module file");
  });
}

test(
  "another copy's Threaded.init() in a task module's import stops the load too",
  async () => {
    const r = await run(["run", join(programs, "two_copies", "main_pool_import.ts")]);
    expect(r.out).toContain(
      `is not available on a pool thread: loading that module ran Threaded.init() at the top ` +
        `level of "${join(programs, "two_copies", "lib_pool.ts")}"`,
    );
    expect(r.maxThreads).toBeLessThan(THREAD_LIMIT);
    expect(r.code).toBe(0);
  },
  scaled(15_000),
);
