// Errnos Zig's Threaded.zig reports as Unexpected (unexpectedErrno), not as
// programmer bugs (errnoBug): they must not become BugError in debug mode.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Dir, Threaded } from "../../lib/index.ts";
import { BugError, IoError } from "../../lib/io/errors.ts";
import { E, type ErrnoName } from "../../lib/os/index.ts";
import { errnoError, type ErrnoTable } from "../../lib/threaded/syscall.ts";
import { accessErrors, fcntlErrors } from "../../lib/threaded/fs_errors.ts";
import { sendErrors, sendOneErrors } from "../../lib/threaded/net_errors.ts";
import { nowErrors } from "../../lib/threaded/time.ts";

let t: Threaded;
beforeAll(() => {
  t = Threaded.init();
});
afterAll(() => t.deinit());

function outcome(table: ErrnoTable<string>, name: ErrnoName): string {
  const e = errnoError(table, E[name]!, "x");
  return e instanceof BugError ? "bug" : (e as IoError).code;
}

test("sendmsg EAGAIN (the path without sendmmsg) is Unexpected; sendmmsg's is a bug", () => {
  expect(outcome(sendOneErrors, "EAGAIN")).toBe("Unexpected");
  expect(outcome(sendErrors, "EAGAIN")).toBe(outcome(sendErrors, "EINVAL")); // errnoBug
  // Every other entry is sendmmsg's.
  for (const name of Object.keys(sendErrors) as ErrnoName[])
    if (name !== "EAGAIN") expect([name, sendOneErrors[name]]).toEqual([name, sendErrors[name]]);
});

test("faccessat EBADF, fcntl EBADF/EFAULT and clock EFAULT are Unexpected", () => {
  expect(outcome(accessErrors, "EBADF")).toBe("Unexpected");
  expect(outcome(accessErrors, "EFAULT")).toBe(outcome({}, "EFAULT")); // still errnoBug
  expect(outcome(fcntlErrors, "EBADF")).toBe("Unexpected");
  expect(outcome(fcntlErrors, "EFAULT")).toBe("Unexpected");
  expect(outcome(nowErrors, "EFAULT")).toBe("Unexpected");
  expect(outcome(nowErrors, "EINVAL")).toBe("UnsupportedClock");
});

test("access through a directory handle that is not open is Unexpected, in any mode", () => {
  const io = t.io();
  const never = new Dir(0x3fffffff); // above any descriptor table
  let thrown: unknown;
  try {
    never.access(io, "x");
  } catch (e) {
    thrown = e;
  }
  expect(thrown).not.toBeInstanceOf(BugError);
  expect((thrown as IoError).code).toBe("Unexpected");
  expect((thrown as IoError).errno).toBe("EBADF");
});
