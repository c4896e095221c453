// The codec's scan (codec.ts encodeTree): one walk over a value that
// replaces shared objects, value classes and buffers with their marks
// (codec_marks.ts), escapes user keys that look like one, goes into Maps,
// Sets and class instances (clone_kind.ts), and decides in the same pass
// whether JSON carries the value exactly. It copies on write: a value with
// nothing to replace comes back as itself. A cycle or an Error inside
// throws NOT_SCANNED, and the copying walk (codec_replace.ts) takes it.
import { refuseFunction, refuseSharedMemory } from "./crossing.ts";
import {
  isReservedKey,
  isShared,
  LITERAL_MARK,
  refuseIfStays,
  setOwn,
  sharedMark,
  VALUE_MARK,
} from "./codec_marks.ts";
import { cloneKind, CloneKind, mapEntries, setValues } from "./clone_kind.ts";
import { BinaryCollector } from "./binary_payload.ts";
import { valueClasses, valueKinds } from "./value_registry.ts";

/** A new scan's state. */
export function newScan(): Scan {
  return { replaced: new Map(), exact: true, nodes: 0, objects: 0, binary: undefined, arrays: [] };
}

/** Long strings: structured clone copies them raw; JSON would scan them. */
const JSON_STRING_LIMIT = 4096;

export interface Scan {
  /** Each array and plain object met, and what replaces it (itself when
   * nothing inside changed); `IN_PROGRESS` while its walk runs. */
  readonly replaced: Map<object, unknown>;
  /** JSON.parse(JSON.stringify(v)) would rebuild v exactly. */
  exact: boolean;
  nodes: number;
  objects: number;
  /** Where the value's typed arrays and buffers go, once there is one. */
  binary: BinaryCollector | undefined;
  /** The arrays met while the value was still exact, for `namedProperties`. */
  readonly arrays: unknown[][];
}

/**
 * True if one of `arrays` has named properties (a RegExp match's index,
 * input, groups): JSON would drop them, structured clone keeps them.
 * Asked only once JSON is chosen, since listing an array's keys makes a
 * string per index (100,000 numbers: Object.keys 21 ms, for-in 8 ms,
 * against 1.1 ms to serialize them; it was asked of every exact array).
 * Such properties are not walked by the scan (only by the copying walk):
 * a shared object or a value class there arrives as structured clone
 * copies it, and a SharedArrayBuffer there is copied.
 */
export function namedProperties(arrays: readonly unknown[][]): boolean {
  for (const a of arrays) {
    let n = 0;
    for (const _ in a) n++;
    if (n !== a.length) return true;
  }
  return false;
}
const IN_PROGRESS = Symbol("in progress");
export const NOT_SCANNED = Symbol("not scanned");

/**
 * `replaceShared` and the JSON check in one walk, for values of any size:
 * JSON is the faster copy for values made mostly of objects (10,000 small
 * records: 5.9 ms of CPU for stringify + parse against 12.2 ms for
 * serialize + deserialize), and two walks with a Set each cost more than
 * that gain. An object reached twice is replaced once (so it stays one
 * object inside a structured clone) and makes the value inexact for JSON.
 * Throws NOT_SCANNED at an Error or a cycle: `replaceShared` handles those.
 */
export function scan(v: unknown, st: Scan): unknown {
  if (typeof v !== "object" || v === null) return scanLeaf(v, st);
  // Plain objects and arrays first: they are most of a big value, and the
  // checks below (shared objects, buffers, errors) cannot match them.
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype) return scanObject(v as Record<string, unknown>, st);
  if (proto === Array.prototype && Array.isArray(v)) return scanArray(v, st);
  return scanOther(v, proto, st);
}

/** Everything but primitives, plain objects and arrays. */
function scanOther(v: object, proto: object | null, st: Scan): unknown {
  // [kind, ref, gen]: the generation too, so that the handle revived on the
  // other thread is checked against the block it was made for. Once per
  // object: reached twice, it arrives as one object (a Map keyed by it
  // still finds it).
  if (isShared(v)) {
    const known = st.replaced.get(v);
    if (known !== undefined) return visitedAgain(known, st);
    const mark = sharedMark(v);
    st.replaced.set(v, mark);
    return mark;
  }
  refuseSharedMemory(v);
  if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
    const placeholder = (st.binary ??= new BinaryCollector()).take(v);
    if (placeholder !== undefined) return placeholder;
    st.exact = false;
    return v;
  }
  if (v instanceof Error) throw NOT_SCANNED;
  const kind = valueKinds.get(proto?.constructor);
  if (kind !== undefined) {
    const known = st.replaced.get(v);
    if (known !== undefined) return visitedAgain(known, st);
    st.replaced.set(v, IN_PROGRESS);
    const mark = { [VALUE_MARK]: [kind, scan(valueClasses.get(kind)!.toData(v as never), st)] };
    st.replaced.set(v, mark);
    return mark;
  }
  st.exact = false; // from here on, JSON would lose the prototype
  if (Array.isArray(v)) return scanArray(v, st);
  if (proto === null) return scanObject(v as Record<string, unknown>, st);
  // Structured clone copies what is inside a Map, a Set or a class
  // instance: a Mutex there would arrive as a dead copy of its fields, a
  // SharedArrayBuffer as a copy, a Duration as a plain object. So the walk
  // goes into them too (clone_kind.ts says which is which).
  refuseIfStays(v);
  switch (cloneKind(v)) {
    case CloneKind.MAP:
      return scanMap(v as Map<unknown, unknown>, st);
    case CloneKind.SET:
      return scanSet(v as Set<unknown>, st);
    case CloneKind.WHOLE:
      return v;
    default:
      return scanInstance(v, st);
  }
}

/** A primitive: JSON carries finite numbers other than -0, strings up to
 * JSON_STRING_LIMIT, booleans and null exactly. */
function scanLeaf(v: unknown, st: Scan): unknown {
  st.nodes++;
  switch (typeof v) {
    case "number":
      if (v - v !== 0 || (v === 0 && 1 / v < 0)) st.exact = false; // NaN, ±Infinity, -0
      return v;
    case "string":
      if (v.length > JSON_STRING_LIMIT) st.exact = false;
      return v;
    case "boolean":
      return v;
    case "function":
      throw refuseFunction();
    default: // null, undefined, bigint, symbol
      if (v !== null) st.exact = false;
      return v;
  }
}

// Each container walk looks the object up once on entry (`enter`): absent,
// it is marked IN_PROGRESS for its walk; IN_PROGRESS again is a cycle (not
// scanned); anything else is a second visit (JSON would make two objects).

function scanArray(a: unknown[], st: Scan): unknown {
  const again = enter(a, st);
  if (again !== FRESH) return again;
  if (st.exact) st.arrays.push(a);
  let copy: unknown[] | undefined;
  let holes = 0;
  const n = a.length;
  for (let i = 0; i < n; i++) {
    if (!(i in a)) {
      st.exact = false; // a hole: JSON makes it null
      holes++;
      continue;
    }
    const item = a[i];
    const r = scan(item, st);
    if (replacedBy(r, item) && copy === undefined) copy = copyIndices(a, i);
    if (copy !== undefined) copy[i] = r;
  }
  if (copy !== undefined) {
    // The copy keeps the named properties (they follow the indices), as
    // they are: not walked.
    const keys = Object.keys(a);
    for (let i = n - holes; i < keys.length; i++)
      setOwn(copy as never, keys[i], (a as never)[keys[i]]);
  }
  const out = copy ?? a;
  st.replaced.set(a, out);
  return out;
}

/** A plain array with `a`'s elements before `end` (holes kept), made
 * without `a.slice()`, which would run a subclass's constructor
 * (Symbol.species). */
function copyIndices(a: unknown[], end: number): unknown[] {
  const copy = new Array<unknown>(a.length);
  for (let i = 0; i < end; i++) if (i in a) copy[i] = a[i];
  return copy;
}

function scanObject(o: Record<string, unknown>, st: Scan): unknown {
  const again = enter(o, st);
  if (again !== FRESH) return again;
  let copy: Record<string, unknown> | undefined;
  let reserved = false;
  // for-in: JSC's enumerator makes `o[key]` a cached load (a walk over
  // 10,000 records: 0.83 ms against 1.22 ms with Object.keys). It also
  // lists inherited enumerable properties, which only a polluted
  // Object.prototype has: encodeTree sends such values to replaceShared.
  for (const key in o) {
    const item = o[key];
    if (key === "__proto__") st.exact = false; // JSON.parse makes it an own property
    if (isReservedKey(key)) reserved = true;
    const r = scan(item, st);
    if (replacedBy(r, item) && copy === undefined) copy = { ...o };
    if (copy !== undefined) setOwn(copy, key, r);
  }
  const out = reserved ? { [LITERAL_MARK]: copy ?? { ...o } } : (copy ?? o);
  st.replaced.set(o, out);
  return out;
}

/** A class instance: its own enumerable properties, as structured clone
 * copies them (each read once); a plain object when anything inside was
 * replaced. */
function scanInstance(o: object, st: Scan): unknown {
  const again = enter(o, st);
  if (again !== FRESH) return again;
  const keys = Object.keys(o);
  const values = keys.map((k) => (o as Record<string, unknown>)[k]);
  let changed = false;
  let reserved = false;
  for (let i = 0; i < keys.length; i++) {
    if (isReservedKey(keys[i])) reserved = true;
    const r = scan(values[i], st);
    if (replacedBy(r, values[i])) changed = true;
    values[i] = r;
  }
  let out: unknown = o;
  if (changed || reserved) {
    const copy: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) setOwn(copy, keys[i], values[i]);
    out = reserved ? { [LITERAL_MARK]: copy } : copy;
  }
  st.replaced.set(o, out);
  return out;
}

/** A Map's entries, read once by the built-in iterator (a subclass may
 * override its own; structured clone reads the internal entries). */
function scanMap(m: Map<unknown, unknown>, st: Scan): unknown {
  const again = enter(m, st);
  if (again !== FRESH) return again;
  const entries = Array.from(mapEntries(m));
  let changed = false;
  for (const e of entries) {
    const k = scan(e[0], st);
    const x = scan(e[1], st);
    if (replacedBy(k, e[0]) || replacedBy(x, e[1])) changed = true;
    e[0] = k;
    e[1] = x;
  }
  const out = changed ? new Map(entries) : m;
  st.replaced.set(m, out);
  return out;
}

function scanSet(s: Set<unknown>, st: Scan): unknown {
  const again = enter(s, st);
  if (again !== FRESH) return again;
  const items = Array.from(setValues(s));
  let changed = false;
  for (let i = 0; i < items.length; i++) {
    const r = scan(items[i], st);
    if (replacedBy(r, items[i])) changed = true;
    items[i] = r;
  }
  const out = changed ? new Set(items) : s;
  st.replaced.set(s, out);
  return out;
}

const FRESH = Symbol("fresh");

/** An array, object, Map or Set met: on the first visit it is marked in
 * progress and counted (FRESH); met again, what replaces it (`visitedAgain`). */
function enter(o: object, st: Scan): unknown {
  const known = st.replaced.get(o);
  if (known !== undefined) return visitedAgain(known, st);
  st.replaced.set(o, IN_PROGRESS);
  st.nodes++;
  st.objects++;
  return FRESH;
}

/** The walk returned something else for `v` (NaN, returned as itself, is
 * not equal to itself: it made every array holding one a copy). */
function replacedBy(r: unknown, v: unknown): boolean {
  return r !== v && r === r;
}

function visitedAgain(known: unknown, st: Scan): unknown {
  if (known === IN_PROGRESS) throw NOT_SCANNED;
  st.exact = false;
  return known;
}
