// The demo and every example run to completion in their own process and
// print what they promise (so the README's programs stay working).
import { expect, test } from "bun:test";
import { join } from "node:path";
import { scaled } from "./helpers/time_scale.ts";

const root = join(import.meta.dir, "..");

async function run(file: string, ...args: string[]): Promise<{ code: number; out: string }> {
  const p = Bun.spawn([process.execPath, join(root, "examples", file), ...args], {
    stdout: "pipe",
    stderr: "pipe",
    cwd: root,
  });
  const timer = setTimeout(() => p.kill(), scaled(20_000));
  const [out, err] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
  ]);
  clearTimeout(timer);
  const code = await p.exited;
  return { code, out: out + err };
}

const cases: [string, string[], RegExp][] = [
  ["demo.ts", [], /deinit\s+every pool thread joined/],
  ["parallel_map.ts", [], /sum of squares: 13313340000000/],
  ["timeout.ts", [], /slow work, 50 ms limit: timeout/],
  ["abort_signal.ts", [], /task saw: aborted: Canceled/],
  ["producer_consumer.ts", [], /produced 100, .* sum of squares 338350/],
  ["resolve.ts", ["localhost"], /canonical name: localhost/],
  ["shared_bytes.ts", [], /read 8388608 bytes into shared memory; sums agree: true/],
  ["server.ts", ["--seconds", "0.3"], /shut down: every connection task canceled and joined/],
  ["tree_hash.ts", [], /\d+ files under [\s\S]*single-threaded digest matches: true/],
  [
    "http_service.ts",
    ["--seconds", "0.5"],
    /served [1-9]\d* requests, 1 distinct digest\(s\)\nstopped: server closed, pool joined/,
  ],
  [
    "http_service.ts",
    ["--seconds", "0.5", "--queue-fed"],
    /queue-fed workers[\s\S]*served [1-9]\d* requests, 1 distinct digest\(s\)\nstopped/,
  ],
  [
    "thread_per_connection.ts",
    [],
    /10 of 10 clients echoed[\s\S]*back to the accept thread only: true\nstopped/,
  ],
  ["thread_per_connection.ts", ["--clients", "6", "--limit", "4"], /3 of 6 clients echoed/],
];

for (const [file, args, want] of cases) {
  test(
    `examples/${file} ${args.join(" ")} runs`,
    async () => {
      const r = await run(file, ...args);
      expect(r.out).toMatch(want);
      expect(r.code).toBe(0);
    },
    scaled(30_000),
  );
}
