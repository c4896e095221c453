// The codec's copying walk, for what its scan (codec.ts) does not take: a
// value with a cycle, with an Error inside, or met while Object.prototype is
// polluted; and an error's own fields. It replaces shared objects, value
// classes, errors and (through `take`) typed arrays with their marks
// (codec_marks.ts), like the scan, but it copies every container it passes
// where the scan copies on write: a cycle's back edge must point at the
// copy. (Copying on write returned the original there, which still held the
// Mutex or the typed array: the task got a dead copy and a cycle split in
// two.)
import { refuseFunction, refuseSharedMemory } from "./crossing.ts";
import { errorRecord } from "./error_record.ts";
import { cloneKind, CloneKind, mapEntries, setValues } from "./clone_kind.ts";
import {
  isReservedKey,
  isShared,
  LITERAL_MARK,
  refuseIfStays,
  setOwn,
  sharedMark,
  VALUE_MARK,
} from "./codec_marks.ts";
import { valueClasses, valueKinds } from "./value_registry.ts";

export interface Replacing {
  /** Each object met, and what stands for it in the copy. */
  readonly memo: Map<object, unknown>;
  /** A placeholder for a typed array or buffer (binary_payload.ts), or
   * undefined to leave it to structured clone. */
  readonly take: ((v: object) => object | undefined) | undefined;
}

export function replacing(take?: (v: object) => object | undefined): Replacing {
  return { memo: new Map(), take };
}

export function replaceShared(v: unknown, r: Replacing): unknown {
  if (typeof v !== "object" || v === null) {
    if (typeof v === "function") throw refuseFunction();
    return v;
  }
  const known = r.memo.get(v);
  if (known !== undefined) return known; // reached twice, or a back edge
  const out = replaceObject(v, r);
  r.memo.set(v, out);
  return out;
}

function replaceObject(v: object, r: Replacing): unknown {
  if (isShared(v)) return sharedMark(v);
  refuseSharedMemory(v);
  if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return r.take?.(v) ?? v;
  // Errors inside values keep their class and code (IoError, Canceled, ...);
  // a cycle back to one reads "[circular]", as in error_record.ts.
  if (v instanceof Error) {
    r.memo.set(v, "[circular]");
    return errorRecord(v, (x) => replaceShared(x, r));
  }
  if (Array.isArray(v)) return replaceArray(v, r);
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return replaceProperties(v, r);
  const kind = valueKinds.get(proto.constructor);
  if (kind !== undefined) {
    r.memo.set(v, v); // toData's data pointing back at v: left to structured clone
    return { [VALUE_MARK]: [kind, replaceShared(valueClasses.get(kind)!.toData(v as never), r)] };
  }
  refuseIfStays(v);
  switch (cloneKind(v)) {
    case CloneKind.MAP: {
      const copy = new Map();
      r.memo.set(v, copy);
      for (const [k, x] of Array.from(mapEntries(v as Map<unknown, unknown>)))
        copy.set(replaceShared(k, r), replaceShared(x, r));
      return copy;
    }
    case CloneKind.SET: {
      const copy = new Set();
      r.memo.set(v, copy);
      for (const x of Array.from(setValues(v as Set<unknown>))) copy.add(replaceShared(x, r));
      return copy;
    }
    case CloneKind.WHOLE:
      return v;
    case CloneKind.INSTANCE:
      // Structured clone would copy its own enumerable properties into a
      // plain object; so does this walk.
      return replaceProperties(v, r);
    default:
      return replaceOther(v, r);
  }
}

/** Indices and named properties (a RegExp match's index, input, groups),
 * holes skipped so they stay holes, into a plain array (never `slice`,
 * which runs a subclass's constructor). Named properties are revived only
 * inside a literal mark. */
function replaceArray(v: unknown[], r: Replacing): unknown {
  const copy: unknown[] = new Array(v.length);
  const keys = Object.keys(v);
  let present = 0;
  for (let i = 0; i < v.length; i++) if (i in v) present++;
  const out = keys.length !== present ? { [LITERAL_MARK]: copy } : copy;
  r.memo.set(v, out);
  for (const key of keys) setOwn(copy as never, key, replaceShared((v as never)[key], r));
  return out;
}

function replaceProperties(v: object, r: Replacing): unknown {
  const keys = Object.keys(v);
  const copy: Record<string, unknown> = {};
  const out = keys.some(isReservedKey) ? { [LITERAL_MARK]: copy } : copy;
  r.memo.set(v, out);
  for (const key of keys) setOwn(copy, key, replaceShared((v as never)[key], r));
  return out;
}

/** An object structured clone may refuse (a host object): its properties
 * are walked, but it is copied only if one changed or has a reserved key,
 * so that a refused object is still refused. A cycle back to it meanwhile
 * meets the original (as before this walk copied). */
function replaceOther(v: object, r: Replacing): unknown {
  r.memo.set(v, v);
  const keys = Object.keys(v);
  const values = keys.map((k) => (v as Record<string, unknown>)[k]);
  let changed = keys.some(isReservedKey);
  for (let i = 0; i < keys.length; i++) {
    const x = replaceShared(values[i], r);
    if (x !== values[i] && x === x) changed = true; // NaN is itself
    values[i] = x;
  }
  if (!changed) return v;
  const copy: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) setOwn(copy, keys[i], values[i]);
  return keys.some(isReservedKey) ? { [LITERAL_MARK]: copy } : copy;
}
