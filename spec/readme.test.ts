// The README's quick start and "A taste" run as written, from a scratch
// directory where `threaded-io` resolves to this checkout, and print what
// their comments say (each `console.log(...); // expected` line).
import { afterAll, expect, test } from "bun:test";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./helpers/tmp.ts";
import { scaled } from "./helpers/time_scale.ts";

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
  const timer = setTimeout(() => p.kill(), scaled(20_000));
  const [out, err] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
  ]);
  clearTimeout(timer);
  return { code: await p.exited, out: out.trimEnd().split("\n"), err };
}

test(
  "the quick start's single file runs and prints what it says",
  async () => {
    const src = block("hello.ts");
    const r = await run("hello.ts");
    expect(r.err).toBe("");
    expect(r.out).toEqual(promised(src));
    expect(r.code).toBe(0);
  },
  scaled(30_000),
);

test(
  '"A taste" runs and prints what its comments say',
  async () => {
    block("tasks.ts");
    const src = block("main.ts");
    const r = await run("main.ts");
    expect(r.err).toBe("");
    expect(r.out).toEqual(promised(src));
    expect(r.code).toBe(0);
  },
  scaled(30_000),
);

// What an installed user gets is package.json's "files": the README's
// links to docs/, examples/ and the bench charts were broken there.
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  files: string[];
  devDependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};
const shipped = (path: string) =>
  pkg.files.some((f) => path === f || path.startsWith(`${f}/`) || f.startsWith(`${path}/`));

test("every relative link of the README (and of what it links to) is shipped in the package", () => {
  const links = (file: string) =>
    [...readFileSync(join(root, file), "utf8").matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1].split("#")[0])
      .filter((l) => l !== "" && !/^[a-z]+:/.test(l))
      .map((l) => join(file, "..", l).replace(/\/$/, ""));
  const fromReadme = links("README.md");
  expect(fromReadme).toContain("docs/API.md");
  const all = [...fromReadme, ...fromReadme.filter((l) => l.endsWith(".md")).flatMap(links)];
  expect(all.filter((l) => !shipped(l))).toEqual([]);
});

test("@types/bun is an optional peer dependency matching the bun-types the package is built with", () => {
  expect(pkg.peerDependencies?.["@types/bun"]).toBe(`^${pkg.devDependencies["bun-types"]}`);
  expect(pkg.peerDependenciesMeta?.["@types/bun"]?.optional).toBe(true);
  expect(readme).toContain("bun add -d @types/bun");
  // One install command, in Install.
  expect(readme.split("bun add threaded-io").length - 1).toBe(1);
});
