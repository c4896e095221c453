import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  rmdirSync,
  symlinkSync,
  writeFileSync,
  type Dirent,
} from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { Dir, ResetEvent, Threaded } from "../../lib/index.ts";
import { shim } from "../../lib/ffi/shim.ts";
import { walkPaths, walkUntilCanceled } from "../fixtures/dir_tasks.ts";
import { openFdsUnder, tempDir } from "../helpers/tmp.ts";
import { codeOf } from "../helpers/errors.ts";

let t: Threaded;
let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  t = Threaded.init({ asyncLimit: 2 });
  tmp = tempDir();
});
afterAll(() => {
  t.deinit();
  tmp.remove();
});

function kindOf(d: Dirent): string {
  if (d.isFile()) return "file";
  if (d.isDirectory()) return "directory";
  if (d.isSymbolicLink()) return "sym_link";
  if (d.isFIFO()) return "named_pipe";
  if (d.isSocket()) return "unix_domain_socket";
  if (d.isCharacterDevice()) return "character_device";
  if (d.isBlockDevice()) return "block_device";
  return "unknown";
}

/** node:fs's view of the same tree, never following links. */
function reference(root: string, rel = ""): string[] {
  const out: string[] = [];
  for (const d of readdirSync(join(root, rel), { withFileTypes: true })) {
    const p = rel === "" ? d.name : `${rel}/${d.name}`;
    out.push(`${p}:${kindOf(d)}`);
    if (d.isDirectory()) out.push(...reference(root, p));
  }
  return out;
}

/** A tree with every kind the tests need: files, nested dirs, links to a
 * file, to a dir and to an ancestor (a cycle if followed), a FIFO, a
 * non-ASCII name, and one directory with enough names for many batches. */
function buildTree(root: string): void {
  mkdirSync(`${root}/a/b/c`, { recursive: true });
  mkdirSync(`${root}/empty`);
  mkdirSync(`${root}/many`);
  for (let i = 0; i < 300; i++) writeFileSync(`${root}/many/file-${i}.txt`, `${i}`);
  writeFileSync(`${root}/top.txt`, "top");
  writeFileSync(`${root}/a/b/c/deep.txt`, "deep");
  writeFileSync(`${root}/a/ünïcødé ✓.txt`, "name");
  symlinkSync(`${root}/top.txt`, `${root}/link-to-file`);
  symlinkSync(`${root}/a`, `${root}/link-to-dir`);
  symlinkSync("..", `${root}/a/b/up`); // a cycle, if a walker followed links
  symlinkSync(`${root}/absent`, `${root}/dangling`);
  const fifo = new TextEncoder().encode(`${root}/a/fifo\0`);
  expect(shim().tio_mkfifoat(-100, fifo, 0o600)).toBe(0);
}

describe("Dir.iterate", () => {
  test("lists one directory with kinds, in batches, skipping . and ..", () => {
    const io = t.io();
    const root = `${tmp.path}/tree1`;
    buildTree(root);
    const d = Dir.cwd().openDir(io, root, { iterate: true });
    try {
      const mine = [...d.iterate(io)].map((e) => `${e.name}:${e.kind}`).sort();
      const ref = readdirSync(root, { withFileTypes: true })
        .map((e) => `${e.name}:${kindOf(e)}`)
        .sort();
      expect(mine).toEqual(ref);
      expect(mine).toContain("dangling:sym_link");
      // 300 names through a 512-byte buffer: dozens of getdents64 calls.
      const many = d.openDir(io, "many", { iterate: true });
      const it = many.iterate(io, { bufferBytes: 512 });
      const names = new Set<string>();
      for (let e = it.next(); e !== null; e = it.next()) names.add(e.name);
      expect(names.size).toBe(300);
      expect(it.next()).toBeNull(); // stays at the end
      it.reset();
      expect([...it].length).toBe(300);
      many.close(io);
      const a = d.openDir(io, "a", { iterate: true });
      expect([...a.iterate(io)].map((e) => `${e.name}:${e.kind}`).sort()).toEqual([
        "b:directory",
        "fifo:named_pipe",
        "ünïcødé ✓.txt:file",
      ]);
      a.close(io);
      expect([...d.openDir(io, "empty", { iterate: true }).iterate(io)]).toEqual([]);
    } finally {
      d.close(io);
    }
  });

  test("misuse: the cwd, a dir opened without iterate, bad buffer sizes", () => {
    const io = t.io();
    expect(codeOf(() => Dir.cwd().iterate(io))).toContain("cannot be iterated");
    expect(codeOf(() => Dir.cwd().walk(io))).toContain("cannot be walked");
    const noIter = Dir.cwd().openDir(io, tmp.path); // O_PATH: no getdents
    try {
      let err: unknown;
      try {
        noIter.iterate(io).next();
      } catch (e) {
        err = e;
      }
      // Zig: `.BADF => unreachable`. Here a RangeError that says what to do
      // (it was "BugError: lseek failed (EBADF)").
      expect(err).toBeInstanceOf(RangeError);
      expect(String(err)).toContain("open it with dir.openDir(io, path, { iterate: true })");
    } finally {
      noIter.close(io);
    }
    const d = Dir.cwd().openDir(io, tmp.path, { iterate: true });
    try {
      for (const bad of [0, 511, NaN, 1.5, -1, 2 ** 64, 2 ** 25])
        expect(codeOf(() => d.iterate(io, { bufferBytes: bad }))).toContain("RangeError");
      for (const bad of [0, -1, NaN, 1.5, Infinity])
        expect(codeOf(() => d.walk(io, { maxOpenDirs: bad }))).toContain("RangeError");
    } finally {
      d.close(io);
    }
  });

  test("a directory removed while it is iterated ends the iteration", () => {
    const io = t.io();
    mkdirSync(`${tmp.path}/doomed`);
    const d = Dir.cwd().openDir(io, `${tmp.path}/doomed`, { iterate: true });
    try {
      rmdirSync(`${tmp.path}/doomed`);
      expect(d.iterate(io).next()).toBeNull();
    } finally {
      d.close(io);
    }
  });
});

describe("Dir.walk", () => {
  test("walks a real tree as node:fs sees it; links are listed, never followed", () => {
    const io = t.io();
    const root = `${tmp.path}/tree2`;
    buildTree(root);
    const d = Dir.cwd().openDir(io, root, { iterate: true });
    try {
      const order = [...d.walk(io)].map((e) => `${e.path}:${e.kind}`);
      expect([...order].sort()).toEqual(reference(root).sort());
      // A directory comes before what is inside it.
      expect(order.indexOf("a/b:directory")).toBeLessThan(order.indexOf("a/b/c/deep.txt:file"));
      expect(order).toContain("a/b/up:sym_link");
      expect(order.filter((p) => p.startsWith("link-to-dir/"))).toEqual([]);
    } finally {
      d.close(io);
    }
    // A system tree, as it is on this machine.
    const system = "/usr/share/zoneinfo";
    const sd = Dir.cwd().openDir(io, system, { iterate: true });
    try {
      expect([...sd.walk(io)].map((e) => `${e.path}:${e.kind}`).sort()).toEqual(
        reference(system).sort(),
      );
    } finally {
      sd.close(io);
    }
  });

  test("holds at most maxOpenDirs descriptors, with the same result", () => {
    const io = t.io();
    const root = `${tmp.path}/deep`;
    let p = root;
    for (let i = 0; i < 12; i++) {
      p += `/d${i}`;
      mkdirSync(p, { recursive: true });
      writeFileSync(`${p}/f`, `${i}`);
      mkdirSync(`${p}/side${i}`);
      writeFileSync(`${p}/side${i}/g`, "x");
    }
    const d = Dir.cwd().openDir(io, root, { iterate: true });
    const rootFds = openFdsUnder(root);
    try {
      const unbounded = [...d.walk(io)].map((e) => e.path);
      expect(unbounded.length).toBe(12 * 4);
      for (const max of [1, 2, 5]) {
        const w = d.walk(io, { maxOpenDirs: max });
        const got: string[] = [];
        let most = 0;
        for (let e = w.next(); e !== null; e = w.next()) {
          got.push(e.path);
          expect(w.openDirs).toBeLessThanOrEqual(max);
          most = Math.max(most, openFdsUnder(root) - rootFds);
        }
        expect(got).toEqual(unbounded);
        expect(most).toBeLessThanOrEqual(max);
        expect(openFdsUnder(root)).toBe(rootFds);
      }
      // Stopping early and deinit close everything; deinit twice is fine.
      const w = d.walk(io, { maxOpenDirs: 3 });
      for (let i = 0; i < 20; i++) w.next();
      expect(openFdsUnder(root) - rootFds).toBeGreaterThan(0);
      w.deinit();
      w.deinit();
      expect(w.next()).toBeNull();
      expect(openFdsUnder(root)).toBe(rootFds);
      // Breaking out of for-of closes too.
      for (const e of d.walk(io)) if (e.path.split("/").length > 6) break;
      expect(openFdsUnder(root)).toBe(rootFds);
      // skip() declines the directory just returned.
      const sw = d.walk(io);
      const top: string[] = [];
      for (let e = sw.next(); e !== null; e = sw.next()) {
        top.push(e.path);
        if (e.kind === "directory") sw.skip();
      }
      expect(top.sort()).toEqual(["d0"]);
    } finally {
      d.close(io);
    }
  });

  test("with few descriptors, a tree deeper than PATH_MAX is walked whole", () => {
    // 30 levels of 150-byte names (4,530 bytes): with 2 descriptors, going
    // deeper reopens a level from the root by path, which no single openat
    // takes past PATH_MAX; it threw NameTooLong.
    const io = t.io();
    const root = `${tmp.path}/long`;
    mkdirSync(root);
    const name = "n".repeat(150);
    // No mkdir takes a path that long (nor Bun's getcwd): bash, level by level.
    execFileSync(
      "bash",
      ["-c", `for i in $(seq 30); do echo $i > f && mkdir ${name} && cd ${name} || exit 1; done`],
      { cwd: root },
    );
    const d = Dir.cwd().openDir(io, root, { iterate: true });
    const rootFds = openFdsUnder(root);
    try {
      const unbounded = [...d.walk(io)].map((e) => e.path);
      expect(unbounded.length).toBe(60);
      for (const max of [1, 2, 7]) {
        const w = d.walk(io, { maxOpenDirs: max });
        const got: string[] = [];
        for (let e = w.next(); e !== null; e = w.next()) {
          got.push(e.path);
          expect(w.openDirs).toBeLessThanOrEqual(max);
        }
        expect(got).toEqual(unbounded);
        expect(openFdsUnder(root)).toBe(rootFds);
      }
    } finally {
      d.close(io);
    }
  });

  test("an unreadable directory: its entry, then AccessDenied, then its siblings", () => {
    const root = `${tmp.path}/locked-tree`;
    mkdirSync(`${root}/locked/inner`, { recursive: true });
    mkdirSync(`${root}/open`);
    writeFileSync(`${root}/open/f`, "x");
    writeFileSync(`${root}/z.txt`, "x");
    chmodSync(`${root}/locked`, 0);
    try {
      // Root ignores permissions: drop the two capabilities that let it.
      const cmd = [process.execPath, `${import.meta.dir}/../fixtures/walk_unreadable.ts`, root];
      const argv =
        process.getuid?.() === 0
          ? ["setpriv", "--bounding-set=-dac_override,-dac_read_search", ...cmd]
          : cmd;
      const r = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });
      expect(r.stderr.toString()).toBe("");
      const out = JSON.parse(r.stdout.toString());
      expect(out.seen).toEqual(["locked", "open", "open/f", "z.txt"]);
      expect(out.errors).toEqual(["AccessDenied:locked"]);
      expect(out.iterate).toBe("AccessDenied");
    } finally {
      chmodSync(`${root}/locked`, 0o755);
    }
  });

  test("on a pool thread, and canceled between batches", async () => {
    const io = t.io();
    const root = `${tmp.path}/tree3`;
    buildTree(root);
    expect((await io.async(walkPaths, io, root)).sort()).toEqual(reference(root).sort());
    const before = openFdsUnder(root);
    using ready = ResetEvent.init(io);
    const f = io.concurrent(walkUntilCanceled, io, root, ready);
    await ready.waitAsync();
    expect(f.cancel(io)).toBe("Canceled");
    expect(openFdsUnder(root)).toBe(before);
  });
});
