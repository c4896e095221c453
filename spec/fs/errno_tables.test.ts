// Errnos a caller can cause are typed IoErrors, never BugError: a path
// component over NAME_MAX (255 bytes) is NameTooLong from every call that
// takes a path (statx's table called it a bug: only PATH_MAX is checked up
// front), and a read the kernel refuses with EINVAL is InvalidArgument, as
// a write is.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { Dir, Threaded } from "../../lib/index.ts";
import { tempDir } from "../helpers/tmp.ts";
import { codeOf } from "../helpers/errors.ts";

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

describe("ENAMETOOLONG", () => {
  test("a 256-byte component is NameTooLong from every call that takes a path", () => {
    const io = t.io();
    const cwd = Dir.cwd();
    const p = `${tmp.path}/${"x".repeat(256)}`;
    const calls: Record<string, () => unknown> = {
      openFile: () => cwd.openFile(io, p),
      createFile: () => cwd.createFile(io, p),
      makeDir: () => cwd.makeDir(io, p),
      makePath: () => cwd.makePath(io, `${p}/y`),
      makeOpenPath: () => cwd.makeOpenPath(io, p),
      openDir: () => cwd.openDir(io, p),
      statPath: () => cwd.statPath(io, p),
      "statPath nofollow": () => cwd.statPath(io, p, { followSymlinks: false }),
      access: () => cwd.access(io, p),
      readFile: () => cwd.readFile(io, p, new Uint8Array(8)),
      readFileAlloc: () => cwd.readFileAlloc(io, p),
    };
    const got = Object.fromEntries(Object.entries(calls).map(([k, f]) => [k, codeOf(f)]));
    expect(got).toEqual(Object.fromEntries(Object.keys(calls).map((k) => [k, "NameTooLong"])));
  });
});

describe("EINVAL from read", () => {
  // tmpfs takes positions up to 2^63 − 1 (ext4 refuses the seek itself).
  test.skipIf(!existsSync("/dev/shm"))(
    "a streaming read past 2^63 − 1 is InvalidArgument, as the write",
    () => {
      const io = t.io();
      const dir = mkdtempSync("/dev/shm/tio-");
      const f = Dir.cwd().createFile(io, `${dir}/near-max`, { read: true });
      try {
        f.seekTo(io, 2n ** 63n - 2n);
        expect(codeOf(() => f.readStreaming(io, new Uint8Array(16)))).toBe("InvalidArgument");
        expect(codeOf(() => f.writeStreaming(io, new Uint8Array(16)))).toBe("InvalidArgument");
        // Positional: refused up front, before the syscall.
        expect(codeOf(() => f.readPositional(io, new Uint8Array(16), 2n ** 63n - 2n))).toContain(
          "RangeError",
        );
      } finally {
        f.close(io);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
