// Every public export has a doc comment, and docs/API.md (generated from
// them by scripts/gen-api-docs.ts) is current.
import { expect, test } from "bun:test";
import { join } from "node:path";

// The generator drives TypeScript 7's compiler, a native binary installed for
// the host's architecture only (@typescript/typescript-linux-x64 here): the
// emulated arm64 pass has none to run. The docs are the same on every
// platform, so the native pass checks them.
function hasCompiler(): boolean {
  try {
    require.resolve(`@typescript/typescript-${process.platform}-${process.arch}/package.json`);
    return true;
  } catch {
    return false;
  }
}

test.skipIf(!hasCompiler())(
  "every export has a doc comment and docs/API.md is current",
  async () => {
    const p = Bun.spawn(
      [
        process.execPath,
        join(import.meta.dir, "..", "..", "scripts", "gen-api-docs.ts"),
        "--check",
      ],
      { stdout: "pipe", stderr: "pipe" },
    );
    const [out, err] = await Promise.all([
      new Response(p.stdout).text(),
      new Response(p.stderr).text(),
    ]);
    // On failure the message lists each undocumented export, or says to run
    // `bun run docs`.
    expect(err).toBe("");
    expect(out).toContain("0 without a doc comment; docs/API.md current");
    expect(await p.exited).toBe(0);
  },
  60_000,
);

// A private member is left out of the reference, and so is its doc comment:
// left behind, it read as the doc of the next member ("Where deinit writes
// the trace…" above Threaded's `static init`).
test("no private member's doc comment is in docs/API.md", async () => {
  const root = join(import.meta.dir, "..", "..");
  const api = await Bun.file(join(root, "docs", "API.md")).text();
  const privateDoc = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*\n\s*(?:private\b|#\w)/g;
  const found: string[] = [];
  for (const path of new Bun.Glob("lib/**/*.ts").scanSync(root)) {
    const source = await Bun.file(join(root, path)).text();
    for (const m of source.matchAll(privateDoc)) {
      // Its first line, as the .d.ts (and so the reference) would show it.
      const first = m[1]!.split("\n")[0]!.trim();
      if (first.length >= 20) found.push(first);
    }
  }
  expect(found).toContain("Where deinit writes the trace `init({ trace: { path } })` started.");
  expect(found.length).toBeGreaterThan(10);
  expect(found.filter((doc) => api.includes(doc))).toEqual([]);
});
