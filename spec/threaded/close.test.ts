// close of a file, directory or socket ignores every errno Zig's posix.close
// ignores (all but EBADF, which is a bug), instead of throwing Unexpected.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Dir, File, Ip4Address, Socket, Threaded } from "../../lib/index.ts";
import { BugError, debug, IoError } from "../../lib/io/errors.ts";
import { E } from "../../lib/os/index.ts";
import { checkClose } from "../../lib/threaded/close.ts";

let t: Threaded;
beforeAll(() => {
  t = Threaded.init();
});
afterAll(() => t.deinit());

test("errnos Zig's close ignores are ignored", () => {
  // A network or FUSE file system reports write-back failures from close's
  // flush; Linux has released the descriptor either way.
  for (const name of ["EINTR", "EIO", "ENOSPC", "EDQUOT", "ENOLINK", "EINPROGRESS"] as const) {
    expect(() => checkClose(-E[name]!)).not.toThrow();
  }
  expect(() => checkClose(0)).not.toThrow();
});

test("EBADF is a bug: BugError in debug mode, Unexpected outside it", () => {
  let thrown: unknown;
  try {
    checkClose(-E.EBADF!);
  } catch (e) {
    thrown = e;
  }
  if (debug) expect(thrown).toBeInstanceOf(BugError);
  else expect((thrown as IoError).code).toBe("Unexpected");
});

test("file, directory and socket close report a descriptor that was never open", () => {
  const io = t.io();
  // A number above any descriptor table: EBADF without risking another
  // thread's descriptor.
  const never = 0x3fffffff;
  const kind = (f: () => void) => {
    try {
      f();
      return "ok";
    } catch (e) {
      return e instanceof BugError ? "bug" : (e as IoError).code;
    }
  };
  const want = debug ? "bug" : "Unexpected";
  expect(kind(() => new File(never).close(io))).toBe(want);
  expect(kind(() => new Dir(never).close(io))).toBe(want);
  expect(kind(() => new Socket(never, Ip4Address.loopback(0)).close(io))).toBe(want);
});
