// The option objects of the fs calls, as a newcomer gets them wrong: a
// misspelled name (`lockNonBlocking` left the open waiting in flock for
// ever), a mode or lock outside Zig's enum, options of the wrong type. Each
// is refused before the open, naming the call, the option and the value.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { Dir, File, Threaded, type Io } from "../../lib/index.ts";
import { openFdsUnder, tempDir } from "../helpers/tmp.ts";

let t: Threaded;
let io: Io;
const tmp = tempDir("tio-flags-");
const path = join(tmp.path, "f.txt");
beforeAll(() => {
  t = Threaded.init();
  io = t.io();
  Dir.cwd().writeFile(io, { subPath: path, data: "x" });
});
afterAll(() => {
  t.deinit();
  tmp.remove();
});

describe("openFile", () => {
  // On a file someone holds locked, the misspelling waited in flock forever;
  // on this one (not locked) it opened: either way it is refused now.
  test("a misspelled lockNonblocking is a TypeError, not a blocking flock", () => {
    expect(() =>
      Dir.cwd().openFile(io, path, { lock: "exclusive", lockNonBlocking: true } as never),
    ).toThrow(
      new TypeError(
        'openFile has no option "lockNonBlocking" (the options: mode, lock, lockNonblocking, allowCtty, followSymlinks)',
      ),
    );
  });

  test("an open mode or lock outside the enum is a RangeError quoting it", () => {
    // Descriptors on the file itself: other suites' threads open and close
    // event-loop descriptors meanwhile (a count of all of them failed in a
    // full run).
    const before = openFdsUnder(tmp.path);
    expect(() => Dir.cwd().openFile(io, path, { mode: "sideways" } as never)).toThrow(
      new RangeError('Open mode "sideways" is not one of read_only, write_only, read_write'),
    );
    expect(() => Dir.cwd().openFile(io, path, { lock: "Exclusive" } as never)).toThrow(
      new RangeError('Lock "Exclusive" is not one of none, shared, exclusive'),
    );
    expect(() => Dir.cwd().openFile(io, path, { modee: "read_only" } as never)).toThrow(
      /^openFile has no option "modee"/,
    );
    expect(() => Dir.cwd().openFile(io, path, null as never)).toThrow(
      /^openFile takes an options object/,
    );
    expect(openFdsUnder(tmp.path)).toBe(before);
  });

  test("File.openAbsolute and openSelfExe check the same flags", () => {
    expect(() => File.openAbsolute(io, path, { lockNonBlocking: true } as never)).toThrow(
      /^File\.openAbsolute has no option "lockNonBlocking"/,
    );
    expect(() => File.openSelfExe(io, { mode: "bogus" } as never)).toThrow(RangeError);
  });

  test("correct flags still open", () => {
    const f = Dir.cwd().openFile(io, path, {
      mode: "read_write",
      lock: "shared",
      lockNonblocking: true,
      allowCtty: false,
      followSymlinks: true,
    });
    f.close(io);
  });
});

describe("the other fs options", () => {
  test("createFile: unknown names, a bad lock, a bad mode", () => {
    const p = join(tmp.path, "c.txt");
    expect(() => Dir.cwd().createFile(io, p, { mode: "sideways" } as never)).toThrow(
      /^Mode "sideways" is not a number/,
    );
    expect(() => Dir.cwd().createFile(io, p, { truncat: false } as never)).toThrow(
      new TypeError(
        'createFile has no option "truncat" (the options: read, truncate, exclusive, lock, lockNonblocking, mode)',
      ),
    );
    expect(() => Dir.cwd().createFile(io, p, { lock: "yes" } as never)).toThrow(RangeError);
    expect(() =>
      Dir.cwd().writeFile(io, { subPath: p, data: "x", flag: { exclusive: true } } as never),
    ).toThrow(/^writeFile has no option "flag" \(the options: subPath, data, flags\)/);
    expect(() =>
      Dir.cwd().writeFile(io, { subPath: p, data: "x", flags: { exclusiv: true } } as never),
    ).toThrow(/^createFile has no option "exclusiv"/);
  });

  test("openDir, makeOpenPath, statPath, access, iterate, walk", () => {
    const cwd = Dir.cwd();
    expect(() => cwd.openDir(io, tmp.path, { iterable: true } as never)).toThrow(
      /^openDir has no option "iterable" \(the options: accessSubPaths, iterate, followSymlinks\)/,
    );
    expect(() => cwd.makeOpenPath(io, tmp.path, { iterat: true } as never)).toThrow(
      /^makeOpenPath has no option "iterat"/,
    );
    expect(() => cwd.statPath(io, path, { followSymLinks: false } as never)).toThrow(
      /^statPath has no option "followSymLinks" \(the options: followSymlinks\)/,
    );
    expect(() => cwd.access(io, path, { readable: true } as never)).toThrow(
      /^access has no option "readable"/,
    );
    const d = cwd.openDir(io, tmp.path, { iterate: true });
    try {
      expect(() => d.iterate(io, { bufferSize: 4096 } as never)).toThrow(
        /^Dir\.iterate has no option "bufferSize" \(the options: bufferBytes\)/,
      );
      expect(() => d.walk(io, { maxOpenDir: 4 } as never)).toThrow(
        /^Dir\.walk has no option "maxOpenDir" \(the options: maxOpenDirs, bufferBytes\)/,
      );
      expect([...d.iterate(io, { bufferBytes: 4096 })].length).toBeGreaterThan(0);
    } finally {
      d.close(io);
    }
  });
});

describe("createFile with a lock", () => {
  // Zig opens with O_TRUNC, then locks: a create refused the lock (or
  // waiting for it) had emptied the holder's file already.
  test("truncates only once it holds the lock", () => {
    const p = join(tmp.path, "locked.txt");
    const dec = new TextDecoder();
    Dir.cwd().writeFile(io, { subPath: p, data: "the holder's data" });
    const holder = Dir.cwd().openFile(io, p, { mode: "read_write", lock: "exclusive" });
    try {
      expect(() =>
        Dir.cwd().createFile(io, p, { lock: "exclusive", lockNonblocking: true }),
      ).toThrow(expect.objectContaining({ code: "WouldBlock" }));
      expect(dec.decode(Dir.cwd().readFileAlloc(io, p, 100))).toBe("the holder's data");
    } finally {
      holder.close(io);
    }
    const f = Dir.cwd().createFile(io, p, { lock: "exclusive", lockNonblocking: true });
    f.close(io);
    expect(dec.decode(Dir.cwd().readFileAlloc(io, p, 100))).toBe("");
    Dir.cwd().writeFile(io, { subPath: p, data: "kept" });
    Dir.cwd().createFile(io, p, { lock: "shared", truncate: false }).close(io);
    expect(dec.decode(Dir.cwd().readFileAlloc(io, p, 100))).toBe("kept");
    // Not a regular file: nothing to truncate (ftruncate's EINVAL was a
    // BugError), as O_TRUNC leaves it alone.
    Dir.cwd().createFile(io, "/dev/null", { lock: "exclusive" }).close(io);
  });
});
