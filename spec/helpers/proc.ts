// Observing threads through /proc (Linux): lets a test wait until a Worker is
// really blocked in a syscall before it signals or wakes it, instead of
// guessing with a sleep.
import { readFileSync } from "node:fs";

/** x86_64 and aarch64 numbers of the syscalls tests wait for. */
const SYSCALLS: Record<string, Record<string, number>> = {
  x64: { futex: 202, clock_nanosleep: 230 },
  arm64: { futex: 98, clock_nanosleep: 115 },
};

export function syscallNumber(name: "futex" | "clock_nanosleep"): number {
  const n = SYSCALLS[process.arch]?.[name];
  if (n === undefined) throw new Error(`No syscall table for arch "${process.arch}"`);
  return n;
}

/** The syscall thread `tid` of this process is blocked in, or -1 if running. */
export function currentSyscall(tid: number): number {
  try {
    const text = readFileSync(`/proc/self/task/${tid}/syscall`, "utf8").trim();
    return text === "running" ? -1 : Number.parseInt(text.split(" ")[0], 10);
  } catch {
    return -1;
  }
}

/** Resolves once `tid` is blocked in syscall `nr`; rejects after `ms`. */
export async function untilBlockedIn(tid: number, nr: number, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (currentSyscall(tid) !== nr) {
    if (performance.now() > end) throw new Error(`Thread ${tid} never blocked in syscall ${nr}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}
