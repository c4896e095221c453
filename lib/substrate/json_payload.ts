// Small JSON-shaped values cross the heap as UTF-8 JSON instead of bun:jsc
// structured-clone bytes: a lookup's `{ address }` record round-trips in
// 1.1 µs this way against 5.3 µs through serialize + deserialize
// (docs/ARCHITECTURE.md, "Codec"). Only values JSON carries exactly qualify;
// anything else (undefined inside, -0, NaN, bigint, typed arrays, Maps,
// class instances, an object reached twice, big values) keeps the
// structured clone, so what arrives is the same either way.

/** Nodes a value may have and still take the JSON path: the check walks
 * the whole value first (and looks up each object among those seen), which
 * must stay cheap next to the encoding. */
const NODE_BUDGET = 64;
/** Long strings: structured clone copies them raw; JSON would scan them. */
const STRING_LIMIT = 4096;

interface Walk {
  budget: number;
  /** Objects met so far. Identity matters: structured clone keeps two
   * references to one object as one object, JSON would make two, so any
   * object met twice fails. An array: at most NODE_BUDGET entries. */
  readonly seen: object[];
}

/** True if `JSON.parse(JSON.stringify(v))` rebuilds `v` exactly as a
 * structured clone would. */
export function jsonExact(v: unknown): boolean {
  return exact(v, { budget: NODE_BUDGET, seen: [] });
}

function exact(x: unknown, walk: Walk): boolean {
  if (--walk.budget < 0) return false;
  switch (typeof x) {
    case "string":
      return x.length <= STRING_LIMIT;
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(x) && !Object.is(x, -0);
    case "object": {
      if (x === null) return true;
      if (walk.seen.includes(x)) return false;
      walk.seen.push(x);
      const proto = Object.getPrototypeOf(x);
      if (Array.isArray(x)) {
        if (proto !== Array.prototype) return false;
        for (let i = 0; i < x.length; i++) if (!(i in x) || !exact(x[i], walk)) return false;
        // Named properties on an array survive a structured clone only.
        return Object.keys(x).length === x.length;
      }
      if (proto !== Object.prototype) return false;
      for (const key of Object.keys(x)) {
        // JSON.parse makes "__proto__" an own property; not worth the risk.
        // undefined: JSON drops the key, a clone keeps it.
        if (key === "__proto__") return false;
        const item = (x as Record<string, unknown>)[key];
        if (item === undefined || !exact(item, walk)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Where JSON is encoded before being copied out; grows as needed. */
let scratch = new Uint8Array(1024);
let scratchBody = scratch.subarray(1);

/** UTF-8 JSON of `v` after a tag byte. Lone surrogates are escaped by
 * JSON.stringify, so the UTF-8 is always well formed. (Typed-array views
 * cost about a microsecond each in Bun, so this makes one: the copy.) */
export function jsonBytes(tag: number, v: unknown): Uint8Array {
  const text = JSON.stringify(v);
  if (text.length * 3 > scratchBody.length) {
    scratch = new Uint8Array(1 + text.length * 3);
    scratchBody = scratch.subarray(1);
  }
  scratch[0] = tag;
  const { written } = encoder.encodeInto(text, scratchBody);
  return scratch.slice(0, 1 + written);
}

/** The JSON payload at `u8[at, at + length)`, its tag byte included, parsed.
 * Copied first: TextDecoder refuses views of shared memory. */
export function fromJsonBytes(u8: Uint8Array, at: number, length: number): unknown {
  return JSON.parse(decoder.decode(u8.slice(at + 1, at + length)));
}
