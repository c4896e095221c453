// Closing a descriptor as Zig's posix.close does: EBADF is a bug (a double
// close, or a close racing another thread's use: `unreachable` in Zig,
// BugError here in debug mode and Unexpected outside it); every other errno
// is ignored. EINTR (Linux has closed the descriptor anyway: never retry),
// and EIO/ENOSPC/EDQUOT from a network or FUSE file system's flush: the
// descriptor is gone either way, and a caller cannot act on it.
import { os } from "../os/index.ts";
import { shim } from "../ffi/shim.ts";
import { closeErrors } from "./fs_errors.ts";
import { errnoError } from "./syscall.ts";

export function closeHandle(fd: number): void {
  checkClose(shim().tio_close(fd));
}

/** What close(2)'s result `rc` (≥ 0, or -errno) means: nothing, or a bug. */
export function checkClose(rc: number): void {
  if (rc < 0 && -rc === os.errno.EBADF) throw errnoError(closeErrors, -rc, "close");
}
