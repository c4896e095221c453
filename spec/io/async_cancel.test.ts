// Inside a task, the async twins are cancelation points, as the blocking
// calls are (Zig's semantics): `lockAsync`, `condition.waitAsync`,
// `getOneAsync` and `event.waitAsync` end with Canceled; `await` of another
// future passes the cancel on to it; `group.waitAsync` cancels the members
// and goes on; `selectAsync` ends with Canceled. Before, a canceled task
// went on waiting until the resource came, and `future.cancel(io)` and
// `deinit` waited with it (an adversarial tester: still pending 2 s after
// the request, 4 of 4 twins).
import { afterAll, beforeAll, expect, test } from "bun:test";
import {
  Condition,
  Mutex,
  Queue,
  ResetEvent,
  Threaded,
  type Future,
  type Io,
} from "../../lib/index.ts";
import {
  awaitGroup,
  awaitSubTask,
  selectSleeper,
  waitWith,
} from "../fixtures/async_cancel_tasks.ts";

let t: Threaded;
let io: Io;
beforeAll(() => {
  t = Threaded.init();
  io = t.io();
});
afterAll(() => t.deinit());

/** Starts `start`, waits until it set `ready`, cancels it, and returns its
 * outcome (the cancel blocks until the task ends). */
async function cancelOnceReady(start: (ready: ResetEvent) => Future<string>): Promise<string> {
  using ready = ResetEvent.init(io);
  const f = start(ready);
  await ready.waitAsync();
  return f.cancel(io);
}

for (const which of ["lockAsync", "condition", "getOneAsync", "eventWaitAsync"]) {
  test(`${which} in a canceled task ends with Canceled, leaving nothing behind`, async () => {
    using m = Mutex.init(io);
    using c = Condition.init(io);
    using q = Queue.init<number>(io, 1);
    using ev = ResetEvent.init(io);
    if (which === "lockAsync") m.lock(io);
    const outcome = await cancelOnceReady((ready) =>
      io.concurrent(waitWith, io, which, ready, m, c, q, ev),
    );
    expect(outcome).toBe("Canceled");
    if (which === "lockAsync") m.unlock(io);
    // Nothing left counted or held: each can be used and freed.
    expect(m.tryLock()).toBe(true);
    m.unlock(io);
    expect(c.waiters()).toBe(0);
    q.putOne(io, 7);
    expect(q.getOne(io)).toBe(7);
  });
}

test("awaiting another future: the cancel is passed on to it", async () => {
  expect(await cancelOnceReady((ready) => io.concurrent(awaitSubTask, io, ready))).toBe(
    "sub Canceled",
  );
});

test("group.waitAsync: the members are canceled and the wait returns; the task sees the cancel next", async () => {
  expect(await cancelOnceReady((ready) => io.concurrent(awaitGroup, io, ready))).toBe(
    "waited, then Canceled",
  );
});

test("selectAsync ends with Canceled; the futures stay pending, to be awaited", async () => {
  expect(await cancelOnceReady((ready) => io.concurrent(selectSleeper, io, ready))).toBe(
    "Canceled; sleeper Canceled",
  );
});

test("on the main thread the twins are no cancelation points: a wait is not cut short", async () => {
  using ev = ResetEvent.init(io);
  const wait = ev.waitAsync();
  setTimeout(() => ev.set(), 5);
  await wait;
  expect(ev.isSet()).toBe(true);
});
