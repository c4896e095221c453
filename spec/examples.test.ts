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
  ["server.ts", ["--seconds", "0.3"], /shut down: every connection task canceled and joined/],
];

for (const [file, args, want] of cases) {
  test(
    `examples/${file} runs`,
    async () => {
      const r = await run(file, ...args);
      expect(r.out).toMatch(want);
      expect(r.code).toBe(0);
    },
    scaled(30_000),
  );
}
