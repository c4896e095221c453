/* Thin -errno wrappers over socket syscalls. Socket addresses and message
 * headers are laid out by the caller (lib/threaded/sockaddr.ts,
 * lib/threaded/net.ts) in memory it owns. */
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <poll.h>
#include <net/if.h>

int tio_socket(int64_t family, int64_t type, int64_t protocol) {
  int fd = socket((int)family, (int)type, (int)protocol);
  return fd < 0 ? -errno : fd;
}

int tio_bind(int64_t fd, const void *addr, int64_t len) {
  return bind((int)fd, (const struct sockaddr *)addr, (socklen_t)len) == 0 ? 0 : -errno;
}

int tio_listen(int64_t fd, int64_t backlog) { return listen((int)fd, (int)backlog) == 0 ? 0 : -errno; }

/* addr_len: in/out socklen_t stored as a uint32_t. */
int tio_accept(int64_t fd, void *addr, uint32_t *addr_len, int64_t flags) {
  socklen_t len = *addr_len;
#if defined(__linux__)
  int rc = accept4((int)fd, (struct sockaddr *)addr, &len, (int)flags);
#else
  (void)flags;
  int rc = accept((int)fd, (struct sockaddr *)addr, &len);
  if (rc >= 0) fcntl(rc, F_SETFD, FD_CLOEXEC);
#endif
  if (rc < 0) return -errno;
  *addr_len = len;
  return rc;
}

int tio_connect(int64_t fd, const void *addr, int64_t len) {
  return connect((int)fd, (const struct sockaddr *)addr, (socklen_t)len) == 0 ? 0 : -errno;
}

int tio_getsockname(int64_t fd, void *addr, uint32_t *addr_len) {
  socklen_t len = *addr_len;
  if (getsockname((int)fd, (struct sockaddr *)addr, &len) != 0) return -errno;
  *addr_len = len;
  return 0;
}

int tio_setsockopt_int(int64_t fd, int64_t level, int64_t name, int64_t value) {
  int v = (int)value;
  return setsockopt((int)fd, (int)level, (int)name, &v, sizeof v) == 0 ? 0 : -errno;
}

/* Returns the option's value (>= 0) or -errno. */
int tio_getsockopt_int(int64_t fd, int64_t level, int64_t name) {
  int v = 0;
  socklen_t len = sizeof v;
  if (getsockopt((int)fd, (int)level, (int)name, &v, &len) != 0) return -errno;
  return v < 0 ? 0 : v;
}

int64_t tio_sendmsg(int64_t fd, const void *msg, int64_t flags) {
  ssize_t n = sendmsg((int)fd, (const struct msghdr *)msg, (int)flags);
  return n < 0 ? -errno : n;
}

int64_t tio_recvmsg(int64_t fd, void *msg, int64_t flags) {
  ssize_t n = recvmsg((int)fd, (struct msghdr *)msg, (int)flags);
  return n < 0 ? -errno : n;
}

int tio_sendmmsg(int64_t fd, void *msgs, int64_t n, int64_t flags) {
#if defined(__linux__)
  int rc = sendmmsg((int)fd, (struct mmsghdr *)msgs, (unsigned)n, (int)flags);
  return rc < 0 ? -errno : rc;
#else
  (void)fd; (void)msgs; (void)n; (void)flags;
  return -ENOSYS;
#endif
}

/* poll on one fd; returns revents (> 0), 0 on timeout, or -errno. */
int tio_poll1(int64_t fd, int64_t events, int64_t timeout_ms) {
  struct pollfd p;
  p.fd = (int)fd;
  p.events = (short)events;
  p.revents = 0;
  int rc = poll(&p, 1, (int)timeout_ms);
  if (rc < 0) return -errno;
  return rc == 0 ? 0 : (p.revents ? p.revents : 1);
}

/* ioctl with a struct ifreq the caller filled (SIOCGIFINDEX, SIOCGIFNAME). */
int tio_ioctl_ifreq(int64_t fd, int64_t request, void *ifr) {
  return ioctl((int)fd, (unsigned long)request, ifr) == 0 ? 0 : -errno;
}

int tio_shutdown(int64_t fd, int64_t how) { return shutdown((int)fd, (int)how) == 0 ? 0 : -errno; }

/* Where SIOCGIFINDEX/SIOCGIFNAME are missing (Darwin): libc's mapping.
 * Returns the index (> 0) or -ENODEV. */
int tio_if_nametoindex(const char *name) {
  unsigned idx = if_nametoindex(name);
  return idx == 0 ? -ENODEV : (int)idx;
}

/* Writes the name (NUL-terminated, IFNAMSIZ bytes) or returns -ENXIO. */
int tio_if_indextoname(int64_t index, char *name) {
  return if_indextoname((unsigned)index, name) ? 0 : -ENXIO;
}

int64_t tio_recv(int64_t fd, uint8_t *buf, int64_t len, int64_t flags) {
  ssize_t n = recv((int)fd, buf, (size_t)len, (int)flags);
  return n < 0 ? -errno : n;
}
