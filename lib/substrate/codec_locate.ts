// Where in a value the part is that cannot cross threads (a function, or
// something structured clone refuses), with its path from the root
// ("[0].onDone"). Only on the way to an error: the encoder's walks keep no
// path, being the hot path (codec.ts).
import { serialize } from "bun:jsc";
import { isShared } from "../io/shared.ts";
import { staysOnThread } from "./crossing.ts";

/** The own enumerable properties of `value` (a Map's values and a Set's
 * items too), each with its path from the root ("[0].onDone",
 * "[0].get(\"k\")"), at most `limit` of them; a property whose getter
 * throws is skipped, and an object whose keys cannot be listed has none.
 * For the error paths below only. */
function* children(value: object, path: string, limit: number): Generator<[unknown, string]> {
  if (value instanceof Map) {
    let n = 0;
    for (const [k, x] of value) {
      if (n++ >= limit) return;
      yield [x, `${path}.get(${typeof k === "string" ? JSON.stringify(k) : String(k)})`];
    }
    return;
  }
  if (value instanceof Set) {
    let n = 0;
    for (const x of value) {
      if (n >= limit) return;
      yield [x, `${path}.<item ${n++}>`];
    }
    return;
  }
  let keys: string[];
  try {
    keys = Object.keys(value).slice(0, limit);
  } catch {
    return;
  }
  for (const key of keys) {
    let child: unknown;
    try {
      child = (value as Record<string, unknown>)[key];
    } catch {
      continue;
    }
    yield [child, /^\d+$/.test(key) ? `${path}[${key}]` : `${path}.${key}`];
  }
}

/** Where the first function inside `value` is, as the walks would meet it
 * (own enumerable keys of objects, arrays and errors' fields, Maps, Sets). */
export function locateFunction(
  value: unknown,
  path: string,
  depth: number,
  seen: Set<object>,
): string {
  if (typeof value === "function") return path;
  if (typeof value !== "object" || value === null || seen.has(value) || depth >= 64) return "";
  if (isShared(value)) return ""; // crosses as its reference: nothing inside is sent
  seen.add(value);
  for (const [child, at] of children(value, path, Infinity)) {
    const found = locateFunction(child, at, depth + 1, seen);
    if (found !== "") return found;
  }
  return "";
}

/** The first object inside `value` that stays on its thread (a Future),
 * with its path, as the walks meet it. */
export function locateStaying(
  value: unknown,
  path = "",
  depth = 0,
  seen: Set<object> = new Set(),
): { path: string; value: unknown } | null {
  if (typeof value !== "object" || value === null || seen.has(value) || depth >= 64) return null;
  if (isShared(value)) return null;
  if (staysOnThread(value) !== undefined) return { path, value };
  seen.add(value);
  for (const [child, at] of children(value, path, Infinity)) {
    const found = locateStaying(child, at, depth + 1, seen);
    if (found !== null) return found;
  }
  return null;
}

/** The innermost part of `value` structured clone refuses, with its path:
 * only on the way to an error, so serializing each level again is fine
 * (bounded in depth and in how many keys a level tries). An object that
 * stays on its thread (a Future) is the part itself, whatever inside it
 * is refused; an object met before is not searched again (a Threaded
 * instance and its Io refer to each other). */
export function locateUncloneable(
  value: unknown,
  path: string,
  depth: number,
  seen: Set<object> = new Set(),
): { path: string; value: unknown } | null {
  try {
    serialize(value);
    return null;
  } catch {
    // refused: look for the part that is
  }
  if (typeof value !== "object" || value === null || depth >= 16) return { path, value };
  if (staysOnThread(value) !== undefined) return { path, value };
  seen.add(value);
  for (const [child, at] of children(value, path, 1000)) {
    if (typeof child === "object" && child !== null && (seen.has(child) || isShared(child)))
      continue; // a shared object crosses as its reference

    const inner = locateUncloneable(child, at, depth + 1, seen);
    if (inner !== null) return inner;
  }
  return { path, value };
}
