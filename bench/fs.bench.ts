// File-system calls, one at a time on the calling thread: threaded-io beside
// node:fs sync calls (the same syscalls through Node's bindings) and
// Bun.file (async, Bun's own), in one run, on files in a temp directory.
// Medians of tinybench's samples. Everything runs on this thread, so the
// time is the CPU (no other thread works for these calls).
import {
  closeSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bench } from "tinybench";
import { Dir, Threaded } from "../lib/index.ts";
import { writeResults, type Row } from "./stats.ts";

const t = Threaded.init();
const io = t.io();
const cwd = Dir.cwd();
const dir = mkdtempSync(join(tmpdir(), "tio-bench-"));
const small = join(dir, "small.bin");
const big = join(dir, "big.bin");
writeFileSync(small, new Uint8Array(64 * 1024).fill(7));
writeFileSync(big, new Uint8Array(16 << 20).fill(9));
const buf4k = new Uint8Array(4096);
const buf1m = new Uint8Array(1 << 20);
const data4k = new Uint8Array(4096).fill(3);

const ourSmall = cwd.openFile(io, small);
const ourBig = cwd.openFile(io, big);
const nodeSmall = openSync(small, "r");
const nodeBig = openSync(big, "r");
const ourOut = cwd.createFile(io, join(dir, "out-tio.bin"));
const nodeOut = openSync(join(dir, "out-node.bin"), "w");
let off = 0;
const next4k = () => (off = (off + 4096) % (60 * 1024));
let bigOff = 0;
const next1m = () => (bigOff = (bigOff + (1 << 20)) % (15 << 20));

const bench = new Bench({ time: 400, warmupTime: 100 });
const cases: [string, string, () => unknown][] = [
  ["4 KiB positional read", "threaded-io", () => ourSmall.readPositional(io, buf4k, next4k())],
  [
    "4 KiB positional read",
    "node:fs readSync",
    () => readSync(nodeSmall, buf4k, 0, 4096, next4k()),
  ],
  [
    "4 KiB positional read",
    "Bun.file slice",
    () =>
      Bun.file(small)
        .slice(next4k(), off + 4096)
        .arrayBuffer(),
  ],
  ["1 MiB positional read", "threaded-io", () => ourBig.readPositional(io, buf1m, next1m())],
  [
    "1 MiB positional read",
    "node:fs readSync",
    () => readSync(nodeBig, buf1m, 0, 1 << 20, next1m()),
  ],
  [
    "1 MiB positional read",
    "Bun.file slice",
    () =>
      Bun.file(big)
        .slice(next1m(), bigOff + (1 << 20))
        .arrayBuffer(),
  ],
  ["open + close", "threaded-io", () => cwd.openFile(io, small).close(io)],
  ["open + close", "node:fs", () => closeSync(openSync(small, "r"))],
  ["stat", "threaded-io", () => cwd.statPath(io, small)],
  ["stat", "node:fs statSync", () => statSync(small)],
  ["stat", "node:fs statSync bigint", () => statSync(small, { bigint: true })],
  ["stat", "Bun.file stat", () => Bun.file(small).stat()],
  ["4 KiB write", "threaded-io", () => ourOut.writePositional(io, data4k, next4k())],
  ["4 KiB write", "node:fs writeSync", () => writeSync(nodeOut, data4k, 0, 4096, next4k())],
];
for (const [name, impl, fn] of cases) bench.add(`${name}|${impl}`, fn);
await bench.run();

const rows: Row[] = bench.tasks.map((task) => {
  const [name, impl] = task.name.split("|");
  // Medians: a mean lets a few preempted samples (a shared machine) move it.
  const p50 = (task.result as { latency: { p50: number } }).latency.p50; // ms
  return { name, impl, value: p50 * 1000, unit: "µs", better: "lower" as const };
});
writeResults("fs", rows);
for (const name of [...new Set(rows.map((r) => r.name))]) {
  const ours = rows.find((r) => r.name === name && r.impl === "threaded-io")!.value;
  const others = rows.filter((r) => r.name === name && r.impl !== "threaded-io");
  console.log(
    `${name}: ${others.map((o) => `${(o.value / ours).toFixed(2)}× vs ${o.impl}`).join(", ")} (>1: threaded-io faster)`,
  );
}

ourSmall.close(io);
ourBig.close(io);
ourOut.close(io);
for (const fd of [nodeSmall, nodeBig, nodeOut]) closeSync(fd);
rmSync(dir, { recursive: true, force: true });
t.deinit();
