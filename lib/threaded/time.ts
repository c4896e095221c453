// The vtable's `now` and `sleep` (Zig's: nowPosix, sleepLinux, sleepPosix).
// Linux sleeps with clock_nanosleep, relative for a duration and TIMER_ABSTIME
// for a deadline; an OS without clock_nanosleep turns a deadline into the
// time left on every attempt. EINTR (a cancel's SIGIO) checks for
// cancelation and continues with the time that is left.
import { Timestamp, type Timeout, type ClockName } from "../io/time.ts";
import { IoError } from "../io/errors.ts";
import { C, have } from "../os/index.ts";
import { shim } from "../ffi/shim.ts";
import { syscall, type ErrnoTable } from "./syscall.ts";
import { checkCancel } from "../substrate/cancel.ts";

/** Clock ids, as Zig's clockToPosix. */
const clockIds: Readonly<Record<ClockName, number>> = {
  real: C.CLOCK_REALTIME,
  awake: C.CLOCK_UPTIME_RAW ?? C.CLOCK_MONOTONIC,
  boot: C.CLOCK_BOOTTIME ?? C.CLOCK_MONOTONIC_RAW ?? C.CLOCK_MONOTONIC,
  cpu_process: C.CLOCK_PROCESS_CPUTIME_ID,
  cpu_thread: C.CLOCK_THREAD_CPUTIME_ID,
};

export function clockId(clock: ClockName): number {
  const id = clockIds[clock];
  if (id === undefined)
    throw new IoError("UnsupportedClock", { message: `UnsupportedClock: "${clock}"` });
  return id;
}

// Zig's nowPosix and sleep: EINVAL is UnsupportedClock and every other
// errno unexpectedErrno, EFAULT included (Unexpected, not a bug, even in
// debug mode).
export const nowErrors: ErrnoTable<"UnsupportedClock" | "Unexpected"> = {
  EINVAL: "UnsupportedClock",
  EFAULT: "Unexpected",
};
const sleepErrors = nowErrors;

// Per-thread scratch for (seconds, nanoseconds), on an explicit ArrayBuffer
// (a small typed array's storage can move; see fs_buffers.ts), passed by
// reference so bun:ffi takes its address at each call.
const scratch = new BigInt64Array(new ArrayBuffer(16));
const NS_PER_S = 1_000_000_000n;
/** A "forever" sleep is done in steps this long (~31 years). */
const FOREVER_STEP_S = 1_000_000_000n;
/** The most nanoseconds a timespec's i64 seconds can carry. A longer sleep
 * (or a later deadline) cannot end before ~292 billion years: it sleeps
 * until canceled, instead of wrapping in the i64 (2^64 + 1 s slept 1 s) or
 * going negative (2^63 s was EINVAL, reported as UnsupportedClock). */
const MAX_TIMESPEC_NS = ((1n << 63n) - 1n) * NS_PER_S;

export function now(clock: ClockName): Timestamp {
  const id = clockId(clock);
  syscall(
    nowErrors,
    "clock_gettime",
    () => shim().tio_clock_gettime(id, scratch),
    undefined,
    false,
  );
  return new Timestamp(scratch[0] * NS_PER_S + scratch[1]);
}

function setScratch(ns: bigint): void {
  const clamped = ns < 0n ? 0n : ns;
  scratch[0] = clamped / NS_PER_S;
  scratch[1] = clamped % NS_PER_S;
}

export function sleep(timeout: Timeout): void {
  const s = shim();
  checkCancel();
  switch (timeout.kind) {
    case "none":
      return sleepForever(clockId("awake"));
    case "duration": {
      const d = timeout.asDuration!;
      const id = clockId(d.clock);
      if (d.raw.nanoseconds > MAX_TIMESPEC_NS) return sleepForever(id);
      setScratch(d.raw.nanoseconds);
      // On EINTR the shim wrote the time left back into `scratch`.
      syscall(sleepErrors, "clock_nanosleep", () => s.tio_sleep(id, 0, scratch));
      return;
    }
    case "deadline": {
      const t = timeout.asDeadline!;
      const id = clockId(t.clock);
      if (t.raw.nanoseconds > MAX_TIMESPEC_NS) return sleepForever(id);
      if (have.clockNanosleep) {
        setScratch(t.raw.nanoseconds);
        syscall(sleepErrors, "clock_nanosleep", () => s.tio_sleep(id, 1, scratch));
        return;
      }
      syscall(sleepErrors, "nanosleep", () => {
        setScratch(now(t.clock).durationTo(t.raw).nanoseconds);
        return s.tio_sleep(id, 0, scratch);
      });
      return;
    }
  }
}

/** Sleeps until canceled (only a cancel ends it: Canceled). */
function sleepForever(id: number): never {
  const s = shim();
  for (;;) {
    scratch[0] = FOREVER_STEP_S;
    scratch[1] = 0n;
    syscall(sleepErrors, "clock_nanosleep", () => s.tio_sleep(id, 0, scratch));
  }
}
