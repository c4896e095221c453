// File.stdin(), stdout() and stderr(): a new object each call, over the
// process's standard descriptors. Once one of them closed its descriptor,
// every later one over it is closed too: a second close would otherwise
// close the file opened since on that number.
import { expect, test } from "bun:test";
import { join } from "node:path";
import { tempDir } from "../helpers/tmp.ts";

test("a second File.stdin().close(io) is a BugError and leaves the file opened since alone", () => {
  const dir = tempDir("standard-close");
  const path = join(dir.path, "data.txt");
  Bun.write(path, "0123456789");
  const fixture = join(import.meta.dir, "..", "fixtures", "standard_close.ts");
  const r = Bun.spawnSync([process.execPath, fixture, path], { stdin: "pipe", stderr: "pipe" });
  expect(r.stderr.toString()).toBe("");
  expect(r.exitCode).toBe(0);
  const out = JSON.parse(r.stdout.toString());
  // The file took descriptor 0, and still reads after both calls.
  expect(out.fd).toBe(0);
  expect(out.secondClose).toStartWith(
    "BugError: File (descriptor 0) closed twice through another File",
  );
  expect(out.secondClose).toContain("File.stdin(), stdout() or stderr()");
  expect(out.stat).toStartWith("BugError: File (descriptor 0) used after close");
  expect(out.fileReads).toBe(10);
  dir.remove();
});
