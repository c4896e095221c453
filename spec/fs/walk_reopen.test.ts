// The walker past `maxOpenDirs`: a level it closed is reopened as the ".."
// of the child just finished (one openat, however deep), by path from the
// root when that is not the same directory, and left, with one error, when
// it cannot be reopened at all.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { Dir, Io, IoError, Threaded } from "../../lib/index.ts";
import type { WalkOptions } from "../../lib/fs/walker.ts";
import { openFdsUnder, tempDir } from "../helpers/tmp.ts";

let t: Threaded;
let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  t = Threaded.init();
  tmp = tempDir();
});
afterAll(() => {
  t.deinit();
  tmp.remove();
});

/** Walks `root` to its end (at most 1,000 calls): paths, and errors as
 * "code:path", calling `onEntry` after each entry. */
function walkAll(
  io: Io,
  root: string,
  options: WalkOptions,
  onEntry: (path: string) => void = () => {},
): { paths: string[]; errors: string[]; ended: boolean } {
  const d = Dir.cwd().openDir(io, root, { iterate: true });
  const w = d.walk(io, options);
  const paths: string[] = [];
  const errors: string[] = [];
  let ended = false;
  try {
    for (let i = 0; i < 1000 && !ended; i++) {
      try {
        const e = w.next();
        if (e === null) ended = true;
        else {
          paths.push(e.path);
          onEntry(e.path);
        }
      } catch (e) {
        errors.push(e instanceof IoError ? `${e.code}:${e.path}` : String(e));
      }
    }
  } finally {
    w.deinit();
    d.close(io);
  }
  return { paths, errors, ended };
}

/** root/a/{x1,x2,b/c/f} and root/z. */
function smallTree(root: string): void {
  mkdirSync(`${root}/a/b/c`, { recursive: true });
  writeFileSync(`${root}/a/x1`, "");
  writeFileSync(`${root}/a/x2`, "");
  writeFileSync(`${root}/a/b/c/f`, "");
  writeFileSync(`${root}/z`, "");
}

describe("a level the walker closed", () => {
  test("that cannot be reopened is reported once and left; the walk ends", () => {
    // With one descriptor every level above the current one is closed, and
    // reopened by path: renamed away, it is FileNotFound. next() threw that
    // on every call after, forever.
    const io = t.io();
    const root = `${tmp.path}/gone`;
    smallTree(root);
    const before = openFdsUnder(root);
    const r = walkAll(io, root, { maxOpenDirs: 1 }, (p) => {
      if (p === "a/b/c/f") renameSync(`${root}/a`, `${root}/moved`);
    });
    expect(r.ended).toBe(true);
    expect(r.errors).toEqual(["FileNotFound:a/b", "FileNotFound:a"]);
    expect(r.paths).toContain("z");
    expect(openFdsUnder(root)).toBe(before);
  });

  test("replaced by a symbolic link to a directory outside the tree is left, not followed", () => {
    // Reopened by path from the root, "a/b" followed a link put in place
    // of "a" (O_NOFOLLOW guards only the last name): the walk listed the
    // outside directory's entries as a/b's.
    const io = t.io();
    const root = `${tmp.path}/swapped`;
    smallTree(root);
    const outside = `${tmp.path}/outside`;
    mkdirSync(`${outside}/b`, { recursive: true });
    writeFileSync(`${outside}/b/SECRET`, "");
    const r = walkAll(io, root, { maxOpenDirs: 1 }, (p) => {
      if (p !== "a/b/c/f") return;
      renameSync(`${root}/a`, `${tmp.path}/swapped-a`);
      symlinkSync(outside, `${root}/a`);
    });
    expect(r.ended).toBe(true);
    expect(r.paths.filter((p) => p.includes("SECRET"))).toEqual([]);
    expect(r.errors).toEqual(["FileNotFound:a/b", "NotDir:a"]);
  });

  test("is reopened as its child's '..': a renamed directory is walked on", () => {
    const io = t.io();
    const root = `${tmp.path}/renamed`;
    smallTree(root);
    const r = walkAll(io, root, { maxOpenDirs: 2 }, (p) => {
      if (p === "a/b/c/f") renameSync(`${root}/a`, `${root}/moved`);
    });
    expect(r.errors).toEqual([]);
    expect(r.ended).toBe(true);
    // Under the paths they had when the walk went in.
    expect(r.paths.filter((p) => p.startsWith("a/")).sort()).toEqual(
      ["a/b", "a/b/c", "a/b/c/f", "a/x1", "a/x2"].sort(),
    );
  });

  test("whose child was moved elsewhere is reopened by path, not as that '..'", () => {
    // c's ".." is then the root: taken for b, the walk would list the
    // root's entries again under "a/b/". (Reopened by path, b skips the
    // one entry it had returned, which is no longer c: after-c may be
    // skipped, as telldir/seekdir would.)
    const io = t.io();
    const root = `${tmp.path}/moved-child`;
    mkdirSync(`${root}/a/b/c/d`, { recursive: true });
    writeFileSync(`${root}/a/b/c/d/f`, "");
    writeFileSync(`${root}/a/b/after-c`, "");
    writeFileSync(`${root}/z`, "");
    // Inside d, c and d are open and b is closed; when c is done, b is
    // reopened from c.
    const r = walkAll(io, root, { maxOpenDirs: 2 }, (p) => {
      if (p === "a/b/c/d/f") renameSync(`${root}/a/b/c`, `${root}/c-moved`);
    });
    expect(r.errors).toEqual([]);
    expect(r.ended).toBe(true);
    const known = ["a/b/c", "a/b/c/d", "a/b/c/d/f", "a/b/after-c"];
    expect(r.paths.filter((p) => p.startsWith("a/b/") && !known.includes(p))).toEqual([]);
    for (const p of ["a", "a/b", "a/b/c/d/f", "z"]) expect(r.paths).toContain(p);
  });

  test("a deep tree is reopened a level at a time, not from the root", () => {
    // 300 levels, 4 descriptors: every level above the 4 deepest is closed
    // on the way down and reopened on the way up. From the root by path
    // that was ~2 × depth bytes per level (90,000 in all, and 13 s for
    // 10,000 levels); as the child's "..", 2.
    const io = t.io();
    const levels = 300;
    const root = `${tmp.path}/chain`;
    mkdirSync(`${root}/${"d/".repeat(levels)}`, { recursive: true });
    writeFileSync(`${root}/${"d/".repeat(levels)}leaf`, "");
    let bytes = 0;
    const counting = new Io(io.userdata, {
      ...io.vtable,
      dirOpenDir: (u, dir, path, options) => {
        bytes += typeof path === "string" ? Buffer.byteLength(path) : path.length;
        return io.vtable.dirOpenDir(u, dir, path, options);
      },
    });
    const all = walkAll(io, root, {});
    const few = walkAll(counting, root, { maxOpenDirs: 4 });
    expect(few.paths).toEqual(all.paths);
    expect(few.paths.length).toBe(levels + 1);
    expect(bytes).toBeLessThan(4 * levels);
  });

  test("goes on from where it was: entries removed meanwhile leave none of the others out", () => {
    // The walk-and-delete cleanup: 200 files beside a chain deeper than the
    // budget, each file removed as it is listed. Reopened levels skipped as
    // many entries as they had returned, and so left out 64 of 200 files
    // (3 of 3 runs) that the removals had moved up; they now seek to the
    // last entry's d_off.
    const io = t.io();
    const root = `${tmp.path}/cleanup`;
    mkdirSync(`${root}/p/${"x/".repeat(6)}`, { recursive: true });
    for (let i = 0; i < 200; i++) writeFileSync(`${root}/p/f${i}`, "");
    writeFileSync(`${root}/p/${"x/".repeat(6)}deep`, "");
    const r = walkAll(io, root, { maxOpenDirs: 2 }, (path) => {
      if (/\/f\d+$/.test(path) || path.endsWith("/deep")) rmSync(`${root}/${path}`);
    });
    expect(r.errors).toEqual([]);
    expect(r.ended).toBe(true);
    expect(r.paths.filter((p) => /^p\/f\d+$/.test(p)).length).toBe(200);
    expect(r.paths).toContain(`p/${"x/".repeat(6)}deep`);
    expect(readdirSync(`${root}/p`)).toEqual(["x"]);
  });
});
