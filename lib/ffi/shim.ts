// Loads the C shim once per process and hands it to every thread.
//
// The first thread that needs the shim compiles shim/tio.c with bun:ffi `cc`
// (TinyCC, ~30 ms). Other threads must not compile it again: concurrent
// loading in fresh Workers has crashed Bun, and the signal handler and the
// watchdog thread live in the compiled code, which must never be unloaded.
// So a pool thread receives `shimPointers()` in its start-up message and
// calls `adoptShimPointers` before anything else, and `shim()` then wraps
// those addresses with `CFunction` instead of compiling.
import { CFunction, cc, type ConvertFns } from "bun:ffi";
import { fileURLToPath } from "node:url";
import { symbols, type SymbolName } from "./symbols.ts";

export type Shim = ConvertFns<typeof symbols>;
export type ShimPointers = { readonly [K in SymbolName]: number };

const source = fileURLToPath(new URL("../../shim/tio.c", import.meta.url));

// Held for the life of the process: closing it would unload the signal
// handler and the watchdog thread's code.
let compiled: { symbols: Shim } | undefined;
let loaded: Shim | undefined;
let adopted: ShimPointers | undefined;

export function adoptShimPointers(pointers: ShimPointers): void {
  if (loaded) return;
  adopted = pointers;
}

export function shim(): Shim {
  return (loaded ??= load());
}

function load(): Shim {
  if (adopted) {
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(symbols) as SymbolName[]) {
      const fnPtr = adopted[name];
      if (typeof fnPtr !== "number" || fnPtr === 0) {
        throw new Error(`Shim pointer for "${name}" is missing from the start-up message`);
      }
      out[name] = CFunction({ ...symbols[name], ptr: fnPtr } as never);
    }
    return out as Shim;
  }
  // Bun 1.4.5's cc fails now and then with a parse error inside a system
  // header ("stdlib.h:98: ';' expected") when several processes compile at
  // once (2–4 of 16 parallel starts, the same source each time): retried.
  for (let attempt = 1; ; attempt++) {
    try {
      compiled = cc({ source, symbols }) as unknown as { symbols: Shim };
      return compiled.symbols;
    } catch (e) {
      if (attempt < 3) continue;
      throw new Error(
        `Compiling the threaded-io C shim (${source}) failed; bun:ffi cc needs the C library headers ` +
          `(Debian/Ubuntu: libc6-dev): ${(e as Error).message}`,
      );
    }
  }
}

/** The shim's function addresses, to pass to a new thread. */
export function shimPointers(): ShimPointers {
  const s = shim();
  const out: Record<string, number> = {};
  for (const name of Object.keys(symbols) as SymbolName[]) {
    const fnPtr = (s[name] as unknown as { ptr?: number }).ptr;
    if (typeof fnPtr !== "number") throw new Error(`Shim function "${name}" has no address`);
    out[name] = fnPtr;
  }
  return out as ShimPointers;
}
