// A File, Dir or Socket object closes its descriptor once, and is not used
// after: a read or write through a closed object would reach whatever the
// number names now (a File opened since gets the writes meant for the old
// one), so every call through it is a BugError once it closed. Zig makes closing
// twice illegal (posix.close: EBADF is `unreachable`), but only a descriptor
// still closed is caught that way: if the number was reused in between (any
// open, socket or accept on any thread), the second close(2) closes someone
// else's descriptor, silently. Each object remembers that it closed, so a
// second close through the same object is a BugError that never reaches
// close(2), always (as other use-after-deinit BugErrors are), not only in
// debug mode. A copy a task received shares a cell with the object it came
// from (descriptor_cell.ts), so a close through either is seen by both;
// `new File(fd)` is a different object and is not covered.
import { BugError } from "./errors.ts";

/** `elsewhere`: closed through another object over the same descriptor
 * (the one this was passed from to a task, or a copy: descriptor_cell.ts). */
const ELSEWHERE = (kind: string): string =>
  ` through another ${kind} over it (a copy passed to a task or from one` +
  (kind === "File" ? ", or another File.stdin(), stdout() or stderr())" : ")");

/** The error for `kind`'s second close through the same object, or after
 * another object over the descriptor closed it. */
export function closedTwice(kind: string, handle: number, elsewhere = false): BugError {
  return new BugError(
    `${kind} (descriptor ${handle}) closed twice${elsewhere ? ELSEWHERE(kind) : ""}: close(2) ` +
      "was not called again, since the number may already name another descriptor opened since",
  );
}

/** The error for a call through `kind` after it was closed. */
export function usedAfterClose(kind: string, handle: number, elsewhere = false): BugError {
  return new BugError(
    `${kind} (descriptor ${handle}) used after close${elsewhere ? `, closed${ELSEWHERE(kind)}` : ""}: ` +
      "the call was not made, since the number may already name another descriptor opened since",
  );
}

/** Directories closed through their object: a set rather than a private
 * flag, so that an iterator over one (fs/dir_iterator.ts) can check it. */
const closedDirs = new WeakSet<object>();

export function markDirClosed(dir: object): void {
  closedDirs.add(dir);
}

export function isDirClosed(dir: object): boolean {
  return closedDirs.has(dir);
}
