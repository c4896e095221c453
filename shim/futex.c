/* Futex wait and wake on a 32-bit word in the shared heap. Waits return 0,
 * or -EINTR when a signal (the cancel signal) interrupted them, -EAGAIN
 * when the word no longer held `expect`, -ETIMEDOUT when the timeout ran out.
 * Wake returns the number of threads woken.
 * Linux: futex(2), process-private. Darwin: __ulock_wait/__ulock_wake. */
#if defined(__linux__)
#include <sys/syscall.h>
#include <linux/futex.h>

int tio_futex_wait(uint32_t *addr, int64_t expect) {
  long rc = syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, (uint32_t)expect, NULL, NULL, 0);
  return rc < 0 ? -errno : 0;
}

/* Relative timeout in nanoseconds; a negative timeout waits forever. */
int tio_futex_wait_timeout(uint32_t *addr, int64_t expect, int64_t timeout_ns) {
  if (timeout_ns < 0) return tio_futex_wait(addr, expect);
  struct timespec ts;
  ts.tv_sec = timeout_ns / 1000000000;
  ts.tv_nsec = timeout_ns % 1000000000;
  long rc = syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, (uint32_t)expect, &ts, NULL, 0);
  return rc < 0 ? -errno : 0;
}

int tio_futex_wake(uint32_t *addr, int64_t max_waiters) {
  long rc = syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, (int32_t)max_waiters, NULL, NULL, 0);
  return rc < 0 ? -errno : (int)rc;
}

#elif defined(__APPLE__)
#define TIO_UL_COMPARE_AND_WAIT 1
#define TIO_ULF_WAKE_ALL 0x00000100
#define TIO_ULF_NO_ERRNO 0x01000000
extern int __ulock_wait(uint32_t operation, void *addr, uint64_t value, uint32_t timeout_us);
extern int __ulock_wake(uint32_t operation, void *addr, uint64_t wake_value);

int tio_futex_wait(uint32_t *addr, int64_t expect) {
  int rc = __ulock_wait(TIO_UL_COMPARE_AND_WAIT | TIO_ULF_NO_ERRNO, addr, (uint32_t)expect, 0);
  return rc < 0 ? rc : 0;
}

int tio_futex_wait_timeout(uint32_t *addr, int64_t expect, int64_t timeout_ns) {
  if (timeout_ns < 0) return tio_futex_wait(addr, expect);
  /* 0 means "forever" to __ulock_wait, so round a tiny timeout up to 1 us. */
  uint64_t us = (uint64_t)timeout_ns / 1000;
  if (us == 0) us = 1;
  if (us > UINT32_MAX) us = UINT32_MAX;
  int rc = __ulock_wait(TIO_UL_COMPARE_AND_WAIT | TIO_ULF_NO_ERRNO, addr, (uint32_t)expect, (uint32_t)us);
  return rc < 0 ? rc : 0;
}

int tio_futex_wake(uint32_t *addr, int64_t max_waiters) {
  uint32_t op = TIO_UL_COMPARE_AND_WAIT | TIO_ULF_NO_ERRNO;
  if (max_waiters > 1) op |= TIO_ULF_WAKE_ALL;
  for (;;) {
    int rc = __ulock_wake(op, addr, 0);
    if (rc >= 0) return 1;
    if (rc == -EINTR) continue;
    return rc == -ENOENT ? 0 : rc;
  }
}
#else
#error "threaded-io: no futex for this OS"
#endif
