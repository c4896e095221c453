// A server's deinit while a task is blocked in its accept on another
// thread: close(2) alone left the accept blocked for good, and the
// program's Threaded.deinit then waited for that task forever (a
// newcomer's shutdown: close the server, then deinit).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Ip4Address, ResetEvent, Threaded, type Io } from "../../lib/index.ts";
import { acceptOne } from "../fixtures/crossing_tasks.ts";
import { syscallNumber, untilAnyThreadBlockedIn } from "../helpers/proc.ts";

let t: Threaded;
let io: Io;
beforeAll(() => {
  t = Threaded.init();
  io = t.io();
});
afterAll(() => t.deinit());

test("wakes the accept with SocketNotListening", async () => {
  const server = Ip4Address.loopback(0).listen(io, { reuseAddress: true });
  const ready = ResetEvent.init(io);
  const f = io.concurrent(acceptOne, io, server, ready);
  try {
    await untilAnyThreadBlockedIn(syscallNumber("accept4"), undefined, server.socket.handle);
    server.deinit(io);
    expect(() => f.await(io)).toThrow(/SocketNotListening/);
  } finally {
    ready.deinit();
  }
});
