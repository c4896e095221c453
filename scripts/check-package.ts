// Checks the package as a user gets it, for .ci/run ("package" block):
//   bun scripts/check-package.ts
// 1. `npm pack` (its prepack builds the .d.ts declarations into types/ and
//    the bundle into dist/, which the package's exports point at) and the
//    tarball's file list;
// 2. the tarball installed into a temporary consumer project (the files of
//    spec/fixtures/consumer), type-checked with 0 errors under the tsconfig
//    `bun init` writes, the one `tsc --init` writes (module nodenext) and
//    strict + noUncheckedIndexedAccess + exactOptionalPropertyTypes +
//    noImplicitOverride without skipLibCheck;
// 3. importing the package under Node.js (`import` and `require`) fails with
//    one clear error: threaded-io needs Bun >= 1.4;
// 4. the installed command prints its help, and the consumer's program runs
//    under Bun from the installed package;
// 5. `npm install` leaves package-lock.json as committed.
// Prints "ok - ..." or "not ok - ..." per check, then
// "package: N passed, N failed"; exits 1 when any failed.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const root = join(import.meta.dir, "..");
const fixture = join(root, "spec", "fixtures", "consumer");
const tsc = join(root, "node_modules", ".bin", "tsc");
const nodeNeedsBun = "threaded-io needs Bun >= 1.4";
/** The consumer's compiler settings: bun init's, tsc --init's, the strictest. */
const configs = ["tsconfig.bun-init.json", "tsconfig.tsc-init.json", "tsconfig.strict.json"];

let passed = 0;
let failed = 0;
function check(name: string, ok: boolean, detail = ""): boolean {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok" : "not ok"} - ${name}`);
  if (!ok && detail !== "") console.log(detail.replace(/^/gm, "    "));
  return ok;
}

interface Ran {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

function sh(cmd: string[], cwd: string, timeoutMs = 120_000): Ran {
  const p = Bun.spawnSync(cmd, { cwd, stdout: "pipe", stderr: "pipe", timeout: timeoutMs });
  return {
    code: p.exitCode ?? -1,
    out: p.stdout.toString(),
    err: p.stderr.toString(),
  };
}

const detail = (r: Ran) => (r.out + r.err).trim().split("\n").slice(-30).join("\n");
const npmQuiet = ["--no-audit", "--no-fund", "--loglevel=error"];

const tmp = mkdtempSync(join(tmpdir(), "tio-package-"));
try {
  // 1. Pack.
  const pack = sh(["npm", "pack", "--json", "--pack-destination", tmp, ...npmQuiet], root);
  let tarball = "";
  let files: string[] = [];
  try {
    const info = JSON.parse(pack.out.slice(pack.out.indexOf("["))) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = join(tmp, info[0]!.filename);
    files = info[0]!.files.map((f) => f.path);
  } catch {
    // reported below
  }
  if (
    check(
      "npm pack builds the declarations and packs",
      pack.code === 0 && tarball !== "",
      detail(pack),
    )
  ) {
    const must = [
      "types/index.d.ts",
      "dist/index.js",
      "dist/pool_thread.js",
      "dist/pool_thread_mark.js",
      "dist/spawn_host_thread.js",
      "lib/index.ts",
      "lib/node.cjs",
      "shim/tio.c",
      "bin/threaded-io.ts",
      "README.md",
      "CHANGELOG.md",
      "LICENSE",
      "docs/API.md",
      "docs/ARCHITECTURE.md",
      "examples/demo.ts",
      "bench/charts/pool.svg",
    ];
    const missing = must.filter((f) => !files.includes(f));
    const extra = files.filter(
      (f) =>
        /^(spec|scripts|\.ci)\//.test(f) ||
        (f.startsWith("bench/") && !f.startsWith("bench/charts/") && f !== "bench/RESULTS.md"),
    );
    check(
      "the tarball holds the bundle, sources, declarations, shim, CLI, docs, examples, charts, license and changelog, and no tests",
      missing.length === 0 && extra.length === 0,
      `missing: ${missing.join(", ") || "none"}; unexpected: ${extra.join(", ") || "none"}`,
    );
    // Every relative link and image of the README resolves inside the
    // package, as an installed user (or a registry page) sees it.
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1]!.split("#")[0]!)
      .filter((l) => l !== "" && !/^[a-z]+:/.test(l));
    const broken = links.filter(
      (l) => !files.some((f) => f === l || f.startsWith(l.endsWith("/") ? l : `${l}/`)),
    );
    check(
      "every relative link in README.md points into the tarball",
      links.length > 0 && broken.length === 0,
      `broken: ${[...new Set(broken)].join(", ")}`,
    );
  }

  // 2. A consumer project with the tarball installed.
  const consumer = join(tmp, "consumer");
  mkdirSync(consumer);
  for (const f of ["main.ts", "tasks.ts", ...configs]) cpSync(join(fixture, f), join(consumer, f));
  await Bun.write(
    join(consumer, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  const install =
    tarball === ""
      ? { code: 1, out: "", err: "no tarball" }
      : sh(["npm", "install", "--offline", "--ignore-scripts", ...npmQuiet, tarball], consumer);
  // Bun's types as `bun add -d @types/bun` would give them, from this
  // repository's install (so the check needs no network).
  mkdirSync(join(consumer, "node_modules", "@types"), { recursive: true });
  symlinkSync(
    join(root, "node_modules", "bun-types"),
    join(consumer, "node_modules", "@types", "bun"),
  );
  if (check("the tarball installs into a consumer project", install.code === 0, detail(install))) {
    for (const config of configs) {
      const r = sh([tsc, "--noEmit", "-p", config], consumer);
      check(`a consumer type-checks with 0 errors (${config})`, r.code === 0, detail(r));
    }

    // 3. Node.js: one clear error, for import and for require.
    for (const [how, args] of [
      ["import", ["--input-type=module", "-e", 'import "threaded-io";']],
      ["require", ["-e", 'require("threaded-io");']],
    ] as const) {
      const r = sh(["node", ...args], consumer);
      const lines = r.err.split("\n").filter((l) => l.includes(nodeNeedsBun));
      check(
        `Node.js ${how} fails with "${nodeNeedsBun}"`,
        r.code !== 0 && lines.length > 0 && !r.err.includes("ERR_UNKNOWN_FILE_EXTENSION"),
        detail(r),
      );
    }

    // The installed command, as `bunx threaded-io` runs it.
    const bin = join(consumer, "node_modules", ".bin", "threaded-io");
    const path = `${dirname(process.execPath)}:${process.env.PATH ?? ""}`;
    const help = Bun.spawnSync([bin, "--help"], {
      cwd: consumer,
      env: { ...process.env, PATH: path },
      stdout: "pipe",
      stderr: "pipe",
    });
    check(
      "the installed threaded-io command prints its help",
      help.exitCode === 0 && help.stdout.toString().startsWith("usage: threaded-io resolve"),
      help.stdout.toString() + help.stderr.toString(),
    );

    // 4. The consumer's program under Bun, from the installed package.
    const run = sh([process.execPath, "main.ts"], consumer, 60_000);
    check(
      "the consumer program runs under Bun from the installed package",
      run.code === 0 && run.out.includes("consumer: ok"),
      detail(run),
    );
  }

  // 5. A fresh clone's `npm install` must not rewrite the lockfile.
  const lock = join(tmp, "lock");
  mkdirSync(lock);
  for (const f of ["package.json", "package-lock.json"]) cpSync(join(root, f), join(lock, f));
  const relock = sh(
    ["npm", "install", "--package-lock-only", "--offline", "--ignore-scripts", ...npmQuiet],
    lock,
  );
  const same =
    readFileSync(join(lock, "package-lock.json"), "utf8") ===
    readFileSync(join(root, "package-lock.json"), "utf8");
  check(
    "npm install leaves package-lock.json as committed",
    relock.code === 0 && same,
    relock.code === 0 ? "package-lock.json differs after npm install" : detail(relock),
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

console.log(`package: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
