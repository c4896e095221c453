// The process's signal handlers (shim/signal.c): the cancel signal's no-op
// handler without SA_RESTART, and SIGPIPE's if nobody handles it yet.
// Installed by the first `Threaded.init` in the process, before any cancel
// can send a signal, and restored by the last `deinit` — the count is kept
// in the shim, process-wide, because Threaded instances are created and
// destroyed on any thread (a task may run its own pool) while the handlers
// belong to the whole process.
import { shim } from "../ffi/shim.ts";
import { cancelSignal } from "../os/index.ts";
import { errnoError } from "./syscall.ts";

export function acquireSignals(): void {
  const rc = shim().tio_signals_install(cancelSignal);
  if (rc < 0) throw errnoError({}, -rc, "sigaction");
}

export function releaseSignals(): void {
  const rc = shim().tio_signals_restore();
  if (rc < 0) throw errnoError({}, -rc, "sigaction");
}

/** Whether the cancel signal's handler is installed (for tests). */
export function signalsInstalled(): boolean {
  return shim().tio_signals_check() === 1;
}

/** Threaded instances alive in the process, on any thread (for tests). */
export function signalUsers(): number {
  return Number(shim().tio_signals_users());
}
