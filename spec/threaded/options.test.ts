// Threaded.init's options and the limit setters, as a newcomer gets them
// wrong: a misspelled name, a value of the wrong kind, a setter called
// without its argument. Each is refused with an error that names the
// option, before anything is acquired.
import { describe, expect, test } from "bun:test";
import { Group, IoError, ResetEvent, task, Threaded, type Io } from "../../lib/index.ts";

export const waitFor = task(import.meta, function waitFor(io: Io, ev: ResetEvent): void {
  ev.wait(io);
});

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(IoError.is(e, "ConcurrencyUnavailable")).toBe(true);
    return (e as Error).message;
  }
  throw new Error("did not throw");
}

describe("Threaded.init options", () => {
  test("an unknown option name is a TypeError that lists the known ones", () => {
    expect(() => Threaded.init({ asyncLimt: 3 } as never)).toThrow(
      /Threaded\.init has no option "asyncLimt" \(the options: asyncLimit, concurrentLimit, heapBytes, maxHeapBytes, idleTimeout, trace\)/,
    );
    expect(() => Threaded.init({ idleTimeOut: 0 } as never)).toThrow(TypeError);
  });

  test("options that are not an object are refused", () => {
    for (const bad of [null, 4, "fast", [1]])
      expect(() => Threaded.init(bad as never)).toThrow(/Threaded\.init takes an options object/);
  });

  test("a bad limit names its option", () => {
    expect(() => Threaded.init({ asyncLimit: -1 })).toThrow(
      new RangeError(
        'asyncLimit "-1" is not a count of threads (a whole number from 0 to 4294967294, or Infinity)',
      ),
    );
    expect(() => Threaded.init({ concurrentLimit: 1.5 })).toThrow(/^concurrentLimit "1\.5"/);
    expect(() => Threaded.init({ concurrentLimit: "2" as never })).toThrow(RangeError);
    expect(() => Threaded.init({ idleTimeout: NaN })).toThrow(/^idleTimeout "NaN" is not a whole/);
  });

  test("undefined options keep their defaults", () => {
    const t = Threaded.init({ asyncLimit: undefined, idleTimeout: undefined } as never);
    try {
      expect(t.poolStats().threads).toBe(0);
    } finally {
      t.deinit();
    }
  });

  test("a setter needs its value: undefined is not 0 or the default", () => {
    const t = Threaded.init({ asyncLimit: 1, concurrentLimit: 2 });
    try {
      expect(() => t.setAsyncLimit(undefined as never)).toThrow(/^setAsyncLimit "undefined"/);
      expect(() => t.setConcurrentLimit(undefined as never)).toThrow(
        /^setConcurrentLimit "undefined"/,
      );
      expect(() => t.setIdleTimeout(undefined as never)).toThrow(/^setIdleTimeout "undefined"/);
      expect(() => t.setAsyncLimit(-2)).toThrow(RangeError);
      t.setAsyncLimit(Infinity);
      t.setConcurrentLimit(0);
      t.setIdleTimeout(0);
    } finally {
      t.deinit();
    }
  });
});

test("initSingleThreaded takes the heap's sizes only: a limit given there is refused, not dropped", () => {
  expect(() => Threaded.initSingleThreaded({ asyncLimit: 3 } as never)).toThrow(TypeError);
  expect(() => Threaded.initSingleThreaded({ asyncLimit: 3 } as never)).toThrow(/asyncLimit/);
  const t = Threaded.initSingleThreaded({ heapBytes: 1 << 20 });
  t.deinit();
});

describe("ConcurrencyUnavailable says why", () => {
  test("a single-threaded instance", () => {
    const t = Threaded.initSingleThreaded();
    try {
      const io = t.io();
      expect(messageOf(() => io.concurrent(waitFor, io, ResetEvent.init(io)))).toBe(
        "ConcurrencyUnavailable: concurrentLimit is 0 (Threaded.initSingleThreaded, or a limit of 0): no task gets a thread",
      );
    } finally {
      t.deinit();
    }
  });

  test("a reached concurrentLimit, from io.concurrent and group.concurrent", () => {
    const t = Threaded.init({ concurrentLimit: 1, asyncLimit: 0 });
    const io = t.io();
    const ev = ResetEvent.init(io);
    const held = io.concurrent(waitFor, io, ev);
    const group = Group.init(io);
    try {
      const want =
        "ConcurrencyUnavailable: concurrentLimit (1) is reached (tasks queued or running: 1)";
      expect(messageOf(() => io.concurrent(waitFor, io, ev))).toBe(want);
      expect(messageOf(() => group.concurrent(io, waitFor, io, ev))).toBe(want);
    } finally {
      ev.set();
      held.await(io);
      group.wait(io);
      ev.deinit();
      t.deinit();
    }
  });
});
