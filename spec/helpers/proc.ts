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
  ms = 5000,
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
