// The first pool of a thread starts its first thread as init begins, so it
// loads the library while init compiles the shim (lib/threaded/spare_thread.ts).
// Each case in a fresh process (spec/fixtures/spare_child.ts): only the
// first pool of a thread does it.
import { expect, test } from "bun:test";
import { runChild } from "../helpers/child.ts";

async function run(mode: string): Promise<Record<string, unknown>> {
  const { out, err, code } = await runChild([
    process.execPath,
    `${import.meta.dir}/../fixtures/spare_child.ts`,
    mode,
  ]);
  expect(err).toBe("");
  expect(code).toBe(0);
  return JSON.parse(out);
}

test("the first task runs on the thread init started; a second pool starts none ahead", async () => {
  const r = await run("adopted");
  expect(r.afterInit).toEqual({ started: 1, adopted: 0, ended: 0 });
  expect(r.sum).toBe(5);
  expect(r.afterTask).toEqual({ started: 1, adopted: 1, ended: 0 });
  expect(r.spawned).toBe(1);
  expect(r.second).toEqual({ started: 1, adopted: 1, ended: 0 });
});

test("unused, it ends with deinit and its thread goes", async () => {
  const r = await run("unused");
  expect(r.grew).toBe(true);
  expect(r.afterDeinit).toEqual({ started: 1, adopted: 0, ended: 1 });
  expect(r.back).toBe(true);
});

test("unused, it ends after the idle timeout; a later task starts a thread of its own", async () => {
  const r = await run("timeout");
  expect(r.afterTimeout).toEqual({ started: 1, adopted: 0, ended: 1 });
  expect(r.sum).toBe(2);
  expect(r.spawned).toBe(1);
});

test("with asyncLimit Infinity too", async () => {
  const r = await run("unlimited");
  expect(r.afterInit).toEqual({ started: 1, adopted: 0, ended: 0 });
  expect(r.sum).toBe(3);
  expect(r.afterTask).toEqual({ started: 1, adopted: 1, ended: 0 });
});

test("with asyncLimit 0 no thread starts ahead, nor for a later pool", async () => {
  const r = await run("no-async");
  expect(r.spares).toEqual({ started: 0, adopted: 0, ended: 0 });
});

test("a refused option starts nothing", async () => {
  const r = await run("bad-option");
  expect(r.error).toBe("RangeError");
  expect(r.afterError).toEqual({ started: 0, adopted: 0, ended: 0 });
  expect(r.afterInit).toEqual({ started: 1, adopted: 0, ended: 0 });
  expect(r.afterDeinit).toEqual({ started: 1, adopted: 0, ended: 1 });
});
