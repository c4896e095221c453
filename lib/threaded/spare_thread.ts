// The first pool thread of a thread's first pool, started as
// `Threaded.init` begins. A fresh process's first task waited for a Worker
// to start and load the library (≈ 30 ms) after `init` had compiled the
// shim (≈ 22 ms) on the same thread: started first, the Worker loads on the
// other CPU meanwhile, and the first dispatch adopts it (ARCHITECTURE.md,
// "Start-up"). tinypool and piscina start their minimum threads at
// construction too. Only the first pool: later ones find the shim compiled
// (nothing to overlap), and a program or test suite that makes a pool per
// request or per test must not start a thread each time it may not use.
//
// Until adopted it is no pool thread: it is not counted, holds no work and
// waits in its own event loop for the start-up message (no CPU). Unused, it
// ends with `deinit`, or after the pool's idle timeout as an idle pool
// thread would, and never keeps the process alive (unref'd).

import { newThreadId, threadIds } from "./worker_tid.ts";

let started = false;

/** Spares this thread started, the pool adopted, and ended unused (specs). */
export const spares = { started: 0, adopted: 0, ended: 0 };

/** A spare for this thread's first pool if `async` may use its threads
 * (`wanted`); undefined for any later pool, or if the Worker could not be
 * made (the pool's first spawn will try again and report it). */
export function firstPoolSpare(url: string, wanted: boolean): SpareThread | undefined {
  if (started) return undefined;
  started = true;
  if (!wanted) return undefined;
  try {
    return new SpareThread(url);
  } catch {
    return undefined;
  }
}

/** The first pool's `init` failed: the next pool is the first again. */
export function firstPoolFailed(spare: SpareThread | undefined): void {
  spare?.dispose();
  started = false;
}

export class SpareThread {
  private worker: Worker | undefined;
  private timer: Timer | undefined;
  /** Its Worker's thread id (worker_tid.ts), 0 if not known. */
  readonly tid: number = 0;

  /** Starts a Worker on `url`. */
  constructor(url: string) {
    const before = threadIds();
    const worker = new Worker(url);
    this.tid = newThreadId(before);
    worker.unref();
    // A spare that fails to start must not surface as an uncaught error:
    // the dispatch that would have adopted it starts a thread of its own,
    // which reports the failure as any spawn does.
    worker.addEventListener("error", (e) => e.preventDefault());
    worker.addEventListener("close", () => {
      if (this.worker === worker) this.forget();
    });
    this.worker = worker;
    spares.started++;
  }

  /** Ends the Worker after `idleTimeoutMs` unless adopted first (0: kept
   * until `dispose`). Armed when `init` returns, as an idle pool thread's
   * time starts when it is idle. */
  endAfter(idleTimeoutMs: number): void {
    if (this.worker === undefined || idleTimeoutMs <= 0) return;
    this.timer = setTimeout(() => this.dispose(), idleTimeoutMs);
    this.timer.unref();
  }

  /** The Worker, if it is still there, for the pool to adopt; from then on
   * it is the pool's. */
  adopt(): Worker | undefined {
    const worker = this.worker;
    this.forget();
    if (worker !== undefined) spares.adopted++;
    return worker;
  }

  /** Ends the Worker unless it was adopted. */
  dispose(): void {
    const worker = this.worker;
    if (worker === undefined) return;
    this.forget();
    spares.ended++;
    void worker.terminate();
  }

  private forget(): void {
    this.worker = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
