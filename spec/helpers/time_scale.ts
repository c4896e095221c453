// Timing-only bounds scale with THREADED_IO_TEST_TIME_SCALE (default 1): CI's
// second pass runs the whole suite under qemu-aarch64 user-mode emulation,
// several times slower (.ci/run sets the factor, and bun test's --timeout
// to match). Only bounds on how long something may take use it — test
// timeouts, "finished within", waits for a thread to block — never what a
// test asserts about behaviour.
function parseScale(text: string | undefined): number {
  if (text === undefined || text === "") return 1;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 1)
    throw new Error(`THREADED_IO_TEST_TIME_SCALE must be a number ≥ 1, not "${text}"`);
  return n;
}

export const timeScale = parseScale(process.env.THREADED_IO_TEST_TIME_SCALE);

/** `ms` scaled for this run. */
export function scaled(ms: number): number {
  return ms * timeScale;
}
