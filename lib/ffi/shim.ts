// Loads the C shim once per process and hands it to every thread.
//
// The first thread that needs the shim compiles shim/tio.c with bun:ffi `cc`
// (TinyCC, ≈15 ms of CPU). Other threads must not compile it again: concurrent
// loading in fresh Workers has crashed Bun, and the signal handler and the
// watchdog thread live in the compiled code, which must never be unloaded.
// So a pool thread receives `shimPointers()` in its start-up message and
// calls `adoptShimPointers` before anything else, and `shim()` then wraps
// those addresses with `CFunction` instead of compiling.
import { CFunction, FFIType, cc, read, type ConvertFns } from "bun:ffi";
import { symbols, type SymbolName } from "./symbols.ts";
import { bundled } from "../bundle.ts";

export type Shim = ConvertFns<typeof symbols>;
export type ShimPointers = { readonly [K in SymbolName]: number };

// From lib/ffi/shim.ts, or from the package's bundle (dist/index.js).
const source = Bun.fileURLToPath(
  new URL(bundled ? "../shim/tio.c" : "../../shim/tio.c", import.meta.url),
);

// Held for the life of the process: closing it would unload the signal
// handler and the watchdog thread's code.
let compiled: unknown;
let pointersOf: ShimPointers | undefined;
let loaded: Shim | undefined;
let adopted: ShimPointers | undefined;

/** Checks a handed-over table before anything adopts it: every function's
 * address, a positive integer; once this thread has the shim, the same
 * addresses (the shim is compiled once per process). A failed check
 * changes nothing, so a bad `Threaded.attach` cannot poison later inits. */
export function checkShimPointers(pointers: unknown): asserts pointers is ShimPointers {
  if (typeof pointers !== "object" || pointers === null) {
    throw new TypeError("A threaded-io handle's shim is not a table of function addresses");
  }
  const table = pointers as Record<string, unknown>;
  for (const name of Object.keys(symbols) as SymbolName[]) {
    const p = table[name];
    if (typeof p !== "number" || !Number.isSafeInteger(p) || p <= 0) {
      throw new TypeError(`Shim pointer for "${name}" is missing from the threaded-io handle`);
    }
    if (loaded && pointersOf !== undefined && pointersOf[name] !== p) {
      throw new TypeError(
        `Shim pointer for "${name}" is not this process's: the handle was not made by threaded.handle()`,
      );
    }
  }
}

/** Makes this thread wrap `pointers` instead of compiling (checked first). */
export function adoptShimPointers(pointers: ShimPointers): void {
  checkShimPointers(pointers);
  if (loaded) return;
  adopted = pointers;
}

export function shim(): Shim {
  return (loaded ??= load());
}

/** Each function is wrapped with CFunction at its first call on this
 * thread, not all at once: wrapping all 70 took ≈1.8 ms at every thread's
 * start, and a pool thread that only runs tasks calls about seven. The
 * getter then replaces itself with the wrapper, so later calls read a plain
 * property. */
function wrap(pointers: ShimPointers): Shim {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(symbols) as SymbolName[]) {
    const fnPtr = pointers[name];
    if (typeof fnPtr !== "number" || fnPtr === 0) {
      throw new Error(`Shim pointer for "${name}" is missing`);
    }
    Object.defineProperty(out, name, {
      configurable: true,
      enumerable: true,
      get() {
        const fn = CFunction({ ...symbols[name], ptr: fnPtr } as never);
        Object.defineProperty(out, name, { value: fn, enumerable: true });
        return fn;
      },
    });
  }
  pointersOf = pointers;
  return out as Shim;
}

/** Compiles the shim, asking `cc` for one symbol: the table of every
 * function's address (shim/tio.c, in the order of TIO_SYMBOLS, which is
 * symbols.ts's). Listing all 58 symbols made `cc` build a trampoline each:
 * 74 ms of CPU against 15 ms for one; each address is then wrapped with
 * CFunction when first called (ARCHITECTURE.md). */
function compile(): ShimPointers {
  const names = Object.keys(symbols) as SymbolName[];
  const lib = cc({
    source,
    define: { TIO_SYMBOLS: names.map((n) => `X(${n})`).join(" ") },
    symbols: { tio_symbol_table: { args: [], returns: FFIType.ptr } },
  });
  compiled = lib;
  const table = lib.symbols.tio_symbol_table();
  if (table === null) throw new Error("The shim's symbol table is missing");
  const out: Record<string, number> = {};
  names.forEach((name, i) => (out[name] = read.ptr(table, i * 8)));
  return out as ShimPointers;
}

function load(): Shim {
  if (adopted) return wrap(adopted);
  // Bun 1.4.5's cc fails now and then with a parse error inside a system
  // header ("stdlib.h:98: ';' expected") when several processes compile at
  // once (2–4 of 16 parallel starts, the same source each time): retried.
  for (let attempt = 1; ; attempt++) {
    try {
      return wrap(compile());
    } catch (e) {
      const message = (e as Error).message;
      // The source itself is missing: the package's files were not kept
      // together, most often because an app bundle took the library in.
      if (message.includes("not found") && message.includes("tio.c"))
        throw new Error(
          `threaded-io's C shim is missing (${source}): threaded-io must run from its own ` +
            "package directory, with its shim/ beside dist/. Bundling it into an app leaves " +
            "the shim and the pool thread's entry behind: keep it external " +
            "(bun build --external threaded-io).",
        );
      if (attempt < 3) continue;
      throw new Error(
        `Compiling the threaded-io C shim (${source}) failed; bun:ffi cc needs the C library headers ` +
          `(Debian/Ubuntu: libc6-dev): ${message}`,
      );
    }
  }
}

/** The shim's function addresses, to pass to a new thread. */
export function shimPointers(): ShimPointers {
  shim();
  return pointersOf!;
}
