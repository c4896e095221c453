// The marks the codec's walks put into a value (codec.ts) and revive on the
// other thread (codec_revive.ts): each is a one-key plain object whose key
// starts with RESERVED_PREFIX.
//
//   { __threadedIoRef: [kind, ref, gen] }    a shared object (Mutex, Io, ...)
//   { __threadedIoValue: [kind, data] }      a value class (Duration, ...)
//   { __threadedIoError: true, ... }         an Error (error_record.ts)
//   { __threadedIoBytes: index }             a typed array or buffer
//                                            (binary_payload.ts)
//   { __threadedIoLiteral: object }          user data that has a reserved
//                                            key of its own
//
// A user's object with a reserved key (say a parsed request body holding
// `{"__threadedIoValue": ["shared_bytes", [handle, 0, 64, 64]]}`) would
// otherwise be revived as the mark it looks like: a SharedBytes over memory
// the sender never shared. So the walks wrap such an object in a literal
// mark, whose contents are revived but whose own keys are never read as a
// mark — including `__threadedIoLiteral` itself.
import { isShared, SHARED_REF, type SharedObject } from "../io/shared.ts";
import { checkOwner, staysOnThread } from "./crossing.ts";

export const RESERVED_PREFIX = "__threadedIo";
export const MARK = "__threadedIoRef";
export const VALUE_MARK = "__threadedIoValue";
export const LITERAL_MARK = "__threadedIoLiteral";

/** A key the revive walk could read as a mark (cheap first test: "_"). */
export function isReservedKey(key: string): boolean {
  return key.charCodeAt(0) === 95 && key.startsWith(RESERVED_PREFIX);
}

/** The mark that stands for a shared object: [kind, ref, gen]. */
export function sharedMark(v: SharedObject): { [MARK]: readonly unknown[] } {
  const r = v[SHARED_REF]();
  if (r.length === 4 && r[0] !== "file" && r[0] !== "dir") {
    checkOwner(r[0], r[3]);
    return { [MARK]: [r[0], r[1], r[2]] };
  }
  return { [MARK]: r };
}

export { isShared };

/** Thrown by a walk at an object that stays on its thread (a Future, a
 * Threaded instance): codec.ts turns it into the refusal with its path. A
 * class instance's own properties are otherwise copied, so a Future holding
 * an Io would arrive as a dead plain object. */
export const STAYS_REFUSAL = Symbol("stays on its thread");

export function refuseIfStays(v: object): void {
  if (staysOnThread(v) !== undefined) throw STAYS_REFUSAL;
}

/** `o[key] = v` as an own data property, also for "__proto__" (whose
 * assignment would set the prototype instead). */
export function setOwn(o: Record<string, unknown>, key: string, v: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(o, key, {
      value: v,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  else o[key] = v;
}
