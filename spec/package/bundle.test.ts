// The package's bundle (scripts/build.ts → dist/), as `import "threaded-io"`
// loads it: built into a temporary package directory beside a copy of the
// shim and compared with the committed dist/, then a program imports it and
// runs tasks on pool threads, whose
// entry (dist/pool_thread.js) must load the same dist/index.js as the
// program's task module — one copy of the library per thread.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scaled } from "../helpers/time_scale.ts";

const root = join(import.meta.dir, "..", "..");
let pkg = "";

beforeAll(() => {
  pkg = mkdtempSync(join(tmpdir(), "tio-bundle-"));
  cpSync(join(root, "shim"), join(pkg, "shim"), { recursive: true });
  const build = Bun.spawnSync(
    [process.execPath, join(root, "scripts", "build.ts"), join(pkg, "dist")],
    {
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  if (build.exitCode !== 0) throw new Error(`build failed: ${build.stderr.toString()}`);
  writeFileSync(
    join(pkg, "tasks.ts"),
    `import { Dir, IoError, task, type Io, type Queue } from "./dist/index.js";
export const square = task(import.meta, function square(n: number): number { return n * n; });
export const openMissing = task(import.meta, function openMissing(io: Io): unknown {
  try { Dir.cwd().openFile(io, "does-not-exist"); return null; }
  catch (e) { if (e instanceof IoError) return e; throw e; }
});
export const sum = task(import.meta, function sum(io: Io, q: Queue<number>, n: number): number {
  let s = 0; for (let i = 0; i < n; i++) s += q.getOne(io); return s;
});
`,
  );
  writeFileSync(
    join(pkg, "main.ts"),
    `import { Canceled, Duration, Future, IoError, Queue, Threaded } from "./dist/index.js";
import { openMissing, square, sum } from "./tasks.ts";
import { task, type Io } from "./dist/index.js";
const nap = task(import.meta, function nap(io: Io): number { io.sleep(Duration.fromSeconds(60)); return 0; });
const t = Threaded.init({ asyncLimit: 2 });
const io = t.io();
const out: Record<string, unknown> = {};
out.squares = [1, 2, 3].map((n) => io.concurrent(square, n)).map((f) => f.await(io));
const e = io.concurrent(openMissing, io).await(io);
out.error = [e instanceof IoError, (e as IoError).code, (e as Error).constructor.name];
const q = Queue.init<number>(io, 2);
const s = io.concurrent(sum, io, q, 5);
for (let i = 1; i <= 5; i++) q.putOne(io, i);
out.sum = s.await(io);
const n = io.concurrent(nap, io);
try { n.cancel(io); out.cancel = "returned"; } catch (x) { out.cancel = x instanceof Canceled ? "Canceled" : String(x); }
out.names = [Threaded.name, Future.name, Queue.name];
out.threads = t.stats().threads.spawnedTotal > 0;
t.deinit();
console.log(JSON.stringify(out));
`,
  );
});

afterAll(() => rmSync(pkg, { recursive: true, force: true }));

// dist/ is committed, so that a checkout works as a dependency without a
// build step (`file:` links, git installs, this repository's own specs);
// npm pack builds it again.
test("the committed dist/ is what scripts/build.ts writes from lib/", () => {
  for (const f of ["index.js", "pool_thread.js", "pool_thread_mark.js"]) {
    const fresh = readFileSync(join(pkg, "dist", f), "utf8");
    const committed = readFileSync(join(root, "dist", f), "utf8");
    if (fresh !== committed) throw new Error(`dist/${f} is stale: run \`bun run build\``);
  }
});

test("a program and its tasks run from the bundle, with names, errors and cancels intact", () => {
  const run = Bun.spawnSync([process.execPath, "main.ts"], {
    cwd: pkg,
    stdout: "pipe",
    stderr: "pipe",
    timeout: scaled(20_000),
  });
  expect(run.stderr.toString()).toBe("");
  expect(run.exitCode).toBe(0);
  expect(JSON.parse(run.stdout.toString())).toEqual({
    squares: [1, 4, 9],
    error: [true, "FileNotFound", "IoError"],
    sum: 15,
    cancel: "Canceled",
    names: ["Threaded", "Future", "Queue"],
    threads: true,
  });
});

test("an app bundle that took the library in says to keep it external", () => {
  // As `bun build app.ts` leaves it: the library's code without its shim/.
  const app = mkdtempSync(join(tmpdir(), "tio-app-bundle-"));
  try {
    cpSync(join(pkg, "dist"), join(app, "out"), { recursive: true });
    writeFileSync(
      join(app, "out", "app.js"),
      'import { Threaded } from "./index.js";\nThreaded.init().deinit();\n',
    );
    const run = Bun.spawnSync([process.execPath, join(app, "out", "app.js")], {
      stdout: "pipe",
      stderr: "pipe",
      timeout: scaled(20_000),
    });
    expect(run.exitCode).not.toBe(0);
    const err = run.stderr.toString();
    expect(err).toContain("threaded-io's C shim is missing");
    expect(err).toContain("bun build --external threaded-io");
    expect(err).not.toContain("libc6-dev");
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
});
