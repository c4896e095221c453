// The codec's two payload encodings: JSON for values JSON carries exactly,
// structured clone for the rest. Whichever is chosen, what arrives must be
// what a structured clone would give.
import { describe, expect, test } from "bun:test";
import { Ip4Address, IoError, Canceled, HostName } from "../../lib/index.ts";
import {
  decodeError,
  decodeValue,
  encodeError,
  encodeResult,
  writePayload,
} from "../../lib/substrate/codec.ts";
import { Format } from "../../lib/substrate/layout.ts";
import "../../lib/threaded/value_classes.ts";

const PAYLOAD_JSON = 1;
const PAYLOAD_JSON_PLAIN = 4; // JSON with nothing inside to revive

function roundTrip(v: unknown): { back: unknown; json: boolean } {
  const e = encodeResult(v);
  expect(e.format).toBe(Format.JSC);
  // Decoded from an offset inside a larger buffer, as from the heap.
  const u8 = new Uint8Array(e.length + 16);
  writePayload(u8, 8, e);
  const back = decodeValue(u8, 8, e.length, () => {
    throw new Error("no shared objects here");
  });
  return { back, json: u8[8] === PAYLOAD_JSON || u8[8] === PAYLOAD_JSON_PLAIN };
}

describe("payload encodings", () => {
  test("plain records, arrays, strings and finite numbers take the JSON path", () => {
    const values: unknown[] = [
      "text",
      "",
      true,
      null,
      [1, 2.5, -3, "x", [null]],
      { a: 1, nested: { b: ["c", false] }, "0": "integer key first" },
      "unicode: żółw 🐢 and a lone surrogate \ud800 in the middle",
      { "": "empty key", "a b": "space", 'q"uote': "\\" },
    ];
    for (const v of values) {
      const r = roundTrip(v);
      expect(r.json).toBe(true);
      expect(r.back).toEqual(structuredClone(v));
      if (typeof v === "object" && v !== null) {
        expect(Object.keys(r.back as object)).toEqual(Object.keys(v));
      }
    }
  });

  test("what JSON would change keeps the structured clone, and arrives unchanged", () => {
    const shared = { s: 1 };
    const holey = [1, , 3];
    const named = Object.assign([1, 2], { extra: "kept" });
    const cyclic: Record<string, unknown> = { name: "cycle" };
    cyclic.self = cyclic;
    const cases: [string, unknown, (back: unknown) => void][] = [
      ["undefined inside an object", { a: undefined }, (b) => expect("a" in (b as object)).toBe(true)],
      ["undefined in an array", [undefined], (b) => expect((b as unknown[]).length).toBe(1)],
      ["-0", [-0], (b) => expect(Object.is((b as number[])[0], -0)).toBe(true)],
      ["NaN", { n: NaN }, (b) => expect((b as { n: number }).n).toBeNaN()],
      ["Infinity", [Infinity], (b) => expect((b as number[])[0]).toBe(Infinity)],
      ["bigint", { n: 2n ** 70n }, (b) => expect((b as { n: bigint }).n).toBe(2n ** 70n)],
      ["Date", new Date(5), (b) => expect(b).toBeInstanceOf(Date)],
      ["Map", new Map([[1, 2]]), (b) => expect((b as Map<number, number>).get(1)).toBe(2)],
      ["bytes", new Uint8Array([1, 2]), (b) => expect(b).toEqual(new Uint8Array([1, 2]))],
      [
        "one object twice",
        { x: shared, y: shared },
        (b) => expect((b as { x: object; y: object }).x).toBe((b as { x: object; y: object }).y),
      ],
      ["a cycle", cyclic, (b) => expect((b as { self: unknown }).self).toBe(b)],
      ["an array with a hole", holey, (b) => expect(1 in (b as unknown[])).toBe(false)],
      ["an array with a named property", named, (b) => expect((b as { extra?: string }).extra).toBe("kept")],
      ["a long string", "x".repeat(5000), (b) => expect((b as string).length).toBe(5000)],
      ["a big array", Array.from({ length: 200 }, (_, i) => i), (b) => expect((b as number[])[199]).toBe(199)],
    ]; // prettier-ignore
    for (const [what, v, check] of cases) {
      const r = roundTrip(v);
      expect({ what, json: r.json }).toEqual({ what, json: false });
      try {
        check(r.back);
      } catch (e) {
        throw new Error(`${what}: ${String(e)}`);
      }
    }
  });

  test("value classes and errors come back as their class on either path", () => {
    const a = roundTrip({ address: Ip4Address.parse("10.1.2.3", 53) });
    expect(a.json).toBe(true);
    const addr = (a.back as { address: Ip4Address }).address;
    expect(addr).toBeInstanceOf(Ip4Address);
    expect(addr.toString()).toBe("10.1.2.3:53");
    const h = roundTrip([HostName.init("example.test")]);
    expect((h.back as HostName[])[0]).toBeInstanceOf(HostName);
    expect((h.back as HostName[])[0].bytes).toBe("example.test");

    for (const err of [new IoError("FileNotFound", { path: "/x" }), new Canceled()]) {
      const e = encodeError(err);
      const back = decodeError(e.jsc!, 0, e.length, () => {
        throw new Error("no shared objects here");
      }) as IoError;
      expect(back).toBeInstanceOf(err.constructor as typeof IoError);
      expect(back.code).toBe(err.code);
      expect(back.message).toBe(err.message);
    }
  });
});
