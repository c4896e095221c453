/* Thin -errno wrappers over file-descriptor syscalls. */
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
