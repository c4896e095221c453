import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { symlinkSync } from "node:fs";
import { BugError, Dir, File, IoError, ResetEvent, Threaded } from "../../lib/index.ts";
import { pathPrefixes } from "../../lib/fs/dir.ts";
import { shim } from "../../lib/ffi/shim.ts";
import {
  holdLock,
  makePathTask,
  readEmptyPipe,
  readFifo,
  tryOpenLocked,
} from "../fixtures/tasks.ts";
import { openFds, openFdsUnder, tempDir } from "../helpers/tmp.ts";
import { codeOf } from "../helpers/errors.ts";

let t: Threaded;
let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  t = Threaded.init({ asyncLimit: 3 });
  tmp = tempDir();
});
afterAll(() => {
  t.deinit();
  tmp.remove();
});

describe("Dir", () => {
  test("makeDir, openDir, stat, access, close", () => {
    const io = t.io();
    const cwd = Dir.cwd();
    cwd.makeDir(io, `${tmp.path}/made`);
    expect(codeOf(() => cwd.makeDir(io, `${tmp.path}/made`))).toBe("PathAlreadyExists");
    expect(codeOf(() => cwd.makeDir(io, `${tmp.path}/no/parent`))).toBe("FileNotFound");
    const d = cwd.openDir(io, `${tmp.path}/made`);
    expect(d.stat(io).kind).toBe("directory");
    d.writeFile(io, { subPath: "inside.txt", data: "relative to the dir" });
    d.access(io, "inside.txt", { read: true, write: true });
    expect(codeOf(() => d.access(io, "absent"))).toBe("FileNotFound");
    expect(new TextDecoder().decode(d.readFile(io, "inside.txt", new Uint8Array(64)))).toBe(
      "relative to the dir",
    );
    expect(d.statPath(io, "inside.txt").size).toBe(19n);
    expect(d.statPath(io, "/dev/null").kind).toBe("character_device"); // absolute ignores the dir
    d.close(io);
    expect(() => cwd.close(io)).toThrow(
      new BugError("Dir.cwd() cannot be closed: it is not a descriptor the program opened"),
    );
    expect(codeOf(() => cwd.openDir(io, `${tmp.path}/made/inside.txt`))).toBe("NotDir");
  });

  test("symlinks: statPath follows them unless told not to; openDir can refuse them", () => {
    const io = t.io();
    const cwd = Dir.cwd();
    cwd.makeDir(io, `${tmp.path}/target`);
    symlinkSync(`${tmp.path}/target`, `${tmp.path}/link`);
    expect(cwd.statPath(io, `${tmp.path}/link`).kind).toBe("directory");
    expect(cwd.statPath(io, `${tmp.path}/link`, { followSymlinks: false }).kind).toBe("sym_link");
    // Linux: O_NOFOLLOW | O_DIRECTORY on a symlink is ENOTDIR.
    expect(codeOf(() => cwd.openDir(io, `${tmp.path}/link`, { followSymlinks: false }))).toBe(
      "NotDir",
    );
    expect(
      codeOf(() => cwd.openDir(io, `${tmp.path}/link`, { followSymlinks: false, iterate: true })),
    ).toBe("NotDir");
    symlinkSync("loop-b", `${tmp.path}/loop-a`);
    symlinkSync("loop-a", `${tmp.path}/loop-b`);
    expect(codeOf(() => cwd.statPath(io, `${tmp.path}/loop-a`))).toBe("SymLinkLoop");
  });

  test("pathPrefixes", () => {
    expect(pathPrefixes("a/b/c")).toEqual(["a", "a/b", "a/b/c"]);
    expect(pathPrefixes("/x//y/")).toEqual(["/x", "/x/y"]);
    expect(pathPrefixes("/")).toEqual([]);
    expect(pathPrefixes("")).toEqual([]);
    const b = (s: string): Uint8Array => new TextEncoder().encode(s);
    expect(pathPrefixes(b("a/b/c"))).toEqual([b("a"), b("a/b"), b("a/b/c")]);
    expect(pathPrefixes(b("/x//y/"))).toEqual([b("/x"), b("/x/y")]);
    expect(pathPrefixes(b("/"))).toEqual([]);
    expect(pathPrefixes(b(""))).toEqual([]);
  });

  test("makePath, makeOpenPath and File.openAbsolute take a path's bytes (a name not UTF-8)", () => {
    const io = t.io();
    const cwd = Dir.cwd();
    const enc = new TextEncoder();
    // "bad\xff" is not UTF-8: only its bytes name it.
    const name = Uint8Array.from([
      ...enc.encode(`${tmp.path}/bytes/bad`),
      0xff,
      ...enc.encode("/x/y"),
    ]);
    expect(cwd.makePathStatus(io, name)).toBe("created");
    expect(cwd.makePathStatus(io, name)).toBe("existed");
    const d = cwd.makeOpenPath(io, name);
    d.writeFile(io, { subPath: "f", data: "12" });
    d.close(io);
    const f = File.openAbsolute(io, Uint8Array.from([...name, ...enc.encode("/f")]));
    expect(f.stat(io).size).toBe(2n);
    f.close(io);
    expect(() => File.openAbsolute(io, enc.encode("relative"))).toThrow(/is not absolute/);
    expect(() => cwd.makePath(io, 5 as never)).toThrow(TypeError);
  });

  test("makePath creates parents, reports existed/created, refuses a file in the way", () => {
    const io = t.io();
    const cwd = Dir.cwd();
    expect(cwd.makePathStatus(io, `${tmp.path}/p/q/r/s`)).toBe("created");
    expect(cwd.makePathStatus(io, `${tmp.path}/p/q/r/s`)).toBe("existed");
    expect(cwd.makePathStatus(io, `${tmp.path}/p/q/r/s/t`)).toBe("created");
    cwd.writeFile(io, { subPath: `${tmp.path}/p/file`, data: "x" });
    expect(codeOf(() => cwd.makePath(io, `${tmp.path}/p/file/under`))).toBe("NotDir");
    expect(codeOf(() => cwd.makePath(io, `${tmp.path}/p/file`))).toBe("NotDir");
    expect(codeOf(() => cwd.makePath(io, ""))).toBe("BadPathName");
    const rel = cwd.openDir(io, tmp.path);
    rel.makePath(io, "rel/a/b");
    expect(cwd.statPath(io, `${tmp.path}/rel/a/b`).kind).toBe("directory");
    rel.close(io);
  });

  test("makePath races with a concurrent creator and both succeed", () => {
    const io = t.io();
    const paths = Array.from({ length: 20 }, (_, i) => `${tmp.path}/race/${i % 3}/x/y`);
    const futures = paths.map((p) => io.async(makePathTask, io, p));
    for (const f of futures) expect(["created", "existed"]).toContain(f.await(io));
    for (let i = 0; i < 3; i++)
      expect(Dir.cwd().statPath(io, `${tmp.path}/race/${i}/x/y`).kind).toBe("directory");
  });

  test("makeOpenPath opens an existing directory or makes it", () => {
    const io = t.io();
    const d = Dir.cwd().makeOpenPath(io, `${tmp.path}/mop/a/b`);
    d.writeFile(io, { subPath: "f", data: "1" });
    d.close(io);
    const again = Dir.cwd().makeOpenPath(io, `${tmp.path}/mop/a/b`);
    expect(again.statPath(io, "f").size).toBe(1n);
    again.close(io);
  });

  test("no descriptor leaks across a workload of opens, errors and closes", () => {
    const io = t.io();
    // Descriptors into the temp dir only: a pool thread starting or
    // retiring meanwhile opens or closes its own (eventfd, epoll).
    const before = openFdsUnder(tmp.path);
    for (let i = 0; i < 200; i++) {
      const f = Dir.cwd().createFile(io, `${tmp.path}/leak-${i % 5}`);
      f.close(io);
      codeOf(() => Dir.cwd().openFile(io, `${tmp.path}/missing-${i}`));
      codeOf(() =>
        Dir.cwd()
          .openFile(io, `${tmp.path}/leak-0`, { lock: "exclusive", lockNonblocking: true })
          .close(io),
      );
    }
    expect(openFdsUnder(tmp.path)).toBe(before);
  });
});

describe("locks across threads", () => {
  test("shared + shared is fine; exclusive waits; non-blocking gives WouldBlock", async () => {
    const io = t.io();
    const p = `${tmp.path}/locked`;
    Dir.cwd().writeFile(io, { subPath: p, data: "lock me" });
    using locked = ResetEvent.init(io);
    using release = ResetEvent.init(io);
    const holder = io.async(holdLock, io, p, "shared", locked, release);
    await locked.waitAsync();
    expect(io.async(tryOpenLocked, io, p, "shared", true, null).await(io)).toBe("locked");
    expect(io.async(tryOpenLocked, io, p, "exclusive", true, null).await(io)).toBe("WouldBlock");
    // A blocking exclusive lock waits until the holder lets go.
    using ready = ResetEvent.init(io);
    const waiter = io.async(tryOpenLocked, io, p, "exclusive", false, ready);
    await ready.waitAsync();
    expect(waiter.settled).toBe(false);
    release.set();
    expect(await holder).toBe("released");
    expect(await waiter).toBe("locked");
  });

  test("a thread blocked waiting for a lock is canceled", async () => {
    const io = t.io();
    const p = `${tmp.path}/locked2`;
    Dir.cwd().writeFile(io, { subPath: p, data: "x" });
    using locked = ResetEvent.init(io);
    using release = ResetEvent.init(io);
    using ready = ResetEvent.init(io);
    const holder = io.async(holdLock, io, p, "exclusive", locked, release);
    await locked.waitAsync();
    const waiter = io.async(tryOpenLocked, io, p, "exclusive", false, ready);
    await ready.waitAsync();
    expect(waiter.cancel(io)).toBe("Canceled");
    release.set();
    await holder;
  });
});

describe("cancelation of blocking reads", () => {
  test("a read blocked on an empty pipe in a pool thread ends with Canceled", async () => {
    const io = t.io();
    const before = openFds();
    using ready = ResetEvent.init(io);
    const f = io.async(readEmptyPipe, io, ready);
    await ready.waitAsync();
    expect(f.cancel(io)).toBe("Canceled");
    expect(openFds()).toBeLessThanOrEqual(before); // fewer: an idle pool thread retired
  });

  test("opening and reading a FIFO with no writer ends with Canceled; with a writer it reads", async () => {
    const io = t.io();
    const fifo = `${tmp.path}/fifo`;
    const path = new TextEncoder().encode(fifo + "\0");
    expect(shim().tio_mkfifoat(-100, path, 0o600)).toBe(0);
    using ready = ResetEvent.init(io);
    const blocked = io.async(readFifo, io, fifo, ready);
    await ready.waitAsync();
    expect(blocked.cancel(io)).toBe("Canceled");

    ready.reset();
    const reading = io.async(readFifo, io, fifo, ready);
    await ready.waitAsync();
    const w = Dir.cwd().openFile(io, fifo, { mode: "write_only" });
    w.writeAll(io, new TextEncoder().encode("through the fifo"));
    w.close(io);
    expect(await reading).toBe("through the fifo");
  });
});
