// How a task function is named across threads.
//
// `task(import.meta, fn)` registers a module-level function under the key
// "<module URL>#<function name>" and returns it unchanged. A worker that
// meets the key loads the module with `require` (which runs the same
// `task()` call there) and finds the function in its own registry. Keep task
// modules free of side effects: every pool thread loads them.
//
// A plain function that was never registered travels as its source text and
// is compiled once per thread; it cannot use variables from its enclosing
// scope (that fails with an error that says to use task()).
//
// Keys are interned in the heap once per thread and key, as
// [u32 length][utf8]; closures carry the offset, and each thread caches the
// function per offset. Interned keys stay allocated until the heap goes.
import { fileURLToPath } from "node:url";
import type { Heap } from "./heap.ts";
import { TaskKeyLayout } from "./layout.ts";

const TASK_KEY: unique symbol = Symbol.for("threaded-io.taskKey");
const SOURCE_PREFIX = "source:";

type AnyFn = (...args: never[]) => unknown;
type Keyed = AnyFn & { [TASK_KEY]?: string };

const registry = new Map<string, AnyFn>();

/** Registers `fn` as a task of the module `meta` belongs to. */
export function task<F extends AnyFn>(meta: ImportMeta | { url: string }, fn: F): F {
  if (typeof fn !== "function") throw new TypeError("task() takes a function");
  if (!fn.name) throw new TypeError("A task function needs a name: use `function name() {}`");
  const key = `${meta.url}#${fn.name}`;
  const existing = registry.get(key);
  if (existing !== undefined && existing !== fn) {
    throw new TypeError(`Two task functions named "${fn.name}" in module "${meta.url}"`);
  }
  registry.set(key, fn);
  (fn as Keyed)[TASK_KEY] = key;
  return fn;
}

export function taskKey(fn: AnyFn): string {
  if (typeof fn !== "function") throw new TypeError("A task must be a function");
  return (fn as Keyed)[TASK_KEY] ?? SOURCE_PREFIX + fn.toString();
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
    const bytes = encoder.encode(key);
    off = heap.alloc(TaskKeyLayout.BYTES + bytes.length);
    heap.u32[(off + TaskKeyLayout.LENGTH) >> 2] = bytes.length;
    heap.u8.set(bytes, off + TaskKeyLayout.BYTES);
    byKey.set(key, off);
  }
  return off;
}

export function readKey(heap: Heap, off: number): string {
  const len = heap.u32[(off + TaskKeyLayout.LENGTH) >> 2];
  const start = off + TaskKeyLayout.BYTES;
  return decoder.decode(heap.u8.slice(start, start + len));
}

// --- resolving on a pool thread ---------------------------------------------

const resolved = new WeakMap<Heap, Map<number, AnyFn>>();

export function resolveTask(heap: Heap, off: number): AnyFn {
  let byOff = resolved.get(heap);
  if (byOff === undefined) resolved.set(heap, (byOff = new Map()));
  let fn = byOff.get(off);
  if (fn === undefined) {
    fn = lookup(readKey(heap, off));
    byOff.set(off, fn);
  }
  return fn;
}

function lookup(key: string): AnyFn {
  if (key.startsWith(SOURCE_PREFIX)) return compile(key.slice(SOURCE_PREFIX.length));
  const known = registry.get(key);
  if (known !== undefined) return known;
  const url = key.slice(0, key.lastIndexOf("#"));
  const path = url.startsWith("file:") ? fileURLToPath(url) : url;
  require(path); // runs the module's task() calls in this thread
  const fn = registry.get(key);
  if (fn === undefined) {
    throw new TypeError(
      `Task "${taskName(key)}" is not registered by module "${url}" in this thread`,
    );
  }
  return fn;
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

/** Rewrites a ReferenceError from a source task into advice. */
export function explainSourceTaskError(key: string, e: unknown): unknown {
  if (key.startsWith(SOURCE_PREFIX) && e instanceof ReferenceError) {
    return new ReferenceError(
      `${e.message} in task "${taskName(key)}": a plain function travels as source text and cannot ` +
        "use variables from where it was defined; register it with task(import.meta, fn)",
    );
  }
  return e;
}
