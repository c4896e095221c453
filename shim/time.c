/* Clocks and sleeping. Timestamps cross the boundary as (seconds,
 * nanoseconds) pairs in an int64_t[2] the caller owns. */
int tio_clock_gettime(int64_t clock_id, int64_t *out) {
  struct timespec ts;
  if (clock_gettime((clockid_t)clock_id, &ts) != 0) return -errno;
  out[0] = ts.tv_sec;
  out[1] = ts.tv_nsec;
  return 0;
}

/* Sleeps until io[0..1] (absolute, TIMER_ABSTIME) or for io[0..1]
 * (relative); a relative sleep interrupted by a signal writes the remaining
 * time back into io so the caller can continue with it. */
int tio_sleep(int64_t clock_id, int64_t absolute, int64_t *io) {
  struct timespec req;
  req.tv_sec = io[0];
  req.tv_nsec = io[1];
#if defined(__linux__)
  struct timespec rem = {0, 0};
  int rc = clock_nanosleep((clockid_t)clock_id, absolute ? TIMER_ABSTIME : 0, &req, &rem);
  if (rc == EINTR && !absolute) {
    io[0] = rem.tv_sec;
    io[1] = rem.tv_nsec;
  }
  return -rc;
#else
  /* No clock_nanosleep: the caller turns deadlines into durations. */
  (void)clock_id;
  (void)absolute;
  struct timespec rem = {0, 0};
  if (nanosleep(&req, &rem) == 0) return 0;
  int e = errno;
  if (e == EINTR) {
    io[0] = rem.tv_sec;
    io[1] = rem.tv_nsec;
  }
  return -e;
#endif
}
