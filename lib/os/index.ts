// Picks this OS's table once, at load, and derives what every caller needs
// from it: the errno number → name map and the named capability flags that
// say why an OS-specific path exists (as Zig's `have_*` constants do).
import { darwin } from "./darwin.ts";
import { linuxArm64 } from "./linux_arm64.ts";
import { linuxX64 } from "./linux_x64.ts";
import type { ErrnoName, OsTable } from "./types.ts";

export type { ErrnoName, OsTable } from "./types.ts";

function pick(): OsTable {
  switch (process.platform) {
    case "linux":
      // Flags, syscall-visible struct layouts and the kernel's O_LARGEFILE
      // bit differ per architecture (arm64's 0100000 is O_NOFOLLOW).
      if (process.arch === "x64") return linuxX64;
      if (process.arch === "arm64") return linuxArm64;
      throw new Error(
        `threaded-io has no Linux table for architecture "${process.arch}" ` +
          "(generate one with scripts/gen-os-table.ts)",
      );
    case "darwin":
      return darwin;
    default:
      throw new Error(`threaded-io does not support platform "${process.platform}"`);
  }
}

export const os: OsTable = pick();
export const E = os.errno;
export const C = os.constants;
export const L = os.layout;

/** errno number → name for a table (the first name wins for aliases such as
 * EAGAIN/EWOULDBLOCK or EOPNOTSUPP/ENOTSUP on Linux). */
export function errnoNames(table: OsTable): ReadonlyMap<number, ErrnoName> {
  const map = new Map<number, ErrnoName>();
  for (const [name, value] of Object.entries(table.errno) as [ErrnoName, number][]) {
    if (!map.has(value)) map.set(value, name);
  }
  return map;
}

export const errnoName: ReadonlyMap<number, ErrnoName> = errnoNames(os);

/**
 * The signal a cancel sends to the thread running the task (Zig's `Threaded.zig` uses
 * SIGIO). Linux: a real-time signal, SIGRTMIN + 8. SIGIO cannot be shared:
 * Bun installs its own handler for `process.on("SIGIO")` (replacing ours, so
 * cancels would run the user's handler and, with SA_RESTART, stop
 * interrupting syscalls), and ours replaced a user's handler installed
 * before. Real-time signals cannot be named in `process.on`, Bun and JSC
 * catch none of them (checked in /proc/self/status SigCgt: 4–8, 11, 29 with
 * a SIGIO listener, 30, 31, and 33 for glibc's own use), glibc keeps 32–33
 * and musl 32–34 below SIGRTMIN; the +8 leaves the first few to programs that
 * pick SIGRTMIN itself. Darwin has no real-time signals: SIGIO stays there.
 */
export const cancelSignal: number =
  os.constants.SIGRTMIN !== undefined ? os.constants.SIGRTMIN + 8 : os.constants.SIGIO;

/** Capabilities of this OS, named after Zig's `have_*` flags. */
export const have = {
  /** clock_nanosleep with TIMER_ABSTIME: deadline sleeps without a clock read. */
  clockNanosleep: os.constants.TIMER_ABSTIME !== undefined,
  /** statx(2): stat with nanosecond times and a mask, Linux only. */
  statx: os.layout.sizeof_statx !== undefined,
  /** accept4/socket type flags: CLOEXEC set atomically at creation. */
  sockFlags: os.constants.SOCK_CLOEXEC !== undefined,
  /** sendmmsg/recvmmsg. */
  sendmmsg: os.layout.sizeof_mmsghdr !== undefined,
  /** MSG_NOSIGNAL; Darwin uses the SO_NOSIGPIPE socket option instead. */
  msgNoSignal: os.constants.MSG_NOSIGNAL !== undefined,
  /** O_SHLOCK/O_EXLOCK open flags; elsewhere flock(2) after open. */
  openLockFlags: os.constants.O_EXLOCK !== undefined,
} as const;
