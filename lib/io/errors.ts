// The three kinds of failure, kept apart as Zig keeps them:
// - expected errors: `IoError` whose `code` is the Zig error name
//   ("FileNotFound", "Timeout", ...), with the errno, syscall and path that
//   produced it where there was one (the fields Node users know);
// - cancelation: `Canceled`, its own subclass, so `catch (e) { if (e
//   instanceof Canceled) ... }` reads as it does in Zig;
// - programmer bugs (a syscall failing with EBADF, EFAULT, ...): `BugError`,
//   thrown loudly in debug mode; outside it they become `Unexpected` as in
//   Zig's `errnoBug`.
import type { ErrnoName } from "../os/index.ts";

/** Zig's `Cancelable`. */
export type Cancelable = "Canceled";
/** Zig's `UnexpectedError`. */
export type UnexpectedError = "Unexpected";
/** Zig's `ConcurrentError`. */
export type ConcurrentError = "ConcurrencyUnavailable";
/** `Io.Clock.Error`. */
export type ClockError = "UnsupportedClock" | UnexpectedError;
/** `Io.SleepError`. */
export type SleepError = ClockError | Cancelable;
/** `Io.Timeout.Error`. */
export type TimeoutError = "Timeout" | "UnsupportedClock";
/** Heap exhaustion: the shared heap reached `maxHeapBytes`. */
export type AllocationError = "OutOfMemory";

/** What an `IoError` may carry besides its code: the errno name, syscall and path that produced it, a message and a cause. */
export interface IoErrorDetails {
  readonly message?: string;
  readonly errno?: ErrnoName | string;
  readonly syscall?: string;
  readonly path?: string;
  /** The socket address the call was about ("127.0.0.1:80"). */
  readonly address?: string;
  readonly cause?: unknown;
}

/** An expected failure: `code` is Zig's error name ("FileNotFound",
 * "Timeout", "ConnectionRefused", ...), with `errno`, `syscall` and `path`
 * where there was one. Cancelation is its subclass `Canceled`. */
export class IoError<Code extends string = string> extends Error {
  readonly code: Code;
  // `declare`: absent (not undefined) unless the error has one.
  declare readonly errno?: string;
  declare readonly syscall?: string;
  declare readonly path?: string;
  declare readonly address?: string;

  constructor(code: Code, details: IoErrorDetails = {}) {
    super(details.message ?? describe(code, details), { cause: details.cause });
    this.name = "IoError";
    this.code = code;
    const self = this as { errno?: string; syscall?: string; path?: string; address?: string };
    if (details.errno !== undefined) self.errno = details.errno;
    if (details.syscall !== undefined) self.syscall = details.syscall;
    if (details.path !== undefined) self.path = details.path;
    if (details.address !== undefined) self.address = details.address;
  }

  /** True when `e` is an IoError with one of `codes` (all codes if none given). */
  static is<C extends string>(e: unknown, ...codes: C[]): e is IoError<C> {
    return e instanceof IoError && (codes.length === 0 || codes.includes(e.code as C));
  }
}

/** Calls whose subject is where something goes: "connect to ...". */
const towards: ReadonlySet<string> = new Set(["connect", "bind", "sendto", "sendmsg", "sendmmsg"]);

/** Zig's error name, then the operation, what it was about, and the errno:
 * `ConnectionRefused: connect to 127.0.0.1:1 failed (ECONNREFUSED)`,
 * `FileNotFound: openat "a/b" failed (ENOENT)`. */
function describe(code: string, d: IoErrorDetails): string {
  if (d.syscall === undefined) {
    const subject = d.path !== undefined ? `"${d.path}"` : d.address;
    return subject === undefined ? code : `${code}: ${subject}`;
  }
  let text = `${code}: ${d.syscall}`;
  const subject = d.path !== undefined ? `"${d.path}"` : d.address;
  if (subject !== undefined) text += towards.has(d.syscall) ? ` to ${subject}` : ` ${subject}`;
  if (d.errno !== undefined) text += ` failed (${d.errno})`;
  return text;
}

/** The current task was canceled (Zig's `error.Canceled`). */
export class Canceled extends IoError<"Canceled"> {
  constructor(details: IoErrorDetails = {}) {
    super("Canceled", details);
    this.name = "Canceled";
  }
}

/** A syscall failed in a way only a bug in threaded-io or its caller can
 * cause (a closed fd, a bad pointer). Never an expected error. */
export class BugError extends Error {
  declare readonly errno?: string;
  declare readonly syscall?: string;
  constructor(message: string, details: { errno?: string; syscall?: string } = {}) {
    super(message);
    this.name = "BugError";
    const self = this as { errno?: string; syscall?: string };
    if (details.errno !== undefined) self.errno = details.errno;
    if (details.syscall !== undefined) self.syscall = details.syscall;
  }
}

/** Debug mode turns programmer-bug errnos into thrown `BugError`s, as a Zig
 * Debug build panics. On unless NODE_ENV is "production";
 * THREADED_IO_DEBUG=0 or 1 overrides either way. */
export const debug: boolean = (() => {
  const flag = process.env.THREADED_IO_DEBUG;
  if (flag === "1" || flag === "true") return true;
  if (flag === "0" || flag === "false") return false;
  return process.env.NODE_ENV !== "production";
})();
