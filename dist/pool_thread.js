// A pool thread's entry module (lib/pool_thread.ts): the mark first, then the library.
import "./pool_thread_mark.js";
import "./index.js";
