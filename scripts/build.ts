// The package's bundle: `bun scripts/build.ts [outdir]` (npm's prepack runs
// it) writes dist/index.js, the whole library as one ES module, the pool
// thread's entry (dist/pool_thread.js, which imports dist/index.js) and the
// spawn host's (dist/spawn_host_thread.js, standalone).
//
// Why a bundle: from a fresh process to the first task's result, loading the
// 94 TypeScript modules on the main thread and again on the first pool thread
// took most of the time (source 92–111 ms against tinypool's 50–56 ms; the
// bundle 68–73 ms, one run each), and each pool thread's RSS is 1 MiB lower
// (5.1 against 4.2 MiB per thread; tinypool's 3.6). Not minified: names
// must survive (task functions are found by name, errors name their
// classes), and a user's stack trace should be readable.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const outdir = process.argv[2] ?? join(root, "dist");

mkdirSync(outdir, { recursive: true });
const built = await Bun.build({
  entrypoints: [join(root, "lib", "index.ts")],
  outdir,
  target: "bun",
  format: "esm",
  naming: "[name].[ext]",
  // lib/bundle.ts: paths relative to dist/ rather than lib/.
  define: { TIO_BUNDLE: "true" },
});
if (!built.success) {
  for (const log of built.logs) console.error(log);
  process.exit(1);
}
// The spawn host's thread (lib/threaded/spawn_host_thread.ts): a module of
// its own, so that the host loads only it and the heap's layout.
const host = await Bun.build({
  entrypoints: [join(root, "lib", "threaded", "spawn_host_thread.ts")],
  outdir,
  target: "bun",
  format: "esm",
  naming: "[name].[ext]",
});
if (!host.success) {
  for (const log of host.logs) console.error(log);
  process.exit(1);
}
// lib/pool_thread.ts and lib/pool_thread_mark.ts, pointing at the bundle.
writeFileSync(
  join(outdir, "pool_thread_mark.js"),
  "// Marks this thread as a pool thread (lib/pool_thread_mark.ts).\n" +
    'globalThis[Symbol.for("threaded-io.poolThread")] = true;\n',
);
writeFileSync(
  join(outdir, "pool_thread.js"),
  "// A pool thread's entry module (lib/pool_thread.ts): the mark first, then the library.\n" +
    'import "./pool_thread_mark.js";\nimport "./index.js";\n',
);
console.log(`built ${join(outdir, "index.js")} (${built.outputs[0]!.size} bytes)`);
