// A pool thread. It loads little: the heap, the shim pointers from its
// start-up message (never a second compile), the pool loop and the closure
// runner. After the start-up message it never uses postMessage: everything
// goes through the heap, so no thread ever needs another's event loop.
import { Threaded, type ThreadedHandle } from "./threaded.ts";
import { leave, take } from "./pool.ts";
import { runClosure } from "./closure.ts";
import { forgetThread, threadId } from "../substrate/cancel.ts";
import { markPoolThread, unmarkPoolThread } from "./reaper.ts";
import { shim } from "../ffi/shim.ts";
import { traceTaskEnd, traceTaskStart, traceThread } from "../substrate/trace.ts";

declare const self: Worker;

self.onmessage = (e: MessageEvent) => {
  // Keep a message listener: it is what keeps this thread's event loop
  // alive while a task awaits something only another thread can settle
  // (an Atomics.waitAsync, as io.abortSignal() does). No message is sent.
  self.onmessage = () => {};
  const { handle } = e.data as { handle: ThreadedHandle };
  const threaded = Threaded.attach(handle);
  void loop(threaded);
};

async function loop(t: Threaded): Promise<void> {
  const heap = t.heap;
  const id = threadId(heap);
  markPoolThread(heap, id);
  shim().tio_thread_set_name(Buffer.from(`tio-pool-${id}\0`));
  const revive = t.reviver();
  traceThread(heap, true);
  for (;;) {
    const closure = take(heap);
    if (closure === 0) break;
    traceTaskStart(heap, closure);
    const pending = runClosure(heap, closure, revive);
    // A task that returned a promise is awaited here, on this thread's event
    // loop, before the thread takes other work.
    if (pending !== undefined) await pending;
    traceTaskEnd(heap);
  }
  traceThread(heap, false);
  unmarkPoolThread(heap, id);
  forgetThread(heap);
  leave(heap);
  process.exit(0);
}
