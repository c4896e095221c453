// A pool thread's entry module: the Worker that `Threaded` spawns runs this.
// It marks the thread as a pool thread first (pool_thread_mark.ts, evaluated
// before the next import), then loads the library through the module that
// task modules import (lib/index.ts here, dist/index.js in the package's
// bundle), so the thread holds one copy of the library; the library's
// worker_entry.ts sees the mark and starts the pool loop. Both imports are
// static: with a top-level await here, the start-up message would arrive
// before any listener and be lost.
import "./pool_thread_mark.ts";
import "./index.ts";
