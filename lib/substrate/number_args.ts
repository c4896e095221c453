// Arguments that cross the heap as f64s: all numbers (NUMBERS), or
// numbers and SharedBytes together (MIXED), with a flag for a leading `io`.
// No walk and no serializer: the hot path of a task call.
import { Format } from "./layout.ts";
import { valueClasses } from "./value_registry.ts";
import type { Encoded } from "./codec.ts";

/** Leading `io` argument, flagged in the numbers format's high bit. */
export const IO_FIRST = 0x40000000;
export const IO_BASIC_FIRST = 0x20000000;
export const COUNT_MASK = 0x0fffffff;

/**
 * A number read back from a Float64Array is held by the engine as a double,
 * even when it is an integer; integer code in the task then runs on the slow
 * double paths (`%` on doubles is ~10× slower than on int32 in JSC). So an
 * integer that fits int32 is turned back into one.
 */
export function fromF64(v: number): number {
  return (v | 0) === v && !Object.is(v, -0) ? v | 0 : v;
}

const NUMBER_ARG = 0;
const BYTES_ARG = 1;
const BYTES_KIND = "shared_bytes";

/**
 * Arguments that are all numbers and SharedBytes (`work(io, shared, n)`),
 * as f64s: no walk, no JSON. This keeps a SharedBytes round trip as cheap
 * as an empty task's: through JSON it cost ~10 µs more (encode 4 µs,
 * decode 6 µs), enough for the pool thread to finish its spin and sleep
 * before the next task came, and a wake-up then cost another 20-250 µs
 * (bench/data.bench.ts: 284 µs against 27 µs for the empty task).
 */
export function encodeMixed(
  args: readonly unknown[],
  start: number,
  flags: number,
): Encoded | undefined {
  const count = args.length - start;
  if (count > COUNT_MASK) return undefined;
  const kinds: number[] = [];
  const numbers: number[] = [];
  const bytesClass = valueClasses.get(BYTES_KIND);
  for (let i = start; i < args.length; i++) {
    const a = args[i];
    if (typeof a === "number") {
      kinds.push(NUMBER_ARG);
      numbers.push(a);
    } else if (
      bytesClass !== undefined &&
      typeof a === "object" &&
      a !== null &&
      Object.getPrototypeOf(a) === bytesClass.ctor.prototype
    ) {
      kinds.push(BYTES_ARG);
      numbers.push(...(bytesClass.toData(a as never) as number[])); // checks it is not freed
    } else {
      return undefined;
    }
  }
  return {
    format: Format.MIXED,
    length: (count | flags) >>> 0,
    bytes: kindBytes(count) + numbers.length * 8,
    numbers,
    kinds,
  };
}

function kindBytes(count: number): number {
  return (count + 7) & ~7;
}

export function writeMixed(u8: Uint8Array, f64: Float64Array, at: number, e: Encoded): void {
  const kinds = e.kinds!;
  for (let i = 0; i < kinds.length; i++) u8[at + i] = kinds[i];
  const base = (at + kindBytes(kinds.length)) >> 3;
  const numbers = e.numbers!;
  for (let i = 0; i < numbers.length; i++) f64[base + i] = numbers[i];
}

export function decodeMixed(
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
  count: number,
  out: unknown[],
): unknown[] {
  const bytesClass = valueClasses.get(BYTES_KIND)!;
  let next = (at + kindBytes(count)) >> 3;
  for (let i = 0; i < count; i++) {
    if (u8[at + i] === NUMBER_ARG) {
      out.push(fromF64(f64[next++]));
    } else {
      const data = [f64[next], f64[next + 1], f64[next + 2], f64[next + 3]];
      next += 4;
      out.push(bytesClass.fromData(data as never));
    }
  }
  return out;
}
