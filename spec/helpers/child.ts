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
