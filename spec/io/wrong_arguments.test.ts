// A wrong argument says what is wrong with it, not where the code fell
// over: `io.select([42])` was "undefined is not an object (evaluating
// 'f.io.userdata')", `cond.wait(io, {})` "mutex.check is not a function",
// `Duration.fromMilliseconds("5")` 'Milliseconds a string "5" is not a
// bigint or a number', and closing `Dir.cwd()` a RangeError where Zig
// treats it as a programmer bug.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  BugError,
  Condition,
  Dir,
  Duration,
  Mutex,
  ResetEvent,
  Threaded,
  type Io,
} from "../../lib/index.ts";
import { add } from "../fixtures/tasks.ts";

let t: Threaded;
let io: Io;
beforeAll(() => {
  t = Threaded.init();
  io = t.io();
});
afterAll(() => t.deinit());

describe("select", () => {
  test("an item that is not a Future is a TypeError naming its index", async () => {
    expect(() => io.select([42 as never])).toThrow(
      new TypeError('select: item 0 is a number "42", not a Future (io.async or io.concurrent)'),
    );
    const f = io.concurrent(add, 1, 2);
    expect(() => io.select([f, {} as never])).toThrow(/^select: item 1 is an object, not a Future/);
    expect(() => io.selectAsync([null as never])).toThrow(/^select: item 0 is null, not a Future/);
    expect(() => io.select(5 as never)).toThrow(
      new TypeError('select takes an array of futures, not a number "5"'),
    );
    expect(io.select([f])).toBe(0);
    expect(f.await(io)).toBe(3);
  });
});

describe("Condition", () => {
  test("a wait with something that is not a Mutex is a TypeError, and counts no waiter", async () => {
    const cond = Condition.init(io);
    try {
      expect(() => cond.wait(io, {} as never)).toThrow(
        new TypeError("Condition.wait: an object is not a Mutex (Mutex.init(io))"),
      );
      expect(() => cond.waitUncancelable(io, 1 as never)).toThrow(
        /^Condition\.waitUncancelable: a number "1" is not a Mutex/,
      );
      await expect(cond.waitAsync(io, undefined as never)).rejects.toThrow(
        /^Condition\.waitAsync: undefined is not a Mutex/,
      );
      expect(cond.waiters()).toBe(0);
    } finally {
      cond.deinit();
    }
    using m = Mutex.init(io);
    expect(m.tryLock()).toBe(true);
    m.unlock(io);
  });
});

test("ResetEvent.waitBounded: NaN or a fraction is a TypeError, not a timeout of 0", () => {
  using ev = ResetEvent.init(io);
  for (const ns of [NaN, 1.5, "5", undefined])
    expect(() => ev.waitBounded(ns as never)).toThrow(
      /^ResetEvent\.waitBounded takes nanoseconds as a bigint \(or an integer number\), not /,
    );
  expect(ev.waitBounded(1000n)).toBe(false);
  expect(ev.waitBounded(1000)).toBe(false);
});

test("Duration: a string is a grammatical TypeError", () => {
  expect(() => Duration.fromMilliseconds("5" as never)).toThrow(
    new TypeError('Milliseconds is a string "5", not a bigint or a number'),
  );
  expect(() => Duration.fromSeconds(null as never)).toThrow(
    new TypeError("Seconds is null, not a bigint or a number"),
  );
});

test("closing Dir.cwd() is a BugError, as in Zig (EBADF on AT_FDCWD is unreachable)", () => {
  const cwd = Dir.cwd();
  expect(() => cwd.close(io)).toThrow(BugError);
  expect(() => cwd.close(io)).toThrow(
    "Dir.cwd() cannot be closed: it is not a descriptor the program opened",
  );
  expect(cwd.statPath(io, ".").kind).toBe("directory"); // still usable
});
