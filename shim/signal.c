/* The cancel signal interrupts a blocked syscall or futex wait in the thread
 * it is sent to (a cancel request, lib/substrate/cancel.ts). It is a
 * real-time signal on Linux (lib/os/index.ts `cancelSignal` says which and
 * why), so it is never one a user's `process.on(...)` handler can be for,
 * and the library's handler never replaces a user's. Its handler does
 * nothing and is installed without SA_RESTART, so the interrupted call
 * returns EINTR.
 *
 * SIGPIPE: a write to a closed socket or pipe must return EPIPE instead of
 * killing the process. Bun already ignores SIGPIPE; the no-op handler is
 * installed only when the action is still the default, so a handler someone
 * else installed (Bun's, a user's) is left alone.
 *
 * Process-wide and counted: the handlers belong to the process, and any
 * thread may create or destroy a Threaded (a task can run its own pool), so
 * the count lives here, beside the handlers, under a lock: the first acquire
 * installs, the last release restores. */
static void tio_noop_handler(int sig) { (void)sig; }
static pthread_mutex_t tio_sig_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sigaction tio_old_cancel, tio_old_sigpipe;
static int64_t tio_sig_users = 0;
static int tio_sigpipe_installed = 0;
/* Read by the watchdog (watchdog.c); set before any cancel can be sent. */
static volatile int tio_cancel_sig = 0;

static int tio_signals_install_locked(int sig) {
  struct sigaction act;
  memset(&act, 0, sizeof act);
  act.sa_handler = tio_noop_handler;
  sigemptyset(&act.sa_mask);
  act.sa_flags = 0; /* no SA_RESTART: blocked calls must see EINTR */
  if (sigaction(sig, &act, &tio_old_cancel) < 0) return -errno;
  struct sigaction pipe_now;
  if (sigaction(SIGPIPE, NULL, &pipe_now) < 0) {
    int e = errno;
    sigaction(sig, &tio_old_cancel, NULL);
    return -e;
  }
  tio_sigpipe_installed = 0;
  if (!(pipe_now.sa_flags & SA_SIGINFO) && pipe_now.sa_handler == SIG_DFL) {
    if (sigaction(SIGPIPE, &act, &tio_old_sigpipe) < 0) {
      int e = errno;
      sigaction(sig, &tio_old_cancel, NULL);
      return -e;
    }
    tio_sigpipe_installed = 1;
  }
  tio_cancel_sig = sig;
  return 0;
}

/* One more Threaded: installs the handlers if it is the first. `sig` must be
 * the same for every caller (it comes from one table). Returns 0 or -errno. */
int tio_signals_install(int64_t sig64) {
  int sig = (int)sig64;
  int rc = 0;
  pthread_mutex_lock(&tio_sig_lock);
  if (tio_sig_users == 0) rc = tio_signals_install_locked(sig);
  else if (sig != tio_cancel_sig) rc = -EINVAL;
  if (rc == 0) tio_sig_users++;
  pthread_mutex_unlock(&tio_sig_lock);
  return rc;
}

/* One Threaded fewer: the last one restores the previous actions. */
int tio_signals_restore(void) {
  int rc = 0;
  pthread_mutex_lock(&tio_sig_lock);
  if (tio_sig_users > 0 && --tio_sig_users == 0) {
    if (sigaction(tio_cancel_sig, &tio_old_cancel, NULL) < 0) rc = -errno;
    if (tio_sigpipe_installed && sigaction(SIGPIPE, &tio_old_sigpipe, NULL) < 0) rc = -errno;
    tio_sigpipe_installed = 0;
  }
  pthread_mutex_unlock(&tio_sig_lock);
  return rc;
}

/* 1 when the cancel signal's current action is our handler without
 * SA_RESTART (0 before the first install). */
int tio_signals_check(void) {
  struct sigaction cur;
  if (tio_cancel_sig == 0) return 0;
  if (sigaction(tio_cancel_sig, NULL, &cur) < 0) return -errno;
  return cur.sa_handler == tio_noop_handler && !(cur.sa_flags & SA_RESTART);
}

/* Threadeds alive in the process (for tests). */
int64_t tio_signals_users(void) {
  pthread_mutex_lock(&tio_sig_lock);
  int64_t n = tio_sig_users;
  pthread_mutex_unlock(&tio_sig_lock);
  return n;
}
