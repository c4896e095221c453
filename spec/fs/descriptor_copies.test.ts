// A Dir or File passed to a task shares a cell with the object it came
// from (lib/io/descriptor_cell.ts): after a close through either, the other
// throws "used after close" instead of reaching whatever the number names
// by then. Before, a walk handing `entry.dir` to tasks read another
// directory's file in 10–13 of 20 tasks, silently.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  BugError,
  Dir,
  File,
  Ip4Address,
  Queue,
  ResetEvent,
  Threaded,
  type Io,
} from "../../lib/index.ts";
import { tempDir } from "../helpers/tmp.ts";
import {
  closeDir,
  openThroughCopy,
  readAfter,
  statAfter,
  writeAfter,
} from "../fixtures/descriptor_tasks.ts";
import { syscallNumber, untilAnyThreadBlockedIn } from "../helpers/proc.ts";

let t: Threaded;
let io: Io;
const tmp = tempDir("tio-descriptor-copies-");
beforeAll(() => {
  t = Threaded.init();
  io = t.io();
  for (const d of ["a", "b"]) {
    mkdirSync(join(tmp.path, d));
    writeFileSync(join(tmp.path, d, "index.txt"), d);
  }
});
afterAll(() => {
  t.deinit();
  tmp.remove();
});

test("a directory closed after it was passed: the task's copy refuses, never reads the next one", () => {
  const ready = ResetEvent.init(io);
  const go = ResetEvent.init(io);
  const a = Dir.cwd().openDir(io, join(tmp.path, "a"));
  const f = io.concurrent(readAfter, io, a, "index.txt", ready, go);
  ready.wait(io);
  a.close(io);
  // The next open takes the lowest free number, `a`'s, unless another
  // thread took it first: open a few (the refusal does not depend on it).
  const opened: Dir[] = [];
  try {
    for (let i = 0; i < 4 && !opened.some((d) => d.handle === a.handle); i++)
      opened.push(Dir.cwd().openDir(io, join(tmp.path, "b")));
    go.set();
    expect(f.await(io)).toMatch(
      /^BugError: Dir \(descriptor \d+\) used after close, closed through another Dir over it/,
    );
  } finally {
    for (const d of opened) d.close(io);
    ready.deinit();
    go.deinit();
  }
});

test("a file the same way", () => {
  const ready = ResetEvent.init(io);
  const go = ResetEvent.init(io);
  const file = Dir.cwd().openFile(io, join(tmp.path, "a", "index.txt"));
  const f = io.concurrent(statAfter, io, file, ready, go);
  ready.wait(io);
  file.close(io);
  go.set();
  try {
    expect(f.await(io)).toMatch(
      /^BugError: File \(descriptor \d+\) used after close, closed through/,
    );
  } finally {
    ready.deinit();
    go.deinit();
  }
});

test("a task that closes its copy: the original refuses use and a second close", () => {
  const d = Dir.cwd().openDir(io, join(tmp.path, "a"));
  io.concurrent(closeDir, io, d).await(io);
  expect(() => d.statPath(io, "index.txt")).toThrow(BugError);
  expect(() => d.statPath(io, "index.txt")).toThrow(/used after close, closed through another Dir/);
  expect(() => d.close(io)).toThrow(/closed twice through another Dir/);
});

test("while the original is open, the copy works; a directory that never crossed costs no cell", () => {
  const ready = ResetEvent.init(io);
  const go = ResetEvent.init(io);
  go.set();
  const before = t.stats().heap.inUse;
  const d = Dir.cwd().openDir(io, join(tmp.path, "b"));
  expect(t.stats().heap.inUse).toBe(before);
  expect(io.concurrent(readAfter, io, d, "index.txt", ready, go).await(io)).toBe("b");
  d.close(io);
  // The cell went with the close (and the task's closure with its await).
  expect(t.stats().heap.inUse).toBe(before);
  ready.deinit();
  go.deinit();
});

test("a stream the same way: the task's copy never writes into the next socket", () => {
  const ready = ResetEvent.init(io);
  const go = ResetEvent.init(io);
  const server = Ip4Address.loopback(0).listen(io, { reuseAddress: true });
  const client = server.socket.address.connect(io, { mode: "stream" });
  const peer = server.accept(io);
  const f = io.concurrent(writeAfter, io, client, ready, go);
  ready.wait(io);
  client.close(io);
  try {
    go.set();
    expect(f.await(io)).toMatch(
      /^BugError: Stream \(descriptor \d+\) used after close, closed through another Stream over it/,
    );
  } finally {
    peer.close(io);
    server.deinit(io);
    ready.deinit();
    go.deinit();
  }
});

test("a file that went through a queue carries the cell too", () => {
  const q = Queue.init<File>(io, 2);
  const file = Dir.cwd().openFile(io, join(tmp.path, "a", "index.txt"));
  try {
    q.putOne(io, file);
    const copy = q.getOne(io);
    file.close(io);
    expect(() => copy.stat(io)).toThrow(/used after close, closed through another File/);
  } finally {
    q.deinit();
  }
});

test("a close with a wrong io closes nothing and marks nothing", () => {
  const file = Dir.cwd().openFile(io, join(tmp.path, "a", "index.txt"));
  expect(() => file.close(undefined as never)).toThrow(
    /^File\.close takes the Io \(threaded\.io\(\)\) as its first argument, not undefined$/,
  );
  expect(file.stat(io).size).toBe(1n);
  file.close(io);
});

test("a close while a call through a copy is in flight leaves the number open until it returns", async () => {
  const fifo = join(tmp.path, "a", "fifo");
  expect(Bun.spawnSync(["mkfifo", fifo]).exitCode).toBe(0);
  const a = Dir.cwd().openDir(io, join(tmp.path, "a"));
  // The task's openat of the FIFO blocks until a writer opens it.
  const f = io.concurrent(openThroughCopy, io, a, "fifo");
  await untilAnyThreadBlockedIn(syscallNumber("openat"), undefined, a.handle);
  a.close(io); // returns at once; close(2) waits for the call in flight
  const b = Dir.cwd().openDir(io, join(tmp.path, "b"));
  try {
    expect(b.handle).not.toBe(a.handle); // still open: not reused
    expect(readlinkSync(`/proc/self/fd/${a.handle}`)).toBe(join(tmp.path, "a"));
    writeFileSync(fifo, "through"); // the writer: the open returns
    expect(await f).toBe("through");
    // The call left, and closed the descriptor as it did.
    expect(
      existsSync(`/proc/self/fd/${a.handle}`) ? readlinkSync(`/proc/self/fd/${a.handle}`) : "",
    ).not.toBe(join(tmp.path, "a"));
  } finally {
    b.close(io);
  }
});
