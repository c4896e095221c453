// Shared objects, value classes and buffers cross threads wherever they
// are in a value: inside a Map, a Set, a class instance, a cycle. Before,
// structured clone copied what was inside containers: a Mutex arrived as a
// dead copy of its fields, a SharedArrayBuffer as a copy, a Duration as a
// plain object; and a cycle holding one split in two.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Duration, Ip4Address, Mutex, SharedBytes, Threaded, type Io } from "../../lib/index.ts";
import { cycleKept, echo, lockAll, writeShared } from "../fixtures/container_tasks.ts";

let t: Threaded;
let io: Io;
let m: Mutex;
beforeAll(() => {
  t = Threaded.init();
  io = t.io();
  m = Mutex.init(io);
});
afterAll(() => {
  m.deinit();
  t.deinit();
});

class Box {
  constructor(readonly inside: unknown) {}
}

describe("shared objects inside containers arrive live", () => {
  test("a Mutex in a Map (as key and value), a Set, a class instance, a cycle", () => {
    const cyclic: Record<string, unknown> = { m };
    cyclic.self = cyclic;
    const cases: [string, unknown, number][] = [
      ["Map value", new Map([["m", m]]), 1],
      ["Map key", new Map([[m, 1]]), 1],
      ["Set", new Set([m]), 1],
      ["class instance", new Box(m), 1],
      ["Map in a class in a Set", new Set([new Box(new Map([[1, m]]))]), 1],
      ["cycle", cyclic, 1],
    ];
    for (const [what, v, live] of cases)
      expect({ what, live: io.concurrent(lockAll, io, v).await(io) }).toEqual({ what, live });
  });

  test("SharedBytes in a Map is the same memory on the other thread", () => {
    const b = SharedBytes.alloc(io, 8);
    try {
      expect(io.concurrent(writeShared, io, new Map([["bytes", b]]), 77).await(io)).toBe(true);
      expect(b.bytes[0]).toBe(77);
    } finally {
      b.free(io);
    }
  });

  test("value classes in Maps, Sets and class instances come back as their class", () => {
    const back = io
      .concurrent(echo, {
        map: new Map([["d", Duration.fromMilliseconds(5)]]),
        set: new Set([Ip4Address.parse("10.0.0.1", 53)]),
        box: new Box(Duration.fromSeconds(2)),
      })
      .await(io) as { map: Map<string, Duration>; set: Set<Ip4Address>; box: { inside: Duration } };
    expect(back.map.get("d")).toBeInstanceOf(Duration);
    expect(back.map.get("d")!.toMilliseconds()).toBe(5);
    expect([...back.set][0]).toBeInstanceOf(Ip4Address);
    expect([...back.set][0].toString()).toBe("10.0.0.1:53");
    // A class instance arrives as a plain object, as structured clone makes it.
    expect(Object.getPrototypeOf(back.box)).toBe(Object.prototype);
    expect(back.box.inside).toBeInstanceOf(Duration);
  });

  test("a SharedArrayBuffer inside a Map, a Set or a class instance is refused", () => {
    for (const v of [
      new Map([["s", new SharedArrayBuffer(8)]]),
      new Set([new Int32Array(new SharedArrayBuffer(8))]),
      new Box(new SharedArrayBuffer(8)),
    ])
      expect(() => io.concurrent(echo, v)).toThrow(
        /A SharedArrayBuffer cannot be passed to a task/,
      );
  });

  test("a Future inside a class instance is refused with its path", () => {
    const f = io.concurrent(echo, 1);
    try {
      expect(() => io.concurrent(echo, [new Box(f)])).toThrow(
        /A Future \(at \[0\]\[0\]\.inside\) cannot be passed to a task: it stays on its thread/,
      );
    } finally {
      f.await(io);
    }
  });

  test("a refused part's path never runs through the io argument", () => {
    expect(() => io.concurrent(lockAll, io, { onDone: () => 1 } as never)).toThrow(
      /A function \(at \[1\]\.onDone\) cannot be passed/,
    );
    const f = io.concurrent(echo, 1);
    try {
      expect(() => io.concurrent(lockAll, io, new Map([["k", f]]))).toThrow(
        /A Future \(at \[1\]\.get\("k"\)\) cannot be passed/,
      );
    } finally {
      f.await(io);
    }
  });

  test("objects structured clone copies by their slots, or refuses, are left to it", () => {
    const back = io
      .concurrent(
        echo,
        new Map<string, unknown>([
          ["d", new Date(7)],
          ["r", /x/g],
        ]) as never,
      )
      .await(io) as Map<string, unknown>;
    expect(back.get("d")).toEqual(new Date(7));
    expect(back.get("r")).toBeInstanceOf(RegExp);
    // A WeakMap was never data: not accepted as `{}`, with a mutex beside it or not.
    expect(() => io.concurrent(echo, new Box(new WeakMap()) as never)).toThrow(/WeakMap/);
    expect(() =>
      io.concurrent(
        echo,
        new Map<string, unknown>([
          ["w", new WeakMap()],
          ["m", m],
        ]),
      ),
    ).toThrow(/WeakMap/);
  });
});

describe("cycles keep their shape with shared objects and buffers inside", () => {
  const cyclic = (x: unknown): { x: unknown; self: unknown; inner: { up: unknown } } => {
    const v = { x, self: undefined as unknown, inner: { up: undefined as unknown } };
    v.self = v;
    v.inner.up = v;
    return v;
  };

  test("as an argument", () => {
    expect(io.concurrent(cycleKept, cyclic(m)).await(io)).toBe(true);
    expect(io.concurrent(cycleKept, cyclic(new Uint8Array([1, 2]))).await(io)).toBe(true);
    expect(io.concurrent(cycleKept, cyclic(Duration.fromSeconds(1))).await(io)).toBe(true);
  });

  test("as a result, with the typed array and the Mutex live", () => {
    const back = io.concurrent(echo, cyclic([new Uint8Array([1, 2]), m])).await(io) as {
      x: [Uint8Array, Mutex];
      self: unknown;
      inner: { up: unknown };
    };
    expect(back.self).toBe(back);
    expect(back.inner.up).toBe(back);
    expect(back.x[0]).toEqual(new Uint8Array([1, 2]));
    expect(back.x[1]).toBeInstanceOf(Mutex);
    expect(back.x[1].tryLock()).toBe(true);
    back.x[1].unlock(io);
  });
});
