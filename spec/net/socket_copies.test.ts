// A socket passed to a task shares a descriptor cell with the object it
// came from (lib/io/descriptor_cell.ts), and its calls count themselves in.
// A close through the original while the copy's call is blocked wakes that
// call (shutdown) and leaves close(2) to it as it returns. Before, the close
// freed the number at once: the blocked read stayed blocked (a close does
// not wake it) and the peer never saw the end, and a call racing the close
// could reach the socket that reused the number.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readlinkSync } from "node:fs";
import { Ip4Address, Threaded, type Io, type Stream } from "../../lib/index.ts";
import { readThroughCopy, receiveThroughCopy } from "../fixtures/descriptor_tasks.ts";
import { syscallNumber, untilAnyThreadBlockedIn } from "../helpers/proc.ts";
import { scaled } from "../helpers/time_scale.ts";

let t: Threaded;
let io: Io;
beforeAll(() => {
  t = Threaded.init();
  io = t.io();
});
afterAll(() => t.deinit());

function pollNumbers(): number[] {
  const nrs = [syscallNumber("ppoll")];
  try {
    nrs.push(syscallNumber("poll"));
  } catch {
    // arm64 has only ppoll
  }
  return nrs;
}

const fdTarget = (fd: number): string =>
  existsSync(`/proc/self/fd/${fd}`) ? readlinkSync(`/proc/self/fd/${fd}`) : "";

/** The future's outcome, or "hung" after a bound no passing run comes near. */
async function within<T>(f: PromiseLike<T>): Promise<T | "hung"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<"hung">((r) => (timer = setTimeout(() => r("hung"), scaled(2000))));
  try {
    return await Promise.race([f, bound]);
  } finally {
    clearTimeout(timer);
  }
}

test("a stream closed while a task's copy is blocked in a read: the read ends, the peer sees the end", async () => {
  const server = Ip4Address.loopback(0).listen(io, { reuseAddress: true });
  const client = server.socket.address.connect(io, { mode: "stream" });
  const peer: Stream = server.accept(io);
  const target = fdTarget(client.handle);
  const f = io.concurrent(readThroughCopy, io, client);
  let outcome: number | string = "hung";
  try {
    await untilAnyThreadBlockedIn(syscallNumber("read"), undefined, client.handle);
    client.close(io); // returns at once: the read holds the number
    outcome = await within(f);
    expect(outcome).toBe(0);
    expect(peer.read(io, new Uint8Array(8))).toBe(0); // the peer saw the end
    // The read, the last call out, closed the descriptor as it returned.
    expect(fdTarget(client.handle)).not.toBe(target);
    expect(() => client.read(io, new Uint8Array(8))).toThrow(/used after close/);
  } finally {
    if (outcome === "hung") {
      peer.writeAll(io, new Uint8Array([1])); // a failing run's read returns too
      await f;
    }
    peer.close(io);
    server.deinit(io);
  }
});

test("a datagram socket closed while a task's copy is blocked in a receive: the receive ends", async () => {
  const socket = Ip4Address.loopback(0).bind(io, { mode: "dgram" });
  const target = fdTarget(socket.handle);
  const f = io.concurrent(receiveThroughCopy, io, socket);
  let outcome: number | string = "hung";
  try {
    // The receive waits in poll (ppoll under some libcs): no other thread
    // of this process does (event loops use epoll, pool threads the futex).
    await untilAnyThreadBlockedIn(pollNumbers());
    socket.close(io);
    outcome = await within(f);
    expect(outcome).toBe(
      "IoError: SocketUnconnected: the socket was shut down while this receive waited " +
        "(closed through another object over it)",
    );
    expect(fdTarget(socket.handle)).not.toBe(target);
  } finally {
    if (outcome === "hung") {
      // A failing run: a datagram ends the receive, so that deinit ends.
      const sender = Ip4Address.loopback(0).bind(io, { mode: "dgram" });
      sender.send(io, socket.address, new Uint8Array([1]));
      await f;
      sender.close(io);
    }
  }
});

// An adversarial tester's findings: each read or closed a connection that
// had reused the number.
test("a closed Stream, Server or Socket passed to a task is refused as it crosses", () => {
  const server = Ip4Address.loopback(0).listen(io, { reuseAddress: true });
  const client = server.socket.address.connect(io, { mode: "stream" });
  const peer = server.accept(io);
  const udp = Ip4Address.loopback(0).bind(io, { mode: "dgram" });
  client.close(io);
  udp.close(io);
  try {
    expect(() => io.concurrent(readThroughCopy, io, client)).toThrow(
      new RegExp(`^Stream \\(descriptor ${client.handle}\\) used after close`),
    );
    expect(() => io.concurrent(receiveThroughCopy, io, udp)).toThrow(
      new RegExp(`^Socket \\(descriptor ${udp.handle}\\) used after close`),
    );
  } finally {
    peer.close(io);
    server.deinit(io);
  }
  expect(() => io.concurrent(readThroughCopy, io, server as never)).toThrow(
    /^Server \(descriptor \d+\) used after close/,
  );
});

test("a socket that crossed to one live instance's tasks is refused by another's; once it is gone, taken", async () => {
  const server = Ip4Address.loopback(0).listen(io, { reuseAddress: true });
  const client = server.socket.address.connect(io, { mode: "stream" });
  const peer = server.accept(io);
  const t2 = Threaded.init();
  const io2 = t2.io();
  try {
    peer.writeAll(io, new Uint8Array([7]));
    expect(await io.concurrent(readThroughCopy, io, client)).toBe(1);
    expect(() => io2.concurrent(readThroughCopy, io2, client)).toThrow(
      /^Socket \(descriptor \d+\) already crossed to another Threaded instance's tasks/,
    );
    t.deinit();
    t = Threaded.init();
    io = t.io();
    peer.writeAll(io, new Uint8Array([8]));
    expect(await io2.concurrent(readThroughCopy, io2, client)).toBe(1);
  } finally {
    t2.deinit();
    client.close(io);
    peer.close(io);
    server.deinit(io);
  }
});

test("a close with a deinitialized instance's io closes nothing and marks nothing", () => {
  const dead = Threaded.init();
  const deadIo = dead.io();
  dead.deinit();
  const server = Ip4Address.loopback(0).listen(io, { reuseAddress: true });
  const client = server.socket.address.connect(io, { mode: "stream" });
  const peer = server.accept(io);
  const target = fdTarget(client.handle);
  expect(() => client.close(deadIo)).toThrow(
    /^Stream\.close: this io's Threaded instance is deinitialized .*nothing was closed/,
  );
  expect(() => server.deinit(deadIo)).toThrow(/^Server\.deinit: this io's Threaded instance/);
  expect(fdTarget(client.handle)).toBe(target);
  client.close(io);
  peer.close(io);
  server.deinit(io);
});
