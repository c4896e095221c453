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
