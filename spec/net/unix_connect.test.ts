// Connecting to a Unix socket whose listener's queue is full waits for room,
// as Zig's blocking connect does, instead of failing WouldBlock; the wait
// ends with Canceled when the task is canceled.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ResetEvent, Threaded, UnixAddress } from "../../lib/index.ts";
import { unixConnectTask } from "../fixtures/race_tasks.ts";
import { syscallNumber, untilAnyThreadBlockedIn } from "../helpers/proc.ts";
import { openSockets, tempDir } from "../helpers/tmp.ts";

let t: Threaded;
let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  t = Threaded.init();
  tmp = tempDir();
});
afterAll(() => {
  t.deinit();
  tmp.remove();
});

test("a connect to a full queue waits until accept makes room", async () => {
  const io = t.io();
  const before = openSockets();
  const path = `${tmp.path}/full.sock`;
  // Backlog 0: one pending connection fills the queue (Linux admits while
  // the queue length is not above the backlog).
  const server = UnixAddress.init(path).listen(io, { kernelBacklog: 0 });
  const first = UnixAddress.init(path).connect(io);
  using ready = ResetEvent.init(io);
  const second = io.concurrent(unixConnectTask, io, path, ready);
  await ready.waitAsync();
  await untilAnyThreadBlockedIn(syscallNumber("connect"));
  server.accept(io).close(io);
  expect(await second).toBe("connected");
  server.accept(io).close(io);
  first.close(io);
  server.deinit(io);
  expect(openSockets()).toBe(before);
});

test("a connect waiting for room ends with Canceled when canceled", async () => {
  const io = t.io();
  const before = openSockets();
  const path = `${tmp.path}/cancel.sock`;
  const server = UnixAddress.init(path).listen(io, { kernelBacklog: 0 });
  const first = UnixAddress.init(path).connect(io);
  using ready = ResetEvent.init(io);
  const second = io.concurrent(unixConnectTask, io, path, ready);
  await ready.waitAsync();
  await untilAnyThreadBlockedIn(syscallNumber("connect"));
  expect(second.cancel(io)).toBe("Canceled");
  first.close(io);
  server.deinit(io);
  expect(openSockets()).toBe(before);
});
