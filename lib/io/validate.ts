// Argument checks for the public entries, made before any syscall. A value
// outside what the call can take is a programming mistake: `RangeError`
// naming the value and the allowed range (a value of the wrong type:
// `TypeError`). Without them a bigint offset of 2^64 wrapped to 0 in the
// shim's i64 and overwrote the start of a file, a port of 73616 bound 8080,
// `new File(1.5)` closed stdout and an offset of -1 came back as a BugError
// about EINVAL.
//
// Each check is a typeof and a range compare on the hot path; the message
// is only built on failure.

/** Largest file offset: off_t is i64, and pread/pwrite/lseek refuse
 * negative positions. */
export const MAX_OFFSET = 0x7fff_ffff_ffff_ffffn;
export const MIN_DELTA = -0x8000_0000_0000_0000n;
const TWO_63 = 2 ** 63;
/** Descriptors are C ints. */
export const MAX_HANDLE = 0x7fff_ffff;
export const MAX_U32 = 0xffff_ffff;

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `"${v}n"`;
  if (typeof v === "number") return Object.is(v, -0) ? '"-0"' : `"${v}"`;
  return `"${String(v)}"`;
}

function outOfRange(what: string, v: unknown, min: bigint | number, max: bigint | number): Error {
  if (typeof v !== "number" && typeof v !== "bigint")
    return new TypeError(`${what} ${show(v)} is not a number`);
  return new RangeError(`${what} ${show(v)} is out of range: an integer from ${min} to ${max}`);
}

/** A file position: an integer from 0 to 2^63 − 1, number or bigint. */
export function checkOffset(v: number | bigint, what = "Offset"): void {
  if (typeof v === "number") {
    if (v >= 0 && v < TWO_63 && Number.isInteger(v)) return;
  } else if (typeof v === "bigint" && v >= 0n && v <= MAX_OFFSET) return;
  throw outOfRange(what, v, 0, MAX_OFFSET);
}

/** The offset of a positional transfer of `bufs`: the kernel also refuses
 * (EINVAL) a transfer whose end passes 2^63 − 1. The sum is only taken
 * for offsets above 2^53, so the common case stays a compare. */
export function checkTransfer(v: number | bigint, bufs: readonly Uint8Array[]): void {
  if (typeof v === "number" && v >= 0 && v <= Number.MAX_SAFE_INTEGER && Number.isInteger(v))
    return;
  checkOffset(v);
  let length = 0;
  for (const b of bufs) length += b.length;
  const max = MAX_OFFSET - BigInt(length);
  if (BigInt(v) > max) throw outOfRange(`Offset of ${length} bytes`, v, 0, max);
}

/** A relative seek: an integer from −2^63 to 2^63 − 1. */
export function checkDelta(v: number | bigint, what = "Seek offset"): void {
  if (typeof v === "number") {
    if (v >= -TWO_63 && v < TWO_63 && Number.isInteger(v)) return;
  } else if (typeof v === "bigint" && v >= MIN_DELTA && v <= MAX_OFFSET) return;
  throw outOfRange(what, v, MIN_DELTA, MAX_OFFSET);
}

/** A length or count: an integer from `min` (default 0) to `max`
 * (default 2^53 − 1). */
export function checkCount(v: number, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): void {
  if (typeof v === "number" && v >= min && v <= max && Number.isInteger(v)) return;
  throw outOfRange(what, v, min, max);
}

/** A TCP/UDP port: an integer from 0 to 65535. */
export function checkPort(v: number): void {
  if (typeof v === "number" && v >= 0 && v <= 0xffff && Number.isInteger(v)) return;
  throw outOfRange("Port", v, 0, 0xffff);
}

/** A file or socket descriptor: an integer from 0 to 2^31 − 1. */
export function checkHandle(v: number, what = "Handle"): void {
  if (typeof v === "number" && v >= 0 && v <= MAX_HANDLE && Number.isInteger(v)) return;
  throw outOfRange(what, v, 0, MAX_HANDLE);
}

/** What a read or write takes: any `ArrayBufferView` (a Uint8Array, a
 * Buffer, another typed array, a DataView), its bytes transferred as
 * node:fs transfers them. */
export type Bytes = ArrayBufferView;

/** The bytes of a buffer argument as a Uint8Array: a Uint8Array as it is,
 * another view as a Uint8Array over the same bytes (an Int32Array's length
 * counts elements: passed as it was, it read or wrote nothing, which looked
 * like end of file and made writeAll loop forever); anything else — a string
 * reached the syscall as a bogus pointer — a TypeError naming `what`.
 * `isView` checks the typed-array slot (an object made from
 * Uint8Array.prototype passes `instanceof` but has no bytes). */
export function asBytes(v: unknown, what: string): Uint8Array {
  if (ArrayBuffer.isView(v))
    return v instanceof Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw notBytes(v, what);
}

/** A buffer or a list of buffers (the vectored forms) as a list of
 * Uint8Arrays; the caller's array is only copied if an element is not a
 * Uint8Array. */
export function asByteList(v: unknown, what: string): readonly Uint8Array[] {
  if (ArrayBuffer.isView(v))
    return [v instanceof Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength)];
  if (!Array.isArray(v)) throw notBytes(v, what);
  let list: Uint8Array[] = v;
  for (let i = 0; i < v.length; i++) {
    const b: unknown = v[i];
    if (ArrayBuffer.isView(b) && b instanceof Uint8Array) continue;
    const bytes = asBytes(b, `${what}[${i}]`);
    if (list === v) list = v.slice();
    list[i] = bytes;
  }
  return list;
}

function notBytes(v: unknown, what: string): TypeError {
  const kind = v instanceof Uint8Array ? "an object made from Uint8Array.prototype" : describe(v);
  return new TypeError(
    `${what} is ${kind}, not a Uint8Array or other ArrayBufferView` +
      (typeof v === "string" ? " (encode a string first: new TextEncoder().encode(s))" : ""),
  );
}

/** A value's kind for a message: `a string`, `an ArrayBuffer`, `null`. */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object" || typeof v === "function") {
    const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === "string" && name !== "Object" && name !== "")
      return /^[AEIO]/.test(name) ? `an ${name}` : `a ${name}`;
    return typeof v === "function" ? "a function" : "an object";
  }
  if (v === undefined) return "undefined";
  const t = typeof v;
  return `${/^[aeiou]/.test(t) ? "an" : "a"} ${t} ${show(v)}`;
}

/** A string argument (a path, a host name): TypeError naming `what`
 * otherwise, before anything calls a string method on it. */
export function checkString(v: unknown, what: string): void {
  if (typeof v !== "string") throw new TypeError(`${what} is ${describe(v)}, not a string`);
}
