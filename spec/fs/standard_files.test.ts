// File.stdin(), stdout() and stderr(): a new object each call, over the
// process's standard descriptors. Once one of them closed its descriptor,
// every later one over it, on any thread, is closed too: a second close
// would otherwise close the file opened since on that number.
import { expect, test } from "bun:test";
import { join } from "node:path";
import { tempDir } from "../helpers/tmp.ts";

const fixture = join(import.meta.dir, "..", "fixtures", "standard_close.ts");

for (const how of ["main", "pool", "given"])
  test(`closed ${how === "main" ? "on this thread" : how === "pool" ? "on a pool thread" : "through a task's copy"}, File.stdin() is closed everywhere`, () => {
    const dir = tempDir("standard-close");
    const path = join(dir.path, "data.txt");
    Bun.write(path, "0123456789");
    const r = Bun.spawnSync([process.execPath, fixture, path, how], {
      stdin: "pipe",
      stderr: "pipe",
    });
    dir.remove();
    expect(r.stderr.toString()).toBe("");
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout.toString());
    // The file took descriptor 0 (closed on this thread; with a pool thread
    // running, its own opens may take it first), and still reads after
    // every call below.
    if (how === "main") expect(out.fd).toBe(0);
    const twice = "BugError: File (descriptor 0) closed twice through another File";
    const used = "BugError: File (descriptor 0) used after close";
    expect(out.secondClose).toStartWith(twice);
    expect(out.secondClose).toContain("File.stdin(), stdout() or stderr()");
    expect(out.stat).toStartWith(used);
    expect(out.onPool[0]).toStartWith(used);
    expect(out.onPool[1]).toStartWith(twice);
    expect(out.fileReads).toBe(10);
  });
