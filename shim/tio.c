/* threaded-io C shim: the one translation unit that bun:ffi `cc` compiles,
 * once per process (lib/ffi/shim.ts). Every public symbol is `tio_`-prefixed
 * and returns its result or -errno; nothing reads errno after a call returns.
 * Integer parameters are int64_t even where C wants an int: Bun 1.4's FFI
 * converts a JS number held as a double wrongly for i32/u32 arguments (it
 * passes the double's low bits), but correctly for i64. Callees narrow.
 * Logic lives in TypeScript; this file only pulls the per-area files in. */
#define _GNU_SOURCE 1
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>
#include <pthread.h>
#include <time.h>

#include "futex.c"
#include "signal.c"
#include "thread.c"
#include "watchdog.c"
#include "time.c"
#include "fs.c"
#include "net.c"
#include "sched.c"
#include "memory.c"

/* Every exported function's address, in the order lib/ffi/shim.ts lists
 * them in TIO_SYMBOLS (a -D it passes to cc, built from lib/ffi/symbols.ts):
 * the one symbol cc binds; the others are wrapped from these addresses. */
#ifdef TIO_SYMBOLS
#define X(name) (void *)name,
static void *const tio_symbols[] = {TIO_SYMBOLS};
#undef X
void *tio_symbol_table(void) { return (void *)tio_symbols; }
#endif
