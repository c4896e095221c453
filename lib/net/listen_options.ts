// The checks `listen` makes on its options before any syscall.
import { checkCount } from "../io/validate.ts";

/** listen(2) takes an int backlog; the kernel caps it at somaxconn. */
export function checkListenOptions(options: { readonly kernelBacklog?: number }): void {
  if (options.kernelBacklog !== undefined)
    checkCount(options.kernelBacklog, "Kernel backlog", 0, 0x7fff_ffff);
}
