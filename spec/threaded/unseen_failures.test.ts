// A task that failed and whose future nobody awaited or canceled was lost
// without a word. Now its instance's deinit, or the process's exit, names
// it on stderr (lib/threaded/unseen_failures.ts); an await at any time
// before that, a cancel, or a dispose keeps it quiet.
import { expect, test } from "bun:test";

const child = new URL("../fixtures/unseen_failures.ts", import.meta.url).pathname;

function run(mode: string): { out: string; err: string; code: number | null } {
  const p = Bun.spawnSync([process.execPath, child, mode], { stdout: "pipe", stderr: "pipe" });
  return { out: p.stdout.toString(), err: p.stderr.toString(), code: p.exitCode };
}

const ADVICE =
  "Await or cancel every future (future.await(io), await future, future.cancel(io)).\n";

test("a script that never awaits a failed task hears of it as it exits", () => {
  const { err, code } = run("forgotten");
  expect(err).toBe(
    "threaded-io: a task failed and its future was never awaited or canceled (found as the " +
      "process exited): fail: IoError: FileNotFound: from a task. " +
      ADVICE,
  );
  expect(code).toBe(0); // a report, not a failure of the program
});

test("a task run inline on the caller the same", () => {
  const { err } = run("inline");
  expect(err).toBe(
    "threaded-io: a task failed and its future was never awaited or canceled (found as the " +
      "process exited): failPlain: RangeError: out of range. " +
      ADVICE,
  );
});

test("deinit names the failures nobody awaited, not the ones awaited", () => {
  const { err, out } = run("deinit");
  expect(out).toBe("deinit returned after seen\n");
  expect(err).toBe(
    "threaded-io: a task failed and its future was not awaited or canceled before " +
      "threaded.deinit(): fail: IoError: AccessDenied: from a task. " +
      ADVICE,
  );
});

test("a future awaited long after its task failed, a cancel and a dispose say nothing", () => {
  const late = run("awaited-late");
  expect(late.out).toBe("caught late\n");
  expect(late.err).toBe("");
  expect(run("canceled").err).toBe("");
});

test("many: the first three, and how many more", () => {
  expect(run("many").err).toMatch(
    /^threaded-io: 5 tasks failed and their futures were never awaited or canceled \(found as the process exited\): failPlain: RangeError: number \d; failPlain: RangeError: number \d; failPlain: RangeError: number \d; and 2 more\. Await/,
  );
});

test("a group never waited after members failed: its failures, once each", () => {
  expect(run("group").err).toBe(
    "threaded-io: 2 group members failed and their group was never waited or canceled " +
      "(found as the process exited): fail: IoError: NotDir: from a task; fail: IoError: " +
      "NotDir: from a task. Wait or cancel every group (group.wait(io), await " +
      "group.waitAsync(io), group.cancel(io)).\n",
  );
  const waited = run("group-waited");
  expect(waited.out).toBe("caught NotDir: from a task\n");
  expect(waited.err).toBe("");
});

test("a handler attached before deinit is an await: not reported", () => {
  const { out, err } = run("then-before-deinit");
  expect(err).toBe("");
  expect(out).toBe("handler: failed after the sleep\n");
});

test("an error with no string form is still reported, and deinit returns", () => {
  const { out, err, code } = run("unprintable");
  expect(err).toBe(
    "threaded-io: a task failed and its future was not awaited or canceled before " +
      "threaded.deinit(): throwNullPrototype: thrown [Object: null prototype] {}. " +
      ADVICE,
  );
  expect(out).toBe("deinit returned\n");
  expect(code).toBe(0);
});

test("a task that left a failed task unawaited: reported as its thread leaves", () => {
  expect(run("nested").err).toMatch(
    /^threaded-io: a task failed and its future was never awaited or canceled \(found as pool thread \d+ left\): fail: IoError: NotDir: from a task\. /,
  );
});

test("past a thousand inline failures, each is still counted", () => {
  expect(run("many-inline").err).toMatch(
    /^threaded-io: 1500 tasks failed and their futures were not awaited or canceled before threaded\.deinit\(\): failPlain: RangeError: inline 0; failPlain: RangeError: inline 1; failPlain: RangeError: inline 2; and 1497 more\. /,
  );
});
