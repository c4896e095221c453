// An async main() that awaits before Threaded.init(), in a file that
// defines tasks: a pool thread loading the file runs main() up to its
// await, and the rest went on later on that thread, whose Threaded.init()
// then made a pool there, and so on (a newcomer's program: 57–62 runs and
// 240 threads in 5 s). Now Threaded.init() on a pool thread outside a task
// stops that code silently (lib/substrate/tasks.ts `stopOutsideTask`).
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../helpers/tmp.ts";

const child = new URL("../fixtures/init_after_await.ts", import.meta.url).pathname;

test("the rest of an async main() stops at Threaded.init() on a pool thread, silently", () => {
  const tmp = tempDir("tio-init-after-await-");
  try {
    const log = join(tmp.path, "runs.log");
    const p = Bun.spawnSync([process.execPath, child], {
      env: { ...process.env, TIO_RUNS_LOG: log },
      stdout: "pipe",
      stderr: "pipe",
      timeout: 30_000,
    });
    expect(p.stderr.toString()).toBe(""); // the program's catch printed nothing
    expect(p.stdout.toString()).toBe("squares 1 4 9 16\nafter await 2\nin then done\n");
    expect(p.exitCode).toBe(0);
    const lines = readFileSync(log, "utf8").trim().split("\n");
    // Only the main thread made a pool; each pool thread ran main() up to
    // Threaded.init() once (what README asks to keep above it), no more.
    expect(lines.filter((l) => l.startsWith("pool made"))).toEqual(["pool made, thread 0"]);
    const went = lines.filter((l) => l.startsWith("main went on"));
    expect(new Set(went).size).toBe(went.length);
    expect(went.length).toBeLessThanOrEqual(8);
  } finally {
    tmp.remove();
  }
});
