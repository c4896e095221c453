// Every entry of every file-system errno table maps as written, on this OS's
// numbers and on Darwin's, and Zig's distinctive mappings hold.
import { describe, expect, test } from "bun:test";
import { BugError, Canceled, IoError } from "../../lib/io/errors.ts";
import { darwin } from "../../lib/os/darwin.ts";
import { errnoNames, os, type ErrnoName } from "../../lib/os/index.ts";
import { BUG, errnoError, type ErrnoTable } from "../../lib/threaded/syscall.ts";
import * as tables from "../../lib/threaded/fs_errors.ts";

function outcome(e: Error): string {
  if (e instanceof BugError) return BUG;
  if (e instanceof Canceled) return "Canceled";
  return (e as IoError).code;
}

for (const [name, table] of Object.entries(tables) as [string, ErrnoTable<string>][]) {
  describe(name, () => {
    for (const osTable of [os, darwin]) {
      test(`maps every listed errno on ${osTable.name}`, () => {
        const names = errnoNames(osTable);
        for (const [errno, want] of Object.entries(table) as [ErrnoName, string][]) {
          const n = osTable.errno[errno];
          if (n === undefined) continue; // this OS has no such errno
          expect([errno, outcome(errnoError(table, n, name, undefined, names))]).toEqual([
            errno,
            want,
          ]);
        }
      });
    }
    test("an errno it does not list is Unexpected, carrying the errno name", () => {
      const e = errnoError(table, os.errno.ECHILD!, name) as IoError;
      expect(e.code).toBe("Unexpected");
      expect(e.errno).toBe("ECHILD");
    });
  });
}

test("Zig's distinctive mappings", () => {
  const code = (t: ErrnoTable<string>, e: ErrnoName) => outcome(errnoError(t, os.errno[e]!, "x"));
  expect(code(tables.openFileErrors, "EINVAL")).toBe("BadPathName");
  expect(code(tables.openFileErrors, "EOVERFLOW")).toBe("FileTooBig");
  expect(code(tables.openFileErrors, "EAGAIN")).toBe("WouldBlock");
  expect(code(tables.fstatatErrors, "ENOTDIR")).toBe("FileNotFound");
  expect(code(tables.statxPathErrors, "ENOTDIR")).toBe("NotDir");
  expect(code(tables.accessErrors, "ENOTDIR")).toBe("FileNotFound");
  expect(code(tables.mkdirErrors, "ENOTCONN")).toBe("FileNotFound");
  expect(code(tables.preadErrors, "ESPIPE")).toBe("Unseekable");
  expect(code(tables.readErrors, "ESPIPE")).toBe("Unexpected");
  expect(code(tables.seekErrors, "EINVAL")).toBe("Unseekable");
  expect(code(tables.writeErrors, "EPIPE")).toBe("BrokenPipe");
  expect(code(tables.writeErrors, "ENOSPC")).toBe("NoSpaceLeft");
  expect(code(tables.flockErrors, "ENOLCK")).toBe("SystemResources");
  expect(code(tables.statxFdErrors, "ENOENT")).toBe(BUG);
});

test("where this differs from Zig: errnos a caller can cause are not bugs", () => {
  const code = (t: ErrnoTable<string>, e: ErrnoName) => outcome(errnoError(t, os.errno[e]!, "x"));
  // A component over NAME_MAX: Zig's statx table calls it a bug.
  for (const [name, table] of Object.entries(tables) as [string, ErrnoTable<string>][])
    if (table !== tables.statxFdErrors && "ENAMETOOLONG" in table)
      expect([name, code(table, "ENAMETOOLONG")]).toEqual([name, "NameTooLong"]);
  // statx of a descriptor passes an empty path: that one cannot happen.
  expect(code(tables.statxFdErrors, "ENAMETOOLONG")).toBe(BUG);
  // A read past 2^63 − 1: as the write.
  expect(code(tables.readErrors, "EINVAL")).toBe("InvalidArgument");
  expect(code(tables.writeErrors, "EINVAL")).toBe("InvalidArgument");
});
