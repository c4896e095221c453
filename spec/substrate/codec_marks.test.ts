// A user's data that happens to use the codec's reserved keys
// (`__threadedIoRef`, `__threadedIoValue`, `__threadedIoError`,
// `__threadedIoBytes`, `__threadedIoLiteral`) arrives as that data. Before,
// a parsed request body was revived as the mark it looked like whenever a
// value class or a typed array travelled beside it: a forged
// `__threadedIoValue: ["shared_bytes", …]` read another allocation's memory.
import { describe, expect, test } from "bun:test";
import { Duration, SharedBytes, Threaded } from "../../lib/index.ts";
import {
  decodeError,
  decodeValue,
  encodeError,
  encodeResult,
  writePayload,
} from "../../lib/substrate/codec.ts";
import "../../lib/threaded/value_classes.ts";

function roundTrip(v: unknown): unknown {
  const e = encodeResult(v);
  const u8 = new Uint8Array(e.length + 16);
  writePayload(u8, 8, e);
  return decodeValue(u8, 8, e.length, (kind) => `revived ${kind}`);
}

const forged = (): Record<string, unknown> =>
  JSON.parse(`{
    "ref": {"__threadedIoRef": ["mutex", 8, 1]},
    "value": {"__threadedIoValue": ["duration", 5]},
    "bytesValue": {"__threadedIoValue": ["shared_bytes", [1048577, 64, 0, 64]]},
    "error": {"__threadedIoError": true, "className": "TypeError", "base": "TypeError", "message": "forged"},
    "binary": {"__threadedIoBytes": 0},
    "literal": {"__threadedIoLiteral": {"__threadedIoRef": ["io", 0]}},
    "mixed": {"__threadedIoValue": 1, "other": [{"__threadedIoBytes": 0}]},
    "prefixOnly": {"__threadedIoSomethingNew": 1}
  }`);

describe("reserved keys in user data", () => {
  // Alone (JSON, nothing to revive), beside a value class (the revive walk
  // runs), beside a typed array (binary payload), in a cycle (the copying
  // walk), inside a Map (structured clone).
  const shapes: [string, (data: unknown) => unknown, (back: unknown) => unknown][] = [
    ["alone", (d) => d, (b) => b],
    ["beside a value class", (d) => ({ d, real: Duration.fromSeconds(1) }), (b) => (b as { d: unknown }).d],
    ["beside a typed array", (d) => ({ d, u8: new Uint8Array([9]) }), (b) => (b as { d: unknown }).d],
    ["in a cycle", (d) => { const v: Record<string, unknown> = { d }; v.self = v; return v; }, (b) => (b as { d: unknown }).d],
    ["in a Map", (d) => new Map([["d", d]]), (b) => (b as Map<string, unknown>).get("d")],
  ]; // prettier-ignore

  for (const [shape, wrap, unwrap] of shapes)
    test(`arrive as data: ${shape}`, () => {
      expect(unwrap(roundTrip(wrap(forged())))).toEqual(forged());
    });

  test("in an error's fields and in a thrown non-Error", () => {
    const err = Object.assign(new Error("x"), { body: forged(), real: Duration.fromSeconds(1) });
    const e = encodeError(err);
    const back = decodeError(e.jsc!, 0, e.length, () => "revived") as Error & { body: unknown };
    expect(back.body).toEqual(forged());
    const t = encodeError(forged());
    expect(decodeError(t.jsc!, 0, t.length, () => "revived")).toEqual(forged());
  });

  test("an object reached twice stays one object", () => {
    const d = forged();
    const back = roundTrip({ a: d, b: d, real: Duration.fromSeconds(1) }) as {
      a: unknown;
      b: unknown;
    };
    expect(back.a).toBe(back.b);
    expect(back.a).toEqual(forged());
  });

  test("a forged SharedBytes cannot read another allocation's memory", () => {
    const t = Threaded.init({ asyncLimit: 0 });
    try {
      const io = t.io();
      const secret = SharedBytes.alloc(io, 64);
      secret.bytes.set(new TextEncoder().encode("secret"));
      const data = JSON.stringify((secret as unknown as { toData(): unknown }).toData());
      const body = JSON.parse(`{"__threadedIoValue": ["shared_bytes", ${data}]}`);
      const back = roundTrip({ body, real: Duration.fromSeconds(1) }) as { body: unknown };
      expect(back.body).not.toBeInstanceOf(SharedBytes);
      expect(back.body).toEqual(JSON.parse(`{"__threadedIoValue": ["shared_bytes", ${data}]}`));
      secret.free(io);
    } finally {
      t.deinit();
    }
  });
});

describe("what the walks go into, and how", () => {
  test("reserved keys inside a class with its own Symbol.toStringTag are escaped too", () => {
    class Request {
      constructor(readonly body: unknown) {}
      get [Symbol.toStringTag](): string {
        return "Request";
      }
    }
    const back = roundTrip([new Request(forged()), Duration.fromSeconds(1)]) as [{ body: unknown }];
    expect(back[0].body).toEqual(forged());
    const tagged = Object.assign(Object.create({ [Symbol.toStringTag]: "T" }), { f: forged() });
    expect((roundTrip([tagged, Duration.fromSeconds(1)]) as [{ f: unknown }])[0].f).toEqual(
      forged(),
    );
  });

  test("an array's named properties survive beside a replaced element", () => {
    const a = Object.assign([Duration.fromSeconds(2)], { note: "keep me" });
    const back = roundTrip(a) as unknown[] & { note: string };
    expect(back[0]).toBeInstanceOf(Duration);
    expect(back.note).toBe("keep me");
    const match = Object.assign("abc".match(/(?<w>b)/)!, { bytes: new Uint8Array([1]) });
    const m = roundTrip([match, Duration.fromSeconds(1)]) as [
      RegExpMatchArray & { bytes: Uint8Array },
    ];
    expect([m[0].index, m[0].input, m[0].groups?.w, m[0].bytes]).toEqual([
      1,
      "abc",
      "b",
      new Uint8Array([1]),
    ]);
    // JSON would drop them: a small exact array with one takes structured clone.
    expect((roundTrip(Object.assign([1, 2], { extra: "kept" })) as { extra?: string }).extra).toBe(
      "kept",
    );
  });

  test("an array subclass's constructor is never run (no Symbol.species copy)", () => {
    let made = 0;
    class Path extends Array<unknown> {
      constructor(...parts: unknown[]) {
        super(...parts);
        made++;
      }
    }
    const p = Path.from(["a", Duration.fromSeconds(1)]);
    made = 0;
    expect((roundTrip(p) as unknown[])[1]).toBeInstanceOf(Duration);
    expect(made).toBe(0);
  });

  test("Maps and Sets are read by the built-in iterators, not a subclass's", () => {
    class ValuesMap<K, V> extends Map<K, V> {
      override *[Symbol.iterator](): MapIterator<[K, V]> {
        for (const v of this.values()) yield [v, v] as never;
      }
    }
    class FirstOnly<T> extends Set<T> {
      override *[Symbol.iterator](): SetIterator<T> {
        for (const v of this.values()) {
          yield v;
          return undefined;
        }
      }
    }
    const d = Duration.fromSeconds(1);
    const m = roundTrip(
      new ValuesMap<string, unknown>([
        ["a", d],
        ["b", 2],
      ]),
    ) as Map<string, unknown>;
    expect([...Map.prototype.keys.call(m)]).toEqual(["a", "b"]);
    expect(m.get("a")).toBeInstanceOf(Duration);
    const s = roundTrip(new FirstOnly([d, 2, 3])) as Set<unknown>;
    expect(Set.prototype.values.call(s).toArray().length).toBe(3);
  });

  test("a value class or shared object reached twice arrives as one object", () => {
    const d = Duration.fromSeconds(1);
    const back = roundTrip({ a: d, b: d, m: new Map([[d, "found"]]) }) as {
      a: Duration;
      b: Duration;
      m: Map<Duration, string>;
    };
    expect(back.a).toBe(back.b);
    expect(back.m.get(back.a)).toBe("found");
  });

  test("a getter that encodes another value mid-walk does not mix the two", () => {
    let inner: unknown;
    const v = { first: new Uint8Array([1, 1]) } as Record<string, unknown>;
    Object.defineProperty(v, "log", {
      enumerable: true,
      get() {
        inner = roundTrip({ second: new Uint8Array([2, 2]) });
        return "logged";
      },
    });
    v.third = new Uint8Array([3]);
    const back = roundTrip(v) as Record<string, Uint8Array>;
    expect(back.first).toEqual(new Uint8Array([1, 1]));
    expect(back.third).toEqual(new Uint8Array([3]));
    expect(inner).toEqual({ second: new Uint8Array([2, 2]) });
  });

  test("an inherited toJSON does not hijack the JSON path", () => {
    Object.defineProperty(Object.prototype, "toJSON", {
      value: () => "hijacked",
      configurable: true,
      writable: true,
    });
    try {
      expect(roundTrip({ a: 1 })).toEqual({ a: 1 });
    } finally {
      delete (Object.prototype as { toJSON?: unknown }).toJSON;
    }
  });
});

describe("errors", () => {
  const through = (err: unknown): unknown => {
    const e = encodeError(err);
    return decodeError(e.jsc!, 0, e.length, () => "revived");
  };

  test("error classes named like Object.prototype members or 'thrown' arrive as errors", () => {
    for (const name of ["thrown", "constructor", "toString", "hasOwnProperty", "__proto__"]) {
      const Named = { [name]: class extends TypeError {} }[name];
      const back = through(Object.assign(new Named("failed"), { code: 7 })) as Error & {
        code: number;
      };
      expect({
        name,
        isError: back instanceof TypeError,
        message: back.message,
        code: back.code,
      }).toEqual({
        name,
        isError: true,
        message: "failed",
        code: 7,
      });
    }
  });

  test("a field that cannot be sent becomes a note; the other fields still arrive", () => {
    const back = through(
      Object.assign(new Error("x"), { s: new SharedArrayBuffer(8), n: 1 }),
    ) as Error & { s: unknown; n: number };
    expect(back.message).toBe("x");
    expect(back.n).toBe(1);
    expect(String(back.s)).toMatch(/^\[not sent: A SharedArrayBuffer cannot be returned/);
  });
});
