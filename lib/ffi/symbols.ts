// The shim's symbols and their signatures: the one place that says how each
// C function in shim/ is called. Pointers into the shared heap are passed as
// plain numbers (its address plus an offset); "ptr" also accepts typed arrays.
import { FFIType } from "bun:ffi";

const { ptr, i32, u32, i64, u64, u64_fast, i64_fast, f64, void: none, cstring } = FFIType;
void cstring;

export const symbols = {
  tio_futex_wait: { args: [ptr, u32], returns: i32 },
  tio_futex_wait_timeout: { args: [ptr, u32, i64], returns: i32 },
  tio_futex_wake: { args: [ptr, i32], returns: i32 },

  tio_signals_install: { args: [], returns: i32 },
  tio_signals_restore: { args: [], returns: i32 },
  tio_signals_check: { args: [], returns: i32 },

  tio_thread_self: { args: [], returns: u64_fast },
  tio_thread_kill: { args: [u64, i32], returns: i32 },
  tio_thread_set_name: { args: [ptr], returns: i32 },
  tio_thread_os_id: { args: [], returns: i64_fast },

  tio_watchdog_add: { args: [ptr, u32, u64], returns: i32 },
  tio_watchdog_settle: { args: [ptr, u32], returns: none },
  tio_watchdog_forget_range: { args: [ptr, ptr], returns: none },
  tio_watchdog_pending: { args: [], returns: i32 },
  tio_watchdog_signals_sent: { args: [], returns: f64 },

  tio_clock_gettime: { args: [i32, ptr], returns: i32 },
  tio_sleep: { args: [i32, i32, ptr], returns: i32 },

  tio_close: { args: [i32], returns: i32 },
  tio_pipe: { args: [ptr], returns: i32 },
  tio_read: { args: [i32, ptr, i64], returns: i64_fast },
  tio_write: { args: [i32, ptr, i64], returns: i64_fast },
} as const;

export type SymbolName = keyof typeof symbols;
