// `Threaded.init`'s options, and the checks every option and setter runs:
// a clear TypeError or RangeError naming the option and the allowed range,
// never a silent clamp or an ignored misspelling.
import { checkOptions, optionNames } from "../io/check_options.ts";
import { checkCount } from "../io/validate.ts";
import {
  DEFAULT_HEAP_BYTES,
  DEFAULT_MAX_HEAP_BYTES,
  MAX_HEAP_BYTES,
  MIN_HEAP_BYTES,
} from "../substrate/heap.ts";
import { UNLIMITED } from "../substrate/layout.ts";
import type { TraceOptions } from "./trace_writer.ts";

/** Options of `Threaded.init`: thread limits and the shared heap's size. */
export interface ThreadedOptions {
  /** Pool threads for `async` (default: CPU count − 1, as Zig's `Threaded.zig`).
   * Infinity means unlimited. */
  readonly asyncLimit?: number;
  /** Pool threads for `concurrent` (default: unlimited). */
  readonly concurrentLimit?: number;
  /** Initial shared-heap size in bytes (default 1 MiB): from 131,072
   * (128 KiB) to 4,294,901,760 (4 GiB − 64 KiB), rounded up to a multiple
   * of 64 KiB, and at most `maxHeapBytes`. Anything else is a RangeError.
   * Equal to `maxHeapBytes`, the heap starts 64 KiB short of it and grows
   * on demand (Bun for arm64 under qemu cannot make it full-size). */
  readonly heapBytes?: number;
  /** The most the shared heap may grow to (default 1 GiB, or `heapBytes`
   * if that is larger): from 131,072 (128 KiB) to 4,294,901,760 (4 GiB −
   * 64 KiB; heap offsets are 32-bit), rounded up to a multiple of 64 KiB.
   * Anything else is a RangeError. Values bigger than this travel outside
   * the heap (buffers of 1 MiB or more, SharedBytes). */
  readonly maxHeapBytes?: number;
  /** Milliseconds after which an idle pool thread exits (default 10,000);
   * the pool shrinks to no thread when idle and grows again on demand.
   * 0 keeps threads until deinit, as Zig does. */
  readonly idleTimeout?: number;
  /** Start a trace at once (as `startTrace`); with a `path`, `deinit`
   * writes it there (as `stopTrace(path)`) after joining the threads. */
  readonly trace?: boolean | (TraceOptions & { readonly path?: string });
}

/** The default idle timeout: long enough that a steady or bursty load keeps
 * its threads (a new one costs ~10 ms to start), short enough that an idle
 * service gives back their memory (docs/ARCHITECTURE.md). */
export const DEFAULT_IDLE_TIMEOUT_MS = 10_000;

/** A thread limit, checked: `name` (the option or setter) is in the error,
 * so that a bad value among several options says which one it is. */
export function toLimit(name: string, v: number): number {
  if (v === Infinity) return UNLIMITED;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= 0xffffffff)
    throw new RangeError(
      `${name} "${String(v)}" is not a count of threads (a whole number from 0 to 4294967294, or Infinity)`,
    );
  return v | 0;
}

const OPTION_NAMES = optionNames<ThreadedOptions>({
  asyncLimit: true,
  concurrentLimit: true,
  heapBytes: true,
  maxHeapBytes: true,
  idleTimeout: true,
  trace: true,
});

/** Refuses what is not an options object, and any name it does not know: a
 * misspelled `asyncLimt` would otherwise leave the default in force without
 * a word (Zig rejects an unknown field at compile time). */
export function checkOptionNames(options: unknown): asserts options is ThreadedOptions {
  if (options === undefined)
    throw new TypeError("Threaded.init takes an options object, not undefined");
  checkOptions(options, "Threaded.init", OPTION_NAMES);
}

const SINGLE_THREADED_NAMES = optionNames<Pick<ThreadedOptions, "heapBytes" | "maxHeapBytes">>({
  heapBytes: true,
  maxHeapBytes: true,
});

/** `Threaded.initSingleThreaded`'s options: the heap's sizes only (its
 * limits are 0; an `asyncLimit` given there was dropped without a word). */
export function checkSingleThreadedNames(options: unknown): void {
  if (options === undefined)
    throw new TypeError("Threaded.initSingleThreaded takes an options object, not undefined");
  checkOptions(options, "Threaded.initSingleThreaded", SINGLE_THREADED_NAMES);
}

/** The heap's initial and maximum sizes, checked: a RangeError naming the
 * value and the allowed range rather than a silent clamp. */
export function heapSizes(options: ThreadedOptions): { initial: number; max: number } {
  const { heapBytes, maxHeapBytes } = options;
  if (heapBytes !== undefined) checkCount(heapBytes, "heapBytes", MIN_HEAP_BYTES, MAX_HEAP_BYTES);
  if (maxHeapBytes !== undefined)
    checkCount(maxHeapBytes, "maxHeapBytes", MIN_HEAP_BYTES, MAX_HEAP_BYTES);
  const initial = heapBytes ?? DEFAULT_HEAP_BYTES;
  const max = maxHeapBytes ?? Math.max(DEFAULT_MAX_HEAP_BYTES, initial);
  if (initial > max) {
    throw new RangeError(
      `heapBytes ${initial} is larger than maxHeapBytes ${max}: the initial size must be at most the maximum`,
    );
  }
  return { initial, max };
}

export function toIdleTimeout(name: string, v: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 0x7fffffff)
    throw new RangeError(
      `${name} "${String(v)}" is not a whole number of milliseconds from 0 to 2147483647 (0: threads never time out)`,
    );
  return v;
}
