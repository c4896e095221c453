// A callback a task leaves behind on a pool thread (a timer that throws, a
// rejection nobody handles) runs when the thread next turns its event loop,
// during a later, unrelated task. It used to end the thread: the error was
// lost, and that later task failed with "the pool thread running this task
// exited". The thread now reports the error on stderr and goes on.
import { expect, test } from "bun:test";
import { runChild } from "../helpers/child.ts";
import { scaled } from "../helpers/time_scale.ts";

const child = new URL("../fixtures/left_behind_child.ts", import.meta.url).pathname;

test(
  "an error left behind is reported on stderr, and the tasks after it succeed on the same thread",
  async () => {
    const { out, err, code } = await runChild([process.execPath, child]);
    expect({ code, out: JSON.parse(out) }).toEqual({
      code: 0,
      out: {
        sameThread: true,
        afterTimer: "ok",
        afterRejection: "ok",
        own: "returned",
        spawnedTotal: 1,
      },
    });
    // Each report names what happened and where, with the error's stack.
    expect(err).toMatch(
      /threaded-io: an error thrown by a callback a task left behind on pool thread \d+ \(tio-pool-\d+\); the thread goes on with its tasks:\n/,
    );
    expect(err).toContain("error: late boom");
    expect(err).toMatch(/at <anonymous> \(.*left_behind_tasks\.ts:\d+:\d+\)/);
    expect(err).toContain("RangeError: the cause of late boom");
    expect(err).toMatch(
      /threaded-io: a promise rejection no task handled \(a promise a task left behind\) on pool thread \d+/,
    );
    expect(err).toContain("TypeError: late rejection");
    expect(err).toContain("error: thrown while its task awaits");
  },
  scaled(20_000),
);
