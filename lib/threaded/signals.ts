// SIGIO/SIGPIPE handlers for the process: installed (without SA_RESTART) by
// the first `Threaded.init`, before any cancel can send a signal, and the
// previous handlers restored by the last `deinit`. Counted, because several
// Threaded instances may live at once.
import { shim } from "../ffi/shim.ts";
import { errnoError } from "./syscall.ts";

let users = 0;

export function acquireSignals(): void {
  if (users === 0) {
    const rc = shim().tio_signals_install();
    if (rc < 0) throw errnoError({}, -rc, "sigaction");
  }
  users++;
}

export function releaseSignals(): void {
  if (users === 0) return;
  users--;
  if (users === 0) {
    const rc = shim().tio_signals_restore();
    if (rc < 0) throw errnoError({}, -rc, "sigaction");
  }
}

export function signalsInstalled(): boolean {
  return shim().tio_signals_check() === 1;
}
