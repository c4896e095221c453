// The tree-hash example on an awkward tree: files around the per-thread
// buffer's 1 MiB (one read fills it exactly; the file is then read again in
// chunks), an empty file, a FIFO (never opened: a read would block),
// symlinks to a file, a directory, each other and nothing (never followed),
// and a directory of many files. Every way of computing the digest agrees,
// and each file's hash is the SHA-256 of its bytes.
import { afterAll, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Threaded } from "../lib/index.ts";
import { driveTreeHash, nextBatch, treeHash, treeHashSingle } from "../examples/tree_hash.ts";
import { hashDirs, LINE_SEP } from "../examples/workload_tasks.ts";
import { tempDir } from "./helpers/tmp.ts";

const MiB = 1 << 20;
const tmp = tempDir("tio-tree-");
afterAll(() => tmp.remove());

/** Bytes that differ between positions (so a chunk read at the wrong
 * offset changes the hash). */
function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

const root = tmp.path;
const sizes: Record<string, number> = {
  empty: 0,
  under: MiB - 1,
  exact: MiB,
  over: MiB + 1,
  twice: 2 * MiB,
  five: 5 * MiB + 7,
};
for (const [name, n] of Object.entries(sizes)) writeFileSync(join(root, name), pattern(n, n + 1));
mkdirSync(join(root, "sub/deeper"), { recursive: true });
writeFileSync(join(root, "sub/deeper/small"), "small");
mkdirSync(join(root, "many"));
for (let i = 0; i < 300; i++) writeFileSync(join(root, "many", `f${i}`), `${i}`);
symlinkSync("five", join(root, "link-file"));
symlinkSync("sub", join(root, "link-dir"));
symlinkSync("loop-a", join(root, "loop-b"));
symlinkSync("loop-b", join(root, "loop-a"));
symlinkSync("nowhere", join(root, "dangling"));
execFileSync("mkfifo", [join(root, "fifo")]);

const sha = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

test("each file's line is the SHA-256 of its bytes, across the 1 MiB buffer", () => {
  const t = Threaded.init({ asyncLimit: 1 });
  try {
    const io = t.io();
    const r = io.concurrent(hashDirs, io, root, ["", "sub", "sub/deeper"]).await(io);
    const lines = new Map(r.lines.split(LINE_SEP).map((l) => l.split(" ") as [string, string]));
    for (const name of Object.keys(sizes))
      expect(lines.get(name)).toBe(sha(readFileSync(join(root, name))));
    expect(lines.get("sub/deeper/small")).toBe(sha("small"));
    // Links and the FIFO are not files: listed nowhere, never opened.
    for (const name of ["link-file", "link-dir", "loop-a", "loop-b", "dangling", "fifo"])
      expect(lines.has(name)).toBe(false);
    expect(r.dirs.sort()).toEqual(["many", "sub", "sub/deeper"]);
  } finally {
    t.deinit();
  }
});

test("pool, promise-driven and single-threaded digests agree, run after run", async () => {
  const single = treeHashSingle(root);
  expect(single.files).toBe(Object.keys(sizes).length + 1 + 300);
  const t = Threaded.init({ asyncLimit: 2 });
  try {
    const io = t.io();
    for (const inflight of [1, 2, 5]) {
      expect(treeHash(io, root, inflight)).toEqual(single);
      const driven = await driveTreeHash(
        root,
        (dirs) => io.concurrent(hashDirs, io, root, dirs),
        inflight,
      );
      expect(driven).toEqual(single);
    }
  } finally {
    t.deinit();
  }
});

test("nextBatch shares a short queue among the tasks and caps a long one", () => {
  const q = (n: number) => Array.from({ length: n }, (_, i) => `d${i}`);
  expect(nextBatch(q(1), 4)).toEqual(["d0"]);
  expect(nextBatch(q(8), 4)).toHaveLength(2);
  expect(nextBatch(q(9), 4)).toHaveLength(3);
  expect(nextBatch(q(1000), 4)).toHaveLength(32);
  // Degenerate widths still take something, so the walk always progresses.
  expect(nextBatch(q(5), 0)).toHaveLength(5);
  expect(nextBatch(q(5), -1)).toHaveLength(1);
  const queue = q(10);
  nextBatch(queue, 3);
  expect(queue).toEqual(q(10).slice(4));
});
