// A blocking `group.cancel(io)` or `group.wait(io)` while this thread's
// `group.waitAsync(io)` is pending (a SIGINT handler canceling while main
// awaits) threw "Group is already being waited on"; a future allows the
// same. It now carries on the wait, and the pending waitAsync settles with
// the same outcome.
import { afterAll, expect, test } from "bun:test";
import { Group, Threaded } from "../../lib/index.ts";
import { ResetEvent } from "../../lib/io/reset_event.ts";
import { add, blockOnEvent, fail } from "../fixtures/tasks.ts";
import { thrown } from "../helpers/errors.ts";

const t = Threaded.init();
afterAll(() => t.deinit());

test("cancel while waitAsync is pending: the members are canceled, both return", async () => {
  const io = t.io();
  using never = ResetEvent.init(io);
  using ready = ResetEvent.init(io);
  using g = Group.init(io);
  g.concurrent(io, blockOnEvent, io, never, ready);
  await ready.waitAsync();
  const pending = g.waitAsync(io);
  g.cancel(io); // was BugError: Group is already being waited on
  expect(await pending).toBeUndefined();
  // Reusable: the wait is over on every side.
  g.concurrent(io, add, 1, 2);
  await g.waitAsync(io);
});

test("wait while waitAsync is pending: a member's error reaches both, the same object", async () => {
  const io = t.io();
  using ev = ResetEvent.init(io);
  using ready = ResetEvent.init(io);
  using g = Group.init(io);
  g.concurrent(io, blockOnEvent, io, ev, ready);
  g.concurrent(io, fail, "NotDir");
  await ready.waitAsync();
  const pending = g.waitAsync(io).then(
    () => null,
    (e: unknown) => e,
  );
  ev.set();
  const error = thrown(() => g.wait(io));
  expect((error as { code?: string }).code).toBe("NotDir");
  expect(await pending).toBe(error);
  g.wait(io); // nothing left: returns
});

test("another waitAsync while one is pending is still refused", async () => {
  const io = t.io();
  using never = ResetEvent.init(io);
  using ready = ResetEvent.init(io);
  using g = Group.init(io);
  g.concurrent(io, blockOnEvent, io, never, ready);
  await ready.waitAsync();
  const pending = g.waitAsync(io);
  await expect(g.waitAsync(io)).rejects.toThrow("Group is already being waited on");
  g.requestCancel(io);
  await pending;
});
