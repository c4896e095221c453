// How a thrown error crosses threads: as a plain record that structured
// clone carries, rebuilt on the other side as an error of the same class.
//
// A record keeps the class name, the nearest built-in error class it
// extends, name, message, stack, `cause`, every own enumerable field (an
// IoError's code, errno, syscall, path, address; a user's own fields) and
// an AggregateError's `errors`. Errors nested in a cause, a field or
// `errors` become records too (at most MAX_DEPTH deep; a cycle ends as the
// text "[circular]").
//
// Rebuilding never runs a user constructor (it may take other arguments or
// have side effects): `Reflect.construct(Base, [message, { cause }], Class)`
// makes a real error of the built-in `Base` whose prototype is `Class`'s,
// then the fields are assigned. `Class` is the registered class of that
// name (`registerErrorClass`; IoError, Canceled and BugError are
// registered here), else the built-in class the error extended: an
// unregistered `class MyError extends Error` comes back as an `Error` named
// "MyError" with its fields.
import { BugError, Canceled, IoError } from "../io/errors.ts";

export const ERROR_MARK = "__threadedIoError";
const MAX_DEPTH = 8;

type ErrorClass = abstract new (...args: never[]) => Error;

export interface ErrorRecord {
  [ERROR_MARK]: true;
  className: string;
  /** The nearest built-in error class in the prototype chain. */
  base: string;
  name: string;
  message: string;
  stack?: string;
  hasCause?: true;
  cause?: unknown;
  fields?: Record<string, unknown>;
  errors?: unknown[];
  /** Set for a thrown non-Error value (`value`); className is "thrown". */
  thrown?: true;
  value?: unknown;
}

const builtins: Record<string, ErrorConstructor | AggregateErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  AggregateError,
};
/** Own properties only: a class named "toString" or "constructor" is not
 * Object.prototype's. */
const builtin = (name: string): ErrorConstructor | AggregateErrorConstructor | undefined =>
  Object.hasOwn(builtins, name) ? builtins[name] : undefined;
const builtinByCtor = new Map<unknown, string>(Object.entries(builtins).map(([k, v]) => [v, k]));

const registered = new Map<string, ErrorClass>();

/**
 * Lets errors of class `ctor` keep their class when they cross threads:
 * call it where the class is defined, so that both the thread that throws
 * and the one that awaits have it (a task's module is loaded on both).
 * Without it the error arrives as the built-in class it extends, with its
 * name, message, stack, cause and own fields.
 */
export function registerErrorClass(ctor: ErrorClass, name: string = ctor.name): void {
  if (typeof ctor !== "function" || !(ctor.prototype instanceof Error))
    throw new TypeError("registerErrorClass takes a class that extends Error");
  if (!name) throw new TypeError("An error class needs a name to cross threads");
  const known = registered.get(name);
  if (known !== undefined && known !== ctor)
    throw new TypeError(`Another error class is already registered as "${name}"`);
  registered.set(name, ctor);
  nameByCtor.set(ctor, name);
}
const nameByCtor = new Map<unknown, string>();
registerErrorClass(IoError);
registerErrorClass(Canceled);
registerErrorClass(BugError);

function baseOf(err: Error): string {
  for (let p = Object.getPrototypeOf(err); p !== null; p = Object.getPrototypeOf(p)) {
    const name = builtinByCtor.get(p.constructor);
    if (name !== undefined) return name;
  }
  return "Error";
}

/** Values inside a record (fields, a non-Error cause) go through `encode`
 * (the codec's walk: shared objects by reference, value classes by data). */
export type Encode = (v: unknown) => unknown;
export type Decode = (v: unknown) => unknown;

export function errorRecord(
  err: unknown,
  encode: Encode,
  depth = 0,
  seen = new Set<object>(),
): ErrorRecord {
  if (!(err instanceof Error)) {
    return {
      [ERROR_MARK]: true,
      thrown: true,
      className: "thrown",
      base: "Error",
      name: "Error",
      message: String(err),
      value: encodeNested(err, encode, depth, seen),
    };
  }
  seen.add(err);
  const ctor = err.constructor;
  const rec: ErrorRecord = {
    [ERROR_MARK]: true,
    className: nameByCtor.get(ctor) ?? builtinByCtor.get(ctor) ?? ctor?.name ?? "Error",
    base: baseOf(err),
    name: err.name,
    message: err.message,
    stack: err.stack,
  };
  if (Object.hasOwn(err, "cause")) {
    rec.hasCause = true;
    rec.cause = encodeNested(err.cause, encode, depth, seen);
  }
  const keys = Object.keys(err);
  if (keys.length > 0) {
    const fields: Record<string, unknown> = {};
    for (const k of keys) {
      const v = (err as unknown as Record<string, unknown>)[k];
      if (typeof v === "function" || typeof v === "symbol") continue; // cannot be cloned
      if (k === "stack" || k === "__proto__") continue; // the stack travels apart
      fields[k] = encodeNested(v, encode, depth, seen);
    }
    rec.fields = fields;
  }
  if (err instanceof AggregateError && Array.isArray(err.errors))
    rec.errors = err.errors.map((e) => encodeNested(e, encode, depth, seen));
  seen.delete(err);
  return rec;
}

function encodeNested(v: unknown, encode: Encode, depth: number, seen: Set<object>): unknown {
  if (v instanceof Error) {
    if (seen.has(v) || depth >= MAX_DEPTH) return "[circular]";
    return errorRecord(v, encode, depth + 1, seen);
  }
  return encode(v);
}

export function isErrorRecord(v: unknown): v is ErrorRecord {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[ERROR_MARK] === true;
}

export function errorFromRecord(raw: unknown, decode: Decode): unknown {
  if (!isErrorRecord(raw)) return new Error("Task failed with an undecodable error");
  const rec = raw;
  // `thrown`, not the class name: a user's `class thrown extends Error` is
  // an Error.
  if (rec.thrown === true) return decodeNested(rec.value, decode);
  const Base = builtin(rec.base) ?? Error;
  const Class = registered.get(rec.className) ?? builtin(rec.className) ?? Base;
  const options = rec.hasCause ? { cause: decodeNested(rec.cause, decode) } : undefined;
  const err: Error =
    Base === AggregateError
      ? Reflect.construct(
          AggregateError,
          [(rec.errors ?? []).map((e) => decodeNested(e, decode)), rec.message, options],
          Class,
        )
      : Reflect.construct(Base, [rec.message, options], Class);
  if (rec.fields !== undefined) {
    for (const [k, v] of Object.entries(rec.fields)) {
      if (k === "__proto__") continue;
      (err as unknown as Record<string, unknown>)[k] = decodeNested(v, decode);
    }
  }
  if (err.name !== rec.name) err.name = rec.name;
  if (rec.stack !== undefined) err.stack = rec.stack;
  return err;
}

function decodeNested(v: unknown, decode: Decode): unknown {
  return isErrorRecord(v) ? errorFromRecord(v, decode) : decode(v);
}
