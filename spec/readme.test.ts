// The README's quick start and "A taste" run as written, from a scratch
// directory where `threaded-io` resolves to this checkout, and print what
// their comments say (each `console.log(...); // expected` line).
import { afterAll, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
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

// The directory walk as a user pastes it (over a tree of their own): it
// stopped at the first unreadable directory (the for-of over the walk ended
// at next()'s AccessDenied, though the text says the walk goes on; as a
// non-root user /usr/share/polkit-1/rules.d is one) and at the first file
// deeper than PATH_MAX below the root (root.readFile(entry.path):
// NameTooLong), which even root reaches.
test(
  "the directory walk hashes every file, however deep, and goes on past an unreadable directory",
  async () => {
    const walk = blocks.find((b) => b.includes(".walk(io)"));
    if (walk === undefined) throw new Error("README has no directory-walk block");
    const tree = join(scratch.path, "tree");
    mkdirSync(join(tree, "a/b"), { recursive: true });
    writeFileSync(join(tree, "top"), "top");
    writeFileSync(join(tree, "a/b/mid"), "x".repeat((1 << 20) + 1));
    // 24 levels of 200-byte names: 4,800 bytes, past PATH_MAX (4096).
    const name = "d".repeat(200);
    const deep = join(tree, "deep");
    mkdirSync(deep);
    // No mkdir takes a path that long (nor do Bun's getcwd and dash's cd):
    // bash, one level at a time.
    execFileSync(
      "bash",
      [
        "-c",
        `for i in $(seq 24); do mkdir ${name} && cd ${name} || exit 1; done; echo bottom > bottom`,
      ],
      { cwd: deep },
    );
    let files = 3;
    // Root reads any directory; only another user sees the AccessDenied.
    if (process.getuid?.() !== 0) {
      mkdirSync(join(tree, "locked"));
      writeFileSync(join(tree, "locked/hidden"), "hidden");
      chmodSync(join(tree, "locked"), 0);
    }
    writeFileSync(
      join(scratch.path, "walk.ts"),
      [
        'import { Dir, IoError, Threaded } from "threaded-io";',
        "const threaded = Threaded.init();",
        "const io = threaded.io();",
        "let files = 0;",
        "function hash(bytes: Uint8Array): void {",
        "  files++;",
        "  Bun.CryptoHasher.hash('sha256', bytes);",
        "}",
        walk.replace('"/usr/share"', JSON.stringify(tree)),
        "console.log(files);",
        "threaded.deinit();",
      ].join("\n"),
    );
    try {
      const r = await run("walk.ts");
      expect(r.err).toBe("");
      expect(r.out).toEqual([`${files}`]);
      expect(r.code).toBe(0);
    } finally {
      if (process.getuid?.() !== 0) chmodSync(join(tree, "locked"), 0o755);
    }
  },
  scaled(30_000),
);
