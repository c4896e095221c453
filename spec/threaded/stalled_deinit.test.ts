// threaded.deinit() joins the pool: a task that never ends holds it up.
// It held it up silently, until the program was killed; now, after a while
// (5 s; 200 ms here), it names the tasks still running on stderr.
import { expect, test } from "bun:test";
import { scaled } from "../helpers/time_scale.ts";

const child = new URL("../fixtures/stalled_deinit.ts", import.meta.url).pathname;

test("a deinit waiting for tasks names them on stderr, then returns when they end", () => {
  const p = Bun.spawnSync([process.execPath, child, "200", String(scaled(1000))], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const err = p.stderr.toString();
  expect(err).toMatch(
    /^threaded-io: threaded\.deinit\(\) has waited \d+\.\d s for 2 tasks still running \(napFor \(×2\)\)\. deinit joins the pool: it waits for every task to end\. Cancel or await them first/,
  );
  expect(err.match(/has waited/g)?.length).toBe(1); // once, then every minute
  expect(p.stdout.toString()).toMatch(/^deinit returned after \d+ ms/);
  expect(p.exitCode).toBe(0);
});

test("a deinit that does not wait long says nothing", () => {
  const p = Bun.spawnSync([process.execPath, child, String(scaled(5000)), "50"], {
    stdout: "pipe",
    stderr: "pipe",
  });
  expect(p.stderr.toString()).toBe("");
  expect(p.exitCode).toBe(0);
});

test("a LIVE count left one high with no thread behind it does not hold deinit for good", () => {
  const p = Bun.spawnSync(
    [process.execPath, new URL("../fixtures/phantom_live.ts", import.meta.url).pathname],
    {
      stdout: "pipe",
      stderr: "pipe",
      timeout: scaled(10_000),
    },
  );
  expect(p.stdout.toString()).toMatch(/^deinit returned after \d+ ms/);
  expect(p.exitCode).toBe(0);
});
