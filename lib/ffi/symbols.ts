// The shim's symbols and their signatures: the one place that says how each
// C function in shim/ is called. Pointers into the shared heap are passed as
// plain numbers (its address plus an offset); "ptr" also accepts typed arrays.
//
// No argument is i32/u32: Bun 1.4's FFI passes the low 32 bits of the IEEE
// double for a JS number that the engine holds as a double (3 from
// Math.sqrt(9) arrives as 0; 2**31 + 1 from `x >>> 0` arrives as garbage),
// while i64 and ptr arguments convert correctly. So every integer argument
// is i64 and the C side narrows it (spec/ffi/shim.test.ts guards this).
import { FFIType } from "bun:ffi";

const { ptr, i32, i64, u64, u64_fast, i64_fast, f64, void: none } = FFIType;

export const symbols = {
  tio_futex_wait: { args: [ptr, i64], returns: i32 },
  tio_futex_wait_timeout: { args: [ptr, i64, i64], returns: i32 },
  tio_futex_wake: { args: [ptr, i64], returns: i32 },

  tio_signals_install: { args: [i64], returns: i32 },
  tio_signals_restore: { args: [], returns: i32 },
  tio_signals_check: { args: [], returns: i32 },
  tio_signals_users: { args: [], returns: i64_fast },

  tio_thread_self: { args: [], returns: u64_fast },
  tio_thread_kill: { args: [u64, i64], returns: i32 },
  tio_thread_handle: { args: [], returns: u64_fast },
  tio_thread_signal: { args: [u64, i64], returns: i32 },
  tio_thread_set_name: { args: [ptr], returns: i32 },
  tio_thread_os_id: { args: [], returns: i64_fast },
  tio_sched_yield: { args: [], returns: i32 },
  tio_cpus_allowed: { args: [], returns: i64_fast },

  tio_watchdog_add: { args: [ptr, i64, u64], returns: i32 },
  tio_watchdog_settle: { args: [ptr, i64], returns: none },
  tio_watchdog_forget_range: { args: [ptr, ptr], returns: none },
  tio_watchdog_pending: { args: [], returns: i32 },
  tio_watchdog_signals_sent: { args: [], returns: f64 },

  tio_clock_gettime: { args: [i64, ptr], returns: i32 },
  tio_sleep: { args: [i64, i64, ptr], returns: i32 },

  tio_close: { args: [i64], returns: i32 },
  tio_std_close_claim: { args: [i64], returns: i64_fast },
  tio_std_closed: { args: [i64], returns: i64_fast },
  tio_pipe: { args: [ptr], returns: i32 },
  tio_read: { args: [i64, ptr, i64], returns: i64_fast },
  tio_write: { args: [i64, ptr, i64], returns: i64_fast },
  tio_pread: { args: [i64, ptr, i64, i64], returns: i64_fast },
  tio_pwrite: { args: [i64, ptr, i64, i64], returns: i64_fast },
  tio_openat: { args: [i64, ptr, i64, i64], returns: i32 },
  tio_mkdirat: { args: [i64, ptr, i64], returns: i32 },
  tio_faccessat: { args: [i64, ptr, i64, i64], returns: i32 },
  tio_statx: { args: [i64, ptr, i64, i64, ptr], returns: i32 },
  tio_fstatat: { args: [i64, ptr, ptr, i64], returns: i32 },
  tio_fstat: { args: [i64, ptr], returns: i32 },
  tio_flock: { args: [i64, i64], returns: i32 },
  tio_ftruncate: { args: [i64, i64], returns: i32 },
  tio_fcntl: { args: [i64, i64, i64], returns: i64_fast },
  tio_readv: { args: [i64, ptr, i64], returns: i64_fast },
  tio_preadv: { args: [i64, ptr, i64, i64], returns: i64_fast },
  tio_writev: { args: [i64, ptr, i64], returns: i64_fast },
  tio_pwritev: { args: [i64, ptr, i64, i64], returns: i64_fast },
  tio_lseek: { args: [i64, i64, i64], returns: i64_fast },
  tio_mkfifoat: { args: [i64, ptr, i64], returns: i32 },
  tio_getdents64: { args: [i64, ptr, i64], returns: i64_fast },
  tio_open_read: { args: [i64, ptr, i64, ptr, i64, ptr], returns: i64_fast },

  tio_socket: { args: [i64, i64, i64], returns: i32 },
  tio_bind: { args: [i64, ptr, i64], returns: i32 },
  tio_listen: { args: [i64, i64], returns: i32 },
  tio_accept: { args: [i64, ptr, ptr, i64], returns: i32 },
  tio_connect: { args: [i64, ptr, i64], returns: i32 },
  tio_getsockname: { args: [i64, ptr, ptr], returns: i32 },
  tio_setsockopt_int: { args: [i64, i64, i64, i64], returns: i32 },
  tio_getsockopt_int: { args: [i64, i64, i64], returns: i32 },
  tio_sendmsg: { args: [i64, ptr, i64], returns: i64_fast },
  tio_recvmsg: { args: [i64, ptr, i64], returns: i64_fast },
  tio_sendmmsg: { args: [i64, ptr, i64, i64], returns: i32 },
  tio_poll1: { args: [i64, i64, i64], returns: i32 },
  tio_ioctl_ifreq: { args: [i64, i64, ptr], returns: i32 },
  tio_shutdown: { args: [i64, i64], returns: i32 },
  tio_recv: { args: [i64, ptr, i64, i64], returns: i64_fast },
  tio_if_nametoindex: { args: [ptr], returns: i32 },
  tio_if_indextoname: { args: [i64, ptr], returns: i32 },

  tio_mem_table: { args: [], returns: ptr },
  tio_mem_alloc: { args: [i64, i64], returns: i64_fast },
  tio_mem_trim: { args: [], returns: none },
  tio_mem_view: { args: [i64], returns: ptr },
  tio_mem_address: { args: [i64], returns: ptr },
  tio_mem_free: { args: [i64], returns: i64_fast },
  tio_mem_unref_fn: { args: [], returns: ptr },
  tio_mem_stats: { args: [ptr], returns: none },
  tio_memcpy: { args: [ptr, ptr, i64], returns: none },
} as const;

export type SymbolName = keyof typeof symbols;
