// File.stdin(), stdout() and stderr(): a new object each call over the
// process's standard descriptors, with no descriptor cell (one per call
// would only pile up: descriptor_cell.ts). Once one of them closes its
// descriptor, every standard object over it is closed from then on, on
// every thread, and a task's copy of one is standard too. A second
// `File.stdin().close(io)` otherwise reached close(2) again and closed the
// file opened since, which takes the lowest free number (0); a pool thread
// that closed stdout made the main thread's next file descriptor 1, and
// its `File.stdout()` writes went into that file (console.log, which is
// Bun's, still does).
//
// The record is as wide as the implementation can make it: Threaded keeps
// it in the shim (shim/fs.c), which the owner, its pool threads and the
// Workers attached to it share; a Worker that compiles a shim of its own
// (its own `Threaded.init()`) has its own. Without one installed (another
// implementation's Io), it is this thread's.

const STANDARD: unique symbol = Symbol("threaded-io.standard");

/** Marks `obj` as one of File.stdin(), stdout() or stderr(). */
export function markStandard(obj: object): void {
  Object.defineProperty(obj, STANDARD, { value: true });
}

/** A property read: a regular object's calls pay nothing more. */
export function isStandard(obj: object): boolean {
  return (obj as { [STANDARD]?: true })[STANDARD] === true;
}

/** Which standard descriptors were closed through a standard object. */
export interface StandardRecord {
  /** Marks `fd` closed: true if this call did, false if it was already. */
  claim(fd: number): boolean;
  closed(fd: number): boolean;
}

const ownClosed = new Set<number>();
let record: StandardRecord = {
  claim: (fd) => !ownClosed.has(fd) && ownClosed.add(fd) !== undefined,
  closed: (fd) => ownClosed.has(fd),
};

/** The implementation's process-wide record. */
export function useStandardRecord(r: StandardRecord): void {
  record = r;
}

/** A close through `obj`: false if `obj` is standard and its descriptor
 * was closed through another standard object (on any thread) already. */
export function closeStandard(obj: object, handle: number): boolean {
  return !isStandard(obj) || record.claim(handle);
}

/** Whether `obj` is standard and its descriptor was closed through a
 * standard object. */
export function standardClosed(obj: object, handle: number): boolean {
  return isStandard(obj) && record.closed(handle);
}

/** The [cell, generation] a standard object crosses with: no cell, and a
 * generation no cell has (cells' are even, from a live block), so that
 * the copy is standard too (descriptor_cell.ts `adoptCell`). */
export const STANDARD_CROSSING = [0, 1] as const;
