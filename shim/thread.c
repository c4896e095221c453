/* Thread identity for cancelation: pthread_self, pthread_kill(SIGIO), and a
 * name for debuggers and /proc/<pid>/task/<tid>/comm. */
uint64_t tio_thread_self(void) { return (uint64_t)(uintptr_t)pthread_self(); }

int tio_thread_kill(uint64_t thread, int64_t sig) {
  return -pthread_kill((pthread_t)(uintptr_t)thread, (int)sig);
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
