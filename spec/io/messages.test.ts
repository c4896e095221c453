// Mistakes say what went wrong and what to do, naming the argument: before,
// iterating a directory opened without { iterate: true } was "BugError:
// lseek failed (EBADF)", a number as a path was "path.includes is not a
// function", HostName.init(5) was "text.endsWith is not a function", and a
// function or SharedArrayBuffer returned from a task or put in a queue
// "cannot be passed to a task".
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  ClockTimestamp,
  Dir,
  Duration,
  Ip4Address,
  ResetEvent,
  File,
  Group,
  HostName,
  Mutex,
  Queue,
  Threaded,
  UnixAddress,
  type Io,
} from "../../lib/index.ts";
import { tempDir } from "../helpers/tmp.ts";
import { returnUnsendable } from "../fixtures/message_tasks.ts";
import { add } from "../fixtures/tasks.ts";

let t: Threaded;
let io: Io;
const tmp = tempDir("tio-messages-");
beforeAll(() => {
  t = Threaded.init();
  io = t.io();
  mkdirSync(join(tmp.path, "d"));
  writeFileSync(join(tmp.path, "d", "x"), "x");
});
afterAll(() => {
  t.deinit();
  tmp.remove();
});

describe("directories", () => {
  test("iterating or walking a directory opened without { iterate: true } says to open it so", () => {
    const d = Dir.cwd().openDir(io, join(tmp.path, "d"));
    try {
      const says = /opened without \{ iterate: true \}.*openDir\(io, path, \{ iterate: true \}\)/;
      expect(() => [...d.iterate(io)]).toThrow(RangeError);
      expect(() => [...d.iterate(io)]).toThrow(says);
      expect(() => [...d.walk(io)]).toThrow(says);
    } finally {
      d.close(io);
    }
    const ok = Dir.cwd().openDir(io, join(tmp.path, "d"), { iterate: true });
    try {
      expect([...ok.iterate(io)].map((e) => e.name)).toEqual(["x"]);
    } finally {
      ok.close(io);
    }
  });
});

describe("a string argument of another type is a TypeError naming it", () => {
  test("paths", () => {
    expect(() => Dir.cwd().openFile(io, 42 as never)).toThrow(
      new TypeError('Path is a number "42", not a string or a Uint8Array'),
    );
    expect(() => Dir.cwd().statPath(io, null as never)).toThrow("Path is null, not a string");
    expect(() => Dir.cwd().makePath(io, {} as never)).toThrow("Path is an object, not a string");
    expect(() => File.openAbsolute(io, 7 as never)).toThrow('Path is a number "7"');
    expect(() => UnixAddress.init(7 as never)).toThrow('Path is a number "7"');
  });

  test("host names", () => {
    expect(() => HostName.init(5 as never)).toThrow(
      new TypeError('Host name is a number "5", not a string'),
    );
  });

  test("writeAll of a string says to encode it", () => {
    const f = Dir.cwd().openFile(io, "/dev/null", { mode: "write_only" });
    try {
      expect(() => f.writeAll(io, "str" as never)).toThrow(
        /^Bytes is a string "str", not a Uint8Array .*TextEncoder/,
      );
      expect(() => f.writer(io).writeString(5 as never)).toThrow('Text is a number "5"');
    } finally {
      f.close(io);
    }
  });
});

describe("the io argument left out or replaced", () => {
  test("is a TypeError naming what came instead", () => {
    const g = Group.init(io);
    try {
      // The likeliest slip: the task where the io goes.
      const concurrent = g.concurrent.bind(g) as (...a: unknown[]) => void;
      expect(() => concurrent(add, 1, 2)).toThrow(
        /^Group takes the Io \(threaded\.io\(\)\) as its first argument, not a Function$/,
      );
      expect(() => Mutex.init(undefined as never)).toThrow(/^Mutex takes the Io .* not undefined$/);
      const f = io.async(add, 1, 2);
      expect(() => f.await(3 as never)).toThrow(/^future\.await takes the Io .* not a number "3"$/);
      expect(f.await(io)).toBe(3);
    } finally {
      g.wait(io);
      g.deinit();
    }
  });

  test("an unlock without the io leaves the lock held (it released it, then lost the wake)", () => {
    const m = Mutex.init(io);
    try {
      m.lock(io);
      expect(() => m.unlock(undefined as never)).toThrow(/^Mutex takes the Io .* not undefined$/);
      expect(m.tryLock()).toBe(false); // still held
      m.unlock(io);
      expect(m.tryLock()).toBe(true);
      m.unlock(io);
    } finally {
      m.deinit();
    }
  });

  test("files, sockets, events and clocks say so too, and do nothing", () => {
    const server = Ip4Address.loopback(0).listen(io, { reuseAddress: true });
    const ev = ResetEvent.init(io);
    try {
      expect(() => server.accept(undefined as never)).toThrow(
        /^Server takes the Io .* not undefined$/,
      );
      expect(() => Dir.cwd().statPath(3 as never, "/")).toThrow(
        /^Dir takes the Io .* not a number "3"$/,
      );
      expect(() => ev.waitTimeout(null as never, Duration.fromMilliseconds(1))).toThrow(
        /^ResetEvent takes the Io .* not null$/,
      );
      expect(() => ClockTimestamp.now(t as never, "awake")).toThrow(
        /^A clock reading takes the Io .* not a Threaded$/,
      );
      // The bytes where the io goes: the io is named, not "Bytes is
      // undefined" (a newcomer's writeAll(bytes)).
      const client = server.socket.address.connect(io, { mode: "stream" });
      const peer = server.accept(io);
      const bytes = new Uint8Array([1]) as never;
      expect(() =>
        (client.writeAll as unknown as (b: unknown) => void).call(client, bytes),
      ).toThrow(/^Stream takes the Io .* not a Uint8Array/);
      expect(() => (client.read as unknown as (b: unknown) => void).call(client, bytes)).toThrow(
        /^Stream takes the Io .* not a Uint8Array/,
      );
      client.close(io);
      peer.close(io);
    } finally {
      ev.deinit();
      server.deinit(io);
    }
  });

  test("a fractional count of a unit says it is not a whole number", () => {
    expect(() => Duration.fromMilliseconds(1.5)).toThrow(/"1\.5" is not a whole number/);
  });
});

describe("values that cannot cross threads say which way they were going", () => {
  test("returned from a task", () => {
    expect(() => io.concurrent(returnUnsendable, "function").await(io)).toThrow(
      "A function cannot be returned from a task",
    );
    expect(() => io.concurrent(returnUnsendable, "sab").await(io)).toThrow(
      "A SharedArrayBuffer cannot be returned from a task",
    );
    expect(() => io.concurrent(returnUnsendable, "nested").await(io)).toThrow(
      "A SharedArrayBuffer cannot be returned from a task",
    );
  });

  test("put in a queue", () => {
    const q = Queue.init<unknown>(io, 4);
    try {
      expect(() => q.putOne(io, () => 1)).toThrow("A function cannot be put in a queue");
      expect(() => q.putOne(io, { f: () => 1 })).toThrow(
        "A function (at .f) cannot be put in a queue",
      );
      expect(() => q.putOne(io, new SharedArrayBuffer(4))).toThrow(
        "A SharedArrayBuffer cannot be put in a queue",
      );
      // Nothing was put; the queue still works.
      q.putOne(io, 7);
      expect(q.getOne(io)).toBe(7);
    } finally {
      q.deinit();
    }
  });

  test("passed to a task (unchanged)", () => {
    expect(() => io.concurrent(returnUnsendable, (() => 1) as never)).toThrow(
      "A function (at [0]) cannot be passed to a task",
    );
  });

  // Before, the search for the refused part followed the instance's own
  // cycle: "A Io (at [0].io.userdata.ioFull.userdata.ioFull…) cannot be
  // passed to a task: it is not data that can be copied to another thread".
  test("a Future or a Threaded instance is named, with what to pass instead", () => {
    const f = io.concurrent(add, 1, 2);
    try {
      const pass = (v: unknown) => () => io.concurrent(returnUnsendable, v as never);
      expect(pass(f)).toThrow(
        "A Future (at [0]) cannot be passed to a task: it stays on its thread; await it where it was made and pass its value",
      );
      expect(pass({ list: [1, f] })).toThrow("A Future (at [0].list[1]) cannot be passed");
      expect(pass({ t })).toThrow(
        "A Threaded (at [0].t) cannot be passed to a task: it stays on its thread; pass its io() instead",
      );
      const q = Queue.init<unknown>(io, 1);
      try {
        expect(() => q.putOne(io, { f })).toThrow("A Future (at .f) cannot be put in a queue");
      } finally {
        q.deinit();
      }
      expect(f.await(io)).toBe(3);
      // Settled (a native promise underneath after idle, or not): the same.
      expect(pass(f)).toThrow("A Future (at [0]) cannot be passed to a task");
    } finally {
      f.await(io);
    }
  });

  test("the refused part of a value with a cycle is found once, by its first path", () => {
    const v: Record<string, unknown> = { n: 1 };
    v.self = v;
    v.weak = new WeakMap();
    expect(() => io.concurrent(returnUnsendable, v as never)).toThrow(
      "A WeakMap (at [0].weak) cannot be passed to a task",
    );
  });
});
