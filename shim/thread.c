/* Thread identity for cancelation, and a name for debuggers and
 * /proc/<pid>/task/<tid>/comm.
 *
 * A cancel signals a thread by its *handle*: on Linux the kernel thread id,
 * signalled with tgkill, so a handle of a thread that has exited gets ESRCH
 * instead of the undefined behaviour of pthread_kill on a dead pthread_t;
 * on Darwin (no tgkill) the pthread_t. */
uint64_t tio_thread_self(void) { return (uint64_t)(uintptr_t)pthread_self(); }

int tio_thread_kill(uint64_t thread, int64_t sig) {
  return -pthread_kill((pthread_t)(uintptr_t)thread, (int)sig);
}

uint64_t tio_thread_handle(void) {
#if defined(__linux__)
  return (uint64_t)syscall(SYS_gettid);
#else
  return (uint64_t)(uintptr_t)pthread_self();
#endif
}

int tio_thread_signal(uint64_t handle, int64_t sig) {
#if defined(__linux__)
  return syscall(SYS_tgkill, getpid(), (pid_t)handle, (int)sig) == 0 ? 0 : -errno;
#else
  return -pthread_kill((pthread_t)(uintptr_t)handle, (int)sig);
#endif
}

int tio_thread_set_name(const char *name) {
#if defined(__APPLE__)
  return -pthread_setname_np(name);
#else
  char buf[16];
  strncpy(buf, name, 15);
  buf[15] = 0;
  return -pthread_setname_np(pthread_self(), buf);
#endif
}

/* The kernel's id of the calling thread (for tests that read /proc). */
int64_t tio_thread_os_id(void) {
#if defined(__linux__)
  return (int64_t)syscall(SYS_gettid);
#else
  uint64_t id = 0;
  pthread_threadid_np(NULL, &id);
  return (int64_t)id;
#endif
}
