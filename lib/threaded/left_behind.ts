// Errors that escape every task on a pool thread: thrown by a callback a
// task left behind (a timer, a listener) or a promise rejection nobody
// handled. They run when the thread next turns its event loop, which is
// while a later task awaits, or at the idle timeout: outside any task's
// call, so no task's result can carry them.
//
// Measured on Bun 1.4.5: either one ends the Worker (close code 1 for the
// error, 0 for the rejection), and the parent's "error" event receives only
// Bun's rendered text (`ErrorEvent.error` is null), which the pool's
// listener discards — the error was lost, and the task that happened to be
// running failed as if it had killed the thread. An `"error"` listener on
// `self`, even with `preventDefault()`, or an `onerror` returning true
// still lets the Worker end; a `process` listener for "uncaughtException"
// and "unhandledRejection" keeps it running (it is per thread: the main
// thread's own uncaught errors are untouched).
//
// Such an error is not the library's: the thread's state is as after a
// task that threw (the library's locks are released by `finally`), so the
// thread reports the error on stderr and goes on. The library's own loop
// does not rely on this: its failure still ends the thread
// (worker_entry.ts), which the reaper then counts out.

import { isStop, reportError } from "../substrate/tasks.ts";

/** Reports errors left behind by tasks on this pool thread (`id`, as in its
 * name `tio-pool-<id>`) on stderr instead of letting them end the thread. */
export function reportLeftBehind(id: number): void {
  const where = `on pool thread ${id} (tio-pool-${id}); the thread goes on with its tasks`;
  process.on("uncaughtException", (error) => {
    if (isStop(error)) return; // the program's own code stopped here (tasks.ts)
    report(`an error thrown by a callback a task left behind ${where}`, error);
  });
  process.on("unhandledRejection", (reason) => {
    if (isStop(reason)) return; // an async main() stopped at Threaded.init() (tasks.ts)
    report(`a promise rejection no task handled (a promise a task left behind) ${where}`, reason);
  });
}

function report(what: string, error: unknown): void {
  // Bun.inspect gives the stack, the source line and the cause.
  reportError(`threaded-io: ${what}:\n${Bun.inspect(error)}`);
}
