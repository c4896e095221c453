// What structured clone will make of an object that is not a plain object,
// an array, a shared object, a buffer, an Error or a value class: decided by
// its internal slots (node:util/types' brand checks), never by its
// prototype or Symbol.toStringTag, which any object can fake. The codec's
// walks (codec.ts, codec_replace.ts) go into everything structured clone
// copies property by property, or a reserved key inside would reach the
// revive walk unescaped (codec_marks.ts): a class with its own
// Symbol.toStringTag holding a parsed request body forged a SharedBytes.
//
// node:util/types is loaded at the first such object (0.8 ms; node:util
// whole costs 6–7 ms), not with the library.
type Types = typeof import("node:util/types");
let types: Types | undefined;
const brands = (): Types => (types ??= import.meta.require("node:util/types") as Types);

/** What the walks do with an object (`cloneKind`). */
export const CloneKind = {
  /** A real Map: the walks go into its keys and values. */
  MAP: 0,
  /** A real Set. */
  SET: 1,
  /** Copied by its slots (a Date, a RegExp, a boxed primitive, a Blob), or
   * refused (a WeakMap, a Promise): left whole to structured clone, and it
   * never arrives as a plain object. */
  WHOLE: 2,
  /** An instance of an ordinary class: structured clone copies its own
   * enumerable properties into a plain object, and so may the walks. */
  INSTANCE: 3,
  /** Anything else (a host object, a class with its own toStringTag, a fake
   * Map made with Object.create(Map.prototype)): walked, but copied only
   * if something inside changes, so that what structured clone refuses
   * (a Headers) is still refused rather than accepted as `{}`. */
  OTHER: 4,
} as const;
export type CloneKind = (typeof CloneKind)[keyof typeof CloneKind];

const blobSize = Object.getOwnPropertyDescriptor(Blob.prototype, "size")?.get;

export function cloneKind(v: object): CloneKind {
  const t = brands();
  if (t.isMap(v)) return CloneKind.MAP;
  if (t.isSet(v)) return CloneKind.SET;
  if (
    t.isDate(v) ||
    t.isRegExp(v) ||
    t.isBoxedPrimitive(v) ||
    t.isWeakMap(v) ||
    t.isWeakSet(v) ||
    t.isPromise(v) ||
    isBlob(v)
  )
    return CloneKind.WHOLE;
  return Object.prototype.toString.call(v) === "[object Object]"
    ? CloneKind.INSTANCE
    : CloneKind.OTHER;
}

function isBlob(v: object): boolean {
  if (!(v instanceof Blob) || blobSize === undefined) return false;
  try {
    blobSize.call(v);
    return true;
  } catch {
    return false; // Object.create(Blob.prototype): no Blob inside
  }
}

/** A Map's entries and a Set's items by the built-in iterators: a subclass
 * may override its own, and structured clone reads the internal ones. */
export const mapEntries = (m: Map<unknown, unknown>): IterableIterator<[unknown, unknown]> =>
  Map.prototype.entries.call(m);
export const setValues = (s: Set<unknown>): IterableIterator<unknown> =>
  Set.prototype.values.call(s);
