/* Thin -errno wrappers over file and directory syscalls. Paths are
 * NUL-terminated bytes the caller owns; iovec arrays are laid out by the
 * caller (lib/threaded/fs_buffers.ts). */
#include <sys/stat.h>
#include <sys/file.h>
#include <sys/uio.h>
#if defined(__linux__)
#include <linux/stat.h>
#endif

int tio_close(int64_t fd) { return close((int)fd) == 0 ? 0 : -errno; }

int tio_pipe(int32_t *fds) {
#if defined(__linux__)
  return pipe2(fds, O_CLOEXEC) == 0 ? 0 : -errno;
#else
  if (pipe(fds) != 0) return -errno;
  fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  return 0;
#endif
}

int64_t tio_read(int64_t fd, uint8_t *buf, int64_t len) {
  ssize_t n = read((int)fd, buf, (size_t)len);
  return n < 0 ? -errno : n;
}

int64_t tio_write(int64_t fd, const uint8_t *buf, int64_t len) {
  ssize_t n = write((int)fd, buf, (size_t)len);
  return n < 0 ? -errno : n;
}

int64_t tio_pread(int64_t fd, uint8_t *buf, int64_t len, int64_t offset) {
  ssize_t n = pread((int)fd, buf, (size_t)len, (off_t)offset);
  return n < 0 ? -errno : n;
}

int64_t tio_pwrite(int64_t fd, const uint8_t *buf, int64_t len, int64_t offset) {
  ssize_t n = pwrite((int)fd, buf, (size_t)len, (off_t)offset);
  return n < 0 ? -errno : n;
}

int tio_openat(int64_t dirfd, const char *path, int64_t flags, int64_t mode) {
  int fd = openat((int)dirfd, path, (int)flags, (mode_t)mode);
  return fd < 0 ? -errno : fd;
}

int tio_mkdirat(int64_t dirfd, const char *path, int64_t mode) {
  return mkdirat((int)dirfd, path, (mode_t)mode) == 0 ? 0 : -errno;
}

int tio_faccessat(int64_t dirfd, const char *path, int64_t mode, int64_t flags) {
  return faccessat((int)dirfd, path, (int)mode, (int)flags) == 0 ? 0 : -errno;
}

#if defined(__linux__)
int tio_statx(int64_t dirfd, const char *path, int64_t flags, int64_t mask, void *buf) {
  long rc = syscall(SYS_statx, (int)dirfd, path, (int)flags, (unsigned)mask, buf);
  return rc < 0 ? -errno : 0;
}
#else
int tio_statx(int64_t dirfd, const char *path, int64_t flags, int64_t mask, void *buf) {
  (void)dirfd; (void)path; (void)flags; (void)mask; (void)buf;
  return -ENOSYS;
}
#endif

int tio_fstatat(int64_t dirfd, const char *path, void *buf, int64_t flags) {
  return fstatat((int)dirfd, path, (struct stat *)buf, (int)flags) == 0 ? 0 : -errno;
}

int tio_fstat(int64_t fd, void *buf) {
  return fstat((int)fd, (struct stat *)buf) == 0 ? 0 : -errno;
}

int tio_flock(int64_t fd, int64_t op) { return flock((int)fd, (int)op) == 0 ? 0 : -errno; }

int tio_ftruncate(int64_t fd, int64_t length) {
  return ftruncate((int)fd, (off_t)length) == 0 ? 0 : -errno;
}

int64_t tio_fcntl(int64_t fd, int64_t cmd, int64_t arg) {
  int rc = fcntl((int)fd, (int)cmd, (long)arg);
  return rc < 0 ? -errno : rc;
}

int64_t tio_readv(int64_t fd, const struct iovec *iov, int64_t n) {
  ssize_t rc = readv((int)fd, iov, (int)n);
  return rc < 0 ? -errno : rc;
}

int64_t tio_preadv(int64_t fd, const struct iovec *iov, int64_t n, int64_t offset) {
  ssize_t rc = preadv((int)fd, iov, (int)n, (off_t)offset);
  return rc < 0 ? -errno : rc;
}

int64_t tio_writev(int64_t fd, const struct iovec *iov, int64_t n) {
  ssize_t rc = writev((int)fd, iov, (int)n);
  return rc < 0 ? -errno : rc;
}

int64_t tio_pwritev(int64_t fd, const struct iovec *iov, int64_t n, int64_t offset) {
  ssize_t rc = pwritev((int)fd, iov, (int)n, (off_t)offset);
  return rc < 0 ? -errno : rc;
}

int64_t tio_lseek(int64_t fd, int64_t offset, int64_t whence) {
  off_t rc = lseek((int)fd, (off_t)offset, (int)whence);
  return rc < 0 ? -errno : (int64_t)rc;
}

int tio_mkfifoat(int64_t dirfd, const char *path, int64_t mode) {
  return mkfifoat((int)dirfd, path, (mode_t)mode) == 0 ? 0 : -errno;
}

/* A batch of directory entries (struct linux_dirent64 records, laid out as
 * lib/threaded/dir_read.ts reads them); 0 at the end. Linux only. */
#if defined(__linux__)
#include <sys/syscall.h>
int64_t tio_getdents64(int64_t fd, uint8_t *buf, int64_t len) {
  long rc = syscall(SYS_getdents64, (int)fd, buf, (size_t)len);
  return rc < 0 ? -errno : rc;
}
#else
int64_t tio_getdents64(int64_t fd, uint8_t *buf, int64_t len) {
  (void)fd; (void)buf; (void)len;
  return -ENOSYS;
}
#endif

/* A whole small file in one crossing (lib/fs/dir.ts readFileAlloc and
 * readFile): opens `path`, reads into `buf` until end of file or until
 * `buf` is full, and closes it. Returns the bytes read with *fd_out = -1
 * when the end was reached and the file is closed; -errno with *fd_out = -1
 * when the open failed; otherwise the bytes read so far with the file still
 * open in *fd_out (buffer full, or a read failed or was interrupted: the
 * caller goes on with ordinary reads, which report the error or honour the
 * cancel). */
int64_t tio_open_read(int64_t dirfd, const char *path, int64_t flags, uint8_t *buf, int64_t len,
                      int32_t *fd_out) {
  *fd_out = -1;
  int fd = openat((int)dirfd, path, (int)flags, 0);
  if (fd < 0) return -errno;
  int64_t n = 0;
  while (n < len) {
    ssize_t r = read(fd, buf + n, (size_t)(len - n));
    if (r == 0) {
      close(fd);
      return n;
    }
    if (r < 0) break;
    n += r;
  }
  *fd_out = fd;
  return n;
}

/* The standard descriptors (0, 1, 2) closed through File.stdin(), stdout()
 * or stderr() (lib/io/descriptor_cell.ts): process-wide, since the number
 * is, and a File.stdin() on one thread must not reach the file another
 * opened on descriptor 0 after a third closed it. Claimed under a lock (a
 * full barrier: TinyCC has no atomics), read untorn. */
static pthread_mutex_t std_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t std_closed[3];

/* Marks standard descriptor `fd` closed: 1 if this call did, 0 if it was
 * closed already (or `fd` is not 0, 1 or 2). */
int64_t tio_std_close_claim(int64_t fd) {
  if (fd < 0 || fd > 2) return 0;
  pthread_mutex_lock(&std_lock);
  int64_t first = std_closed[fd] == 0;
  std_closed[fd] = 1;
  pthread_mutex_unlock(&std_lock);
  return first;
}

/* 1 if standard descriptor `fd` was closed through a standard object. */
int64_t tio_std_closed(int64_t fd) {
  if (fd < 0 || fd > 2) return 0;
  return TIO_LOAD(&std_closed[fd]) != 0;
}
