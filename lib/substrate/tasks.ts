// How a task function is named across threads.
//
// `task(import.meta, fn)` registers a module-level function under the key
// "<module URL>#<function name>" and returns it unchanged. A worker that
// meets the key loads the module with `require` (which runs the same
// `task()` call there) and finds the function in its own registry. Keep task
// modules free of side effects: every pool thread loads them.
//
// A pool thread loads a module with `import()` and stops it at its first
// `Threaded.init()` (which throws `TaskModuleStop` there) or at its first
// bun:test call (`test`, `describe`, hooks: Bun refuses them in a Worker).
// The tasks registered above that point are used; the rest of the module —
// a single-file program's body, a test file's tests — never runs on a pool
// thread. Without that stop, a file that defines tasks and then calls
// `Threaded.init()` and `io.async` made a new pool in every pool thread that
// loaded it: 28 → 155 threads in 10 s.
//
// A plain function that was never registered travels as its source text and
// is compiled once per thread; it cannot use variables from its enclosing
// scope (that fails with an error that says to use task()).
//
// Keys are interned in the heap once per key, as [next][u32 length][utf8]
// in one list for every thread (Pool.TASK_KEYS); closures carry the
// offset, and each thread caches the offset per key and the function per
// offset. Interned keys stay allocated until the heap goes: interned once
// per thread instead, every pool thread that dispatched and retired left
// its copies behind (+47 bytes and a block per retired thread, without
// bound under idle-timeout churn).
import type { AsyncLocalStorage } from "node:async_hooks";
import { bundled } from "../bundle.ts";
import type { Heap } from "./heap.ts";
import { Pool, PoolBlock, TaskKeyLayout } from "./layout.ts";

const TASK_KEY: unique symbol = Symbol.for("threaded-io.taskKey");
const SOURCE_PREFIX = "source:";

type AnyFn = (...args: never[]) => unknown;
type Keyed = AnyFn & { [TASK_KEY]?: string };

const registry = new Map<string, AnyFn>();

// Every copy of the library loaded in a thread (a nested
// node_modules/…/threaded-io, or lib/index.ts beside the package's
// dist/index.js) keeps its own registry, while the task key travels under a
// global symbol: a task registered through one copy and run on another
// copy's pool is found by neither. Each copy lists its registry in this
// thread-global list so that the failing lookup (never the one that finds
// its task) can say which copy registered it.
type Copy = { readonly where: string; readonly registry: Map<string, AnyFn> };
const COPIES = Symbol.for("threaded-io.taskRegistries");
const thisCopy: Copy = {
  where: copyLocation(),
  registry,
};
{
  const g = globalThis as Record<symbol, Copy[] | undefined>;
  (g[COPIES] ??= []).push(thisCopy);
}

/** This copy's entry module (lib/index.ts, or dist/index.js in the bundle). */
function copyLocation(): string {
  try {
    return Bun.fileURLToPath(new URL(bundled ? "./index.js" : "../index.ts", import.meta.url));
  } catch {
    return import.meta.url;
  }
}

/** The other copy of the library that registered `key` in this thread, if any. */
function otherCopyWith(key: string): Copy | undefined {
  const copies = (globalThis as Record<symbol, Copy[] | undefined>)[COPIES] ?? [];
  return copies.find((c) => c !== thisCopy && c.registry?.get?.(key) !== undefined);
}

// `bun -e` and a script piped to Bun get a module URL no other thread can
// load: ".../%5Beval%5D" ("[eval]") and ".../%5Bstdin%5D".
const UNLOADABLE_MODULE = /\/(?:\[|%5B)(?:eval|stdin)\d*(?:\]|%5D)$/i;

/** The `import.meta` each task was registered through. */
const registeredWith = new WeakMap<AnyFn, object>();

/** Registers `fn` as a task of the module `meta` belongs to. */
export function task<F extends AnyFn>(meta: ImportMeta | { url: string }, fn: F): F {
  if (typeof meta === "function" && fn === undefined)
    throw new TypeError(
      `task() takes the module's import.meta first: task(import.meta, ${(meta as { name?: string }).name || "fn"})`,
    );
  if (typeof fn !== "function") throw new TypeError("task() takes a function");
  if (!fn.name) throw new TypeError("A task function needs a name: use `function name() {}`");
  if (typeof meta?.url !== "string") throw new TypeError("task() takes import.meta first");
  if (UNLOADABLE_MODULE.test(meta.url)) {
    throw new TypeError(
      `Task "${fn.name}" is defined in code given to \`bun -e\` or on standard input ` +
        `("${meta.url}"), which a pool thread cannot load: a task needs a module file. ` +
        "Put the task in a .ts or .js file and import it from there",
    );
  }
  const key = `${meta.url}#${fn.name}`;
  const existing = registry.get(key);
  // The module evaluated again (`bun test --rerun-each`) registers a new
  // function object with the same source through a new `import.meta`: the
  // newer one stands. Through the same `import.meta` it is a second task of
  // that name, even with the same source (two closures of one factory, which
  // a pool thread could not tell apart: the last one ran for both).
  if (
    existing !== undefined &&
    existing !== fn &&
    (registeredWith.get(existing) === meta || existing.toString() !== fn.toString())
  ) {
    throw new TypeError(`Two task functions named "${fn.name}" in module "${meta.url}"`);
  }
  registry.set(key, fn);
  registeredWith.set(fn, meta);
  (fn as Keyed)[TASK_KEY] = key;
  return fn;
}

export function taskKey(fn: AnyFn): string {
  if (typeof fn !== "function")
    throw new TypeError(
      `A task must be a function, not ${describe(fn)}: pass the function and its ` +
        "arguments apart, as io.concurrent(fn, ...args)",
    );
  const key = (fn as Keyed)[TASK_KEY];
  if (key !== undefined) return key;
  const source = fn.toString();
  // A built-in or a bound function's source is "function f() { [native
  // code] }": it would reach the pool thread as a syntax error about
  // "code". Said here, on the caller's thread, before anything is queued.
  if (NATIVE_SOURCE.test(source))
    throw new TypeError(
      `Function "${fn.name}" is built in or bound (its source is "[native code]"), so it cannot ` +
        "travel as source text to a pool thread: call it from a task(import.meta, fn) function instead",
    );
  return SOURCE_PREFIX + source;
}

const NATIVE_SOURCE = /\{\s*\[native code\]\s*\}\s*$/;

/** A value named in an error: its type, and the value when it is short. */
function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === "object") return `an object (${v.constructor?.name ?? "null prototype"})`;
  const text = typeof v === "string" ? JSON.stringify(v) : String(v);
  return `the ${typeof v} ${text.length > 40 ? text.slice(0, 40) + "…" : text}`;
}

export function taskName(key: string): string {
  if (key.startsWith(SOURCE_PREFIX)) {
    const m = /^(?:async\s+)?function\s*\*?\s*([\w$]*)/.exec(key.slice(SOURCE_PREFIX.length));
    return m?.[1] || "anonymous";
  }
  return key.slice(key.lastIndexOf("#") + 1);
}

// --- interning -------------------------------------------------------------

const interned = new WeakMap<Heap, Map<string, number>>();
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function internKey(heap: Heap, key: string): number {
  let byKey = interned.get(heap);
  if (byKey === undefined) interned.set(heap, (byKey = new Map()));
  let off = byKey.get(key);
  if (off === undefined) {
    off = internShared(heap, encoder.encode(key));
    byKey.set(key, off);
  }
  return off;
}

const KEYS = (PoolBlock.OFFSET + Pool.TASK_KEYS) >> 2;

/** The key's entry in the heap's list, added if absent. The list only
 * grows, at its head, with a CAS: a thread that loses the race looks
 * again through what was pushed meanwhile, so a key is never there twice.
 * Once per thread and key: a short list of the pool's task modules. */
function internShared(heap: Heap, bytes: Uint8Array): number {
  const i32 = heap.i32;
  let mine = 0;
  let seen = 0; // the head already searched down from
  for (;;) {
    const head = Atomics.load(i32, KEYS);
    const found = findKey(heap, head, seen, bytes);
    if (found !== 0) {
      if (mine !== 0) heap.free(mine);
      return found;
    }
    if (mine === 0) {
      mine = heap.alloc(TaskKeyLayout.BYTES + bytes.length);
      heap.u32[(mine + TaskKeyLayout.LENGTH) >> 2] = bytes.length;
      heap.u8.set(bytes, mine + TaskKeyLayout.BYTES);
    }
    // Written before the CAS publishes it (a seq-cst store: readers that
    // load the head see the entry whole).
    Atomics.store(i32, (mine + TaskKeyLayout.NEXT) >> 2, head);
    if (Atomics.compareExchange(i32, KEYS, head, mine) === head) return mine;
    seen = head;
  }
}

/** The entry from `head` down to (not including) `stop` that holds `bytes`. */
function findKey(heap: Heap, head: number, stop: number, bytes: Uint8Array): number {
  const u8 = heap.u8;
  for (
    let e = head;
    e !== 0 && e !== stop;
    e = Atomics.load(heap.i32, (e + TaskKeyLayout.NEXT) >> 2)
  ) {
    if (heap.u32[(e + TaskKeyLayout.LENGTH) >> 2] !== bytes.length) continue;
    const start = e + TaskKeyLayout.BYTES;
    let i = 0;
    while (i < bytes.length && u8[start + i] === bytes[i]) i++;
    if (i === bytes.length) return e;
  }
  return 0;
}

export function readKey(heap: Heap, off: number): string {
  const len = heap.u32[(off + TaskKeyLayout.LENGTH) >> 2];
  const start = off + TaskKeyLayout.BYTES;
  return decoder.decode(heap.u8.slice(start, start + len));
}

// --- resolving on a pool thread ---------------------------------------------

const resolved = new WeakMap<Heap, Map<number, AnyFn>>();

/** The task at `off`, or a promise of it while its module loads. */
export function resolveTask(heap: Heap, off: number): AnyFn | Promise<AnyFn> {
  let byOff = resolved.get(heap);
  if (byOff === undefined) resolved.set(heap, (byOff = new Map()));
  const fn = byOff.get(off);
  if (fn !== undefined) return fn;
  const key = readKey(heap, off);
  if (key.startsWith(SOURCE_PREFIX))
    return remember(byOff, off, compile(key.slice(SOURCE_PREFIX.length)));
  // Its module failed to load here: the tasks it registered before it threw
  // would run from a module that is half there (a second call did).
  if (failedLoads.size !== 0) {
    const failure = failedLoads.get(key.slice(0, key.lastIndexOf("#")));
    if (failure !== undefined) throw failure;
  }
  const known = registry.get(key);
  if (known !== undefined) return remember(byOff, off, known);
  return load(key).then((f) => remember(byOff, off, f));
}

function remember(byOff: Map<number, AnyFn>, off: number, fn: AnyFn): AnyFn {
  byOff.set(off, fn);
  return fn;
}

const STOP_TEXT = "is not run while a pool thread loads";
const STOP_AFTER_TEXT = "is not run on a pool thread outside a task";

/** Thrown by `Threaded.init()` while this thread loads a task's module,
 * or on a pool thread outside any task afterwards (`stopOutsideTask`). */
export class TaskModuleStop extends Error {
  /** Where the module whose top level called `Threaded.init()` did so
   * ("/path/pool.ts:3:18"): the task's module itself, or one it imports. */
  readonly calledFrom: string | null;

  /** `init` is the function that throws it: the stack is taken from its caller. */
  constructor(
    readonly url: string,
    init?: (...args: never[]) => unknown,
    message = `Threaded.init() ${STOP_TEXT} "${url}" to find a task: ` +
      "the module stops there, and only the tasks defined above it are available",
  ) {
    super(message);
    this.name = "TaskModuleStop";
    const trace: { stack?: string } = {};
    if (init !== undefined) Error.captureStackTrace(trace, init);
    this.calledFrom = moduleFrame(trace.stack);
  }
}

/** The outermost frame of `stack` in a file: the top level of the module
 * being evaluated (module evaluation starts each such stack). */
function moduleFrame(stack: string | undefined): string | null {
  let found: string | null = null;
  for (const line of (stack ?? "").split("\n")) {
    // "at fn (/path:3:18)" or "at /path:3:18"; a path may hold " " and "()".
    const frame = line.trim();
    if (!frame.startsWith("at ")) continue;
    let where = frame.slice(3);
    const paren = where.search(/ \((?:file:\/\/)?\//);
    if (paren >= 0 && where.endsWith(")")) where = where.slice(paren + 2, -1);
    if (/^(?:file:\/\/)?\/.*:\d+:\d+$/.test(where)) found = where;
  }
  return found;
}

/** The file part of a frame "/path/pool.ts:3:18" or "file:///path/pool.ts:3:18". */
function frameFile(frame: string): string {
  const file = frame.replace(/:\d+:\d+$/, "");
  return file.startsWith("file:") ? Bun.fileURLToPath(file) : file;
}

function urlFile(url: string): string {
  try {
    return url.startsWith("file:") ? Bun.fileURLToPath(url) : url;
  } catch {
    return url;
  }
}

export function isStop(v: unknown): boolean {
  return (
    v instanceof TaskModuleStop ||
    (v instanceof Error && v.name === "TaskModuleStop") || // another copy's
    (typeof v === "string" && (v.includes(STOP_TEXT) || v.includes(STOP_AFTER_TEXT)))
  );
}

/**
 * `Threaded.init()` on a pool thread in the program's own code: code that a
 * module load started there, going on after the load. A pool thread loads
 * the program's module to find a task, and an async `main()` called at its
 * end returns at its first `await`, which ends the load; the rest of
 * `main()` then ran on the thread's event loop (while an async task awaited,
 * or as the thread idled) and its `Threaded.init()` made a pool there, whose
 * threads did the same: 57–62 runs of the program and 240 threads in 5 s (a
 * newcomer's `main` that read a config file first). The pool thread's task
 * loop runs in the tasks' async context (`runAsTasks`: an AsyncLocalStorage
 * that Bun carries through awaits, promise reactions and timers), so a
 * task's code is in it whatever it awaits or schedules (a `.then` or a
 * timer of a task that returns a promise too); a module's evaluation is
 * not (Bun's loader runs it in an empty context), nor what it starts.
 * Returns the stop to throw, or null.
 */
export function stopOutsideTask(init: (...args: never[]) => unknown): TaskModuleStop | null {
  if (!inProgramCode()) return null;
  // From here on, what the program's own handlers of the stop print on this
  // thread is dropped (`guardProgramCode`).
  ghostStopped = true;
  return new TaskModuleStop(
    "",
    init,
    `Threaded.init() ${STOP_AFTER_TEXT}: a pool thread loaded this program's module to find ` +
      "a task, and the program went on there after an await (the rest of an async main()), " +
      "which stops here instead of making a pool in every pool thread. Call Threaded.init() " +
      "before the program's first await, or run it under `if (import.meta.main)`",
  );
}
const POOL_THREAD = Symbol.for("threaded-io.poolThread");

/** The tasks' async context on a pool thread (one storage per thread,
 * shared by every copy of the library). Made at its first use, which only
 * a pool thread reaches: node:async_hooks cost 2.3–2.8 ms to import on
 * every thread that loaded the library. */
function taskContext(): AsyncLocalStorage<true> {
  return (context ??= ((globalThis as Record<symbol, unknown>)[
    Symbol.for("threaded-io.taskContext")
  ] ??= new (
    import.meta.require("node:async_hooks") as typeof import("node:async_hooks")
  ).AsyncLocalStorage<true>()) as AsyncLocalStorage<true>);
}
let context: AsyncLocalStorage<true> | undefined;

/** Runs a pool thread's task loop in the tasks' context: one `run` for the
 * thread's life, nothing per task. */
export function runAsTasks<T>(loop: () => T): T {
  return taskContext().run(true, loop);
}

/** On a pool thread, whether the code running now is the program's own (a
 * module's evaluation, or what it started), not a task's. */
export function inProgramCode(): boolean {
  return (
    (globalThis as Record<symbol, unknown>)[POOL_THREAD] === true &&
    taskContext().getStore() !== true
  );
}

/** A stop was thrown in the program's code on this thread. */
let ghostStopped = false;

type ConsoleMethod = "error" | "warn" | "log" | "info" | "debug";
const consoleMethods: readonly ConsoleMethod[] = ["error", "warn", "log", "info", "debug"];

/**
 * On a pool thread, the program's own code must not act: `main().catch((e)
 * => { console.error(e); process.exit(1) })` (an async main calling
 * Threaded.init()) would print the stop in every pool thread and end the
 * pool threads, failing the main thread's tasks (an async handler that
 * flushed a log first ended the whole program with 1, 5 of 5). So, from the
 * first load on, for good: console calls that mention the stop are dropped,
 * and so is anything the program's code prints while this thread loads a
 * module to find a task (a `console.log` above `Threaded.init()` in a
 * `main()` printed once more per pool thread) or once a stop was thrown in
 * it here; `process.exit` from the program's code does nothing (from a task
 * it still ends the thread). A `finally` of the program still runs: README
 * asks for `if (import.meta.main)`.
 */
function guardProgramCode(): void {
  if (guarded || (globalThis as Record<symbol, unknown>)[POOL_THREAD] !== true) return;
  guarded = true;
  libraryError = console.error.bind(console);
  for (const m of consoleMethods) {
    const original = console[m] as (...args: unknown[]) => void;
    console[m] = (...args: unknown[]) => {
      if (args.some(isStop) || ((ghostStopped || taskModuleLoading() !== null) && inProgramCode()))
        return;
      original.apply(console, args);
    };
  }
  const exit = process.exit;
  process.exit = ((code?: number) =>
    inProgramCode() ? undefined : exit.call(process, code)) as typeof process.exit;
}
let guarded = false;
let libraryError: ((...args: unknown[]) => void) | undefined;

/** The library's own reports (left_behind.ts, unseen_failures.ts) on
 * stderr, past the guard: whatever context they run in, they are not the
 * program's. */
export function reportError(text: string): void {
  (libraryError ?? console.error)(text);
}

/** The module this thread is loading to find a task, or null. Read by
 * `Threaded.init()`, which refuses to make a pool there. */
export function taskModuleLoading(): string | null {
  return (globalThis as Record<symbol, string | null | undefined>)[LOADING] ?? null;
}

// Thread-global, not this copy's: with two copies of the library loaded, a
// task module that imports the other copy and calls its Threaded.init()
// must stop there too, or every pool thread makes a pool.
const LOADING = Symbol.for("threaded-io.taskModuleLoading");
function setLoading(url: string | null): void {
  (globalThis as Record<symbol, string | null>)[LOADING] = url;
}
/** Modules whose load failed on this thread, and the error their tasks get. */
const failedLoads = new Map<string, TypeError>();
/** Modules this thread stopped loading early (their later bindings are unset). */
const stopped = new Set<string>();

// Bun's refusal of `test`, `describe` and the hooks outside the runner's
// main thread ("Cannot use test in a Worker.", "Cannot use afterAll()
// outside of the test runner. ...").
const TEST_CALL_REFUSED = /^Cannot use \w+(?:\(\))? (?:in a Worker|outside of the test runner)/;

async function load(key: string): Promise<AnyFn> {
  const url = key.slice(0, key.lastIndexOf("#"));
  const name = taskName(key);
  let stoppedAt: string | null = null;
  let initFrom: string | null = null;
  const outer = taskModuleLoading();
  setLoading(url);
  guardProgramCode();
  try {
    // import(), not require(): a module with top-level await must finish
    // evaluating (or stop) before this thread moves on, so no rest of it
    // runs later on this thread's event loop.
    await import(url.includes(":") ? url : Bun.pathToFileURL(url).href);
  } catch (e) {
    // By name too: another copy's Threaded.init() throws its own class.
    if (e instanceof TaskModuleStop || (e instanceof Error && e.name === "TaskModuleStop")) {
      stoppedAt = "Threaded.init()";
      initFrom = (e as Partial<TaskModuleStop>).calledFrom ?? null;
    } else if (e instanceof Error && TEST_CALL_REFUSED.test(e.message)) {
      // Bun's message names the call ("Cannot use describe() in a Worker").
      const call = /^Cannot use (\w+)/.exec(e.message)?.[1];
      stoppedAt = call !== undefined ? `${call}() call` : "test call";
    } else {
      const failure = new TypeError(
        `Loading module "${url}" on a pool thread to find task "${name}" failed: ` +
          `${e instanceof Error ? e.message : String(e)}. Every pool thread loads a task's module; ` +
          "keep task modules free of side effects",
        { cause: e },
      );
      // Remembered only once the module had registered the task before it
      // threw: its evaluation failed, and the task would run from a module
      // that is half there. A module that could not be read (EMFILE) is
      // tried again at the next call, as a new import() would.
      if (registry.has(key)) failedLoads.set(url, failure);
      throw failure;
    }
  } finally {
    setLoading(outer);
  }
  if (stoppedAt !== null) stopped.add(url);
  const fn = registry.get(key);
  if (fn !== undefined) return fn;
  const other = otherCopyWith(key);
  if (other !== undefined) {
    throw new TypeError(
      `Task "${name}" of module "${url}" was registered through another copy of threaded-io ` +
        `(${other.where}) than the one running this pool (${thisCopy.where}), and each copy ` +
        "knows only its own tasks. Import threaded-io from one place: one package (deduplicate " +
        "nested node_modules copies), never both its lib/ sources and its package",
    );
  }
  if (initFrom !== null && frameFile(initFrom) !== urlFile(url)) {
    throw new TypeError(
      `Task "${name}" of "${url}" is not available on a pool thread: loading that module ran ` +
        `Threaded.init() at the top level of "${frameFile(initFrom)}" (${initFrom}), which it ` +
        "imports, and a pool thread stops loading there (else every pool thread would make a " +
        "pool). Keep tasks in modules that do not import the module creating the pool, or " +
        "create the pool under `if (import.meta.main)` or lazily, in a function called when " +
        "it is first needed",
    );
  }
  if (stoppedAt !== null) {
    throw new TypeError(
      `Task "${name}" is defined below the first ${stoppedAt} of "${url}": a pool thread loads ` +
        `that module only up to there. Define tasks above it, run the program under ` +
        "`if (import.meta.main)`, or move the tasks to a module without side effects",
    );
  }
  throw new TypeError(
    `Task "${name}" is not registered by module "${url}" in this thread: a pool thread ` +
      `registers a module's tasks by loading it, so task(import.meta, ${name}) must run at the ` +
      "module's top level, not inside a function (such as main()) or a branch that only the " +
      "calling thread runs. Or it was registered with task() through another copy of " +
      "threaded-io than this pool's",
  );
}

function compile(source: string): AnyFn {
  let fn: unknown;
  try {
    // Indirect eval: global scope, no access to this module's variables.
    fn = (0, eval)(`(${source})`);
  } catch (e) {
    throw new TypeError(
      `A plain function passed as a task could not be compiled from its source (${(e as Error).message}); ` +
        "register it with task(import.meta, fn) instead",
    );
  }
  if (typeof fn !== "function")
    throw new TypeError("A task's source did not evaluate to a function");
  return fn as AnyFn;
}

/** Rewrites a ReferenceError from a source task, or from a task whose
 * module a pool thread stopped loading early, into advice. Never throws:
 * what a task threw may be a Proxy whose traps throw, and a throw here
 * ended the pool thread; such a value is returned as it is. */
export function explainSourceTaskError(key: string, e: unknown): unknown {
  try {
    return explain(key, e);
  } catch {
    return e;
  }
}

function explain(key: string, e: unknown): unknown {
  if (!(e instanceof ReferenceError)) return e;
  if (key.startsWith(SOURCE_PREFIX)) {
    return new ReferenceError(
      `${e.message} in task "${taskName(key)}": a plain function travels as source text and cannot ` +
        "use variables from where it was defined; register it with task(import.meta, fn)",
    );
  }
  const url = key.slice(0, key.lastIndexOf("#"));
  if (stopped.has(url)) {
    return new ReferenceError(
      `${e.message} in task "${taskName(key)}": a pool thread loads "${url}" only up to its first ` +
        "Threaded.init() or test call, so what the task uses must be defined above it (or run the " +
        "program under `if (import.meta.main)`)",
    );
  }
  return e;
}
