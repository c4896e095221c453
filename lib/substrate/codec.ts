// How task arguments and results cross the heap.
//
// - Arguments that are all numbers (the common `fib(io, n)` minus `io`, see
//   below) are written as f64s: no serializer on the hot path; numbers and
//   SharedBytes together (`work(io, shared, n)`) as MIXED, f64s too.
// - Anything else is JSON when JSON carries it exactly (json_payload.ts),
//   else bun:jsc `serialize` (structured clone), a tag byte saying which, after
//   one walk (`scan`, codec_scan.ts; cycles and errors: codec_replace.ts)
//   that replaces shared objects (Io, Mutex, Group, ...) with their marks
//   (codec_marks.ts) wherever they are, Maps, Sets and class instances
//   included, revived on the other side (codec_revive.ts) as live objects of
//   the same heap. Typed arrays and
//   buffers inside are taken out of the value and copied raw
//   (binary_payload.ts). A SharedArrayBuffer (or a view of one) is refused:
//   structured clone would copy it, silently breaking sharing; SharedBytes
//   is the shared buffer that works.
// - `io` itself is a shared object; an all-numbers-after-io argument list
//   is encoded as NUMBERS with a flag for the leading io.
// - Errors travel as plain records (error_record.ts) and come back as the
//   same class when it is registered (IoError, Canceled, BugError, the
//   built-in classes, `registerErrorClass`), with message, stack, cause,
//   own fields and an AggregateError's errors.
import { deserialize, serialize } from "bun:jsc";
import type { Heap } from "./heap.ts";
import { BugError } from "../io/errors.ts";
import { errorFromRecord, errorRecord } from "./error_record.ts";
import { SHARED_REF } from "../io/shared.ts";
import { locateFunction, locateStaying, locateUncloneable } from "./codec_locate.ts";
import {
  checkOwner,
  isFunctionRefusal,
  refuseFunction,
  refuseUncloneable,
  enterCrossing,
  leaveCrossing,
  type Crossing,
} from "./crossing.ts";
import { isShared, STAYS_REFUSAL } from "./codec_marks.ts";
import { replaceShared, replacing } from "./codec_replace.ts";
import { namedProperties, newScan, NOT_SCANNED, scan, type Scan } from "./codec_scan.ts";
import { reviveShared, reviving, type Reviver } from "./codec_revive.ts";
import { Format } from "./layout.ts";
import { fromJsonBytes, jsonBytes, jsonExact } from "./json_payload.ts";
import {
  BinaryCollector,
  decodeBinary,
  dropBinary,
  encodeBinary,
  PAYLOAD_BINARY,
  releaseBinary,
  writeBinary,
  type BinaryPayload,
} from "./binary_payload.ts";
import {
  COUNT_MASK,
  decodeMixed,
  encodeMixed,
  fromF64,
  IO_BASIC_FIRST,
  IO_FIRST,
  writeMixed,
} from "./number_args.ts";

export { fromF64 } from "./number_args.ts";
export { registerValueClass } from "./value_registry.ts";
export type { Reviver } from "./codec_revive.ts";

export interface Encoded {
  readonly format: number;
  /** NUMBERS: count | IO flags; JSC: byte length. */
  readonly length: number;
  /** Payload bytes to reserve after the closure header. */
  readonly bytes: number;
  readonly numbers?: readonly number[];
  /** MIXED: per argument, NUMBER_ARG or BYTES_ARG. */
  readonly kinds?: readonly number[];
  readonly jsc?: Uint8Array;
  /** Instead of `jsc`: typed arrays and buffers as raw bytes (binary_payload.ts). */
  readonly binary?: BinaryPayload;
}

const NONE: Encoded = { format: Format.NONE, length: 0, bytes: 0 };

/** `heap`: the heap the closure lives in (undefined: unchecked). */
export function encodeArgs(args: readonly unknown[], heap?: Heap): Encoded {
  if (args.length === 0) return NONE;
  enterCrossing("passed to a task", heap);
  try {
    return encodeArgList(args);
  } finally {
    leaveCrossing();
  }
}

function encodeArgList(args: readonly unknown[]): Encoded {
  let start = 0;
  let flags = 0;
  const first = args[0];
  if (isShared(first)) {
    const [kind, ref, , base] = first[SHARED_REF]();
    if (kind === "io") {
      if (base !== undefined) checkOwner(kind, base);
      flags = ref === 1 ? IO_BASIC_FIRST : IO_FIRST;
      start = 1;
    }
  }
  let allNumbers = true;
  for (let i = start; i < args.length; i++) {
    if (typeof args[i] !== "number") {
      allNumbers = false;
      break;
    }
  }
  if (allNumbers && args.length - start <= COUNT_MASK) {
    const numbers = start === 0 ? args : args.slice(start);
    return {
      format: Format.NUMBERS,
      length: (numbers.length | flags) >>> 0,
      bytes: numbers.length * 8,
      numbers: numbers as number[],
    };
  }
  return encodeMixed(args, start, flags) ?? encodeTree(args);
}

export function writeEncoded(u8: Uint8Array, f64: Float64Array, at: number, e: Encoded): void {
  if (e.format === Format.NUMBERS) {
    const base = at >> 3;
    const numbers = e.numbers!;
    for (let i = 0; i < numbers.length; i++) f64[base + i] = numbers[i];
  } else if (e.format === Format.JSC) {
    writePayload(u8, at, e);
  } else if (e.format === Format.MIXED) {
    writeMixed(u8, f64, at, e);
  }
}

/** Writes a JSC-format value's payload (`e.bytes` bytes) at `at`. */
export function writePayload(u8: Uint8Array, at: number, e: Encoded): void {
  if (e.binary !== undefined) writeBinary(u8, at, e.binary);
  else u8.set(e.jsc!, at);
}

/** Frees what an encoded value owns outside the heap, when it will not be
 * written after all. */
export function dropEncoded(e: Encoded): void {
  if (e.binary !== undefined) dropBinary(e.binary);
}

/** Frees what the JSC-format payload at `at` owns outside the heap (big
 * buffers); call before freeing the heap block that holds it, whether or
 * not it was decoded. */
export function releasePayload(u8: Uint8Array, at: number): void {
  releaseBinary(u8, at);
}

export function decodeArgs(
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
  format: number,
  length: number,
  revive: Reviver,
): unknown[] {
  switch (format) {
    case Format.NONE:
      return [];
    case Format.NUMBERS: {
      const count = length & COUNT_MASK;
      const out: unknown[] = [];
      if (length & IO_FIRST) out.push(revive("io", 0));
      else if (length & IO_BASIC_FIRST) out.push(revive("io", 1));
      const base = at >> 3;
      for (let i = 0; i < count; i++) out.push(fromF64(f64[base + i]));
      return out;
    }
    case Format.MIXED: {
      const out: unknown[] = [];
      if (length & IO_FIRST) out.push(revive("io", 0));
      else if (length & IO_BASIC_FIRST) out.push(revive("io", 1));
      return decodeMixed(u8, f64, at, length & COUNT_MASK, out);
    }
    case Format.JSC:
      return decodeValue(u8, at, length, revive) as unknown[];
    default:
      throw new BugError(`Unknown argument format "${format}"`);
  }
}

/** A result value (a task's, or a queue item: `where`): UNDEFINED and
 * NUMBER need no bytes. */
export function encodeResult(
  value: unknown,
  where: Crossing = "returned from a task",
  heap?: Heap,
): Encoded {
  if (value === undefined) return { format: Format.UNDEFINED, length: 0, bytes: 0 };
  if (typeof value === "number")
    return { format: Format.NUMBER, length: 0, bytes: 0, numbers: [value] };
  enterCrossing(where, heap);
  try {
    return encodeTree(value);
  } finally {
    leaveCrossing();
  }
}

export function encodeError(err: unknown, heap?: Heap): Encoded {
  enterCrossing("returned from a task", heap);
  try {
    return encodeErrorRecord(err);
  } finally {
    leaveCrossing();
  }
}

function encodeErrorRecord(err: unknown): Encoded {
  let jsc: Uint8Array;
  try {
    jsc = toBytes(errorRecord(err, encodeInside()));
  } catch {
    // A field structured clone cannot carry: keep what always can.
    const rec = errorRecord(err, () => undefined);
    jsc = toBytes({
      ...rec,
      fields: undefined,
      hasCause: undefined,
      cause: undefined,
      errors: undefined,
      value: rec.thrown === true ? rec.message : undefined,
    });
  }
  return { format: Format.JSC, length: jsc.length, bytes: jsc.length, jsc };
}

/** An error's fields, cause and errors: one walk (and memo) per error. A
 * part the walk refuses (a SharedArrayBuffer, a function inside) is sent
 * as a note saying why, and the rest of the error still arrives. */
function encodeInside(): (v: unknown) => unknown {
  const r = replacing();
  return (v) => {
    try {
      return replaceShared(v, r);
    } catch (e) {
      const why = refusal(e, v);
      return `[not sent: ${why instanceof Error ? why.message : String(why)}]`;
    }
  };
}

export function decodeValue(u8: Uint8Array, at: number, length: number, revive: Reviver): unknown {
  if (isPlain(u8, at)) return fromBytes(u8, at, length);
  if (u8[at] === PAYLOAD_BINARY) {
    const { skeleton, view } = decodeBinary(u8, at, fromBytes);
    return reviveShared(skeleton, reviving(revive, view));
  }
  return reviveShared(fromBytes(u8, at, length), reviving(revive));
}

/** The thrown value: an Error of the task's class, or a copy of a non-Error. */
export function decodeError(u8: Uint8Array, at: number, length: number, revive: Reviver): unknown {
  const c = reviving(revive);
  return errorFromRecord(fromBytes(u8, at, length), (v) => reviveShared(v, c));
}

// --- structured clone ------------------------------------------------------

/** First byte of every payload: which encoding follows. */
const PAYLOAD_JSC = 0;
const PAYLOAD_JSON = 1;
// (2 is PAYLOAD_BINARY, binary_payload.ts.)
/** As JSC and JSON, for a value the shared-object walk left unchanged:
 * nothing inside to revive, so the decoder skips its walk (on 10,000
 * records, a Set insertion per object). */
const PAYLOAD_JSC_PLAIN = 3;
const PAYLOAD_JSON_PLAIN = 4;

function isPlain(u8: Uint8Array, at: number): boolean {
  return u8[at] === PAYLOAD_JSC_PLAIN || u8[at] === PAYLOAD_JSON_PLAIN;
}

/** A value through one walk (`scan`: shared objects, buffers, and whether
 * JSON carries it exactly), then JSON, structured clone, or (when it holds
 * typed arrays or buffers) the binary payload. A value `scan` does not
 * take (errors inside, cycles) goes through `replaceShared` and `toBytes`
 * as before. */
function encodeTree(value: unknown): Encoded {
  let skeleton: unknown;
  // Everything a walk collects is local to this call: a getter or a Proxy
  // trap met by the walk may encode another value (put to a queue, start a
  // task) in the middle of this one.
  let scanned: Scan | undefined = newScan();
  let c: BinaryCollector | undefined;
  const jsonSafe = !jsonHijacked();
  try {
    if (prototypePolluted()) throw NOT_SCANNED;
    skeleton = scan(value, scanned);
    c = scanned.binary;
  } catch (e) {
    if (e !== NOT_SCANNED) throw refusal(e, value);
    scanned = undefined;
    try {
      skeleton = replaceShared(
        value,
        replacing((v) => (c ??= new BinaryCollector()).take(v)),
      );
    } catch (e2) {
      throw refusal(e2, value);
    }
  }
  if (c === undefined) {
    const json =
      jsonSafe &&
      scanned !== undefined &&
      scanned.exact &&
      (scanned.nodes <= JSON_ALWAYS_NODES || scanned.objects * 8 >= scanned.nodes) &&
      !namedProperties(scanned.arrays);
    const jsc =
      scanned === undefined
        ? toBytes(skeleton, jsonSafe)
        : json
          ? jsonBytes(PAYLOAD_JSON, skeleton)
          : jscBytes(skeleton);
    // Both return a fresh array: its tag can be marked.
    if (skeleton === value)
      jsc[0] = jsc[0] === PAYLOAD_JSON ? PAYLOAD_JSON_PLAIN : PAYLOAD_JSC_PLAIN;
    return { format: Format.JSC, length: jsc.length, bytes: jsc.length, jsc };
  }
  const binary = encodeBinary(toBytes({ s: c.specs, v: skeleton }, jsonSafe), c);
  return { format: Format.JSC, length: binary.bytes, bytes: binary.bytes, binary };
}

/** The walks keep no path (they are the hot path): look for it now. */
function refusal(e: unknown, value: unknown): unknown {
  if (isFunctionRefusal(e)) return refuseFunction(locateFunction(value, "", 0, new Set()));
  if (e === STAYS_REFUSAL) return refuseUncloneable(undefined, locateStaying(value));
  return e;
}

/** True if Object.prototype has an enumerable property (scan's for-in
 * would see it on every object). */
function prototypePolluted(): boolean {
  for (const _ in EMPTY) return true;
  return false;
}
const EMPTY = {};

/** True if JSON.stringify would call a `toJSON` every object inherits
 * (structured clone ignores it): then no value takes the JSON path. */
function jsonHijacked(): boolean {
  return "toJSON" in Object.prototype || "toJSON" in Array.prototype;
}

/** Values this small take JSON whenever it is exact (json_payload.ts). */
const JSON_ALWAYS_NODES = 64;
function toBytes(value: unknown, jsonSafe = !jsonHijacked()): Uint8Array {
  if (jsonSafe && jsonExact(value)) return jsonBytes(PAYLOAD_JSON, value);
  return jscBytes(value);
}

/** Structured-clone bytes of `value` after the tag byte. */
function jscBytes(value: unknown): Uint8Array {
  let jsc: Uint8Array;
  try {
    jsc = new Uint8Array(serialize(value));
  } catch (e) {
    throw refuseUncloneable(e, locateUncloneable(value, "", 0));
  }
  const out = new Uint8Array(1 + jsc.length);
  out[0] = PAYLOAD_JSC;
  out.set(jsc, 1);
  return out;
}

function fromBytes(u8: Uint8Array, at: number, length: number): unknown {
  if (u8[at] === PAYLOAD_JSON || u8[at] === PAYLOAD_JSON_PLAIN)
    return fromJsonBytes(u8, at, length);
  // deserialize wants its own (non-shared) bytes.
  return deserialize(u8.slice(at + 1, at + length));
}
