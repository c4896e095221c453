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
import { IoError } from "../io/errors.ts";
import { lazyFs } from "../substrate/lazy_fs.ts";

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

/** Whether `shim()` would answer without compiling: this thread has the
 * shim, or the addresses to wrap (a pool thread, an attached Worker). */
export function shimAtHand(): boolean {
  return loaded !== undefined || adopted !== undefined;
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
      // (Not any "not found" naming tio.c: out of descriptors, cc reports a
      // system header as not found, included from tio.c.)
      if (message.includes(`file '${source}' not found`))
        throw new Error(
          `threaded-io's C shim is missing (${source}): threaded-io must run from its own ` +
            "package directory, with its shim/ beside dist/. Bundling it into an app leaves " +
            "the shim and the pool thread's entry behind: keep it external " +
            "(bun build --external threaded-io).",
        );
      const exhausted = outOfDescriptors();
      if (exhausted !== undefined) throw exhausted;
      if (attempt < 3) continue;
      throw new Error(
        `Compiling the threaded-io C shim (${source}) failed; bun:ffi cc needs the C library headers ` +
          `(Debian/Ubuntu: libc6-dev): ${message}`,
      );
    }
  }
}

/** A failed compile's real cause when the process is (nearly) out of
 * descriptors: cc only says that a header was not found, and has closed
 * what it opened by now, so the check is the headroom left (Linux) or one
 * open. Zig's error for EMFILE. */
function outOfDescriptors(): IoError | undefined {
  const fs = lazyFs();
  let errno: string | undefined;
  try {
    if (process.platform === "linux") {
      const open = fs.readdirSync("/proc/self/fd").length;
      const limit = /^Max open files\s+(\d+)/m.exec(fs.readFileSync("/proc/self/limits", "latin1"));
      if (limit !== null && Number(limit[1]) - open < CC_DESCRIPTORS) errno = "EMFILE";
    } else fs.closeSync(fs.openSync("/dev/null", "r"));
  } catch (e) {
    errno = (e as { code?: string }).code;
  }
  if (errno !== "EMFILE" && errno !== "ENFILE") return undefined;
  const code = errno === "EMFILE" ? "ProcessFdQuotaExceeded" : "SystemFdQuotaExceeded";
  return new IoError(code, {
    errno,
    syscall: "open",
    message:
      `${code}: compiling the threaded-io C shim (${source}) opens its source and the system ` +
      `headers at once, and the ${errno === "EMFILE" ? "process" : "system"} is out of file ` +
      "descriptors (ulimit -n)",
  });
}
/** Descriptors cc may hold at once, nested includes and its own files:
 * with about 8 free (ulimit -n 17) it failed in 2 of 6 starts. Only asked
 * once cc has failed. */
const CC_DESCRIPTORS = 16;

/** The shim's function addresses, to pass to a new thread. */
export function shimPointers(): ShimPointers {
  shim();
  return pointersOf!;
}
