// Marks this thread as a pool thread (see pool_thread.ts and
// threaded/worker_entry.ts's POOL_THREAD).
(globalThis as Record<symbol, unknown>)[Symbol.for("threaded-io.poolThread")] = true;
