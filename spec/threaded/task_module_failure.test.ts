// A task module that fails to load on a pool thread after registering its
// tasks: each call of such a task fails with the load's TypeError. The
// second call used to run the task from the half-loaded module.
import { afterAll, expect, test } from "bun:test";
import { Threaded } from "../../lib/index.ts";
import { registeredFirst } from "../fixtures/throws_on_pool.ts";

const t = Threaded.init({ asyncLimit: 1, concurrentLimit: 1 });
const io = t.io();
afterAll(() => t.deinit());

test("every call of a task whose module failed to load fails, on the same thread", async () => {
  const failures: unknown[] = [];
  for (const how of ["blocking", "async", "blocking"]) {
    const f = io.concurrent(registeredFirst);
    try {
      failures.push(how === "blocking" ? f.await(io) : await f);
    } catch (e) {
      failures.push(e);
    }
  }
  // One pool thread (concurrentLimit 1) ran all three.
  for (const e of failures) {
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toContain("thrown as a pool thread loads this module");
    expect((e as Error).message).toContain('to find task "registeredFirst" failed');
    expect((e as Error).cause).toBeInstanceOf(RangeError);
  }
});
