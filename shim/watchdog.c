/* The cancel watchdog: the one native thread the shim spawns. It closes the
 * window Zig's `Threaded.zig` leaves open: a cancel whose signal
 * (the cancel signal, signal.c; SIGIO in Zig's `Threaded.zig`) lands after the target's cancel check but before its blocking syscall is
 * lost, and the syscall blocks forever. Here every cancel of a running task
 * is registered; the watchdog re-sends the signal with back-off until the task
 * settles its cancel word, and sleeps on a futex while nothing is pending.
 *
 * Protocol (lib/substrate/cancel.ts holds the other half):
 *   canceler: prev = fetch_or(word, CANCELING); if prev held a thread id and
 *             was not canceling yet: tio_watchdog_add(word, CANCELING|id, t).
 *   task end: CAS(word, id -> 0); on failure (canceled) tio_watchdog_settle
 *             (word, CANCELING), which stores the settled value and drops the
 *             entry, both under `wd_lock`.
 *   add checks `*word == expect` under the same lock, so an add that races
 *   with a settle either sees the settled word (and adds nothing) or is
 *   removed by it: no entry outlives its task, and a signal is only ever sent
 *   to a thread that is still running the canceled task. */
/* TinyCC has neither <stdatomic.h> nor the __atomic builtins. The words
 * touched here are aligned u32s, so a volatile access is a single untorn
 * load or store; ordering comes from `wd_lock` (pthread mutexes are full
 * barriers) and, for heap words, from the JS side's seq_cst Atomics. */
#define TIO_LOAD(p) (*(volatile uint32_t *)(p))
#define TIO_STORE(p, v) (*(volatile uint32_t *)(p) = (v))

#define TIO_WD_FIRST_RESEND_NS 50000LL    /* 50 us */
#define TIO_WD_MAX_INTERVAL_NS 20000000LL /* 20 ms */

typedef struct {
  uint32_t *word;
  uint32_t expect;
  uint64_t thread; /* tio_thread_handle() of the target */
  int64_t next_ns;
  int64_t interval_ns;
} tio_wd_entry;

static pthread_mutex_t wd_lock = PTHREAD_MUTEX_INITIALIZER;
static tio_wd_entry *wd_entries = NULL;
static int32_t wd_len = 0, wd_cap = 0;
static int wd_started = 0;
static uint32_t wd_seq = 0; /* futex word: bumped (under wd_lock) on every add */
static uint64_t wd_signals_sent = 0;

static int64_t tio_wd_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void tio_wd_remove_at(int32_t i) { wd_entries[i] = wd_entries[--wd_len]; }

static void *tio_wd_main(void *arg) {
  (void)arg;
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, NULL); /* process signals go to JS threads */
#if defined(__linux__)
  pthread_setname_np(pthread_self(), "tio-watchdog");
#endif
  for (;;) {
    pthread_mutex_lock(&wd_lock);
    uint32_t seq = TIO_LOAD(&wd_seq);
    int64_t now = tio_wd_now();
    int64_t sleep_ns = -1;
    for (int32_t i = 0; i < wd_len;) {
      tio_wd_entry *e = &wd_entries[i];
      if (TIO_LOAD(e->word) != e->expect) {
        tio_wd_remove_at(i); /* settled without telling us: nothing to do */
        continue;
      }
      if (e->next_ns <= now) {
        tio_thread_signal(e->thread, tio_cancel_sig);
        wd_signals_sent++;
        e->interval_ns *= 2;
        if (e->interval_ns > TIO_WD_MAX_INTERVAL_NS) e->interval_ns = TIO_WD_MAX_INTERVAL_NS;
        e->next_ns = now + e->interval_ns;
      }
      int64_t wait = e->next_ns - now;
      if (sleep_ns < 0 || wait < sleep_ns) sleep_ns = wait;
      i++;
    }
    pthread_mutex_unlock(&wd_lock);
    tio_futex_wait_timeout(&wd_seq, seq, sleep_ns);
  }
  return NULL;
}

/* Registers a cancel of a running task and sends the first cancel signal.
 * Returns 1 if registered, 0 if the task had already settled, or -errno. */
int tio_watchdog_add(uint32_t *word, int64_t expect64, uint64_t thread) {
  uint32_t expect = (uint32_t)expect64;
  pthread_mutex_lock(&wd_lock);
  if (TIO_LOAD(word) != expect) {
    pthread_mutex_unlock(&wd_lock);
    return 0;
  }
  if (!wd_started) {
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    int rc = pthread_create(&t, &attr, tio_wd_main, NULL);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
      pthread_mutex_unlock(&wd_lock);
      return -rc;
    }
    wd_started = 1;
  }
  if (wd_len == wd_cap) {
    int32_t cap = wd_cap ? wd_cap * 2 : 64;
    tio_wd_entry *grown = realloc(wd_entries, (size_t)cap * sizeof *grown);
    if (!grown) {
      pthread_mutex_unlock(&wd_lock);
      return -ENOMEM;
    }
    wd_entries = grown;
    wd_cap = cap;
  }
  int64_t now = tio_wd_now();
  tio_wd_entry *e = &wd_entries[wd_len++];
  e->word = word;
  e->expect = expect;
  e->thread = thread;
  e->interval_ns = TIO_WD_FIRST_RESEND_NS;
  e->next_ns = now + TIO_WD_FIRST_RESEND_NS;
  tio_thread_signal(thread, tio_cancel_sig);
  wd_signals_sent++;
  TIO_STORE(&wd_seq, wd_seq + 1);
  pthread_mutex_unlock(&wd_lock);
  tio_futex_wake(&wd_seq, 1);
  return 1;
}

/* The canceled task finished: store its settled cancel word and forget it. */
void tio_watchdog_settle(uint32_t *word, int64_t settled) {
  pthread_mutex_lock(&wd_lock);
  TIO_STORE(word, (uint32_t)settled);
  for (int32_t i = 0; i < wd_len;) {
    if (wd_entries[i].word == word) tio_wd_remove_at(i);
    else i++;
  }
  pthread_mutex_unlock(&wd_lock);
}

/* Drops every entry whose word lies in [lo, hi): a heap about to be freed. */
void tio_watchdog_forget_range(uint8_t *lo, uint8_t *hi) {
  pthread_mutex_lock(&wd_lock);
  for (int32_t i = 0; i < wd_len;) {
    uint8_t *w = (uint8_t *)wd_entries[i].word;
    if (w >= lo && w < hi) tio_wd_remove_at(i);
    else i++;
  }
  pthread_mutex_unlock(&wd_lock);
}

int32_t tio_watchdog_pending(void) {
  pthread_mutex_lock(&wd_lock);
  int32_t n = wd_len;
  pthread_mutex_unlock(&wd_lock);
  return n;
}

double tio_watchdog_signals_sent(void) {
  pthread_mutex_lock(&wd_lock);
  double n = (double)wd_signals_sent;
  pthread_mutex_unlock(&wd_lock);
  return n;
}
