// The README's quick start and "A taste" run as written, from a scratch
// directory where `threaded-io` resolves to this checkout, and print what
// their comments say (each `console.log(...); // expected` line).
import { afterAll, expect, test } from "bun:test";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./helpers/tmp.ts";

const root = join(import.meta.dir, "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const scratch = tempDir("tio-readme-");
mkdirSync(join(scratch.path, "node_modules"));
symlinkSync(root, join(scratch.path, "node_modules", "threaded-io"));
afterAll(() => scratch.remove());

/** The block whose first line names `file` (e.g. "// tasks.ts"). */
function block(file: string): string {
  const b = blocks.find((text) => text.startsWith(`// ${file}`));
  if (b === undefined) throw new Error(`README has no block starting "// ${file}"`);
  writeFileSync(join(scratch.path, file), b);
  return b;
}

/** What the `console.log(...); // comment` lines promise, in order. The
 * comment runs to a colon or the end of the line. */
function promised(source: string): string[] {
  return [...source.matchAll(/console\.log\(.*\);\s*\/\/ ([^:\n]+)/g)].map((m) => m[1].trim());
}

async function run(file: string): Promise<{ code: number; out: string[]; err: string }> {
  const p = Bun.spawn([process.execPath, file], {
    cwd: scratch.path,
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => p.kill(), 20_000);
  const [out, err] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
  ]);
  clearTimeout(timer);
  return { code: await p.exited, out: out.trimEnd().split("\n"), err };
}

test("the quick start's single file runs and prints what it says", async () => {
  const src = block("hello.ts");
  const r = await run("hello.ts");
  expect(r.err).toBe("");
  expect(r.out).toEqual(promised(src));
  expect(r.code).toBe(0);
}, 30_000);

test('"A taste" runs and prints what its comments say', async () => {
  block("tasks.ts");
  const src = block("main.ts");
  const r = await run("main.ts");
  expect(r.err).toBe("");
  expect(r.out).toEqual(promised(src));
  expect(r.code).toBe(0);
}, 30_000);
