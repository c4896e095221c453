/* This OS's and this architecture's errno numbers, flags and struct layouts
 * as JSON, for scripts/gen-os-table.ts. Compiled by bun:ffi `cc` (TinyCC),
 * the compiler that builds the shim at run time, so the table holds exactly
 * the values the shim's headers give; tio_os_constants() returns the text. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/stat.h>
#endif

static char out[16384];
static size_t used = 0;
static int first = 1;
static void put(const char *text) {
  size_t n = strlen(text);
  if (used + n + 1 > sizeof out) return; /* the generator rejects truncated JSON */
  memcpy(out + used, text, n + 1);
  used += n;
}
static void item(const char *name, long long v) {
  char line[128];
  snprintf(line, sizeof line, "%s\n    \"%s\": %lld", first ? "" : ",", name, v);
  put(line);
  first = 0;
}
#define C(X) item(#X, (long long)(X))
#define SIZE(T) item("sizeof_" #T, (long long)sizeof(struct T))
#define OFF(T, F) item(#T "_" #F, (long long)offsetof(struct T, F))

static const char *errnos[] = {
#define E(X) #X,
#include "errno-names.h"
#undef E
};
static const int errno_values[] = {
#define E(X) X,
#include "errno-names.h"
#undef E
};

const char *tio_os_constants(void) {
  used = 0;
  first = 1;
  put("{\n  \"errno\": {");
  for (size_t i = 0; i < sizeof errnos / sizeof *errnos; i++) item(errnos[i], errno_values[i]);
  put("\n  },\n  \"constants\": {");
  first = 1;
  C(O_RDONLY); C(O_WRONLY); C(O_RDWR); C(O_CREAT); C(O_EXCL); C(O_TRUNC); C(O_APPEND);
  C(O_NONBLOCK); C(O_CLOEXEC); C(O_DIRECTORY); C(O_NOFOLLOW); C(O_NOCTTY);
#ifdef __linux__
  /* glibc defines O_LARGEFILE as 0 on 64-bit targets; the kernel's bit is
   * per architecture (<asm/fcntl.h>): x86_64 and asm-generic 0100000, arm64
   * 0400000 (its 0100000 is O_NOFOLLOW). Zig passes the kernel's bit. */
#if defined(__aarch64__)
  item("O_LARGEFILE", 0400000);
#elif defined(__x86_64__)
  item("O_LARGEFILE", 0100000);
#else
#error "O_LARGEFILE: add this architecture's <asm/fcntl.h> value"
#endif
#endif
#ifdef O_PATH
  C(O_PATH);
#endif
  C(AT_FDCWD); C(AT_SYMLINK_NOFOLLOW);
#ifdef AT_EMPTY_PATH
  C(AT_EMPTY_PATH);
#endif
#ifdef STATX_BASIC_STATS
  C(STATX_BASIC_STATS); C(AT_STATX_SYNC_AS_STAT); C(STATX_TYPE); C(STATX_MODE); C(STATX_INO);
  C(STATX_SIZE); C(STATX_ATIME); C(STATX_MTIME); C(STATX_CTIME); C(AT_NO_AUTOMOUNT);
#endif
  C(S_IFMT); C(S_IFSOCK); C(S_IFLNK); C(S_IFREG); C(S_IFBLK); C(S_IFDIR); C(S_IFCHR); C(S_IFIFO);
  C(F_OK); C(R_OK); C(W_OK); C(X_OK);
  C(SEEK_SET); C(SEEK_CUR); C(SEEK_END);
  C(LOCK_SH); C(LOCK_EX); C(LOCK_NB); C(LOCK_UN);
  C(F_GETFL); C(F_SETFL); C(F_GETFD); C(F_SETFD); C(FD_CLOEXEC);
  C(PATH_MAX); C(IOV_MAX);
  C(AF_UNSPEC); C(AF_INET); C(AF_INET6); C(AF_UNIX);
  C(SOCK_STREAM); C(SOCK_DGRAM); C(SOCK_SEQPACKET); C(SOCK_RAW); C(SOCK_RDM);
#ifdef SOCK_CLOEXEC
  C(SOCK_CLOEXEC); C(SOCK_NONBLOCK);
#endif
  C(SOL_SOCKET); C(SCM_RIGHTS); C(SO_REUSEADDR); C(SO_REUSEPORT); C(SO_ERROR); C(SO_RCVTIMEO); C(SO_SNDTIMEO);
  C(IPPROTO_IP); C(IPPROTO_IPV6); C(IPPROTO_TCP); C(IPPROTO_UDP); C(IPV6_V6ONLY);
  C(MSG_OOB); C(MSG_PEEK); C(MSG_DONTROUTE); C(MSG_EOR); C(MSG_TRUNC); C(MSG_CTRUNC);
  C(MSG_DONTWAIT);
#ifdef MSG_CMSG_CLOEXEC
  C(MSG_CMSG_CLOEXEC);
#endif
#ifdef MSG_NOSIGNAL
  C(MSG_NOSIGNAL); C(MSG_CONFIRM); C(MSG_ERRQUEUE); C(MSG_FASTOPEN);
#endif
  C(POLLIN); C(POLLOUT); C(POLLERR); C(POLLHUP); C(POLLNVAL);
  C(SHUT_RD); C(SHUT_WR); C(SHUT_RDWR);
#ifdef SIOCGIFINDEX
  C(SIOCGIFINDEX); C(SIOCGIFNAME);
#endif
  C(IFNAMSIZ);
  C(CLOCK_REALTIME); C(CLOCK_MONOTONIC); C(CLOCK_PROCESS_CPUTIME_ID); C(CLOCK_THREAD_CPUTIME_ID);
#ifdef CLOCK_BOOTTIME
  C(CLOCK_BOOTTIME);
#endif
#ifdef CLOCK_UPTIME_RAW
  C(CLOCK_UPTIME_RAW); C(CLOCK_MONOTONIC_RAW);
#endif
#ifdef TIMER_ABSTIME
  C(TIMER_ABSTIME);
#endif
#ifdef SO_NOSIGPIPE
  C(SO_NOSIGPIPE);
#endif
#ifdef O_EXLOCK
  C(O_SHLOCK); C(O_EXLOCK);
#endif
  C(SIGIO); C(SIGPIPE); C(SIGINT); C(SIGTERM); C(SIGKILL);
#ifdef SIGRTMIN
  C(SIGRTMIN); C(SIGRTMAX); /* glibc's values at run time (34, 64) */
#endif
  put("\n  },\n  \"layout\": {");
  first = 1;
  SIZE(timespec); OFF(timespec, tv_sec); OFF(timespec, tv_nsec);
  SIZE(iovec); OFF(iovec, iov_base); OFF(iovec, iov_len);
  SIZE(msghdr); OFF(msghdr, msg_name); OFF(msghdr, msg_namelen); OFF(msghdr, msg_iov);
  OFF(msghdr, msg_iovlen); OFF(msghdr, msg_control); OFF(msghdr, msg_controllen);
  OFF(msghdr, msg_flags);
#ifdef __linux__
  SIZE(mmsghdr); OFF(mmsghdr, msg_hdr); OFF(mmsghdr, msg_len);
  SIZE(statx); OFF(statx, stx_mask); OFF(statx, stx_mode); OFF(statx, stx_ino);
  OFF(statx, stx_size); OFF(statx, stx_atime); OFF(statx, stx_mtime); OFF(statx, stx_ctime);
  SIZE(statx_timestamp); OFF(statx_timestamp, tv_sec); OFF(statx_timestamp, tv_nsec);
#endif
  item("sizeof_st_mode", sizeof(((struct stat *)0)->st_mode));
  SIZE(stat); OFF(stat, st_mode); OFF(stat, st_ino); OFF(stat, st_size);
#ifdef __APPLE__
  item("stat_st_atime", offsetof(struct stat, st_atimespec));
  item("stat_st_mtime", offsetof(struct stat, st_mtimespec));
  item("stat_st_ctime", offsetof(struct stat, st_ctimespec));
#else
  item("stat_st_atime", offsetof(struct stat, st_atim));
  item("stat_st_mtime", offsetof(struct stat, st_mtim));
  item("stat_st_ctime", offsetof(struct stat, st_ctim));
#endif
  SIZE(sockaddr_storage); SIZE(sockaddr_in); OFF(sockaddr_in, sin_family);
  OFF(sockaddr_in, sin_port); OFF(sockaddr_in, sin_addr);
  SIZE(sockaddr_in6); OFF(sockaddr_in6, sin6_family); OFF(sockaddr_in6, sin6_port);
  OFF(sockaddr_in6, sin6_flowinfo); OFF(sockaddr_in6, sin6_addr); OFF(sockaddr_in6, sin6_scope_id);
  SIZE(sockaddr_un); OFF(sockaddr_un, sun_family); OFF(sockaddr_un, sun_path);
  SIZE(cmsghdr); OFF(cmsghdr, cmsg_len); OFF(cmsghdr, cmsg_level); OFF(cmsghdr, cmsg_type);
  item("cmsg_align", (long long)(CMSG_SPACE(1) - CMSG_SPACE(0)));
  SIZE(pollfd); OFF(pollfd, fd); OFF(pollfd, events); OFF(pollfd, revents);
#ifdef __APPLE__
  SIZE(ifreq); OFF(ifreq, ifr_name); item("ifreq_ifr_ifindex", offsetof(struct ifreq, ifr_index));
#else
  SIZE(ifreq); OFF(ifreq, ifr_name); OFF(ifreq, ifr_ifindex);
#endif
  put("\n  }\n}\n");
  return out;
}
