// Marks this thread as a pool thread (lib/pool_thread_mark.ts).
globalThis[Symbol.for("threaded-io.poolThread")] = true;
