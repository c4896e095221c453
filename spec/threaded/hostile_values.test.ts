// A task's outcome may be a Proxy whose traps throw. Reading it on the pool
// thread (instanceof, `then`, encoding) used to throw out of the task's
// finishing: the thread's task loop ended, and the future failed ~100 ms
// later with "the pool thread running this task exited". The future now
// fails at once with an error that says what happened, and the thread
// lives on.
import { afterEach, expect, test } from "bun:test";
import { Group, IoError, Threaded } from "../../lib/index.ts";
import { rejectHostile, returnHostile, throwHostile } from "../fixtures/hostile_tasks.ts";
import { add } from "../fixtures/tasks.ts";

let t: Threaded | undefined;
afterEach(() => {
  t?.deinit();
  t = undefined;
});

/** What a blocking await of `run()` throws. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  throw new Error("did not throw");
}

const notPassed = (what: string, detail: string) =>
  `Unexpected: ${what} could not be passed back: ${detail}`;

test("thrown, returned or rejected with on a pool thread: a typed error, and the thread lives on", async () => {
  t = Threaded.init({ asyncLimit: 1 });
  const io = t.io();
  const threw = thrown(() => io.concurrent(throwHostile, false).await(io));
  expect(threw).toBeInstanceOf(IoError);
  expect((threw as IoError).code).toBe("Unexpected");
  expect((threw as Error).message).toBe(notPassed("the value the task threw", "Error: proto trap"));
  // The trap throws a proxy whose every read throws: even describing fails.
  expect((thrown(() => io.concurrent(throwHostile, true).await(io)) as Error).message).toBe(
    notPassed(
      "the value the task threw",
      "a value that throws when it is read (a Proxy's trap or a getter)",
    ),
  );
  // Reading `then` throws: that error, as `await` of the value would give.
  const got = thrown(() => io.concurrent(returnHostile).await(io));
  expect(got).toBeInstanceOf(Error);
  expect((got as Error).message).toBe("get trap");
  await expect(io.concurrent(rejectHostile).awaitAsync()).rejects.toThrow(
    notPassed("the value the task threw", "Error: proto trap"),
  );
  expect(io.concurrent(add, 1, 2).await(io)).toBe(3);
  expect(t.stats().threads.spawnedTotal).toBe(1);
});

test("a group member on a pool thread: the wait reports it, and the thread lives on", () => {
  t = Threaded.init({ asyncLimit: 1 });
  const io = t.io();
  using g = Group.init(io);
  g.concurrent(io, throwHostile, false);
  expect(() => g.wait(io)).toThrow(notPassed("the value the task threw", "Error: proto trap"));
  expect(t.stats().threads.spawnedTotal).toBe(1);
});

test("a group member run inline: g.async returns, and the wait reports it", async () => {
  t = Threaded.init({ asyncLimit: 0 });
  const io = t.io();
  using g = Group.init(io);
  g.async(io, throwHostile, false);
  expect(() => g.wait(io)).toThrow(notPassed("the value the task threw", "Error: proto trap"));
  g.async(io, returnHostile);
  expect(() => g.wait(io)).toThrow("get trap");
  g.async(io, rejectHostile);
  await expect(g.waitAsync(io)).rejects.toThrow(
    notPassed("the value the task threw", "Error: proto trap"),
  );
});
