// Observing threads through /proc (Linux): lets a test wait until a Worker is
// really blocked in a syscall before it signals or wakes it, instead of
// guessing with a sleep.
import { readdirSync, readFileSync } from "node:fs";
import { scaled } from "./time_scale.ts";

/** x86_64 and aarch64 numbers of the syscalls tests wait for. */
const SYSCALLS: Record<string, Record<string, number>> = {
  x64: {
    read: 0,
    connect: 42,
    openat: 257,
    futex: 202,
    clock_nanosleep: 230,
    accept4: 288,
    recvmsg: 47,
    poll: 7,
    ppoll: 271,
  },
  arm64: {
    read: 63,
    connect: 203,
    openat: 56,
    futex: 98,
    clock_nanosleep: 115,
    accept4: 242,
    recvmsg: 212,
    ppoll: 73,
  },
};

/** The numbering /proc reports syscalls in: the kernel's, which is the
 * host's under user-mode emulation (qemu-aarch64 on x86_64 runs the guest's
 * futex as the host's futex, 202). Found by reading this thread's own
 * /proc syscall file, which reports the read(2) doing it. */
function kernelArch(): string {
  const nr = Number.parseInt(readFileSync("/proc/thread-self/syscall", "utf8").split(" ")[0], 10);
  for (const [arch, table] of Object.entries(SYSCALLS)) if (table.read === nr) return arch;
  throw new Error(`Unknown syscall numbering (read is ${nr})`);
}
let arch: string | undefined;

export function syscallNumber(
  name:
    | "futex"
    | "clock_nanosleep"
    | "connect"
    | "openat"
    | "accept4"
    | "read"
    | "recvmsg"
    | "poll"
    | "ppoll",
): number {
  arch ??= kernelArch();
  const n = SYSCALLS[arch]?.[name];
  if (n === undefined) throw new Error(`No syscall table for arch "${arch}"`);
  return n;
}

/** The syscall thread `tid` of this process is blocked in and its first
 * argument, or null while it runs. */
export function currentSyscall(tid: number): { nr: number; arg0: number } | null {
  try {
    const text = readFileSync(`/proc/self/task/${tid}/syscall`, "utf8").trim();
    if (text === "running") return null;
    const [nr, arg0] = text.split(" ");
    return { nr: Number.parseInt(nr, 10), arg0: Number.parseInt(arg0, 16) };
  } catch {
    return null;
  }
}

/**
 * Resolves once `tid` is blocked in syscall `nr` (with first argument
 * `arg0`, when given: a futex address, since Bun's own locks are futexes
 * too); rejects after `ms`.
 */
export async function untilBlockedIn(
  tid: number,
  nr: number,
  arg0?: number,
  ms = scaled(5000),
): Promise<void> {
  const end = performance.now() + ms;
  const matches = () => {
    const s = currentSyscall(tid);
    return s !== null && s.nr === nr && (arg0 === undefined || s.arg0 === arg0);
  };
  while (!matches()) {
    if (performance.now() > end) throw new Error(`Thread ${tid} never blocked in syscall ${nr}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Resolves once some thread of this process is blocked in syscall `nr`
 * (with first argument `arg0`, when given: a futex address), for a thread
 * whose id the test cannot learn (a pool thread inside a task); rejects
 * after `ms`. `nr` may list several (poll or ppoll: libc picks). */
export async function untilAnyThreadBlockedIn(
  nr: number | readonly number[],
  ms = scaled(5000),
  arg0?: number,
): Promise<void> {
  const end = performance.now() + ms;
  const nrs = typeof nr === "number" ? [nr] : nr;
  const any = () =>
    readdirSync("/proc/self/task").some((tid) => {
      const s = currentSyscall(Number(tid));
      return s !== null && nrs.includes(s.nr) && (arg0 === undefined || s.arg0 === arg0);
    });
  while (!any()) {
    if (performance.now() > end) throw new Error(`No thread blocked in syscall ${nr}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}
