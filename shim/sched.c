/* What a spinning waiter asks the scheduler (lib/substrate/spin_policy.ts):
 * how many CPUs this thread may run on, and a yield inside a spin so that a
 * thread sharing the waiter's CPU can run. */
#include <sched.h>

int tio_sched_yield(void) { return sched_yield() == 0 ? 0 : -errno; }

/* CPUs in the calling thread's affinity mask (taskset, cpusets); on Darwin,
 * which has no masks, the CPUs online. */
int64_t tio_cpus_allowed(void) {
#if defined(__linux__)
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return -errno;
  return CPU_COUNT(&set);
#else
  return (int64_t)sysconf(_SC_NPROCESSORS_ONLN);
#endif
}
