/* threaded-io C shim: the one translation unit that bun:ffi `cc` compiles,
 * once per process (lib/ffi/shim.ts). Every public symbol is `tio_`-prefixed
 * and returns its result or -errno; nothing reads errno after a call returns.
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
