// The examples' tasks where a race made examples/abort_signal.ts hang (seen
// under emulation, where a thread starts slowly): a cancel requested before
// the task calls io.abortSignal() gives an already-aborted signal, whose
// "abort" event never fires.
import { expect, test } from "bun:test";
import { Threaded } from "../lib/index.ts";
import { waitForAbort } from "../examples/tasks.ts";

test("waitForAbort sees a cancel requested before it started", async () => {
  const t = Threaded.init({ asyncLimit: 1 });
  const io = t.io();
  const g = io.concurrent(waitForAbort, io);
  io.vtable.requestCancel(io.userdata, g);
  expect(await g).toBe("aborted: Canceled");
  t.deinit();
});
