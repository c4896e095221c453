// A pool thread's loop, loaded with the library (lib/index.ts) on every
// thread and started only on a pool thread (see POOL_THREAD). It loads little: the heap, the shim pointers from its
// start-up message (never a second compile), the pool loop and the closure
// runner. After the start-up message it never uses postMessage: everything
// goes through the heap, so no thread ever needs another's event loop.
import { reportUnseenFailures } from "./unseen_failures.ts";
import { runAsTasks } from "../substrate/tasks.ts";
import { attachPoolThread, type Threaded, type ThreadedHandle } from "./threaded.ts";
import { COMPACT, IDLE, leave, poolCount, leaveRetired, retire, take } from "./pool.ts";
import { runClosure } from "./closure.ts";
import { takeCollectHint } from "../substrate/binary_payload.ts";
import { forgetThread } from "../substrate/cancel.ts";
import { claimStartedThread, type StartingSlot, unmarkPoolThread } from "./reaper.ts";
import { shim } from "../ffi/shim.ts";
import { yieldBeforeNextTask } from "../substrate/wake_yield.ts";
import { Pool } from "../substrate/layout.ts";
import { traceTaskEnd, traceTaskStart, traceThread } from "../substrate/trace.ts";
import { reportLeftBehind } from "./left_behind.ts";
import { spawnHostServes } from "./spawn_host.ts";

declare const self: Worker;

/** Set by the Worker's entry module (lib/pool_thread.ts) before it loads
 * the library: only then is this thread a pool thread. */
export const POOL_THREAD = Symbol.for("threaded-io.poolThread");

if ((globalThis as Record<symbol, unknown>)[POOL_THREAD] === true) {
  self.onmessage = (e: MessageEvent) => {
    // Keep a message listener: it is what keeps this thread's event loop
    // alive while a task awaits something only another thread can settle
    // (an Atomics.waitAsync, as io.abortSignal() does). No message is sent.
    self.onmessage = () => {};
    const { handle, slot, foster } = e.data as {
      handle: ThreadedHandle;
      slot: StartingSlot;
      foster?: boolean;
    };
    const threaded = attachPoolThread(handle);
    // From here on an error a task's leftover callback throws is reported,
    // and the thread survives it (left_behind.ts).
    reportLeftBehind(slot.id);
    // The loop's own failure is the library's: the thread ends, as an
    // uncaught error ended it before, and the reaper counts it out.
    // In the tasks' async context: what a task awaits or schedules stays in
    // it, the program's code a module load starts does not (tasks.ts
    // `inProgramCode`).
    runAsTasks(() => loop(threaded, slot, foster === true)).catch((e: unknown) => {
      console.error(
        `threaded-io: the task loop of pool thread ${slot.id} failed; the thread ends:\n${Bun.inspect(e)}`,
      );
      process.exit(1);
    });
  };
}

/**
 * A foster thread is one that a thread other than the owner started itself,
 * because no spawn host served yet (spawn_host.ts): it dies with that
 * thread (a task there calling `process.exit` ended it halfway through
 * another caller's task, 2 runs in 3). So once a host serves, it leaves
 * as soon as it has nothing to run, and the next dispatch that needs a
 * thread has the host start one. While it waits for a host it sleeps at
 * most FOSTER_CHECK_MS at a time (nothing wakes it when the host starts).
 */
const FOSTER_CHECK_MS = 1000;

async function loop(t: Threaded, slot: StartingSlot, foster: boolean): Promise<void> {
  const heap = t.heap;
  const id = slot.id;
  // The slot the spawning thread reserved; if it is no longer ours, this
  // thread was counted out as dead while it started (its parent was found
  // gone): it leaves without touching the counts.
  if (!claimStartedThread(heap, slot)) process.exit(0);
  shim().tio_thread_set_name(Buffer.from(`tio-pool-${id}\0`));
  const revive = t.reviver();
  let retired = false;
  traceThread(heap, true);
  // Collect the module load's garbage (see `compact`): before the first
  // task, except on a pool's only thread (a fresh process's first task, or
  // the first after the pool shrank to nothing), where a caller is waiting
  // for exactly this thread; that one compacts at its first idle sleep.
  let compactAtIdle = poolCount(heap, Pool.POOL_SIZE) === 1;
  if (!compactAtIdle) compact();
  let idleFor = 0; // ms idle in a row, for a foster thread's capped sleeps
  for (;;) {
    if (foster) {
      const host = spawnHostServes(heap);
      if (host === false)
        foster = false; // none ever will: an ordinary thread
      // Its children must leave first (their close events come at IDLE).
      else if (host && t.liveChildren === 0 && retire(heap, true)) {
        retired = true;
        break;
      }
    }
    // The yield the last task's end (or a signal it made) owes the thread
    // it woke is made only before another task (wake_yield.ts).
    const cap = foster ? FOSTER_CHECK_MS : 0;
    const closure = take(heap, compactAtIdle, yieldBeforeNextTask(), cap);
    if (closure === 0) break;
    if (closure === COMPACT) {
      compactAtIdle = false;
      compact();
      continue;
    }
    if (closure === IDLE) {
      // Idle for the idle timeout (or a foster's FOSTER_CHECK_MS). A thread
      // that spawned threads must outlive them (Bun ends a Worker's
      // children with it): let this thread's event loop deliver their
      // "close" events first.
      await new Promise((resolve) => setImmediate(resolve));
      if (cap > 0) {
        idleFor += cap;
        const idleMs = poolCount(heap, Pool.IDLE_TIMEOUT_MS);
        if (idleMs <= 0 || idleFor < idleMs) continue;
      }
      if (t.liveChildren === 0 && retire(heap)) {
        retired = true;
        break;
      }
      continue;
    }
    idleFor = 0;
    traceTaskStart(heap, closure);
    const pending = runClosure(heap, closure, revive);
    // A task that returned a promise is awaited here, on this thread's event
    // loop, before the thread takes other work.
    if (pending !== undefined) await pending;
    traceTaskEnd(heap);
    if (takeCollectHint()) Bun.gc(true); // big values left: drop this thread's copies
  }
  // Tasks this thread's tasks started and left failed, unawaited.
  reportUnseenFailures(t, `as pool thread ${id} left`);
  traceThread(heap, false);
  unmarkPoolThread(heap, id);
  forgetThread(heap);
  if (retired) leaveRetired(heap);
  else leave(heap);
  process.exit(0);
}

/**
 * Collects this thread's garbage and compiled code. A pool thread blocks in
 * the futex, never in its event loop, so JSC's collection timers never run
 * on it and its module load's garbage stayed resident. RSS per idle thread
 * (9 threads against 1, bench/fixtures/thread_rss.ts, two runs each):
 * 4.13–4.22 MiB without; 3.44–3.53 with this before the first task
 * (tinypool 3.64–3.77); 3.60–3.89 when done after a task, whose
 * allocations spread the live objects over more blocks. It costs a thread
 * ≈ 5 ms once (start to first result 36 against 31 ms, minimum of 12): 2
 * for the collection, the rest compiling again what `shrink` dropped.
 */
function compact(): void {
  Bun.shrink();
  Bun.gc(true);
}
