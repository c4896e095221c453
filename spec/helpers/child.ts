// Running a fixture in a process of its own: for what only a fresh process
// shows (a thread's first pool) or only a process pinned to one CPU does.
/** Runs `argv` to its end: its output, error output and exit code. */
export async function runChild(
  argv: string[],
): Promise<{ out: string; err: string; code: number }> {
  const child = Bun.spawn(argv, { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { out, err, code };
}

/** `taskset`, where the system has it (specs that pin skip without it). */
export const taskset = Bun.which("taskset");

/** Runs the fixture at `path` in a Bun process pinned to CPU 0. */
export function runPinned(path: string): Promise<{ out: string; err: string; code: number }> {
  if (taskset === null) throw new Error("runPinned needs taskset");
  return runChild([taskset, "-c", "0", process.execPath, path]);
}
