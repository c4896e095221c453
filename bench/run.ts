// `bun bench`: runs every bench/*.bench.ts in its own process, one after
// another (they share two cores), each writing bench/results/<area>.json.
import { readdirSync } from "node:fs";
import { join } from "node:path";

const dir = import.meta.dir;
const only = process.argv.slice(2);
const suites = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
let failed = 0;
for (const suite of suites) {
  console.log(`\n== ${suite}`);
  const p = Bun.spawnSync([process.execPath, join(dir, suite)], {
    stdout: "inherit",
    stderr: "inherit",
  });
  if (p.exitCode !== 0) {
    console.error(`${suite} exited with ${p.exitCode}`);
    failed++;
  }
}
// The report: tables and charts from every suite's latest results.
const report = Bun.spawnSync([process.execPath, join(dir, "report.ts")], {
  stdout: "inherit",
  stderr: "inherit",
});
if (report.exitCode !== 0) failed++;
// The tables it wrote, laid out as the repository's formatter wants them
// (CI checks README.md with prettier).
const prettier = join(dir, "..", "node_modules", ".bin", "prettier");
const format = Bun.spawnSync(
  [prettier, "--write", join(dir, "..", "README.md"), join(dir, "RESULTS.md")],
  {
    stdout: "ignore",
    stderr: "inherit",
  },
);
if (format.exitCode !== 0) failed++;
process.exit(failed === 0 ? 0 : 1);
