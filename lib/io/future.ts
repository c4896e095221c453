// `Io.Future(R)`: the result of `io.async` / `io.concurrent`. Either already
// settled (the task ran inline, or was done when `io.async` returned: then,
// with a value, a native promise underneath; see settledFuture) or a closure
// in the heap that a pool thread runs. `await(io)` blocks (Zig
// style), `awaitAsync()` and `then` do not.
// Awaiting is idempotent; the first await frees the closure, and from then
// on the future answers from the outcome it kept (`select` counts it as
// done) and never touches the heap again. A Future is a checked handle
// (substrate/handle.ts): the implementation checks `gen` before it touches
// the closure, so a pending future used with another instance's io is a
// BugError, never a read of memory another task may now use (a settled
// one, which no longer has a closure, answers from its outcome).
// `using f = io.async(...)` cancels and awaits a pending task at scope exit
// (Zig's `defer f.cancel(io)`).
import { BugError, Canceled } from "./errors.ts";
import { isInstance } from "../substrate/safe_read.ts";
import type { Io } from "./io.ts";
import { checkInternal, INTERNAL, isLive } from "../substrate/handle.ts";
import type { Heap } from "../substrate/heap.ts";
import { DISPLAY_NAME, STAYS_ON_THREAD } from "../substrate/crossing.ts";
import { checkIo } from "./io_arg.ts";

/** A finished task: its value, or what it threw. */
export interface Outcome {
  readonly ok: boolean;
  readonly value: unknown;
}

/** `Io.Future(R)`: the result of `io.async` or `io.concurrent`. Await it once
 * or many times (the first await frees it; later ones return the same
 * result): blocking with `future.await(io)`, or without blocking with
 * `await future` / `awaitAsync()`. `cancel(io)` requests cancelation and
 * awaits; `requestCancel(io)` only requests it. A future must be awaited or
 * canceled, which frees its heap memory. */
export class Future<R = unknown> implements PromiseLike<R> {
  private outcome: Outcome | undefined;
  private pendingAsync: Promise<Outcome> | undefined;
  /** cancelOn's listeners, removed once the future has its outcome. */
  private aborts: { signal: AbortSignal; listener: () => void }[] | undefined;

  // Futures come from `io.async` / `io.concurrent` only (`newFuture`): one
  // made by hand over an offset would wait on arbitrary memory.
  private constructor(
    key: typeof INTERNAL,
    /** The Io that created it: async waits go through its vtable. */
    readonly io: Io,
    /** The closure's heap offset; 0 when the task ran inline or was done
     * when `io.async` / `io.concurrent` returned. */
    readonly closure: number,
    outcome?: Outcome,
    /** An async task that ran inline: settles with its promise. */
    private readonly inline?: Promise<unknown>,
    /** The closure block's generation (substrate/handle.ts). */
    readonly gen = 0,
  ) {
    checkInternal(key, "Future");
    this.outcome = outcome;
    if (outcome !== undefined && !outcome.ok) noteFailure(this, outcome.value);
    if (inline !== undefined) {
      inline.then(
        (value) => (this.outcome ??= { ok: true, value }),
        (value) => {
          if (this.outcome !== undefined) return;
          this.outcome = { ok: false, value };
          noteFailure(this, value);
        },
      );
    }
  }

  /** The closure while the task's outcome is still in the heap; 0 once it
   * ran inline or its outcome was taken (the block may be reused). */
  get pendingClosure(): number {
    return this.outcome === undefined ? this.closure : 0;
  }

  /** True once the result is available without waiting. */
  get settled(): boolean {
    return (
      this.outcome !== undefined ||
      (this.closure !== 0 && this.io.vtable.isDone(this.io.userdata, this))
    );
  }

  /** Blocks until the task finishes and returns its value or throws its
   * error. If the awaiting task is canceled meanwhile, the cancel is
   * forwarded to this task and the wait goes on (Zig's semantics). */
  await(io: Io = this.io): R {
    if (io !== this.io) checkIo(io, "future.await");
    if (unseenFailures.size !== 0) unseenFailures.delete(this);
    return unwrap<R>((this.outcome ??= this.take(() => io.vtable.await(io.userdata, this))));
  }

  /** Requests cancelation, then awaits: returns the task's result, which is
   * usually a thrown `Canceled`. Also while a non-blocking await is pending
   * (a `Promise.race` the future lost): that await gets the same outcome. */
  cancel(io: Io = this.io): R {
    if (io !== this.io) checkIo(io, "future.cancel");
    if (unseenFailures.size !== 0) unseenFailures.delete(this);
    return unwrap<R>((this.outcome ??= this.take(() => io.vtable.cancel(io.userdata, this))));
  }

  /** Requests cancelation and returns at once, without waiting: the task's
   * next cancelable call (or the one it is blocked in) throws `Canceled`.
   * The future must still be awaited (or canceled), which frees it. Zig has
   * no such call; `cancel` is this plus `await`. A no-op once the future has
   * settled and been awaited, or when it was settled from the start. */
  requestCancel(io: Io = this.io): void {
    if (io !== this.io) checkIo(io, "future.requestCancel");
    if (this.outcome !== undefined || this.closure === 0) return;
    io.vtable.requestCancel(io.userdata, this);
  }

  /** Non-blocking await for code on an event loop. */
  awaitAsync(): Promise<R> {
    return this.then();
  }

  // `await future` calls this. One reaction between the outcome's promise
  // and the caller's: after idle, each resumption runs cold (ARCHITECTURE.md).
  then<A = R, B = never>(
    onFulfilled?: ((value: R) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.outcomeAsync().then((o) => {
      this.outcome ??= o;
      if (unseenFailures.size !== 0) unseenFailures.delete(this);
      this.detachAbort();
      const { ok, value } = this.outcome;
      // As a promise's `then`, a handler that is no function is ignored.
      if (ok) return typeof onFulfilled === "function" ? onFulfilled(value as R) : (value as A);
      if (typeof onRejected === "function") return onRejected(value);
      throw value;
    }, onRejected);
  }

  /** As a promise's `catch`: `then(undefined, onRejected)`. A future has
   * it because `Promise.resolve(future)` may return the future itself (one
   * settled with a value is a native promise underneath), and code calls
   * `catch` and `finally` on what `Promise.resolve` returns. */
  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<R | B> {
    return this.then(undefined, onRejected);
  }

  /** As a promise's `finally`: runs `onFinally` once the task has settled
   * and passes its outcome on. */
  finally(onFinally?: (() => void) | null): Promise<R> {
    return this.then().finally(onFinally);
  }

  private outcomeAsync(): Promise<Outcome> {
    if (this.outcome !== undefined) return Promise.resolve(this.outcome);
    if (this.inline !== undefined) {
      return this.inline.then(
        (value) => ({ ok: true, value }),
        (value: unknown) => ({ ok: false, value }),
      );
    }
    try {
      return (this.pendingAsync ??= this.io.vtable.awaitAsync(this.io.userdata, this));
    } catch (e) {
      return Promise.reject(e); // a deinitialized instance's vtable throws
    }
  }

  /** Cancels this future's task when `signal` aborts (nothing once the
   * future has been awaited or its Threaded instance is gone). */
  cancelOn(signal: AbortSignal): this {
    if (this.outcome !== undefined || this.closure === 0) return this;
    if (signal.aborted) {
      this.io.vtable.requestCancel(this.io.userdata, this);
      return this;
    }
    // A signal may abort long after the future was awaited or its instance
    // deinitialized (which joined the task): requestCancel would then throw
    // a BugError from the listener, uncaught, and end the process.
    const listener = () => {
      if (this.inHeap()) this.io.vtable.requestCancel(this.io.userdata, this);
    };
    signal.addEventListener("abort", listener, { once: true });
    (this.aborts ??= []).push({ signal, listener });
    return this;
  }

  /** Whether the task's closure is still this future's, in a live
   * instance: not awaited, its io not retired (deinit, or a detach), its
   * block not freed. */
  private inHeap(): boolean {
    if (this.outcome !== undefined || this.closure === 0) return false;
    let heap: Heap;
    try {
      heap = this.io.sharedHeap(); // a retired io's vtable throws
    } catch {
      return false;
    }
    return isLive(heap, this.closure, this.gen);
  }

  /** Cancels and awaits a pending task, discarding its result (Zig's
   * `defer future.cancel(io)`). */
  [Symbol.dispose](): void {
    if (unseenFailures.size !== 0) unseenFailures.delete(this); // discarded on purpose
    if (this.outcome !== undefined || this.closure === 0) return;
    if (this.pendingAsync !== undefined) {
      // An async await is in flight and will free the closure.
      this.io.vtable.requestCancel(this.io.userdata, this);
      return;
    }
    try {
      this.cancel(this.io);
    } catch (e) {
      if (e instanceof BugError) throw e;
      // The task's own outcome (usually Canceled) is discarded.
    }
  }

  // What console.log shows: the outcome once known, as for a promise (the
  // fields are the instance's internals, and a settled future's would read
  // "Promise"). `depth` is what is left of the caller's depth here. The
  // value is shown by a fresh inspect call, which neither counts depth nor
  // knows what it has met: one level less is passed on, and a future met
  // again inside its own value is a cycle (without these, a value holding
  // its future recursed until the stack ran out: console.log hung).
  [Symbol.for("nodejs.util.inspect.custom")](
    depth: number | null,
    options: { depth?: number | null },
    inspect: (value: unknown, options: object) => string,
  ): string {
    if (typeof depth === "number" && depth < 0) return "[Future]";
    const o = this.outcome;
    if (o === undefined) return "Future { <pending> }";
    if (inspecting.has(this)) return "[Circular Future]";
    inspecting.add(this);
    try {
      const inner = inspect(o.value, {
        ...options,
        depth: typeof depth === "number" ? depth - 1 : depth,
      });
      return `Future { ${o.ok ? "" : "<rejected> "}${inner} }`;
    } finally {
      inspecting.delete(this);
    }
  }

  // With a non-blocking await pending (a `Promise.race` it lost), the
  // implementation waits, gives this future the outcome and leaves the
  // closure for the pending await to free (awaitingAsync, keptOutcome).
  private take(wait: () => Outcome): Outcome {
    if (this.inline !== undefined) {
      throw new BugError(
        "An async task ran inline (the async limit was reached) and has not settled: " +
          "a blocking await cannot wait for it; use `await future` or awaitAsync()",
      );
    }
    const o = wait();
    this.detachAbort();
    return o;
  }

  private detachAbort(): void {
    if (this.aborts === undefined) return;
    for (const { signal, listener } of this.aborts) signal.removeEventListener("abort", listener);
    this.aborts = undefined;
  }
}

// A future is awaited on the thread that made it: the codec names it when
// one is passed to a task, returned or queued (crossing.ts).
Object.defineProperty(Future.prototype, STAYS_ON_THREAD, {
  value: "await it where it was made and pass its value",
});
Object.defineProperty(Future.prototype, DISPLAY_NAME, { value: "Future" });

/** The futures whose inspect is on the stack (see the inspect method). */
const inspecting = new Set<Future<unknown>>();

// The prototype of a future settled with a value (settledFuture): Future's
// methods; `constructor` Promise, so that `await` takes it as it is; and
// the fields that never change once settled, so that making one stores
// only two.
const SETTLED_PROTO: object = Object.create(Future.prototype, {
  constructor: { value: Promise, writable: true, configurable: true },
  closure: { value: 0, writable: true },
  gen: { value: 0, writable: true },
  inline: { value: undefined, writable: true },
  pendingAsync: { value: undefined, writable: true },
  aborts: { value: undefined, writable: true },
});

/** Futures holding a failure (a task run inline, one the after-idle
 * handoff brought back) that no await, cancel or `then` has seen yet:
 * reported when their instance is deinitialized or the process exits
 * (threaded/unseen_failures.ts). At most MAX_UNSEEN, so that a program
 * that never awaits does not keep every failed future. */
export const unseenFailures = new Set<Future<unknown>>();
const MAX_UNSEEN = 1000;
let onUnseen = (): void => {};

/** Called when the first failure is noted (the exit report's listener). */
export function whenFailureUnseen(fn: () => void): void {
  onUnseen = fn;
}

function noteFailure(f: Future<unknown>, value: unknown): void {
  if (isInstance(value, Canceled)) return;
  if (unseenFailures.size >= MAX_UNSEEN) {
    // Counted, not kept (the report says how many more).
    unseenDropped.set(f.io.userdata, (unseenDropped.get(f.io.userdata) ?? 0) + 1);
    return;
  }
  unseenFailures.add(f);
  onUnseen();
}

/** Failures past MAX_UNSEEN, by the instance (`io.userdata`) they belong to. */
export const unseenDropped = new Map<unknown, number>();

/** The task's name for the report, when the future holds a failure. */
const unseenNames = new WeakMap<Future<unknown>, string>();

export function nameIfUnseen(f: Future<unknown>, name: string): void {
  if (unseenFailures.has(f)) unseenNames.set(f, name);
}

/** The error a failed future holds, and its task's name ("" if unknown). */
export function failureOf(f: Future<unknown>): [unknown, string] {
  return [f["outcome"]?.value, unseenNames.get(f) ?? ""];
}

function unwrap<R>(o: Outcome): R {
  if (o.ok) return o.value as R;
  throw o.value;
}

/** Makes a Future (the implementation's `async`/`concurrent`): settled
 * (`closure` 0 with an outcome or an inline promise) or pending on a
 * closure of generation `gen`. Not exported from the package. */
export function newFuture<R>(
  io: Io,
  closure: number,
  outcome?: Outcome,
  inline?: Promise<unknown>,
  gen = 0,
): Future<R> {
  type Make = new (
    key: typeof INTERNAL,
    io: Io,
    closure: number,
    outcome?: Outcome,
    inline?: Promise<unknown>,
    gen?: number,
  ) => Future<R>;
  return new (Future as unknown as Make)(INTERNAL, io, closure, outcome, inline, gen);
}

/** Makes a future already settled with an outcome decoded from the heap
 * (the after-idle handoff). One with a value that has no `then` is a
 * native promise underneath: ECMAScript's PromiseResolve, which `await`
 * runs, returns a promise whose `constructor` is Promise as it is and reads
 * its state directly, instead of a job that calls `then`. Every method,
 * `then` included, still answers from the outcome; only `await` and
 * `Promise.resolve` use the promise (`instanceof Promise` stays false).
 * Failed outcomes stay plain: a rejected promise that is only ever awaited
 * blocking would be reported unhandled. This path runs only after idle, so
 * JSC runs it in its interpreter: it is kept to a few operations
 * (ARCHITECTURE.md). Not exported from the package. */
export function settledFuture<R>(io: Io, o: Outcome): Future<R> {
  const v = o.value;
  // A decoded value is never a proxy, so `in` runs no user code; and with
  // no `then` it is no promise, which Promise.resolve would return as is.
  if (!o.ok || (typeof v === "object" && v !== null && "then" in v)) return newFuture(io, 0, o);
  const f = Promise.resolve(v) as unknown as { io: Io; outcome: Outcome };
  Object.setPrototypeOf(f, SETTLED_PROTO);
  f.io = io;
  f.outcome = o;
  return f as unknown as Future<R>;
}

/** Gives a future the outcome of its task as the implementation frees its
 * closure in a non-blocking await, whose promise settles a reaction or more
 * later (at once in the same call when the task was done): from then on
 * `settled`, `requestCancel`, `select` and dispose answer from the outcome,
 * as after any await, instead of checking the freed block (a BugError).
 * Not exported from the package. */
export function settleFuture(f: Future<unknown>, o: Outcome): void {
  (f as unknown as { outcome: Outcome | undefined }).outcome ??= o;
}

/** The outcome a future holds, if any. Not exported from the package. */
export function keptOutcome(f: Future<unknown>): Outcome | undefined {
  return (f as unknown as { outcome: Outcome | undefined }).outcome;
}

/** Whether a non-blocking await of the future has started (`await`,
 * `then`, `awaitAsync`): while it is pending, it frees the closure when
 * the task is done, so a blocking await must not. Not exported from the
 * package. */
export function awaitingAsync(f: Future<unknown>): boolean {
  return (f as unknown as { pendingAsync: unknown }).pendingAsync !== undefined;
}
