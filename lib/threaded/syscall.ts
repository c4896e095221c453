// The one syscall helper. A shim wrapper returns its result (≥ 0) or -errno;
// each operation has a table from errno name to its Zig error name, written
// as data beside the operation, instead of Zig's `switch` at every call
// site. The helper applies what every table shares:
// - EINTR: a signal (usually a cancel's SIGIO) interrupted the call: check
//   for cancelation, then retry;
// - ECANCELED: `Canceled`;
// - an errno the table marks BUG, or EBADF/EFAULT when the table does not
//   name them: a programmer bug, thrown as `BugError` in debug mode and
//   `Unexpected` otherwise (Zig's errnoBug);
// - an errno the table does not know: `Unexpected`, carrying the errno name.
import { BugError, Canceled, debug, IoError } from "../io/errors.ts";
import { errnoName, type ErrnoName } from "../os/index.ts";
import { checkCancel } from "../substrate/cancel.ts";

export const BUG = "<bug>" as const;

export type ErrnoTable<Code extends string> = { readonly [K in ErrnoName]?: Code | typeof BUG };

const alwaysBugs: ReadonlySet<string> = new Set<ErrnoName>(["EBADF", "EFAULT"]);

/** What a call was about: a file path, or a socket address. */
export type Subject = string | { readonly address: string };

function about(subject: Subject | undefined): { path?: string; address?: string } {
  if (subject === undefined) return {};
  return typeof subject === "string" ? { path: subject } : { address: subject.address };
}

/** The error an errno means for an operation (never thrown here). */
export function errnoError<Code extends string>(
  table: ErrnoTable<Code>,
  errno: number,
  syscall: string,
  subject?: Subject,
  names: ReadonlyMap<number, ErrnoName> = errnoName,
): IoError<Code | "Unexpected" | "Canceled"> | BugError {
  const name = names.get(errno);
  const where = about(subject);
  if (name === undefined) {
    return new IoError("Unexpected", { errno: `errno ${errno}`, syscall, ...where });
  }
  if (name === "ECANCELED" && table.ECANCELED === undefined)
    return new Canceled({ errno: name, syscall });
  const mapped = table[name];
  if (mapped === BUG || (mapped === undefined && alwaysBugs.has(name))) {
    if (debug) {
      const what = new IoError("Unexpected", { errno: name, syscall, ...where }).message;
      return new BugError(
        `Programmer bug caused syscall error: ${what.slice(what.indexOf(": ") + 2)}`,
        { errno: name, syscall },
      );
    }
    return new IoError("Unexpected", { errno: name, syscall, ...where });
  }
  if (mapped === undefined) return new IoError("Unexpected", { errno: name, syscall, ...where });
  return new IoError(mapped, { errno: name, syscall, ...where });
}

const EINTR = [...errnoName].find(([, n]) => n === "EINTR")![0];

/**
 * Calls `call` until it does not fail with EINTR and returns its result, or
 * throws the error its errno means in `table`. A cancelable call checks for
 * cancelation before each retry; an uncancelable one just retries.
 */
export function syscall<Code extends string>(
  table: ErrnoTable<Code>,
  name: string,
  call: () => number,
  subject?: Subject,
  cancelable = true,
): number {
  // Zig's `Threaded.zig` checks before every attempt; the first check is here, the
  // others follow EINTR in `settle`.
  if (cancelable) checkCancel();
  return settle(call(), table, name, call, subject, cancelable);
}

/**
 * Finishes a call whose first attempt returned `rc` (made inline by a hot
 * path, after its own cancel check): the result, or EINTR retries, or the
 * error its errno means.
 */
export function settle<Code extends string>(
  rc: number,
  table: ErrnoTable<Code>,
  name: string,
  call: () => number,
  subject?: Subject,
  cancelable = true,
): number {
  for (;;) {
    if (rc >= 0) return rc;
    if (-rc !== EINTR) throw errnoError(table, -rc, name, subject);
    if (cancelable) checkCancel();
    rc = call();
  }
}
