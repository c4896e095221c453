/* SIGIO interrupts a blocked syscall or futex wait in the thread it is sent
 * to (a cancel request); SIGPIPE is caught so a write to a closed socket or
 * pipe returns EPIPE instead of killing the process. Both get a handler that
 * does nothing, installed without SA_RESTART so the interrupted call returns
 * EINTR. The previous actions are kept for tio_signals_restore. */
static void tio_noop_handler(int sig) { (void)sig; }
static struct sigaction tio_old_sigio, tio_old_sigpipe;
static int tio_signals_installed = 0;

int tio_signals_install(void) {
  if (tio_signals_installed) return 0;
  struct sigaction act;
  memset(&act, 0, sizeof act);
  act.sa_handler = tio_noop_handler;
  sigemptyset(&act.sa_mask);
  act.sa_flags = 0; /* no SA_RESTART: blocked calls must see EINTR */
  if (sigaction(SIGIO, &act, &tio_old_sigio) < 0) return -errno;
  if (sigaction(SIGPIPE, &act, &tio_old_sigpipe) < 0) {
    int e = errno;
    sigaction(SIGIO, &tio_old_sigio, NULL);
    return -e;
  }
  tio_signals_installed = 1;
  return 0;
}

int tio_signals_restore(void) {
  if (!tio_signals_installed) return 0;
  if (sigaction(SIGIO, &tio_old_sigio, NULL) < 0) return -errno;
  if (sigaction(SIGPIPE, &tio_old_sigpipe, NULL) < 0) return -errno;
  tio_signals_installed = 0;
  return 0;
}

/* 1 when SIGIO's current action is our handler without SA_RESTART. */
int tio_signals_check(void) {
  struct sigaction cur;
  if (sigaction(SIGIO, NULL, &cur) < 0) return -errno;
  return cur.sa_handler == tio_noop_handler && !(cur.sa_flags & SA_RESTART);
}
