import { afterEach, describe, expect, test } from "bun:test";
import { BugError, Canceled, IoError } from "../../lib/io/errors.ts";
import { darwin } from "../../lib/os/darwin.ts";
import { errnoNames, E } from "../../lib/os/index.ts";
import { BUG, errnoError, syscall, type ErrnoTable } from "../../lib/threaded/syscall.ts";
import { enterTask, exitTask, requestCancel } from "../../lib/substrate/cancel.ts";
import { Threaded } from "../../lib/threaded/threaded.ts";

const table: ErrnoTable<"FileNotFound" | "AccessDenied" | "UnsupportedClock"> = {
  ENOENT: "FileNotFound",
  EACCES: "AccessDenied",
  EINVAL: BUG,
};

function codeOf(e: unknown): string {
  if (e instanceof BugError) return `bug:${e.errno}`;
  if (e instanceof Canceled) return "Canceled";
  if (e instanceof IoError) return `${e.code}:${e.errno}`;
  return String(e);
}

describe("errnoError maps each errno through the operation's table", () => {
  const cases: [number, string][] = [
    [E.ENOENT!, "FileNotFound:ENOENT"],
    [E.EACCES!, "AccessDenied:EACCES"],
    [E.EINVAL!, "bug:EINVAL"], // marked BUG: debug mode (the default in tests) throws
    [E.EBADF!, "bug:EBADF"], // always a bug unless a table says otherwise
    [E.EFAULT!, "bug:EFAULT"],
    [E.ECANCELED!, "Canceled"],
    [E.ENOSPC!, "Unexpected:ENOSPC"], // not in the table
    [4095, "Unexpected:errno 4095"], // not an errno this OS has
  ];
  for (const [errno, want] of cases) {
    test(`errno ${errno} → ${want}`, () => {
      expect(codeOf(errnoError(table, errno, "openat", "/x"))).toBe(want);
    });
  }

  test("the error carries syscall and path and reads like Node's", () => {
    const e = errnoError(table, E.ENOENT!, "openat", "a/b") as IoError;
    expect(e.syscall).toBe("openat");
    expect(e.path).toBe("a/b");
    expect(e.message).toBe('FileNotFound: openat "a/b" failed (ENOENT)');
  });

  test("the Darwin table is usable as data: its numbers map to the same codes", () => {
    const names = errnoNames(darwin);
    expect(codeOf(errnoError(table, 2, "open", undefined, names))).toBe("FileNotFound:ENOENT");
    expect(codeOf(errnoError(table, 13, "open", undefined, names))).toBe("AccessDenied:EACCES");
    expect(codeOf(errnoError(table, 89, "open", undefined, names))).toBe("Canceled"); // Darwin ECANCELED
    expect(codeOf(errnoError(table, 35, "open", undefined, names))).toBe("Unexpected:EAGAIN");
  });
});

describe("syscall retries EINTR", () => {
  let t: Threaded | undefined;
  afterEach(() => t?.deinit());

  test("EINTR is retried until the call succeeds", () => {
    let calls = 0;
    const rc = syscall(table, "read", () => (++calls < 3 ? -E.EINTR! : 42));
    expect(rc).toBe(42);
    expect(calls).toBe(3);
  });

  test("EINTR with a pending cancel ends in Canceled", () => {
    t = Threaded.init();
    const word = t.heap.allocZeroed(4);
    enterTask(t.heap, word);
    let calls = 0;
    try {
      expect(() =>
        syscall(table, "read", () => {
          calls++;
          requestCancel(t!.heap, word);
          return -E.EINTR!;
        }),
      ).toThrow(Canceled);
    } finally {
      exitTask();
    }
    expect(calls).toBe(1);
    t.heap.free(word);
  });

  test("an uncancelable call retries EINTR even when canceled", () => {
    t = Threaded.init();
    const word = t.heap.allocZeroed(4);
    enterTask(t.heap, word);
    requestCancel(t.heap, word);
    let calls = 0;
    try {
      expect(syscall(table, "close", () => (++calls < 2 ? -E.EINTR! : 0), undefined, false)).toBe(
        0,
      );
    } finally {
      exitTask();
    }
    t.heap.free(word);
  });
});
