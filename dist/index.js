// @bun
// lib/runtime_check.ts
function bunVersionError(version) {
  const [major = 0, minor = 0] = (version ?? "0.0").split(".").map(Number);
  if (major > 1 || major === 1 && minor >= 4)
    return null;
  return `threaded-io needs Bun >= 1.4 and this is Bun ${version ?? "(unknown)"}: upgrade with \`bun upgrade\``;
}
var error = bunVersionError(globalThis.Bun?.version);
if (error !== null)
  throw new Error(error);

// lib/io/errors.ts
class IoError extends Error {
  code;
  constructor(code, details = {}) {
    super(details.message ?? describe(code, details), { cause: details.cause });
    this.name = "IoError";
    this.code = code;
    const self2 = this;
    if (details.errno !== undefined)
      self2.errno = details.errno;
    if (details.syscall !== undefined)
      self2.syscall = details.syscall;
    if (details.path !== undefined)
      self2.path = details.path;
    if (details.address !== undefined)
      self2.address = details.address;
  }
  static is(e, ...codes) {
    return e instanceof IoError && (codes.length === 0 || codes.includes(e.code));
  }
}
var towards = new Set(["connect", "bind", "sendto", "sendmsg", "sendmmsg"]);
function describe(code, d) {
  if (d.syscall === undefined) {
    const subject = d.path !== undefined ? `"${d.path}"` : d.address;
    return subject === undefined ? code : `${code}: ${subject}`;
  }
  let text = `${code}: ${d.syscall}`;
  const subject = d.path !== undefined ? `"${d.path}"` : d.address;
  if (subject !== undefined)
    text += towards.has(d.syscall) ? ` to ${subject}` : ` ${subject}`;
  if (d.errno !== undefined)
    text += ` failed (${d.errno})`;
  return text;
}

class Canceled extends IoError {
  constructor(details = {}) {
    super("Canceled", details);
    this.name = "Canceled";
  }
}

class BugError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = "BugError";
    const self2 = this;
    if (details.errno !== undefined)
      self2.errno = details.errno;
    if (details.syscall !== undefined)
      self2.syscall = details.syscall;
  }
}
var debug = (() => {
  const flag = process.env.THREADED_IO_DEBUG;
  if (flag === "1" || flag === "true")
    return true;
  if (flag === "0" || flag === "false")
    return false;
  return true;
})();

// lib/substrate/safe_read.ts
function isInstance(v, C) {
  try {
    return v instanceof C;
  } catch {
    return false;
  }
}
function describeThrown(v, max = 200) {
  try {
    const s = v instanceof Error ? `${v.name}: ${v.message}` : String(v);
    return s.length > max ? `${s.slice(0, max)}\u2026` : s;
  } catch {
    return "a value that throws when it is read (a Proxy's trap or a getter)";
  }
}

// lib/substrate/layout.ts
var Header = {
  MAGIC: 0,
  LOCK: 4,
  TOP: 8,
  LIVE_BYTES: 12,
  LIVE_BLOCKS: 16,
  THREAD_COUNT: 20,
  CLOSED: 24,
  FREE_LISTS: 64
};
var HEAP_MAGIC = 1213155668;
var MIN_CLASS_SHIFT = 4;
var SIZE_CLASSES = 28;
var ThreadTable = {
  OFFSET: 256,
  MAX_THREADS: 1024,
  ENTRY_BYTES: 8
};
var ThreadState = {
  CURRENT: ThreadTable.OFFSET + ThreadTable.MAX_THREADS * ThreadTable.ENTRY_BYTES + 256,
  FLAGS: ThreadTable.OFFSET + ThreadTable.MAX_THREADS * ThreadTable.ENTRY_BYTES + 256 + ThreadTable.MAX_THREADS * 4,
  POOL_THREAD: 1,
  STARTING: 2,
  REQUESTED: 4,
  HOSTED: 8,
  CLOSED: 16
};
var PoolBlock = {
  OFFSET: ThreadTable.OFFSET + ThreadTable.MAX_THREADS * ThreadTable.ENTRY_BYTES,
  BYTES: 256
};
var ARENA_OFFSET = 20480;
var Block = {
  HEADER_BYTES: 16,
  CLASS: 0,
  SIZE: 4,
  GEN: 8,
  SEAL: 12,
  ALLOCATED: 256,
  CLASS_MASK: 255,
  KIND_SHIFT: 16
};
var BLOCK_SEAL = 1581363468;
var BlockKind = {
  DATA: 0,
  MUTEX: 1,
  CONDITION: 2,
  RESET_EVENT: 3,
  GROUP: 4,
  QUEUE: 5,
  CLOSURE: 6
};
var GEN_BEFORE_PAYLOAD = Block.HEADER_BYTES - Block.GEN;
var MutexLayout = { BYTES: 4, STATE: 0 };
var ConditionLayout = { BYTES: 8, STATE: 0, EPOCH: 4 };
var ResetEventLayout = { BYTES: 8, STATE: 0, WAITERS: 4 };
var HostState = {
  NONE: 0,
  STARTING: -1,
  WANTED: -2,
  FAILED: -3
};
var Pool = {
  LOCK: 0,
  QUEUE_HEAD: 4,
  QUEUE_TAIL: 8,
  BUSY: 12,
  POOL_SIZE: 16,
  JOIN: 20,
  ASYNC_LIMIT: 24,
  CONCURRENT_LIMIT: 28,
  LIVE: 32,
  SPAWNED_TOTAL: 36,
  INITIALIZED: 40,
  DISPATCHED_TOTAL: 44,
  IDLE_TIMEOUT_MS: 48,
  RETIRED_TOTAL: 52,
  THREAD_CAP: 56,
  QUEUED: 60,
  TRACE: 64,
  TRACE_DIR: 68,
  WORK_SEQ: 128,
  SLEEPERS: 132,
  INLINE_TOTAL: 192,
  CANCELS_REQUESTED: 196,
  CANCEL_SIGNALS: 200,
  CANCELS_DELIVERED: 204,
  LOCK_TAKEOVERS: 208,
  START_SEQ: 212,
  SPAWN_HOST: 216,
  SPAWN_REQUESTS: 220,
  SPAWN_HOST_SINCE: 224,
  TASK_KEYS: 228,
  START_FAILURES: 232,
  THREAD_LIST: 236
};
var UNLIMITED = 4294967295 | 0;
var Closure = {
  NEXT: 0,
  CANCEL: 4,
  DONE: 8,
  SELECT: 12,
  KIND: 16,
  TASK: 20,
  GROUP: 24,
  SIBLING: 28,
  ARGS_FORMAT: 32,
  ARGS_LENGTH: 36,
  HANDED_OFF: 40,
  RESULT_KIND: 64,
  RESULT_FORMAT: 68,
  RESULT_NUMBER: 72,
  RESULT_BLOCK: 80,
  HEADER_BYTES: 88
};
var KIND_ASYNC = 1;
var KIND_GROUP = 2;
var KIND_GROUP_INLINE = 3;
var SELECT_DONE = 1;
var RESULT_VALUE = 1;
var RESULT_ERROR = 2;
var RESULT_DIED = 3;
var RESULT_TOO_LARGE = 4;
var Format = {
  NONE: 0,
  UNDEFINED: 1,
  NUMBER: 2,
  NUMBERS: 3,
  JSC: 4,
  MIXED: 5
};
var GroupLayout = {
  BYTES: 12,
  STATE: 0,
  TOKEN: 4,
  ERRORS: 8
};
var GROUP_IS_WAITING = 1;
var GROUP_ONE_PENDING = 2;
var TraceDirLayout = {
  SESSION: 0,
  CAPACITY: 4,
  START_NS: 8,
  SLOTS: 16,
  RINGS: 64,
  BYTES: 64 + ThreadTable.MAX_THREADS * 4
};
var TraceRingLayout = {
  COUNT: 0,
  SESSION: 4,
  THREAD: 8,
  POOL_THREAD: 12,
  EVENTS: 64,
  EVENT_BYTES: 32,
  HEADER_SLOTS: 4,
  TS: 0,
  DUR: 8,
  KIND: 16,
  A0: 20,
  A1: 24,
  A2: 28
};
var TaskKeyLayout = { NEXT: 0, LENGTH: 4, BYTES: 8 };
var QueueLayout = {
  BYTES: 40,
  MUTEX: 0,
  CAPACITY: 4,
  START: 8,
  LEN: 12,
  PUTTERS_HEAD: 16,
  PUTTERS_TAIL: 20,
  GETTERS_HEAD: 24,
  GETTERS_TAIL: 28,
  RING: 32,
  INSIDE: 36
};
var WaiterLayout = {
  BYTES: 32,
  NEXT: 0,
  COND: 4,
  TOKENS: 12,
  POS: 16,
  END: 20,
  MIN: 24,
  ORPHAN: 28
};
var ElementLayout = { FORMAT: 0, LENGTH: 4, PAYLOAD: 8 };

// lib/substrate/handle.ts
var EMBEDDED = -1;
var FREED_HERE = 0;
var INTERNAL = Symbol("threaded-io internal");
function heapHandle(Class, heap, ref, gen) {
  return new Class(INTERNAL, heap, ref, gen);
}
function checkInternal(key, kind) {
  if (key !== INTERNAL) {
    throw new BugError(`${kind} has no public constructor: use ${kind === "Future" ? "io.async or io.concurrent" : `${kind}.init`} (objects cross to tasks as arguments)`);
  }
}
function checkRef(heap, ref, gen, kind, name, staleOk = false) {
  if (gen === undefined) {
    throw new BugError(`${name}.from needs the generation its handle carried (gen): without it a stale reference could not be told from a live one`);
  }
  if (typeof gen !== "number" || !Number.isInteger(gen) || gen < 1 || gen > 4294967295 || gen % 2 === 0) {
    throw new BugError(`${name}.from: generation ${String(gen)} is not a live handle's generation (an odd u32, as the handle carried it)`);
  }
  const block = ref - Block.HEADER_BYTES;
  const u32 = heap.u32;
  if (typeof ref !== "number" || !Number.isInteger(ref) || block < ARENA_OFFSET || (block - ARENA_OFFSET) % Block.HEADER_BYTES !== 0 || ref > Atomics.load(heap.i32, Header.TOP >> 2) || u32[block + Block.SEAL >> 2] !== (block ^ BLOCK_SEAL) >>> 0) {
    throw new BugError(`${name}.from: ${String(ref)} is not a ${name} of this heap (no heap block starts there)`);
  }
  if (u32[block + Block.GEN >> 2] !== gen || heap.closed) {
    if (staleOk)
      return;
    throw staleHandle(heap, gen, name);
  }
  if ((u32[block + Block.CLASS >> 2] >>> Block.KIND_SHIFT & 255) !== kind) {
    throw new BugError(`${name}.from: ${ref} is not a ${name} (its block holds another kind of object)`);
  }
}
function isLive(heap, ref, gen) {
  const u32 = heap.u32;
  return u32[ref - GEN_BEFORE_PAYLOAD >> 2] === gen && u32[Header.CLOSED >> 2] === 0;
}
function checkHandle(heap, ref, gen, kind) {
  if (gen === EMBEDDED || isLive(heap, ref, gen))
    return;
  throw staleHandle(heap, gen, kind);
}
function staleHandle(heap, gen, kind) {
  if (heap.closed) {
    return new BugError(`${kind} used after its Threaded instance was deinitialized (threaded.deinit())`);
  }
  if (gen === FREED_HERE) {
    return new BugError(`${kind} used after it was deinitialized (deinit or dispose)`);
  }
  return new BugError(`${kind} used after it was freed (deinit or dispose on some thread); its memory may now hold another object`);
}
function checkSameHeap(heap, other, kind) {
  if (other !== heap && other.sab !== heap.sab) {
    throw new BugError(`${kind} belongs to another Threaded instance than the io it was used with`);
  }
}

// lib/substrate/crossing.ts
var crossing = "passed to a task";
var owner = 0;
var ownerHeap;
var KIND_NAMES = {
  io: "Io",
  mutex: "Mutex",
  condition: "Condition",
  reset_event: "ResetEvent",
  group: "Group",
  queue: "Queue",
  bytes: "SharedBytes",
  file: "File",
  dir: "Dir"
};
function checkOwner(kind, heapBase) {
  if (owner === 0 || heapBase === owner)
    return;
  throw new BugError(`${KIND_NAMES[kind]} belongs to another Threaded instance: it cannot be ${crossing} ` + "of this one (a shared object works only with the instance that made it)");
}
function enterCrossing(where, heap) {
  saved.push(crossing, ownerHeap);
  crossing = where;
  ownerHeap = heap;
  owner = heap?.base ?? 0;
}
function leaveCrossing() {
  ownerHeap = saved.pop();
  owner = ownerHeap?.base ?? 0;
  crossing = saved.pop();
}
var saved = [];
function crossingHeap() {
  return ownerHeap;
}
var fromHeap;
var fromSaved = [];
function enterReviving(heap) {
  fromSaved.push(fromHeap);
  fromHeap = heap;
}
function leaveReviving() {
  fromHeap = fromSaved.pop();
}
function revivingHeap() {
  return fromHeap;
}
var STAYS_ON_THREAD = Symbol("threaded-io.staysOnThread");
var DISPLAY_NAME = Symbol("threaded-io.displayName");
function staysOnThread(v) {
  if (typeof v !== "object" || v === null)
    return;
  const why = v[STAYS_ON_THREAD];
  return typeof why === "string" ? why : undefined;
}
var FUNCTION_REFUSAL = Symbol("threaded-io.functionRefusal");
function refuseFunction(path = "") {
  const e = new TypeError(`A function${path === "" ? "" : ` (at ${path})`} cannot be ${crossing}: ` + (crossing === "passed to a task" ? "pass a task() function by its module instead" : "only data crosses between threads"));
  e[FUNCTION_REFUSAL] = true;
  return e;
}
function isFunctionRefusal(e) {
  return typeof e === "object" && e !== null && FUNCTION_REFUSAL in e;
}
function refuseSharedMemory(v) {
  if (v instanceof SharedArrayBuffer || ArrayBuffer.isView(v) && v.buffer instanceof SharedArrayBuffer) {
    throw new TypeError(`A SharedArrayBuffer cannot be ${crossing}: it would arrive as a copy, so neither ` + "thread would see the other's writes. Allocate shared memory with " + "SharedBytes.alloc(io, length) and pass that instead; to send the data as a copy, " + "pass an ArrayBuffer or a typed array over one");
  }
}
function refuseUncloneable(cause, located) {
  const what = located === null ? "A value" : `${describeValue(located.value)}${located.path === "" ? "" : ` (at ${located.path})`}`;
  const stays = located === null ? undefined : staysOnThread(located.value);
  if (stays !== undefined)
    return new TypeError(`${what} cannot be ${crossing}: it stays on its thread; ${stays}`, {
      cause
    });
  return new TypeError(`${what} cannot be ${crossing}: it is not data that can be copied to another thread ` + `(${cause?.message ?? String(cause)})`, { cause });
}
var article = (noun) => `${/^[AEIOUaeiou]/.test(noun) ? "An" : "A"} ${noun}`;
function describeValue(v) {
  if (typeof v === "symbol")
    return "A symbol";
  if (typeof v === "object" && v !== null) {
    const shown = v[DISPLAY_NAME];
    if (typeof shown === "string")
      return article(shown);
    const name = v.constructor?.name;
    return typeof name === "string" && name !== "" ? article(name) : "An object";
  }
  return article(typeof v);
}

// lib/io/validate.ts
var MAX_OFFSET = 0x7fffffffffffffffn;
var MIN_DELTA = -0x8000000000000000n;
var TWO_63 = 2 ** 63;
var MAX_HANDLE = 2147483647;
var MAX_U32 = 4294967295;
function show(v) {
  if (typeof v === "string")
    return JSON.stringify(v);
  if (typeof v === "bigint")
    return `"${v}n"`;
  if (typeof v === "number")
    return Object.is(v, -0) ? '"-0"' : `"${v}"`;
  return `"${String(v)}"`;
}
function outOfRange(what, v, min, max) {
  if (typeof v !== "number" && typeof v !== "bigint")
    return new TypeError(`${what} ${show(v)} is not a number`);
  return new RangeError(`${what} ${show(v)} is out of range: an integer from ${min} to ${max}`);
}
function checkOffset(v, what = "Offset") {
  if (typeof v === "number") {
    if (v >= 0 && v < TWO_63 && Number.isInteger(v))
      return;
  } else if (typeof v === "bigint" && v >= 0n && v <= MAX_OFFSET)
    return;
  throw outOfRange(what, v, 0, MAX_OFFSET);
}
function checkTransfer(v, bufs) {
  if (typeof v === "number" && v >= 0 && v <= Number.MAX_SAFE_INTEGER && Number.isInteger(v))
    return;
  checkOffset(v);
  let length = 0;
  for (const b of bufs)
    length += b.length;
  const max = MAX_OFFSET - BigInt(length);
  if (BigInt(v) > max)
    throw outOfRange(`Offset of ${length} bytes`, v, 0, max);
}
function checkDelta(v, what = "Seek offset") {
  if (typeof v === "number") {
    if (v >= -TWO_63 && v < TWO_63 && Number.isInteger(v))
      return;
  } else if (typeof v === "bigint" && v >= MIN_DELTA && v <= MAX_OFFSET)
    return;
  throw outOfRange(what, v, MIN_DELTA, MAX_OFFSET);
}
function checkCount(v, what, min = 0, max = Number.MAX_SAFE_INTEGER) {
  if (typeof v === "number" && v >= min && v <= max && Number.isInteger(v))
    return;
  throw outOfRange(what, v, min, max);
}
function checkPort(v) {
  if (typeof v === "number" && v >= 0 && v <= 65535 && Number.isInteger(v))
    return;
  throw outOfRange("Port", v, 0, 65535);
}
function checkHandle2(v, what = "Handle") {
  if (typeof v === "number" && v >= 0 && v <= MAX_HANDLE && Number.isInteger(v))
    return;
  throw outOfRange(what, v, 0, MAX_HANDLE);
}
function asBytes(v, what) {
  if (ArrayBuffer.isView(v))
    return v instanceof Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw notBytes(v, what);
}
function asByteList(v, what) {
  if (ArrayBuffer.isView(v))
    return [v instanceof Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength)];
  if (!Array.isArray(v))
    throw notBytes(v, what);
  let list = v;
  for (let i = 0;i < v.length; i++) {
    const b = v[i];
    if (ArrayBuffer.isView(b) && b instanceof Uint8Array)
      continue;
    const bytes = asBytes(b, `${what}[${i}]`);
    if (list === v)
      list = v.slice();
    list[i] = bytes;
  }
  return list;
}
function notBytes(v, what) {
  const kind = v instanceof Uint8Array ? "an object made from Uint8Array.prototype" : describe2(v);
  return new TypeError(`${what} is ${kind}, not a Uint8Array or other ArrayBufferView` + (typeof v === "string" ? " (encode a string first: new TextEncoder().encode(s))" : ""));
}
function describe2(v) {
  if (v === null)
    return "null";
  if (typeof v === "object" || typeof v === "function") {
    const name = v.constructor?.name;
    if (typeof name === "string" && name !== "Object" && name !== "")
      return /^[AEIO]/.test(name) ? `an ${name}` : `a ${name}`;
    return typeof v === "function" ? "a function" : "an object";
  }
  if (v === undefined)
    return "undefined";
  const t = typeof v;
  return `${/^[aeiou]/.test(t) ? "an" : "a"} ${t} ${show(v)}`;
}
function checkString(v, what) {
  if (typeof v !== "string")
    throw new TypeError(`${what} is ${describe2(v)}, not a string`);
}

// lib/io/io_arg.ts
function checkIo(io, kind) {
  if (typeof io !== "object" || io === null || typeof io.sharedHeap !== "function")
    throw new TypeError(`${kind} takes the Io (threaded.io()) as its first argument, not ${describe2(io)}`);
}
function checkLiveIo(io, kind) {
  checkIo(io, kind);
  try {
    io.sharedHeap();
  } catch {
    throw new BugError(`${kind}: this io's Threaded instance is deinitialized (threaded.deinit() was called): ` + "nothing was closed; close it with a live instance's io");
  }
}
function heapOf(io, kind) {
  checkIo(io, kind);
  return io.sharedHeap();
}

// lib/io/future.ts
class Future {
  io;
  closure;
  inline;
  gen;
  outcome;
  pendingAsync;
  aborts;
  constructor(key, io, closure, outcome, inline, gen = 0) {
    this.io = io;
    this.closure = closure;
    this.inline = inline;
    this.gen = gen;
    checkInternal(key, "Future");
    this.outcome = outcome;
    if (outcome !== undefined && !outcome.ok)
      noteFailure(this, outcome.value);
    if (inline !== undefined) {
      inline.then((value) => this.outcome ??= { ok: true, value }, (value) => {
        if (this.outcome !== undefined)
          return;
        this.outcome = { ok: false, value };
        noteFailure(this, value);
      });
    }
  }
  get pendingClosure() {
    return this.outcome === undefined ? this.closure : 0;
  }
  get settled() {
    return this.outcome !== undefined || this.closure !== 0 && this.io.vtable.isDone(this.io.userdata, this);
  }
  await(io = this.io) {
    if (io !== this.io)
      checkIo(io, "future.await");
    if (unseenFailures.size !== 0)
      unseenFailures.delete(this);
    return unwrap(this.outcome ??= this.take(() => io.vtable.await(io.userdata, this)));
  }
  cancel(io = this.io) {
    if (io !== this.io)
      checkIo(io, "future.cancel");
    if (unseenFailures.size !== 0)
      unseenFailures.delete(this);
    return unwrap(this.outcome ??= this.take(() => io.vtable.cancel(io.userdata, this)));
  }
  requestCancel(io = this.io) {
    if (io !== this.io)
      checkIo(io, "future.requestCancel");
    if (this.outcome !== undefined || this.closure === 0)
      return;
    io.vtable.requestCancel(io.userdata, this);
  }
  awaitAsync() {
    return this.then();
  }
  then(onFulfilled, onRejected) {
    return this.outcomeAsync().then((o) => {
      this.outcome ??= o;
      if (unseenFailures.size !== 0)
        unseenFailures.delete(this);
      this.detachAbort();
      const { ok, value } = this.outcome;
      if (ok)
        return typeof onFulfilled === "function" ? onFulfilled(value) : value;
      if (typeof onRejected === "function")
        return onRejected(value);
      throw value;
    }, onRejected);
  }
  catch(onRejected) {
    return this.then(undefined, onRejected);
  }
  finally(onFinally) {
    return this.then().finally(onFinally);
  }
  outcomeAsync() {
    if (this.outcome !== undefined)
      return Promise.resolve(this.outcome);
    if (this.inline !== undefined) {
      return this.inline.then((value) => ({ ok: true, value }), (value) => ({ ok: false, value }));
    }
    try {
      return this.pendingAsync ??= this.io.vtable.awaitAsync(this.io.userdata, this);
    } catch (e) {
      return Promise.reject(e);
    }
  }
  cancelOn(signal) {
    if (this.outcome !== undefined || this.closure === 0)
      return this;
    if (signal.aborted) {
      this.io.vtable.requestCancel(this.io.userdata, this);
      return this;
    }
    const listener = () => {
      if (this.inHeap())
        this.io.vtable.requestCancel(this.io.userdata, this);
    };
    signal.addEventListener("abort", listener, { once: true });
    (this.aborts ??= []).push({ signal, listener });
    return this;
  }
  inHeap() {
    if (this.outcome !== undefined || this.closure === 0)
      return false;
    let heap;
    try {
      heap = this.io.sharedHeap();
    } catch {
      return false;
    }
    return isLive(heap, this.closure, this.gen);
  }
  [Symbol.dispose]() {
    if (unseenFailures.size !== 0)
      unseenFailures.delete(this);
    if (this.outcome !== undefined || this.closure === 0)
      return;
    if (this.pendingAsync !== undefined) {
      this.io.vtable.requestCancel(this.io.userdata, this);
      return;
    }
    try {
      this.cancel(this.io);
    } catch (e) {
      if (e instanceof BugError)
        throw e;
    }
  }
  [Symbol.for("nodejs.util.inspect.custom")](depth, options, inspect) {
    if (typeof depth === "number" && depth < 0)
      return "[Future]";
    const o = this.outcome;
    if (o === undefined)
      return "Future { <pending> }";
    if (inspecting.has(this))
      return "[Circular Future]";
    inspecting.add(this);
    try {
      const inner = inspect(o.value, {
        ...options,
        depth: typeof depth === "number" ? depth - 1 : depth
      });
      return `Future { ${o.ok ? "" : "<rejected> "}${inner} }`;
    } finally {
      inspecting.delete(this);
    }
  }
  take(wait) {
    if (this.inline !== undefined) {
      throw new BugError("An async task ran inline (the async limit was reached) and has not settled: " + "a blocking await cannot wait for it; use `await future` or awaitAsync()");
    }
    const o = wait();
    this.detachAbort();
    return o;
  }
  detachAbort() {
    if (this.aborts === undefined)
      return;
    for (const { signal, listener } of this.aborts)
      signal.removeEventListener("abort", listener);
    this.aborts = undefined;
  }
}
Object.defineProperty(Future.prototype, STAYS_ON_THREAD, {
  value: "await it where it was made and pass its value"
});
Object.defineProperty(Future.prototype, DISPLAY_NAME, { value: "Future" });
var inspecting = new Set;
var SETTLED_PROTO = Object.create(Future.prototype, {
  constructor: { value: Promise, writable: true, configurable: true },
  closure: { value: 0, writable: true },
  gen: { value: 0, writable: true },
  inline: { value: undefined, writable: true },
  pendingAsync: { value: undefined, writable: true },
  aborts: { value: undefined, writable: true }
});
var unseenFailures = new Set;
var MAX_UNSEEN = 1000;
var onUnseen = () => {};
function whenFailureUnseen(fn) {
  onUnseen = fn;
}
function noteFailure(f, value) {
  if (isInstance(value, Canceled))
    return;
  if (unseenFailures.size >= MAX_UNSEEN) {
    unseenDropped.set(f.io.userdata, (unseenDropped.get(f.io.userdata) ?? 0) + 1);
    return;
  }
  unseenFailures.add(f);
  onUnseen();
}
var unseenDropped = new Map;
var unseenNames = new WeakMap;
function nameIfUnseen(f, name) {
  if (unseenFailures.has(f))
    unseenNames.set(f, name);
}
function failureOf(f) {
  return [f["outcome"]?.value, unseenNames.get(f) ?? ""];
}
function unwrap(o) {
  if (o.ok)
    return o.value;
  throw o.value;
}
function newFuture(io, closure, outcome, inline, gen = 0) {
  return new Future(INTERNAL, io, closure, outcome, inline, gen);
}
function settledFuture(io, o) {
  const v = o.value;
  if (!o.ok || typeof v === "object" && v !== null && "then" in v)
    return newFuture(io, 0, o);
  const f = Promise.resolve(v);
  Object.setPrototypeOf(f, SETTLED_PROTO);
  f.io = io;
  f.outcome = o;
  return f;
}
function settleFuture(f, o) {
  f.outcome ??= o;
}
function keptOutcome(f) {
  return f.outcome;
}
function awaitingAsync(f) {
  return f.pendingAsync !== undefined;
}

// lib/substrate/keep_alive.ts
var POLL_MIN_MS = 50;
var POLL_MAX_MS = 800;
var holders = new Set;
var unrefHeaps = new WeakSet;
var refs = 0;
var timer;
var period = POLL_MIN_MS;
function counts(h) {
  return h.off !== undefined || !unrefHeaps.has(h.heap);
}
function tick() {
  timer = undefined;
  for (const h of holders) {
    let keep = false;
    try {
      keep = h.poll();
    } catch {
      keep = false;
    }
    if (!keep)
      release(h);
  }
  if (holders.size === 0 || timer !== undefined)
    return;
  period = Math.min(period * 2, POLL_MAX_MS);
  arm();
}
function arm() {
  timer = setTimeout(tick, period);
  if (refs === 0)
    timer.unref();
}
function hold(h) {
  if (holders.has(h))
    return;
  holders.add(h);
  if (counts(h))
    refs++;
  if (timer === undefined) {
    if (!armQueued) {
      armQueued = true;
      queueMicrotask(armSoon);
    }
  } else if (refs === 1 && counts(h))
    timer.ref();
}
var armQueued = false;
function armSoon() {
  queueMicrotask(armNow);
}
function armNow() {
  armQueued = false;
  if (timer !== undefined || holders.size === 0)
    return;
  period = POLL_MIN_MS;
  arm();
}
function release(h) {
  if (!holders.delete(h))
    return;
  if (counts(h) && --refs === 0)
    timer?.unref();
}
function setKeepAlive(heap, keep) {
  if (keep === !unrefHeaps.has(heap))
    return;
  if (keep)
    unrefHeaps.delete(heap);
  else
    unrefHeaps.add(heap);
  refs = 0;
  for (const h of holders)
    if (counts(h))
      refs++;
  if (timer === undefined)
    return;
  if (refs > 0)
    timer.ref();
  else
    timer.unref();
}
var neverDone = () => true;
function waitWordAsync(heap, off, expect, check) {
  return new Promise((resolve, reject) => onWordChange(heap, off, expect, check, (e) => e === undefined ? resolve() : reject(e)));
}
function onWordChange(heap, off, expect, check, done) {
  const r = Atomics.waitAsync(heap.i32, off >> 2, expect | 0);
  if (!r.async)
    return done();
  const addr = heap.base + off;
  waitsHere.set(addr, (waitsHere.get(addr) ?? 0) + 1);
  const holder = {
    heap,
    off,
    poll: check === undefined ? neverDone : () => {
      check();
      return true;
    }
  };
  hold(holder);
  r.value.then(() => {
    release(holder);
    const left = waitsHere.get(addr) - 1;
    if (left === 0)
      waitsHere.delete(addr);
    else
      waitsHere.set(addr, left);
    if (heap.closed && Atomics.load(heap.i32, off >> 2) === (expect | 0)) {
      done(new BugError("An async wait (a queue, mutex, condition or event of this Threaded instance) was pending when the instance was deinitialized (threaded.deinit())"));
    } else
      done();
  });
}
var waitsHere = new Map;
function asyncWaitsHere(heap, off) {
  return waitsHere.size === 0 ? 0 : waitsHere.get(heap.base + off) ?? 0;
}
function wakeAsyncWaiters(heap) {
  for (const h of holders)
    if (h.heap === heap && h.off !== undefined)
      Atomics.notify(heap.i32, h.off >> 2);
}

// lib/io/shared.ts
var SHARED_REF = Symbol.for("threaded-io.sharedRef");
function isShared(v) {
  return typeof v === "object" && v !== null && typeof v[SHARED_REF] === "function";
}

// lib/ffi/shim.ts
import { CFunction, FFIType as FFIType2, cc, read } from "bun:ffi";

// lib/ffi/symbols.ts
import { FFIType } from "bun:ffi";
var { ptr, i32, i64, u64, u64_fast, i64_fast, f64, void: none } = FFIType;
var symbols = {
  tio_futex_wait: { args: [ptr, i64], returns: i32 },
  tio_futex_wait_timeout: { args: [ptr, i64, i64], returns: i32 },
  tio_futex_wake: { args: [ptr, i64], returns: i32 },
  tio_signals_install: { args: [i64], returns: i32 },
  tio_signals_restore: { args: [], returns: i32 },
  tio_signals_check: { args: [], returns: i32 },
  tio_signals_users: { args: [], returns: i64_fast },
  tio_thread_self: { args: [], returns: u64_fast },
  tio_thread_kill: { args: [u64, i64], returns: i32 },
  tio_thread_handle: { args: [], returns: u64_fast },
  tio_thread_signal: { args: [u64, i64], returns: i32 },
  tio_thread_set_name: { args: [ptr], returns: i32 },
  tio_thread_os_id: { args: [], returns: i64_fast },
  tio_sched_yield: { args: [], returns: i32 },
  tio_cpus_allowed: { args: [], returns: i64_fast },
  tio_watchdog_add: { args: [ptr, i64, u64], returns: i32 },
  tio_watchdog_settle: { args: [ptr, i64], returns: none },
  tio_watchdog_forget_range: { args: [ptr, ptr], returns: none },
  tio_watchdog_pending: { args: [], returns: i32 },
  tio_watchdog_signals_sent: { args: [], returns: f64 },
  tio_clock_gettime: { args: [i64, ptr], returns: i32 },
  tio_sleep: { args: [i64, i64, ptr], returns: i32 },
  tio_close: { args: [i64], returns: i32 },
  tio_std_close_claim: { args: [i64], returns: i64_fast },
  tio_std_closed: { args: [i64], returns: i64_fast },
  tio_pipe: { args: [ptr], returns: i32 },
  tio_read: { args: [i64, ptr, i64], returns: i64_fast },
  tio_write: { args: [i64, ptr, i64], returns: i64_fast },
  tio_pread: { args: [i64, ptr, i64, i64], returns: i64_fast },
  tio_pwrite: { args: [i64, ptr, i64, i64], returns: i64_fast },
  tio_openat: { args: [i64, ptr, i64, i64], returns: i32 },
  tio_mkdirat: { args: [i64, ptr, i64], returns: i32 },
  tio_faccessat: { args: [i64, ptr, i64, i64], returns: i32 },
  tio_statx: { args: [i64, ptr, i64, i64, ptr], returns: i32 },
  tio_fstatat: { args: [i64, ptr, ptr, i64], returns: i32 },
  tio_fstat: { args: [i64, ptr], returns: i32 },
  tio_flock: { args: [i64, i64], returns: i32 },
  tio_ftruncate: { args: [i64, i64], returns: i32 },
  tio_fcntl: { args: [i64, i64, i64], returns: i64_fast },
  tio_readv: { args: [i64, ptr, i64], returns: i64_fast },
  tio_preadv: { args: [i64, ptr, i64, i64], returns: i64_fast },
  tio_writev: { args: [i64, ptr, i64], returns: i64_fast },
  tio_pwritev: { args: [i64, ptr, i64, i64], returns: i64_fast },
  tio_lseek: { args: [i64, i64, i64], returns: i64_fast },
  tio_mkfifoat: { args: [i64, ptr, i64], returns: i32 },
  tio_getdents64: { args: [i64, ptr, i64], returns: i64_fast },
  tio_open_read: { args: [i64, ptr, i64, ptr, i64, ptr], returns: i64_fast },
  tio_socket: { args: [i64, i64, i64], returns: i32 },
  tio_bind: { args: [i64, ptr, i64], returns: i32 },
  tio_listen: { args: [i64, i64], returns: i32 },
  tio_accept: { args: [i64, ptr, ptr, i64], returns: i32 },
  tio_connect: { args: [i64, ptr, i64], returns: i32 },
  tio_getsockname: { args: [i64, ptr, ptr], returns: i32 },
  tio_setsockopt_int: { args: [i64, i64, i64, i64], returns: i32 },
  tio_getsockopt_int: { args: [i64, i64, i64], returns: i32 },
  tio_sendmsg: { args: [i64, ptr, i64], returns: i64_fast },
  tio_recvmsg: { args: [i64, ptr, i64], returns: i64_fast },
  tio_sendmmsg: { args: [i64, ptr, i64, i64], returns: i32 },
  tio_poll1: { args: [i64, i64, i64], returns: i32 },
  tio_ioctl_ifreq: { args: [i64, i64, ptr], returns: i32 },
  tio_shutdown: { args: [i64, i64], returns: i32 },
  tio_recv: { args: [i64, ptr, i64, i64], returns: i64_fast },
  tio_if_nametoindex: { args: [ptr], returns: i32 },
  tio_if_indextoname: { args: [i64, ptr], returns: i32 },
  tio_mem_table: { args: [], returns: ptr },
  tio_mem_alloc: { args: [i64, i64], returns: i64_fast },
  tio_mem_trim: { args: [], returns: none },
  tio_mem_view: { args: [i64], returns: ptr },
  tio_mem_address: { args: [i64], returns: ptr },
  tio_mem_free: { args: [i64], returns: i64_fast },
  tio_mem_unref_fn: { args: [], returns: ptr },
  tio_mem_stats: { args: [ptr], returns: none },
  tio_memcpy: { args: [ptr, ptr, i64], returns: none }
};

// lib/bundle.ts
var bundled = true;

// lib/substrate/lazy_fs.ts
function lazyFs() {
  return import.meta.require("node:fs");
}

// lib/ffi/shim.ts
var source = Bun.fileURLToPath(new URL(bundled ? "../shim/tio.c" : "../../shim/tio.c", import.meta.url));
var compiled;
var pointersOf;
var loaded;
var adopted;
function checkShimPointers(pointers) {
  if (typeof pointers !== "object" || pointers === null) {
    throw new TypeError("A threaded-io handle's shim is not a table of function addresses");
  }
  const table = pointers;
  for (const name of Object.keys(symbols)) {
    const p = table[name];
    if (typeof p !== "number" || !Number.isSafeInteger(p) || p <= 0) {
      throw new TypeError(`Shim pointer for "${name}" is missing from the threaded-io handle`);
    }
    if (loaded && pointersOf !== undefined && pointersOf[name] !== p) {
      throw new TypeError(`Shim pointer for "${name}" is not this process's: the handle was not made by threaded.handle()`);
    }
  }
}
function adoptShimPointers(pointers) {
  checkShimPointers(pointers);
  if (loaded)
    return;
  adopted = pointers;
}
function shim() {
  return loaded ??= load();
}
function shimAtHand() {
  return loaded !== undefined || adopted !== undefined;
}
function wrap(pointers) {
  const out = {};
  for (const name of Object.keys(symbols)) {
    const fnPtr = pointers[name];
    if (typeof fnPtr !== "number" || fnPtr === 0) {
      throw new Error(`Shim pointer for "${name}" is missing`);
    }
    Object.defineProperty(out, name, {
      configurable: true,
      enumerable: true,
      get() {
        const fn = CFunction({ ...symbols[name], ptr: fnPtr });
        Object.defineProperty(out, name, { value: fn, enumerable: true });
        return fn;
      }
    });
  }
  pointersOf = pointers;
  return out;
}
function compile() {
  const names = Object.keys(symbols);
  const lib = cc({
    source,
    define: { TIO_SYMBOLS: names.map((n) => `X(${n})`).join(" ") },
    symbols: { tio_symbol_table: { args: [], returns: FFIType2.ptr } }
  });
  compiled = lib;
  const table = lib.symbols.tio_symbol_table();
  if (table === null)
    throw new Error("The shim's symbol table is missing");
  const out = {};
  names.forEach((name, i) => out[name] = read.ptr(table, i * 8));
  return out;
}
function load() {
  if (adopted)
    return wrap(adopted);
  for (let attempt = 1;; attempt++) {
    try {
      return wrap(compile());
    } catch (e) {
      const message = e.message;
      if (message.includes(`file '${source}' not found`))
        throw new Error(`threaded-io's C shim is missing (${source}): threaded-io must run from its own ` + "package directory, with its shim/ beside dist/. Bundling it into an app leaves " + "the shim and the pool thread's entry behind: keep it external " + "(bun build --external threaded-io).");
      const exhausted = outOfDescriptors();
      if (exhausted !== undefined)
        throw exhausted;
      if (attempt < 3)
        continue;
      throw new Error(`Compiling the threaded-io C shim (${source}) failed; bun:ffi cc needs the C library headers ` + `(Debian/Ubuntu: libc6-dev): ${message}`);
    }
  }
}
function outOfDescriptors() {
  const fs = lazyFs();
  let errno;
  try {
    if (process.platform === "linux") {
      const open = fs.readdirSync("/proc/self/fd").length;
      const limit = /^Max open files\s+(\d+)/m.exec(fs.readFileSync("/proc/self/limits", "latin1"));
      if (limit !== null && Number(limit[1]) - open < CC_DESCRIPTORS)
        errno = "EMFILE";
    } else
      fs.closeSync(fs.openSync("/dev/null", "r"));
  } catch (e) {
    errno = e.code;
  }
  if (errno !== "EMFILE" && errno !== "ENFILE")
    return;
  const code = errno === "EMFILE" ? "ProcessFdQuotaExceeded" : "SystemFdQuotaExceeded";
  return new IoError(code, {
    errno,
    syscall: "open",
    message: `${code}: compiling the threaded-io C shim (${source}) opens its source and the system ` + `headers at once, and the ${errno === "EMFILE" ? "process" : "system"} is out of file ` + "descriptors (ulimit -n)"
  });
}
var CC_DESCRIPTORS = 16;
function shimPointers() {
  shim();
  return pointersOf;
}

// lib/os/darwin.ts
var darwin = {
  name: "darwin",
  arch: "any",
  errno: {
    EPERM: 1,
    ENOENT: 2,
    ESRCH: 3,
    EINTR: 4,
    EIO: 5,
    ENXIO: 6,
    E2BIG: 7,
    ENOEXEC: 8,
    EBADF: 9,
    ECHILD: 10,
    EDEADLK: 11,
    ENOMEM: 12,
    EACCES: 13,
    EFAULT: 14,
    ENOTBLK: 15,
    EBUSY: 16,
    EEXIST: 17,
    EXDEV: 18,
    ENODEV: 19,
    ENOTDIR: 20,
    EISDIR: 21,
    EINVAL: 22,
    ENFILE: 23,
    EMFILE: 24,
    ENOTTY: 25,
    ETXTBSY: 26,
    EFBIG: 27,
    ENOSPC: 28,
    ESPIPE: 29,
    EROFS: 30,
    EMLINK: 31,
    EPIPE: 32,
    EDOM: 33,
    ERANGE: 34,
    EAGAIN: 35,
    EINPROGRESS: 36,
    EALREADY: 37,
    ENOTSOCK: 38,
    EDESTADDRREQ: 39,
    EMSGSIZE: 40,
    EPROTOTYPE: 41,
    ENOPROTOOPT: 42,
    EPROTONOSUPPORT: 43,
    ESOCKTNOSUPPORT: 44,
    ENOTSUP: 45,
    EPFNOSUPPORT: 46,
    EAFNOSUPPORT: 47,
    EADDRINUSE: 48,
    EADDRNOTAVAIL: 49,
    ENETDOWN: 50,
    ENETUNREACH: 51,
    ENETRESET: 52,
    ECONNABORTED: 53,
    ECONNRESET: 54,
    ENOBUFS: 55,
    EISCONN: 56,
    ENOTCONN: 57,
    ESHUTDOWN: 58,
    ETOOMANYREFS: 59,
    ETIMEDOUT: 60,
    ECONNREFUSED: 61,
    ELOOP: 62,
    ENAMETOOLONG: 63,
    EHOSTDOWN: 64,
    EHOSTUNREACH: 65,
    ENOTEMPTY: 66,
    EUSERS: 68,
    EDQUOT: 69,
    ESTALE: 70,
    EREMOTE: 71,
    ENOLCK: 77,
    ENOSYS: 78,
    EOVERFLOW: 84,
    ECANCELED: 89,
    EIDRM: 90,
    ENOMSG: 91,
    EILSEQ: 92,
    EBADMSG: 94,
    EMULTIHOP: 95,
    ENODATA: 96,
    ENOLINK: 97,
    ENOSR: 98,
    ENOSTR: 99,
    EPROTO: 100,
    ETIME: 101,
    EOPNOTSUPP: 102,
    ENOTRECOVERABLE: 104,
    EOWNERDEAD: 105
  },
  constants: {
    O_RDONLY: 0,
    O_WRONLY: 1,
    O_RDWR: 2,
    O_NONBLOCK: 4,
    O_APPEND: 8,
    O_SHLOCK: 16,
    O_EXLOCK: 32,
    O_NOFOLLOW: 256,
    O_CREAT: 512,
    O_TRUNC: 1024,
    O_EXCL: 2048,
    O_NOCTTY: 131072,
    O_DIRECTORY: 1048576,
    O_CLOEXEC: 16777216,
    AT_FDCWD: -2,
    AT_SYMLINK_NOFOLLOW: 32,
    S_IFMT: 61440,
    S_IFSOCK: 49152,
    S_IFLNK: 40960,
    S_IFREG: 32768,
    S_IFBLK: 24576,
    S_IFDIR: 16384,
    S_IFCHR: 8192,
    S_IFIFO: 4096,
    F_OK: 0,
    R_OK: 4,
    W_OK: 2,
    X_OK: 1,
    SEEK_SET: 0,
    SEEK_CUR: 1,
    SEEK_END: 2,
    LOCK_SH: 1,
    LOCK_EX: 2,
    LOCK_NB: 4,
    LOCK_UN: 8,
    F_GETFD: 1,
    F_SETFD: 2,
    F_GETFL: 3,
    F_SETFL: 4,
    FD_CLOEXEC: 1,
    PATH_MAX: 1024,
    IOV_MAX: 1024,
    AF_UNSPEC: 0,
    AF_UNIX: 1,
    AF_INET: 2,
    AF_INET6: 30,
    SOCK_STREAM: 1,
    SOCK_DGRAM: 2,
    SOCK_RAW: 3,
    SOCK_RDM: 4,
    SOCK_SEQPACKET: 5,
    SOL_SOCKET: 65535,
    SO_REUSEADDR: 4,
    SO_REUSEPORT: 512,
    SO_SNDTIMEO: 4101,
    SCM_RIGHTS: 1,
    SO_RCVTIMEO: 4102,
    SO_ERROR: 4103,
    SO_NOSIGPIPE: 4130,
    IPPROTO_IP: 0,
    IPPROTO_TCP: 6,
    IPPROTO_UDP: 17,
    IPPROTO_IPV6: 41,
    IPV6_V6ONLY: 27,
    MSG_OOB: 1,
    MSG_PEEK: 2,
    MSG_DONTROUTE: 4,
    MSG_EOR: 8,
    MSG_TRUNC: 16,
    MSG_CTRUNC: 32,
    MSG_DONTWAIT: 128,
    POLLIN: 1,
    POLLOUT: 4,
    POLLERR: 8,
    POLLHUP: 16,
    POLLNVAL: 32,
    SHUT_RD: 0,
    SHUT_WR: 1,
    SHUT_RDWR: 2,
    IFNAMSIZ: 16,
    CLOCK_REALTIME: 0,
    CLOCK_MONOTONIC_RAW: 4,
    CLOCK_MONOTONIC: 6,
    CLOCK_UPTIME_RAW: 8,
    CLOCK_PROCESS_CPUTIME_ID: 12,
    CLOCK_THREAD_CPUTIME_ID: 16,
    SIGINT: 2,
    SIGKILL: 9,
    SIGPIPE: 13,
    SIGTERM: 15,
    SIGIO: 23
  },
  layout: {
    sizeof_timespec: 16,
    timespec_tv_sec: 0,
    timespec_tv_nsec: 8,
    sizeof_iovec: 16,
    iovec_iov_base: 0,
    iovec_iov_len: 8,
    sizeof_msghdr: 48,
    msghdr_msg_name: 0,
    msghdr_msg_namelen: 8,
    msghdr_msg_iov: 16,
    msghdr_msg_iovlen: 24,
    msghdr_msg_control: 32,
    msghdr_msg_controllen: 40,
    msghdr_msg_flags: 44,
    sizeof_stat: 144,
    sizeof_st_mode: 2,
    stat_st_mode: 4,
    stat_st_ino: 8,
    stat_st_size: 96,
    stat_st_atime: 32,
    stat_st_mtime: 48,
    stat_st_ctime: 64,
    sizeof_sockaddr_storage: 128,
    sizeof_sockaddr_in: 16,
    sockaddr_in_sin_family: 1,
    sockaddr_in_sin_port: 2,
    sockaddr_in_sin_addr: 4,
    sizeof_sockaddr_in6: 28,
    sockaddr_in6_sin6_family: 1,
    sockaddr_in6_sin6_port: 2,
    sockaddr_in6_sin6_flowinfo: 4,
    sockaddr_in6_sin6_addr: 8,
    sockaddr_in6_sin6_scope_id: 24,
    sizeof_sockaddr_un: 106,
    sockaddr_un_sun_family: 1,
    sockaddr_un_sun_path: 2,
    sizeof_cmsghdr: 12,
    cmsghdr_cmsg_len: 0,
    cmsghdr_cmsg_level: 4,
    cmsghdr_cmsg_type: 8,
    cmsg_align: 4,
    sizeof_pollfd: 8,
    pollfd_fd: 0,
    pollfd_events: 4,
    pollfd_revents: 6,
    sizeof_ifreq: 32,
    ifreq_ifr_name: 0,
    ifreq_ifr_ifindex: 16
  }
};

// lib/os/linux_arm64.ts
var linuxArm64 = {
  name: "linux",
  arch: "arm64",
  errno: {
    EPERM: 1,
    ENOENT: 2,
    ESRCH: 3,
    EINTR: 4,
    EIO: 5,
    ENXIO: 6,
    E2BIG: 7,
    ENOEXEC: 8,
    EBADF: 9,
    ECHILD: 10,
    EAGAIN: 11,
    ENOMEM: 12,
    EACCES: 13,
    EFAULT: 14,
    ENOTBLK: 15,
    EBUSY: 16,
    EEXIST: 17,
    EXDEV: 18,
    ENODEV: 19,
    ENOTDIR: 20,
    EISDIR: 21,
    EINVAL: 22,
    ENFILE: 23,
    EMFILE: 24,
    ENOTTY: 25,
    ETXTBSY: 26,
    EFBIG: 27,
    ENOSPC: 28,
    ESPIPE: 29,
    EROFS: 30,
    EMLINK: 31,
    EPIPE: 32,
    EDOM: 33,
    ERANGE: 34,
    EDEADLK: 35,
    ENAMETOOLONG: 36,
    ENOLCK: 37,
    ENOSYS: 38,
    ENOTEMPTY: 39,
    ELOOP: 40,
    ENOMSG: 42,
    EIDRM: 43,
    ENOSTR: 60,
    ENODATA: 61,
    ETIME: 62,
    ENOSR: 63,
    EREMOTE: 66,
    ENOLINK: 67,
    EPROTO: 71,
    EMULTIHOP: 72,
    EBADMSG: 74,
    EOVERFLOW: 75,
    EILSEQ: 84,
    EUSERS: 87,
    ENOTSOCK: 88,
    EDESTADDRREQ: 89,
    EMSGSIZE: 90,
    EPROTOTYPE: 91,
    ENOPROTOOPT: 92,
    EPROTONOSUPPORT: 93,
    ESOCKTNOSUPPORT: 94,
    EOPNOTSUPP: 95,
    ENOTSUP: 95,
    EPFNOSUPPORT: 96,
    EAFNOSUPPORT: 97,
    EADDRINUSE: 98,
    EADDRNOTAVAIL: 99,
    ENETDOWN: 100,
    ENETUNREACH: 101,
    ENETRESET: 102,
    ECONNABORTED: 103,
    ECONNRESET: 104,
    ENOBUFS: 105,
    EISCONN: 106,
    ENOTCONN: 107,
    ESHUTDOWN: 108,
    ETOOMANYREFS: 109,
    ETIMEDOUT: 110,
    ECONNREFUSED: 111,
    EHOSTDOWN: 112,
    EHOSTUNREACH: 113,
    EALREADY: 114,
    EINPROGRESS: 115,
    ESTALE: 116,
    EDQUOT: 122,
    ECANCELED: 125,
    EOWNERDEAD: 130,
    ENOTRECOVERABLE: 131,
    ENOMEDIUM: 123,
    EMEDIUMTYPE: 124,
    ENOKEY: 126,
    EKEYEXPIRED: 127,
    EKEYREVOKED: 128,
    EKEYREJECTED: 129,
    ERFKILL: 132,
    EHWPOISON: 133,
    ENONET: 64,
    ECOMM: 70,
    EBADFD: 77,
    EREMOTEIO: 121,
    EUCLEAN: 117
  },
  constants: {
    O_RDONLY: 0,
    O_WRONLY: 1,
    O_RDWR: 2,
    O_CREAT: 64,
    O_EXCL: 128,
    O_TRUNC: 512,
    O_APPEND: 1024,
    O_NONBLOCK: 2048,
    O_CLOEXEC: 524288,
    O_DIRECTORY: 16384,
    O_NOFOLLOW: 32768,
    O_NOCTTY: 256,
    O_LARGEFILE: 131072,
    O_PATH: 2097152,
    AT_FDCWD: -100,
    AT_SYMLINK_NOFOLLOW: 256,
    AT_EMPTY_PATH: 4096,
    STATX_BASIC_STATS: 2047,
    AT_STATX_SYNC_AS_STAT: 0,
    STATX_TYPE: 1,
    STATX_MODE: 2,
    STATX_INO: 256,
    STATX_SIZE: 512,
    STATX_ATIME: 32,
    STATX_MTIME: 64,
    STATX_CTIME: 128,
    AT_NO_AUTOMOUNT: 2048,
    S_IFMT: 61440,
    S_IFSOCK: 49152,
    S_IFLNK: 40960,
    S_IFREG: 32768,
    S_IFBLK: 24576,
    S_IFDIR: 16384,
    S_IFCHR: 8192,
    S_IFIFO: 4096,
    F_OK: 0,
    R_OK: 4,
    W_OK: 2,
    X_OK: 1,
    SEEK_SET: 0,
    SEEK_CUR: 1,
    SEEK_END: 2,
    LOCK_SH: 1,
    LOCK_EX: 2,
    LOCK_NB: 4,
    LOCK_UN: 8,
    F_GETFL: 3,
    F_SETFL: 4,
    F_GETFD: 1,
    F_SETFD: 2,
    FD_CLOEXEC: 1,
    PATH_MAX: 4096,
    IOV_MAX: 1024,
    AF_UNSPEC: 0,
    AF_INET: 2,
    AF_INET6: 10,
    AF_UNIX: 1,
    SOCK_STREAM: 1,
    SOCK_DGRAM: 2,
    SOCK_SEQPACKET: 5,
    SOCK_RAW: 3,
    SOCK_RDM: 4,
    SOCK_CLOEXEC: 524288,
    SOCK_NONBLOCK: 2048,
    SOL_SOCKET: 1,
    SCM_RIGHTS: 1,
    SO_REUSEADDR: 2,
    SO_REUSEPORT: 15,
    SO_ERROR: 4,
    SO_RCVTIMEO: 20,
    SO_SNDTIMEO: 21,
    IPPROTO_IP: 0,
    IPPROTO_IPV6: 41,
    IPPROTO_TCP: 6,
    IPPROTO_UDP: 17,
    IPV6_V6ONLY: 26,
    MSG_OOB: 1,
    MSG_PEEK: 2,
    MSG_DONTROUTE: 4,
    MSG_EOR: 128,
    MSG_TRUNC: 32,
    MSG_CTRUNC: 8,
    MSG_DONTWAIT: 64,
    MSG_CMSG_CLOEXEC: 1073741824,
    MSG_NOSIGNAL: 16384,
    MSG_CONFIRM: 2048,
    MSG_ERRQUEUE: 8192,
    MSG_FASTOPEN: 536870912,
    POLLIN: 1,
    POLLOUT: 4,
    POLLERR: 8,
    POLLHUP: 16,
    POLLNVAL: 32,
    SHUT_RD: 0,
    SHUT_WR: 1,
    SHUT_RDWR: 2,
    SIOCGIFINDEX: 35123,
    SIOCGIFNAME: 35088,
    IFNAMSIZ: 16,
    CLOCK_REALTIME: 0,
    CLOCK_MONOTONIC: 1,
    CLOCK_PROCESS_CPUTIME_ID: 2,
    CLOCK_THREAD_CPUTIME_ID: 3,
    CLOCK_BOOTTIME: 7,
    TIMER_ABSTIME: 1,
    SIGIO: 29,
    SIGPIPE: 13,
    SIGINT: 2,
    SIGTERM: 15,
    SIGKILL: 9,
    SIGRTMIN: 34,
    SIGRTMAX: 64
  },
  layout: {
    sizeof_timespec: 16,
    timespec_tv_sec: 0,
    timespec_tv_nsec: 8,
    sizeof_iovec: 16,
    iovec_iov_base: 0,
    iovec_iov_len: 8,
    sizeof_msghdr: 56,
    msghdr_msg_name: 0,
    msghdr_msg_namelen: 8,
    msghdr_msg_iov: 16,
    msghdr_msg_iovlen: 24,
    msghdr_msg_control: 32,
    msghdr_msg_controllen: 40,
    msghdr_msg_flags: 48,
    sizeof_mmsghdr: 64,
    mmsghdr_msg_hdr: 0,
    mmsghdr_msg_len: 56,
    sizeof_statx: 256,
    statx_stx_mask: 0,
    statx_stx_mode: 28,
    statx_stx_ino: 32,
    statx_stx_size: 40,
    statx_stx_atime: 64,
    statx_stx_mtime: 112,
    statx_stx_ctime: 96,
    sizeof_statx_timestamp: 16,
    statx_timestamp_tv_sec: 0,
    statx_timestamp_tv_nsec: 8,
    sizeof_st_mode: 4,
    sizeof_stat: 128,
    stat_st_mode: 16,
    stat_st_ino: 8,
    stat_st_size: 48,
    stat_st_atime: 72,
    stat_st_mtime: 88,
    stat_st_ctime: 104,
    sizeof_sockaddr_storage: 128,
    sizeof_sockaddr_in: 16,
    sockaddr_in_sin_family: 0,
    sockaddr_in_sin_port: 2,
    sockaddr_in_sin_addr: 4,
    sizeof_sockaddr_in6: 28,
    sockaddr_in6_sin6_family: 0,
    sockaddr_in6_sin6_port: 2,
    sockaddr_in6_sin6_flowinfo: 4,
    sockaddr_in6_sin6_addr: 8,
    sockaddr_in6_sin6_scope_id: 24,
    sizeof_sockaddr_un: 110,
    sockaddr_un_sun_family: 0,
    sockaddr_un_sun_path: 2,
    sizeof_cmsghdr: 16,
    cmsghdr_cmsg_len: 0,
    cmsghdr_cmsg_level: 8,
    cmsghdr_cmsg_type: 12,
    cmsg_align: 8,
    sizeof_pollfd: 8,
    pollfd_fd: 0,
    pollfd_events: 4,
    pollfd_revents: 6,
    sizeof_ifreq: 40,
    ifreq_ifr_name: 0,
    ifreq_ifr_ifindex: 16
  }
};

// lib/os/linux_x64.ts
var linuxX64 = {
  name: "linux",
  arch: "x64",
  errno: {
    EPERM: 1,
    ENOENT: 2,
    ESRCH: 3,
    EINTR: 4,
    EIO: 5,
    ENXIO: 6,
    E2BIG: 7,
    ENOEXEC: 8,
    EBADF: 9,
    ECHILD: 10,
    EAGAIN: 11,
    ENOMEM: 12,
    EACCES: 13,
    EFAULT: 14,
    ENOTBLK: 15,
    EBUSY: 16,
    EEXIST: 17,
    EXDEV: 18,
    ENODEV: 19,
    ENOTDIR: 20,
    EISDIR: 21,
    EINVAL: 22,
    ENFILE: 23,
    EMFILE: 24,
    ENOTTY: 25,
    ETXTBSY: 26,
    EFBIG: 27,
    ENOSPC: 28,
    ESPIPE: 29,
    EROFS: 30,
    EMLINK: 31,
    EPIPE: 32,
    EDOM: 33,
    ERANGE: 34,
    EDEADLK: 35,
    ENAMETOOLONG: 36,
    ENOLCK: 37,
    ENOSYS: 38,
    ENOTEMPTY: 39,
    ELOOP: 40,
    ENOMSG: 42,
    EIDRM: 43,
    ENOSTR: 60,
    ENODATA: 61,
    ETIME: 62,
    ENOSR: 63,
    EREMOTE: 66,
    ENOLINK: 67,
    EPROTO: 71,
    EMULTIHOP: 72,
    EBADMSG: 74,
    EOVERFLOW: 75,
    EILSEQ: 84,
    EUSERS: 87,
    ENOTSOCK: 88,
    EDESTADDRREQ: 89,
    EMSGSIZE: 90,
    EPROTOTYPE: 91,
    ENOPROTOOPT: 92,
    EPROTONOSUPPORT: 93,
    ESOCKTNOSUPPORT: 94,
    EOPNOTSUPP: 95,
    ENOTSUP: 95,
    EPFNOSUPPORT: 96,
    EAFNOSUPPORT: 97,
    EADDRINUSE: 98,
    EADDRNOTAVAIL: 99,
    ENETDOWN: 100,
    ENETUNREACH: 101,
    ENETRESET: 102,
    ECONNABORTED: 103,
    ECONNRESET: 104,
    ENOBUFS: 105,
    EISCONN: 106,
    ENOTCONN: 107,
    ESHUTDOWN: 108,
    ETOOMANYREFS: 109,
    ETIMEDOUT: 110,
    ECONNREFUSED: 111,
    EHOSTDOWN: 112,
    EHOSTUNREACH: 113,
    EALREADY: 114,
    EINPROGRESS: 115,
    ESTALE: 116,
    EDQUOT: 122,
    ECANCELED: 125,
    EOWNERDEAD: 130,
    ENOTRECOVERABLE: 131,
    ENOMEDIUM: 123,
    EMEDIUMTYPE: 124,
    ENOKEY: 126,
    EKEYEXPIRED: 127,
    EKEYREVOKED: 128,
    EKEYREJECTED: 129,
    ERFKILL: 132,
    EHWPOISON: 133,
    ENONET: 64,
    ECOMM: 70,
    EBADFD: 77,
    EREMOTEIO: 121,
    EUCLEAN: 117
  },
  constants: {
    O_RDONLY: 0,
    O_WRONLY: 1,
    O_RDWR: 2,
    O_CREAT: 64,
    O_EXCL: 128,
    O_TRUNC: 512,
    O_APPEND: 1024,
    O_NONBLOCK: 2048,
    O_CLOEXEC: 524288,
    O_DIRECTORY: 65536,
    O_NOFOLLOW: 131072,
    O_NOCTTY: 256,
    O_LARGEFILE: 32768,
    O_PATH: 2097152,
    AT_FDCWD: -100,
    AT_SYMLINK_NOFOLLOW: 256,
    AT_EMPTY_PATH: 4096,
    STATX_BASIC_STATS: 2047,
    AT_STATX_SYNC_AS_STAT: 0,
    STATX_TYPE: 1,
    STATX_MODE: 2,
    STATX_INO: 256,
    STATX_SIZE: 512,
    STATX_ATIME: 32,
    STATX_MTIME: 64,
    STATX_CTIME: 128,
    AT_NO_AUTOMOUNT: 2048,
    S_IFMT: 61440,
    S_IFSOCK: 49152,
    S_IFLNK: 40960,
    S_IFREG: 32768,
    S_IFBLK: 24576,
    S_IFDIR: 16384,
    S_IFCHR: 8192,
    S_IFIFO: 4096,
    F_OK: 0,
    R_OK: 4,
    W_OK: 2,
    X_OK: 1,
    SEEK_SET: 0,
    SEEK_CUR: 1,
    SEEK_END: 2,
    LOCK_SH: 1,
    LOCK_EX: 2,
    LOCK_NB: 4,
    LOCK_UN: 8,
    F_GETFL: 3,
    F_SETFL: 4,
    F_GETFD: 1,
    F_SETFD: 2,
    FD_CLOEXEC: 1,
    PATH_MAX: 4096,
    IOV_MAX: 1024,
    AF_UNSPEC: 0,
    AF_INET: 2,
    AF_INET6: 10,
    AF_UNIX: 1,
    SOCK_STREAM: 1,
    SOCK_DGRAM: 2,
    SOCK_SEQPACKET: 5,
    SOCK_RAW: 3,
    SOCK_RDM: 4,
    SOCK_CLOEXEC: 524288,
    SOCK_NONBLOCK: 2048,
    SOL_SOCKET: 1,
    SCM_RIGHTS: 1,
    SO_REUSEADDR: 2,
    SO_REUSEPORT: 15,
    SO_ERROR: 4,
    SO_RCVTIMEO: 20,
    SO_SNDTIMEO: 21,
    IPPROTO_IP: 0,
    IPPROTO_IPV6: 41,
    IPPROTO_TCP: 6,
    IPPROTO_UDP: 17,
    IPV6_V6ONLY: 26,
    MSG_OOB: 1,
    MSG_PEEK: 2,
    MSG_DONTROUTE: 4,
    MSG_EOR: 128,
    MSG_TRUNC: 32,
    MSG_CTRUNC: 8,
    MSG_DONTWAIT: 64,
    MSG_CMSG_CLOEXEC: 1073741824,
    MSG_NOSIGNAL: 16384,
    MSG_CONFIRM: 2048,
    MSG_ERRQUEUE: 8192,
    MSG_FASTOPEN: 536870912,
    POLLIN: 1,
    POLLOUT: 4,
    POLLERR: 8,
    POLLHUP: 16,
    POLLNVAL: 32,
    SHUT_RD: 0,
    SHUT_WR: 1,
    SHUT_RDWR: 2,
    SIOCGIFINDEX: 35123,
    SIOCGIFNAME: 35088,
    IFNAMSIZ: 16,
    CLOCK_REALTIME: 0,
    CLOCK_MONOTONIC: 1,
    CLOCK_PROCESS_CPUTIME_ID: 2,
    CLOCK_THREAD_CPUTIME_ID: 3,
    CLOCK_BOOTTIME: 7,
    TIMER_ABSTIME: 1,
    SIGIO: 29,
    SIGPIPE: 13,
    SIGINT: 2,
    SIGTERM: 15,
    SIGKILL: 9,
    SIGRTMIN: 34,
    SIGRTMAX: 64
  },
  layout: {
    sizeof_timespec: 16,
    timespec_tv_sec: 0,
    timespec_tv_nsec: 8,
    sizeof_iovec: 16,
    iovec_iov_base: 0,
    iovec_iov_len: 8,
    sizeof_msghdr: 56,
    msghdr_msg_name: 0,
    msghdr_msg_namelen: 8,
    msghdr_msg_iov: 16,
    msghdr_msg_iovlen: 24,
    msghdr_msg_control: 32,
    msghdr_msg_controllen: 40,
    msghdr_msg_flags: 48,
    sizeof_mmsghdr: 64,
    mmsghdr_msg_hdr: 0,
    mmsghdr_msg_len: 56,
    sizeof_statx: 256,
    statx_stx_mask: 0,
    statx_stx_mode: 28,
    statx_stx_ino: 32,
    statx_stx_size: 40,
    statx_stx_atime: 64,
    statx_stx_mtime: 112,
    statx_stx_ctime: 96,
    sizeof_statx_timestamp: 16,
    statx_timestamp_tv_sec: 0,
    statx_timestamp_tv_nsec: 8,
    sizeof_st_mode: 4,
    sizeof_stat: 144,
    stat_st_mode: 24,
    stat_st_ino: 8,
    stat_st_size: 48,
    stat_st_atime: 72,
    stat_st_mtime: 88,
    stat_st_ctime: 104,
    sizeof_sockaddr_storage: 128,
    sizeof_sockaddr_in: 16,
    sockaddr_in_sin_family: 0,
    sockaddr_in_sin_port: 2,
    sockaddr_in_sin_addr: 4,
    sizeof_sockaddr_in6: 28,
    sockaddr_in6_sin6_family: 0,
    sockaddr_in6_sin6_port: 2,
    sockaddr_in6_sin6_flowinfo: 4,
    sockaddr_in6_sin6_addr: 8,
    sockaddr_in6_sin6_scope_id: 24,
    sizeof_sockaddr_un: 110,
    sockaddr_un_sun_family: 0,
    sockaddr_un_sun_path: 2,
    sizeof_cmsghdr: 16,
    cmsghdr_cmsg_len: 0,
    cmsghdr_cmsg_level: 8,
    cmsghdr_cmsg_type: 12,
    cmsg_align: 8,
    sizeof_pollfd: 8,
    pollfd_fd: 0,
    pollfd_events: 4,
    pollfd_revents: 6,
    sizeof_ifreq: 40,
    ifreq_ifr_name: 0,
    ifreq_ifr_ifindex: 16
  }
};

// lib/os/index.ts
function pick() {
  switch (process.platform) {
    case "linux":
      if (process.arch === "x64")
        return linuxX64;
      if (process.arch === "arm64")
        return linuxArm64;
      throw new Error(`threaded-io has no Linux table for architecture "${process.arch}" ` + "(generate one with scripts/gen-os-table.ts)");
    case "darwin":
      return darwin;
    default:
      throw new Error(`threaded-io does not support platform "${process.platform}"`);
  }
}
var os = pick();
var E = os.errno;
var C = os.constants;
var L = os.layout;
function errnoNames(table) {
  const map = new Map;
  for (const [name, value] of Object.entries(table.errno)) {
    if (!map.has(value))
      map.set(value, name);
  }
  return map;
}
var errnoName = errnoNames(os);
var cancelSignal = os.constants.SIGRTMIN !== undefined ? os.constants.SIGRTMIN + 8 : os.constants.SIGIO;
var have = {
  clockNanosleep: os.constants.TIMER_ABSTIME !== undefined,
  statx: os.layout.sizeof_statx !== undefined,
  sockFlags: os.constants.SOCK_CLOEXEC !== undefined,
  sendmmsg: os.layout.sizeof_mmsghdr !== undefined,
  msgNoSignal: os.constants.MSG_NOSIGNAL !== undefined,
  openLockFlags: os.constants.O_EXLOCK !== undefined
};

// lib/substrate/tasks.ts
var TASK_KEY = Symbol.for("threaded-io.taskKey");
var SOURCE_PREFIX = "source:";
var registry = new Map;
var COPIES = Symbol.for("threaded-io.taskRegistries");
var thisCopy = {
  where: copyLocation(),
  registry
};
{
  const g = globalThis;
  (g[COPIES] ??= []).push(thisCopy);
}
function copyLocation() {
  try {
    return Bun.fileURLToPath(new URL(bundled ? "./index.js" : "../index.ts", import.meta.url));
  } catch {
    return import.meta.url;
  }
}
function otherCopyWith(key) {
  const copies = globalThis[COPIES] ?? [];
  return copies.find((c) => c !== thisCopy && c.registry?.get?.(key) !== undefined);
}
var UNLOADABLE_MODULE = /\/(?:\[|%5B)(?:eval|stdin)\d*(?:\]|%5D)$/i;
var registeredWith = new WeakMap;
function task(meta, fn) {
  if (typeof meta === "function" && fn === undefined)
    throw new TypeError(`task() takes the module's import.meta first: task(import.meta, ${meta.name || "fn"})`);
  if (typeof fn !== "function")
    throw new TypeError("task() takes a function");
  if (!fn.name)
    throw new TypeError("A task function needs a name: use `function name() {}`");
  if (typeof meta?.url !== "string")
    throw new TypeError("task() takes import.meta first");
  if (UNLOADABLE_MODULE.test(meta.url)) {
    throw new TypeError(`Task "${fn.name}" is defined in code given to \`bun -e\` or on standard input ` + `("${meta.url}"), which a pool thread cannot load: a task needs a module file. ` + "Put the task in a .ts or .js file and import it from there");
  }
  const key = `${meta.url}#${fn.name}`;
  const existing = registry.get(key);
  if (existing !== undefined && existing !== fn && (registeredWith.get(existing) === meta || existing.toString() !== fn.toString())) {
    throw new TypeError(`Two task functions named "${fn.name}" in module "${meta.url}"`);
  }
  registry.set(key, fn);
  registeredWith.set(fn, meta);
  fn[TASK_KEY] = key;
  return fn;
}
function taskKey(fn) {
  if (typeof fn !== "function")
    throw new TypeError(`A task must be a function, not ${describe3(fn)}: pass the function and its ` + "arguments apart, as io.concurrent(fn, ...args)");
  const key = fn[TASK_KEY];
  if (key !== undefined)
    return key;
  const source = fn.toString();
  if (NATIVE_SOURCE.test(source))
    throw new TypeError(`Function "${fn.name}" is built in or bound (its source is "[native code]"), so it cannot ` + "travel as source text to a pool thread: call it from a task(import.meta, fn) function instead");
  return SOURCE_PREFIX + source;
}
var NATIVE_SOURCE = /\{\s*\[native code\]\s*\}\s*$/;
function describe3(v) {
  if (v === null || v === undefined)
    return String(v);
  if (typeof v === "object")
    return `an object (${v.constructor?.name ?? "null prototype"})`;
  const text = typeof v === "string" ? JSON.stringify(v) : String(v);
  return `the ${typeof v} ${text.length > 40 ? text.slice(0, 40) + "\u2026" : text}`;
}
function taskName(key) {
  if (key.startsWith(SOURCE_PREFIX)) {
    const m = /^(?:async\s+)?function\s*\*?\s*([\w$]*)/.exec(key.slice(SOURCE_PREFIX.length));
    return m?.[1] || "anonymous";
  }
  return key.slice(key.lastIndexOf("#") + 1);
}
var interned = new WeakMap;
var encoder = new TextEncoder;
var decoder = new TextDecoder;
function internKey(heap, key) {
  let byKey = interned.get(heap);
  if (byKey === undefined)
    interned.set(heap, byKey = new Map);
  let off = byKey.get(key);
  if (off === undefined) {
    off = internShared(heap, encoder.encode(key));
    byKey.set(key, off);
  }
  return off;
}
var KEYS = PoolBlock.OFFSET + Pool.TASK_KEYS >> 2;
function internShared(heap, bytes) {
  const i32 = heap.i32;
  let mine = 0;
  let seen = 0;
  for (;; ) {
    const head = Atomics.load(i32, KEYS);
    const found = findKey(heap, head, seen, bytes);
    if (found !== 0) {
      if (mine !== 0)
        heap.free(mine);
      return found;
    }
    if (mine === 0) {
      mine = heap.alloc(TaskKeyLayout.BYTES + bytes.length);
      heap.u32[mine + TaskKeyLayout.LENGTH >> 2] = bytes.length;
      heap.u8.set(bytes, mine + TaskKeyLayout.BYTES);
    }
    Atomics.store(i32, mine + TaskKeyLayout.NEXT >> 2, head);
    if (Atomics.compareExchange(i32, KEYS, head, mine) === head)
      return mine;
    seen = head;
  }
}
function findKey(heap, head, stop, bytes) {
  const u8 = heap.u8;
  for (let e = head;e !== 0 && e !== stop; e = Atomics.load(heap.i32, e + TaskKeyLayout.NEXT >> 2)) {
    if (heap.u32[e + TaskKeyLayout.LENGTH >> 2] !== bytes.length)
      continue;
    const start = e + TaskKeyLayout.BYTES;
    let i = 0;
    while (i < bytes.length && u8[start + i] === bytes[i])
      i++;
    if (i === bytes.length)
      return e;
  }
  return 0;
}
function readKey(heap, off) {
  const len = heap.u32[off + TaskKeyLayout.LENGTH >> 2];
  const start = off + TaskKeyLayout.BYTES;
  return decoder.decode(heap.u8.slice(start, start + len));
}
var resolved = new WeakMap;
function resolveTask(heap, off) {
  let byOff = resolved.get(heap);
  if (byOff === undefined)
    resolved.set(heap, byOff = new Map);
  const fn = byOff.get(off);
  if (fn !== undefined)
    return fn;
  const key = readKey(heap, off);
  if (key.startsWith(SOURCE_PREFIX))
    return remember(byOff, off, compile2(key.slice(SOURCE_PREFIX.length)));
  if (failedLoads.size !== 0) {
    const failure = failedLoads.get(key.slice(0, key.lastIndexOf("#")));
    if (failure !== undefined)
      throw failure;
  }
  const known = registry.get(key);
  if (known !== undefined)
    return remember(byOff, off, known);
  return load2(key).then((f) => remember(byOff, off, f));
}
function remember(byOff, off, fn) {
  byOff.set(off, fn);
  return fn;
}
var STOP_TEXT = "is not run while a pool thread loads";
var STOP_AFTER_TEXT = "is not run on a pool thread outside a task";

class TaskModuleStop extends Error {
  url;
  calledFrom;
  constructor(url, init, message = `Threaded.init() ${STOP_TEXT} "${url}" to find a task: ` + "the module stops there, and only the tasks defined above it are available") {
    super(message);
    this.url = url;
    this.name = "TaskModuleStop";
    const trace = {};
    if (init !== undefined)
      Error.captureStackTrace(trace, init);
    this.calledFrom = moduleFrame(trace.stack);
  }
}
function moduleFrame(stack) {
  let found = null;
  for (const line of (stack ?? "").split(`
`)) {
    const frame = line.trim();
    if (!frame.startsWith("at "))
      continue;
    let where = frame.slice(3);
    const paren = where.search(/ \((?:file:\/\/)?\//);
    if (paren >= 0 && where.endsWith(")"))
      where = where.slice(paren + 2, -1);
    if (/^(?:file:\/\/)?\/.*:\d+:\d+$/.test(where))
      found = where;
  }
  return found;
}
function frameFile(frame) {
  const file = frame.replace(/:\d+:\d+$/, "");
  return file.startsWith("file:") ? Bun.fileURLToPath(file) : file;
}
function urlFile(url) {
  try {
    return url.startsWith("file:") ? Bun.fileURLToPath(url) : url;
  } catch {
    return url;
  }
}
function isStop(v) {
  return v instanceof TaskModuleStop || v instanceof Error && v.name === "TaskModuleStop" || typeof v === "string" && (v.includes(STOP_TEXT) || v.includes(STOP_AFTER_TEXT));
}
function stopOutsideTask(init) {
  if (!inProgramCode())
    return null;
  ghostStopped = true;
  return new TaskModuleStop("", init, `Threaded.init() ${STOP_AFTER_TEXT}: a pool thread loaded this program's module to find ` + "a task, and the program went on there after an await (the rest of an async main()), " + "which stops here instead of making a pool in every pool thread. Call Threaded.init() " + "before the program's first await, or run it under `if (import.meta.main)`");
}
var POOL_THREAD = Symbol.for("threaded-io.poolThread");
function taskContext() {
  return context ??= globalThis[Symbol.for("threaded-io.taskContext")] ??= new (import.meta.require("node:async_hooks")).AsyncLocalStorage;
}
var context;
function runAsTasks(loop) {
  return taskContext().run(true, loop);
}
function inProgramCode() {
  return globalThis[POOL_THREAD] === true && taskContext().getStore() !== true;
}
var ghostStopped = false;
var consoleMethods = ["error", "warn", "log", "info", "debug"];
function guardProgramCode() {
  if (guarded || globalThis[POOL_THREAD] !== true)
    return;
  guarded = true;
  libraryError = console.error.bind(console);
  for (const m of consoleMethods) {
    const original = console[m];
    console[m] = (...args) => {
      if (args.some(isStop) || (ghostStopped || taskModuleLoading() !== null) && inProgramCode())
        return;
      original.apply(console, args);
    };
  }
  const exit = process.exit;
  process.exit = (code) => inProgramCode() ? undefined : exit.call(process, code);
}
var guarded = false;
var libraryError;
function reportError(text) {
  (libraryError ?? console.error)(text);
}
function taskModuleLoading() {
  return globalThis[LOADING] ?? null;
}
var LOADING = Symbol.for("threaded-io.taskModuleLoading");
function setLoading(url) {
  globalThis[LOADING] = url;
}
var failedLoads = new Map;
var stopped = new Set;
var TEST_CALL_REFUSED = /^Cannot use \w+(?:\(\))? (?:in a Worker|outside of the test runner)/;
async function load2(key) {
  const url = key.slice(0, key.lastIndexOf("#"));
  const name = taskName(key);
  let stoppedAt = null;
  let initFrom = null;
  const outer = taskModuleLoading();
  setLoading(url);
  guardProgramCode();
  try {
    await (url.includes(":") ? import(url) : import(Bun.pathToFileURL(url).href));
  } catch (e) {
    if (e instanceof TaskModuleStop || e instanceof Error && e.name === "TaskModuleStop") {
      stoppedAt = "Threaded.init()";
      initFrom = e.calledFrom ?? null;
    } else if (e instanceof Error && TEST_CALL_REFUSED.test(e.message)) {
      const call = /^Cannot use (\w+)/.exec(e.message)?.[1];
      stoppedAt = call !== undefined ? `${call}() call` : "test call";
    } else {
      const failure = new TypeError(`Loading module "${url}" on a pool thread to find task "${name}" failed: ${e instanceof Error ? e.message : String(e)}. Every pool thread loads a task's module; keep task modules free of side effects`, { cause: e });
      if (registry.has(key))
        failedLoads.set(url, failure);
      throw failure;
    }
  } finally {
    setLoading(outer);
  }
  if (stoppedAt !== null)
    stopped.add(url);
  const fn = registry.get(key);
  if (fn !== undefined)
    return fn;
  const other = otherCopyWith(key);
  if (other !== undefined) {
    throw new TypeError(`Task "${name}" of module "${url}" was registered through another copy of threaded-io (${other.where}) than the one running this pool (${thisCopy.where}), and each copy knows only its own tasks. Import threaded-io from one place: one package (deduplicate nested node_modules copies), never both its lib/ sources and its package`);
  }
  if (initFrom !== null && frameFile(initFrom) !== urlFile(url)) {
    throw new TypeError(`Task "${name}" of "${url}" is not available on a pool thread: loading that module ran Threaded.init() at the top level of "${frameFile(initFrom)}" (${initFrom}), which it imports, and a pool thread stops loading there (else every pool thread would make a pool). Keep tasks in modules that do not import the module creating the pool, or create the pool under \`if (import.meta.main)\` or lazily, in a function called when it is first needed`);
  }
  if (stoppedAt !== null) {
    throw new TypeError(`Task "${name}" is defined below the first ${stoppedAt} of "${url}": a pool thread loads that module only up to there. Define tasks above it, run the program under \`if (import.meta.main)\`, or move the tasks to a module without side effects`);
  }
  throw new TypeError(`Task "${name}" is not registered by module "${url}" in this thread: a pool thread registers a module's tasks by loading it, so task(import.meta, ${name}) must run at the module's top level, not inside a function (such as main()) or a branch that only the calling thread runs. Or it was registered with task() through another copy of threaded-io than this pool's`);
}
function compile2(source) {
  let fn;
  try {
    fn = (0, eval)(`(${source})`);
  } catch (e) {
    throw new TypeError(`A plain function passed as a task could not be compiled from its source (${e.message}); register it with task(import.meta, fn) instead`);
  }
  if (typeof fn !== "function")
    throw new TypeError("A task's source did not evaluate to a function");
  return fn;
}
function explainSourceTaskError(key, e) {
  try {
    return explain(key, e);
  } catch {
    return e;
  }
}
function explain(key, e) {
  if (!(e instanceof ReferenceError))
    return e;
  if (key.startsWith(SOURCE_PREFIX)) {
    return new ReferenceError(`${e.message} in task "${taskName(key)}": a plain function travels as source text and cannot use variables from where it was defined; register it with task(import.meta, fn)`);
  }
  const url = key.slice(0, key.lastIndexOf("#"));
  if (stopped.has(url)) {
    return new ReferenceError(`${e.message} in task "${taskName(key)}": a pool thread loads "${url}" only up to its first Threaded.init() or test call, so what the task uses must be defined above it (or run the program under \`if (import.meta.main)\`)`);
  }
  return e;
}

// lib/substrate/trace.ts
var TraceKind = {
  DISPATCH: 1,
  TASK_START: 2,
  TASK_END: 3,
  INLINE: 4,
  SPAWN: 5,
  THREAD_START: 6,
  THREAD_EXIT: 7,
  CANCEL_REQUEST: 8,
  CANCEL_SIGNAL: 9,
  CANCELED: 10,
  FUTEX_WAIT: 11,
  FUTEX_WAKE: 12,
  IO: 13
};
var WaitSite = { NONE: 0, SELECT: 1, QUEUE: 2 };
var IoOp = { LOOKUP: 1, CONNECT: 2, ACCEPT: 3, READ: 4 };
var DEFAULT_TRACE_EVENTS = 32768;
var MAX_TRACE_EVENTS = 1 << 24;
var TRACE_INDEX = PoolBlock.OFFSET + Pool.TRACE >> 2;
function tracing(heap) {
  return heap.i32[TRACE_INDEX] !== 0;
}
var offsetNs = NaN;
function calibrate() {
  const ts = new BigInt64Array(new ArrayBuffer(16));
  const clock = C.CLOCK_UPTIME_RAW ?? C.CLOCK_MONOTONIC;
  let best = NaN;
  let bracket = Infinity;
  for (let i = 0;i < 8; i++) {
    const before = performance.now();
    shim().tio_clock_gettime(clock, ts);
    const after = performance.now();
    if (after - before < bracket) {
      bracket = after - before;
      best = Number(ts[0]) * 1e9 + Number(ts[1]) - (before + after) / 2 * 1e6;
    }
  }
  return best;
}
function traceNow() {
  if (offsetNs !== offsetNs)
    offsetNs = calibrate();
  return performance.now() * 1e6 + offsetNs;
}
var cachedHeap = null;
var cachedSession = -1;
var cachedRing = 0;
var claiming = false;
function ring(heap, dir) {
  const session = heap.u32[dir + TraceDirLayout.SESSION >> 2];
  if (heap === cachedHeap && session === cachedSession)
    return cachedRing;
  if (claiming)
    return 0;
  claiming = true;
  try {
    cachedRing = claim(heap, dir, session);
    cachedHeap = heap;
    cachedSession = session;
  } catch {
    return 0;
  } finally {
    claiming = false;
  }
  return cachedRing;
}
function claim(heap, dir, session) {
  const id = threadId(heap);
  const slot = dir + TraceDirLayout.RINGS + (id - 1) * 4 >> 2;
  const capacity = heap.u32[dir + TraceDirLayout.CAPACITY >> 2];
  let r = Atomics.load(heap.u32, slot);
  if (r === 0) {
    r = heap.alloc(TraceRingLayout.EVENTS + capacity * TraceRingLayout.EVENT_BYTES);
    Atomics.store(heap.u32, slot, r);
  }
  const u32 = heap.u32;
  const pool = Atomics.load(heap.i32, (ThreadState.FLAGS >> 2) + id - 1) & ThreadState.POOL_THREAD;
  u32[r + TraceRingLayout.THREAD >> 2] = id;
  u32[r + TraceRingLayout.POOL_THREAD >> 2] = pool === 0 ? 0 : 1;
  if (Atomics.load(u32, r + TraceRingLayout.SESSION >> 2) !== session) {
    Atomics.store(u32, r + TraceRingLayout.COUNT >> 2, 0);
    Atomics.store(u32, r + TraceRingLayout.SESSION >> 2, session);
  }
  return r;
}
function record(heap, kind, ts, dur, a0, a1, a2) {
  const dir = heap.i32[TRACE_INDEX];
  if (dir === 0)
    return;
  const r = ring(heap, dir);
  if (r === 0)
    return;
  const u32 = heap.u32;
  const count = u32[r + TraceRingLayout.COUNT >> 2];
  const capacity = heap.u32[dir + TraceDirLayout.CAPACITY >> 2];
  const e = r + TraceRingLayout.EVENTS + count % capacity * TraceRingLayout.EVENT_BYTES;
  heap.f64[e + TraceRingLayout.TS >> 3] = ts;
  heap.f64[e + TraceRingLayout.DUR >> 3] = dur;
  u32[e + TraceRingLayout.KIND >> 2] = kind;
  u32[e + TraceRingLayout.A0 >> 2] = a0;
  u32[e + TraceRingLayout.A1 >> 2] = a1;
  u32[e + TraceRingLayout.A2 >> 2] = a2;
  Atomics.store(u32, r + TraceRingLayout.COUNT >> 2, count + 1);
}
function traceDispatch(heap, closure) {
  if (heap.i32[TRACE_INDEX] === 0)
    return;
  const key = heap.u32[closure + Closure.TASK >> 2];
  const group = heap.u32[closure + Closure.GROUP >> 2];
  record(heap, TraceKind.DISPATCH, traceNow(), 0, key, closure, group);
}
var runningKey = 0;
var runningClosure = 0;
function traceTaskStart(heap, closure) {
  if (heap.i32[TRACE_INDEX] === 0)
    return;
  runningKey = heap.u32[closure + Closure.TASK >> 2];
  runningClosure = closure;
  record(heap, TraceKind.TASK_START, traceNow(), 0, runningKey, closure, 0);
}
function traceTaskEnd(heap) {
  if (heap.i32[TRACE_INDEX] === 0 || runningClosure === 0)
    return;
  record(heap, TraceKind.TASK_END, traceNow(), 0, runningKey, runningClosure, 0);
  runningClosure = 0;
}
function noteInline(heap, fn) {
  Atomics.add(heap.i32, PoolBlock.OFFSET + Pool.INLINE_TOTAL >> 2, 1);
  if (heap.i32[TRACE_INDEX] === 0)
    return fn;
  return (...args) => {
    const start = traceNow();
    try {
      return fn(...args);
    } finally {
      record(heap, TraceKind.INLINE, start, traceNow() - start, inlineKey(heap, fn), 0, 0);
    }
  };
}
function inlineKey(heap, fn) {
  try {
    return internKey(heap, taskKey(fn));
  } catch {
    return 0;
  }
}
function traceSpawn(heap) {
  if (heap.i32[TRACE_INDEX] === 0)
    return;
  record(heap, TraceKind.SPAWN, traceNow(), 0, 0, 0, 0);
}
function traceThread(heap, starting) {
  if (heap.i32[TRACE_INDEX] === 0)
    return;
  const kind = starting ? TraceKind.THREAD_START : TraceKind.THREAD_EXIT;
  record(heap, kind, traceNow(), 0, 0, 0, 0);
  const dir = heap.i32[TRACE_INDEX];
  const r = starting && dir !== 0 ? ring(heap, dir) : 0;
  if (r !== 0)
    heap.u32[r + TraceRingLayout.POOL_THREAD >> 2] = 1;
}
function noteCancelRequest(heap, runner) {
  Atomics.add(heap.i32, PoolBlock.OFFSET + Pool.CANCELS_REQUESTED >> 2, 1);
  if (runner !== 0)
    Atomics.add(heap.i32, PoolBlock.OFFSET + Pool.CANCEL_SIGNALS >> 2, 1);
  if (heap.i32[TRACE_INDEX] === 0)
    return;
  const ts = traceNow();
  record(heap, TraceKind.CANCEL_REQUEST, ts, 0, runner, 0, 0);
  if (runner !== 0)
    record(heap, TraceKind.CANCEL_SIGNAL, ts, 0, runner, 0, 0);
}
function noteCanceled(heap) {
  Atomics.add(heap.i32, PoolBlock.OFFSET + Pool.CANCELS_DELIVERED >> 2, 1);
  if (heap.i32[TRACE_INDEX] === 0)
    return;
  record(heap, TraceKind.CANCELED, traceNow(), 0, 0, 0, 0);
}
function traceWaitStart(heap) {
  return heap.i32[TRACE_INDEX] === 0 ? 0 : traceNow();
}
function traceWaitEnd(heap, start, off) {
  if (start === 0)
    return;
  record(heap, TraceKind.FUTEX_WAIT, start, traceNow() - start, off, waitSite, 0);
}
var waitSite = WaitSite.NONE;
function traceWaitSite(site) {
  waitSite = site;
}
function traceWake(heap, off, n) {
  if (heap.i32[TRACE_INDEX] === 0)
    return;
  record(heap, TraceKind.FUTEX_WAKE, traceNow(), 0, off, n, 0);
}
function traceIo(heap, op, start, failed) {
  record(heap, TraceKind.IO, start, traceNow() - start, op, failed ? 1 : 0, 0);
}
function startTracing(heap, events) {
  const i32 = heap.i32;
  let dir = Atomics.load(i32, PoolBlock.OFFSET + Pool.TRACE_DIR >> 2);
  if (dir === 0) {
    dir = heap.allocZeroed(TraceDirLayout.BYTES);
    heap.u32[dir + TraceDirLayout.SLOTS >> 2] = events;
    heap.u32[dir + TraceDirLayout.CAPACITY >> 2] = events - TraceRingLayout.HEADER_SLOTS;
    const prev = Atomics.compareExchange(i32, PoolBlock.OFFSET + Pool.TRACE_DIR >> 2, 0, dir);
    if (prev !== 0) {
      heap.free(dir);
      dir = prev;
    }
  }
  const slots = heap.u32[dir + TraceDirLayout.SLOTS >> 2];
  if (slots !== events)
    throw new RangeError(`Trace ring size "${events}" differs from the ${slots} events this Threaded's first trace chose`);
  heap.f64[dir + TraceDirLayout.START_NS >> 3] = traceNow();
  Atomics.add(i32, dir + TraceDirLayout.SESSION >> 2, 1);
  Atomics.store(i32, TRACE_INDEX, dir);
}
function stopTracing(heap) {
  return Atomics.exchange(heap.i32, TRACE_INDEX, 0);
}
function traceCapacity(heap) {
  const dir = Atomics.load(heap.i32, PoolBlock.OFFSET + Pool.TRACE_DIR >> 2);
  return dir === 0 ? 0 : heap.u32[dir + TraceDirLayout.SLOTS >> 2];
}

// lib/substrate/cancel.ts
var CANCELING = 2147483648 | 0;
var THREAD_ID_MASK = 2147483647;
var current = null;
var threadIds = new Map;
function threadId(heap) {
  let id = threadIds.get(heap);
  if (id === undefined) {
    id = heap.registerThread(shim().tio_thread_handle());
    threadIds.set(heap, id);
  }
  return id;
}
function adoptThreadId(heap, id) {
  heap.claimThread(id, shim().tio_thread_handle());
  threadIds.set(heap, id);
}
function forgetThread(heap) {
  const id = threadIds.get(heap);
  if (id === undefined)
    return;
  threadIds.delete(heap);
  heap.unregisterThread(id);
}
function enterTask(heap, wordOff) {
  const id = threadId(heap);
  const index = wordOff >> 2;
  Atomics.compareExchange(heap.i32, index, 0, id);
  current = { heap, index, id, prev: current, ended: false };
}
function exitTask() {
  const frame = current;
  if (frame === null)
    throw new Error("exitTask without enterTask");
  current = frame.prev;
  frame.ended = true;
  const { heap, index, id } = frame;
  if (Atomics.compareExchange(heap.i32, index, id, 0) !== id) {
    shim().tio_watchdog_settle(heap.addr(index * 4), CANCELING);
  }
  if (frame.controller !== undefined)
    Atomics.notify(heap.i32, index);
}
function requestCancel(heap, wordOff) {
  const prev = Atomics.or(heap.i32, wordOff >> 2, CANCELING);
  if ((prev & CANCELING) !== 0)
    return;
  const id = prev & THREAD_ID_MASK;
  noteCancelRequest(heap, id);
  if (id === 0)
    return;
  shim().tio_watchdog_add(heap.addr(wordOff), prev | CANCELING, heap.threadHandle(id));
  Atomics.notify(heap.i32, wordOff >> 2);
}
var neverAborts = new AbortController().signal;
function abortSignal() {
  const frame = current;
  if (frame === null)
    return neverAborts;
  if (frame.controller !== undefined)
    return frame.controller.signal;
  const controller = new AbortController;
  frame.controller = controller;
  const { heap, index } = frame;
  (async () => {
    for (;; ) {
      const word = Atomics.load(heap.i32, index);
      if ((word & CANCELING) !== 0 && !frame.ended) {
        controller.abort(new Canceled);
        return;
      }
      if (frame.ended)
        return;
      const r = Atomics.waitAsync(heap.i32, index, word);
      if (r.async)
        await r.value;
    }
  })();
  return controller.signal;
}
function watchTaskCancel(onCancel) {
  const frame = current;
  if (frame === null || frame.ended)
    return;
  const signal = abortSignal();
  if (signal.aborted) {
    onCancel();
    return () => {};
  }
  signal.addEventListener("abort", onCancel, { once: true });
  return () => signal.removeEventListener("abort", onCancel);
}
function watchWordCancel(heap, off) {
  let canceled = false;
  const stop = watchTaskCancel(() => {
    canceled = true;
    Atomics.notify(heap.i32, off >> 2);
  });
  if (stop === undefined)
    return;
  return { canceled: () => canceled ? canceledNow() : undefined, stop };
}
function canceledNow() {
  if (current !== null)
    noteCanceled(current.heap);
  return new Canceled;
}
function cancelRequested() {
  const frame = current;
  return frame !== null && (Atomics.load(frame.heap.i32, frame.index) & CANCELING) !== 0;
}
function checkCancel() {
  if (cancelRequested())
    raiseCanceled();
}
function raiseCanceled() {
  if (current !== null)
    noteCanceled(current.heap);
  throw new Canceled;
}
function inTaskWhere(heap, test) {
  for (let f = current;f !== null; f = f.prev) {
    if (f.heap === heap && !f.ended && test(f.index << 2))
      return true;
  }
  return false;
}
function inTask() {
  return current !== null;
}

// lib/substrate/spin_policy.ts
var cpus = 0;
function cpusAllowed() {
  if (cpus === 0) {
    const n = Number(shim().tio_cpus_allowed());
    cpus = n > 0 ? n : 1;
  }
  return cpus;
}
var LOAD_CHECK_MS = 100;
var loadCheckedAt = -Infinity;
var overloaded = false;
var overSeen = 0;
var LOADAVG = new TextEncoder().encode("/proc/loadavg\x00");
var loadBuf = new Uint8Array(128);
var loadFd = new Int32Array(1);
function runnableThreads() {
  const n = Number(shim().tio_open_read(C.AT_FDCWD, LOADAVG, C.O_RDONLY | C.O_CLOEXEC, loadBuf, 128, loadFd));
  if (loadFd[0] >= 0)
    shim().tio_close(loadFd[0]);
  if (n <= 0 || loadFd[0] >= 0)
    return 0;
  let field = 0;
  let i = 0;
  while (i < n && field < 3)
    if (loadBuf[i++] === 32)
      field++;
  let runnable = 0;
  for (;i < n && loadBuf[i] >= 48 && loadBuf[i] <= 57; i++)
    runnable = runnable * 10 + loadBuf[i] - 48;
  return runnable;
}
function refreshLoad() {
  const now = performance.now();
  if (now - loadCheckedAt < LOAD_CHECK_MS)
    return;
  loadCheckedAt = now;
  overSeen = runnableThreads() > cpusAllowed() ? overSeen + 1 : 0;
  overloaded = overSeen >= 2;
}
var spinsOff = 0;
function withoutSpins(f) {
  spinsOff++;
  try {
    return f();
  } finally {
    spinsOff--;
  }
}
var CREDIT_MAX = 16;
var PROBE_EVERY = 16;

class SpinSite {
  credit = CREDIT_MAX;
  skipped = 0;
  tried = 0;
  won = 0;
  shouldSpin(busy = 1, loaded = overloaded) {
    if (spinsOff > 0)
      return false;
    const n = cpusAllowed();
    if (n < 2 || busy >= n)
      return false;
    if (loaded) {
      refreshLoad();
      return false;
    }
    if (this.credit > 0)
      return true;
    if (++this.skipped < PROBE_EVERY)
      return false;
    this.skipped = 0;
    return true;
  }
  record(won) {
    this.tried++;
    if (won) {
      this.won++;
      this.credit = Math.min(CREDIT_MAX, this.credit + 2);
    } else {
      if (this.credit > 0)
        this.credit--;
      refreshLoad();
    }
  }
  reset() {
    this.credit = CREDIT_MAX;
    this.skipped = 0;
    this.tried = 0;
    this.won = 0;
  }
}
function yieldCpu() {
  shim().tio_sched_yield();
}

// lib/substrate/wake_yield.ts
var owed = false;
var beforeNextTask = false;
var payQueued = false;
var yields = 0;
function afterWake(after) {
  if (cpusAllowed() < 2)
    return;
  if (after === "next") {
    beforeNextTask = true;
    return;
  }
  if (after === "yield") {
    owed = false;
    yields++;
    yieldCpu();
    return;
  }
  owed = true;
  if (payQueued)
    return;
  payQueued = true;
  queueMicrotask(payAtRunEnd);
}
function payAtRunEnd() {
  payQueued = false;
  payOwedYield();
}
function payOwedYield() {
  if (!owed)
    return;
  owed = false;
  yields++;
  yieldCpu();
}
function dropOwedYield() {
  owed = false;
}
function yieldBeforeNextTask() {
  const y = beforeNextTask || owed;
  beforeNextTask = false;
  owed = false;
  return y;
}

// lib/substrate/futex.ts
var spinLimit = 1000;
function spin(i32, index, expect) {
  for (let i = 0;i < spinLimit; i++) {
    if (Atomics.load(i32, index) !== expect)
      return true;
  }
  return false;
}
function spinAt(site, i32, index, expect, rounds = 1, busy = 1) {
  if (spinLimit === 0 || !site.shouldSpin(busy))
    return false;
  const start = performance.now();
  for (let r = 1;; r++) {
    if (spin(i32, index, expect)) {
      site.record(performance.now() - start < SPIN_WORTH_MS);
      return true;
    }
    if (r >= rounds)
      break;
    yieldCpu();
  }
  site.record(false);
  return false;
}
var SPIN_WORTH_MS = 0.03;
var futexSite = new SpinSite;
function futexWait(heap, off, expect) {
  checkCancel();
  if (spinAt(futexSite, heap.i32, off >> 2, expect | 0))
    return;
  dropOwedYield();
  const traced = traceWaitStart(heap);
  shim().tio_futex_wait(heap.addr(off), expect | 0);
  traceWaitEnd(heap, traced, off);
}
function futexWaitUncancelable(heap, off, expect) {
  if (spinAt(futexSite, heap.i32, off >> 2, expect | 0))
    return;
  dropOwedYield();
  const traced = traceWaitStart(heap);
  shim().tio_futex_wait(heap.addr(off), expect | 0);
  traceWaitEnd(heap, traced, off);
}
function futexWaitTimeout(heap, off, expect, timeoutNs, cancelable = true) {
  if (cancelable)
    checkCancel();
  if (spinAt(futexSite, heap.i32, off >> 2, expect | 0))
    return true;
  dropOwedYield();
  const traced = traceWaitStart(heap);
  const rc = shim().tio_futex_wait_timeout(heap.addr(off), expect | 0, timeoutNs < 0n ? 0n : timeoutNs > 0x7fffffffffffffffn ? -1n : timeoutNs);
  traceWaitEnd(heap, traced, off);
  return rc !== -E.ETIMEDOUT;
}
function futexWaitAsync(heap, off, expect, check) {
  return waitWordAsync(heap, off, expect, check);
}
function futexWaitAsyncCancelable(heap, off, expect, check) {
  const watch = watchWordCancel(heap, off);
  if (watch === undefined)
    return waitWordAsync(heap, off, expect, check);
  const already = watch.canceled();
  if (already !== undefined)
    return Promise.reject(already);
  return waitWordAsync(heap, off, expect, check).then(() => {
    watch.stop();
    const why = watch.canceled();
    if (why !== undefined)
      throw why;
  }, (e) => {
    watch.stop();
    throw e;
  });
}
function futexWakeThreads(heap, off, maxWaiters) {
  const n = Math.min(maxWaiters, 2147483647);
  const woke = shim().tio_futex_wake(heap.addr(off), n);
  traceWake(heap, off, n);
  return woke;
}
function futexWake(heap, off, maxWaiters, after = "yield") {
  const threads = futexWakeThreads(heap, off, maxWaiters);
  const loops = Atomics.notify(heap.i32, off >> 2, Math.min(maxWaiters, 2147483647));
  if (threads <= 0 && (loops === 0 || loops <= asyncWaitsHere(heap, off)))
    return false;
  afterWake(after);
  return true;
}

// lib/io/reset_event.ts
var UNSET = 0;
var WAITING = 1;
var IS_SET = 2;
var eventSite = new SpinSite;

class ResetEvent {
  heap;
  ref;
  gen;
  index;
  waitersIndex;
  constructor(key, heap, ref, gen) {
    this.heap = heap;
    this.ref = ref;
    this.gen = gen;
    checkInternal(key, "ResetEvent");
    this.index = ref + ResetEventLayout.STATE >> 2;
    this.waitersIndex = gen === EMBEDDED ? -1 : ref + ResetEventLayout.WAITERS >> 2;
  }
  static init(io) {
    const heap = heapOf(io, "ResetEvent");
    const ref = heap.allocZeroed(ResetEventLayout.BYTES, BlockKind.RESET_EVENT);
    return new ResetEvent(INTERNAL, heap, ref, heap.generation(ref));
  }
  static from(heap, ref, gen) {
    checkRef(heap, ref, gen, BlockKind.RESET_EVENT, "ResetEvent");
    return new ResetEvent(INTERNAL, heap, ref, gen);
  }
  check() {
    if (this.gen !== EMBEDDED)
      checkHandle(this.heap, this.ref, this.gen, "ResetEvent");
  }
  isSet() {
    this.check();
    return Atomics.load(this.heap.i32, this.index) === IS_SET;
  }
  prepare() {
    return prepareWait(this.heap.i32, this.index);
  }
  enter() {
    if (this.waitersIndex >= 0)
      Atomics.add(this.heap.i32, this.waitersIndex, 1);
  }
  leave() {
    if (this.waitersIndex >= 0)
      Atomics.sub(this.heap.i32, this.waitersIndex, 1);
  }
  wait(io) {
    this.check();
    if (this.gen !== EMBEDDED)
      checkSameHeap(this.heap, heapOf(io, "ResetEvent"), "ResetEvent");
    const off = this.index << 2;
    this.enter();
    try {
      while (this.prepare())
        futexWait(this.heap, off, WAITING);
    } finally {
      this.leave();
    }
  }
  waitUncancelable() {
    this.check();
    const off = this.index << 2;
    this.enter();
    try {
      while (this.prepare())
        futexWaitUncancelable(this.heap, off, WAITING);
    } finally {
      this.leave();
    }
  }
  waitTimeout(io, timeout, cancelable = true) {
    this.check();
    checkIo(io, "ResetEvent");
    const deadline = io.now("awake").addDuration(timeout);
    const off = this.index << 2;
    this.enter();
    try {
      while (this.prepare()) {
        const left = io.now("awake").durationTo(deadline).nanoseconds;
        if (left <= 0n)
          return this.isSet();
        futexWaitTimeout(this.heap, off, WAITING, left, cancelable);
      }
      return true;
    } finally {
      this.leave();
    }
  }
  waitBounded(ns, cancelable = true) {
    if (typeof ns === "number" && Number.isInteger(ns))
      ns = BigInt(ns);
    if (typeof ns !== "bigint")
      throw new TypeError(`ResetEvent.waitBounded takes nanoseconds as a bigint (or an integer number), not ${describe2(ns)}`);
    this.check();
    if (!this.prepare())
      return true;
    this.enter();
    try {
      futexWaitTimeout(this.heap, this.index << 2, WAITING, ns, cancelable);
    } finally {
      this.leave();
    }
    return this.isSet();
  }
  waitAsync(check) {
    return new Promise((resolve, reject) => {
      this.check();
      this.enter();
      const watch = watchWordCancel(this.heap, this.index << 2);
      onEventSet(this.heap, this.index << 2, check, (e) => {
        watch?.stop();
        this.leave();
        if (e === undefined)
          resolve();
        else
          reject(e);
      }, watch?.canceled);
    });
  }
  async waitAsyncTimeout(ms) {
    if (Number.isNaN(ms))
      throw new RangeError("waitAsyncTimeout: the timeout is NaN");
    this.check();
    const off = this.index << 2;
    let expired = false;
    const timer = ms < 2147483647 ? setTimeout(() => {
      expired = true;
      Atomics.notify(this.heap.i32, this.index);
    }, Math.max(0, ms)) : undefined;
    this.enter();
    try {
      while (this.prepare()) {
        if (expired)
          return this.isSet();
        await futexWaitAsync(this.heap, off, WAITING);
      }
      return true;
    } finally {
      this.leave();
      clearTimeout(timer);
    }
  }
  set() {
    this.check();
    if (Atomics.exchange(this.heap.i32, this.index, IS_SET) === WAITING) {
      futexWake(this.heap, this.index << 2, 2147483647);
    }
  }
  reset() {
    this.check();
    Atomics.store(this.heap.i32, this.index, UNSET);
  }
  [SHARED_REF]() {
    this.check();
    return ["reset_event", this.ref, this.gen, this.heap.base];
  }
  deinit() {
    this.check();
    if (this.gen === EMBEDDED)
      throw new Error("An embedded event is freed with its owner");
    const waiting = Atomics.load(this.heap.i32, this.waitersIndex);
    if (waiting !== 0) {
      throw new BugError(`ResetEvent.deinit while ${waiting} waiter${waiting === 1 ? " is" : "s are"} waiting on it: set it or cancel them and let them return first`);
    }
    this.gen = FREED_HERE;
    this.heap.free(this.ref);
  }
  [Symbol.dispose]() {
    this.deinit();
  }
}
function prepareWait(i32, index) {
  let state = Atomics.load(i32, index);
  if (state === UNSET && spinAt(eventSite, i32, index, UNSET))
    state = Atomics.load(i32, index);
  if (state === IS_SET)
    return false;
  if (state === UNSET)
    return Atomics.compareExchange(i32, index, UNSET, WAITING) !== IS_SET;
  return true;
}
function onEventSet(heap, off, check, done, stopped) {
  const again = (e) => {
    if (e !== undefined)
      return done(e);
    if (!prepareWait(heap.i32, off >> 2))
      return done();
    const why = stopped?.();
    if (why !== undefined)
      done(why);
    else
      onWordChange(heap, off, WAITING, check, again);
  };
  again();
}
function setAtTaskEnd(heap, ref) {
  const index = ref + ResetEventLayout.STATE >> 2;
  if (Atomics.exchange(heap.i32, index, IS_SET) !== WAITING)
    return false;
  return futexWake(heap, index << 2, 2147483647, "next");
}
function embeddedResetEvent(heap, ref) {
  return heapHandle(ResetEvent, heap, ref, EMBEDDED);
}
function reviveResetEvent(heap, ref, gen) {
  checkRef(heap, ref, gen, BlockKind.RESET_EVENT, "ResetEvent", true);
  return heapHandle(ResetEvent, heap, ref, gen);
}

// lib/substrate/codec.ts
import { deserialize, serialize as serialize2 } from "bun:jsc";

// lib/substrate/error_record.ts
var ERROR_MARK = "__threadedIoError";
var MAX_DEPTH = 8;
var builtins = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  AggregateError
};
var builtin = (name) => Object.hasOwn(builtins, name) ? builtins[name] : undefined;
var builtinByCtor = new Map(Object.entries(builtins).map(([k, v]) => [v, k]));
var registered = new Map;
function registerErrorClass(ctor, name = ctor.name) {
  if (typeof ctor !== "function" || !(ctor.prototype instanceof Error))
    throw new TypeError("registerErrorClass takes a class that extends Error");
  if (!name)
    throw new TypeError("An error class needs a name to cross threads");
  const known = registered.get(name);
  if (known !== undefined && known !== ctor)
    throw new TypeError(`Another error class is already registered as "${name}"`);
  registered.set(name, ctor);
  nameByCtor.set(ctor, name);
}
var nameByCtor = new Map;
registerErrorClass(IoError);
registerErrorClass(Canceled);
registerErrorClass(BugError);
function baseOf(err) {
  for (let p = Object.getPrototypeOf(err);p !== null; p = Object.getPrototypeOf(p)) {
    const name = builtinByCtor.get(p.constructor);
    if (name !== undefined)
      return name;
  }
  return "Error";
}
function errorRecord(err, encode, depth = 0, seen = new Set) {
  if (!(err instanceof Error)) {
    return {
      [ERROR_MARK]: true,
      thrown: true,
      className: "thrown",
      base: "Error",
      name: "Error",
      message: String(err),
      value: encodeNested(err, encode, depth, seen)
    };
  }
  seen.add(err);
  const ctor = err.constructor;
  const rec = {
    [ERROR_MARK]: true,
    className: nameByCtor.get(ctor) ?? builtinByCtor.get(ctor) ?? ctor?.name ?? "Error",
    base: baseOf(err),
    name: err.name,
    message: err.message,
    stack: err.stack
  };
  if (Object.hasOwn(err, "cause")) {
    rec.hasCause = true;
    rec.cause = encodeNested(err.cause, encode, depth, seen);
  }
  const keys = Object.keys(err);
  if (keys.length > 0) {
    const fields = {};
    for (const k of keys) {
      const v = err[k];
      if (typeof v === "function" || typeof v === "symbol")
        continue;
      if (k === "stack" || k === "__proto__")
        continue;
      fields[k] = encodeNested(v, encode, depth, seen);
    }
    rec.fields = fields;
  }
  if (err instanceof AggregateError && Array.isArray(err.errors))
    rec.errors = err.errors.map((e) => encodeNested(e, encode, depth, seen));
  seen.delete(err);
  return rec;
}
function encodeNested(v, encode, depth, seen) {
  if (v instanceof Error) {
    if (seen.has(v) || depth >= MAX_DEPTH)
      return "[circular]";
    return errorRecord(v, encode, depth + 1, seen);
  }
  return encode(v);
}
function isErrorRecord(v) {
  return typeof v === "object" && v !== null && v[ERROR_MARK] === true;
}
function errorFromRecord(raw, decode) {
  if (!isErrorRecord(raw))
    return new Error("Task failed with an undecodable error");
  const rec = raw;
  if (rec.thrown === true)
    return decodeNested(rec.value, decode);
  const Base = builtin(rec.base) ?? Error;
  const Class = registered.get(rec.className) ?? builtin(rec.className) ?? Base;
  const options = rec.hasCause ? { cause: decodeNested(rec.cause, decode) } : undefined;
  const err = Base === AggregateError ? Reflect.construct(AggregateError, [(rec.errors ?? []).map((e) => decodeNested(e, decode)), rec.message, options], Class) : Reflect.construct(Base, [rec.message, options], Class);
  if (rec.fields !== undefined) {
    for (const [k, v] of Object.entries(rec.fields)) {
      if (k === "__proto__")
        continue;
      err[k] = decodeNested(v, decode);
    }
  }
  if (err.name !== rec.name)
    err.name = rec.name;
  if (rec.stack !== undefined)
    err.stack = rec.stack;
  return err;
}
function decodeNested(v, decode) {
  return isErrorRecord(v) ? errorFromRecord(v, decode) : decode(v);
}

// lib/substrate/codec_locate.ts
import { serialize } from "bun:jsc";
function* children(value, path, limit) {
  if (value instanceof Map) {
    let n = 0;
    for (const [k, x] of value) {
      if (n++ >= limit)
        return;
      yield [x, `${path}.get(${typeof k === "string" ? JSON.stringify(k) : String(k)})`];
    }
    return;
  }
  if (value instanceof Set) {
    let n = 0;
    for (const x of value) {
      if (n >= limit)
        return;
      yield [x, `${path}.<item ${n++}>`];
    }
    return;
  }
  let keys;
  try {
    keys = Object.keys(value).slice(0, limit);
  } catch {
    return;
  }
  for (const key of keys) {
    let child;
    try {
      child = value[key];
    } catch {
      continue;
    }
    yield [child, /^\d+$/.test(key) ? `${path}[${key}]` : `${path}.${key}`];
  }
}
function locateFunction(value, path, depth, seen) {
  if (typeof value === "function")
    return path;
  if (typeof value !== "object" || value === null || seen.has(value) || depth >= 64)
    return "";
  if (isShared(value))
    return "";
  seen.add(value);
  for (const [child, at] of children(value, path, Infinity)) {
    const found = locateFunction(child, at, depth + 1, seen);
    if (found !== "")
      return found;
  }
  return "";
}
function locateStaying(value, path = "", depth = 0, seen = new Set) {
  if (typeof value !== "object" || value === null || seen.has(value) || depth >= 64)
    return null;
  if (isShared(value))
    return null;
  if (staysOnThread(value) !== undefined)
    return { path, value };
  seen.add(value);
  for (const [child, at] of children(value, path, Infinity)) {
    const found = locateStaying(child, at, depth + 1, seen);
    if (found !== null)
      return found;
  }
  return null;
}
function locateUncloneable(value, path, depth, seen = new Set) {
  try {
    serialize(value);
    return null;
  } catch {}
  if (typeof value !== "object" || value === null || depth >= 16)
    return { path, value };
  if (staysOnThread(value) !== undefined)
    return { path, value };
  seen.add(value);
  for (const [child, at] of children(value, path, 1000)) {
    if (typeof child === "object" && child !== null && (seen.has(child) || isShared(child)))
      continue;
    const inner = locateUncloneable(child, at, depth + 1, seen);
    if (inner !== null)
      return inner;
  }
  return { path, value };
}

// lib/substrate/codec_marks.ts
var RESERVED_PREFIX = "__threadedIo";
var MARK = "__threadedIoRef";
var VALUE_MARK = "__threadedIoValue";
var LITERAL_MARK = "__threadedIoLiteral";
function isReservedKey(key) {
  return key.charCodeAt(0) === 95 && key.startsWith(RESERVED_PREFIX);
}
function sharedMark(v) {
  const r = v[SHARED_REF]();
  if (r.length === 4 && r[0] !== "file" && r[0] !== "dir") {
    checkOwner(r[0], r[3]);
    return { [MARK]: [r[0], r[1], r[2]] };
  }
  return { [MARK]: r };
}
var STAYS_REFUSAL = Symbol("stays on its thread");
function refuseIfStays(v) {
  if (staysOnThread(v) !== undefined)
    throw STAYS_REFUSAL;
}
function setOwn(o, key, v) {
  if (key === "__proto__")
    Object.defineProperty(o, key, {
      value: v,
      writable: true,
      enumerable: true,
      configurable: true
    });
  else
    o[key] = v;
}

// lib/substrate/clone_kind.ts
var types;
var brands = () => types ??= import.meta.require("node:util/types");
var CloneKind = {
  MAP: 0,
  SET: 1,
  WHOLE: 2,
  INSTANCE: 3,
  OTHER: 4
};
var blobSize = Object.getOwnPropertyDescriptor(Blob.prototype, "size")?.get;
function cloneKind(v) {
  const t = brands();
  if (t.isMap(v))
    return CloneKind.MAP;
  if (t.isSet(v))
    return CloneKind.SET;
  if (t.isDate(v) || t.isRegExp(v) || t.isBoxedPrimitive(v) || t.isWeakMap(v) || t.isWeakSet(v) || t.isPromise(v) || isBlob(v))
    return CloneKind.WHOLE;
  return Object.prototype.toString.call(v) === "[object Object]" ? CloneKind.INSTANCE : CloneKind.OTHER;
}
function isBlob(v) {
  if (!(v instanceof Blob) || blobSize === undefined)
    return false;
  try {
    blobSize.call(v);
    return true;
  } catch {
    return false;
  }
}
var mapEntries = (m) => Map.prototype.entries.call(m);
var setValues = (s) => Set.prototype.values.call(s);

// lib/substrate/value_registry.ts
var valueClasses = new Map;
var valueKinds = new Map;
function registerValueClass(kind, ctor, toData, fromData) {
  valueClasses.set(kind, {
    ctor,
    toData,
    fromData
  });
  valueKinds.set(ctor, kind);
}

// lib/substrate/codec_replace.ts
function replacing(take) {
  return { memo: new Map, take };
}
function replaceShared(v, r) {
  if (typeof v !== "object" || v === null) {
    if (typeof v === "function")
      throw refuseFunction();
    return v;
  }
  const known = r.memo.get(v);
  if (known !== undefined)
    return known;
  const out = replaceObject(v, r);
  r.memo.set(v, out);
  return out;
}
function replaceObject(v, r) {
  if (isShared(v))
    return sharedMark(v);
  refuseSharedMemory(v);
  if (v instanceof ArrayBuffer || ArrayBuffer.isView(v))
    return r.take?.(v) ?? v;
  if (v instanceof Error) {
    r.memo.set(v, "[circular]");
    return errorRecord(v, (x) => replaceShared(x, r));
  }
  if (Array.isArray(v))
    return replaceArray(v, r);
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null)
    return replaceProperties(v, r);
  const kind = valueKinds.get(proto.constructor);
  if (kind !== undefined) {
    r.memo.set(v, v);
    return { [VALUE_MARK]: [kind, replaceShared(valueClasses.get(kind).toData(v), r)] };
  }
  refuseIfStays(v);
  switch (cloneKind(v)) {
    case CloneKind.MAP: {
      const copy = new Map;
      r.memo.set(v, copy);
      for (const [k, x] of Array.from(mapEntries(v)))
        copy.set(replaceShared(k, r), replaceShared(x, r));
      return copy;
    }
    case CloneKind.SET: {
      const copy = new Set;
      r.memo.set(v, copy);
      for (const x of Array.from(setValues(v)))
        copy.add(replaceShared(x, r));
      return copy;
    }
    case CloneKind.WHOLE:
      return v;
    case CloneKind.INSTANCE:
      return replaceProperties(v, r);
    default:
      return replaceOther(v, r);
  }
}
function replaceArray(v, r) {
  const copy = new Array(v.length);
  const keys = Object.keys(v);
  let present = 0;
  for (let i = 0;i < v.length; i++)
    if (i in v)
      present++;
  const out = keys.length !== present ? { [LITERAL_MARK]: copy } : copy;
  r.memo.set(v, out);
  for (const key of keys)
    setOwn(copy, key, replaceShared(v[key], r));
  return out;
}
function replaceProperties(v, r) {
  const keys = Object.keys(v);
  const copy = {};
  const out = keys.some(isReservedKey) ? { [LITERAL_MARK]: copy } : copy;
  r.memo.set(v, out);
  for (const key of keys)
    setOwn(copy, key, replaceShared(v[key], r));
  return out;
}
function replaceOther(v, r) {
  r.memo.set(v, v);
  const keys = Object.keys(v);
  const values = keys.map((k) => v[k]);
  let changed = keys.some(isReservedKey);
  for (let i = 0;i < keys.length; i++) {
    const x = replaceShared(values[i], r);
    if (x !== values[i] && x === x)
      changed = true;
    values[i] = x;
  }
  if (!changed)
    return v;
  const copy = {};
  for (let i = 0;i < keys.length; i++)
    setOwn(copy, keys[i], values[i]);
  return keys.some(isReservedKey) ? { [LITERAL_MARK]: copy } : copy;
}

// lib/substrate/binary_payload.ts
import { ptr as ptr2 } from "bun:ffi";

// lib/substrate/native_memory.ts
import { toArrayBuffer } from "bun:ffi";
var SLOT_BITS = 20;
var SLOT_MASK = (1 << SLOT_BITS) - 1;
var SLOT_WORDS = 8;
var MAX_VIEW_BYTES = 2 ** 32;
var MAP_MIN_BYTES = 1 << 20;
var SLOT_TABLE_BYTES = (1 << SLOT_BITS) * SLOT_WORDS * 4;
var table;
var unrefFn;
function slots() {
  if (table !== undefined)
    return table;
  const s = shim();
  const p = s.tio_mem_table();
  if (p === null)
    throw new IoError("OutOfMemory", { message: "OutOfMemory: no slot table" });
  unrefFn = s.tio_mem_unref_fn();
  return table = new Int32Array(toArrayBuffer(p, 0, SLOT_TABLE_BYTES));
}
function allocBlock(length, zero = true) {
  slots();
  const h = shim().tio_mem_alloc(length, zero ? 1 : 0);
  if (h >= 0)
    return h;
  if (h === -E.EMFILE)
    throw new IoError("SystemResources", {
      message: `SystemResources: more than ${SLOT_MASK} blocks of shared memory at once`
    });
  throw new IoError("OutOfMemory", {
    message: `OutOfMemory: cannot allocate ${length} bytes of shared memory`
  });
}
function isLive2(handle) {
  const t = slots();
  const i = (handle & SLOT_MASK) * SLOT_WORDS;
  return t[i + 1] === 1 && t[i] === Math.floor(handle / (1 << SLOT_BITS));
}
function freeBlock(handle) {
  views.delete(handle);
  return shim().tio_mem_free(handle) === 0;
}
function blockAddress(handle) {
  const p = shim().tio_mem_address(handle);
  if (p === null)
    throw new RangeError(`Shared memory block "${handle}" is not allocated`);
  return p;
}
var views = new Map;
var owners = new WeakMap;
function blockOf(buffer) {
  return owners.get(buffer);
}
var sweepAt = 64;
function blockLength(handle) {
  if (!isLive2(handle))
    return 0;
  const i = (handle & SLOT_MASK) * SLOT_WORDS;
  const t = slots();
  return (t[i + 2] >>> 0) + t[i + 3] * 2 ** 32;
}
function blockBytes(handle) {
  const cached = views.get(handle);
  if (cached !== undefined) {
    if (isLive2(handle))
      return cached;
    views.delete(handle);
    return;
  }
  if (!isLive2(handle))
    return;
  const length = blockLength(handle);
  if (length === 0)
    return new Uint8Array(0);
  if (length > MAX_VIEW_BYTES)
    throw new RangeError(`Block of ${length} bytes is too long to view`);
  const p = shim().tio_mem_view(handle);
  if (p === null)
    return;
  let u8;
  try {
    const withDeallocator = toArrayBuffer;
    u8 = new Uint8Array(withDeallocator(p, 0, length, handle, unrefFn));
  } catch (e) {
    throw new RangeError(`Cannot map ${length} bytes of shared memory: ${e.message}`, {
      cause: e
    });
  }
  if (views.size >= sweepAt)
    sweep();
  views.set(handle, u8);
  owners.set(u8.buffer, { handle, length });
  return u8;
}
function sweep() {
  for (const handle of views.keys())
    if (!isLive2(handle))
      views.delete(handle);
  sweepAt = Math.max(64, views.size * 2);
}
var statsOut = new Float64Array(6);
function trimNativeMemory() {
  shim().tio_mem_trim();
}
function nativeMemoryStats() {
  slots();
  shim().tio_mem_stats(statsOut);
  return {
    liveBlocks: statsOut[0],
    liveBytes: statsOut[1],
    heldBytes: statsOut[2],
    peakBytes: statsOut[3],
    allocations: statsOut[4],
    cachedBytes: statsOut[5]
  };
}

// lib/substrate/binary_payload.ts
var PAYLOAD_BINARY = 2;
var SHARED_SEGMENT = -1;
function freedBlock(handle, length) {
  return new BugError(`Use after free: passing a view of SharedBytes (${length} bytes, handle ${handle}), which was freed`);
}
var BINARY_MARK = "__threadedIoBytes";
var TYPES = [
  "ArrayBuffer",
  "DataView",
  "Int8Array",
  "Uint8Array",
  "Uint8ClampedArray",
  "Int16Array",
  "Uint16Array",
  "Int32Array",
  "Uint32Array",
  "Float32Array",
  "Float64Array",
  "BigInt64Array",
  "BigUint64Array",
  "Float16Array"
];
var TYPE_CODE = new Map(TYPES.map((name, i) => [name, i]));
var CTORS = TYPES.map((name) => globalThis[name]);

class BinaryCollector {
  specs = [];
  segments = [];
  views = new Map;
  buffers = new Map;
  bytes = 0;
  take(v) {
    const known = this.views.get(v);
    if (known !== undefined)
      return { [BINARY_MARK]: known };
    let buffer;
    let type;
    let byteOffset = 0;
    let length = 0;
    if (v instanceof ArrayBuffer) {
      buffer = v;
      type = 0;
    } else if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) {
      buffer = v.buffer;
      type = v instanceof DataView ? 1 : TYPE_CODE.get(v[Symbol.toStringTag]);
      byteOffset = v.byteOffset;
      length = v instanceof DataView ? v.byteLength : v.length;
    } else {
      return;
    }
    if (type === undefined || CTORS[type] === undefined || buffer.resizable || buffer.detached)
      return;
    const index = this.specs.length;
    const block = blockOf(buffer);
    if (block !== undefined) {
      if (!isLive2(block.handle))
        throw freedBlock(block.handle, block.length);
      this.specs.push([SHARED_SEGMENT, type, byteOffset, length, block.handle, block.length]);
      this.views.set(v, index);
      return { [BINARY_MARK]: index };
    }
    let segment = this.buffers.get(buffer);
    if (segment === undefined) {
      segment = this.segments.length;
      this.segments.push(buffer);
      this.buffers.set(buffer, segment);
      this.bytes += buffer.byteLength;
    }
    this.specs.push([segment, type, byteOffset, length]);
    this.views.set(v, index);
    return { [BINARY_MARK]: index };
  }
}
var sentHuge = false;
var COLLECT_AFTER_BYTES = 32 << 20;
function takeCollectHint() {
  if (!sentHuge)
    return false;
  sentHuge = false;
  return true;
}
function encodeBinary(skeleton, c) {
  const n = c.segments.length;
  const tableBytes = 8 + 16 + 16 * n;
  const head = new Uint8Array(tableBytes + skeleton.length);
  const f64 = new Float64Array(head.buffer, 8, 2 + 2 * n);
  head[0] = PAYLOAD_BINARY;
  f64[0] = n;
  f64[1] = skeleton.length;
  const inline = [];
  const handles = [];
  let bytes = head.length;
  try {
    for (let i = 0;i < n; i++) {
      const seg = c.segments[i];
      const len = seg.byteLength;
      let handle = 0;
      if (len >= MAP_MIN_BYTES) {
        handle = allocBlock(len, false);
        handles.push(handle);
        shim().tio_memcpy(blockAddress(handle), ptr2(seg), len);
        if (len >= COLLECT_AFTER_BYTES)
          sentHuge = true;
      } else {
        inline.push(seg);
        bytes += len;
      }
      f64[2 + 2 * i] = handle;
      f64[3 + 2 * i] = len;
    }
  } catch (e) {
    for (const h of handles)
      freeBlock(h);
    throw e;
  }
  head.set(skeleton, tableBytes);
  return { head, inline, handles, bytes };
}
function writeBinary(u8, at, p) {
  u8.set(p.head, at);
  let pos = at + p.head.length;
  for (const seg of p.inline) {
    u8.set(new Uint8Array(seg), pos);
    pos += seg.byteLength;
  }
}
function dropBinary(p) {
  for (const h of p.handles)
    freeBlock(h);
}
function table2(u8, at) {
  const n = new Float64Array(u8.slice(at + 8, at + 16).buffer)[0];
  return new Float64Array(u8.slice(at + 8, at + 24 + 16 * n).buffer);
}
function decodeBinary(u8, at, fromSkeleton) {
  const t = table2(u8, at);
  const n = t[0];
  const skeletonAt = at + 24 + 16 * n;
  const { s: specs, v } = fromSkeleton(u8, skeletonAt, t[1]);
  const segments = [];
  let pos = skeletonAt + t[1];
  for (let i = 0;i < n; i++) {
    const handle = t[2 + 2 * i];
    const len = t[3 + 2 * i];
    if (handle === 0) {
      segments.push(u8.slice(pos, pos + len).buffer);
      pos += len;
    } else {
      const ab = new ArrayBuffer(len);
      shim().tio_memcpy(ptr2(ab), blockAddress(handle), len);
      segments.push(ab);
    }
  }
  const made = [];
  const view = (i) => {
    const existing = made[i];
    if (existing !== undefined)
      return existing;
    const spec = specs[i];
    if (spec === undefined)
      throw new BugError(`Binary payload has no view ${i}`);
    const [segment, type, byteOffset, length, handle] = spec;
    let buffer;
    if (segment === SHARED_SEGMENT) {
      const whole = blockBytes(handle);
      if (whole === undefined)
        throw freedBlock(handle, spec[5]);
      buffer = whole.buffer;
    } else {
      buffer = segments[segment];
    }
    const out = type === 0 ? buffer : new CTORS[type](buffer, byteOffset, length);
    made[i] = out;
    return out;
  };
  return { skeleton: v, view };
}
function releaseBinary(u8, at) {
  if (u8[at] !== PAYLOAD_BINARY)
    return;
  const t = table2(u8, at);
  for (let i = 0;i < t[0]; i++)
    if (t[2 + 2 * i] !== 0)
      freeBlock(t[2 + 2 * i]);
}

// lib/substrate/codec_scan.ts
function newScan() {
  return { replaced: new Map, exact: true, nodes: 0, objects: 0, binary: undefined, arrays: [] };
}
var JSON_STRING_LIMIT = 4096;
function namedProperties(arrays) {
  for (const a of arrays) {
    let n = 0;
    for (const _ in a)
      n++;
    if (n !== a.length)
      return true;
  }
  return false;
}
var IN_PROGRESS = Symbol("in progress");
var NOT_SCANNED = Symbol("not scanned");
function scan(v, st) {
  if (typeof v !== "object" || v === null)
    return scanLeaf(v, st);
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype)
    return scanObject(v, st);
  if (proto === Array.prototype && Array.isArray(v))
    return scanArray(v, st);
  return scanOther(v, proto, st);
}
function scanOther(v, proto, st) {
  if (isShared(v)) {
    const known = st.replaced.get(v);
    if (known !== undefined)
      return visitedAgain(known, st);
    const mark = sharedMark(v);
    st.replaced.set(v, mark);
    return mark;
  }
  refuseSharedMemory(v);
  if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
    const placeholder = (st.binary ??= new BinaryCollector).take(v);
    if (placeholder !== undefined)
      return placeholder;
    st.exact = false;
    return v;
  }
  if (v instanceof Error)
    throw NOT_SCANNED;
  const kind = valueKinds.get(proto?.constructor);
  if (kind !== undefined) {
    const known = st.replaced.get(v);
    if (known !== undefined)
      return visitedAgain(known, st);
    st.replaced.set(v, IN_PROGRESS);
    const mark = { [VALUE_MARK]: [kind, scan(valueClasses.get(kind).toData(v), st)] };
    st.replaced.set(v, mark);
    return mark;
  }
  st.exact = false;
  if (Array.isArray(v))
    return scanArray(v, st);
  if (proto === null)
    return scanObject(v, st);
  refuseIfStays(v);
  switch (cloneKind(v)) {
    case CloneKind.MAP:
      return scanMap(v, st);
    case CloneKind.SET:
      return scanSet(v, st);
    case CloneKind.WHOLE:
      return v;
    default:
      return scanInstance(v, st);
  }
}
function scanLeaf(v, st) {
  st.nodes++;
  switch (typeof v) {
    case "number":
      if (v - v !== 0 || v === 0 && 1 / v < 0)
        st.exact = false;
      return v;
    case "string":
      if (v.length > JSON_STRING_LIMIT)
        st.exact = false;
      return v;
    case "boolean":
      return v;
    case "function":
      throw refuseFunction();
    default:
      if (v !== null)
        st.exact = false;
      return v;
  }
}
function scanArray(a, st) {
  const again = enter(a, st);
  if (again !== FRESH)
    return again;
  if (st.exact)
    st.arrays.push(a);
  let copy;
  let holes = 0;
  const n = a.length;
  for (let i = 0;i < n; i++) {
    if (!(i in a)) {
      st.exact = false;
      holes++;
      continue;
    }
    const item = a[i];
    const r = scan(item, st);
    if (replacedBy(r, item) && copy === undefined)
      copy = copyIndices(a, i);
    if (copy !== undefined)
      copy[i] = r;
  }
  if (copy !== undefined) {
    const keys = Object.keys(a);
    for (let i = n - holes;i < keys.length; i++)
      setOwn(copy, keys[i], a[keys[i]]);
  }
  const out = copy ?? a;
  st.replaced.set(a, out);
  return out;
}
function copyIndices(a, end) {
  const copy = new Array(a.length);
  for (let i = 0;i < end; i++)
    if (i in a)
      copy[i] = a[i];
  return copy;
}
function scanObject(o, st) {
  const again = enter(o, st);
  if (again !== FRESH)
    return again;
  let copy;
  let reserved = false;
  for (const key in o) {
    const item = o[key];
    if (key === "__proto__")
      st.exact = false;
    if (isReservedKey(key))
      reserved = true;
    const r = scan(item, st);
    if (replacedBy(r, item) && copy === undefined)
      copy = { ...o };
    if (copy !== undefined)
      setOwn(copy, key, r);
  }
  const out = reserved ? { [LITERAL_MARK]: copy ?? { ...o } } : copy ?? o;
  st.replaced.set(o, out);
  return out;
}
function scanInstance(o, st) {
  const again = enter(o, st);
  if (again !== FRESH)
    return again;
  const keys = Object.keys(o);
  const values = keys.map((k) => o[k]);
  let changed = false;
  let reserved = false;
  for (let i = 0;i < keys.length; i++) {
    if (isReservedKey(keys[i]))
      reserved = true;
    const r = scan(values[i], st);
    if (replacedBy(r, values[i]))
      changed = true;
    values[i] = r;
  }
  let out = o;
  if (changed || reserved) {
    const copy = {};
    for (let i = 0;i < keys.length; i++)
      setOwn(copy, keys[i], values[i]);
    out = reserved ? { [LITERAL_MARK]: copy } : copy;
  }
  st.replaced.set(o, out);
  return out;
}
function scanMap(m, st) {
  const again = enter(m, st);
  if (again !== FRESH)
    return again;
  const entries = Array.from(mapEntries(m));
  let changed = false;
  for (const e of entries) {
    const k = scan(e[0], st);
    const x = scan(e[1], st);
    if (replacedBy(k, e[0]) || replacedBy(x, e[1]))
      changed = true;
    e[0] = k;
    e[1] = x;
  }
  const out = changed ? new Map(entries) : m;
  st.replaced.set(m, out);
  return out;
}
function scanSet(s, st) {
  const again = enter(s, st);
  if (again !== FRESH)
    return again;
  const items = Array.from(setValues(s));
  let changed = false;
  for (let i = 0;i < items.length; i++) {
    const r = scan(items[i], st);
    if (replacedBy(r, items[i]))
      changed = true;
    items[i] = r;
  }
  const out = changed ? new Set(items) : s;
  st.replaced.set(s, out);
  return out;
}
var FRESH = Symbol("fresh");
function enter(o, st) {
  const known = st.replaced.get(o);
  if (known !== undefined)
    return visitedAgain(known, st);
  st.replaced.set(o, IN_PROGRESS);
  st.nodes++;
  st.objects++;
  return FRESH;
}
function replacedBy(r, v) {
  return r !== v && r === r;
}
function visitedAgain(known, st) {
  if (known === IN_PROGRESS)
    throw NOT_SCANNED;
  st.exact = false;
  return known;
}

// lib/substrate/codec_revive.ts
function reviving(revive, view) {
  return { revive, view, memo: new Map };
}
function reviveShared(v, c) {
  if (typeof v !== "object" || v === null)
    return v;
  const known = c.memo.get(v);
  if (known !== undefined)
    return known;
  if (Array.isArray(v)) {
    c.memo.set(v, v);
    for (let i = 0;i < v.length; i++)
      if (i in v)
        v[i] = reviveShared(v[i], c);
    return v;
  }
  if (v instanceof Map) {
    c.memo.set(v, v);
    const entries = [...v];
    v.clear();
    for (const [k, x] of entries)
      v.set(reviveShared(k, c), reviveShared(x, c));
    return v;
  }
  if (v instanceof Set) {
    c.memo.set(v, v);
    const items = [...v];
    v.clear();
    for (const x of items)
      v.add(reviveShared(x, c));
    return v;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null)
    return v;
  const o = v;
  const keys = Object.keys(o);
  if (keys.length === 1 && isReservedKey(keys[0])) {
    const marked = reviveMark(o, keys[0], c);
    if (marked !== NOT_A_MARK)
      return marked;
  } else if (isErrorRecord(o)) {
    c.memo.set(v, v);
    const err = errorFromRecord(o, (x) => reviveShared(x, c));
    c.memo.set(v, err);
    return err;
  }
  c.memo.set(v, v);
  for (const key of keys)
    o[key] = reviveShared(o[key], c);
  return v;
}
var NOT_A_MARK = Symbol("not a mark");
function reviveMark(o, key, c) {
  const body = o[key];
  let out = NOT_A_MARK;
  switch (key) {
    case MARK:
      if (Array.isArray(body))
        out = c.revive(body[0], body[1], body[2], body[3]);
      break;
    case VALUE_MARK: {
      const cls = Array.isArray(body) ? valueClasses.get(body[0]) : undefined;
      if (cls !== undefined) {
        c.memo.set(o, o);
        const data = reviveShared(body[1], c);
        enterReviving(c.revive.heap);
        try {
          out = cls.fromData(data);
        } finally {
          leaveReviving();
        }
      }
      break;
    }
    case BINARY_MARK:
      if (typeof body === "number" && c.view !== undefined)
        out = c.view(body);
      break;
    case LITERAL_MARK:
      if (typeof body === "object" && body !== null) {
        c.memo.set(o, body);
        c.memo.set(body, body);
        const inner = body;
        for (const k of Object.keys(inner))
          inner[k] = reviveShared(inner[k], c);
        out = body;
      }
      break;
  }
  if (out !== NOT_A_MARK)
    c.memo.set(o, out);
  return out;
}

// lib/substrate/json_payload.ts
var NODE_BUDGET = 64;
var STRING_LIMIT = 4096;
function jsonExact(v) {
  return exact(v, { budget: NODE_BUDGET, seen: [] });
}
function exact(x, walk) {
  if (--walk.budget < 0)
    return false;
  switch (typeof x) {
    case "string":
      return x.length <= STRING_LIMIT;
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(x) && !Object.is(x, -0);
    case "object": {
      if (x === null)
        return true;
      if (walk.seen.includes(x))
        return false;
      walk.seen.push(x);
      const proto = Object.getPrototypeOf(x);
      if (Array.isArray(x)) {
        if (proto !== Array.prototype)
          return false;
        for (let i = 0;i < x.length; i++)
          if (!(i in x) || !exact(x[i], walk))
            return false;
        return Object.keys(x).length === x.length;
      }
      if (proto !== Object.prototype)
        return false;
      for (const key of Object.keys(x)) {
        if (key === "__proto__")
          return false;
        const item = x[key];
        if (item === undefined || !exact(item, walk))
          return false;
      }
      return true;
    }
    default:
      return false;
  }
}
var encoder2 = new TextEncoder;
var decoder2 = new TextDecoder;
var scratch = new Uint8Array(1024);
var scratchBody = scratch.subarray(1);
function jsonBytes(tag, v) {
  const text = JSON.stringify(v);
  if (text.length * 3 > scratchBody.length) {
    scratch = new Uint8Array(1 + text.length * 3);
    scratchBody = scratch.subarray(1);
  }
  scratch[0] = tag;
  const { written } = encoder2.encodeInto(text, scratchBody);
  return scratch.slice(0, 1 + written);
}
function fromJsonBytes(u8, at, length) {
  return JSON.parse(decoder2.decode(u8.slice(at + 1, at + length)));
}

// lib/substrate/number_args.ts
var IO_FIRST = 1073741824;
var IO_BASIC_FIRST = 536870912;
var COUNT_MASK = 268435455;
function fromF64(v) {
  return (v | 0) === v && !Object.is(v, -0) ? v | 0 : v;
}
var NUMBER_ARG = 0;
var BYTES_ARG = 1;
var BYTES_KIND = "shared_bytes";
function encodeMixed(args, start, flags) {
  const count = args.length - start;
  if (count > COUNT_MASK)
    return;
  const kinds = [];
  const numbers = [];
  const bytesClass = valueClasses.get(BYTES_KIND);
  for (let i = start;i < args.length; i++) {
    const a = args[i];
    if (typeof a === "number") {
      kinds.push(NUMBER_ARG);
      numbers.push(a);
    } else if (bytesClass !== undefined && typeof a === "object" && a !== null && Object.getPrototypeOf(a) === bytesClass.ctor.prototype) {
      kinds.push(BYTES_ARG);
      numbers.push(...bytesClass.toData(a));
    } else {
      return;
    }
  }
  return {
    format: Format.MIXED,
    length: (count | flags) >>> 0,
    bytes: kindBytes(count) + numbers.length * 8,
    numbers,
    kinds
  };
}
function kindBytes(count) {
  return count + 7 & ~7;
}
function writeMixed(u8, f64, at, e) {
  const kinds = e.kinds;
  for (let i = 0;i < kinds.length; i++)
    u8[at + i] = kinds[i];
  const base = at + kindBytes(kinds.length) >> 3;
  const numbers = e.numbers;
  for (let i = 0;i < numbers.length; i++)
    f64[base + i] = numbers[i];
}
function decodeMixed(u8, f64, at, count, out) {
  const bytesClass = valueClasses.get(BYTES_KIND);
  let next = at + kindBytes(count) >> 3;
  for (let i = 0;i < count; i++) {
    if (u8[at + i] === NUMBER_ARG) {
      out.push(fromF64(f64[next++]));
    } else {
      const data = [f64[next], f64[next + 1], f64[next + 2], f64[next + 3]];
      next += 4;
      out.push(bytesClass.fromData(data));
    }
  }
  return out;
}

// lib/substrate/codec.ts
var NONE = { format: Format.NONE, length: 0, bytes: 0 };
function encodeArgs(args, heap) {
  if (args.length === 0)
    return NONE;
  enterCrossing("passed to a task", heap);
  try {
    return encodeArgList(args);
  } finally {
    leaveCrossing();
  }
}
function encodeArgList(args) {
  let start = 0;
  let flags = 0;
  const first = args[0];
  if (isShared(first)) {
    const [kind, ref, , base] = first[SHARED_REF]();
    if (kind === "io") {
      if (base !== undefined)
        checkOwner(kind, base);
      flags = ref === 1 ? IO_BASIC_FIRST : IO_FIRST;
      start = 1;
    }
  }
  let allNumbers = true;
  for (let i = start;i < args.length; i++) {
    if (typeof args[i] !== "number") {
      allNumbers = false;
      break;
    }
  }
  if (allNumbers && args.length - start <= COUNT_MASK) {
    const numbers = start === 0 ? args : args.slice(start);
    return {
      format: Format.NUMBERS,
      length: (numbers.length | flags) >>> 0,
      bytes: numbers.length * 8,
      numbers
    };
  }
  return encodeMixed(args, start, flags) ?? encodeTree(args);
}
function writeEncoded(u8, f64, at, e) {
  if (e.format === Format.NUMBERS) {
    const base = at >> 3;
    const numbers = e.numbers;
    for (let i = 0;i < numbers.length; i++)
      f64[base + i] = numbers[i];
  } else if (e.format === Format.JSC) {
    writePayload(u8, at, e);
  } else if (e.format === Format.MIXED) {
    writeMixed(u8, f64, at, e);
  }
}
function writePayload(u8, at, e) {
  if (e.binary !== undefined)
    writeBinary(u8, at, e.binary);
  else
    u8.set(e.jsc, at);
}
function dropEncoded(e) {
  if (e.binary !== undefined)
    dropBinary(e.binary);
}
function releasePayload(u8, at) {
  releaseBinary(u8, at);
}
function decodeArgs(u8, f64, at, format, length, revive) {
  switch (format) {
    case Format.NONE:
      return [];
    case Format.NUMBERS: {
      const count = length & COUNT_MASK;
      const out = [];
      if (length & IO_FIRST)
        out.push(revive("io", 0));
      else if (length & IO_BASIC_FIRST)
        out.push(revive("io", 1));
      const base = at >> 3;
      for (let i = 0;i < count; i++)
        out.push(fromF64(f64[base + i]));
      return out;
    }
    case Format.MIXED: {
      const out = [];
      if (length & IO_FIRST)
        out.push(revive("io", 0));
      else if (length & IO_BASIC_FIRST)
        out.push(revive("io", 1));
      return decodeMixed(u8, f64, at, length & COUNT_MASK, out);
    }
    case Format.JSC:
      return decodeValue(u8, at, length, revive);
    default:
      throw new BugError(`Unknown argument format "${format}"`);
  }
}
function encodeResult(value, where = "returned from a task", heap) {
  if (value === undefined)
    return { format: Format.UNDEFINED, length: 0, bytes: 0 };
  if (typeof value === "number")
    return { format: Format.NUMBER, length: 0, bytes: 0, numbers: [value] };
  enterCrossing(where, heap);
  try {
    return encodeTree(value);
  } finally {
    leaveCrossing();
  }
}
function encodeError(err, heap) {
  enterCrossing("returned from a task", heap);
  try {
    return encodeErrorRecord(err);
  } finally {
    leaveCrossing();
  }
}
function encodeErrorRecord(err) {
  let jsc;
  try {
    jsc = toBytes(errorRecord(err, encodeInside()));
  } catch {
    const rec = errorRecord(err, () => {
      return;
    });
    jsc = toBytes({
      ...rec,
      fields: undefined,
      hasCause: undefined,
      cause: undefined,
      errors: undefined,
      value: rec.thrown === true ? rec.message : undefined
    });
  }
  return { format: Format.JSC, length: jsc.length, bytes: jsc.length, jsc };
}
function encodeInside() {
  const r = replacing();
  return (v) => {
    try {
      return replaceShared(v, r);
    } catch (e) {
      const why = refusal(e, v);
      return `[not sent: ${why instanceof Error ? why.message : String(why)}]`;
    }
  };
}
function decodeValue(u8, at, length, revive) {
  if (isPlain(u8, at))
    return fromBytes(u8, at, length);
  if (u8[at] === PAYLOAD_BINARY) {
    const { skeleton, view } = decodeBinary(u8, at, fromBytes);
    return reviveShared(skeleton, reviving(revive, view));
  }
  return reviveShared(fromBytes(u8, at, length), reviving(revive));
}
function decodeError(u8, at, length, revive) {
  const c = reviving(revive);
  return errorFromRecord(fromBytes(u8, at, length), (v) => reviveShared(v, c));
}
var PAYLOAD_JSC = 0;
var PAYLOAD_JSON = 1;
var PAYLOAD_JSC_PLAIN = 3;
var PAYLOAD_JSON_PLAIN = 4;
function isPlain(u8, at) {
  return u8[at] === PAYLOAD_JSC_PLAIN || u8[at] === PAYLOAD_JSON_PLAIN;
}
function encodeTree(value) {
  let skeleton;
  let scanned = newScan();
  let c;
  const jsonSafe = !jsonHijacked();
  try {
    if (prototypePolluted())
      throw NOT_SCANNED;
    skeleton = scan(value, scanned);
    c = scanned.binary;
  } catch (e) {
    if (e !== NOT_SCANNED)
      throw refusal(e, value);
    scanned = undefined;
    try {
      skeleton = replaceShared(value, replacing((v) => (c ??= new BinaryCollector).take(v)));
    } catch (e2) {
      throw refusal(e2, value);
    }
  }
  if (c === undefined) {
    const json = jsonSafe && scanned !== undefined && scanned.exact && (scanned.nodes <= JSON_ALWAYS_NODES || scanned.objects * 8 >= scanned.nodes) && !namedProperties(scanned.arrays);
    const jsc = scanned === undefined ? toBytes(skeleton, jsonSafe) : json ? jsonBytes(PAYLOAD_JSON, skeleton) : jscBytes(skeleton);
    if (skeleton === value)
      jsc[0] = jsc[0] === PAYLOAD_JSON ? PAYLOAD_JSON_PLAIN : PAYLOAD_JSC_PLAIN;
    return { format: Format.JSC, length: jsc.length, bytes: jsc.length, jsc };
  }
  const binary = encodeBinary(toBytes({ s: c.specs, v: skeleton }, jsonSafe), c);
  return { format: Format.JSC, length: binary.bytes, bytes: binary.bytes, binary };
}
function refusal(e, value) {
  if (isFunctionRefusal(e))
    return refuseFunction(locateFunction(value, "", 0, new Set));
  if (e === STAYS_REFUSAL)
    return refuseUncloneable(undefined, locateStaying(value));
  return e;
}
function prototypePolluted() {
  for (const _ in EMPTY)
    return true;
  return false;
}
var EMPTY = {};
function jsonHijacked() {
  return "toJSON" in Object.prototype || "toJSON" in Array.prototype;
}
var JSON_ALWAYS_NODES = 64;
function toBytes(value, jsonSafe = !jsonHijacked()) {
  if (jsonSafe && jsonExact(value))
    return jsonBytes(PAYLOAD_JSON, value);
  return jscBytes(value);
}
function jscBytes(value) {
  let jsc;
  try {
    jsc = new Uint8Array(serialize2(value));
  } catch (e) {
    throw refuseUncloneable(e, locateUncloneable(value, "", 0));
  }
  const out = new Uint8Array(1 + jsc.length);
  out[0] = PAYLOAD_JSC;
  out.set(jsc, 1);
  return out;
}
function fromBytes(u8, at, length) {
  if (u8[at] === PAYLOAD_JSON || u8[at] === PAYLOAD_JSON_PLAIN)
    return fromJsonBytes(u8, at, length);
  return deserialize(u8.slice(at + 1, at + length));
}

// lib/threaded/closure.ts
function createClosure(heap, kind, fn, args, group = 0) {
  const keyOff = internKey(heap, taskKey(fn));
  const enc = encodeArgs(args, heap);
  let off;
  try {
    off = heap.alloc(Closure.HEADER_BYTES + enc.bytes, BlockKind.CLOSURE);
  } catch (e) {
    dropEncoded(enc);
    if (!IoError.is(e, "OutOfMemory"))
      throw e;
    throw new IoError("OutOfMemory", {
      message: `OutOfMemory: the task's arguments did not fit the shared heap ` + `(${enc.bytes} bytes encoded; maxHeapBytes ${heap.sab.maxByteLength}, ` + `${heap.stats().liveBytes} bytes in use)`,
      cause: e
    });
  }
  heap.u8.fill(0, off, off + Closure.HEADER_BYTES);
  const u32 = heap.u32;
  u32[off + Closure.KIND >> 2] = kind;
  u32[off + Closure.TASK >> 2] = keyOff;
  u32[off + Closure.GROUP >> 2] = group;
  u32[off + Closure.ARGS_FORMAT >> 2] = enc.format;
  u32[off + Closure.ARGS_LENGTH >> 2] = enc.length;
  writeEncoded(heap.u8, heap.f64, off + Closure.HEADER_BYTES, enc);
  return off;
}
function freeClosure(heap, off) {
  const block = heap.u32[off + Closure.RESULT_BLOCK >> 2];
  if (heap.u32[off + Closure.ARGS_FORMAT >> 2] === Format.JSC)
    releasePayload(heap.u8, off + Closure.HEADER_BYTES);
  if (block !== 0) {
    releasePayload(heap.u8, block + 4);
    heap.free(block);
  }
  heap.free(off);
}
function doneEvent(heap, off) {
  return embeddedResetEvent(heap, off + Closure.DONE);
}
function unavailableFor(oom) {
  return new IoError("ConcurrencyUnavailable", {
    message: `ConcurrencyUnavailable: ${oom.message.replace(/^OutOfMemory: /, "")}`,
    cause: oom
  });
}
function runClosure(heap, off, revive) {
  enterTask(heap, off + Closure.CANCEL);
  const keyOff = heap.u32[off + Closure.TASK >> 2];
  let fn;
  try {
    fn = resolveTask(heap, keyOff);
  } catch (e) {
    finish(heap, off, RESULT_ERROR, failure(heap, keyOff, e));
    return;
  }
  if (fn instanceof Promise) {
    return fn.then((f) => call(heap, off, keyOff, f, revive), (e) => finish(heap, off, RESULT_ERROR, failure(heap, keyOff, e)));
  }
  return call(heap, off, keyOff, fn, revive);
}
function call(heap, off, keyOff, fn, revive) {
  let returned;
  try {
    const args = decodeArgs(heap.u8, heap.f64, off + Closure.HEADER_BYTES, heap.u32[off + Closure.ARGS_FORMAT >> 2], heap.u32[off + Closure.ARGS_LENGTH >> 2], revive);
    if (heap.u32[off + Closure.ARGS_FORMAT >> 2] === Format.JSC)
      releasePayload(heap.u8, off + Closure.HEADER_BYTES);
    returned = fn(...args);
  } catch (e) {
    finish(heap, off, RESULT_ERROR, failure(heap, keyOff, e));
    return;
  }
  let thenable;
  try {
    thenable = isThenable(returned);
  } catch (e) {
    finish(heap, off, RESULT_ERROR, failure(heap, keyOff, e));
    return;
  }
  if (thenable) {
    return new Promise((resolve) => resolve(returned)).then((v) => finish(heap, off, RESULT_VALUE, v), (e) => finish(heap, off, RESULT_ERROR, failure(heap, keyOff, e)));
  }
  finish(heap, off, RESULT_VALUE, returned);
  return;
}
function failure(heap, keyOff, e) {
  return explainSourceTaskError(readKey(heap, keyOff), e);
}
function isThenable(v) {
  return (typeof v === "object" || typeof v === "function") && v !== null && typeof v.then === "function";
}
function finish(heap, off, kind, value) {
  kind = writeOutcome(heap, off, kind, value);
  exitTask();
  const handedOff = Atomics.load(heap.i32, off + Closure.HANDED_OFF >> 2) !== 0;
  publish(heap, off, kind === RESULT_ERROR && !isInstance(value, Canceled));
  Atomics.store(heap.i32, (ThreadState.CURRENT >> 2) + threadId(heap) - 1, 0);
  if (handedOff)
    yieldCpu();
}
function publish(heap, off, failed) {
  Atomics.sub(heap.i32, PoolBlock.OFFSET + Pool.BUSY >> 2, 1);
  if (heap.u32[off + Closure.KIND >> 2] === KIND_GROUP)
    return publishMember(heap, off, failed);
  const sel = Atomics.exchange(heap.i32, off + Closure.SELECT >> 2, SELECT_DONE);
  if (sel !== 0 && sel !== SELECT_DONE)
    setAtTaskEnd(heap, sel);
  setAtTaskEnd(heap, off + Closure.DONE);
}
function publishMember(heap, off, failed) {
  const i32 = heap.i32;
  const group = heap.u32[off + Closure.GROUP >> 2];
  if (failed)
    Atomics.add(i32, group + GroupLayout.ERRORS >> 2, 1);
  setAtTaskEnd(heap, off + Closure.DONE);
  const prev = Atomics.sub(i32, group + GroupLayout.STATE >> 2, GROUP_ONE_PENDING);
  if (prev === (GROUP_ONE_PENDING | GROUP_IS_WAITING))
    futexWake(heap, group + GroupLayout.STATE, 2147483647, "next");
}
function createInlineRecord(heap, group) {
  const off = heap.allocZeroed(Closure.HEADER_BYTES, BlockKind.CLOSURE);
  heap.u32[off + Closure.KIND >> 2] = KIND_GROUP_INLINE;
  heap.u32[off + Closure.GROUP >> 2] = group;
  return off;
}
function writeMemberOutcome(heap, off, ok, value) {
  if (ok)
    heap.u32[off + Closure.RESULT_KIND >> 2] = RESULT_VALUE;
  else
    writeOutcome(heap, off, RESULT_ERROR, value);
}
function writeOutcome(heap, off, kind, value) {
  try {
    writeResult(heap, off, kind, value);
    return kind;
  } catch (e) {
    const code = isInstance(e, RangeError) ? "OutOfMemory" : "Unexpected";
    const what = kind === RESULT_VALUE ? "the task's result" : "the value the task threw";
    writeResult(heap, off, RESULT_ERROR, new IoError(code, {
      message: `${code}: ${what} could not be passed back: ${describeThrown(e)}`
    }));
    return RESULT_ERROR;
  }
}
function failUntaken(heap, off, error) {
  try {
    writeResult(heap, off, RESULT_ERROR, error);
  } catch {
    heap.u32[off + Closure.RESULT_KIND >> 2] = RESULT_DIED;
    heap.u32[off + Closure.RESULT_FORMAT >> 2] = Format.NONE;
  }
  publish(heap, off, true);
}
function writeResult(heap, off, kind, value) {
  let enc;
  if (kind === RESULT_VALUE) {
    try {
      enc = encodeResult(value, "returned from a task", heap);
    } catch (e) {
      kind = RESULT_ERROR;
      enc = encodeError(e, heap);
    }
  } else {
    enc = encodeError(value, heap);
  }
  const u32 = heap.u32;
  u32[off + Closure.RESULT_KIND >> 2] = kind;
  u32[off + Closure.RESULT_FORMAT >> 2] = enc.format;
  if (enc.format === Format.NUMBER)
    heap.f64[off + Closure.RESULT_NUMBER >> 3] = enc.numbers[0];
  if (enc.format === Format.JSC) {
    let block;
    try {
      block = heap.alloc(4 + enc.bytes);
    } catch (e) {
      dropEncoded(enc);
      if (!IoError.is(e, "OutOfMemory"))
        throw e;
      u32[off + Closure.RESULT_KIND >> 2] = RESULT_TOO_LARGE;
      u32[off + Closure.RESULT_FORMAT >> 2] = Format.NONE;
      heap.f64[off + Closure.RESULT_NUMBER >> 3] = enc.bytes;
      return;
    }
    u32[block >> 2] = enc.bytes;
    writePayload(heap.u8, block + 4, enc);
    u32[off + Closure.RESULT_BLOCK >> 2] = block;
  }
}
function readOutcome(heap, off, revive) {
  const u32 = heap.u32;
  if (u32[off + Closure.RESULT_KIND >> 2] === RESULT_DIED) {
    return {
      ok: false,
      value: new IoError("Unexpected", {
        message: "Unexpected: the pool thread running this task exited before it finished " + "(process.exit in a task, or the Worker that started the thread ended); a new thread takes its place when work comes"
      })
    };
  }
  if (u32[off + Closure.RESULT_KIND >> 2] === RESULT_TOO_LARGE) {
    const bytes = heap.f64[off + Closure.RESULT_NUMBER >> 3];
    return {
      ok: false,
      value: new IoError("OutOfMemory", {
        message: `OutOfMemory: the task's result (${bytes} bytes encoded) does not fit the shared heap ` + `(maxHeapBytes ${heap.sab.maxByteLength})`
      })
    };
  }
  const ok = u32[off + Closure.RESULT_KIND >> 2] === RESULT_VALUE;
  const format = u32[off + Closure.RESULT_FORMAT >> 2];
  let value;
  if (format === Format.NUMBER)
    value = fromF64(heap.f64[off + Closure.RESULT_NUMBER >> 3]);
  else if (format === Format.JSC) {
    const block = u32[off + Closure.RESULT_BLOCK >> 2];
    const len = u32[block >> 2];
    value = ok ? decodeValue(heap.u8, block + 4, len, revive) : decodeError(heap.u8, block + 4, len, revive);
  }
  return { ok, value };
}

// lib/threaded/unseen_failures.ts
var noted = new Map;
var MAX_NOTED = 1000;
var dropped = new Map;
var listening = false;
function noteDone(t, closure) {
  if (t.heap.u32[closure + Closure.RESULT_KIND >> 2] === RESULT_VALUE)
    return;
  if (!note(noted, t, closure, t.heap.generation(closure)))
    dropped.set(t, (dropped.get(t) ?? 0) + 1);
}
function note(by, t, off, gen) {
  let m = by.get(t);
  if (m === undefined)
    by.set(t, m = new Map);
  if (m.size >= MAX_NOTED) {
    for (const [o, g] of m)
      if (!isLive(t.heap, o, g))
        m.delete(o);
  }
  if (m.size >= MAX_NOTED)
    return false;
  m.set(off, gen);
  listenForExit();
  return true;
}
whenFailureUnseen(listenForExit);
var notedGroups = new Map;
function noteGroupDone(t, ref, gen) {
  if (Atomics.load(t.heap.i32, ref + GroupLayout.ERRORS >> 2) === 0)
    return;
  note(notedGroups, t, ref, gen);
}
function listenForExit() {
  if (listening)
    return;
  listening = true;
  process.on("exit", () => {
    const all = new Set([...noted.keys(), ...notedGroups.keys()]);
    for (const f of unseenFailures)
      all.add(f.io.userdata);
    for (const f of unseenDropped.keys())
      all.add(f);
    const when = Bun.isMainThread ? "as the process exited" : "as the thread exited";
    for (const t of all)
      reportUnseenFailures(t, when);
  });
}
var AT_DEINIT = "at threaded.deinit()";
function reportUnseenFailures(t, when) {
  try {
    reportNow(t, when);
  } catch (e) {
    try {
      reportError(`threaded-io: the report of failures nobody awaited failed: ${oneLine(e)}`);
    } catch {}
  }
}
function reportNow(t, when) {
  const errors = [];
  const names = [];
  const m = noted.get(t);
  noted.delete(t);
  const candidates = new Map(m);
  for (const c of t.inFlight.keys())
    if (c > 0 && !candidates.has(c))
      candidates.set(c, -1);
  for (const [c, gen] of candidates) {
    const heap = t.heap;
    if (gen === -1 ? (heap.generation(c) & 1) === 0 : heap.generation(c) !== gen)
      continue;
    if (asyncWaitsHere(heap, c + Closure.DONE) > 0)
      continue;
    if (Atomics.load(heap.i32, c + Closure.DONE >> 2) !== IS_SET)
      continue;
    if (heap.u32[c + Closure.RESULT_KIND >> 2] === RESULT_VALUE)
      continue;
    const error = outcomeError(t, c);
    if (isInstance(error, Canceled))
      continue;
    errors.push(error);
    names.push(nameOf(t, c));
  }
  for (const f of unseenFailures) {
    if (f.io.userdata !== t)
      continue;
    unseenFailures.delete(f);
    const [error, name] = failureOf(f);
    errors.push(error);
    names.push(name);
  }
  const more = (dropped.get(t) ?? 0) + (unseenDropped.get(t) ?? 0);
  dropped.delete(t);
  unseenDropped.delete(t);
  const count = errors.length + more;
  const unseen = when === AT_DEINIT ? "not awaited or canceled before threaded.deinit()" : `never awaited or canceled (found ${when})`;
  if (count > 0)
    reportError(`threaded-io: ${count === 1 ? "a task" : `${count} tasks`} failed and ` + `${count === 1 ? "its future was" : "their futures were"} ${unseen}: ` + `${shown(errors, names, count)}. ` + "Await or cancel every future (future.await(io), await future, future.cancel(io)).");
  reportGroups(t, when);
}
function reportGroups(t, when) {
  const heap = t.heap;
  const candidates = new Map(notedGroups.get(t));
  notedGroups.delete(t);
  for (const [key, holder] of t.inFlight)
    if (key < 0 && !candidates.has(-key))
      candidates.set(-key, holder.gen);
  let count = 0;
  let groups = 0;
  const errors = [];
  const names = [];
  for (const [ref, gen] of candidates) {
    if (!isLive(heap, ref, gen))
      continue;
    const failed = Atomics.load(heap.i32, ref + GroupLayout.ERRORS >> 2);
    if (failed === 0)
      continue;
    count += failed;
    groups++;
    for (let c = heap.u32[ref + GroupLayout.TOKEN >> 2];c !== 0 && errors.length < 3; ) {
      if (Atomics.load(heap.i32, c + Closure.DONE >> 2) === IS_SET && heap.u32[c + Closure.RESULT_KIND >> 2] !== RESULT_VALUE) {
        const error = outcomeError(t, c);
        if (!isInstance(error, Canceled)) {
          errors.push(error);
          names.push(nameOf(t, c));
        }
      }
      c = heap.u32[c + Closure.SIBLING >> 2];
    }
  }
  if (count === 0)
    return;
  reportError(`threaded-io: ${count === 1 ? "a group member" : `${count} group members`} failed and ` + `${count === 1 ? "its" : "their"} ${groups === 1 ? "group was" : "groups were"} never waited or canceled ` + `(found ${when}): ${shown(errors, names, count)}. ` + "Wait or cancel every group (group.wait(io), await group.waitAsync(io), group.cancel(io)).");
}
function outcomeError(t, closure) {
  try {
    return readOutcome(t.heap, closure, t.reviver()).value;
  } catch (e) {
    return e;
  }
}
function nameOf(t, closure) {
  const key = t.heap.u32[closure + Closure.TASK >> 2];
  return key === 0 ? "" : taskName(readKey(t.heap, key)) || "a task";
}
function shown(errors, names, count) {
  const first = errors.slice(0, 3).map((e, i) => (names[i] ? `${names[i]}: ` : "") + oneLine(e));
  return first.join("; ") + (count > first.length ? `; and ${count - first.length} more` : "");
}
function oneLine(e) {
  let text;
  try {
    text = e instanceof Error ? `${e.name}: ${e.message}` : `thrown ${String(e)}`;
  } catch {
    try {
      text = `thrown ${Bun.inspect(e)}`;
    } catch {
      text = "thrown a value that cannot be printed";
    }
  }
  const line = text.split(`
`, 1)[0];
  return line.length > 200 ? `${line.slice(0, 200)}\u2026` : line;
}

// lib/threaded/worker_tid.ts
import { ptr as ptr3 } from "bun:ffi";
var dents = new Uint8Array(8192);
var D_RECLEN = 16;
var D_NAME = 19;
var LIST = PoolBlock.OFFSET + Pool.THREAD_LIST >> 2;
var taskGlob = new Bun.Glob("*");
function openThreadList(heap) {
  if (process.platform !== "linux")
    return;
  const path = Buffer.from("/proc/self/task\x00");
  const fd = shim().tio_openat(C.AT_FDCWD, path, C.O_RDONLY | C.O_DIRECTORY | C.O_CLOEXEC, 0);
  if (fd >= 0)
    Atomics.store(heap.i32, LIST, fd + 1);
}
function closeThreadList(heap) {
  const fd = Atomics.exchange(heap.i32, LIST, 0) - 1;
  if (fd >= 0)
    shim().tio_close(fd);
}
function threadIds2(heap) {
  if (process.platform !== "linux")
    return;
  if (heap === undefined) {
    try {
      return new Set(taskGlob.scanSync({ cwd: "/proc/self/task", onlyFiles: false }));
    } catch {
      return;
    }
  }
  const fd = Atomics.load(heap.i32, LIST) - 1;
  if (fd < 0)
    return;
  const s = shim();
  if (s.tio_lseek(fd, 0, C.SEEK_SET) < 0)
    return;
  const ids = new Set;
  for (;; ) {
    const n = s.tio_getdents64(fd, ptr3(dents), dents.length);
    if (n < 0)
      return;
    if (n === 0)
      return ids;
    for (let at = 0;at < n; ) {
      const reclen = dents[at + D_RECLEN] | dents[at + D_RECLEN + 1] << 8;
      let end = at + D_NAME;
      while (dents[end] !== 0)
        end++;
      if (dents[at + D_NAME] !== 46)
        ids.add(Buffer.from(dents.subarray(at + D_NAME, end)).toString("latin1"));
      at += reclen;
    }
  }
}
function newThreadId(before, heap) {
  if (before === undefined)
    return 0;
  const after = threadIds2(heap);
  if (after === undefined)
    return 0;
  let found = GONE;
  for (const t of after) {
    if (before.has(t))
      continue;
    if (found !== GONE)
      return 0;
    found = Number(t);
  }
  return found;
}
var GONE = -1;
function nameStartingThread(heap, id, tid) {
  if (tid <= 0)
    return;
  Atomics.compareExchange(heap.i32, (ThreadState.CURRENT >> 2) + id - 1, 0, -tid);
}

// lib/threaded/spare_thread.ts
var started = false;
var spares = { started: 0, adopted: 0, ended: 0 };
function firstPoolSpare(url, wanted) {
  if (started)
    return;
  started = true;
  if (!wanted)
    return;
  try {
    return new SpareThread(url);
  } catch {
    return;
  }
}
function firstPoolFailed(spare) {
  spare?.dispose();
  started = false;
}

class SpareThread {
  worker;
  timer;
  tid = 0;
  constructor(url) {
    const before = threadIds2();
    const worker = new Worker(url);
    this.tid = newThreadId(before);
    worker.unref();
    worker.addEventListener("error", (e) => e.preventDefault());
    worker.addEventListener("close", () => {
      if (this.worker === worker)
        this.forget();
    });
    this.worker = worker;
    spares.started++;
  }
  endAfter(idleTimeoutMs) {
    if (this.worker === undefined || idleTimeoutMs <= 0)
      return;
    this.timer = setTimeout(() => this.dispose(), idleTimeoutMs);
    this.timer.unref();
  }
  adopt() {
    const worker = this.worker;
    this.forget();
    if (worker !== undefined)
      spares.adopted++;
    return worker;
  }
  dispose() {
    const worker = this.worker;
    if (worker === undefined)
      return;
    this.forget();
    spares.ended++;
    worker.terminate();
  }
  forget() {
    this.worker = undefined;
    if (this.timer !== undefined)
      clearTimeout(this.timer);
    this.timer = undefined;
  }
}

// lib/io/time.ts
function nowOn(io, clock) {
  checkIo(io, "A clock reading");
  return io.now(clock);
}
var clockNames = [
  "real",
  "awake",
  "boot",
  "cpu_process",
  "cpu_thread"
];
var NS_PER_MS = 1000000n;
var NS_PER_S = 1000000000n;
var I96_MAX = (1n << 95n) - 1n;
function truncToNumber(ns, unit) {
  return Number(ns / unit);
}
function toBigInt(n, what) {
  if (typeof n === "bigint")
    return n;
  if (typeof n !== "number")
    throw new TypeError(`${what} is ${describe2(n)}, not a bigint or a number`);
  if (Number.isFinite(n) && !Number.isInteger(n))
    throw new RangeError(`${what} "${n}" is not a whole number` + (what === "Nanoseconds" ? "" : ": take a smaller unit (1.5 ms is 1500 \xB5s)"));
  if (!Number.isSafeInteger(n))
    throw new RangeError(`${what} "${n}" is out of range: an integer from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER} (a bigint for more)`);
  return BigInt(n);
}
function checkDuration(d, what) {
  if (!(d instanceof Duration))
    throw new TypeError(`${what}: ${describe2(d)} is not a Duration: use Duration.fromMilliseconds(ms)`);
}
function checkTimestamp(t, what) {
  if (!(t instanceof Timestamp))
    throw new TypeError(`${what}: ${describe2(t)} is not a Timestamp: use io.now(clock)`);
}

class Duration {
  static zero = new Duration(0n);
  static max = new Duration(I96_MAX);
  nanoseconds;
  constructor(nanoseconds) {
    this.nanoseconds = toBigInt(nanoseconds, "Nanoseconds");
  }
  static fromNanoseconds(ns) {
    return new Duration(toBigInt(ns, "Nanoseconds"));
  }
  static fromMilliseconds(ms) {
    return new Duration(toBigInt(ms, "Milliseconds") * NS_PER_MS);
  }
  static fromSeconds(s) {
    return new Duration(toBigInt(s, "Seconds") * NS_PER_S);
  }
  toNanoseconds() {
    return this.nanoseconds;
  }
  toMilliseconds() {
    return truncToNumber(this.nanoseconds, NS_PER_MS);
  }
  toSeconds() {
    return truncToNumber(this.nanoseconds, NS_PER_S);
  }
  add(other) {
    checkDuration(other, "Other");
    return new Duration(this.nanoseconds + other.nanoseconds);
  }
  sub(other) {
    checkDuration(other, "Other");
    return new Duration(this.nanoseconds - other.nanoseconds);
  }
  toString() {
    return `${this.nanoseconds}ns`;
  }
}

class Timestamp {
  static zero = new Timestamp(0n);
  nanoseconds;
  constructor(nanoseconds) {
    this.nanoseconds = toBigInt(nanoseconds, "Nanoseconds");
  }
  static fromNanoseconds(ns) {
    return new Timestamp(toBigInt(ns, "Nanoseconds"));
  }
  durationTo(to) {
    checkTimestamp(to, "Other");
    return new Duration(to.nanoseconds - this.nanoseconds);
  }
  addDuration(d) {
    checkDuration(d, "Duration");
    return new Timestamp(this.nanoseconds + d.nanoseconds);
  }
  subDuration(d) {
    checkDuration(d, "Duration");
    return new Timestamp(this.nanoseconds - d.nanoseconds);
  }
  toNanoseconds() {
    return this.nanoseconds;
  }
  toMilliseconds() {
    return truncToNumber(this.nanoseconds, NS_PER_MS);
  }
  toSeconds() {
    return truncToNumber(this.nanoseconds, NS_PER_S);
  }
  withClock(clock) {
    return new ClockTimestamp(this, clock);
  }
  toString() {
    return `${this.nanoseconds}ns`;
  }
}
function sameClock(a, b) {
  if (a !== b)
    throw new RangeError(`Clock "${a}" does not match clock "${b}"`);
}

class ClockTimestamp {
  raw;
  clock;
  constructor(raw, clock) {
    this.raw = raw;
    this.clock = clock;
    checkTimestamp(raw, "Raw");
  }
  static now(io, clock) {
    return new ClockTimestamp(nowOn(io, clock), clock);
  }
  static fromNow(io, d) {
    return new ClockTimestamp(nowOn(io, d.clock).addDuration(d.raw), d.clock);
  }
  wait(io) {
    io.sleepTimeout(Timeout.deadline(this));
  }
  durationTo(to) {
    sameClock(this.clock, to.clock);
    return new ClockDuration(this.raw.durationTo(to.raw), this.clock);
  }
  addDuration(d) {
    sameClock(this.clock, d.clock);
    return new ClockTimestamp(this.raw.addDuration(d.raw), this.clock);
  }
  subDuration(d) {
    sameClock(this.clock, d.clock);
    return new ClockTimestamp(this.raw.subDuration(d.raw), this.clock);
  }
  compare(op, rhs) {
    sameClock(this.clock, rhs.clock);
    const a = this.raw.nanoseconds;
    const b = rhs.raw.nanoseconds;
    switch (op) {
      case "<":
        return a < b;
      case "<=":
        return a <= b;
      case "==":
        return a === b;
      case "!=":
        return a !== b;
      case ">":
        return a > b;
      case ">=":
        return a >= b;
    }
  }
  untilNow(io) {
    return new ClockDuration(this.raw.durationTo(nowOn(io, this.clock)), this.clock);
  }
  durationFromNow(io) {
    return new ClockDuration(nowOn(io, this.clock).durationTo(this.raw), this.clock);
  }
  toClock(io, c) {
    if (c === this.clock)
      return this;
    const nowThis = nowOn(io, this.clock);
    const nowC = nowOn(io, c);
    return new ClockTimestamp(nowC.addDuration(nowThis.durationTo(this.raw)), c);
  }
}

class ClockDuration {
  raw;
  clock;
  constructor(raw, clock) {
    this.raw = raw;
    this.clock = clock;
    checkDuration(raw, "Raw");
  }
  sleep(io) {
    io.sleepTimeout(Timeout.duration(this));
  }
}

class Timeout {
  kind;
  value;
  static none = new Timeout("none", undefined);
  constructor(kind, value) {
    this.kind = kind;
    this.value = value;
  }
  static duration(d, clock = "awake") {
    if (!(d instanceof ClockDuration))
      checkDuration(d, "Duration");
    return new Timeout("duration", d instanceof Duration ? new ClockDuration(d, clock) : d);
  }
  static deadline(t) {
    if (!(t instanceof ClockTimestamp))
      throw new TypeError(`Deadline is ${describe2(t)}, not a Clock.Timestamp: use io.now(clock).withClock(clock)`);
    return new Timeout("deadline", t);
  }
  get asDuration() {
    return this.kind === "duration" ? this.value : undefined;
  }
  get asDeadline() {
    return this.kind === "deadline" ? this.value : undefined;
  }
  get clock() {
    return this.value?.clock ?? "awake";
  }
  toDeadline(io) {
    switch (this.kind) {
      case "none":
        return null;
      case "duration":
        return ClockTimestamp.fromNow(io, this.value);
      case "deadline":
        return this.value;
    }
  }
  toDurationFromNow(io) {
    switch (this.kind) {
      case "none":
        return null;
      case "duration":
        return this.value;
      case "deadline":
        return this.value.durationFromNow(io);
    }
  }
  sleep(io) {
    io.sleepTimeout(this);
  }
}
var Clock = {
  Timestamp: ClockTimestamp,
  Duration: ClockDuration,
  names: clockNames
};

// lib/io/io.ts
class Io {
  userdata;
  vtable;
  sharedRef;
  constructor(userdata, vtable, sharedRef = 0) {
    this.userdata = userdata;
    this.vtable = vtable;
    this.sharedRef = sharedRef;
  }
  [SHARED_REF]() {
    return ["io", this.sharedRef, 0, this.sharedHeap().base];
  }
  async(fn, ...args) {
    return this.vtable.async(this.userdata, this, fn, args);
  }
  concurrent(fn, ...args) {
    return this.vtable.concurrent(this.userdata, this, fn, args);
  }
  select(futures) {
    return this.vtable.select(this.userdata, futures);
  }
  selectAsync(futures) {
    return this.vtable.selectAsync(this.userdata, futures);
  }
  abortSignal() {
    return this.vtable.abortSignal(this.userdata);
  }
  now(clock) {
    return this.vtable.now(this.userdata, clock);
  }
  sleep(duration, clock = "awake") {
    this.vtable.sleep(this.userdata, Timeout.duration(duration, clock));
  }
  sleepTimeout(timeout) {
    this.vtable.sleep(this.userdata, timeout);
  }
  cancelRequested() {
    return this.vtable.cancelRequested(this.userdata);
  }
  checkCancel() {
    if (this.vtable.cancelRequested(this.userdata))
      raiseCanceled();
  }
  sharedHeap() {
    return this.vtable.sharedHeap(this.userdata);
  }
}

// lib/substrate/heap.ts
import { ptr as ptr4 } from "bun:ffi";

// lib/substrate/mutex_word.ts
var LOCKED_ONCE = 0;
var UNLOCKED = 1;
var CONTENDED = 2;
function lockFast(i32, index) {
  return Atomics.and(i32, index, ~UNLOCKED);
}
function lockSlow(heap, off, prev, cancelable) {
  const wait = cancelable ? futexWait : futexWaitUncancelable;
  if (prev === CONTENDED)
    wait(heap, off, CONTENDED);
  while (Atomics.exchange(heap.i32, off >> 2, CONTENDED) !== UNLOCKED) {
    wait(heap, off, CONTENDED);
  }
}
function unlockFast(i32, index) {
  return Atomics.compareExchange(i32, index, LOCKED_ONCE, UNLOCKED);
}
function unlockSlow(heap, off) {
  if (Atomics.exchange(heap.i32, off >> 2, UNLOCKED) === CONTENDED)
    futexWake(heap, off, 1);
}
var WAITED = 2;
var ownTag = -1;
function ownerTag() {
  if (ownTag < 0) {
    const tid = process.platform === "linux" ? Number(shim().tio_thread_handle()) : 0;
    ownTag = tid > 0 && tid < 2 ** 29 ? tid << 2 : 0;
  }
  return ownTag;
}
function lockWord(heap, off, repair) {
  const mine = ownTag < 0 ? ownerTag() : ownTag;
  if (Atomics.compareExchange(heap.i32, off >> 2, UNLOCKED, mine) !== UNLOCKED)
    lockWordSlow(heap, off, mine, repair);
}
function lockWordSlow(heap, off, mine, repair) {
  const i32 = heap.i32;
  const index = off >> 2;
  for (let round = 0;; ) {
    let seen = Atomics.load(i32, index);
    if (seen === UNLOCKED) {
      if (Atomics.compareExchange(i32, index, UNLOCKED, mine | WAITED) === UNLOCKED)
        return;
      continue;
    }
    if ((seen & WAITED) === 0) {
      if (Atomics.compareExchange(i32, index, seen, seen | WAITED) !== seen)
        continue;
      seen |= WAITED;
    }
    if (futexWaitTimeout(heap, off, seen, reapCheckNs(round++), false))
      continue;
    const owner = seen >>> 2;
    if (owner === 0 || !tidGone(owner))
      continue;
    if (Atomics.compareExchange(i32, index, seen, mine | WAITED) !== seen)
      continue;
    repair?.(heap, owner);
    return;
  }
}
function unlockWord(heap, off) {
  const prev = Atomics.exchange(heap.i32, off >> 2, UNLOCKED);
  if (prev === UNLOCKED)
    throw new Error("Unlocking a mutex that is not locked");
  if ((prev & WAITED) !== 0)
    futexWake(heap, off, 1);
}
function reapCheckNs(round) {
  return BigInt(Math.min(REAP_CHECK_MS * 2 ** Math.min(round, 4), REAP_CHECK_MAX_MS)) * 1000000n;
}
var REAP_CHECK_MS = 100;
var REAP_CHECK_MAX_MS = 800;
function tidGone(tid) {
  return shim().tio_thread_signal(tid, 0) === -E.ESRCH;
}
function threadGone(heap, id) {
  const handle = heap.threadHandle(id);
  return handle > 1 && tidGone(handle);
}

// lib/substrate/heap.ts
var PAGE = 65536;
var DEFAULT_HEAP_BYTES = 1 << 20;
var DEFAULT_MAX_HEAP_BYTES = 1 << 30;
var MAX_OFFSET2 = 2 ** 32 - PAGE;
var MIN_HEAP_BYTES = Math.ceil((ARENA_OFFSET + PAGE) / PAGE) * PAGE;
var MAX_HEAP_BYTES = MAX_OFFSET2;

class Heap {
  sab;
  u8;
  i32;
  u32;
  f64;
  base;
  constructor(sab) {
    this.sab = sab;
    this.u8 = new Uint8Array(sab);
    this.i32 = new Int32Array(sab);
    this.u32 = new Uint32Array(sab);
    this.f64 = new Float64Array(sab);
    this.base = ptr4(this.u8);
  }
  static create(initialBytes = DEFAULT_HEAP_BYTES, maxBytes = DEFAULT_MAX_HEAP_BYTES) {
    const max = Math.min(roundUp(Math.max(maxBytes, ARENA_OFFSET + PAGE), PAGE), MAX_OFFSET2);
    const cap = max > ARENA_OFFSET + PAGE ? max - PAGE : max;
    const initial = Math.min(roundUp(Math.max(initialBytes, ARENA_OFFSET + PAGE), PAGE), cap);
    const heap = new Heap(new SharedArrayBuffer(initial, { maxByteLength: max }));
    const u32 = heap.u32;
    u32[Header.LOCK >> 2] = 1;
    u32[Header.TOP >> 2] = ARENA_OFFSET;
    Atomics.store(heap.i32, Header.MAGIC >> 2, HEAP_MAGIC);
    return heap;
  }
  static attach(sab) {
    if (!(sab instanceof SharedArrayBuffer) || !sab.growable) {
      throw new TypeError("A threaded-io heap is a growable SharedArrayBuffer");
    }
    if (sab.byteLength < ARENA_OFFSET) {
      throw new TypeError("SharedArrayBuffer is not a threaded-io heap (too small)");
    }
    const heap = new Heap(sab);
    if (Atomics.load(heap.i32, Header.MAGIC >> 2) !== HEAP_MAGIC) {
      throw new TypeError("SharedArrayBuffer is not a threaded-io heap");
    }
    return heap;
  }
  addr(offset) {
    return this.base + offset;
  }
  alloc(bytes, kind = BlockKind.DATA) {
    if (!Number.isInteger(bytes) || bytes < 0)
      throw new RangeError(`Allocation size "${bytes}" is invalid`);
    const k = sizeClass(bytes);
    if (k >= SIZE_CLASSES)
      throw outOfMemory(bytes, this.sab.maxByteLength);
    const i32 = this.i32;
    lockWord(this, Header.LOCK);
    let block;
    try {
      const head = Header.FREE_LISTS + 4 * k;
      block = this.u32[head >> 2];
      if (block !== 0) {
        this.u32[head >> 2] = this.u32[block + Block.SIZE >> 2];
      } else {
        block = this.bump(2 ** (k + MIN_CLASS_SHIFT), bytes);
        this.u32[block + Block.SEAL >> 2] = block ^ BLOCK_SEAL;
      }
      this.u32[block + Block.CLASS >> 2] = kind << Block.KIND_SHIFT | Block.ALLOCATED | k;
      this.u32[block + Block.SIZE >> 2] = bytes;
      this.u32[block + Block.GEN >> 2] += 1;
      i32[Header.LIVE_BYTES >> 2] += bytes;
      i32[Header.LIVE_BLOCKS >> 2] += 1;
    } finally {
      unlockWord(this, Header.LOCK);
    }
    return block + Block.HEADER_BYTES;
  }
  allocZeroed(bytes, kind = BlockKind.DATA) {
    const off = this.alloc(bytes, kind);
    this.u8.fill(0, off, off + bytes);
    return off;
  }
  free(offset) {
    const block = offset - Block.HEADER_BYTES;
    if (!Number.isInteger(offset) || block < ARENA_OFFSET || offset >= this.sab.byteLength) {
      throw new RangeError(`Offset "${offset}" is not a heap block`);
    }
    lockWord(this, Header.LOCK);
    try {
      const tag = this.u32[block + Block.CLASS >> 2];
      if ((tag & Block.ALLOCATED) === 0) {
        throw new BugError(`Heap block "${offset}" freed twice or never allocated`);
      }
      const k = tag & Block.CLASS_MASK;
      const head = Header.FREE_LISTS + 4 * k;
      this.i32[Header.LIVE_BYTES >> 2] -= this.u32[block + Block.SIZE >> 2];
      this.i32[Header.LIVE_BLOCKS >> 2] -= 1;
      this.u32[block + Block.CLASS >> 2] = tag & ~Block.ALLOCATED;
      this.u32[block + Block.GEN >> 2] += 1;
      this.u32[block + Block.SIZE >> 2] = this.u32[head >> 2];
      this.u32[head >> 2] = block;
    } finally {
      unlockWord(this, Header.LOCK);
    }
  }
  generation(offset) {
    return this.u32[offset - GEN_BEFORE_PAYLOAD >> 2];
  }
  get closed() {
    return this.u32[Header.CLOSED >> 2] !== 0;
  }
  close() {
    Atomics.store(this.i32, Header.CLOSED >> 2, 1);
  }
  sizeOf(offset) {
    return this.u32[offset - Block.HEADER_BYTES + Block.SIZE >> 2];
  }
  stats() {
    lockWord(this, Header.LOCK);
    try {
      return {
        liveBytes: this.i32[Header.LIVE_BYTES >> 2],
        liveBlocks: this.i32[Header.LIVE_BLOCKS >> 2],
        capacity: this.sab.byteLength,
        maxCapacity: this.sab.maxByteLength
      };
    } finally {
      unlockWord(this, Header.LOCK);
    }
  }
  highWater() {
    return Atomics.load(this.i32, Header.TOP >> 2);
  }
  registerThread(handle) {
    const id = this.takeSlot(handle);
    if (id !== 0)
      return id;
    throw new IoError("SystemResources", {
      message: `SystemResources: more than ${ThreadTable.MAX_THREADS} threads on one heap`
    });
  }
  reserveThread(parentHandle) {
    return this.takeSlot(-parentHandle || -1);
  }
  takeSlot(entry) {
    lockWord(this, Header.LOCK);
    try {
      const first = ThreadTable.OFFSET >> 3;
      for (let i = 0;i < ThreadTable.MAX_THREADS; i++) {
        if (this.f64[first + i] === 0) {
          this.f64[first + i] = entry;
          this.i32[Header.THREAD_COUNT >> 2] += 1;
          return i + 1;
        }
      }
      return 0;
    } finally {
      unlockWord(this, Header.LOCK);
    }
  }
  claimThread(id, handle) {
    this.f64[(ThreadTable.OFFSET >> 3) + id - 1] = handle;
  }
  unregisterThread(id) {
    lockWord(this, Header.LOCK);
    try {
      this.f64[(ThreadTable.OFFSET >> 3) + id - 1] = 0;
      this.i32[Header.THREAD_COUNT >> 2] -= 1;
    } finally {
      unlockWord(this, Header.LOCK);
    }
  }
  threadHandle(id) {
    return this.f64[(ThreadTable.OFFSET >> 3) + id - 1];
  }
  bump(blockBytes, asked) {
    const top = this.u32[Header.TOP >> 2];
    const end = top + blockBytes;
    if (end > this.sab.byteLength) {
      const max = this.sab.maxByteLength;
      if (end > max)
        throw outOfMemory(asked, max);
      this.sab.grow(Math.min(max, Math.max(roundUp(end, PAGE), this.sab.byteLength * 2)));
    }
    this.u32[Header.TOP >> 2] = end;
    return top;
  }
}
function sizeClass(bytes) {
  const total = bytes + Block.HEADER_BYTES;
  if (total > 2 ** (SIZE_CLASSES - 1 + MIN_CLASS_SHIFT))
    return SIZE_CLASSES;
  const shift = total <= 16 ? MIN_CLASS_SHIFT : 32 - Math.clz32(total - 1);
  return shift - MIN_CLASS_SHIFT;
}
function roundUp(n, to) {
  return Math.ceil(n / to) * to;
}
function outOfMemory(bytes, max) {
  return new IoError("OutOfMemory", {
    message: `OutOfMemory: allocating ${bytes} bytes would grow the shared heap past maxHeapBytes (${max})`
  });
}

// lib/threaded/idle_handoff.ts
var YIELD_SHORT_MS = 0.5;
var BACKOFF_MIN = 4;
var BACKOFF_MAX = 256;
var backoffs = new Map;
var handoffs = { handedOff: 0, found: 0, atWake: 0, skipped: 0, long: 0 };
function shouldHandOff(key) {
  const b = backoffs.get(key);
  if (b === undefined || b.skip <= 0)
    return true;
  b.skip--;
  handoffs.skipped++;
  return false;
}
function handOff(key, done, wokeAt) {
  const t0 = wokeAt ?? performance.now();
  let finished = done();
  if (finished)
    handoffs.atWake++;
  else {
    yieldCpu();
    finished = done();
  }
  const b = backoffs.get(key);
  handoffs.handedOff++;
  const short = performance.now() - t0 < YIELD_SHORT_MS;
  if (short) {
    if (finished)
      backoffs.delete(key);
  } else {
    handoffs.long++;
    if (b === undefined)
      backoffs.set(key, { skip: BACKOFF_MIN, next: BACKOFF_MIN * 2 });
    else {
      b.skip = b.next;
      b.next = Math.min(b.next * 2, BACKOFF_MAX);
    }
  }
  if (!finished)
    return false;
  handoffs.found++;
  return true;
}

// lib/threaded/join_report.ts
var stallReportMs = 5000;
var STALL_REPEAT_MS = 60000;
function stallReportAfterMs() {
  return stallReportMs;
}
function runningTasks(heap) {
  const names = [];
  const bytes = heap.sab.byteLength;
  for (let id = 1;id <= ThreadTable.MAX_THREADS; id++) {
    const closure = Atomics.load(heap.i32, (ThreadState.CURRENT >> 2) + id - 1);
    if (closure <= 0)
      continue;
    let name = "a task";
    if (closure + Closure.HEADER_BYTES <= bytes && (heap.generation(closure) & 1) === 1) {
      const key = heap.u32[closure + Closure.TASK >> 2];
      if (key > 0 && key + TaskKeyLayout.BYTES <= bytes) {
        const len = heap.u32[key + TaskKeyLayout.LENGTH >> 2];
        if (key + TaskKeyLayout.BYTES + len <= bytes)
          name = taskName(readKey(heap, key)) || name;
      }
    }
    names.push(name);
  }
  return names;
}
function tally(names) {
  const counts = new Map;
  for (const n of names)
    counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts].map(([n, c]) => c > 1 ? `${n} (\xD7${c})` : n).join(", ");
}
function reportStalledJoin(heap, waitedMs) {
  const running = runningTasks(heap);
  const queued = Atomics.load(heap.i32, PoolBlock.OFFSET + Pool.QUEUED >> 2);
  const plural = (n, what) => `${n} ${what}${n === 1 ? "" : "s"}`;
  let what;
  if (running.length > 0)
    what = `${plural(running.length, "task")} still running (${tally(running)})` + (queued > 0 ? ` and ${queued} queued` : "");
  else if (queued > 0)
    what = `${plural(queued, "queued task")} (their threads are still starting)`;
  else
    what = "pool threads that have not left yet";
  console.error(`threaded-io: threaded.deinit() has waited ${(waitedMs / 1000).toFixed(1)} s for ${what}. ` + "deinit joins the pool: it waits for every task to end. Cancel or await them first " + "(future.cancel(io), group.cancel(io)); a task that never returns (a loop, a long sleep, " + "a get from an empty queue) must be canceled or told to stop.");
}

// lib/threaded/pool.ts
var P = PoolBlock.OFFSET;
var idx = (field) => P + field >> 2;
var IDLE_SPIN_ROUNDS = 20;
var idleSite = new SpinSite;
var COMPACT = -2;
var IDLE = -1;
function initPool(heap, asyncLimit, concurrentLimit, idleTimeoutMs) {
  const i32 = heap.i32;
  Atomics.store(i32, idx(Pool.LOCK), 1);
  Atomics.store(i32, idx(Pool.ASYNC_LIMIT), asyncLimit);
  Atomics.store(i32, idx(Pool.CONCURRENT_LIMIT), concurrentLimit);
  Atomics.store(i32, idx(Pool.IDLE_TIMEOUT_MS), idleTimeoutMs);
  Atomics.store(i32, idx(Pool.THREAD_CAP), ThreadTable.MAX_THREADS);
  Atomics.store(i32, idx(Pool.INITIALIZED), 1);
}
function lockPool(heap) {
  lockWord(heap, P + Pool.LOCK, repairQueue);
}
function unlockPool(heap) {
  unlockWord(heap, P + Pool.LOCK);
}
function repairQueue(heap, deadTid) {
  const u32 = heap.u32;
  let dead = 0;
  for (let id = 1;id <= ThreadTable.MAX_THREADS && dead === 0; id++)
    if (heap.threadHandle(id) === deadTid)
      dead = id;
  const named = dead === 0 ? 0 : Atomics.load(heap.i32, (ThreadState.CURRENT >> 2) + dead - 1);
  let tail = 0;
  let n = 0;
  const most = heap.sab.byteLength >>> 6;
  for (let c = u32[idx(Pool.QUEUE_HEAD)];c !== 0 && n < most; c = u32[c + Closure.NEXT >> 2]) {
    if (c === named)
      Atomics.store(heap.i32, (ThreadState.CURRENT >> 2) + dead - 1, 0);
    tail = c;
    n++;
  }
  u32[idx(Pool.QUEUE_TAIL)] = tail;
  Atomics.store(heap.i32, idx(Pool.QUEUED), n);
  Atomics.add(heap.i32, idx(Pool.LOCK_TAKEOVERS), 1);
}
function taskGeneration(heap, closure) {
  return (heap.generation(closure) & 16777215) << 8;
}
function countStarting(heap, delta) {
  Atomics.add(heap.i32, idx(Pool.POOL_SIZE), delta);
  Atomics.add(heap.i32, idx(Pool.SPAWNED_TOTAL), delta);
  return Atomics.add(heap.i32, idx(Pool.LIVE), delta) + delta;
}
function setLimit(heap, field, limit) {
  lockPool(heap);
  Atomics.store(heap.i32, idx(field), limit);
  unlockPool(heap);
}
function setIdleTimeout(heap, ms) {
  Atomics.store(heap.i32, idx(Pool.IDLE_TIMEOUT_MS), ms);
  Atomics.add(heap.i32, idx(Pool.WORK_SEQ), 1);
  futexWakeThreads(heap, P + Pool.WORK_SEQ, 2147483647);
}
function poolCount(heap, field) {
  return Atomics.load(heap.i32, idx(field));
}
function concurrencyUnavailable(heap) {
  const i32 = heap.i32;
  const limit = Atomics.load(i32, idx(Pool.CONCURRENT_LIMIT));
  const busy = Atomics.load(i32, idx(Pool.BUSY));
  const size = Atomics.load(i32, idx(Pool.POOL_SIZE));
  const cap = Atomics.load(i32, idx(Pool.THREAD_CAP));
  let why;
  if (heap.closed)
    why = "the Threaded instance is deinitialized (threaded.deinit() was called)";
  else if (Atomics.load(i32, idx(Pool.JOIN)) !== 0)
    why = "the Threaded instance is being deinitialized";
  else if (limit === 0)
    why = "concurrentLimit is 0 (Threaded.initSingleThreaded, or a limit of 0): no task gets a thread";
  else if (limit !== UNLIMITED && busy >= limit >>> 0)
    why = `concurrentLimit (${limit >>> 0}) is reached (tasks queued or running: ${busy})`;
  else if (size >= cap)
    why = `the pool has its most threads (${cap}), every one busy`;
  else
    why = "no pool thread could be started";
  return new IoError("ConcurrencyUnavailable", { message: `ConcurrencyUnavailable: ${why}` });
}
function dispatch(heap, closure, limitField, spawn, underLock, handOffKey = 0) {
  const i32 = heap.i32;
  lockPool(heap);
  try {
    if (Atomics.load(i32, idx(Pool.JOIN)) !== 0)
      return false;
    const limit = Atomics.load(i32, idx(limitField));
    const busy = Atomics.load(i32, idx(Pool.BUSY));
    if (limit !== UNLIMITED && busy >= limit >>> 0)
      return false;
    const needThread = Atomics.load(i32, idx(Pool.POOL_SIZE)) - Math.max(0, busy) <= 0;
    if (needThread && Atomics.load(i32, idx(Pool.POOL_SIZE)) >= Atomics.load(i32, idx(Pool.THREAD_CAP)))
      return false;
    Atomics.add(i32, idx(Pool.BUSY), 1);
    heap.u32[closure + Closure.NEXT >> 2] = 0;
    const tail = heap.u32[idx(Pool.QUEUE_TAIL)];
    if (tail === 0)
      heap.u32[idx(Pool.QUEUE_HEAD)] = closure;
    else
      heap.u32[tail + Closure.NEXT >> 2] = closure;
    heap.u32[idx(Pool.QUEUE_TAIL)] = closure;
    Atomics.add(i32, idx(Pool.QUEUED), 1);
    if (needThread) {
      let spawned = false;
      try {
        spawned = spawn();
      } finally {
        if (!spawned) {
          if (tail === 0)
            heap.u32[idx(Pool.QUEUE_HEAD)] = 0;
          else
            heap.u32[tail + Closure.NEXT >> 2] = 0;
          heap.u32[idx(Pool.QUEUE_TAIL)] = tail;
          Atomics.sub(i32, idx(Pool.QUEUED), 1);
          Atomics.sub(i32, idx(Pool.BUSY), 1);
        }
      }
      if (!spawned)
        return false;
    }
    Atomics.add(i32, idx(Pool.DISPATCHED_TOTAL), 1);
    traceDispatch(heap, closure);
    underLock?.();
  } finally {
    unlockPool(heap);
  }
  spawn.tend?.();
  Atomics.add(i32, idx(Pool.WORK_SEQ), 1);
  if (Atomics.load(i32, idx(Pool.SLEEPERS)) > 0) {
    const now = performance.now();
    const afterIdle = now - lastSleeperWake >= IDLE_WAKE_MS;
    lastSleeperWake = now;
    sentToSleeper = closure;
    sentForHandOff = afterIdle && handOffKey !== 0 && shouldHandOff(handOffKey) ? closure : 0;
    if (sentForHandOff !== 0)
      Atomics.store(i32, closure + Closure.HANDED_OFF >> 2, 1);
    futexWakeThreads(heap, P + Pool.WORK_SEQ, 1);
  } else
    sentToSleeper = sentForHandOff = 0;
  return true;
}
var IDLE_WAKE_MS = 5;
var lastSleeperWake = -Infinity;
var sentForHandOff = 0;
function lastWakeAt() {
  return lastSleeperWake;
}
function dispatchedForHandOff(closure) {
  return closure !== 0 && closure === sentForHandOff;
}
var sentToSleeper = 0;
function dispatchedToSleeper(closure) {
  return closure !== 0 && closure === sentToSleeper;
}
function take(heap, compactFirst = false, yieldIfWork = false, idleCapMs = 0) {
  const i32 = heap.i32;
  const u32 = heap.u32;
  let deadline = 0;
  const id = threadId(heap);
  const current = (ThreadState.CURRENT >> 2) + id - 1;
  const flags = (ThreadState.FLAGS >> 2) + id - 1;
  for (;; ) {
    lockPool(heap);
    const head = u32[idx(Pool.QUEUE_HEAD)];
    if (head !== 0) {
      Atomics.store(i32, flags, ThreadState.POOL_THREAD | taskGeneration(heap, head));
      Atomics.store(i32, current, head);
      const next = u32[head + Closure.NEXT >> 2];
      u32[idx(Pool.QUEUE_HEAD)] = next;
      if (next === 0)
        u32[idx(Pool.QUEUE_TAIL)] = 0;
      Atomics.sub(i32, idx(Pool.QUEUED), 1);
      unlockPool(heap);
      if (yieldIfWork)
        yieldCpu();
      return head;
    }
    const joining = Atomics.load(i32, idx(Pool.JOIN)) !== 0;
    const seq = Atomics.load(i32, idx(Pool.WORK_SEQ));
    unlockPool(heap);
    if (joining)
      return 0;
    yieldIfWork = false;
    const busy = Atomics.load(i32, idx(Pool.BUSY));
    if (spinAt(idleSite, i32, idx(Pool.WORK_SEQ), seq, IDLE_SPIN_ROUNDS, busy))
      continue;
    if (compactFirst)
      return COMPACT;
    const poolIdleMs = Atomics.load(i32, idx(Pool.IDLE_TIMEOUT_MS));
    const idleMs = idleCapMs > 0 && (poolIdleMs <= 0 || idleCapMs < poolIdleMs) ? idleCapMs : poolIdleMs;
    let timedOut = false;
    Atomics.add(i32, idx(Pool.SLEEPERS), 1);
    if (Atomics.load(i32, idx(Pool.WORK_SEQ)) === seq) {
      if (idleMs <= 0) {
        futexWaitUncancelable(heap, P + Pool.WORK_SEQ, seq);
      } else {
        const now = performance.now();
        if (deadline === 0)
          deadline = now + idleMs;
        const leftNs = Math.ceil((deadline - now) * 1e6);
        timedOut = leftNs <= 0 || !futexWaitTimeout(heap, P + Pool.WORK_SEQ, seq, BigInt(leftNs), false);
      }
    }
    Atomics.sub(i32, idx(Pool.SLEEPERS), 1);
    if (timedOut)
      return IDLE;
  }
}
function retire(heap, replaced = false) {
  const i32 = heap.i32;
  lockPool(heap);
  try {
    if (heap.u32[idx(Pool.QUEUE_HEAD)] !== 0)
      return false;
    if (Atomics.load(i32, idx(Pool.JOIN)) !== 0)
      return false;
    if (!replaced && Atomics.load(i32, idx(Pool.IDLE_TIMEOUT_MS)) <= 0)
      return false;
    Atomics.sub(i32, idx(Pool.POOL_SIZE), 1);
    Atomics.add(i32, idx(Pool.RETIRED_TOTAL), 1);
    return true;
  } finally {
    unlockPool(heap);
  }
}
function leaveRetired(heap) {
  const left = Atomics.sub(heap.i32, idx(Pool.LIVE), 1) - 1;
  if (left <= 0)
    futexWake(heap, P + Pool.LIVE, 2147483647);
}
function leave(heap) {
  const i32 = heap.i32;
  Atomics.sub(i32, idx(Pool.POOL_SIZE), 1);
  const left = Atomics.sub(i32, idx(Pool.LIVE), 1) - 1;
  if (left <= 0)
    futexWake(heap, P + Pool.LIVE, 2147483647);
  waitNoneLive(heap);
}
function waitNoneLive(heap, reap, stalled) {
  const start = performance.now();
  let reportAt = stallReportAfterMs();
  let unaccounted = 0;
  for (;; ) {
    const live = Atomics.load(heap.i32, idx(Pool.LIVE));
    if (live <= 0)
      return;
    if (reap === undefined)
      futexWaitUncancelable(heap, P + Pool.LIVE, live);
    else if (!futexWaitTimeout(heap, P + Pool.LIVE, live, 100000000n, false)) {
      reap();
      unaccounted = noPoolThread(heap) ? unaccounted + 1 : 0;
      if (unaccounted >= PHANTOM_CHECKS)
        return;
      const waited = performance.now() - start;
      if (stalled !== undefined && waited >= reportAt) {
        stalled(waited);
        reportAt = waited + STALL_REPEAT_MS;
      }
    }
  }
}
var PHANTOM_CHECKS = 5;
function noPoolThread(heap) {
  const busy = ThreadState.POOL_THREAD | ThreadState.STARTING;
  lockPool(heap);
  try {
    for (let id = 1;id <= ThreadTable.MAX_THREADS; id++)
      if ((Atomics.load(heap.i32, (ThreadState.FLAGS >> 2) + id - 1) & busy) !== 0)
        return false;
    return true;
  } finally {
    unlockPool(heap);
  }
}
function join(heap, reap, stalled) {
  lockPool(heap);
  Atomics.store(heap.i32, idx(Pool.JOIN), 1);
  unlockPool(heap);
  Atomics.add(heap.i32, idx(Pool.WORK_SEQ), 1);
  futexWakeThreads(heap, P + Pool.WORK_SEQ, 2147483647);
  waitNoneLive(heap, reap, stalled);
}

// lib/threaded/reaper.ts
var P2 = PoolBlock.OFFSET;
var pidx = (f) => P2 + f >> 2;
var flagsIndex = (id) => (ThreadState.FLAGS >> 2) + id - 1;
function startingSlot(heap, more = 0) {
  const slot = reserveStartingThread(heap);
  if (slot === undefined)
    return;
  countStarting(heap, 1);
  const marked = { id: slot.id, flags: slot.flags | more };
  commitStartingThread(heap, marked);
  return marked;
}
function reserveStartingThread(heap) {
  const id = heap.reserveThread(shim().tio_thread_handle());
  if (id === 0)
    return;
  const seq = Atomics.add(heap.i32, pidx(Pool.START_SEQ), 1) & 16777215;
  Atomics.store(heap.i32, (ThreadState.CURRENT >> 2) + id - 1, 0);
  return { id, flags: ThreadState.STARTING | seq << 8 };
}
function commitStartingThread(heap, slot) {
  Atomics.store(heap.i32, flagsIndex(slot.id), slot.flags);
}
function releaseStartingThread(heap, slot) {
  Atomics.store(heap.i32, flagsIndex(slot.id), 0);
  heap.unregisterThread(slot.id);
}
function claimStartedThread(heap, slot) {
  const flags = flagsIndex(slot.id);
  if (Atomics.load(heap.i32, flags) !== slot.flags)
    return false;
  if (process.platform === "linux") {
    const tid = Number(shim().tio_thread_handle());
    Atomics.store(heap.i32, (ThreadState.CURRENT >> 2) + slot.id - 1, -tid);
  }
  if (Atomics.compareExchange(heap.i32, flags, slot.flags, ThreadState.POOL_THREAD) !== slot.flags)
    return false;
  Atomics.store(heap.i32, pidx(Pool.START_FAILURES), 0);
  adoptThreadId(heap, slot.id);
  return true;
}
function slotGone(heap, id) {
  const entry = heap.threadHandle(id);
  if (entry >= 0)
    return threadGone(heap, id);
  const self2 = Atomics.load(heap.i32, (ThreadState.CURRENT >> 2) + id - 1);
  if (self2 < 0)
    return tidGone(-self2);
  const flags = Atomics.load(heap.i32, flagsIndex(id));
  if ((flags & ThreadState.CLOSED) !== 0)
    return true;
  if ((flags & ThreadState.HOSTED) !== 0)
    return spawnHostGone(heap);
  if (-entry > 1 && tidGone(-entry))
    return true;
  return (flags & ThreadState.REQUESTED) !== 0 && spawnHostGone(heap);
}
function spawnHostGone(heap) {
  const host = Atomics.load(heap.i32, pidx(Pool.SPAWN_HOST));
  if (host > 0)
    return tidGone(host);
  if (host !== HostState.STARTING)
    return true;
  const since = Atomics.load(heap.i32, pidx(Pool.SPAWN_HOST_SINCE));
  return Math.floor(Date.now() / 1000) - since > SPAWN_HOST_START_S;
}
var SPAWN_HOST_START_S = 10;
function unmarkPoolThread(heap, id) {
  Atomics.store(heap.i32, flagsIndex(id), 0);
}
function reapIfDead(heap, id, spawn) {
  if (id <= 0 || id > ThreadTable.MAX_THREADS)
    return false;
  const flags = Atomics.load(heap.i32, flagsIndex(id));
  if (flags === 0 || !slotGone(heap, id))
    return false;
  return writeOff(heap, id, flags, spawn, true);
}
function writeOffStarting(heap, slot, spawn) {
  return writeOff(heap, slot.id, slot.flags, spawn, false);
}
function writeOff(heap, id, flags, spawn, dead) {
  lockPool(heap);
  let current = 0;
  let replace = false;
  let failures = 0;
  try {
    if (dead && !slotGone(heap, id))
      return false;
    if (Atomics.compareExchange(heap.i32, flagsIndex(id), flags, 0) !== flags)
      return false;
    const claimed = heap.threadHandle(id) >= 0;
    current = Atomics.exchange(heap.i32, (ThreadState.CURRENT >> 2) + id - 1, 0);
    if (!claimed || current <= 0 || (flags & ~255) !== taskGeneration(heap, current) || Atomics.load(heap.i32, current + Closure.DONE >> 2) === IS_SET)
      current = 0;
    heap.unregisterThread(id);
    Atomics.sub(heap.i32, pidx(Pool.POOL_SIZE), 1);
    const left = Atomics.sub(heap.i32, pidx(Pool.LIVE), 1) - 1;
    if (left <= 0)
      futexWake(heap, P2 + Pool.LIVE, 2147483647);
    replace = heap.u32[pidx(Pool.QUEUE_HEAD)] !== 0 && Atomics.load(heap.i32, pidx(Pool.JOIN)) === 0;
    if (!claimed)
      failures = Atomics.add(heap.i32, pidx(Pool.START_FAILURES), 1) + 1;
    if (replace && !(failures < START_FAILURE_LIMIT && spawn())) {
      if (Atomics.load(heap.i32, pidx(Pool.POOL_SIZE)) <= 0)
        failQueue(heap, startFailed(failures));
    }
  } finally {
    unlockPool(heap);
  }
  if (current !== 0) {
    const u32 = heap.u32;
    u32[current + Closure.RESULT_KIND >> 2] = RESULT_DIED;
    u32[current + Closure.RESULT_FORMAT >> 2] = Format.NONE;
    const word = Atomics.load(heap.i32, current + Closure.CANCEL >> 2);
    if ((word & ~THREAD_ID_MASK) !== 0)
      shim().tio_watchdog_settle(heap.addr(current + Closure.CANCEL), word & ~THREAD_ID_MASK);
    publish(heap, current, true);
  }
  return true;
}
var START_FAILURE_LIMIT = 3;
function failQueue(heap, error) {
  let c = heap.u32[pidx(Pool.QUEUE_HEAD)];
  heap.u32[pidx(Pool.QUEUE_HEAD)] = 0;
  heap.u32[pidx(Pool.QUEUE_TAIL)] = 0;
  while (c !== 0) {
    const next = heap.u32[c + Closure.NEXT >> 2];
    Atomics.sub(heap.i32, pidx(Pool.QUEUED), 1);
    failUntaken(heap, c, error);
    c = next;
  }
}
function startFailed(failures) {
  return new IoError("ConcurrencyUnavailable", {
    message: `ConcurrencyUnavailable: no pool thread could start for this task (${failures > 1 ? `the last ${failures} ended before they ran` : "its Worker ended as it started"}: out of file descriptors or memory?)`
  });
}
function reapRunnerOf(heap, closure, spawn) {
  spawn.tend?.();
  const id = Atomics.load(heap.i32, closure + Closure.CANCEL >> 2) & THREAD_ID_MASK;
  if (id !== 0)
    return reapIfDead(heap, id, spawn);
  return reapAll(heap, spawn) > 0;
}
function reapAll(heap, spawn) {
  spawn.tend?.();
  let n = 0;
  for (let id = 1;id <= ThreadTable.MAX_THREADS; id++) {
    if (Atomics.load(heap.i32, flagsIndex(id)) !== 0 && reapIfDead(heap, id, spawn))
      n++;
  }
  return n;
}

// lib/threaded/spawn_host.ts
var pidx2 = (field) => PoolBlock.OFFSET + field >> 2;
function tendSpawnHost(heap, hostUrl, poolUrl, handle, force) {
  const i32 = heap.i32;
  const state = Atomics.load(i32, pidx2(Pool.SPAWN_HOST));
  if (state !== HostState.WANTED && !(force && state === HostState.NONE))
    return;
  if (process.platform !== "linux") {
    Atomics.store(i32, pidx2(Pool.SPAWN_HOST), HostState.FAILED);
    return;
  }
  Atomics.store(i32, pidx2(Pool.SPAWN_HOST_SINCE), Math.floor(Date.now() / 1000));
  Atomics.store(i32, pidx2(Pool.SPAWN_HOST), HostState.STARTING);
  let worker;
  try {
    worker = new Worker(hostUrl);
    worker.postMessage({ handle, url: poolUrl });
  } catch {
    worker?.terminate();
    Atomics.store(i32, pidx2(Pool.SPAWN_HOST), HostState.FAILED);
    return;
  }
  worker.unref();
  worker.addEventListener("error", (e) => e.preventDefault());
  worker.addEventListener("close", () => {
    Atomics.compareExchange(i32, pidx2(Pool.SPAWN_HOST), HostState.STARTING, HostState.FAILED);
  });
  return worker;
}
function requestSpawn(heap) {
  Atomics.compareExchange(heap.i32, pidx2(Pool.SPAWN_HOST), HostState.NONE, HostState.WANTED);
  if (spawnHostGone(heap))
    return;
  if (startingSlot(heap, ThreadState.REQUESTED) === undefined)
    return false;
  Atomics.add(heap.i32, pidx2(Pool.SPAWN_REQUESTS), 1);
  Atomics.notify(heap.i32, pidx2(Pool.SPAWN_REQUESTS));
  return true;
}
function spawnHostServes(heap) {
  const host = Atomics.load(heap.i32, pidx2(Pool.SPAWN_HOST));
  if (host === HostState.FAILED)
    return false;
  if (host > 0)
    return !spawnHostGone(heap);
  return;
}

// lib/threaded/in_flight.ts
function holdTask(t, closure) {
  const heap = t.heap;
  const index = closure + Closure.DONE >> 2;
  let watching = false;
  const holder = {
    heap,
    poll: () => {
      if (t.inFlight.get(closure) !== holder)
        return false;
      if (Atomics.load(heap.i32, index) === IS_SET) {
        t.inFlight.delete(closure);
        noteDone(t, closure);
        return false;
      }
      reapRunnerOf(heap, closure, t.spawner);
      if (!watching) {
        watching = true;
        watch(t, holder, closure, index);
      }
      return true;
    }
  };
  t.inFlight.set(closure, holder);
  hold(holder);
}
async function watch(t, holder, closure, index) {
  const i32 = t.heap.i32;
  while (t.inFlight.get(closure) === holder) {
    const state = Atomics.compareExchange(i32, index, UNSET, WAITING);
    if (state === IS_SET) {
      releaseTask(t, closure);
      return noteDone(t, closure);
    }
    const r = Atomics.waitAsync(i32, index, WAITING);
    if (r.async)
      await r.value;
  }
}
function releaseTask(t, closure) {
  const holder = t.inFlight.get(closure);
  if (holder === undefined)
    return;
  t.inFlight.delete(closure);
  release(holder);
}
function holdGroup(t, ref) {
  const heap = t.heap;
  const gen = heap.generation(ref);
  const held = t.inFlight.get(-ref);
  if (held !== undefined) {
    if (held.gen === gen)
      return;
    releaseTask(t, -ref);
  }
  const state = ref + GroupLayout.STATE >> 2;
  const holder = {
    heap,
    gen,
    poll: () => {
      const live = isLive(heap, ref, gen);
      if (live && Atomics.load(heap.i32, state) >= GROUP_ONE_PENDING)
        return true;
      if (t.inFlight.get(-ref) === holder)
        t.inFlight.delete(-ref);
      if (live)
        noteGroupDone(t, ref, gen);
      return false;
    }
  };
  t.inFlight.set(-ref, holder);
  hold(holder);
}
function releaseGroup(t, ref) {
  releaseTask(t, -ref);
}
function releaseAll(t) {
  for (const holder of t.inFlight.values())
    release(holder);
  t.inFlight.clear();
}

// lib/io/mutex.ts
class Mutex {
  heap;
  ref;
  gen;
  index;
  constructor(key, heap, ref, gen) {
    this.heap = heap;
    this.ref = ref;
    this.gen = gen;
    checkInternal(key, "Mutex");
    this.index = ref >> 2;
  }
  static init(io) {
    const heap = heapOf(io, "Mutex");
    const ref = heap.alloc(MutexLayout.BYTES, BlockKind.MUTEX);
    Atomics.store(heap.i32, ref + MutexLayout.STATE >> 2, UNLOCKED);
    return new Mutex(INTERNAL, heap, ref, heap.generation(ref));
  }
  static from(heap, ref, gen) {
    checkRef(heap, ref, gen, BlockKind.MUTEX, "Mutex");
    return new Mutex(INTERNAL, heap, ref, gen);
  }
  checkFor(io) {
    this.check();
    checkSameHeap(this.heap, heapOf(io, "Mutex"), "Mutex");
  }
  check(io) {
    checkHandle(this.heap, this.ref, this.gen, "Mutex");
    if (io !== undefined)
      checkSameHeap(this.heap, heapOf(io, "Mutex"), "Mutex");
  }
  tryLock() {
    this.check();
    return (lockFast(this.heap.i32, this.index) & UNLOCKED) !== 0;
  }
  lock(io) {
    this.checkFor(io);
    const prev = lockFast(this.heap.i32, this.index);
    if ((prev & UNLOCKED) !== 0)
      return;
    io.vtable.mutexLock(io.userdata, prev, this);
  }
  lockUncancelable(io) {
    this.checkFor(io);
    const prev = lockFast(this.heap.i32, this.index);
    if ((prev & UNLOCKED) !== 0)
      return;
    io.vtable.mutexLockUncancelable(io.userdata, prev, this);
  }
  unlock(io) {
    this.checkFor(io);
    const prev = unlockFast(this.heap.i32, this.index);
    if (prev === UNLOCKED)
      throw new BugError("Unlocking a mutex that is not locked");
    if (prev !== LOCKED_ONCE)
      io.vtable.mutexUnlock(io.userdata, prev, this);
    payOwedYield();
  }
  lockAsync() {
    return lockAsyncWith(this, true);
  }
  [SHARED_REF]() {
    this.check();
    return ["mutex", this.ref, this.gen, this.heap.base];
  }
  deinit() {
    this.check();
    if (this.gen === EMBEDDED)
      throw new Error("An embedded mutex is freed with its owner");
    const state = Atomics.load(this.heap.i32, this.index);
    if (state !== UNLOCKED) {
      throw new BugError(`Mutex.deinit while it is locked${state === CONTENDED ? " and waited for" : ""}: unlock it first (and let its waiters return)`);
    }
    this.gen = FREED_HERE;
    this.heap.free(this.ref);
  }
  [Symbol.dispose]() {
    this.deinit();
  }
}
function embeddedMutex(heap, ref) {
  return heapHandle(Mutex, heap, ref, EMBEDDED);
}
function reviveMutex(heap, ref, gen) {
  checkRef(heap, ref, gen, BlockKind.MUTEX, "Mutex", true);
  return heapHandle(Mutex, heap, ref, gen);
}
async function lockAsyncWith(m, cancelable) {
  m.check();
  const { heap, ref } = m;
  const index = ref >> 2;
  if ((lockFast(heap.i32, index) & UNLOCKED) !== 0)
    return;
  for (;; ) {
    if (Atomics.exchange(heap.i32, index, CONTENDED) === UNLOCKED)
      return;
    if (cancelable)
      await futexWaitAsyncCancelable(heap, ref, CONTENDED);
    else
      await futexWaitAsync(heap, ref, CONTENDED);
  }
}

// lib/io/condition.ts
var ONE_WAITER = 1;
var WAITER_MASK = 65535;
var ONE_SIGNAL = 1 << 16;

class Condition {
  heap;
  ref;
  gen;
  constructor(key, heap, ref, gen) {
    this.heap = heap;
    this.ref = ref;
    this.gen = gen;
    checkInternal(key, "Condition");
  }
  static init(io) {
    const heap = heapOf(io, "Condition");
    const ref = heap.allocZeroed(ConditionLayout.BYTES, BlockKind.CONDITION);
    return new Condition(INTERNAL, heap, ref, heap.generation(ref));
  }
  static from(heap, ref, gen) {
    checkRef(heap, ref, gen, BlockKind.CONDITION, "Condition");
    return new Condition(INTERNAL, heap, ref, gen);
  }
  checkFor(io) {
    this.check();
    checkSameHeap(this.heap, heapOf(io, "Condition"), "Condition");
  }
  check(io) {
    checkHandle(this.heap, this.ref, this.gen, "Condition");
    if (io !== undefined)
      checkSameHeap(this.heap, heapOf(io, "Condition"), "Condition");
  }
  get stateOffset() {
    return this.ref + ConditionLayout.STATE;
  }
  get epochOffset() {
    return this.ref + ConditionLayout.EPOCH;
  }
  waiters() {
    this.check();
    return Atomics.load(this.heap.i32, this.stateOffset >> 2) & WAITER_MASK;
  }
  wait(io, mutex) {
    this.checkFor(io);
    checkMutex(mutex, "wait");
    mutex.check(io);
    io.vtable.conditionWait(io.userdata, this, mutex);
  }
  waitUncancelable(io, mutex) {
    this.checkFor(io);
    checkMutex(mutex, "waitUncancelable");
    mutex.check(io);
    io.vtable.conditionWaitUncancelable(io.userdata, this, mutex);
  }
  signal(io) {
    this.checkFor(io);
    io.vtable.conditionWake(io.userdata, this, "one");
  }
  broadcast(io) {
    this.checkFor(io);
    io.vtable.conditionWake(io.userdata, this, "all");
  }
  async waitAsync(io, mutex) {
    this.checkFor(io);
    checkMutex(mutex, "waitAsync");
    mutex.check(io);
    const signalled = awaitSignal(this, io, mutex);
    try {
      await signalled;
    } finally {
      await lockAsyncWith(mutex, false);
    }
  }
  [SHARED_REF]() {
    this.check();
    return ["condition", this.ref, this.gen, this.heap.base];
  }
  deinit() {
    this.check();
    if (this.gen === EMBEDDED)
      throw new Error("An embedded condition is freed with its owner");
    const waiting = Atomics.load(this.heap.i32, this.stateOffset >> 2) & WAITER_MASK;
    if (waiting !== 0) {
      throw new BugError(`Condition.deinit while ${waiting} waiter${waiting === 1 ? " is" : "s are"} waiting on it: wake them (signal/broadcast) or cancel them and let them return first`);
    }
    this.gen = FREED_HERE;
    this.heap.free(this.ref);
  }
  [Symbol.dispose]() {
    this.deinit();
  }
}
function checkMutex(mutex, where) {
  if (!(mutex instanceof Mutex))
    throw new TypeError(`Condition.${where}: ${describe2(mutex)} is not a Mutex (Mutex.init(io))`);
}
function embeddedCondition(heap, ref) {
  return heapHandle(Condition, heap, ref, EMBEDDED);
}
function reviveCondition(heap, ref, gen) {
  checkRef(heap, ref, gen, BlockKind.CONDITION, "Condition", true);
  return heapHandle(Condition, heap, ref, gen);
}
function awaitSignal(cond, io, mutex) {
  const i32 = cond.heap.i32;
  const s = cond.stateOffset >> 2;
  const epoch = Atomics.load(i32, cond.epochOffset >> 2);
  Atomics.add(i32, s, ONE_WAITER);
  try {
    mutex.unlock(io);
  } catch (e) {
    Atomics.sub(i32, s, ONE_WAITER);
    throw e;
  }
  return signalAfter(cond, epoch);
}
async function signalAfter(cond, epoch) {
  const heap = cond.heap;
  const i32 = heap.i32;
  const s = cond.stateOffset >> 2;
  for (;; ) {
    try {
      await futexWaitAsyncCancelable(heap, cond.epochOffset, epoch);
    } catch (e) {
      if (e instanceof Canceled)
        giveBackWaiter(i32, s);
      throw e;
    }
    epoch = Atomics.load(i32, cond.epochOffset >> 2);
    let state = Atomics.load(i32, s);
    while (state >>> 16 !== 0) {
      const prev = Atomics.compareExchange(i32, s, state, state - ONE_WAITER - ONE_SIGNAL);
      if (prev === state)
        return;
      state = prev;
    }
  }
}
function giveBackWaiter(i32, s) {
  for (;; ) {
    const state = Atomics.load(i32, s);
    const waiters = state & WAITER_MASK;
    const signals = state >>> 16;
    const next = signals >= waiters ? state - ONE_WAITER - ONE_SIGNAL : state - ONE_WAITER;
    if (Atomics.compareExchange(i32, s, state, next) === state)
      return;
  }
}

// lib/io/group.ts
class Group {
  heap;
  ref;
  gen;
  io;
  constructor(key, heap, ref, gen, io) {
    this.heap = heap;
    this.ref = ref;
    this.gen = gen;
    this.io = io;
    checkInternal(key, "Group");
  }
  static init(io) {
    const heap = heapOf(io, "Group");
    const ref = heap.allocZeroed(GroupLayout.BYTES, BlockKind.GROUP);
    return new Group(INTERNAL, heap, ref, heap.generation(ref), io);
  }
  static from(io, ref, gen) {
    const heap = heapOf(io, "Group");
    checkRef(heap, ref, gen, BlockKind.GROUP, "Group");
    return new Group(INTERNAL, heap, ref, gen, io);
  }
  checkFor(io) {
    this.check();
    checkSameHeap(this.heap, heapOf(io, "Group"), "Group");
  }
  check(io) {
    checkHandle(this.heap, this.ref, this.gen, "Group");
    if (io !== undefined)
      checkSameHeap(this.heap, heapOf(io, "Group"), "Group");
  }
  [SHARED_REF]() {
    this.check();
    return ["group", this.ref, this.gen, this.heap.base];
  }
  async(io, fn, ...args) {
    this.checkFor(io);
    io.vtable.groupAsync(io.userdata, this, fn, args);
  }
  concurrent(io, fn, ...args) {
    this.checkFor(io);
    io.vtable.groupConcurrent(io.userdata, this, fn, args);
  }
  wait(io) {
    this.checkFor(io);
    io.vtable.groupWait(io.userdata, this);
  }
  cancel(io) {
    this.checkFor(io);
    io.vtable.groupCancel(io.userdata, this);
  }
  requestCancel(io) {
    io.vtable.groupRequestCancel(io.userdata, this);
  }
  waitAsync(io) {
    this.checkFor(io);
    return io.vtable.groupWaitAsync(io.userdata, this);
  }
  cancelOn(io, signal) {
    this.checkFor(io);
    const listener = () => {
      if (isLive(this.heap, this.ref, this.gen))
        io.vtable.groupRequestCancel(io.userdata, this);
    };
    if (signal.aborted)
      listener();
    else
      signal.addEventListener("abort", listener, { once: true });
    return this;
  }
  deinit() {
    this.check();
    const u32 = this.heap.u32;
    if (Atomics.load(this.heap.i32, this.ref + GroupLayout.STATE >> 2) !== 0 || u32[this.ref + GroupLayout.TOKEN >> 2] !== 0) {
      throw new BugError("Group.deinit with members not yet waited for: call wait or cancel first (or `using`)");
    }
    this.gen = FREED_HERE;
    this.heap.free(this.ref);
  }
  [Symbol.dispose]() {
    if (this.gen === FREED_HERE)
      return;
    try {
      this.cancel(this.io);
    } finally {
      if (isLive(this.heap, this.ref, this.gen) && Atomics.load(this.heap.i32, this.ref + GroupLayout.STATE >> 2) === 0 && this.heap.u32[this.ref + GroupLayout.TOKEN >> 2] === 0) {
        this.gen = FREED_HERE;
        this.heap.free(this.ref);
      }
    }
  }
}
function reviveGroup(heap, io, ref, gen) {
  checkRef(heap, ref, gen, BlockKind.GROUP, "Group", true);
  return new Group(INTERNAL, heap, ref, gen, io);
}

// lib/io/queue_waiters.ts
function field(heap, block, f) {
  return heap.u32[block + f >> 2];
}
function setField(heap, block, f, v) {
  heap.u32[block + f >> 2] = v;
}
function newWaiter(heap, size) {
  const w = heap.allocZeroed(WaiterLayout.BYTES);
  try {
    setField(heap, w, WaiterLayout.TOKENS, heap.alloc(4 * Math.max(size, 1)));
  } catch (e) {
    heap.free(w);
    throw e;
  }
  return w;
}
function freeWaiter(heap, w) {
  heap.free(field(heap, w, WaiterLayout.TOKENS));
  heap.free(w);
}
function waiterTokens(heap, w, count = field(heap, w, WaiterLayout.END)) {
  const arr = field(heap, w, WaiterLayout.TOKENS) >> 2;
  return Array.from(heap.u32.subarray(arr, arr + count));
}
function appendWaiter(heap, ref, head, w) {
  const tail = head + 4;
  setField(heap, w, WaiterLayout.NEXT, 0);
  const last = field(heap, ref, tail);
  if (last === 0)
    setField(heap, ref, head, w);
  else
    setField(heap, last, WaiterLayout.NEXT, w);
  setField(heap, ref, tail, w);
}
function shiftWaiter(heap, ref, head) {
  const next = field(heap, field(heap, ref, head), WaiterLayout.NEXT);
  setField(heap, ref, head, next);
  if (next === 0)
    setField(heap, ref, head + 4, 0);
}
function removeWaiter(heap, ref, head, w) {
  let prev = 0;
  for (let c = field(heap, ref, head);c !== 0; prev = c, c = field(heap, c, WaiterLayout.NEXT)) {
    if (c !== w)
      continue;
    const next = field(heap, c, WaiterLayout.NEXT);
    if (prev === 0)
      setField(heap, ref, head, next);
    else
      setField(heap, prev, WaiterLayout.NEXT, next);
    if (field(heap, ref, head + 4) === w)
      setField(heap, ref, head + 4, prev);
    return;
  }
}

// lib/io/queue_transfer.ts
function releasePutter(io, heap, ref, p) {
  shiftWaiter(heap, ref, QueueLayout.PUTTERS_HEAD);
  if (field(heap, p, WaiterLayout.ORPHAN) !== 0)
    freeWaiter(heap, p);
  else
    embeddedCondition(heap, p + WaiterLayout.COND).signal(io);
}
function putLocked(io, heap, ref, tokens, from) {
  const u32 = heap.u32;
  let n = from;
  while (n < tokens.length) {
    const g = field(heap, ref, QueueLayout.GETTERS_HEAD);
    if (g === 0)
      break;
    const pos = field(heap, g, WaiterLayout.POS);
    const k = Math.min(field(heap, g, WaiterLayout.END) - pos, tokens.length - n);
    const slots = field(heap, g, WaiterLayout.TOKENS) >> 2;
    for (let i = 0;i < k; i++)
      u32[slots + pos + i] = tokens[n + i];
    setField(heap, g, WaiterLayout.POS, pos + k);
    n += k;
    if (pos + k < field(heap, g, WaiterLayout.MIN))
      break;
    shiftWaiter(heap, ref, QueueLayout.GETTERS_HEAD);
    embeddedCondition(heap, g + WaiterLayout.COND).signal(io);
  }
  const cap = field(heap, ref, QueueLayout.CAPACITY);
  const len = field(heap, ref, QueueLayout.LEN);
  const k = Math.min(cap - len, tokens.length - n);
  if (k > 0) {
    const ring = field(heap, ref, QueueLayout.RING) >> 2;
    const start = field(heap, ref, QueueLayout.START);
    for (let i = 0;i < k; i++)
      u32[ring + (start + len + i) % cap] = tokens[n + i];
    setField(heap, ref, QueueLayout.LEN, len + k);
    n += k;
  }
  return n - from;
}
function getLocked(io, heap, ref, out, max) {
  const u32 = heap.u32;
  const cap = field(heap, ref, QueueLayout.CAPACITY);
  let len = field(heap, ref, QueueLayout.LEN);
  let start = field(heap, ref, QueueLayout.START);
  const ring = field(heap, ref, QueueLayout.RING) >> 2;
  while (len > 0 && out.length < max) {
    out.push(u32[ring + start]);
    start = (start + 1) % cap;
    len--;
  }
  setField(heap, ref, QueueLayout.START, start);
  setField(heap, ref, QueueLayout.LEN, len);
  while (out.length < max) {
    const p = field(heap, ref, QueueLayout.PUTTERS_HEAD);
    if (p === 0)
      break;
    const pos = field(heap, p, WaiterLayout.POS);
    const m = Math.min(field(heap, p, WaiterLayout.END) - pos, max - out.length);
    const src = field(heap, p, WaiterLayout.TOKENS) >> 2;
    for (let i = 0;i < m; i++)
      out.push(u32[src + pos + i]);
    setField(heap, p, WaiterLayout.POS, pos + m);
    if (pos + m < field(heap, p, WaiterLayout.END))
      break;
    releasePutter(io, heap, ref, p);
  }
  refillLocked(io, heap, ref);
}
function refillLocked(io, heap, ref) {
  const u32 = heap.u32;
  const cap = field(heap, ref, QueueLayout.CAPACITY);
  const ring = field(heap, ref, QueueLayout.RING) >> 2;
  for (;; ) {
    const len = field(heap, ref, QueueLayout.LEN);
    const p = field(heap, ref, QueueLayout.PUTTERS_HEAD);
    if (p === 0 || len === cap)
      return;
    const start = field(heap, ref, QueueLayout.START);
    const pos = field(heap, p, WaiterLayout.POS);
    const m = Math.min(field(heap, p, WaiterLayout.END) - pos, cap - len);
    const src = field(heap, p, WaiterLayout.TOKENS) >> 2;
    for (let i = 0;i < m; i++)
      u32[ring + (start + len + i) % cap] = u32[src + pos + i];
    setField(heap, ref, QueueLayout.LEN, len + m);
    setField(heap, p, WaiterLayout.POS, pos + m);
    if (pos + m < field(heap, p, WaiterLayout.END))
      return;
    releasePutter(io, heap, ref, p);
  }
}

// lib/io/queue_elements.ts
function encodeElements(heap, items) {
  const tokens = [];
  try {
    for (const item of items) {
      const e = encodeResult(item, "put in a queue", heap);
      const payload = e.format === Format.NUMBER ? 8 : e.bytes;
      let block;
      try {
        block = heap.alloc(ElementLayout.PAYLOAD + payload);
      } catch (err) {
        dropEncoded(e);
        throw err;
      }
      heap.u32[block + ElementLayout.FORMAT >> 2] = e.format;
      heap.u32[block + ElementLayout.LENGTH >> 2] = e.length;
      if (e.format === Format.NUMBER)
        heap.f64[block + ElementLayout.PAYLOAD >> 3] = e.numbers[0];
      else if (e.format === Format.JSC)
        writePayload(heap.u8, block + ElementLayout.PAYLOAD, e);
      tokens.push(block);
    }
  } catch (e) {
    freeElements(heap, tokens, 0, tokens.length);
    throw e;
  }
  return tokens;
}
function decodeElements(io, heap, tokens) {
  const revive = Object.assign((kind, ref, gen, extra) => io.vtable.revive(io.userdata, kind, ref, gen, extra), { heap });
  const out = [];
  try {
    for (const block of tokens) {
      const format = heap.u32[block + ElementLayout.FORMAT >> 2];
      const at = block + ElementLayout.PAYLOAD;
      if (format === Format.NUMBER)
        out.push(fromF64(heap.f64[at >> 3]));
      else if (format === Format.JSC)
        out.push(decodeValue(heap.u8, at, heap.u32[block + ElementLayout.LENGTH >> 2], revive));
      else
        out.push(undefined);
    }
  } finally {
    freeElements(heap, tokens, 0, tokens.length);
  }
  return out;
}
function freeElements(heap, tokens, from, to) {
  for (let i = from;i < to; i++)
    freeElement(heap, tokens[i]);
}
function freeElement(heap, block) {
  if (heap.u32[block + ElementLayout.FORMAT >> 2] === Format.JSC)
    releasePayload(heap.u8, block + ElementLayout.PAYLOAD);
  heap.free(block);
}

// lib/io/queue.ts
class Queue {
  heap;
  ref;
  gen;
  mutex;
  constructor(key, heap, ref, gen) {
    this.heap = heap;
    this.ref = ref;
    this.gen = gen;
    checkInternal(key, "Queue");
    this.mutex = embeddedMutex(heap, ref + QueueLayout.MUTEX);
  }
  static init(io, capacity) {
    checkCount(capacity, "Queue capacity", 0, 536870911);
    const heap = heapOf(io, "Queue");
    const ring = capacity > 0 ? heap.alloc(4 * capacity) : 0;
    let ref;
    try {
      ref = heap.allocZeroed(QueueLayout.BYTES, BlockKind.QUEUE);
    } catch (e) {
      if (ring !== 0)
        heap.free(ring);
      throw e;
    }
    Atomics.store(heap.i32, ref + QueueLayout.MUTEX >> 2, UNLOCKED);
    heap.u32[ref + QueueLayout.CAPACITY >> 2] = capacity;
    heap.u32[ref + QueueLayout.RING >> 2] = ring;
    return new Queue(INTERNAL, heap, ref, heap.generation(ref));
  }
  static from(heap, ref, gen) {
    checkRef(heap, ref, gen, BlockKind.QUEUE, "Queue");
    return new Queue(INTERNAL, heap, ref, gen);
  }
  checkFor(io) {
    this.check();
    checkSameHeap(this.heap, heapOf(io, "Queue"), "Queue");
  }
  check(io) {
    checkHandle(this.heap, this.ref, this.gen, "Queue");
    if (io !== undefined)
      checkSameHeap(this.heap, heapOf(io, "Queue"), "Queue");
  }
  [SHARED_REF]() {
    this.check();
    return ["queue", this.ref, this.gen, this.heap.base];
  }
  capacity() {
    this.check();
    return this.field(QueueLayout.CAPACITY);
  }
  length() {
    this.check();
    return this.field(QueueLayout.LEN);
  }
  put(io, items, min) {
    return this.putWith(io, items, min, true);
  }
  putAll(io, items) {
    this.putWith(io, items, items.length, true);
  }
  putOne(io, item) {
    this.putWith(io, [item], 1, true);
  }
  putUncancelable(io, items, min) {
    return this.putWith(io, items, min, false);
  }
  putOneUncancelable(io, item) {
    this.putWith(io, [item], 1, false);
  }
  get(io, max, min) {
    return this.getWith(io, max, min, true);
  }
  getOne(io) {
    return this.getWith(io, 1, 1, true)[0];
  }
  getUncancelable(io, max, min) {
    return this.getWith(io, max, min, false);
  }
  getOneUncancelable(io) {
    return this.getWith(io, 1, 1, false)[0];
  }
  putWith(io, items, min, cancelable) {
    this.checkFor(io);
    checkItems(items);
    checkMin(items.length, min);
    if (items.length === 0)
      return 0;
    const tokens = encodeElements(this.heap, items);
    try {
      if (cancelable)
        this.mutex.lock(io);
      else
        this.mutex.lockUncancelable(io);
    } catch (e) {
      freeElements(this.heap, tokens, 0, tokens.length);
      throw e;
    }
    try {
      const w = this.startPut(io, tokens, min);
      if (w === 0)
        return this.putCount;
      try {
        this.waitServed(io, w, cancelable);
      } catch (e) {
        this.abandonPut(w, e);
      }
      freeWaiter(this.heap, w);
      return tokens.length;
    } finally {
      this.mutex.unlock(io);
    }
  }
  getWith(io, max, min, cancelable) {
    checkCount(max, "Max");
    this.checkFor(io);
    checkMin(max, min);
    if (max === 0)
      return [];
    if (cancelable)
      this.mutex.lock(io);
    else
      this.mutex.lockUncancelable(io);
    try {
      const out = [];
      const w = this.startGet(io, out, max, min);
      if (w !== 0) {
        try {
          this.waitServed(io, w, cancelable);
        } catch (e) {
          this.abandonGet(io, w, out, e);
        }
        this.finishGet(io, w, out);
      }
      return decodeElements(io, this.heap, out);
    } finally {
      this.mutex.unlock(io);
    }
  }
  waitServed(io, w, cancelable) {
    const cond = embeddedCondition(this.heap, w + WaiterLayout.COND);
    traceWaitSite(WaitSite.QUEUE);
    this.enter();
    try {
      while (!this.served(w)) {
        if (cancelable)
          cond.wait(io, this.mutex);
        else
          cond.waitUncancelable(io, this.mutex);
      }
    } finally {
      this.leave();
      traceWaitSite(WaitSite.NONE);
    }
  }
  async putAsync(io, items, min) {
    this.checkFor(io);
    checkItems(items);
    checkMin(items.length, min);
    if (items.length === 0)
      return 0;
    const tokens = encodeElements(this.heap, items);
    this.enter();
    try {
      for (let c = false;!this.lockNow(c); c = true)
        await this.lockFreed();
      try {
        const w = this.startPut(io, tokens, min);
        if (w === 0)
          return this.putCount;
        const cond = embeddedCondition(this.heap, w + WaiterLayout.COND);
        try {
          while (!this.served(w)) {
            try {
              await awaitSignal(cond, io, this.mutex);
            } finally {
              for (let c = false;!this.lockNow(c); c = true)
                await this.lockFreed();
            }
          }
        } catch (e) {
          this.abandonPut(w, e);
        }
        freeWaiter(this.heap, w);
        return tokens.length;
      } finally {
        this.mutex.unlock(io);
      }
    } finally {
      this.leave();
    }
  }
  putOneAsync(io, item) {
    return this.putAsync(io, [item], 1);
  }
  async getAsync(io, max, min) {
    checkCount(max, "Max");
    this.checkFor(io);
    checkMin(max, min);
    if (max === 0)
      return [];
    this.enter();
    try {
      for (let c = false;!this.lockNow(c); c = true)
        await this.lockFreed();
      try {
        const out = [];
        const w = this.startGet(io, out, max, min);
        if (w !== 0) {
          const cond = embeddedCondition(this.heap, w + WaiterLayout.COND);
          try {
            while (!this.served(w)) {
              try {
                await awaitSignal(cond, io, this.mutex);
              } finally {
                for (let c = false;!this.lockNow(c); c = true)
                  await this.lockFreed();
              }
            }
          } catch (e) {
            this.abandonGet(io, w, out, e);
          }
          this.finishGet(io, w, out);
        }
        return decodeElements(io, this.heap, out);
      } finally {
        this.mutex.unlock(io);
      }
    } finally {
      this.leave();
    }
  }
  async getOneAsync(io) {
    return (await this.getAsync(io, 1, 1))[0];
  }
  lockNow(contended) {
    const i32 = this.heap.i32;
    const index = this.ref + QueueLayout.MUTEX >> 2;
    if (contended)
      return Atomics.exchange(i32, index, CONTENDED) === UNLOCKED;
    return (lockFast(i32, index) & UNLOCKED) !== 0;
  }
  lockFreed() {
    return futexWaitAsync(this.heap, this.ref + QueueLayout.MUTEX, CONTENDED);
  }
  putCount = 0;
  startPut(io, tokens, min) {
    let w = 0;
    if (this.putRoom() < min) {
      try {
        w = newWaiter(this.heap, tokens.length);
      } catch (e) {
        freeElements(this.heap, tokens, 0, tokens.length);
        throw e;
      }
    }
    const n = putLocked(io, this.heap, this.ref, tokens, 0);
    if (n === tokens.length || n >= min) {
      if (w !== 0)
        freeWaiter(this.heap, w);
      freeElements(this.heap, tokens, n, tokens.length);
      this.putCount = n;
      return 0;
    }
    if (w === 0)
      throw new BugError("Queue: a put blocked with no waiter allocated (putRoom)");
    const arr = this.wfield(w, WaiterLayout.TOKENS) >> 2;
    for (let i = 0;i < tokens.length; i++)
      this.heap.u32[arr + i] = tokens[i];
    this.setW(w, WaiterLayout.POS, n);
    this.setW(w, WaiterLayout.END, tokens.length);
    this.setW(w, WaiterLayout.MIN, tokens.length);
    appendWaiter(this.heap, this.ref, QueueLayout.PUTTERS_HEAD, w);
    return w;
  }
  abandonPut(w, e) {
    if (e instanceof Canceled && this.served(w))
      return;
    removeWaiter(this.heap, this.ref, QueueLayout.PUTTERS_HEAD, w);
    freeElements(this.heap, waiterTokens(this.heap, w), this.wfield(w, WaiterLayout.POS), this.wfield(w, WaiterLayout.END));
    freeWaiter(this.heap, w);
    throw e;
  }
  startGet(io, out, max, min) {
    const room = Math.min(max, Math.max(min, GETTER_ROOM));
    const w = this.getRoom() < min ? newWaiter(this.heap, room) : 0;
    getLocked(io, this.heap, this.ref, out, max);
    if (out.length >= min) {
      if (w !== 0)
        freeWaiter(this.heap, w);
      return 0;
    }
    if (w === 0)
      throw new BugError("Queue: a get blocked with no waiter allocated (getRoom)");
    this.setW(w, WaiterLayout.POS, 0);
    this.setW(w, WaiterLayout.END, Math.min(max - out.length, room));
    this.setW(w, WaiterLayout.MIN, min - out.length);
    appendWaiter(this.heap, this.ref, QueueLayout.GETTERS_HEAD, w);
    return w;
  }
  abandonGet(io, w, out, e) {
    if (e instanceof Canceled && this.served(w))
      return;
    removeWaiter(this.heap, this.ref, QueueLayout.GETTERS_HEAD, w);
    const back = out.concat(waiterTokens(this.heap, w, this.wfield(w, WaiterLayout.POS)));
    out.length = 0;
    this.giveBack(io, w, back);
    throw e;
  }
  finishGet(io, w, out) {
    out.push(...waiterTokens(this.heap, w, this.wfield(w, WaiterLayout.POS)));
    freeWaiter(this.heap, w);
    refillLocked(io, this.heap, this.ref);
  }
  giveBack(io, w, tokens) {
    const n = putLocked(io, this.heap, this.ref, tokens, 0);
    if (n === tokens.length) {
      freeWaiter(this.heap, w);
      return;
    }
    const arr = this.wfield(w, WaiterLayout.TOKENS) >> 2;
    for (let i = n;i < tokens.length; i++)
      this.heap.u32[arr + i - n] = tokens[i];
    this.heap.u32.fill(0, w + WaiterLayout.COND >> 2, w + WaiterLayout.COND + 8 >> 2);
    this.setW(w, WaiterLayout.POS, 0);
    this.setW(w, WaiterLayout.END, tokens.length - n);
    this.setW(w, WaiterLayout.MIN, tokens.length - n);
    this.setW(w, WaiterLayout.ORPHAN, 1);
    appendWaiter(this.heap, this.ref, QueueLayout.PUTTERS_HEAD, w);
  }
  served(w) {
    return this.wfield(w, WaiterLayout.POS) >= this.wfield(w, WaiterLayout.MIN);
  }
  putRoom() {
    let room = this.field(QueueLayout.CAPACITY) - this.field(QueueLayout.LEN);
    for (let g = this.field(QueueLayout.GETTERS_HEAD);g !== 0; g = this.wfield(g, WaiterLayout.NEXT))
      room += this.wfield(g, WaiterLayout.END) - this.wfield(g, WaiterLayout.POS);
    return room;
  }
  getRoom() {
    let n = this.field(QueueLayout.LEN);
    for (let p = this.field(QueueLayout.PUTTERS_HEAD);p !== 0; p = this.wfield(p, WaiterLayout.NEXT))
      n += this.wfield(p, WaiterLayout.END) - this.wfield(p, WaiterLayout.POS);
    return n;
  }
  field(f) {
    return this.heap.u32[this.ref + f >> 2];
  }
  set(f, v) {
    this.heap.u32[this.ref + f >> 2] = v;
  }
  wfield(w, f) {
    return this.heap.u32[w + f >> 2];
  }
  setW(w, f, v) {
    this.heap.u32[w + f >> 2] = v;
  }
  deinit() {
    this.check();
    const i32 = this.heap.i32;
    const inside = Atomics.load(i32, this.ref + QueueLayout.INSIDE >> 2);
    const locked = Atomics.load(i32, this.ref + QueueLayout.MUTEX >> 2) !== UNLOCKED;
    if (inside !== 0 || locked || this.field(QueueLayout.GETTERS_HEAD) !== 0) {
      throw new BugError(`Queue.deinit while ${inside === 0 ? "a call holds its lock" : `${inside} call${inside === 1 ? " is" : "s are"} inside it`} (a put or get blocked or not yet returned, on some thread or as an async twin): let them return first`);
    }
    this.gen = FREED_HERE;
    const cap = this.field(QueueLayout.CAPACITY);
    const ring = this.field(QueueLayout.RING);
    const start = this.field(QueueLayout.START);
    for (let i = 0;i < this.field(QueueLayout.LEN); i++)
      freeElement(this.heap, this.heap.u32[(ring >> 2) + (start + i) % cap]);
    for (let p = this.field(QueueLayout.PUTTERS_HEAD);p !== 0; ) {
      const next = this.wfield(p, WaiterLayout.NEXT);
      freeElements(this.heap, waiterTokens(this.heap, p), this.wfield(p, WaiterLayout.POS), this.wfield(p, WaiterLayout.END));
      freeWaiter(this.heap, p);
      p = next;
    }
    if (ring !== 0)
      this.heap.free(ring);
    this.heap.free(this.ref);
  }
  enter() {
    Atomics.add(this.heap.i32, this.ref + QueueLayout.INSIDE >> 2, 1);
  }
  leave() {
    Atomics.sub(this.heap.i32, this.ref + QueueLayout.INSIDE >> 2, 1);
  }
  [Symbol.dispose]() {
    this.deinit();
  }
}
function checkMin(len, min) {
  checkCount(min, "Min", 0, len);
}
function checkItems(items) {
  if (!Array.isArray(items))
    throw new TypeError(`Queue items are ${describe2(items)}, not an array (putOne takes one item)`);
}
var GETTER_ROOM = 1024;
function reviveQueue(heap, ref, gen) {
  checkRef(heap, ref, gen, BlockKind.QUEUE, "Queue", true);
  return new Queue(INTERNAL, heap, ref, gen);
}

// lib/io/close_once.ts
var ELSEWHERE = (kind) => ` through another ${kind} over it (a copy passed to a task or from one` + (kind === "File" ? ", or another File.stdin(), stdout() or stderr())" : ")");
function closedTwice(kind, handle, elsewhere = false) {
  return new BugError(`${kind} (descriptor ${handle}) closed twice${elsewhere ? ELSEWHERE(kind) : ""}: close(2) ` + "was not called again, since the number may already name another descriptor opened since");
}
function usedAfterClose(kind, handle, elsewhere = false) {
  return new BugError(`${kind} (descriptor ${handle}) used after close${elsewhere ? `, closed${ELSEWHERE(kind)}` : ""}: ` + "the call was not made, since the number may already name another descriptor opened since");
}
var closedDirs = new WeakSet;
function markDirClosed(dir) {
  closedDirs.add(dir);
}
function isDirClosed(dir) {
  return closedDirs.has(dir);
}

// lib/io/standard_descriptors.ts
var STANDARD = Symbol("threaded-io.standard");
function markStandard(obj) {
  Object.defineProperty(obj, STANDARD, { value: true });
}
function isStandard(obj) {
  return obj[STANDARD] === true;
}
var ownClosed = new Set;
var record2 = {
  claim: (fd) => !ownClosed.has(fd) && ownClosed.add(fd) !== undefined,
  closed: (fd) => ownClosed.has(fd)
};
function useStandardRecord(r) {
  record2 = r;
}
function closeStandard(obj, handle) {
  return !isStandard(obj) || record2.claim(handle);
}
function standardClosed(obj, handle) {
  return isStandard(obj) && record2.closed(handle);
}
var STANDARD_CROSSING = [0, 1];

// lib/io/descriptor_cell.ts
var cells = new WeakMap;
var shared = new WeakMap;
function record3(heap, ref, gen) {
  let r = shared.get(heap);
  if (r === undefined)
    shared.set(heap, r = { byRef: new Map, sweepAt: 64 });
  const known = r.byRef.get(ref)?.deref();
  if (known !== undefined && known.gen === gen)
    return known;
  const cell = { heap, ref, gen };
  if (r.byRef.size >= r.sweepAt) {
    for (const [at, weak] of r.byRef)
      if (weak.deref() === undefined)
        r.byRef.delete(at);
    r.sweepAt = Math.max(64, 2 * r.byRef.size);
  }
  r.byRef.set(ref, new WeakRef(cell));
  return cell;
}
function newest(c) {
  while (c.next !== undefined)
    c = c.next;
  return c;
}
var OPEN = (gen) => gen ^ 1511509521 | 0;
var CLOSING = 1 << 30;
var USERS = CLOSING - 1;
var CELL_BYTES = 8;
function cellForCrossing(obj, handle, kind) {
  const heap = crossingHeap();
  if (isStandard(obj))
    return STANDARD_CROSSING;
  if (heap === undefined || handle < 0)
    return NO_CELL;
  const had = cells.get(obj);
  const last = had === undefined ? undefined : newest(had);
  if (last !== undefined && last.heap === heap)
    return [last.ref, last.gen];
  if (last !== undefined && !last.heap.closed)
    throw new BugError(`${kind} (descriptor ${handle}) already crossed to another Threaded instance's tasks: ` + "copies in two instances cannot see each other's close; pass it to one instance's " + "tasks, or open another descriptor for the other");
  const ref = heap.alloc(CELL_BYTES, BlockKind.DATA);
  const gen = heap.generation(ref);
  Atomics.store(heap.i32, (ref >> 2) + 1, 0);
  Atomics.store(heap.i32, ref >> 2, OPEN(gen));
  const cell = record3(heap, ref, gen);
  if (last === undefined)
    cells.set(obj, cell);
  else if (isOpen(last))
    last.next = cell;
  return [cell.ref, cell.gen];
}
var NO_CELL = [0, 0];
function adoptCell(obj, heap, ref, gen) {
  if (ref !== 0)
    cells.set(obj, record3(heap, ref, gen));
  else if (gen === STANDARD_CROSSING[1])
    markStandard(obj);
}
function hasCell(obj) {
  return cells.has(obj);
}
function isOpen(c) {
  return c.heap.generation(c.ref) === c.gen && Atomics.load(c.heap.i32, c.ref >> 2) === OPEN(c.gen);
}
function closedElsewhere(obj) {
  const had = cells.get(obj);
  if (had === undefined)
    return standardClosed(obj, obj.handle);
  const c = newest(had);
  return !isOpen(c) || (Atomics.load(c.heap.i32, (c.ref >> 2) + 1) & CLOSING) !== 0;
}
function withUse(obj, refused, closeNow, call) {
  const had = cells.get(obj);
  if (had === undefined)
    return call();
  const c = newest(had);
  const i32 = c.heap.i32;
  const w1 = (c.ref >> 2) + 1;
  for (;; ) {
    const w = Atomics.load(i32, w1);
    if (!isOpen(c) || (w & CLOSING) !== 0)
      throw refused();
    if (Atomics.compareExchange(i32, w1, w, w + 1) === w)
      break;
  }
  if (!isOpen(c)) {
    Atomics.sub(i32, w1, 1);
    throw refused();
  }
  try {
    return call();
  } finally {
    leave2(c, closeNow);
  }
}
function leave2(c, closeNow) {
  if (Atomics.sub(c.heap.i32, (c.ref >> 2) + 1, 1) === (CLOSING | 1)) {
    freeCell(c);
    closeNow();
  }
}
function freeCell(c) {
  Atomics.store(c.heap.i32, c.ref >> 2, 0);
  if (!c.heap.closed)
    c.heap.free(c.ref);
}
function closeCell(obj, waking) {
  const had = cells.get(obj);
  if (had === undefined)
    return "now";
  cells.delete(obj);
  const c = newest(had);
  for (let o = had;o !== c; o = o.next)
    Atomics.store(o.heap.i32, o.ref >> 2, 0);
  const i32 = c.heap.i32;
  const w1 = (c.ref >> 2) + 1;
  for (;; ) {
    const w = Atomics.load(i32, w1);
    if (!isOpen(c) || (w & CLOSING) !== 0)
      return "lost";
    const users = w & USERS;
    const next = users !== 0 && waking !== undefined ? (w | CLOSING) + 1 : w | CLOSING;
    if (Atomics.compareExchange(i32, w1, w, next) !== w)
      continue;
    if (users === 0) {
      freeCell(c);
      return "now";
    }
    if (waking === undefined)
      return "later";
    try {
      waking.wake();
    } finally {
      leave2(c, waking.closeNow);
    }
    return "done";
  }
}

// lib/io/check_options.ts
function optionNames(names) {
  return Object.keys(names);
}
function checkOptions(options, where, names) {
  if (options === undefined)
    return;
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new TypeError(`${where} takes an options object, not ${show2(options)}`);
  for (const key of Object.keys(options)) {
    if (!names.includes(key))
      throw new TypeError(`${where} has no option "${key}" (the options: ${names.join(", ")})`);
  }
}
function checkOneOf(value, what, allowed) {
  if (allowed.includes(value))
    return;
  throw new RangeError(`${what} ${show2(value)} is not one of ${allowed.join(", ")}`);
}
function show2(v) {
  return typeof v === "string" ? JSON.stringify(v) : `"${String(v)}"`;
}

// lib/fs/dir_reader.ts
var DEFAULT_DIR_BUFFER_BYTES = 8192;
var MIN_DIR_BUFFER_BYTES = 512;

class DirReader {
  dir;
  state;
  buffer;
  index = 0;
  end = 0;
  last = -1;
  seekTo = undefined;
  constructor(dir, bufferBytes = DEFAULT_DIR_BUFFER_BYTES, state = "reset") {
    this.dir = dir;
    this.state = state;
    if (!Number.isInteger(bufferBytes) || bufferBytes < MIN_DIR_BUFFER_BYTES || bufferBytes > 1 << 24)
      throw new RangeError(`Directory buffer of ${bufferBytes} bytes is not an integer in [${MIN_DIR_BUFFER_BYTES}, 2^24]`);
    this.buffer = Buffer.allocUnsafeSlow(bufferBytes);
  }
  reset() {
    this.state = "reset";
    this.index = this.end = 0;
    this.last = -1;
    this.seekTo = undefined;
  }
  position() {
    if (this.seekTo !== undefined)
      return this.seekTo;
    return this.last < 0 ? undefined : this.buffer.readBigInt64LE(this.last + 8);
  }
  resumeAt(position) {
    this.state = "reading";
    this.index = this.end = 0;
    this.last = -1;
    this.seekTo = position;
  }
}

// lib/fs/dir_iterator.ts
var ITERATE_OPTION_NAMES = optionNames({ bufferBytes: true });
var READER_STATES = ["reset", "reading", "finished"];

class DirIterator {
  io;
  dir;
  reader;
  constructor(io, dir, options = {}, state = "reset") {
    this.io = io;
    this.dir = dir;
    checkOptions(options, "Dir.iterate", ITERATE_OPTION_NAMES);
    checkOneOf(state, "Directory reader state", READER_STATES);
    this.reader = new DirReader(dir, options.bufferBytes, state);
  }
  next() {
    if (isDirClosed(this.dir))
      throw usedAfterClose("Dir", this.dir.handle);
    if (closedElsewhere(this.dir))
      throw usedAfterClose("Dir", this.dir.handle, true);
    const { dir, io } = this;
    return withUse(dir, () => usedAfterClose("Dir", dir.handle, true), () => io.vtable.dirClose(io.userdata, dir), () => io.vtable.dirRead(io.userdata, this.reader));
  }
  reset() {
    this.reader.reset();
  }
  *[Symbol.iterator]() {
    for (let e = this.next();e !== null; e = this.next())
      yield e;
  }
}

// lib/fs/flags.ts
var OPEN_MODES = ["read_only", "write_only", "read_write"];
var LOCKS = ["none", "shared", "exclusive"];
var OPEN_FLAG_NAMES = optionNames({
  mode: true,
  lock: true,
  lockNonblocking: true,
  allowCtty: true,
  followSymlinks: true
});
var CREATE_FLAG_NAMES = optionNames({
  read: true,
  truncate: true,
  exclusive: true,
  lock: true,
  lockNonblocking: true,
  mode: true
});
var DIR_OPEN_OPTION_NAMES = optionNames({
  accessSubPaths: true,
  iterate: true,
  followSymlinks: true
});
var ACCESS_OPTION_NAMES = optionNames({
  followSymlinks: true,
  read: true,
  write: true,
  execute: true
});
var STAT_PATH_OPTION_NAMES = optionNames({ followSymlinks: true });
function checkOpenFlags(flags, where) {
  checkOptions(flags, where, OPEN_FLAG_NAMES);
  if (flags.mode !== undefined)
    checkOneOf(flags.mode, "Open mode", OPEN_MODES);
  if (flags.lock !== undefined)
    checkOneOf(flags.lock, "Lock", LOCKS);
}
function checkCreateFlags(flags, where) {
  checkOptions(flags, where, CREATE_FLAG_NAMES);
  if (flags.lock !== undefined)
    checkOneOf(flags.lock, "Lock", LOCKS);
  if (flags.mode !== undefined)
    checkCount(flags.mode, "Mode", 0, 4095);
}
function checkDirOpenOptions(options, where) {
  checkOptions(options, where, DIR_OPEN_OPTION_NAMES);
}
function checkAccessOptions(options) {
  checkOptions(options, "access", ACCESS_OPTION_NAMES);
}
function checkStatPathOptions(options) {
  checkOptions(options, "statPath", STAT_PATH_OPTION_NAMES);
}

// lib/fs/walker.ts
var DEFAULT_MAX_OPEN_DIRS = 64;
var WALK_OPTION_NAMES = optionNames({ maxOpenDirs: true, bufferBytes: true });

class Walker {
  io;
  root;
  stack;
  maxOpenDirs;
  bufferBytes;
  open = 0;
  pending = null;
  constructor(io, root, options = {}) {
    this.io = io;
    this.root = root;
    checkOptions(options, "Dir.walk", WALK_OPTION_NAMES);
    const max = options.maxOpenDirs ?? DEFAULT_MAX_OPEN_DIRS;
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`maxOpenDirs "${max}" is not a positive integer`);
    this.maxOpenDirs = max;
    this.bufferBytes = options.bufferBytes;
    const iter = new DirIterator(io, root, { bufferBytes: this.bufferBytes });
    this.stack = [
      { iter, path: "", pathBytes: undefined, consumed: 0, inode: undefined, position: undefined }
    ];
  }
  get openDirs() {
    return this.open;
  }
  next() {
    const stack = this.stack;
    if (this.pending !== null) {
      const pending = this.pending;
      this.pending = null;
      this.push(stack[stack.length - 1], pending);
    }
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const iter = top.iter ?? this.resume(top);
      const e = iter.next();
      if (e === null) {
        this.finish(top);
        continue;
      }
      top.consumed++;
      const path = top.path === "" ? e.name : `${top.path}/${e.name}`;
      const raw = e.nameBytes;
      if (raw === undefined && top.pathBytes === undefined) {
        if (e.kind === "directory")
          this.pending = { name: e.name, path, pathBytes: undefined };
        return { dir: iter.dir, basename: e.name, path, kind: e.kind };
      }
      const pathBytes = joinBytes(top.pathBytes ?? top.path, raw ?? e.name);
      if (e.kind === "directory")
        this.pending = { name: raw ?? e.name, path, pathBytes };
      const entry = { dir: iter.dir, basename: e.name, path, kind: e.kind, pathBytes };
      return raw === undefined ? entry : { ...entry, basenameBytes: raw };
    }
    return null;
  }
  skip() {
    this.pending = null;
  }
  deinit() {
    this.pending = null;
    while (this.stack.length > 1)
      this.closeLevel(this.stack.pop());
    this.stack.length = 0;
  }
  [Symbol.dispose]() {
    this.deinit();
  }
  *[Symbol.iterator]() {
    try {
      for (let e = this.next();e !== null; e = this.next())
        yield e;
    } finally {
      this.deinit();
    }
  }
  push(parent, sub) {
    let fromParent = true;
    if (this.open >= this.maxOpenDirs && this.suspendShallowest() === parent)
      fromParent = false;
    const dir = withWalkPath(sub.path, () => fromParent ? openLevel(this.io, parent.iter.dir, sub.name) : this.openFromRoot(sub.pathBytes ?? sub.path));
    this.open++;
    const iter = new DirIterator(this.io, dir, { bufferBytes: this.bufferBytes }, "reading");
    const { path, pathBytes } = sub;
    this.stack.push({ iter, path, pathBytes, consumed: 0, inode: undefined, position: undefined });
  }
  suspendShallowest() {
    let i = this.stack.length - 1;
    while (i > 1 && this.stack[i - 1].iter !== null)
      i--;
    const level = this.stack[i];
    if (i < 1 || level.iter === null)
      return;
    try {
      level.inode = level.iter.dir.stat(this.io).inode;
    } catch (e) {
      if (IoError.is(e, "Canceled"))
        throw e;
      level.inode = undefined;
    }
    level.position = level.iter.reader.position();
    this.closeLevel(level);
    return level;
  }
  finish(top) {
    const stack = this.stack;
    stack.pop();
    if (stack.length === 0)
      return;
    const parent = stack[stack.length - 1];
    try {
      if (parent.iter === null && parent.inode !== undefined && this.open < this.maxOpenDirs)
        this.reopenAsParent(parent, top.iter.dir);
    } finally {
      this.closeLevel(top);
    }
  }
  reopenAsParent(level, child) {
    let dir;
    try {
      dir = openLevel(this.io, child, "..");
    } catch (e) {
      if (IoError.is(e, "Canceled"))
        throw e;
      return;
    }
    let same = false;
    try {
      same = dir.stat(this.io).inode === level.inode;
    } finally {
      if (!same)
        dir.close(this.io);
    }
    if (same)
      this.adopt(level, dir);
  }
  resume(level) {
    if (this.open >= this.maxOpenDirs)
      this.suspendShallowest();
    try {
      const dir = withWalkPath(level.path, () => this.openFromRoot(level.pathBytes ?? level.path));
      this.checkSame(level, dir);
      return this.adopt(level, dir);
    } catch (e) {
      if (!IoError.is(e, "Canceled") && this.stack[this.stack.length - 1] === level)
        this.stack.pop();
      throw e;
    }
  }
  checkSame(level, dir) {
    if (level.inode === undefined)
      return;
    let same = false;
    try {
      same = dir.stat(this.io).inode === level.inode;
    } finally {
      if (!same)
        dir.close(this.io);
    }
    if (!same)
      throw new IoError("FileNotFound", {
        message: `FileNotFound: "${level.path}" was replaced while the walk had it closed (maxOpenDirs); the walk leaves it`,
        path: level.path
      });
  }
  adopt(level, dir) {
    const iter = new DirIterator(this.io, dir, { bufferBytes: this.bufferBytes }, "reading");
    try {
      if (level.position !== undefined)
        iter.reader.resumeAt(level.position);
      else
        for (let i = 0;i < level.consumed; i++)
          if (iter.next() === null)
            break;
    } catch (e) {
      dir.close(this.io);
      throw e;
    }
    level.iter = iter;
    this.open++;
    return iter;
  }
  openFromRoot(path) {
    const pieces = pathPieces(path, C.PATH_MAX - 1);
    let dir = openLevel(this.io, this.root, pieces[0]);
    for (let i = 1;i < pieces.length; i++) {
      let next;
      try {
        next = openLevel(this.io, dir, pieces[i]);
      } finally {
        dir.close(this.io);
      }
      dir = next;
    }
    return dir;
  }
  closeLevel(level) {
    if (level.iter === null)
      return;
    const dir = level.iter.dir;
    level.iter = null;
    this.open--;
    dir.close(this.io);
  }
}
function openLevel(io, from, sub) {
  return from.openDir(io, sub, { iterate: true, followSymlinks: false });
}
function withWalkPath(path, open) {
  try {
    return open();
  } catch (e) {
    if (!(e instanceof IoError) || e.path === path)
      throw e;
    throw new IoError(e.code, { errno: e.errno, syscall: e.syscall, path, cause: e });
  }
}
var SLASH = 47;
function joinBytes(parent, name) {
  const p = typeof parent === "string" ? Buffer.from(parent) : parent;
  const n = typeof name === "string" ? Buffer.from(name) : name;
  if (p.length === 0)
    return Uint8Array.from(n);
  const out = new Uint8Array(p.length + 1 + n.length);
  out.set(p);
  out[p.length] = SLASH;
  out.set(n, p.length + 1);
  return out;
}
function pathPieces(path, max) {
  if (typeof path === "string" && Buffer.byteLength(path) <= max)
    return [path];
  const bytes = typeof path === "string" ? Buffer.from(path) : path;
  if (bytes.length <= max)
    return [bytes];
  const pieces = [];
  let start = 0;
  let end = 0;
  for (let i = 0;i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== SLASH)
      continue;
    if (i - start > max && end > start) {
      pieces.push(bytes.subarray(start, end));
      start = end + 1;
    }
    end = i;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}

// lib/fs/types.ts
var defaultFileMode = 438;
var defaultDirMode = 493;

// lib/fs/dir.ts
var CWD_HANDLE = -1e5;

class Dir {
  handle;
  constructor(handle) {
    this.handle = handle;
    if (handle !== CWD_HANDLE)
      checkHandle2(handle);
  }
  [SHARED_REF]() {
    this.checkOpen();
    return ["dir", this.handle, ...cellForCrossing(this, this.handle, "Dir")];
  }
  static cwd() {
    return new Dir(CWD_HANDLE);
  }
  openFile(io, path, flags = {}) {
    this.checkUse(io);
    checkOpenFlags(flags, "openFile");
    return this.use(io, () => io.vtable.dirOpenFile(io.userdata, this, path, flags));
  }
  createFile(io, path, flags = {}) {
    this.checkUse(io);
    checkCreateFlags(flags, "createFile");
    return this.use(io, () => io.vtable.dirCreateFile(io.userdata, this, path, flags));
  }
  makeDir(io, path, mode = defaultDirMode) {
    this.checkUse(io);
    checkCount(mode, "Mode", 0, 4095);
    this.use(io, () => io.vtable.dirMake(io.userdata, this, path, mode));
  }
  makePath(io, path) {
    this.checkUse(io);
    makePathStatus(io, this, path);
  }
  makePathStatus(io, path) {
    this.checkUse(io);
    return makePathStatus(io, this, path);
  }
  makeOpenPath(io, path, options = {}) {
    this.checkUse(io);
    checkDirOpenOptions(options, "makeOpenPath");
    return this.use(io, () => io.vtable.dirMakeOpenPath(io.userdata, this, path, options));
  }
  openDir(io, path, options = {}) {
    this.checkUse(io);
    checkDirOpenOptions(options, "openDir");
    return this.use(io, () => io.vtable.dirOpenDir(io.userdata, this, path, options));
  }
  statPath(io, path, options = {}) {
    this.checkUse(io);
    checkStatPathOptions(options);
    return this.use(io, () => io.vtable.dirStatPath(io.userdata, this, path, options));
  }
  stat(io) {
    this.checkUse(io);
    return this.use(io, () => io.vtable.dirStat(io.userdata, this));
  }
  access(io, path, options = {}) {
    this.checkUse(io);
    checkAccessOptions(options);
    this.use(io, () => io.vtable.dirAccess(io.userdata, this, path, options));
  }
  iterate(io, options = {}) {
    this.checkUse(io);
    if (this.handle === CWD_HANDLE)
      throw new RangeError('Dir.cwd() cannot be iterated: open "." with { iterate: true }');
    return new DirIterator(io, this, options);
  }
  walk(io, options = {}) {
    this.checkUse(io);
    if (this.handle === CWD_HANDLE)
      throw new RangeError('Dir.cwd() cannot be walked: open "." with { iterate: true }');
    return new Walker(io, this, options);
  }
  use(io, call) {
    return useDir(this, io, call);
  }
  checkUse(io) {
    this.checkOpen();
    checkIo(io, "Dir");
  }
  checkOpen() {
    if (isDirClosed(this))
      throw usedAfterClose("Dir", this.handle);
    if (closedElsewhere(this))
      throw usedAfterClose("Dir", this.handle, true);
  }
  close(io) {
    if (this.handle === CWD_HANDLE)
      throw new BugError("Dir.cwd() cannot be closed: it is not a descriptor the program opened");
    checkLiveIo(io, "Dir.close");
    if (isDirClosed(this))
      throw closedTwice("Dir", this.handle);
    if (closedElsewhere(this))
      throw closedTwice("Dir", this.handle, true);
    markDirClosed(this);
    const how = closeCell(this);
    if (how === "lost")
      throw closedTwice("Dir", this.handle, true);
    if (how === "now")
      io.vtable.dirClose(io.userdata, this);
  }
  readFile(io, path, into) {
    this.checkUse(io);
    const buffer = asBytes(into, "Buffer");
    const start = this.use(io, () => io.vtable.dirReadFileStart(io.userdata, this, path, buffer));
    if (typeof start === "number")
      return buffer.subarray(0, start);
    const { file } = start;
    try {
      let n = start.read;
      while (n < buffer.length) {
        const got = file.readStreaming(io, buffer.subarray(n));
        if (got === 0)
          break;
        n += got;
      }
      return buffer.subarray(0, n);
    } catch (e) {
      throw withPath(e, path);
    } finally {
      file.close(io);
    }
  }
  readFileAlloc(io, path, limit = 1 << 30) {
    this.checkUse(io);
    checkCount(limit, "Limit");
    const buf = scratch2 ??= new Uint8Array(SCRATCH_BYTES);
    const start = this.use(io, () => io.vtable.dirReadFileStart(io.userdata, this, path, buf));
    if (typeof start === "number") {
      if (start > limit)
        throw tooLong(limit);
      return buf.slice(0, start);
    }
    try {
      return readRest(io, start.file, buf, start.read, limit);
    } catch (e) {
      throw withPath(e, path);
    } finally {
      start.file.close(io);
    }
  }
  writeFile(io, options) {
    this.checkUse(io);
    if (options === undefined)
      throw new TypeError("writeFile takes { subPath, data }, not undefined");
    checkOptions(options, "writeFile", WRITE_FILE_OPTION_NAMES);
    const bytes = typeof options.data === "string" ? new TextEncoder().encode(options.data) : asBytes(options.data, "Data");
    const file = this.createFile(io, options.subPath, options.flags);
    try {
      file.writeAll(io, bytes);
    } finally {
      file.close(io);
    }
  }
}
var WRITE_FILE_OPTION_NAMES = optionNames({
  subPath: true,
  data: true,
  flags: true
});
var SCRATCH_BYTES = 64 * 1024;
var scratch2;
function withPath(e, path) {
  if (!(e instanceof IoError) || e.constructor !== IoError || e.path !== undefined)
    return e;
  return new IoError(e.code, {
    ...e.errno !== undefined && { errno: e.errno },
    ...e.syscall !== undefined && { syscall: e.syscall },
    path: typeof path === "string" ? path : Buffer.from(path).toString(),
    cause: e.cause
  });
}
function readRest(io, file, buf, n, limit) {
  while (n < buf.length) {
    const got = file.readStreaming(io, buf.subarray(n));
    if (got === 0) {
      if (n > limit)
        throw tooLong(limit);
      return buf.slice(0, n);
    }
    n += got;
  }
  if (n > limit)
    throw tooLong(limit);
  const size = Number(file.stat(io).size);
  let out = Buffer.allocUnsafeSlow(Math.min(Math.max(size, n) + 1, limit + 1));
  out.set(buf.subarray(0, n));
  for (;; ) {
    if (n > limit)
      throw tooLong(limit);
    if (n === out.length) {
      const grown = Buffer.allocUnsafeSlow(Math.min(out.length * 2, limit + 1));
      grown.set(out);
      out = grown;
    }
    const got = file.readStreaming(io, out.subarray(n));
    if (got === 0)
      return out.fill(0, n).subarray(0, n);
    n += got;
  }
}
function tooLong(limit) {
  return new IoError("StreamTooLong", { message: `StreamTooLong: more than ${limit} bytes` });
}
function pathPrefixes(path) {
  if (path instanceof Uint8Array)
    return bytePrefixes(path);
  checkString(path, "Path");
  const absolute = path.startsWith("/");
  const parts = path.split("/").filter((p) => p.length > 0);
  const out = [];
  let acc = absolute ? "" : ".";
  for (const p of parts) {
    acc = acc === "." ? p : `${acc}/${p}`;
    out.push(acc);
  }
  return out;
}
var SLASH2 = 47;
function bytePrefixes(path) {
  const out = [];
  const acc = [];
  let i = 0;
  if (path[0] === SLASH2)
    acc.push(SLASH2);
  while (i < path.length) {
    while (i < path.length && path[i] === SLASH2)
      i++;
    if (i === path.length)
      break;
    const start = i;
    while (i < path.length && path[i] !== SLASH2)
      i++;
    if (acc.length > 0 && acc[acc.length - 1] !== SLASH2)
      acc.push(SLASH2);
    for (let j = start;j < i; j++)
      acc.push(path[j]);
    out.push(Uint8Array.from(acc));
  }
  return out;
}
function shown2(path) {
  return typeof path === "string" ? path : new TextDecoder().decode(path);
}
function makePathStatus(io, dir, path, mode = defaultDirMode) {
  const prefixes = pathPrefixes(path);
  if (prefixes.length === 0)
    throw new IoError("BadPathName", {
      message: `BadPathName: "${shown2(path)}" has no component to make`,
      path: shown2(path)
    });
  let i = prefixes.length - 1;
  let known = -1;
  let status = "existed";
  for (;; ) {
    try {
      dir.makeDir(io, prefixes[i], mode);
      status = "created";
    } catch (e) {
      if (IoError.is(e, "PathAlreadyExists")) {
        let isDir;
        try {
          isDir = dir.statPath(io, prefixes[i]).kind === "directory";
        } catch (se) {
          if (!IoError.is(se, "IsDir"))
            throw se;
          isDir = true;
        }
        if (!isDir)
          throw new IoError("NotDir", {
            message: `NotDir: "${shown2(prefixes[i])}" exists and is not a directory`,
            path: shown2(prefixes[i])
          });
      } else if (IoError.is(e, "FileNotFound")) {
        if (i === 0 || known === i - 1)
          throw e;
        i--;
        continue;
      } else {
        throw e;
      }
    }
    if (i === prefixes.length - 1)
      return status;
    known = i;
    i++;
  }
}
function useDir(dir, io, call) {
  if (!hasCell(dir))
    return call();
  return withUse(dir, () => usedAfterClose("Dir", dir.handle, true), () => io.vtable.dirClose(io.userdata, dir), call);
}

// lib/io/buffered_reader.ts
class BufferedReader {
  start = 0;
  end = 0;
  buffer;
  constructor(buffer) {
    this.buffer = asBytes(buffer, "Reader buffer");
  }
  get buffered() {
    return this.end - this.start;
  }
  read(into) {
    const dest = asBytes(into, "Destination");
    if (dest.length === 0)
      return 0;
    if (this.buffered === 0) {
      if (dest.length >= this.buffer.length)
        return this.readRaw([dest]);
      if (this.fill() === 0)
        return 0;
    }
    const n = Math.min(dest.length, this.buffered);
    dest.set(this.buffer.subarray(this.start, this.start + n));
    this.start += n;
    return n;
  }
  readExact(n) {
    checkCount(n, "Byte count");
    const out = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const k = this.read(out.subarray(got));
      if (k === 0)
        throw new IoError("EndOfStream", { message: `EndOfStream: wanted ${n} bytes, got ${got}` });
      got += k;
    }
    return out;
  }
  readAll(limit = 1 << 30) {
    checkCount(limit, "Limit");
    const chunks = [];
    let total = 0;
    let chunk = new Uint8Array(Math.max(this.buffer.length, 16 * 1024));
    for (;; ) {
      const n = this.read(chunk);
      if (n === 0)
        break;
      total += n;
      if (total > limit)
        throw new IoError("StreamTooLong", { message: `StreamTooLong: more than ${limit} bytes` });
      chunks.push(chunk.subarray(0, n));
      chunk = n === chunk.length ? new Uint8Array(chunk.length * 2) : chunk.subarray(n);
    }
    return concat(chunks, total);
  }
  takeDelimiter(delimiter) {
    checkCount(delimiter, "Delimiter byte", 0, 255);
    const parts = [];
    let total = 0;
    for (;; ) {
      if (this.buffered === 0 && this.fill() === 0)
        return parts.length === 0 ? null : concat(parts, total);
      const window = this.buffer.subarray(this.start, this.end);
      const at = window.indexOf(delimiter);
      if (at >= 0) {
        parts.push(window.slice(0, at));
        total += at;
        this.start += at + 1;
        return concat(parts, total);
      }
      parts.push(window.slice());
      total += window.length;
      this.start = this.end;
    }
  }
  readLine() {
    const bytes = this.takeDelimiter(10);
    if (bytes === null)
      return null;
    const trimmed = bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.subarray(0, -1) : bytes;
    return new TextDecoder().decode(trimmed);
  }
  fill() {
    this.start = 0;
    this.end = 0;
    this.end = this.readRaw([this.buffer]);
    return this.end;
  }
  discard() {
    this.start = this.end = 0;
  }
}
function concat(parts, total) {
  if (parts.length === 1)
    return parts[0].slice();
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// lib/fs/reader.ts
var READER_MODES = ["positional", "streaming", "failure"];

class FileReader extends BufferedReader {
  io;
  file;
  mode;
  pos = 0n;
  size;
  constructor(io, file, buffer, mode) {
    super(buffer);
    this.io = io;
    this.file = file;
    this.mode = mode;
    checkOneOf(mode, "Reader mode", READER_MODES);
  }
  logicalPos() {
    return this.pos - BigInt(this.buffered);
  }
  getSize() {
    const st = this.file.stat(this.io);
    if (st.kind !== "file") {
      if (this.mode === "positional")
        this.mode = "streaming";
      throw new IoError("Streaming", { message: `Streaming: a ${st.kind} has no size` });
    }
    this.size = st.size;
    return st.size;
  }
  seekTo(offset) {
    checkOffset(offset);
    const to = BigInt(offset);
    if (this.mode !== "positional")
      this.file.seekTo(this.io, to);
    this.pos = to;
    this.discard();
  }
  seekBy(delta) {
    checkDelta(delta);
    this.seekTo(this.logicalPos() + BigInt(delta));
  }
  readRaw(bufs) {
    for (;; ) {
      switch (this.mode) {
        case "failure":
          throw new IoError("Unseekable", {
            message: "Unseekable: the reader could not switch to streaming"
          });
        case "streaming":
          return this.advance(this.file.readStreaming(this.io, bufs));
        case "positional":
          try {
            return this.advance(this.file.readPositional(this.io, bufs, this.pos));
          } catch (e) {
            if (!IoError.is(e, "Unseekable"))
              throw e;
            this.toStreaming();
          }
      }
    }
  }
  toStreaming() {
    this.mode = "streaming";
    if (this.pos === 0n)
      return;
    const skip = this.pos;
    this.pos = 0n;
    try {
      this.file.seekBy(this.io, skip);
      this.pos = skip;
    } catch (e) {
      this.mode = "failure";
      throw e;
    }
  }
  advance(n) {
    this.pos += BigInt(n);
    if (n === 0)
      this.size = this.pos;
    return n;
  }
}

// lib/fs/writer.ts
var WRITER_MODES = ["streaming", "positional"];
var encoder3 = new TextEncoder;

class FileWriter {
  io;
  file;
  mode;
  pos = 0n;
  end = 0;
  buffer;
  constructor(io, file, buffer, mode) {
    this.io = io;
    this.file = file;
    this.mode = mode;
    this.buffer = asBytes(buffer, "Writer buffer");
    checkOneOf(mode, "Writer mode", WRITER_MODES);
  }
  get buffered() {
    return this.end;
  }
  write(data) {
    const bytes = asBytes(data, "Bytes");
    if (bytes.length <= this.buffer.length - this.end) {
      this.buffer.set(bytes, this.end);
      this.end += bytes.length;
      return bytes.length;
    }
    let rest = bytes;
    try {
      while (this.end > 0 || rest.length > this.buffer.length) {
        const n = this.send(this.end > 0 ? [this.buffer.subarray(0, this.end), rest] : [rest]);
        const fromBuffer = Math.min(n, this.end);
        this.consume(fromBuffer);
        rest = rest.subarray(n - fromBuffer);
        if (this.end === 0 && rest.length <= this.buffer.length)
          break;
      }
    } catch (e) {
      throw withBytesWritten(e, bytes.length - rest.length);
    }
    this.buffer.set(rest, 0);
    this.end = rest.length;
    return bytes.length;
  }
  writeAll(bytes) {
    this.write(bytes);
  }
  writeString(text) {
    checkString(text, "Text");
    this.write(encoder3.encode(text));
  }
  flush() {
    const before = this.end;
    try {
      while (this.end > 0)
        this.consume(this.send([this.buffer.subarray(0, this.end)]));
    } catch (e) {
      throw withBytesWritten(e, before - this.end);
    }
  }
  consume(n) {
    if (n === 0)
      return;
    this.buffer.copyWithin(0, n, this.end);
    this.end -= n;
  }
  send(bufs) {
    const n = this.mode === "positional" ? this.file.writePositional(this.io, bufs, this.pos) : this.file.writeStreaming(this.io, bufs);
    this.pos += BigInt(n);
    return n;
  }
}
function withBytesWritten(e, bytesWritten) {
  if (e !== null && typeof e === "object")
    Object.assign(e, { bytesWritten });
  return e;
}

// lib/fs/file.ts
class File {
  handle;
  constructor(handle) {
    this.handle = handle;
    checkHandle2(handle);
  }
  [SHARED_REF]() {
    this.checkOpen();
    return ["file", this.handle, ...cellForCrossing(this, this.handle, "File")];
  }
  static stdin() {
    return standardFile(0);
  }
  static stdout() {
    return standardFile(1);
  }
  static stderr() {
    return standardFile(2);
  }
  static openAbsolute(io, path, flags = {}) {
    if (!(path instanceof Uint8Array))
      checkString(path, "Path");
    if (path[0] !== "/" && path[0] !== 47)
      throw new RangeError(`Path "${typeof path === "string" ? path : new TextDecoder().decode(path)}" is not absolute`);
    checkOpenFlags(flags, "File.openAbsolute");
    return io.vtable.dirOpenFile(io.userdata, Dir.cwd(), path, flags);
  }
  static openSelfExe(io, flags = {}) {
    checkOpenFlags(flags, "File.openSelfExe");
    return io.vtable.openSelfExe(io.userdata, flags);
  }
  stat(io) {
    this.checkUse(io);
    return this.use(io, () => io.vtable.fileStat(io.userdata, this));
  }
  closed = false;
  use(io, call) {
    if (!hasCell(this))
      return call();
    return withUse(this, () => usedAfterClose("File", this.handle, true), () => io.vtable.fileClose(io.userdata, this), call);
  }
  checkUse(io) {
    this.checkOpen();
    checkIo(io, "File");
  }
  checkOpen() {
    if (this.closed)
      throw usedAfterClose("File", this.handle);
    if (closedElsewhere(this))
      throw usedAfterClose("File", this.handle, true);
  }
  close(io) {
    checkLiveIo(io, "File.close");
    if (this.closed)
      throw closedTwice("File", this.handle);
    if (closedElsewhere(this) || !closeStandard(this, this.handle))
      throw closedTwice("File", this.handle, true);
    this.closed = true;
    const how = closeCell(this);
    if (how === "lost")
      throw closedTwice("File", this.handle, true);
    if (how === "now")
      io.vtable.fileClose(io.userdata, this);
  }
  readStreaming(io, bufs) {
    this.checkUse(io);
    const list = asByteList(bufs, "Read buffer");
    return this.use(io, () => io.vtable.fileReadStreaming(io.userdata, this, list));
  }
  readPositional(io, bufs, offset) {
    this.checkUse(io);
    const list = asByteList(bufs, "Read buffer");
    checkTransfer(offset, list);
    return this.use(io, () => io.vtable.fileReadPositional(io.userdata, this, list, offset));
  }
  writeStreaming(io, bufs) {
    this.checkUse(io);
    const list = asByteList(bufs, "Write buffer");
    return this.use(io, () => io.vtable.fileWriteStreaming(io.userdata, this, list));
  }
  writePositional(io, bufs, offset) {
    this.checkUse(io);
    const list = asByteList(bufs, "Write buffer");
    checkTransfer(offset, list);
    return this.use(io, () => io.vtable.fileWritePositional(io.userdata, this, list, offset));
  }
  writeAll(io, bytes) {
    this.checkUse(io);
    const all = asBytes(bytes, "Bytes");
    this.use(io, () => writeAllWith(all, (chunk) => io.vtable.fileWriteStreaming(io.userdata, this, [chunk])));
  }
  writeAllPositional(io, bytes, offset) {
    this.checkUse(io);
    const all = asBytes(bytes, "Bytes");
    checkTransfer(offset, [all]);
    const base = BigInt(offset);
    writeAllWith(all, (chunk, done) => this.writePositional(io, chunk, base + BigInt(done)));
  }
  seekTo(io, offset) {
    this.checkUse(io);
    checkOffset(offset);
    this.use(io, () => io.vtable.fileSeekTo(io.userdata, this, offset));
  }
  seekBy(io, offset) {
    this.checkUse(io);
    checkDelta(offset);
    this.use(io, () => io.vtable.fileSeekBy(io.userdata, this, offset));
  }
  reader(io, buffer = new Uint8Array(4096), mode = "positional") {
    return new FileReader(io, this, buffer, mode);
  }
  readerStreaming(io, buffer = new Uint8Array(4096)) {
    return new FileReader(io, this, buffer, "streaming");
  }
  writer(io, buffer = new Uint8Array(4096), mode = "streaming") {
    return new FileWriter(io, this, buffer, mode);
  }
  readableStream(io, chunkBytes = 64 * 1024) {
    checkCount(chunkBytes, "Chunk size", 1);
    const reader = this.readerStreaming(io, new Uint8Array(0));
    return new ReadableStream({
      pull: (controller) => {
        const chunk = new Uint8Array(chunkBytes);
        const n = reader.read(chunk);
        if (n === 0)
          controller.close();
        else
          controller.enqueue(chunk.subarray(0, n));
      }
    });
  }
}
function writeAllWith(bytes, write) {
  let done = 0;
  while (done < bytes.length) {
    try {
      done += write(bytes.subarray(done), done);
    } catch (e) {
      if (e !== null && typeof e === "object")
        Object.assign(e, { bytesWritten: done });
      throw e;
    }
  }
}
function standardFile(fd) {
  const f = new File(fd);
  markStandard(f);
  return f;
}

// lib/threaded/revive.ts
function makeReviver(heap, ioFull, ioNoNet) {
  const revive = (kind, ref, gen, extra) => {
    switch (kind) {
      case "io":
        return ref === 1 ? ioNoNet : ioFull;
      case "mutex":
        return reviveMutex(heap, ref, gen);
      case "condition":
        return reviveCondition(heap, ref, gen);
      case "reset_event":
        return reviveResetEvent(heap, ref, gen);
      case "group":
        return reviveGroup(heap, ioFull, ref, gen);
      case "queue":
        return reviveQueue(heap, ref, gen);
      case "file":
        return withCell(new File(ref), heap, gen, extra);
      case "dir":
        return withCell(new Dir(ref), heap, gen, extra);
      default:
        throw new TypeError(`Cannot revive a shared "${kind}" yet`);
    }
  };
  return Object.assign(revive, { heap });
}
function withCell(obj, heap, ref, gen) {
  if (typeof ref === "number" && typeof gen === "number")
    adoptCell(obj, heap, ref, gen);
  return obj;
}

// lib/threaded/syscall.ts
var BUG = "<bug>";
var alwaysBugs = new Set(["EBADF", "EFAULT"]);
function about(subject) {
  if (subject === undefined)
    return {};
  return typeof subject === "string" ? { path: subject } : { address: subject.address };
}
function errnoError(table, errno, syscall, subject, names = errnoName) {
  const name = names.get(errno);
  const where = about(subject);
  if (name === undefined) {
    return new IoError("Unexpected", { errno: `errno ${errno}`, syscall, ...where });
  }
  if (name === "ECANCELED" && table.ECANCELED === undefined)
    return new Canceled({ errno: name, syscall });
  const mapped = table[name];
  if (mapped === BUG || mapped === undefined && alwaysBugs.has(name)) {
    if (debug) {
      const what = new IoError("Unexpected", { errno: name, syscall, ...where }).message;
      return new BugError(`Programmer bug caused syscall error: ${what.slice(what.indexOf(": ") + 2)}`, { errno: name, syscall });
    }
    return new IoError("Unexpected", { errno: name, syscall, ...where });
  }
  if (mapped === undefined)
    return new IoError("Unexpected", { errno: name, syscall, ...where });
  return new IoError(mapped, { errno: name, syscall, ...where });
}
var EINTR = [...errnoName].find(([, n]) => n === "EINTR")[0];
function syscall(table, name, call, subject, cancelable = true) {
  if (cancelable)
    checkCancel();
  return settle(call(), table, name, call, subject, cancelable);
}
function settle(rc, table, name, call, subject, cancelable = true) {
  for (;; ) {
    if (rc >= 0)
      return rc;
    if (-rc !== EINTR)
      throw errnoError(table, -rc, name, subject);
    if (cancelable)
      checkCancel();
    rc = call();
  }
}

// lib/threaded/signals.ts
function acquireSignals() {
  const rc = shim().tio_signals_install(cancelSignal);
  if (rc < 0)
    throw errnoError({}, -rc, "sigaction");
}
function releaseSignals() {
  const rc = shim().tio_signals_restore();
  if (rc < 0)
    throw errnoError({}, -rc, "sigaction");
}

// lib/net/protocol.ts
var Protocol = {
  hopopts: 0,
  icmp: 1,
  igmp: 2,
  ipip: 4,
  tcp: 6,
  egp: 8,
  pup: 12,
  udp: 17,
  idp: 22,
  tp: 29,
  dccp: 33,
  ipv6: 41,
  routing: 43,
  fragment: 44,
  rsvp: 46,
  gre: 47,
  esp: 50,
  ah: 51,
  icmpv6: 58,
  none: 59,
  dstopts: 60,
  mtp: 92,
  beetph: 94,
  encap: 98,
  pim: 103,
  comp: 108,
  sctp: 132,
  mh: 135,
  udplite: 136,
  mpls: 137,
  ethernet: 143,
  raw: 255,
  mptcp: 262
};
var values = new Set(Object.values(Protocol));
function checkProtocol(protocol) {
  if (protocol === undefined || protocol === null || values.has(protocol))
    return;
  if (typeof protocol !== "number")
    throw new TypeError(`Protocol is ${describe2(protocol)}, not a number`);
  throw new RangeError(`Protocol ${protocol} is not one of net.Protocol's values (${[...values].join(", ")})`);
}

// lib/net/socket_options.ts
var SOCKET_MODES = ["stream", "dgram", "seqpacket", "raw", "rdm"];
var LISTEN_OPTION_NAMES = optionNames({
  kernelBacklog: true,
  reuseAddress: true,
  mode: true,
  protocol: true
});
var UNIX_LISTEN_OPTION_NAMES = optionNames({ kernelBacklog: true });
var BIND_OPTION_NAMES = optionNames({ ip6Only: true, mode: true, protocol: true });
var CONNECT_OPTION_NAMES = optionNames({
  mode: true,
  protocol: true,
  timeout: true
});
var SEND_FLAG_NAMES = optionNames({
  confirm: true,
  dontRoute: true,
  eor: true,
  oob: true,
  fastopen: true
});
var RECEIVE_FLAG_NAMES = optionNames({ oob: true, peek: true, trunc: true });
function checkListenOptions(options) {
  checkOptions(options, "listen", LISTEN_OPTION_NAMES);
  checkBacklog(options);
  if (options.mode !== undefined)
    checkOneOf(options.mode, "Socket mode", SOCKET_MODES);
  checkProtocol(options.protocol);
}
function checkUnixListenOptions(options) {
  checkOptions(options, "listen", UNIX_LISTEN_OPTION_NAMES);
  checkBacklog(options);
}
function checkBindOptions(options) {
  needsMode(options, "bind");
  checkOptions(options, "bind", BIND_OPTION_NAMES);
  checkOneOf(options.mode, "Socket mode", SOCKET_MODES);
  checkProtocol(options.protocol);
}
function checkConnectOptions(options) {
  needsMode(options, "connect");
  checkOptions(options, "connect", CONNECT_OPTION_NAMES);
  checkOneOf(options.mode, "Socket mode", SOCKET_MODES);
  checkProtocol(options.protocol);
}
function checkSendFlags(flags) {
  checkOptions(flags, "sendMany", SEND_FLAG_NAMES);
}
function checkReceiveFlags(flags) {
  checkOptions(flags, "receiveManyTimeout", RECEIVE_FLAG_NAMES);
}
function checkBacklog(options) {
  if (options.kernelBacklog !== undefined)
    checkCount(options.kernelBacklog, "Kernel backlog", 0, 2147483647);
}
function needsMode(options, where) {
  const object = typeof options === "object" && options !== null;
  if (options === undefined || object && options.mode === undefined)
    throw new TypeError(`${where} needs options with a mode, such as { mode: "stream" }`);
}

// lib/net/ip4.ts
function fail(code, text, at) {
  const where = at === undefined ? "" : ` at ${at}`;
  return new IoError(code, { message: `${code}: "${text}" is not an IPv4 address${where}` });
}

class Ip4Address {
  bytes;
  port;
  family = "ip4";
  constructor(bytes, port) {
    this.bytes = bytes;
    this.port = port;
    if (bytes.length !== 4)
      throw new RangeError("An IPv4 address has 4 bytes");
    checkPort(port);
  }
  static loopback(port) {
    return new Ip4Address(new Uint8Array([127, 0, 0, 1]), port);
  }
  static unspecified(port) {
    return new Ip4Address(new Uint8Array(4), port);
  }
  static parse(text, port) {
    checkPort(port);
    const bytes = new Uint8Array(4);
    let dots = 0;
    let octet = 0;
    let digits = 0;
    for (let i = 0;i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 46) {
        if (digits === 0)
          throw fail("InvalidCharacter", text, i);
        if (dots === 3)
          throw fail("InvalidEnd", text, i);
        bytes[dots++] = octet;
        octet = 0;
        digits = 0;
      } else if (c >= 48 && c <= 57) {
        if (digits > 0 && octet === 0)
          throw fail("NonCanonical", text, i);
        octet = octet * 10 + (c - 48);
        if (octet > 255)
          throw fail("Overflow", text, i);
        digits++;
      } else {
        throw fail("InvalidCharacter", text, i);
      }
    }
    if (dots !== 3 || digits === 0)
      throw fail("Incomplete", text);
    bytes[3] = octet;
    return new Ip4Address(bytes, port);
  }
  listen(io, options = {}) {
    checkListenOptions(options);
    return io.vtable.netListenIp(io.userdata, this, options);
  }
  bind(io, options) {
    checkBindOptions(options);
    return io.vtable.netBindIp(io.userdata, this, options);
  }
  connect(io, options) {
    checkConnectOptions(options);
    return io.vtable.netConnectIp(io.userdata, this, options);
  }
  eql(other) {
    return this.port === other.port && this.bytes.every((b, i) => b === other.bytes[i]);
  }
  host() {
    return this.bytes.join(".");
  }
  [Symbol.for("nodejs.util.inspect.custom")]() {
    return `Ip4Address(${this.toString()})`;
  }
  toString() {
    return `${this.host()}:${this.port}`;
  }
}

// lib/net/ip6.ts
var MAPPED_PREFIX = "::ffff:";
function hexValue(c) {
  if (c >= 48 && c <= 57)
    return c - 48;
  if (c >= 97 && c <= 102)
    return c - 97 + 10;
  if (c >= 65 && c <= 70)
    return c - 65 + 10;
  return -1;
}
function parseUnresolved(text) {
  if (text.length < 2)
    return { kind: "incomplete" };
  if (text.slice(0, MAPPED_PREFIX.length).toLowerCase() === MAPPED_PREFIX) {
    try {
      const v4 = Ip4Address.parse(text.slice(MAPPED_PREFIX.length), 0);
      const bytes = new Uint8Array(16);
      bytes[10] = 255;
      bytes[11] = 255;
      bytes.set(v4.bytes, 12);
      return { kind: "success", bytes, interfaceName: null };
    } catch {
      return { kind: "invalid_ip4_mapping", index: MAPPED_PREFIX.length };
    }
  }
  const groups = [];
  let gap = -1;
  let value = 0;
  let digits = 0;
  let interfaceName = null;
  for (let i = 0;i < text.length; i++) {
    const c = text.charCodeAt(i);
    const h = hexValue(c);
    if (h >= 0) {
      if (digits === 4)
        return value * 16 + h > 65535 ? { kind: "overflow", index: i } : { kind: "invalid_byte", index: i };
      value = value * 16 + h;
      digits++;
    } else if (c === 58) {
      if (digits > 0) {
        groups.push(value);
        value = 0;
        digits = 0;
        if (groups.length === 8)
          return { kind: "junk_after_end", index: i };
        if (i === text.length - 1)
          return { kind: "incomplete" };
      } else if (i === 0) {
        if (text.charCodeAt(1) !== 58)
          return { kind: "invalid_byte", index: 1 };
        gap = 0;
        i++;
      } else {
        if (gap >= 0)
          return { kind: "invalid_byte", index: i };
        gap = groups.length;
      }
    } else if (c === 37) {
      if (digits === 0)
        return { kind: "invalid_byte", index: i };
      interfaceName = text.slice(i + 1);
      if (interfaceName.length === 0)
        return { kind: "incomplete" };
      break;
    } else {
      return { kind: "invalid_byte", index: i };
    }
  }
  if (digits > 0) {
    if (groups.length === 8)
      return { kind: "junk_after_end", index: text.length - digits };
    groups.push(value);
  }
  if (gap < 0 && groups.length < 8)
    return { kind: "incomplete" };
  if (gap >= 0 && groups.length > 8)
    return { kind: "junk_after_end", index: text.length };
  const bytes = new Uint8Array(16);
  const tail = gap < 0 ? [] : groups.splice(gap);
  const full = [...groups, ...new Array(8 - groups.length - tail.length).fill(0), ...tail];
  for (let g = 0;g < 8; g++) {
    bytes[2 * g] = full[g] >> 8;
    bytes[2 * g + 1] = full[g] & 255;
  }
  return { kind: "success", bytes, interfaceName };
}
function formatUnresolved(bytes, interfaceName = null) {
  let text;
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255) {
    text = `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  } else {
    const groups = Array.from({ length: 8 }, (_, g) => bytes[2 * g] << 8 | bytes[2 * g + 1]);
    let bestStart = -1;
    let bestLen = 0;
    for (let g = 0;g < 8; ) {
      if (groups[g] !== 0) {
        g++;
        continue;
      }
      let end = g;
      while (end < 8 && groups[end] === 0)
        end++;
      if (end - g > bestLen) {
        bestStart = g;
        bestLen = end - g;
      }
      g = end;
    }
    if (interfaceName !== null && bestStart + bestLen === 8)
      bestLen--;
    const hex = (gs) => gs.map((v) => v.toString(16)).join(":");
    text = bestLen >= 2 ? `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}` : hex(groups);
  }
  return interfaceName === null ? text : `${text}%${interfaceName}`;
}

class Ip6Address {
  bytes;
  port;
  flow;
  iface;
  family = "ip6";
  constructor(bytes, port, flow = 0, iface = 0) {
    this.bytes = bytes;
    this.port = port;
    this.flow = flow;
    this.iface = iface;
    if (bytes.length !== 16)
      throw new RangeError("An IPv6 address has 16 bytes");
    checkPort(port);
    if (flow !== 0)
      checkCount(flow, "Flow label", 0, MAX_U32);
    if (iface !== 0)
      checkCount(iface, "Interface index", 0, MAX_U32);
  }
  static Unresolved = { parse: parseUnresolved, format: formatUnresolved };
  static loopback(port) {
    const b = new Uint8Array(16);
    b[15] = 1;
    return new Ip6Address(b, port);
  }
  static unspecified(port) {
    return new Ip6Address(new Uint8Array(16), port);
  }
  static fromIp4(a) {
    const b = new Uint8Array(16);
    b[10] = 255;
    b[11] = 255;
    b.set(a.bytes, 12);
    return new Ip6Address(b, a.port);
  }
  static fromAny(a) {
    return a.family === "ip6" ? a : Ip6Address.fromIp4(a);
  }
  static parse(text, port) {
    checkPort(port);
    const r = parseUnresolved(text);
    if (r.kind !== "success") {
      throw new IoError("ParseFailed", {
        message: `ParseFailed: "${text}" is not an IPv6 address (${describe4(r)})`
      });
    }
    if (r.interfaceName !== null) {
      throw new IoError("UnresolvedScope", {
        message: `UnresolvedScope: "${text}" names interface "${r.interfaceName}"; use resolve`
      });
    }
    return new Ip6Address(r.bytes, port);
  }
  listen(io, options = {}) {
    checkListenOptions(options);
    return io.vtable.netListenIp(io.userdata, this, options);
  }
  bind(io, options) {
    checkBindOptions(options);
    return io.vtable.netBindIp(io.userdata, this, options);
  }
  connect(io, options) {
    checkConnectOptions(options);
    return io.vtable.netConnectIp(io.userdata, this, options);
  }
  eql(other) {
    return this.port === other.port && this.bytes.every((b, i) => b === other.bytes[i]);
  }
  isMultiCast() {
    return this.bytes[0] === 255;
  }
  isLinkLocal() {
    return this.bytes[0] === 254 && (this.bytes[1] & 192) === 128;
  }
  isLoopBack() {
    const b = this.bytes;
    return b[0] === 0 && b[1] === 0 && b[2] === 0 && b[12] === 0 && b[13] === 0 && b[14] === 0 && b[15] === 1;
  }
  isSiteLocal() {
    return this.bytes[0] === 254 && (this.bytes[1] & 192) === 192;
  }
  scope() {
    if (this.isMultiCast())
      return this.bytes[1] & 15;
    if (this.isLinkLocal() || this.isLoopBack())
      return 2;
    if (this.isSiteLocal())
      return 5;
    return 14;
  }
  host() {
    return formatUnresolved(this.bytes);
  }
  [Symbol.for("nodejs.util.inspect.custom")]() {
    return `Ip6Address(${this.toString()})`;
  }
  toString() {
    return `[${this.host()}]:${this.port}`;
  }
}
function describe4(r) {
  switch (r.kind) {
    case "success":
      return "ok";
    case "incomplete":
      return "incomplete";
    default:
      return `${r.kind.replaceAll("_", " ")} at ${r.index}`;
  }
}

// lib/net/dns/lookup_options.ts
var LOOKUP_OPTION_NAMES = optionNames({
  port: true,
  family: true,
  hostsPath: true,
  resolvConfPath: true,
  nameservers: true
});
var FAMILIES = ["ip4", "ip6"];
function checkLookupOptions(options, where) {
  if (options === undefined)
    throw new TypeError(`${where} needs options with a port, such as { port: 443 }`);
  checkOptions(options, where, LOOKUP_OPTION_NAMES);
  checkPort(options.port);
  if (options.family != null)
    checkOneOf(options.family, "Family", FAMILIES);
  if (options.hostsPath !== undefined)
    checkString(options.hostsPath, "hostsPath");
  if (options.resolvConfPath !== undefined)
    checkString(options.resolvConfPath, "resolvConfPath");
  if (options.nameservers !== undefined)
    checkNameservers(options.nameservers);
}
function checkNameservers(nameservers) {
  if (!Array.isArray(nameservers))
    throw new TypeError(`nameservers is ${describe2(nameservers)}, not an array of IpAddress (Ip4Address or Ip6Address) values`);
  if (nameservers.length === 0)
    throw new RangeError("nameservers is empty: leave it out to use resolv.conf's name servers");
  nameservers.forEach((ns, i) => {
    if (!(ns instanceof Ip4Address || ns instanceof Ip6Address))
      throw new TypeError(`nameservers[${i}] is ${describe2(ns)}, not an IpAddress (Ip4Address or Ip6Address): use IpAddress.parse(text, 53)`);
  });
}

// lib/net/host_name.ts
var maxLen = 255;
var maxQueryLen = 253;
function invalid(text, why) {
  return new IoError("InvalidHostName", { message: `InvalidHostName: "${text}": ${why}` });
}
function validate(text) {
  const bytes = new TextEncoder().encode(text.endsWith(".") ? text.slice(0, -1) : text);
  if (bytes.length > maxLen)
    throw new IoError("NameTooLong", {
      message: `NameTooLong: a host name of ${bytes.length} bytes is over ${maxLen}`
    });
  if (text.length === 0)
    throw invalid(text, "empty name");
  if (/^[^:]+:\d+$/.test(text))
    throw invalid(text, "a port is not part of a host name: pass it as the `port` option");
  if (text.includes(":"))
    throw invalid(text, 'an IPv6 address is not a host name (":" is not a host-name byte, as in Zig): ' + "parse it with IpAddress.parse(text, port)");
  const body = text.endsWith(".") && text.length > 1 ? text.slice(0, -1) : text;
  for (const label of body.split(".")) {
    if (label.length === 0)
      throw invalid(text, "empty label");
    if (label.length > 63)
      throw invalid(text, `label "${label}" is over 63 bytes`);
    if (label.startsWith("-") || label.endsWith("-"))
      throw invalid(text, `label "${label}" starts or ends with "-"`);
    if (!/^[A-Za-z0-9-]+$/.test(label))
      throw invalid(text, `label "${label}" has a byte that is not a letter, digit or "-"`);
  }
}

class HostName {
  bytes;
  constructor(bytes) {
    this.bytes = bytes;
  }
  static maxLen = maxLen;
  static init(text) {
    checkString(text, "Host name");
    validate(text);
    return new HostName(text);
  }
  eql(other) {
    return this.bytes.toLowerCase() === other.bytes.toLowerCase();
  }
  static sameParentDomain(parent, child) {
    const p = parent.bytes.toLowerCase();
    const c = child.bytes.toLowerCase();
    if (!c.endsWith(p))
      return false;
    return c.length === p.length || c[c.length - p.length - 1] === ".";
  }
  lookup(io, queue, options) {
    checkLookupOptions(options, "lookup");
    io.vtable.netLookup(io.userdata, this, queue, options);
  }
  lookupAll(io, options) {
    checkLookupOptions(options, "lookupAll");
    return io.vtable.netLookupAll(io.userdata, this, options);
  }
  lookupAllAsync(io, options) {
    checkLookupOptions(options, "lookupAllAsync");
    let future;
    try {
      future = io.concurrent(lookupAllTask, io, this.bytes, options);
    } catch (e) {
      if (!IoError.is(e, "ConcurrencyUnavailable"))
        throw e;
      future = io.async(lookupAllTask, io, this.bytes, options);
    }
    return future.then((r) => ({
      addresses: r.addresses,
      canonicalName: HostName.init(r.canonicalName)
    }));
  }
  [Symbol.for("nodejs.util.inspect.custom")]() {
    return `HostName(${JSON.stringify(this.bytes)})`;
  }
  toString() {
    return this.bytes;
  }
}
var lookupAllTask = task(import.meta, function lookupAllTask(io, name, options) {
  const r = HostName.init(name).lookupAll(io, options);
  return { addresses: r.addresses, canonicalName: r.canonicalName.bytes };
});
function expand(packet, start) {
  const bad = (why) => new IoError("InvalidDnsPacket", { message: `InvalidDnsPacket: ${why}` });
  let i = start;
  let consumed = -1;
  let text = "";
  let written = 0;
  for (let steps = 0;steps < packet.length / 2; steps++) {
    if (i >= packet.length)
      throw bad("name runs past the packet");
    const c = packet[i];
    if ((c & 192) !== 0) {
      if (i + 1 >= packet.length)
        throw bad("pointer runs past the packet");
      const target = (c & 63) << 8 | packet[i + 1];
      if (target >= packet.length)
        throw bad("pointer out of the packet");
      if (consumed < 0)
        consumed = i + 2 - start;
      i = target;
    } else if (c !== 0) {
      if (i + 1 + c > packet.length)
        throw bad("label runs past the packet");
      const sep = written > 0 ? 1 : 0;
      if (written + sep + c + 1 > maxLen)
        throw bad("name is over 254 characters");
      if (sep)
        text += ".";
      for (let k = 1;k <= c; k++)
        text += String.fromCharCode(packet[i + k]);
      written += sep + c;
      i += 1 + c;
    } else {
      return { consumed: consumed >= 0 ? consumed : i - start + 1, name: HostName.init(text) };
    }
  }
  throw bad("too many steps: a pointer loop");
}

// lib/net/interface.ts
class Interface {
  index;
  static none = new Interface(0);
  constructor(index) {
    this.index = index;
    checkCount(index, "Interface index", 0, MAX_U32);
  }
  isNone() {
    return this.index === 0;
  }
  name(io) {
    if (this.index === 0)
      throw new RangeError("Interface none has no name");
    return io.vtable.netInterfaceName(io.userdata, this);
  }
}

class InterfaceName {
  text;
  static maxLen = C.IFNAMSIZ - 1;
  constructor(text) {
    this.text = text;
  }
  static fromSlice(text) {
    const len = new TextEncoder().encode(text).length;
    if (len > InterfaceName.maxLen) {
      throw new IoError("NameTooLong", {
        message: `NameTooLong: interface name "${text}" is over ${InterfaceName.maxLen} bytes`
      });
    }
    return new InterfaceName(text);
  }
  toSlice() {
    return this.text;
  }
  resolve(io) {
    return io.vtable.netInterfaceNameResolve(io.userdata, this);
  }
}

// lib/net/stream_io.ts
class StreamReader extends BufferedReader {
  io;
  stream;
  err = null;
  constructor(io, stream, buffer) {
    super(buffer);
    this.io = io;
    this.stream = stream;
  }
  readRaw(bufs) {
    try {
      return this.stream.read(this.io, bufs);
    } catch (e) {
      this.err = e;
      throw e;
    }
  }
}
var encoder4 = new TextEncoder;

class StreamWriter {
  io;
  stream;
  err = null;
  end = 0;
  buffer;
  constructor(io, stream, buffer) {
    this.io = io;
    this.stream = stream;
    this.buffer = asBytes(buffer, "Writer buffer");
  }
  get buffered() {
    return this.end;
  }
  drain(data, splat) {
    let n;
    try {
      n = this.stream.write(this.io, this.buffer.subarray(0, this.end), data, splat);
    } catch (e) {
      this.err = e;
      throw e;
    }
    if (n < this.end) {
      this.buffer.copyWithin(0, n, this.end);
      this.end -= n;
      return 0;
    }
    const fromData = n - this.end;
    this.end = 0;
    return fromData;
  }
  write(data) {
    const bytes = asBytes(data, "Bytes");
    if (bytes.length <= this.buffer.length - this.end) {
      this.buffer.set(bytes, this.end);
      this.end += bytes.length;
      return bytes.length;
    }
    let rest = bytes;
    while (rest.length > 0 && (this.end > 0 || rest.length > this.buffer.length)) {
      rest = rest.subarray(this.drain([rest], 1));
    }
    this.buffer.set(rest, this.end);
    this.end += rest.length;
    return bytes.length;
  }
  writeAll(bytes) {
    this.write(bytes);
  }
  writeString(text) {
    checkString(text, "Text");
    this.write(encoder4.encode(text));
  }
  splatBytes(bytes, count) {
    const pattern = asBytes(bytes, "Pattern");
    checkCount(count, "Splat count");
    let left = count * pattern.length;
    while (left > 0) {
      if (pattern.length === 1 || left % pattern.length === 0) {
        const done = this.drain([pattern], Math.ceil(left / pattern.length));
        left -= done;
      } else {
        left -= this.drain([pattern.subarray(pattern.length - left % pattern.length)], 1);
      }
    }
  }
  flush() {
    while (this.end > 0)
      this.drain([new Uint8Array(0)], 0);
  }
}

// lib/net/socket.ts
var defaultKernelBacklog = 128;
var closedSockets = new WeakSet;
function checkSocketOpen(socket, kind) {
  if (closedSockets.has(socket))
    throw usedAfterClose(kind, socket.handle);
  if (closedElsewhere(socket))
    throw usedAfterClose(kind, socket.handle, true);
  return socket.handle;
}
function useSocket(socket, kind, io, call) {
  const fd = checkSocketOpen(socket, kind);
  if (!hasCell(socket))
    return call(fd);
  return withUse(socket, () => usedAfterClose(kind, fd, true), () => io.vtable.netClose(io.userdata, fd), () => call(fd));
}

class Socket {
  handle;
  address;
  constructor(handle, address) {
    this.handle = handle;
    this.address = address;
    checkHandle2(handle);
  }
  close(io) {
    closeSocket(this, io, false, "Socket");
  }
  send(io, dest, data) {
    checkIo(io, "Socket");
    const bytes = asBytes(data, "Bytes");
    const msg = { address: dest, data: bytes };
    const r = useSocket(this, "Socket", io, (fd) => io.vtable.netSend(io.userdata, fd, [msg], {}));
    if (r.count !== 1)
      throw r.err ?? new IoError("Unexpected");
    if (msg.sent !== bytes.length)
      throw new IoError("MessageOversize", {
        message: `MessageOversize: sent ${msg.sent} of ${bytes.length} bytes`
      });
  }
  sendMany(io, messages, flags = {}) {
    checkIo(io, "Socket");
    checkMessages(messages);
    checkSendFlags(flags);
    const r = useSocket(this, "Socket", io, (fd) => io.vtable.netSend(io.userdata, fd, messages, flags));
    return { err: r.err, count: r.count, items: messages };
  }
  receive(io, buffer, control) {
    return this.receiveTimeout(io, buffer, Timeout.none, control);
  }
  receiveTimeout(io, buffer, timeout, control) {
    checkIo(io, "Socket");
    const into = asBytes(buffer, "Receive buffer");
    const controls = control === undefined ? undefined : [asBytes(control, "Control buffer")];
    const r = useSocket(this, "Socket", io, (fd) => io.vtable.netReceive(io.userdata, fd, 1, into, {}, timeout, controls));
    if (r.err !== null)
      throw r.err;
    return r.messages[0];
  }
  receiveManyTimeout(io, max, buffer, flags, timeout, controls) {
    checkIo(io, "Socket");
    const into = asBytes(buffer, "Receive buffer");
    checkCount(max, "Message count", 1);
    checkReceiveFlags(flags);
    const ctl = controls === undefined ? undefined : controlList(controls);
    const r = useSocket(this, "Socket", io, (fd) => io.vtable.netReceive(io.userdata, fd, max, into, flags, timeout, ctl));
    return { err: r.err, count: r.messages.length, items: r.messages };
  }
}
function checkMessages(messages) {
  if (!Array.isArray(messages))
    throw new TypeError(`Messages is ${describe2(messages)}, not an array`);
  for (let i = 0;i < messages.length; i++) {
    const data = messages[i]?.data;
    if (!(ArrayBuffer.isView(data) && data instanceof Uint8Array))
      throw new TypeError(`Message ${i}'s data is ${describe2(data)}, not a Uint8Array`);
    const control = messages[i].control;
    if (control !== undefined)
      asBytes(control, `Message ${i}'s control`);
  }
}
function controlList(controls) {
  if (!Array.isArray(controls))
    throw new TypeError(`Control buffers is ${describe2(controls)}, not an array`);
  let list = controls;
  for (let i = 0;i < controls.length; i++) {
    const c = controls[i];
    if (c === undefined || c instanceof Uint8Array)
      continue;
    if (list === controls)
      list = controls.slice();
    list[i] = asBytes(c, `Control buffer ${i}`);
  }
  return list;
}

class Stream {
  socket;
  constructor(socket) {
    this.socket = socket;
  }
  get handle() {
    return this.socket.handle;
  }
  reader(io, buffer = new Uint8Array(4096)) {
    return new StreamReader(io, this, buffer);
  }
  writer(io, buffer = new Uint8Array(4096)) {
    return new StreamWriter(io, this, buffer);
  }
  read(io, bufs) {
    checkIo(io, "Stream");
    const list = asByteList(bufs, "Read buffer");
    return useSocket(this.socket, "Stream", io, (fd) => io.vtable.netRead(io.userdata, fd, list));
  }
  write(io, header, data, splat = 1) {
    checkIo(io, "Stream");
    const head = asBytes(header, "Header");
    const list = asByteList(data, "Data");
    checkCount(splat, "Splat");
    return useSocket(this.socket, "Stream", io, (fd) => io.vtable.netWrite(io.userdata, fd, head, list, splat));
  }
  writeAll(io, bytes) {
    checkIo(io, "Stream");
    const all = asBytes(bytes, "Bytes");
    let done = 0;
    const empty = new Uint8Array(0);
    useSocket(this.socket, "Stream", io, (fd) => {
      while (done < all.length)
        done += io.vtable.netWrite(io.userdata, fd, empty, [all.subarray(done)], 1);
    });
  }
  close(io) {
    closeSocket(this.socket, io, false, "Stream");
  }
}

class Server {
  socket;
  constructor(socket) {
    this.socket = socket;
  }
  accept(io) {
    checkIo(io, "Server");
    return useSocket(this.socket, "Server", io, (fd) => io.vtable.netAccept(io.userdata, fd));
  }
  deinit(io) {
    closeSocket(this.socket, io, true, "Server");
  }
}
function closeSocket(socket, io, listening, kind) {
  checkLiveIo(io, listening ? `${kind}.deinit` : `${kind}.close`);
  if (closedSockets.has(socket))
    throw closedTwice(kind, socket.handle);
  if (closedElsewhere(socket))
    throw closedTwice(kind, socket.handle, true);
  closedSockets.add(socket);
  const fd = socket.handle;
  const how = closeCell(socket, {
    wake: () => io.vtable.netShutdown(io.userdata, fd),
    closeNow: () => io.vtable.netClose(io.userdata, fd)
  });
  if (how === "lost")
    throw closedTwice(kind, fd, true);
  if (how === "done")
    return;
  if (listening)
    io.vtable.netCloseListening(io.userdata, fd);
  else
    io.vtable.netClose(io.userdata, fd);
}

// lib/net/parse_int.ts
function parseUnsigned(text, bits) {
  let digits = text;
  let negative = false;
  if (digits.startsWith("+"))
    digits = digits.slice(1);
  else if (digits.startsWith("-")) {
    digits = digits.slice(1);
    negative = true;
  }
  if (digits.length === 0 || digits.startsWith("_") || digits.endsWith("_"))
    return "InvalidCharacter";
  const max = 2 ** bits - 1;
  let value = 0;
  for (const c of digits) {
    if (c === "_")
      continue;
    const d = c.charCodeAt(0) - 48;
    if (d < 0 || d > 9)
      return "InvalidCharacter";
    value = value * 10 + d;
    if (negative && value !== 0 || value > max)
      return "Overflow";
  }
  return value;
}

// lib/net/address.ts
function parsePort(text) {
  const n = parseUnsigned(text, 16);
  return typeof n === "number" ? n : null;
}
function looksIp6(text) {
  return text.includes(":");
}
var IpAddress = {
  loopback(family, port) {
    return family === "ip4" ? Ip4Address.loopback(port) : Ip6Address.loopback(port);
  },
  unspecified(family, port) {
    return family === "ip4" ? Ip4Address.unspecified(port) : Ip6Address.unspecified(port);
  },
  parse(text, port) {
    checkPort(port);
    return looksIp6(text) ? Ip6Address.parse(text, port) : Ip4Address.parse(text, port);
  },
  parseIp4(text, port) {
    return Ip4Address.parse(text, port);
  },
  parseIp6(text, port) {
    return Ip6Address.parse(text, port);
  },
  resolve(io, text, port) {
    checkPort(port);
    return looksIp6(text) ? resolveIp6(io, text, port) : Ip4Address.parse(text, port);
  },
  resolveIp6,
  parseLiteral(text) {
    const bad = (code) => new IoError(code, { message: `${code}: "${text}" is not an address literal` });
    if (text.length === 0)
      throw bad("InvalidAddress");
    if (text.startsWith("[")) {
      const close = text.indexOf("]");
      if (close < 0)
        throw bad("InvalidAddress");
      let port = 0;
      const rest = text.slice(close + 1);
      if (rest.length > 0) {
        if (!rest.startsWith(":"))
          throw bad("InvalidAddress");
        const p = parsePort(rest.slice(1));
        if (p === null)
          throw bad("InvalidPort");
        port = p;
      }
      try {
        return Ip6Address.parse(text.slice(1, close), port);
      } catch {
        throw bad("InvalidAddress");
      }
    }
    const colon = text.indexOf(":");
    if (colon >= 0) {
      let a;
      try {
        a = Ip4Address.parse(text.slice(0, colon), 0);
      } catch {
        throw bad("InvalidAddress");
      }
      const p = parsePort(text.slice(colon + 1));
      if (p === null)
        throw bad("InvalidPort");
      a.port = p;
      return a;
    }
    try {
      return Ip4Address.parse(text, 0);
    } catch {
      throw bad("InvalidAddress");
    }
  },
  eql(a, b) {
    if (a.family !== b.family)
      return false;
    return a.family === "ip4" ? a.eql(b) : a.eql(b);
  }
};
function resolveIp6(io, text, port) {
  checkPort(port);
  const r = parseUnresolved(text);
  if (r.kind !== "success")
    throw new IoError("ParseFailed", { message: `ParseFailed: "${text}" is not an IPv6 address` });
  const a = new Ip6Address(r.bytes, port);
  if (r.interfaceName !== null)
    a.iface = InterfaceName.fromSlice(r.interfaceName).resolve(io).index;
  return a;
}

class UnixAddress {
  path;
  static maxLen = 108;
  family = "unix";
  constructor(path) {
    this.path = path;
  }
  static init(path) {
    checkString(path, "Path");
    const len = new TextEncoder().encode(path).length;
    if (len > UnixAddress.maxLen) {
      throw new IoError("NameTooLong", {
        message: `NameTooLong: a Unix socket path of ${len} bytes is over ${UnixAddress.maxLen}`
      });
    }
    if (path.includes("\x00"))
      throw new IoError("BadPathName", {
        message: `BadPathName: Unix socket path contains a NUL byte`
      });
    return new UnixAddress(path);
  }
  listen(io, options = {}) {
    checkUnixListenOptions(options);
    return new Server(new Socket(io.vtable.netListenUnix(io.userdata, this, options), Ip4Address.loopback(0)));
  }
  connect(io) {
    return new Stream(new Socket(io.vtable.netConnectUnix(io.userdata, this), Ip4Address.loopback(0)));
  }
  [Symbol.for("nodejs.util.inspect.custom")]() {
    return `UnixAddress(${JSON.stringify(this.toString())})`;
  }
  toString() {
    return this.path;
  }
}

// lib/io/shared_bytes.ts
var MAX_LENGTH = MAX_VIEW_BYTES;

class SharedBytes {
  handle;
  offset;
  length;
  blockLength;
  #bytes;
  constructor(handle, blockLength, offset, length) {
    this.handle = handle;
    this.blockLength = blockLength;
    this.offset = offset;
    this.length = length;
  }
  static alloc(_io, length) {
    if (!Number.isSafeInteger(length) || length < 0 || length > MAX_LENGTH)
      throw new RangeError(`SharedBytes length "${length}" is not a byte count up to ${MAX_LENGTH} (Bun's largest ArrayBuffer)`);
    const handle = allocBlock(length);
    return new SharedBytes(handle, length, 0, length);
  }
  static fromData([handle, blockLength2, offset, length]) {
    const out = new SharedBytes(handle, blockLength2, offset, length);
    out.check("receiving");
    const real = blockLength(handle);
    if (real !== blockLength2 || !Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > real)
      throw new BugError(`${out.describe()} does not fit its block (${real} bytes)`);
    return out;
  }
  toData() {
    this.check("passing to another thread");
    return [this.handle, this.blockLength, this.offset, this.length];
  }
  get bytes() {
    const cached = this.#bytes;
    if (cached !== undefined && isLive2(this.handle))
      return cached;
    const whole = blockBytes(this.handle);
    if (whole === undefined)
      throw this.useAfterFree("reading .bytes of");
    return this.#bytes = this.offset === 0 && this.length === this.blockLength ? whole : whole.subarray(this.offset, this.offset + this.length);
  }
  subarray(start = 0, end = this.length) {
    this.check("taking a subarray of");
    const s = clampIndex(start, this.length, "start");
    const e = Math.max(s, clampIndex(end, this.length, "end"));
    return new SharedBytes(this.handle, this.blockLength, this.offset + s, e - s);
  }
  get isLive() {
    return isLive2(this.handle);
  }
  free(_io) {
    if (this.offset !== 0 || this.length !== this.blockLength)
      throw new BugError(`${this.describe()} is a subarray: free the SharedBytes it came from`);
    this.#bytes = undefined;
    if (!freeBlock(this.handle))
      throw this.useAfterFree("freeing");
  }
  [Symbol.dispose]() {
    if (isLive2(this.handle))
      this.free();
  }
  static stats() {
    return nativeMemoryStats();
  }
  static trim() {
    trimNativeMemory();
  }
  check(doing) {
    if (!isLive2(this.handle))
      throw this.useAfterFree(doing);
  }
  describe() {
    const span = this.offset === 0 && this.length === this.blockLength ? `${this.length} bytes` : `bytes ${this.offset}..${this.offset + this.length} of ${this.blockLength}`;
    return `SharedBytes (${span}, handle ${this.handle})`;
  }
  useAfterFree(doing) {
    return new BugError(`Use after free: ${doing} ${this.describe()}, which was freed`);
  }
}
function clampIndex(i, length, name) {
  if (!Number.isInteger(i))
    throw new RangeError(`SharedBytes ${name} "${i}" is not an integer`);
  return i < 0 ? Math.max(0, length + i) : Math.min(i, length);
}

// lib/threaded/value_classes.ts
registerValueClass("ip4", Ip4Address, (a) => [Array.from(a.bytes), a.port], ([b, port]) => new Ip4Address(new Uint8Array(b), port));
registerValueClass("ip6", Ip6Address, (a) => [Array.from(a.bytes), a.port, a.flow, a.iface], ([b, port, flow, iface]) => new Ip6Address(new Uint8Array(b), port, flow, iface));
registerValueClass("host_name", HostName, (h) => h.bytes, (s) => HostName.init(s));
registerValueClass("timestamp", Timestamp, (t) => t.nanoseconds, (n) => new Timestamp(n));
registerValueClass("duration", Duration, (d) => d.nanoseconds, (n) => new Duration(n));
registerValueClass("unix_address", UnixAddress, (a) => a.path, (path) => UnixAddress.init(path));
registerValueClass("socket", Socket, (s) => [
  checkSocketOpen(s, "Socket"),
  s.address,
  ...cellForCrossing(s, s.handle, "Socket")
], ([handle, address, ref, gen]) => {
  const s = new Socket(handle, address);
  const heap = revivingHeap();
  if (heap !== undefined && typeof ref === "number" && typeof gen === "number")
    adoptCell(s, heap, ref, gen);
  return s;
});
registerValueClass("stream", Stream, (s) => (checkSocketOpen(s.socket, "Stream"), s.socket), (socket) => new Stream(socket));
registerValueClass("server", Server, (s) => (checkSocketOpen(s.socket, "Server"), s.socket), (socket) => new Server(socket));
registerValueClass("shared_bytes", SharedBytes, (b) => b.toData(), (d) => SharedBytes.fromData(d));

// lib/threaded/fs_errors.ts
var mkdirErrors = {
  EACCES: "AccessDenied",
  EBADF: BUG,
  EPERM: "PermissionDenied",
  EDQUOT: "DiskQuota",
  EEXIST: "PathAlreadyExists",
  EFAULT: BUG,
  ELOOP: "SymLinkLoop",
  EMLINK: "LinkQuotaExceeded",
  ENAMETOOLONG: "NameTooLong",
  ENOENT: "FileNotFound",
  ENOMEM: "SystemResources",
  ENOSPC: "NoSpaceLeft",
  ENOTDIR: "NotDir",
  EROFS: "ReadOnlyFileSystem",
  ENOTCONN: "FileNotFound",
  EILSEQ: "BadPathName"
};
var statxPathErrors = {
  EACCES: "AccessDenied",
  EBADF: BUG,
  EFAULT: BUG,
  EINVAL: BUG,
  ELOOP: "SymLinkLoop",
  ENAMETOOLONG: "NameTooLong",
  ENOENT: "FileNotFound",
  ENOTDIR: "NotDir",
  ENOMEM: "SystemResources"
};
var fstatatErrors = {
  EINVAL: BUG,
  EBADF: BUG,
  ENOMEM: "SystemResources",
  EACCES: "AccessDenied",
  EPERM: "PermissionDenied",
  EFAULT: BUG,
  ENAMETOOLONG: "NameTooLong",
  ELOOP: "SymLinkLoop",
  ENOENT: "FileNotFound",
  ENOTDIR: "FileNotFound",
  EILSEQ: "BadPathName"
};
var statxFdErrors = {
  EACCES: BUG,
  EBADF: BUG,
  EFAULT: BUG,
  EINVAL: BUG,
  ELOOP: BUG,
  ENAMETOOLONG: BUG,
  ENOENT: BUG,
  ENOMEM: "SystemResources",
  ENOTDIR: BUG
};
var fstatErrors = {
  EINVAL: BUG,
  EBADF: BUG,
  ENOMEM: "SystemResources",
  EACCES: "AccessDenied"
};
var accessErrors = {
  EACCES: "AccessDenied",
  EPERM: "PermissionDenied",
  EROFS: "ReadOnlyFileSystem",
  ELOOP: "SymLinkLoop",
  ETXTBSY: "FileBusy",
  ENOTDIR: "FileNotFound",
  ENOENT: "FileNotFound",
  ENAMETOOLONG: "NameTooLong",
  EINVAL: BUG,
  EFAULT: BUG,
  EIO: "InputOutput",
  ENOMEM: "SystemResources",
  EILSEQ: "BadPathName",
  EBADF: "Unexpected"
};
var openFileErrors = {
  EFAULT: BUG,
  EINVAL: "BadPathName",
  EBADF: BUG,
  EACCES: "AccessDenied",
  EFBIG: "FileTooBig",
  EOVERFLOW: "FileTooBig",
  EISDIR: "IsDir",
  ELOOP: "SymLinkLoop",
  EMFILE: "ProcessFdQuotaExceeded",
  ENAMETOOLONG: "NameTooLong",
  ENFILE: "SystemFdQuotaExceeded",
  ENODEV: "NoDevice",
  ENOENT: "FileNotFound",
  ESRCH: "ProcessNotFound",
  ENOMEM: "SystemResources",
  ENOSPC: "NoSpaceLeft",
  ENOTDIR: "NotDir",
  EPERM: "PermissionDenied",
  EEXIST: "PathAlreadyExists",
  EBUSY: "DeviceBusy",
  EOPNOTSUPP: "FileLocksNotSupported",
  EAGAIN: "WouldBlock",
  ETXTBSY: "FileBusy",
  ENXIO: "NoDevice",
  EILSEQ: "BadPathName",
  EROFS: "ReadOnlyFileSystem"
};
var truncateErrors = {
  EBADF: BUG,
  EINVAL: BUG,
  EFBIG: "FileTooBig",
  EIO: "InputOutput",
  EPERM: "PermissionDenied",
  EACCES: "AccessDenied",
  EROFS: "ReadOnlyFileSystem",
  ETXTBSY: "FileBusy"
};
var flockErrors = {
  EBADF: BUG,
  EINVAL: BUG,
  ENOLCK: "SystemResources",
  EAGAIN: "WouldBlock",
  EOPNOTSUPP: "FileLocksNotSupported"
};
var fcntlErrors = { EBADF: "Unexpected", EFAULT: "Unexpected" };
var openDirErrors = {
  EFAULT: BUG,
  EINVAL: "BadPathName",
  EBADF: BUG,
  EACCES: "AccessDenied",
  ELOOP: "SymLinkLoop",
  EMFILE: "ProcessFdQuotaExceeded",
  ENAMETOOLONG: "NameTooLong",
  ENFILE: "SystemFdQuotaExceeded",
  ENODEV: "NoDevice",
  ENOENT: "FileNotFound",
  ENOMEM: "SystemResources",
  ENOTDIR: "NotDir",
  EPERM: "PermissionDenied",
  EBUSY: "DeviceBusy",
  ENXIO: "NoDevice",
  EILSEQ: "BadPathName"
};
var readErrors = {
  EINVAL: "InvalidArgument",
  EFAULT: BUG,
  ESRCH: "ProcessNotFound",
  EAGAIN: "WouldBlock",
  EBADF: "NotOpenForReading",
  EIO: "InputOutput",
  EISDIR: "IsDir",
  ENOBUFS: "SystemResources",
  ENOMEM: "SystemResources",
  ENOTCONN: "SocketUnconnected",
  ECONNRESET: "ConnectionResetByPeer",
  ETIMEDOUT: "Timeout"
};
var preadErrors = {
  ...readErrors,
  ENXIO: "Unseekable",
  ESPIPE: "Unseekable",
  EOVERFLOW: "Unseekable"
};
var writeErrors = {
  EAGAIN: "WouldBlock",
  EBADF: "NotOpenForWriting",
  EDESTADDRREQ: BUG,
  EDQUOT: "DiskQuota",
  EFAULT: BUG,
  EFBIG: "FileTooBig",
  EINVAL: "InvalidArgument",
  EIO: "InputOutput",
  ENOSPC: "NoSpaceLeft",
  EACCES: "AccessDenied",
  EPERM: "PermissionDenied",
  EPIPE: "BrokenPipe",
  ECONNRESET: "ConnectionResetByPeer",
  EBUSY: "DeviceBusy",
  ENXIO: "NoDevice",
  ENOBUFS: "SystemResources",
  ENOMEM: "SystemResources",
  ESRCH: "ProcessNotFound"
};
var pwriteErrors = {
  ...writeErrors,
  ENXIO: "Unseekable",
  ESPIPE: "Unseekable",
  EOVERFLOW: "Unseekable"
};
var seekErrors = {
  EBADF: BUG,
  EINVAL: "Unseekable",
  EOVERFLOW: "Unseekable",
  ESPIPE: "Unseekable",
  ENXIO: "Unseekable"
};
var closeErrors = { EBADF: BUG };
var getdentsErrors = {
  EBADF: BUG,
  EFAULT: BUG,
  ENOTDIR: BUG,
  EINVAL: "Unexpected",
  EACCES: "AccessDenied",
  ENOMEM: "SystemResources"
};

// lib/threaded/close.ts
function closeHandle(fd) {
  checkClose(shim().tio_close(fd));
}
function checkClose(rc) {
  if (rc < 0 && -rc === os.errno.EBADF)
    throw errnoError(closeErrors, -rc, "close");
}

// lib/threaded/fs_buffers.ts
import { ptr as ptr5 } from "bun:ffi";
var MAX_IOVECS = 8;
var IOV_BYTES = MAX_IOVECS * L.sizeof_iovec;
var STAT_BYTES = Math.max(L.sizeof_statx ?? 0, L.sizeof_stat);
var arena = new ArrayBuffer(C.PATH_MAX + IOV_BYTES + STAT_BYTES + 8);
var pathBuf = new Uint8Array(arena, 0, C.PATH_MAX);
var iovBuf = new Uint32Array(arena, C.PATH_MAX, IOV_BYTES / 4);
var statBuf = new Uint8Array(arena, C.PATH_MAX + IOV_BYTES, STAT_BYTES);
var statView = new DataView(arena, C.PATH_MAX + IOV_BYTES, STAT_BYTES);
var fdOutBuf = new Int32Array(arena, C.PATH_MAX + IOV_BYTES + STAT_BYTES, 1);
var encoder5 = new TextEncoder;
function pathToPosix(path) {
  let len;
  if (typeof path === "string") {
    if (path.includes("\x00"))
      throw new IoError("BadPathName", {
        message: `BadPathName: path "${printable(path)}" contains a NUL byte`,
        path
      });
    const r = encoder5.encodeInto(path, pathBuf);
    if (r.read < path.length || r.written >= pathBuf.length) {
      throw new IoError("NameTooLong", {
        message: `NameTooLong: a path of ${encoder5.encode(path).length} bytes is not under PATH_MAX (${C.PATH_MAX})`
      });
    }
    len = r.written;
  } else {
    if (!(path instanceof Uint8Array))
      throw new TypeError(`Path is ${describe2(path)}, not a string or a Uint8Array`);
    if (path.includes(0))
      throw new IoError("BadPathName", { message: "BadPathName: path contains a NUL byte" });
    if (path.length >= pathBuf.length) {
      throw new IoError("NameTooLong", {
        message: `NameTooLong: a path of ${path.length} bytes is not under PATH_MAX (${C.PATH_MAX})`
      });
    }
    pathBuf.set(path);
    len = path.length;
  }
  pathBuf[len] = 0;
  return ptr5(pathBuf);
}
function printable(p) {
  return p.replaceAll("\x00", "\\0");
}
function pathText(path) {
  return typeof path === "string" ? path : new TextDecoder().decode(path);
}
var IOV_WORDS = L.sizeof_iovec / 4;
function fillIovecs(bufs) {
  let n = 0;
  for (let i = 0;i < bufs.length && n < MAX_IOVECS; i++) {
    const b = bufs[i];
    if (b.length === 0)
      continue;
    const addr = ptr5(b);
    const w = n * IOV_WORDS;
    iovBuf[w] = addr % 4294967296;
    iovBuf[w + 1] = Math.floor(addr / 4294967296);
    iovBuf[w + 2] = b.length % 4294967296;
    iovBuf[w + 3] = Math.floor(b.length / 4294967296);
    n++;
  }
  if (n === 0)
    throw new RangeError("No non-empty buffer to read into or write from");
  return n;
}
function iovecs() {
  return ptr5(iovBuf);
}
function fdOutPtr() {
  return ptr5(fdOutBuf);
}
function fdOut() {
  return fdOutBuf[0];
}
function statPtr() {
  return ptr5(statBuf);
}

// lib/threaded/fs.ts
var fdOf = (handle) => handle === CWD_HANDLE ? C.AT_FDCWD : handle;
useStandardRecord({
  claim: (fd) => shim().tio_std_close_claim(fd) === 1,
  closed: (fd) => shimAtHand() && shim().tio_std_closed(fd) === 1
});
function kindOf(mode) {
  switch (mode & C.S_IFMT) {
    case C.S_IFDIR:
      return "directory";
    case C.S_IFCHR:
      return "character_device";
    case C.S_IFBLK:
      return "block_device";
    case C.S_IFREG:
      return "file";
    case C.S_IFIFO:
      return "named_pipe";
    case C.S_IFLNK:
      return "sym_link";
    case C.S_IFSOCK:
      return "unix_domain_socket";
    default:
      return "unknown";
  }
}
var NS = 1000000000n;
var STATX_MASK = (C.STATX_INO ?? 0) | (C.STATX_SIZE ?? 0) | (C.STATX_TYPE ?? 0) | (C.STATX_MODE ?? 0) | (C.STATX_ATIME ?? 0) | (C.STATX_MTIME ?? 0) | (C.STATX_CTIME ?? 0);
function statxTime(at) {
  const sec = statView.getBigInt64(at + L.statx_timestamp_tv_sec, true);
  const nsec = statView.getUint32(at + L.statx_timestamp_tv_nsec, true);
  return new Timestamp(sec * NS + BigInt(nsec));
}
function statFromStatx() {
  const mode = statView.getUint16(L.statx_stx_mode, true);
  return {
    inode: statView.getBigUint64(L.statx_stx_ino, true),
    size: statView.getBigUint64(L.statx_stx_size, true),
    mode,
    kind: kindOf(mode),
    atime: statxTime(L.statx_stx_atime),
    mtime: statxTime(L.statx_stx_mtime),
    ctime: statxTime(L.statx_stx_ctime)
  };
}
function timespecAt(at) {
  return new Timestamp(statView.getBigInt64(at, true) * NS + statView.getBigInt64(at + 8, true));
}
function statFromStat() {
  const mode = L.sizeof_st_mode === 2 ? statView.getUint16(L.stat_st_mode, true) : statView.getUint32(L.stat_st_mode, true);
  return {
    inode: statView.getBigUint64(L.stat_st_ino, true),
    size: statView.getBigInt64(L.stat_st_size, true),
    mode,
    kind: kindOf(mode),
    atime: timespecAt(L.stat_st_atime),
    mtime: timespecAt(L.stat_st_mtime),
    ctime: timespecAt(L.stat_st_ctime)
  };
}
function dirStatPath(_t, dir, path, options) {
  const p = pathToPosix(path);
  const s = shim();
  const nofollow = options.followSymlinks === false ? C.AT_SYMLINK_NOFOLLOW : 0;
  if (have.statx) {
    const flags = (C.AT_NO_AUTOMOUNT ?? 0) | nofollow;
    syscall(statxPathErrors, "statx", () => s.tio_statx(fdOf(dir.handle), p, flags, STATX_MASK, statPtr()), pathText(path));
    return statFromStatx();
  }
  syscall(fstatatErrors, "fstatat", () => s.tio_fstatat(fdOf(dir.handle), p, statPtr(), nofollow), pathText(path));
  return statFromStat();
}
function statFd(fd) {
  const s = shim();
  if (have.statx) {
    const empty = pathToPosix("");
    syscall(statxFdErrors, "statx", () => s.tio_statx(fd, empty, C.AT_EMPTY_PATH, STATX_MASK, statPtr()));
    return statFromStatx();
  }
  syscall(fstatErrors, "fstat", () => s.tio_fstat(fd, statPtr()));
  return statFromStat();
}
function fileStat(_t, file) {
  return statFd(file.handle);
}
function dirStat(_t, dir) {
  return statFd(fdOf(dir.handle));
}
function dirMake(_t, dir, path, mode) {
  const p = pathToPosix(path);
  syscall(mkdirErrors, "mkdirat", () => shim().tio_mkdirat(fdOf(dir.handle), p, mode), pathText(path));
}
function dirMakePath(t, dir, path, mode) {
  makePathStatus(t.ioBasic(), dir, path, mode);
}
function dirOpenDir(_t, dir, path, options) {
  const p = pathToPosix(path);
  let flags = C.O_RDONLY | C.O_DIRECTORY | C.O_CLOEXEC;
  if (options.followSymlinks === false)
    flags |= C.O_NOFOLLOW;
  if (C.O_PATH !== undefined && !options.iterate)
    flags |= C.O_PATH;
  return new Dir(syscall(openDirErrors, "openat", () => shim().tio_openat(fdOf(dir.handle), p, flags, 0), pathText(path)));
}
function dirMakeOpenPath(t, dir, path, options) {
  try {
    return dirOpenDir(t, dir, path, options);
  } catch (e) {
    if (!IoError.is(e, "FileNotFound"))
      throw e;
    makePathStatus(t.ioBasic(), dir, path);
    return dirOpenDir(t, dir, path, options);
  }
}
function dirAccess(_t, dir, path, options) {
  const p = pathToPosix(path);
  const flags = options.followSymlinks === false ? C.AT_SYMLINK_NOFOLLOW : 0;
  const mode = (options.read ? C.R_OK : 0) | (options.write ? C.W_OK : 0) | (options.execute ? C.X_OK : 0);
  syscall(accessErrors, "faccessat", () => shim().tio_faccessat(fdOf(dir.handle), p, mode, flags), pathText(path));
}
function dirClose(_t, dir) {
  closeFd(dir.handle);
}
var EINVAL = E.EINVAL;
function openWithLock(dir, path, flags, mode, lock, nonblocking, truncateAfterLock = false) {
  const p = pathToPosix(path);
  const s = shim();
  if (have.openLockFlags && lock !== "none") {
    flags |= lock === "shared" ? C.O_SHLOCK : C.O_EXLOCK;
    if (nonblocking)
      flags |= C.O_NONBLOCK;
  }
  const fd = syscall(openFileErrors, "openat", () => s.tio_openat(fdOf(dir.handle), p, flags, mode), pathText(path));
  try {
    if (!have.openLockFlags && lock !== "none") {
      const op = (lock === "shared" ? C.LOCK_SH : C.LOCK_EX) | (nonblocking ? C.LOCK_NB : 0);
      syscall(flockErrors, "flock", () => s.tio_flock(fd, op), pathText(path));
    }
    if (have.openLockFlags && nonblocking) {
      const fl = syscall(fcntlErrors, "fcntl", () => s.tio_fcntl(fd, C.F_GETFL, 0));
      syscall(fcntlErrors, "fcntl", () => s.tio_fcntl(fd, C.F_SETFL, fl | C.O_NONBLOCK));
    }
    if (truncateAfterLock) {
      syscall(truncateErrors, "ftruncate", () => {
        const rc = s.tio_ftruncate(fd, 0);
        return rc === -EINVAL ? 0 : rc;
      }, pathText(path));
    }
  } catch (e) {
    s.tio_close(fd);
    throw e;
  }
  return new File(fd);
}
var accessMode = {
  read_only: C.O_RDONLY,
  write_only: C.O_WRONLY,
  read_write: C.O_RDWR
};
function dirOpenFile(_t, dir, path, flags) {
  let os_flags = accessMode[flags.mode ?? "read_only"] | C.O_CLOEXEC | (C.O_LARGEFILE ?? 0);
  if (flags.allowCtty !== true)
    os_flags |= C.O_NOCTTY;
  if (flags.followSymlinks === false)
    os_flags |= C.O_NOFOLLOW;
  return openWithLock(dir, path, os_flags, 0, flags.lock ?? "none", flags.lockNonblocking ?? false);
}
function dirCreateFile(_t, dir, path, flags) {
  let os_flags = (flags.read ? C.O_RDWR : C.O_WRONLY) | C.O_CREAT | C.O_CLOEXEC | (C.O_LARGEFILE ?? 0);
  const lock = flags.lock ?? "none";
  const truncate = flags.truncate ?? true;
  if (truncate && lock === "none")
    os_flags |= C.O_TRUNC;
  if (flags.exclusive)
    os_flags |= C.O_EXCL;
  return openWithLock(dir, path, os_flags, flags.mode ?? defaultFileMode, lock, flags.lockNonblocking ?? false, truncate && lock !== "none");
}
function dirReadFileStart(_t, dir, path, buffer) {
  const p = pathToPosix(path);
  const flags = C.O_RDONLY | C.O_CLOEXEC | C.O_NOCTTY | (C.O_LARGEFILE ?? 0);
  const s = shim();
  const fdPtr = fdOutPtr();
  const n = syscall(openFileErrors, "openat", () => s.tio_open_read(fdOf(dir.handle), p, flags, buffer, buffer.length, fdPtr), pathText(path));
  const fd = fdOut();
  return fd < 0 ? n : { file: new File(fd), read: n };
}
function openSelfExe(t, flags) {
  const path = os.name === "linux" ? "/proc/self/exe" : process.execPath;
  return dirOpenFile(t, Dir.cwd(), path, flags);
}
function closeFd(fd) {
  closeHandle(fd);
}
function fileClose(_t, file) {
  closeFd(file.handle);
}
function transfer(fd, bufs, offset, table, names, single, vectored) {
  checkCancel();
  if (bufs.length === 1 && bufs[0].length > 0) {
    const b = bufs[0];
    const call = () => single(fd, b, b.length, offset);
    return settle(call(), table, names[0], call);
  }
  const n = fillIovecs(bufs);
  return syscall(table, names[1], () => vectored(fd, iovecs(), n, offset));
}
var s = () => shim();
var read2 = (fd, b, len) => s().tio_read(fd, b, len);
var readv = (fd, iov, n) => s().tio_readv(fd, iov, n);
var pread = (fd, b, len, off) => s().tio_pread(fd, b, len, off);
var preadv = (fd, iov, n, off) => s().tio_preadv(fd, iov, n, off);
var write = (fd, b, len) => s().tio_write(fd, b, len);
var writev = (fd, iov, n) => s().tio_writev(fd, iov, n);
var pwrite = (fd, b, len, off) => s().tio_pwrite(fd, b, len, off);
var pwritev = (fd, iov, n, off) => s().tio_pwritev(fd, iov, n, off);
function fileReadStreaming(_t, file, bufs) {
  return transfer(file.handle, bufs, 0, readErrors, ["read", "readv"], read2, readv);
}
function fileReadPositional(_t, file, bufs, offset) {
  return transfer(file.handle, bufs, offset, preadErrors, ["pread", "preadv"], pread, preadv);
}
function fileWriteStreaming(_t, file, bufs) {
  return transfer(file.handle, bufs, 0, writeErrors, ["write", "writev"], write, writev);
}
function fileWritePositional(_t, file, bufs, offset) {
  return transfer(file.handle, bufs, offset, pwriteErrors, ["pwrite", "pwritev"], pwrite, pwritev);
}
function fileSeekTo(_t, file, offset) {
  syscall(seekErrors, "lseek", () => shim().tio_lseek(file.handle, offset, C.SEEK_SET));
}
function fileSeekBy(_t, file, offset) {
  syscall(seekErrors, "lseek", () => shim().tio_lseek(file.handle, offset, C.SEEK_CUR));
}

// lib/threaded/dir_read.ts
import { ptr as ptr6 } from "bun:ffi";
var D_RECLEN2 = 16;
var D_TYPE = 18;
var D_NAME2 = 19;
var DT_UNKNOWN = 0;
var kindOfType = (() => {
  const k = new Array(16).fill("unknown");
  k[1] = "named_pipe";
  k[2] = "character_device";
  k[4] = "directory";
  k[6] = "block_device";
  k[8] = "file";
  k[10] = "sym_link";
  k[12] = "unix_domain_socket";
  k[14] = "whiteout";
  return k;
})();
function rawName(buf, start, end, name) {
  if (!name.includes("\uFFFD"))
    return;
  const raw = new Uint8Array(buf.buffer, buf.byteOffset + start, end - start);
  return Buffer.from(name).equals(raw) ? undefined : raw.slice();
}
var EINTR2 = E.EINTR;
var ENOENT = E.ENOENT;
var EBADF = E.EBADF;
function refuseUnreadable(fd) {
  if (C.O_PATH === undefined)
    return;
  const flags = shim().tio_fcntl(fd, C.F_GETFL, 0);
  if (flags >= 0 && (flags & C.O_PATH) !== 0)
    throw new RangeError("This directory was opened without { iterate: true }, so it cannot be iterated or walked: " + "open it with dir.openDir(io, path, { iterate: true })");
}
function readBatch(r) {
  const fd = r.dir.handle;
  const s = shim();
  if (r.state === "reset" || r.seekTo !== undefined) {
    const to = r.seekTo ?? 0;
    syscall(seekErrors, "lseek", () => {
      const rc = s.tio_lseek(fd, to, C.SEEK_SET);
      if (rc === -EBADF)
        refuseUnreadable(fd);
      return rc;
    });
    r.state = "reading";
    r.seekTo = undefined;
  }
  const buf = r.buffer;
  const call = () => s.tio_getdents64(fd, ptr6(buf), buf.length);
  checkCancel();
  let rc = call();
  while (rc === -EINTR2) {
    checkCancel();
    rc = call();
  }
  if (rc === 0 || rc === -ENOENT) {
    r.state = "finished";
    r.index = r.end = 0;
    return false;
  }
  if (rc === -EBADF)
    refuseUnreadable(fd);
  if (rc < 0)
    throw errnoError(getdentsErrors, -rc, "getdents64");
  r.index = 0;
  r.end = rc;
  return true;
}
function dirRead(t, r) {
  if (r.dir.handle === CWD_HANDLE)
    throw new RangeError('Dir.cwd() cannot be iterated: open it with openDir(io, ".", { iterate: true })');
  const buf = r.buffer;
  for (;; ) {
    if (r.index >= r.end) {
      if (r.state === "finished" || !readBatch(r))
        return null;
    }
    const at = r.index;
    const reclen = buf[at + D_RECLEN2] | buf[at + D_RECLEN2 + 1] << 8;
    if (reclen < D_NAME2 + 1 || at + reclen > r.end)
      throw new BugError(`getdents64 returned a record of ${reclen} bytes at ${at} of ${r.end}`);
    r.index = at + reclen;
    r.last = at;
    let nameEnd = buf.indexOf(0, at + D_NAME2);
    if (nameEnd < 0 || nameEnd > at + reclen)
      nameEnd = at + reclen;
    const len = nameEnd - at - D_NAME2;
    const c0 = buf[at + D_NAME2];
    if (c0 === 46 && (len === 1 || len === 2 && buf[at + D_NAME2 + 1] === 46))
      continue;
    const name = buf.utf8Slice(at + D_NAME2, nameEnd);
    const nameBytes = rawName(buf, at + D_NAME2, nameEnd, name);
    const type = buf[at + D_TYPE];
    let kind;
    if (type !== DT_UNKNOWN)
      kind = kindOfType[type & 15];
    else {
      try {
        kind = dirStatPath(t, r.dir, nameBytes ?? name, { followSymlinks: false }).kind;
      } catch (e) {
        if (IoError.is(e, "FileNotFound"))
          continue;
        if (IoError.is(e, "Canceled"))
          throw e;
        kind = "unknown";
      }
    }
    return nameBytes === undefined ? { name, kind } : { name, kind, nameBytes };
  }
}

// lib/threaded/net_errors.ts
var socketErrors = {
  EAFNOSUPPORT: "AddressFamilyUnsupported",
  EINVAL: "ProtocolUnsupportedBySystem",
  EMFILE: "ProcessFdQuotaExceeded",
  ENFILE: "SystemFdQuotaExceeded",
  ENOBUFS: "SystemResources",
  ENOMEM: "SystemResources",
  EPROTONOSUPPORT: "ProtocolUnsupportedByAddressFamily",
  EPROTOTYPE: "SocketModeUnsupported"
};
var bindErrors = {
  EADDRINUSE: "AddressInUse",
  EBADF: BUG,
  EINVAL: BUG,
  ENOTSOCK: BUG,
  EAFNOSUPPORT: "AddressFamilyUnsupported",
  EADDRNOTAVAIL: "AddressUnavailable",
  EFAULT: BUG,
  ENOMEM: "SystemResources",
  EACCES: "AccessDenied"
};
var bindUnixErrors = {
  EACCES: "AccessDenied",
  EADDRINUSE: "AddressInUse",
  EAFNOSUPPORT: "AddressFamilyUnsupported",
  EADDRNOTAVAIL: "AddressUnavailable",
  ENOMEM: "SystemResources",
  ELOOP: "SymLinkLoop",
  ENOENT: "FileNotFound",
  ENOTDIR: "NotDir",
  EROFS: "ReadOnlyFileSystem",
  EPERM: "PermissionDenied",
  EBADF: BUG,
  EINVAL: BUG,
  ENOTSOCK: BUG,
  EFAULT: BUG,
  ENAMETOOLONG: BUG
};
var listenErrors = { EADDRINUSE: "AddressInUse", EBADF: BUG };
var connectErrors = {
  EADDRNOTAVAIL: "AddressUnavailable",
  EAFNOSUPPORT: "AddressFamilyUnsupported",
  EAGAIN: "WouldBlock",
  EINPROGRESS: "WouldBlock",
  EALREADY: "ConnectionPending",
  EBADF: BUG,
  ECONNREFUSED: "ConnectionRefused",
  ECONNRESET: "ConnectionResetByPeer",
  EFAULT: BUG,
  EISCONN: BUG,
  EHOSTUNREACH: "HostUnreachable",
  ENETUNREACH: "NetworkUnreachable",
  ENOTSOCK: BUG,
  EPROTOTYPE: BUG,
  ETIMEDOUT: "Timeout",
  ECONNABORTED: BUG,
  EACCES: "AccessDenied",
  EPERM: BUG,
  ENOENT: BUG,
  ENETDOWN: "NetworkDown"
};
var connectUnixErrors = {
  EAFNOSUPPORT: "AddressFamilyUnsupported",
  EAGAIN: "WouldBlock",
  EINPROGRESS: "WouldBlock",
  EACCES: "AccessDenied",
  ELOOP: "SymLinkLoop",
  ENOENT: "FileNotFound",
  ENOTDIR: "NotDir",
  EROFS: "ReadOnlyFileSystem",
  EPERM: "PermissionDenied",
  ECONNREFUSED: "ConnectionRefused",
  EBADF: BUG,
  ECONNABORTED: BUG,
  EFAULT: BUG,
  EISCONN: BUG,
  ENOTSOCK: BUG,
  EPROTOTYPE: BUG
};
var getsocknameErrors = {
  EBADF: BUG,
  EFAULT: BUG,
  EINVAL: BUG,
  ENOTSOCK: BUG,
  ENOBUFS: "SystemResources"
};
var sockoptErrors = {
  EBADF: BUG,
  ENOTSOCK: BUG,
  EINVAL: BUG,
  EFAULT: BUG
};
var acceptErrors = {
  EAGAIN: BUG,
  EBADF: BUG,
  ECONNABORTED: "ConnectionAborted",
  EFAULT: BUG,
  EINVAL: "SocketNotListening",
  ENOTSOCK: BUG,
  EMFILE: "ProcessFdQuotaExceeded",
  ENFILE: "SystemFdQuotaExceeded",
  ENOBUFS: "SystemResources",
  ENOMEM: "SystemResources",
  EOPNOTSUPP: BUG,
  EPROTO: "ProtocolFailure",
  EPERM: "BlockedByFirewall"
};
var netReadErrors = {
  EINVAL: BUG,
  EFAULT: BUG,
  EAGAIN: BUG,
  EBADF: BUG,
  ENOBUFS: "SystemResources",
  ENOMEM: "SystemResources",
  ENOTCONN: "SocketUnconnected",
  ECONNRESET: "ConnectionResetByPeer",
  ETIMEDOUT: "Timeout",
  EPIPE: "SocketUnconnected",
  ENETDOWN: "NetworkDown"
};
var netWriteErrors = {
  EACCES: BUG,
  EAGAIN: BUG,
  EALREADY: "FastOpenAlreadyInProgress",
  EBADF: BUG,
  ECONNRESET: "ConnectionResetByPeer",
  EDESTADDRREQ: BUG,
  EFAULT: BUG,
  EINVAL: BUG,
  EISCONN: BUG,
  EMSGSIZE: BUG,
  ENOBUFS: "SystemResources",
  ENOMEM: "SystemResources",
  ENOTSOCK: BUG,
  EOPNOTSUPP: BUG,
  EPIPE: "SocketUnconnected",
  EAFNOSUPPORT: "AddressFamilyUnsupported",
  EHOSTUNREACH: "HostUnreachable",
  ENETUNREACH: "NetworkUnreachable",
  ENOTCONN: "SocketUnconnected",
  ENETDOWN: "NetworkDown"
};
var sendErrors = {
  EACCES: "AccessDenied",
  EAGAIN: BUG,
  EALREADY: "FastOpenAlreadyInProgress",
  EBADF: BUG,
  ECONNRESET: "ConnectionResetByPeer",
  EDESTADDRREQ: BUG,
  EFAULT: BUG,
  EINVAL: BUG,
  EISCONN: BUG,
  EMSGSIZE: "MessageOversize",
  ENOBUFS: "SystemResources",
  ENOMEM: "SystemResources",
  ENOTSOCK: BUG,
  EOPNOTSUPP: BUG,
  EPIPE: "SocketUnconnected",
  EAFNOSUPPORT: "AddressFamilyUnsupported",
  EHOSTUNREACH: "HostUnreachable",
  ENETUNREACH: "NetworkUnreachable",
  ENOTCONN: "SocketUnconnected",
  ENETDOWN: "NetworkDown",
  ECONNREFUSED: "ConnectionRefused"
};
var sendOneErrors = { ...sendErrors, EAGAIN: "Unexpected" };
var receiveErrors = {
  EBADF: BUG,
  ENFILE: "SystemFdQuotaExceeded",
  EMFILE: "ProcessFdQuotaExceeded",
  EFAULT: BUG,
  EINVAL: BUG,
  ENOBUFS: "SystemResources",
  ENOMEM: "SystemResources",
  ENOTCONN: "SocketUnconnected",
  ENOTSOCK: BUG,
  EMSGSIZE: "MessageOversize",
  EPIPE: "SocketUnconnected",
  EOPNOTSUPP: BUG,
  ECONNRESET: "ConnectionResetByPeer",
  ENETDOWN: "NetworkDown",
  ECONNREFUSED: "ConnectionRefused"
};
var pollErrors = {
  EFAULT: BUG,
  EINVAL: BUG,
  ENOMEM: "SystemResources"
};
var ifIndexErrors = {
  EINVAL: BUG,
  ENOTTY: BUG,
  ENXIO: BUG,
  EBADF: BUG,
  EFAULT: BUG,
  EIO: BUG,
  ENODEV: "InterfaceNotFound"
};

// lib/threaded/sockaddr.ts
import { ptr as ptr7 } from "bun:ffi";
var lengthByte = os.name === "darwin";

class SockAddrBuf {
  bytes = new Uint8Array(new ArrayBuffer(L.sizeof_sockaddr_storage + 8));
  view = new DataView(this.bytes.buffer);
  lenCell = new Uint32Array(this.bytes.buffer, L.sizeof_sockaddr_storage, 1);
  ptr() {
    return ptr7(this.bytes);
  }
  lenPtr() {
    return ptr7(this.lenCell);
  }
  set len(n) {
    this.lenCell[0] = n;
  }
  get len() {
    return this.lenCell[0];
  }
  family(off, family, size) {
    if (lengthByte) {
      this.bytes[0] = size;
      this.bytes[off] = family;
    } else {
      this.view.setUint16(off, family, true);
    }
  }
  writeIp(a) {
    checkPort(a.port);
    this.bytes.fill(0, 0, L.sizeof_sockaddr_storage);
    if (a.family === "ip4") {
      this.family(L.sockaddr_in_sin_family, C.AF_INET, L.sizeof_sockaddr_in);
      this.view.setUint16(L.sockaddr_in_sin_port, a.port, false);
      this.bytes.set(a.bytes, L.sockaddr_in_sin_addr);
      return L.sizeof_sockaddr_in;
    }
    this.family(L.sockaddr_in6_sin6_family, C.AF_INET6, L.sizeof_sockaddr_in6);
    this.view.setUint16(L.sockaddr_in6_sin6_port, a.port, false);
    this.view.setUint32(L.sockaddr_in6_sin6_flowinfo, a.flow, true);
    this.bytes.set(a.bytes, L.sockaddr_in6_sin6_addr);
    this.view.setUint32(L.sockaddr_in6_sin6_scope_id, a.iface, true);
    return L.sizeof_sockaddr_in6;
  }
  writeUnix(a) {
    this.bytes.fill(0, 0, L.sizeof_sockaddr_storage);
    const path = new TextEncoder().encode(a.path);
    const room = L.sizeof_sockaddr_un - L.sockaddr_un_sun_path;
    this.family(L.sockaddr_un_sun_family, C.AF_UNIX, L.sizeof_sockaddr_un);
    this.bytes.set(path, L.sockaddr_un_sun_path);
    return L.sockaddr_un_sun_path + path.length + (path.length < room ? 1 : 0);
  }
  readIp() {
    const family = lengthByte ? this.bytes[L.sockaddr_in_sin_family] : this.view.getUint16(L.sockaddr_in_sin_family, true);
    if (family === C.AF_INET) {
      return new Ip4Address(this.bytes.slice(L.sockaddr_in_sin_addr, L.sockaddr_in_sin_addr + 4), this.view.getUint16(L.sockaddr_in_sin_port, false));
    }
    if (family === C.AF_INET6) {
      return new Ip6Address(this.bytes.slice(L.sockaddr_in6_sin6_addr, L.sockaddr_in6_sin6_addr + 16), this.view.getUint16(L.sockaddr_in6_sin6_port, false), this.view.getUint32(L.sockaddr_in6_sin6_flowinfo, true), this.view.getUint32(L.sockaddr_in6_sin6_scope_id, true));
    }
    return Ip4Address.loopback(0);
  }
}

// lib/threaded/net_msghdr.ts
import { ptr as ptr8 } from "bun:ffi";
var MAX_IOVECS2 = 8;
var SPLAT_BUFFER = 64;
var empty = new Uint8Array(0);
var addr = new SockAddrBuf;
var MSG = L.sizeof_msghdr;
var IOV = L.sizeof_iovec;
var MMSG = L.sizeof_mmsghdr ?? MSG + 8;
var single = new Uint8Array(new ArrayBuffer(MSG + MAX_IOVECS2 * IOV + SPLAT_BUFFER));
var singleView = new DataView(single.buffer);
function setPtr(view, at, p) {
  view.setUint32(at, p % 4294967296, true);
  view.setUint32(at + 4, Math.floor(p / 4294967296), true);
}
function base(u8) {
  return ptr8(u8);
}
function writeMsghdr(view, at, name, nameLen, iov, iovLen, control = undefined) {
  for (let i = 0;i < MSG; i += 4)
    view.setUint32(at + i, 0, true);
  setPtr(view, at + L.msghdr_msg_name, name);
  view.setUint32(at + L.msghdr_msg_namelen, nameLen, true);
  setPtr(view, at + L.msghdr_msg_iov, iov);
  view.setUint32(at + L.msghdr_msg_iovlen, iovLen, true);
  if (control !== undefined && control.byteLength > 0) {
    const bytes = control instanceof Uint8Array ? control : new Uint8Array(control.buffer, control.byteOffset, control.byteLength);
    setPtr(view, at + L.msghdr_msg_control, base(bytes));
    view.setUint32(at + L.msghdr_msg_controllen, bytes.length, true);
  }
}
function writeIovec(view, at, p, len) {
  setPtr(view, at + L.iovec_iov_base, p);
  setPtr(view, at + L.iovec_iov_len, len);
}

// lib/threaded/net_read_spin.ts
var readSpinMs = 0.05;
function readSpinBudgetMs() {
  return readSpinMs;
}
var readSite = new SpinSite;
var YIELD_EVERY = 16;
function spinUntilReadable(fd) {
  if (readSpinMs <= 0 || !readSite.shouldSpin())
    return false;
  const s = shim();
  const until = performance.now() + readSpinMs;
  for (let i = 1;performance.now() < until; i++) {
    if (s.tio_poll1(fd, C.POLLIN, 0) > 0) {
      readSite.record(true);
      return true;
    }
    if (i % YIELD_EVERY === 0)
      yieldCpu();
  }
  readSite.record(false);
  return false;
}

// lib/threaded/net_datagram.ts
var SEND_BATCH = 64;
var MAX_POLL_MS = 2147483647;
var batch;
function pollMs(io, deadline) {
  if (deadline === null)
    return -1;
  const left = deadline.durationFromNow(io).raw.nanoseconds;
  if (left <= 0n)
    return 0;
  return Math.min(MAX_POLL_MS, Number((left + 999999n) / 1000000n));
}
function sendFlags(f) {
  return (f.confirm && C.MSG_CONFIRM !== undefined ? C.MSG_CONFIRM : 0) | (f.dontRoute ? C.MSG_DONTROUTE : 0) | (f.eor ? C.MSG_EOR : 0) | (f.oob ? C.MSG_OOB : 0) | (f.fastopen && C.MSG_FASTOPEN !== undefined ? C.MSG_FASTOPEN : 0) | (C.MSG_NOSIGNAL ?? 0);
}
function batchScratch() {
  if (batch === undefined) {
    const bytes = new Uint8Array(new ArrayBuffer(SEND_BATCH * (MMSG + IOV)));
    batch = {
      bytes,
      view: new DataView(bytes.buffer),
      addrs: Array.from({ length: SEND_BATCH }, () => new SockAddrBuf)
    };
  }
  return batch;
}
function sendBatch(fd, messages, from, flags) {
  const b = batchScratch();
  const count = Math.min(SEND_BATCH, messages.length - from);
  const bp = base(b.bytes);
  const iovBase = SEND_BATCH * MMSG;
  for (let i = 0;i < count; i++) {
    const m = messages[from + i];
    const a = b.addrs[i];
    const len = m.address === null ? 0 : a.writeIp(m.address);
    writeIovec(b.view, iovBase + i * IOV, base(m.data), m.data.length);
    writeMsghdr(b.view, i * MMSG + (L.mmsghdr_msg_hdr ?? 0), m.address === null ? 0 : a.ptr(), len, bp + iovBase + i * IOV, m.data.length > 0 ? 1 : 0, m.control);
  }
  const s = shim();
  const sent = syscall(sendErrors, "sendmmsg", () => s.tio_sendmmsg(fd, b.bytes, count, flags));
  for (let i = 0;i < sent; i++)
    messages[from + i].sent = b.view.getUint32(i * MMSG + L.mmsghdr_msg_len, true);
  return sent;
}
function sendOne(fd, m, flags) {
  const view = singleView;
  const len = m.address === null ? 0 : addr.writeIp(m.address);
  const name = m.address === null ? 0 : addr.ptr();
  const iovAt = MSG;
  writeIovec(view, iovAt, base(m.data), m.data.length);
  writeMsghdr(view, 0, name, len, base(single) + iovAt, m.data.length > 0 ? 1 : 0, m.control);
  const s = shim();
  m.sent = syscall(sendOneErrors, "sendmsg", () => s.tio_sendmsg(fd, single, flags));
}
function netSend(_t, fd, messages, flags) {
  const f = sendFlags(flags);
  let i = 0;
  try {
    while (i < messages.length) {
      if (have.sendmmsg)
        i += sendBatch(fd, messages, i, f);
      else {
        sendOne(fd, messages[i], f);
        i++;
      }
    }
  } catch (e) {
    if (!(e instanceof IoError))
      throw e;
    return { err: e, count: i };
  }
  return { err: null, count: i };
}
function receiveFlags(f) {
  return (f.oob ? C.MSG_OOB : 0) | (f.peek ? C.MSG_PEEK : 0) | (f.trunc ? C.MSG_TRUNC : 0) | C.MSG_DONTWAIT | (C.MSG_NOSIGNAL ?? 0) | (C.MSG_CMSG_CLOEXEC ?? 0);
}
function netReceive(t, fd, max, buffer, flags, timeout, controls) {
  const messages = [];
  const f = receiveFlags(flags);
  const s = shim();
  let used = 0;
  let sawReady = false;
  try {
    const io = t.ioBasic();
    const deadline = timeout.kind === "none" ? null : timeout.toDeadline(io);
    for (;; ) {
      checkCancel();
      if (messages.length === max)
        break;
      const rest = buffer.subarray(used);
      const control = controls?.[messages.length];
      const view = singleView;
      writeIovec(view, MSG, rest.length > 0 ? base(rest) : 0, rest.length);
      const name = addr.ptr();
      writeMsghdr(view, 0, name, L.sizeof_sockaddr_storage, base(single) + MSG, 1, control);
      const rc = s.tio_recvmsg(fd, single, f);
      if (rc >= 0) {
        const mflags = view.getInt32(L.msghdr_msg_flags, true);
        const controlLen = view.getUint32(L.msghdr_msg_controllen, true);
        messages.push({
          from: addr.readIp(),
          data: rest.subarray(0, rc),
          control: control === undefined ? empty : control.subarray(0, controlLen),
          flags: {
            eor: (mflags & C.MSG_EOR) !== 0,
            trunc: (mflags & C.MSG_TRUNC) !== 0,
            ctrunc: (mflags & C.MSG_CTRUNC) !== 0,
            oob: (mflags & C.MSG_OOB) !== 0,
            errqueue: C.MSG_ERRQUEUE !== undefined && (mflags & C.MSG_ERRQUEUE) !== 0
          }
        });
        used += Math.min(rc, rest.length);
        sawReady = false;
        continue;
      }
      if (-rc === os.errno.EINTR)
        continue;
      if (-rc !== os.errno.EAGAIN)
        throw errnoError(receiveErrors, -rc, "recvmsg");
      if (messages.length > 0)
        break;
      if (sawReady && (s.tio_poll1(fd, C.POLLIN, 0) & C.POLLHUP) !== 0)
        throw new IoError("SocketUnconnected", {
          message: "SocketUnconnected: the socket was shut down while this receive waited " + "(closed through another object over it)",
          syscall: "recvmsg"
        });
      sawReady = spinUntilReadable(fd);
      if (sawReady)
        continue;
      for (;; ) {
        checkCancel();
        const ms = pollMs(io, deadline);
        if (ms === 0)
          throw new IoError("Timeout", {
            message: "Timeout: nothing received in time",
            syscall: "recvmsg"
          });
        const r = s.tio_poll1(fd, C.POLLIN, ms);
        if (r > 0) {
          sawReady = true;
          break;
        }
        if (r === 0 || -r === os.errno.EINTR)
          continue;
        throw errnoError(pollErrors, -r, "poll");
      }
    }
  } catch (e) {
    if (!(e instanceof IoError))
      throw e;
    return { err: e, messages };
  }
  return { err: null, messages };
}

// lib/threaded/net.ts
var modes = {
  stream: C.SOCK_STREAM,
  dgram: C.SOCK_DGRAM,
  seqpacket: C.SOCK_SEQPACKET,
  raw: C.SOCK_RAW,
  rdm: C.SOCK_RDM
};
var familyOf = (a) => a.family === "ip4" ? C.AF_INET : C.AF_INET6;
function setOption(fd, level, name, value) {
  syscall(sockoptErrors, "setsockopt", () => shim().tio_setsockopt_int(fd, level, name, value));
}
function openSocket(family, mode, protocol, ip6Only = false) {
  checkProtocol(protocol);
  const s = shim();
  const type = modes[mode] | (C.SOCK_CLOEXEC ?? 0);
  const fd = syscall(socketErrors, "socket", () => s.tio_socket(family, type, protocol ?? 0));
  try {
    if (C.SOCK_CLOEXEC === undefined)
      syscall(fcntlErrors, "fcntl", () => s.tio_fcntl(fd, C.F_SETFD, C.FD_CLOEXEC));
    if (!have.msgNoSignal && C.SO_NOSIGPIPE !== undefined)
      setOption(fd, C.SOL_SOCKET, C.SO_NOSIGPIPE, 1);
    if (ip6Only)
      setOption(fd, C.IPPROTO_IPV6, C.IPV6_V6ONLY, 1);
  } catch (e) {
    s.tio_close(fd);
    throw e;
  }
  return fd;
}
function localAddress(fd) {
  addr.len = L.sizeof_sockaddr_storage;
  syscall(getsocknameErrors, "getsockname", () => shim().tio_getsockname(fd, addr.ptr(), addr.lenPtr()));
  return addr.readIp();
}
function closeQuietly(fd) {
  shim().tio_close(fd);
}
function netListenIp(_t, address, options) {
  const s = shim();
  const fd = openSocket(familyOf(address), options.mode ?? "stream", options.protocol ?? Protocol.tcp);
  try {
    if (options.reuseAddress) {
      setOption(fd, C.SOL_SOCKET, C.SO_REUSEADDR, 1);
      setOption(fd, C.SOL_SOCKET, C.SO_REUSEPORT, 1);
    }
    const len = addr.writeIp(address);
    const at = { address: address.toString() };
    syscall(bindErrors, "bind", () => s.tio_bind(fd, addr.ptr(), len), at);
    const backlog = options.kernelBacklog ?? defaultKernelBacklog;
    syscall(listenErrors, "listen", () => s.tio_listen(fd, backlog), at);
    return new Server(new Socket(fd, localAddress(fd)));
  } catch (e) {
    closeQuietly(fd);
    throw e;
  }
}
function netListenUnix(_t, address, options) {
  const s = shim();
  let fd;
  try {
    fd = openSocket(C.AF_UNIX, "stream", 0);
  } catch (e) {
    if (IoError.is(e, "ProtocolUnsupportedBySystem", "ProtocolUnsupportedByAddressFamily", "SocketModeUnsupported")) {
      throw new IoError("AddressFamilyUnsupported", { cause: e });
    }
    throw e;
  }
  try {
    const len = addr.writeUnix(address);
    syscall(bindUnixErrors, "bind", () => s.tio_bind(fd, addr.ptr(), len), address.path);
    const backlog = options.kernelBacklog ?? defaultKernelBacklog;
    syscall(listenErrors, "listen", () => s.tio_listen(fd, backlog), address.path);
    return fd;
  } catch (e) {
    closeQuietly(fd);
    throw e;
  }
}
function netAccept(_t, listenFd) {
  const s = shim();
  const call = () => {
    addr.len = L.sizeof_sockaddr_storage;
    return s.tio_accept(listenFd, addr.ptr(), addr.lenPtr(), C.SOCK_CLOEXEC ?? 0);
  };
  const fd = syscall(acceptErrors, "accept4", call);
  return new Stream(new Socket(fd, addr.readIp()));
}
function netBindIp(_t, address, options) {
  const s = shim();
  const fd = openSocket(familyOf(address), options.mode, options.protocol, options.ip6Only ?? false);
  try {
    const len = addr.writeIp(address);
    syscall(bindErrors, "bind", () => s.tio_bind(fd, addr.ptr(), len), {
      address: address.toString()
    });
    return new Socket(fd, localAddress(fd));
  } catch (e) {
    closeQuietly(fd);
    throw e;
  }
}
function connectFd(io, fd, len, timeout, table, subject) {
  const s = shim();
  const flags = syscall(fcntlErrors, "fcntl", () => s.tio_fcntl(fd, C.F_GETFL, 0));
  syscall(fcntlErrors, "fcntl", () => s.tio_fcntl(fd, C.F_SETFL, flags | C.O_NONBLOCK));
  checkCancel();
  const rc = s.tio_connect(fd, addr.ptr(), len);
  if (rc < 0 && -rc !== os.errno.EINPROGRESS && -rc !== os.errno.EINTR)
    throw errnoError(table, -rc, "connect", subject);
  if (rc < 0) {
    const deadline = timeout.kind === "none" ? null : timeout.toDeadline(io);
    for (;; ) {
      const ms = pollMs(io, deadline);
      if (ms === 0)
        throw new IoError("Timeout", {
          message: `Timeout: connect to ${typeof subject === "string" ? `"${subject}"` : subject.address} did not finish in time`,
          syscall: "connect",
          ...typeof subject === "string" ? { path: subject } : subject
        });
      const r = settle(s.tio_poll1(fd, C.POLLOUT, ms), pollErrors, "poll", () => s.tio_poll1(fd, C.POLLOUT, ms));
      if (r > 0)
        break;
      if (deadline === null)
        continue;
    }
    const err = syscall(sockoptErrors, "getsockopt", () => s.tio_getsockopt_int(fd, C.SOL_SOCKET, C.SO_ERROR));
    if (err !== 0)
      throw errnoError(table, err, "connect", subject);
  }
  syscall(fcntlErrors, "fcntl", () => s.tio_fcntl(fd, C.F_SETFL, flags));
}
function netConnectIp(t, address, options) {
  const fd = openSocket(familyOf(address), options.mode, options.protocol);
  try {
    const len = addr.writeIp(address);
    connectFd(t.ioBasic(), fd, len, options.timeout ?? Timeout.none, connectErrors, {
      address: address.toString()
    });
    return new Stream(new Socket(fd, localAddress(fd)));
  } catch (e) {
    closeQuietly(fd);
    throw e;
  }
}
function netConnectUnix(_t, address) {
  const fd = openSocket(C.AF_UNIX, "stream", 0);
  try {
    const len = addr.writeUnix(address);
    const s = shim();
    const call = () => s.tio_connect(fd, addr.ptr(), len);
    syscall(connectUnixErrors, "connect", call, address.path);
    return fd;
  } catch (e) {
    closeQuietly(fd);
    throw e;
  }
}
function netClose(_t, fd) {
  closeHandle(fd);
}
function netCloseListening(_t, fd) {
  shim().tio_shutdown(fd, SHUT_RD);
  closeHandle(fd);
}
var SHUT_RD = 0;
function netShutdown(_t, fd) {
  shim().tio_shutdown(fd, SHUT_RDWR);
}
var SHUT_RDWR = 2;
function netRead(_t, fd, bufs) {
  const s = shim();
  checkCancel();
  if (bufs.length === 1 && bufs[0].length > 0) {
    const b = bufs[0];
    const until = readSpinBudgetMs() > 0 && readSite.shouldSpin() ? performance.now() + readSpinBudgetMs() : 0;
    for (let i = 1;until > 0; i++) {
      const rc = s.tio_recv(fd, b, b.length, C.MSG_DONTWAIT);
      if (rc >= 0) {
        readSite.record(true);
        return rc;
      }
      if (-rc === os.errno.EAGAIN) {
        if (performance.now() >= until) {
          readSite.record(false);
          break;
        }
        if (i % YIELD_EVERY === 0)
          yieldCpu();
        continue;
      }
      if (-rc === os.errno.ENOTSOCK || -rc === os.errno.EINTR)
        break;
      throw errnoError(netReadErrors, -rc, "read");
    }
    const read = () => s.tio_read(fd, b, b.length);
    return settle(read(), netReadErrors, "read", read);
  }
  const n = fillIovecs(bufs);
  return syscall(netReadErrors, "readv", () => s.tio_readv(fd, iovecs(), n));
}
function netWrite(_t, fd, header, data, splat) {
  if (data.length === 0)
    throw new RangeError("netWrite needs at least one data slice");
  const view = singleView;
  const iovAt = MSG;
  const splatAt = MSG + MAX_IOVECS2 * IOV;
  const keep = [];
  let n = 0;
  const add = (b) => {
    if (b.length === 0 || n === MAX_IOVECS2)
      return;
    keep.push(b);
    writeIovec(view, iovAt + n * IOV, base(b), b.length);
    n++;
  };
  add(header);
  for (let i = 0;i < data.length - 1; i++)
    add(data[i]);
  const pattern = data[data.length - 1];
  if (n < MAX_IOVECS2 && splat > 0 && pattern.length > 0) {
    if (splat === 1)
      add(pattern);
    else if (pattern.length === 1) {
      const buf = single.subarray(splatAt, splatAt + Math.min(SPLAT_BUFFER, splat));
      buf.fill(pattern[0]);
      add(buf);
      let remaining = splat - buf.length;
      while (remaining > SPLAT_BUFFER && n < MAX_IOVECS2) {
        add(buf);
        remaining -= SPLAT_BUFFER;
      }
      add(single.subarray(splatAt, splatAt + remaining));
    } else {
      for (let i = 0;i < splat && n < MAX_IOVECS2; i++)
        add(pattern);
    }
  }
  if (n === 0)
    return 0;
  const s = shim();
  const msgPtr = base(single);
  writeMsghdr(view, 0, 0, 0, msgPtr + iovAt, n);
  const flags = C.MSG_NOSIGNAL ?? 0;
  const written = syscall(netWriteErrors, "sendmsg", () => s.tio_sendmsg(fd, single, flags));
  keep.length = 0;
  return written;
}

// lib/threaded/net_interface.ts
var ifr = new Uint8Array(new ArrayBuffer(Math.max(L.sizeof_ifreq, C.IFNAMSIZ)));
var ifrView = new DataView(ifr.buffer);
function withControlSocket(f) {
  let fd;
  try {
    fd = openSocket(C.AF_UNIX, "dgram", 0);
  } catch (e) {
    if (IoError.is(e, "ProcessFdQuotaExceeded", "SystemFdQuotaExceeded"))
      throw new IoError("SystemResources", { cause: e });
    if (e instanceof IoError && e.code !== "Canceled" && e.code !== "SystemResources")
      throw new IoError("Unexpected", { cause: e });
    throw e;
  }
  try {
    return f(fd);
  } finally {
    closeQuietly(fd);
  }
}
function netInterfaceNameResolve(_t, name) {
  const s = shim();
  ifr.fill(0);
  ifr.set(new TextEncoder().encode(name.toSlice()), L.ifreq_ifr_name);
  if (C.SIOCGIFINDEX === undefined) {
    return new Interface(syscall(ifIndexErrors, "if_nametoindex", () => s.tio_if_nametoindex(ifr)));
  }
  return withControlSocket((fd) => {
    syscall(ifIndexErrors, "ioctl", () => s.tio_ioctl_ifreq(fd, C.SIOCGIFINDEX, ifr));
    return new Interface(ifrView.getInt32(L.ifreq_ifr_ifindex, true));
  });
}
function netInterfaceName(_t, iface) {
  const s = shim();
  ifr.fill(0);
  const decode = () => InterfaceName.fromSlice(new TextDecoder().decode(ifr.subarray(0, ifr.indexOf(0))));
  const table = { ENXIO: "Unexpected", ENODEV: "Unexpected" };
  if (C.SIOCGIFNAME === undefined) {
    syscall(table, "if_indextoname", () => s.tio_if_indextoname(iface.index, ifr));
    return decode();
  }
  return withControlSocket((fd) => {
    ifrView.setInt32(L.ifreq_ifr_ifindex, iface.index, true);
    syscall(table, "ioctl", () => s.tio_ioctl_ifreq(fd, C.SIOCGIFNAME, ifr));
    return decode();
  });
}

// lib/net/dns/hosts.ts
var maxLineBytes = 512;
function hostNameOrNull(text) {
  try {
    validate(text);
    return text;
  } catch {
    return null;
  }
}
function parseAddress(text) {
  try {
    return Ip4Address.parse(text, 0);
  } catch {
    const r = parseUnresolved(text);
    if (r.kind !== "success" || r.interfaceName !== null)
      return null;
    return new Ip6Address(r.bytes, 0);
  }
}
function parseHosts(text) {
  const out = [];
  for (const raw of text.split(`
`)) {
    if (raw.length > maxLineBytes)
      continue;
    const line = raw.replace(/\r$/, "").replace(/#.*$/, "");
    const tokens = line.split(/[ \t]+/).filter((t) => t.length > 0);
    if (tokens.length < 2)
      continue;
    const address = parseAddress(tokens[0]);
    if (address === null)
      continue;
    const names = tokens.slice(1);
    out.push({
      address,
      names: names.map((n) => n.toLowerCase()),
      canonical: hostNameOrNull(names[0])
    });
  }
  return out;
}
function lookupHosts(entries, name) {
  const want = name.replace(/\.$/, "").toLowerCase();
  let canonical = null;
  const addresses = [];
  for (const e of entries) {
    if (!e.names.includes(want))
      continue;
    canonical ??= e.canonical;
    addresses.push(e.address);
  }
  return addresses.length === 0 ? null : { addresses, canonical };
}

// lib/net/dns/resolv_conf.ts
var maxNameservers = 3;
function defaults() {
  return {
    nameservers: [],
    scopes: [],
    search: [],
    ndots: 1,
    timeoutSeconds: 5,
    attempts: 2,
    rotate: false,
    singleRequest: false,
    edns0: false,
    useVc: false
  };
}
function parseNameserver(text) {
  try {
    return { addr: Ip4Address.parse(text, 53), scope: null };
  } catch {
    const r = parseUnresolved(text);
    if (r.kind !== "success")
      return null;
    return { addr: new Ip6Address(r.bytes, 53), scope: r.interfaceName };
  }
}
function optionValue(text, max) {
  const v = parseUnsigned(text.split(":")[0], 8);
  if (v === "InvalidCharacter")
    return null;
  return Math.min(v === "Overflow" ? 255 : v, max);
}
function applyOptions(conf, tokens) {
  for (const tok of tokens) {
    const colon = tok.indexOf(":");
    const name = colon < 0 ? tok : tok.slice(0, colon);
    const value = colon < 0 ? "" : tok.slice(colon + 1);
    switch (name) {
      case "ndots": {
        const v = optionValue(value, 15);
        if (v !== null)
          conf.ndots = v;
        break;
      }
      case "timeout": {
        const v = optionValue(value, 60);
        if (v !== null)
          conf.timeoutSeconds = Math.max(1, v);
        break;
      }
      case "attempts": {
        const v = optionValue(value, 10);
        if (v !== null)
          conf.attempts = Math.max(1, v);
        break;
      }
      case "rotate":
        conf.rotate = true;
        break;
      case "single-request":
        conf.singleRequest = true;
        break;
      case "edns0":
        conf.edns0 = true;
        break;
      case "use-vc":
        conf.useVc = true;
        break;
    }
  }
}
function parse(text, env = {}) {
  const conf = defaults();
  for (const raw of text.split(`
`)) {
    const line = raw.replace(/\r$/, "").replace(/[#;].*$/, "");
    const tokens = line.split(/[ \t]+/).filter((t) => t.length > 0);
    if (tokens.length === 0)
      continue;
    const [directive, ...args] = tokens;
    switch (directive) {
      case "nameserver": {
        if (conf.nameservers.length >= maxNameservers || args.length === 0)
          break;
        const ns = parseNameserver(args[0]);
        if (ns === null)
          break;
        conf.nameservers.push(ns.addr);
        conf.scopes.push(ns.scope);
        break;
      }
      case "domain":
      case "search":
        conf.search = args.slice(0, 6);
        break;
      case "options":
        applyOptions(conf, args);
        break;
    }
  }
  const local = env.LOCALDOMAIN;
  if (local !== undefined)
    conf.search = local.split(/[ \t]+/).filter((t) => t.length > 0).slice(0, 6);
  const opts = env.RES_OPTIONS;
  if (opts !== undefined)
    applyOptions(conf, opts.split(/[ \t]+/).filter((t) => t.length > 0));
  if (conf.nameservers.length === 0) {
    conf.nameservers.push(Ip4Address.loopback(53));
    conf.scopes.push(null);
  }
  return conf;
}

// lib/net/dns/message.ts
var RecordType = { A: 1, CNAME: 5, AAAA: 28, OPT: 41 };
var Rcode = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3 };
var EDNS_UDP_SIZE = 1232;
function bad(why) {
  return new IoError("InvalidDnsPacket", { message: `InvalidDnsPacket: ${why}` });
}
function writeQuery(id, name, type, edns = false) {
  const labels = name.replace(/\.$/, "").split(".").filter((l) => l.length > 0);
  const nameLen = labels.reduce((n, l) => n + 1 + l.length, 0) + 1;
  if (nameLen > maxQueryLen + 2 || labels.some((l) => l.length > 63))
    throw new BugError(`writeQuery: "${name}" does not fit a DNS question (RFC 1035)`);
  const out = new Uint8Array(12 + nameLen + 4 + (edns ? 11 : 0));
  const v = new DataView(out.buffer);
  v.setUint16(0, id);
  v.setUint16(2, 256);
  v.setUint16(4, 1);
  v.setUint16(10, edns ? 1 : 0);
  let i = 12;
  for (const l of labels) {
    out[i++] = l.length;
    for (let k = 0;k < l.length; k++)
      out[i++] = l.charCodeAt(k);
  }
  out[i++] = 0;
  v.setUint16(i, type);
  v.setUint16(i + 2, 1);
  i += 4;
  if (edns) {
    out[i] = 0;
    v.setUint16(i + 1, RecordType.OPT);
    v.setUint16(i + 3, EDNS_UDP_SIZE);
  }
  return out;
}
function parseResponse(packet) {
  if (packet.length < 12)
    throw bad("shorter than a header");
  const v = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const id = v.getUint16(0);
  const flags = v.getUint16(2);
  if ((flags & 32768) === 0)
    throw bad("not a response");
  const qd = v.getUint16(4);
  const an = v.getUint16(6);
  let i = 12;
  let questionName = "";
  let questionType = 0;
  for (let q = 0;q < qd; q++) {
    const e = expand(packet, i);
    i += e.consumed;
    if (i + 4 > packet.length)
      throw bad("question runs past the packet");
    if (q === 0) {
      questionName = e.name.bytes;
      questionType = v.getUint16(i);
    }
    i += 4;
  }
  const answers = [];
  for (let a = 0;a < an; a++) {
    const e = expand(packet, i);
    i += e.consumed;
    if (i + 10 > packet.length)
      throw bad("answer header runs past the packet");
    const type = v.getUint16(i);
    const len = v.getUint16(i + 8);
    const dataOffset = i + 10;
    if (dataOffset + len > packet.length)
      throw bad("answer data runs past the packet");
    answers.push({
      type,
      name: e.name.bytes,
      data: packet.subarray(dataOffset, dataOffset + len),
      dataOffset
    });
    i = dataOffset + len;
  }
  return {
    packet,
    id,
    rcode: flags & 15,
    truncated: (flags & 512) !== 0,
    questionName,
    questionType,
    answers
  };
}
function sameName(a, b) {
  return a.replace(/\.$/, "").toLowerCase() === b.replace(/\.$/, "").toLowerCase();
}

// lib/threaded/dns_client.ts
var rotation = 0;
function newIds(n) {
  const ids = new Set;
  const r = new Uint16Array(1);
  while (ids.size < n)
    ids.add(crypto.getRandomValues(r)[0]);
  return [...ids];
}
function exchange(io, name, servers, conf, family) {
  const types = family === "ip4" ? [RecordType.A] : family === "ip6" ? [RecordType.AAAA] : [RecordType.A, RecordType.AAAA];
  const ids = newIds(types.length);
  const queries = types.map((type, i) => ({
    type,
    id: ids[i],
    bytes: writeQuery(ids[i], name, type, conf.edns0),
    answer: null
  }));
  let order = [...servers];
  if (conf.rotate && order.length > 1) {
    const k = rotation++ % order.length;
    order = [...order.slice(k), ...order.slice(0, k)];
  }
  const total = Duration.fromSeconds(conf.timeoutSeconds).nanoseconds;
  const start = io.now("boot").nanoseconds;
  const final = start + total;
  const perAttempt = total / BigInt(Math.max(1, conf.attempts));
  let unsent = null;
  if (conf.useVc) {
    for (const q of queries) {
      for (const ns of order) {
        q.answer = tcpQuery(io, ns, q, final);
        if (q.answer !== null)
          break;
      }
    }
  } else {
    unsent = udpExchange(io, order, queries, conf.singleRequest, final, perAttempt);
  }
  if (unsent !== null)
    return { kind: "failed", unsent };
  if (queries.every((q) => q.answer === null))
    return { kind: "failed" };
  return collect(name, queries);
}
function udpExchange(io, order, queries, single, final, perAttempt) {
  const { socket, targets } = openQuerySocket(io, order);
  try {
    const groups = single ? queries.map((q) => [q]) : [queries];
    for (const group of groups) {
      let everSent = false;
      for (let now = io.now("boot").nanoseconds;now < final && group.some((q) => q.answer === null); now = io.now("boot").nanoseconds) {
        const roundEnd = now + perAttempt < final ? now + perAttempt : final;
        const servfailed = new Set;
        let lastError = null;
        for (const q of group) {
          if (q.answer !== null)
            continue;
          const r = sendQuietly(io, socket, targets.map((address) => ({ address, data: q.bytes })));
          everSent ||= r.sent > 0;
          lastError = r.error ?? lastError;
        }
        if (!everSent)
          return lastError;
        receiveRound(io, socket, targets, order, group, roundEnd, servfailed);
      }
    }
    return null;
  } finally {
    socket.close(io);
  }
}
var bindUdp = (io, address) => address.bind(io, { mode: "dgram", ip6Only: false });
function openQuerySocket(io, order, bind = bindUdp) {
  if (order.some((ns) => ns.family === "ip6")) {
    try {
      const socket = bind(io, Ip6Address.unspecified(0));
      return { socket, targets: order.map((ns) => Ip6Address.fromAny(ns)) };
    } catch (e) {
      if (!IoError.is(e, "AddressFamilyUnsupported"))
        throw e;
    }
  }
  return { socket: bind(io, Ip4Address.unspecified(0)), targets: order };
}
function sendQuietly(io, socket, messages) {
  let sent = 0;
  let error = null;
  for (let from = 0;from < messages.length; ) {
    let failed;
    try {
      const r = socket.sendMany(io, messages.slice(from));
      sent += r.count;
      if (r.err === null)
        break;
      if (IoError.is(r.err, "Canceled"))
        throw r.err;
      error = r.err;
      failed = from + r.count;
    } catch (e) {
      if (IoError.is(e, "Canceled") || !(e instanceof IoError || e instanceof BugError))
        throw e;
      error = e;
      failed = messages.findIndex((m, i) => i >= from && m.sent === undefined);
      if (failed < 0)
        break;
      sent += failed - from;
    }
    from = failed + 1;
  }
  return { sent, error };
}
var buffer = new Uint8Array(64 * 1024);
function receiveRound(io, socket, targets, order, group, roundEnd, servfailed) {
  const deadline = Timeout.deadline(new ClockTimestamp(new Timestamp(roundEnd), "boot"));
  while (group.some((q) => q.answer === null)) {
    const r = socket.receiveManyTimeout(io, 16, buffer, {}, deadline);
    for (const m of r.items) {
      const from = targets.findIndex((t) => IpAddress.eql(t, m.from));
      if (from < 0)
        continue;
      let resp;
      try {
        resp = parseResponse(m.data.slice());
      } catch {
        continue;
      }
      const q = group.find((p) => p.answer === null && p.id === resp.id && p.type === resp.questionType && sameName(resp.questionName, questionName(p)));
      if (q === undefined)
        continue;
      if (resp.rcode === Rcode.SERVFAIL) {
        const key = `${q.id}/${from}`;
        if (!servfailed.has(key)) {
          servfailed.add(key);
          sendQuietly(io, socket, [{ address: targets[from], data: q.bytes }]);
        }
        continue;
      }
      if (resp.rcode !== Rcode.NOERROR && resp.rcode !== Rcode.NXDOMAIN)
        continue;
      q.answer = resp.truncated ? tcpQuery(io, order[from], q, roundEnd) ?? resp : resp;
    }
    if (r.err !== null) {
      if (IoError.is(r.err, "Timeout"))
        return;
      if (IoError.is(r.err, "Canceled"))
        throw r.err;
    }
  }
}
var questionNames = new WeakMap;
function questionName(q) {
  let n = questionNames.get(q);
  if (n === undefined) {
    n = expand(q.bytes, 12).name.bytes;
    questionNames.set(q, n);
  }
  return n;
}
function tcpQuery(io, ns, q, final) {
  const deadline = Timeout.deadline(new ClockTimestamp(new Timestamp(final), "boot"));
  let stream;
  try {
    stream = ns.connect(io, { mode: "stream", timeout: deadline });
  } catch (e) {
    if (IoError.is(e, "Canceled"))
      throw e;
    return null;
  }
  try {
    const framed = new Uint8Array(2 + q.bytes.length);
    new DataView(framed.buffer).setUint16(0, q.bytes.length);
    framed.set(q.bytes, 2);
    stream.writeAll(io, framed);
    const head = readExactly(io, stream.socket, 2, deadline);
    const len = head[0] << 8 | head[1];
    const body = readExactly(io, stream.socket, len, deadline);
    const resp = parseResponse(body);
    if (resp.id !== q.id || resp.questionType !== q.type || !sameName(resp.questionName, questionName(q)))
      return null;
    if (resp.rcode !== Rcode.NOERROR && resp.rcode !== Rcode.NXDOMAIN)
      return null;
    return resp;
  } catch (e) {
    if (IoError.is(e, "Canceled"))
      throw e;
    return null;
  } finally {
    stream.close(io);
  }
}
function readExactly(io, socket, n, deadline) {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const m = socket.receiveTimeout(io, out.subarray(got), deadline);
    if (m.data.length === 0)
      throw new IoError("EndOfStream", {
        message: "EndOfStream: the name server closed the connection"
      });
    got += m.data.length;
  }
  return out;
}
function collect(name, queries) {
  const addresses = [];
  let canonical = name;
  for (const q of queries) {
    const resp = q.answer;
    if (resp === null || resp.rcode !== Rcode.NOERROR)
      continue;
    const owners = new Set([name.toLowerCase()]);
    let current = name;
    for (let hops = 0;hops < 16; hops++) {
      const c = resp.answers.find((a) => a.type === RecordType.CNAME && sameName(a.name, current));
      if (c === undefined)
        break;
      let target;
      try {
        target = expand(resp.packet, c.dataOffset).name.bytes;
      } catch (e) {
        throw new IoError("InvalidDnsCnameRecord", {
          message: `InvalidDnsCnameRecord: ${e.message}`,
          cause: e
        });
      }
      current = target;
      owners.add(target.toLowerCase());
    }
    if (current !== name)
      canonical = current;
    for (const a of resp.answers) {
      if (!owners.has(a.name.toLowerCase()))
        continue;
      if (a.type === RecordType.A && q.type === RecordType.A) {
        if (a.data.length !== 4)
          throw new IoError("InvalidDnsARecord", {
            message: `InvalidDnsARecord: ${a.data.length} bytes`
          });
        addresses.push(new Ip4Address(a.data.slice(), 0));
      } else if (a.type === RecordType.AAAA && q.type === RecordType.AAAA) {
        if (a.data.length !== 16)
          throw new IoError("InvalidDnsAAAARecord", {
            message: `InvalidDnsAAAARecord: ${a.data.length} bytes`
          });
        addresses.push(new Ip6Address(a.data.slice(), 0));
      }
    }
  }
  return addresses.length > 0 ? { kind: "found", addresses, canonical } : { kind: "notfound" };
}

// lib/threaded/lookup.ts
var hostsCache = new Map;
function hostsEntries(io, path) {
  let stamp;
  try {
    stamp = stampOf(Dir.cwd().statPath(io, path));
  } catch (e) {
    if (IoError.is(e, "FileNotFound", "NotDir", "AccessDenied"))
      return [];
    throw networkConfigError(e, path);
  }
  const cached = hostsCache.get(path);
  if (cached !== undefined && cached.stamp === stamp)
    return cached.entries;
  let file;
  try {
    file = Dir.cwd().openFile(io, path);
  } catch (e) {
    if (IoError.is(e, "FileNotFound", "NotDir", "AccessDenied"))
      return [];
    throw networkConfigError(e, path);
  }
  try {
    const stamp = stampOf(file.stat(io));
    const entries = parseHosts(readAllText(io, file));
    hostsCache.set(path, { stamp, entries });
    return entries;
  } catch (e) {
    throw networkConfigError(e, path);
  } finally {
    file.close(io);
  }
}
function stampOf(st) {
  return `${st.inode}/${st.size}/${st.mtime.nanoseconds}`;
}
function readAllText(io, file) {
  const chunks = [];
  for (;; ) {
    const chunk = new Uint8Array(64 * 1024);
    const n = file.readStreaming(io, chunk);
    if (n === 0)
      break;
    chunks.push(chunk.subarray(0, n));
  }
  return Buffer.concat(chunks).toString("latin1");
}
function networkConfigError(e, path) {
  if (IoError.is(e, "Canceled") || !(e instanceof IoError))
    return e;
  return new IoError("DetectingNetworkConfigurationFailed", {
    message: `DetectingNetworkConfigurationFailed: reading "${path}" failed (${e.code})`,
    cause: e,
    path
  });
}
var resolvCache = new Map;
function readResolvConf(path) {
  let stamp = "absent";
  try {
    const st = lazyFs().statSync(path);
    stamp = `${st.mtimeMs}/${st.size}/${st.ino}`;
  } catch {}
  const key = `${stamp}|${process.env.RES_OPTIONS ?? ""}|${process.env.LOCALDOMAIN ?? ""}`;
  const cached = resolvCache.get(path);
  if (cached !== undefined && cached.key === key)
    return cached.conf;
  const conf = parseResolvConfFile(path);
  resolvCache.set(path, { key, conf });
  return conf;
}
function parseResolvConfFile(path) {
  let text;
  try {
    text = lazyFs().readFileSync(path, "latin1");
  } catch (e) {
    const code = e.code;
    if (code === "ENOENT" || code === "ENOTDIR" || code === "EACCES")
      text = "";
    else
      throw new IoError("ResolvConfParseFailed", {
        message: `ResolvConfParseFailed: reading "${path}" failed`,
        cause: e,
        path
      });
  }
  return parse(text, process.env);
}
function withPort(a, port) {
  return a.family === "ip4" ? new Ip4Address(a.bytes, port) : new Ip6Address(a.bytes, port, a.flow, a.iface);
}
function familyOk(a, family) {
  return family === undefined || family === a.family;
}
function isLocalhost(name) {
  const n = name.replace(/\.$/, "").toLowerCase();
  return n === "localhost" || n.endsWith(".localhost");
}
function resolve(io, host, options) {
  const name = host.bytes;
  const port = options.port;
  const v6 = parseUnresolved(name);
  if (v6.kind === "success") {
    if (options.family === "ip4")
      throw unknown(name);
    const a = v6.interfaceName === null ? new Ip6Address(v6.bytes, port) : IpAddress.resolveIp6(io, name, port);
    return { addresses: [a], canonical: name };
  }
  if (/^[0-9.]+$/.test(name)) {
    try {
      const a = Ip4Address.parse(name, port);
      if (options.family === "ip6")
        throw unknown(name);
      return { addresses: [a], canonical: name };
    } catch (e) {
      if (IoError.is(e, "UnknownHostName"))
        throw e;
    }
  }
  const hit = lookupHosts(hostsEntries(io, options.hostsPath ?? "/etc/hosts"), name);
  if (hit !== null) {
    const addresses = hit.addresses.filter((a) => familyOk(a, options.family)).map((a) => withPort(a, port));
    if (addresses.length > 0)
      return { addresses, canonical: hit.canonical ?? name.replace(/\.$/, "") };
  }
  if (isLocalhost(name)) {
    const addresses = [];
    if (options.family !== "ip4")
      addresses.push(Ip6Address.loopback(port));
    if (options.family !== "ip6")
      addresses.push(Ip4Address.loopback(port));
    return { addresses, canonical: "localhost" };
  }
  const conf = readResolvConf(options.resolvConfPath ?? "/etc/resolv.conf");
  const nameservers = options.nameservers ?? conf.nameservers.map((ns, i) => {
    const scope = conf.scopes[i];
    return scope && ns.family === "ip6" ? IpAddress.resolveIp6(io, `${ns.host()}%${scope}`, ns.port) : ns;
  });
  const queryable = candidates(name, conf).filter((c) => c.length <= maxQueryLen);
  if (queryable.length === 0)
    throw new IoError("NameTooLong", {
      message: `NameTooLong: "${name}" is over the ${maxQueryLen} characters a DNS query can carry`
    });
  let serverFailed = false;
  let unsent;
  for (const candidate of queryable) {
    const r = exchange(io, candidate, nameservers, conf, options.family);
    if (r.kind === "found") {
      return { addresses: r.addresses.map((a) => withPort(a, port)), canonical: r.canonical };
    }
    if (r.kind === "failed") {
      serverFailed = true;
      unsent = r.unsent;
    }
  }
  if (serverFailed)
    throw new IoError("NameServerFailure", unsent === undefined ? { message: `NameServerFailure: no name server answered for "${name}"` } : {
      message: `NameServerFailure: no name server could be sent the query for "${name}" (${unsent.message})`,
      cause: unsent
    });
  throw unknown(name);
}
function unknown(name) {
  return new IoError("UnknownHostName", { message: `UnknownHostName: "${name}"` });
}
function candidates(name, conf) {
  if (name.endsWith("."))
    return [name.slice(0, -1)];
  const dots = name.split(".").length - 1;
  const searched = conf.search.map((d) => `${name}.${d.replace(/\.$/, "")}`);
  return dots >= conf.ndots ? [name, ...searched] : [...searched, name];
}
function netLookup(io, host, queue, options) {
  let end = null;
  try {
    const found = resolve(io, host, options);
    const canonicalName = HostName.init(found.canonical);
    for (const address of found.addresses)
      queue.putOne(io, { address });
    queue.putOne(io, { canonicalName });
  } catch (e) {
    end = asIoError(e);
  }
  queue.putOneUncancelable(io, { end });
}
function netLookupAll(io, host, options) {
  try {
    const found = resolve(io, host, options);
    return { addresses: found.addresses, canonicalName: HostName.init(found.canonical) };
  } catch (e) {
    throw asIoError(e);
  }
}
function asIoError(e) {
  return e instanceof IoError ? e : new IoError("Unexpected", { message: `Unexpected: ${e.message}`, cause: e });
}

// lib/threaded/net_unavailable.ts
var noUnix = () => new IoError("AddressFamilyUnsupported", {
  message: "AddressFamilyUnsupported: Unix sockets are not available through ioBasic()"
});
var down = () => new IoError("NetworkDown", {
  message: "NetworkDown: networking is not available through ioBasic()"
});
var unavailable = {
  netListenIp: () => {
    throw down();
  },
  netListenUnix: () => {
    throw noUnix();
  },
  netAccept: () => {
    throw down();
  },
  netBindIp: () => {
    throw down();
  },
  netConnectIp: () => {
    throw down();
  },
  netConnectUnix: () => {
    throw noUnix();
  },
  netClose: () => {
    throw new BugError("netClose through ioBasic(): no socket can have been opened with it");
  },
  netCloseListening: () => {
    throw new BugError("netCloseListening through ioBasic(): no socket can have been opened with it");
  },
  netShutdown: () => {
    throw new BugError("netShutdown through ioBasic(): no socket can have been opened with it");
  },
  netRead: () => {
    throw down();
  },
  netWrite: () => {
    throw down();
  },
  netSend: () => ({ err: down(), count: 0 }),
  netReceive: () => ({ err: down(), messages: [] }),
  netInterfaceNameResolve: () => {
    throw new IoError("InterfaceNotFound", {
      message: "InterfaceNotFound: networking is not available through ioBasic()"
    });
  },
  netInterfaceName: () => {
    throw new IoError("Unexpected", {
      message: "Unexpected: networking is not available through ioBasic()"
    });
  },
  netLookup: (t, _host, queue) => queue.putOneUncancelable(t.ioBasic(), { end: down() }),
  netLookupAll: () => {
    throw down();
  }
};

// lib/threaded/futures.ts
function runInline(io, fn, args) {
  fn = noteInline(io.sharedHeap(), fn);
  try {
    const value = fn(...args);
    if (value instanceof Promise) {
      const f = newFuture(io, 0, undefined, value);
      value.catch(() => nameIfUnseen(f, fn.name));
      return f;
    }
    return newFuture(io, 0, { ok: true, value });
  } catch (e) {
    const f = newFuture(io, 0, { ok: false, value: e });
    nameIfUnseen(f, fn.name);
    return f;
  }
}
function isOutOfMemory(e) {
  return e instanceof IoError && e.code === "OutOfMemory";
}
function async(t, io, fn, args) {
  let closure;
  try {
    closure = createClosure(t.heap, KIND_ASYNC, fn, args);
  } catch (e) {
    if (isOutOfMemory(e))
      return runInline(io, fn, args);
    throw e;
  }
  if (!dispatch(t.heap, closure, Pool.ASYNC_LIMIT, t.spawner, undefined, taskOf(t, closure))) {
    freeClosure(t.heap, closure);
    return runInline(io, fn, args);
  }
  return pending(t, io, closure);
}
var taskOf = (t, closure) => t.heap.u32[closure + Closure.TASK >> 2];
function pending(t, io, closure) {
  const heap = t.heap;
  if (dispatchedForHandOff(closure)) {
    const done = () => Atomics.load(heap.i32, closure + Closure.DONE >> 2) === IS_SET;
    const key = taskOf(t, closure);
    if (handOff(key, done, lastWakeAt())) {
      let o;
      try {
        o = finalize(t, closure);
      } catch (e) {
        o = { ok: false, value: e };
      }
      const f = settledFuture(io, o);
      if (!o.ok)
        nameIfUnseen(f, taskName(readKey(heap, key)));
      return f;
    }
    Atomics.store(heap.i32, closure + Closure.HANDED_OFF >> 2, 0);
  }
  holdTask(t, closure);
  return newFuture(io, closure, undefined, undefined, heap.generation(closure));
}
function concurrent(t, io, fn, args) {
  let closure;
  try {
    closure = createClosure(t.heap, KIND_ASYNC, fn, args);
  } catch (e) {
    if (isOutOfMemory(e))
      throw unavailableFor(e);
    throw e;
  }
  if (!dispatch(t.heap, closure, Pool.CONCURRENT_LIMIT, t.spawner, undefined, taskOf(t, closure))) {
    freeClosure(t.heap, closure);
    throw concurrencyUnavailable(t.heap);
  }
  return pending(t, io, closure);
}
function checkFuture(t, f) {
  const c = f.pendingClosure;
  if (c === 0)
    return;
  if (f.io.userdata === t && t.heap.u32[c - GEN_BEFORE_PAYLOAD >> 2] === f.gen)
    return;
  if (f.io.userdata !== t && heapOfFuture(f).sab !== t.heap.sab) {
    throw new BugError("Future belongs to another Threaded instance than the io it was used with");
  }
  if (!isLive(t.heap, c, f.gen)) {
    throw new BugError(t.heap.closed ? "Future used after its Threaded instance was deinitialized" : "Future used after it was awaited or canceled: its memory may now hold another task");
  }
}
function heapOfFuture(f) {
  try {
    return f.io.sharedHeap();
  } catch {
    throw new BugError("Future belongs to another Threaded instance than the io it was used with (its own is " + "deinitialized, or detached from this thread); use the future's own io");
  }
}
function finalize(t, closure) {
  releaseTask(t, closure);
  try {
    return readOutcome(t.heap, closure, t.reviver());
  } finally {
    freeClosure(t.heap, closure);
  }
}
var AWAIT_SPIN_ROUNDS = 8;
var awaitSite = new SpinSite;
function spinUntilDone(t, closure) {
  const busy = Atomics.load(t.heap.i32, PoolBlock.OFFSET + Pool.BUSY >> 2);
  spinAt(awaitSite, t.heap.i32, closure + Closure.DONE >> 2, UNSET, AWAIT_SPIN_ROUNDS, busy);
}
function waitDone(t, closure, cancelable) {
  const done = doneEvent(t.heap, closure);
  for (let r = 0;!done.waitBounded(reapCheckNs(r), cancelable); r++)
    reapRunnerOf(t.heap, closure, t.spawner);
}
function awaitFuture(t, f) {
  checkFuture(t, f);
  if (dispatchedToSleeper(f.closure))
    return withoutSpins(() => awaitDone(t, f));
  if (!inTask())
    spinUntilDone(t, f.closure);
  return awaitDone(t, f);
}
function awaitDone(t, f) {
  try {
    waitDone(t, f.closure, true);
  } catch (e) {
    if (!(e instanceof Canceled))
      throw e;
    requestCancel(t.heap, f.closure + Closure.CANCEL);
    waitDone(t, f.closure, false);
  }
  return collect2(t, f);
}
function cancelFuture(t, f) {
  checkFuture(t, f);
  requestCancel(t.heap, f.closure + Closure.CANCEL);
  waitDone(t, f.closure, false);
  return collect2(t, f);
}
function collect2(t, f) {
  if (!awaitingAsync(f))
    return finalize(t, f.closure);
  let o;
  try {
    o = readOutcome(t.heap, f.closure, t.reviver());
  } catch (e) {
    o = { ok: false, value: e };
  }
  settleFuture(f, o);
  return o;
}
function awaitFutureAsync(t, f) {
  return new Promise((resolve, reject) => {
    checkFuture(t, f);
    const closure = f.closure;
    const reap = () => reapRunnerOf(t.heap, closure, t.spawner);
    const forward = watchTaskCancel(() => requestCancel(t.heap, closure + Closure.CANCEL));
    const finish = (e) => {
      forward?.();
      if (e !== undefined)
        return reject(e);
      const kept = keptOutcome(f);
      if (kept !== undefined) {
        try {
          releaseTask(t, closure);
          freeClosure(t.heap, closure);
        } finally {
          resolve(kept);
        }
        return;
      }
      let o;
      try {
        o = finalize(t, closure);
      } catch (err) {
        o = { ok: false, value: err };
      }
      settleFuture(f, o);
      resolve(o);
    };
    const wait = () => onEventSet(t.heap, closure + Closure.DONE, reap, finish);
    if (!dispatchedToSleeper(closure))
      return wait();
    withoutSpins(wait);
  });
}
function isDone(t, f) {
  checkFuture(t, f);
  const c = f.pendingClosure;
  return c !== 0 && doneEvent(t.heap, c).isSet();
}
function requestFutureCancel(t, f) {
  checkFuture(t, f);
  const c = f.pendingClosure;
  if (c !== 0)
    requestCancel(t.heap, c + Closure.CANCEL);
}
function register(t, futures, event) {
  const i32 = t.heap.i32;
  for (let i = 0;i < futures.length; i++) {
    const c = futures[i].pendingClosure;
    if (c === 0) {
      unregister(t, futures, i);
      return i;
    }
    if (Atomics.exchange(i32, c + Closure.SELECT >> 2, event) === SELECT_DONE) {
      Atomics.store(i32, c + Closure.SELECT >> 2, SELECT_DONE);
      unregister(t, futures, i);
      return i;
    }
  }
  return -1;
}
function unregister(t, futures, n) {
  const i32 = t.heap.i32;
  let first = -1;
  for (let i = 0;i < n; i++) {
    const c = futures[i].pendingClosure;
    if (c === 0) {
      if (first < 0)
        first = i;
      continue;
    }
    const prev = Atomics.exchange(i32, c + Closure.SELECT >> 2, 0);
    if (prev === SELECT_DONE) {
      Atomics.store(i32, c + Closure.SELECT >> 2, SELECT_DONE);
      doneEvent(t.heap, c).waitUncancelable();
      if (first < 0)
        first = i;
    }
  }
  return first;
}
function reapRunners(t, futures, event) {
  for (const f of futures) {
    const c = f.pendingClosure;
    if (c === 0)
      continue;
    reapRunnerOf(t.heap, c, t.spawner);
    if (doneEvent(t.heap, c).isSet())
      event.set();
  }
}
function check(t, futures) {
  if (!Array.isArray(futures))
    throw new TypeError(`select takes an array of futures, not ${describe2(futures)}`);
  if (futures.length === 0)
    throw new RangeError("select needs at least one future");
  for (let i = 0;i < futures.length; i++) {
    const f = futures[i];
    if (!(f instanceof Future))
      throw new TypeError(`select: item ${i} is ${describe2(f)}, not a Future (io.async or io.concurrent)`);
    checkFuture(t, f);
  }
}
function select(t, futures) {
  check(t, futures);
  const heap = t.heap;
  const ev = heap.allocZeroed(ResetEventLayout.BYTES);
  try {
    const ready = register(t, futures, ev);
    if (ready >= 0)
      return ready;
    let canceled;
    try {
      const event = embeddedResetEvent(heap, ev);
      traceWaitSite(WaitSite.SELECT);
      for (let r = 0;!event.waitBounded(reapCheckNs(r)); r++)
        reapRunners(t, futures, event);
    } catch (e) {
      canceled = e;
    }
    traceWaitSite(WaitSite.NONE);
    const first = unregister(t, futures, futures.length);
    if (canceled !== undefined)
      throw canceled;
    return first;
  } finally {
    heap.free(ev);
  }
}
async function selectAsync(t, futures) {
  check(t, futures);
  const heap = t.heap;
  const ev = heap.allocZeroed(ResetEventLayout.BYTES);
  try {
    const ready = register(t, futures, ev);
    if (ready >= 0)
      return ready;
    const event = embeddedResetEvent(heap, ev);
    try {
      await event.waitAsync(() => reapRunners(t, futures, event));
    } catch (e) {
      unregister(t, futures, futures.length);
      throw e;
    }
    return unregister(t, futures, futures.length);
  } finally {
    heap.free(ev);
  }
}

// lib/threaded/groups.ts
var pendingHere = new Map;
function stateIndex(g) {
  return g.ref + GroupLayout.STATE >> 2;
}
function linkLocked(t, g, record, pending) {
  const u32 = t.heap.u32;
  u32[record + Closure.SIBLING >> 2] = u32[g.ref + GroupLayout.TOKEN >> 2];
  u32[g.ref + GroupLayout.TOKEN >> 2] = record;
  if (pending)
    Atomics.add(t.heap.i32, stateIndex(g), GROUP_ONE_PENDING);
}
function link(t, g, record, pending) {
  lockPool(t.heap);
  try {
    linkLocked(t, g, record, pending);
  } finally {
    unlockPool(t.heap);
  }
}
function runMemberInline(t, g, fn, args) {
  fn = noteInline(t.heap, fn);
  let returned;
  try {
    returned = fn(...args);
  } catch (e) {
    if (!isInstance(e, Canceled))
      recordInlineError(t, g, e);
    return;
  }
  try {
    if (!isThenable(returned))
      return;
  } catch (e) {
    recordInlineError(t, g, e);
    return;
  }
  const heap = t.heap;
  let record;
  try {
    record = createInlineRecord(heap, g.ref);
  } catch (e) {
    throw new IoError("OutOfMemory", {
      message: "OutOfMemory: no heap for a group member",
      cause: e
    });
  }
  link(t, g, record, true);
  let mine = pendingHere.get(heap);
  if (mine === undefined)
    pendingHere.set(heap, mine = new Set);
  mine.add(record);
  const settle = (ok, value) => {
    mine.delete(record);
    const failed = !ok && !isInstance(value, Canceled);
    writeMemberOutcome(heap, record, ok || !failed, value);
    publishMember(heap, record, failed);
  };
  new Promise((resolve) => resolve(returned)).then((v) => settle(true, v), (e) => settle(false, e));
}
function recordInlineError(t, g, e) {
  let record;
  try {
    record = createInlineRecord(t.heap, g.ref);
    writeMemberOutcome(t.heap, record, false, e);
  } catch {
    throw e;
  }
  doneEvent(t.heap, record).set();
  link(t, g, record, false);
}
function groupAsync(t, g, fn, args) {
  let closure;
  try {
    closure = createClosure(t.heap, KIND_GROUP, fn, args, g.ref);
  } catch (e) {
    if (e instanceof IoError && e.code === "OutOfMemory")
      return runMemberInline(t, g, fn, args);
    throw e;
  }
  if (!dispatch(t.heap, closure, Pool.ASYNC_LIMIT, t.spawner, () => linkLocked(t, g, closure, true))) {
    freeClosure(t.heap, closure);
    runMemberInline(t, g, fn, args);
    return;
  }
  holdGroup(t, g.ref);
}
function groupConcurrent(t, g, fn, args) {
  let closure;
  try {
    closure = createClosure(t.heap, KIND_GROUP, fn, args, g.ref);
  } catch (e) {
    if (e instanceof IoError && e.code === "OutOfMemory")
      throw unavailableFor(e);
    throw e;
  }
  if (!dispatch(t.heap, closure, Pool.CONCURRENT_LIMIT, t.spawner, () => linkLocked(t, g, closure, true))) {
    freeClosure(t.heap, closure);
    throw concurrencyUnavailable(t.heap);
  }
  holdGroup(t, g.ref);
}
function forEachMember(t, g, f) {
  for (let c = t.heap.u32[g.ref + GroupLayout.TOKEN >> 2];c !== 0; ) {
    const next = t.heap.u32[c + Closure.SIBLING >> 2];
    f(c);
    c = next;
  }
}
function cancelMembers(t, g) {
  lockPool(t.heap);
  try {
    forEachMember(t, g, (c) => {
      if (t.heap.u32[c + Closure.KIND >> 2] === KIND_GROUP && !doneEvent(t.heap, c).isSet())
        requestCancel(t.heap, c + Closure.CANCEL);
    });
  } finally {
    unlockPool(t.heap);
  }
}
function groupRequestCancel(t, g) {
  cancelMembers(t, g);
}
function reapMembers(t, g) {
  forEachMember(t, g, (c) => {
    if (t.heap.u32[c + Closure.KIND >> 2] === KIND_GROUP)
      reapRunnerOf(t.heap, c, t.spawner);
  });
}
function collect3(t, g, errors) {
  const heap = t.heap;
  const u32 = heap.u32;
  const done = [];
  lockPool(heap);
  try {
    let prev = 0;
    for (let c = u32[g.ref + GroupLayout.TOKEN >> 2];c !== 0; ) {
      const next = u32[c + Closure.SIBLING >> 2];
      if (doneEvent(heap, c).isSet()) {
        if (prev === 0)
          u32[g.ref + GroupLayout.TOKEN >> 2] = next;
        else
          u32[prev + Closure.SIBLING >> 2] = next;
        done.push(c);
      } else
        prev = c;
      c = next;
    }
  } finally {
    unlockPool(heap);
  }
  const revive = t.reviver();
  for (const c of done) {
    const o = readOutcome(heap, c, revive);
    if (!o.ok && !(o.value instanceof Canceled))
      errors.push(o.value);
    freeClosure(heap, c);
  }
}
function drained(t, g) {
  return Atomics.load(t.heap.i32, stateIndex(g)) >>> 1 === 0 && t.heap.u32[g.ref + GroupLayout.TOKEN >> 2] === 0;
}
function announceWaiter(t, g) {
  const prev = Atomics.or(t.heap.i32, stateIndex(g), GROUP_IS_WAITING);
  if (prev & GROUP_IS_WAITING)
    throw new BugError("Group is already being waited on");
}
function retire2(t, g, errors, pending) {
  releaseGroup(t, g.ref);
  Atomics.and(t.heap.i32, stateIndex(g), ~GROUP_IS_WAITING);
  Atomics.store(t.heap.i32, g.ref + GroupLayout.ERRORS >> 2, 0);
  let failure = undefined;
  if (errors.length === 1)
    failure = errors[0];
  if (errors.length > 1)
    failure = new AggregateError(errors, `${errors.length} group members failed`);
  if (pending !== undefined) {
    pending.finished = { failed: errors.length > 0, failure };
    forgetPending(t, g, pending);
  }
  if (errors.length > 0)
    throw failure;
}
var pendingWaits = new WeakMap;
function pendingWaitOf(t, g) {
  return pendingWaits.get(t.heap)?.get(g.ref);
}
function forgetPending(t, g, pending) {
  const m = pendingWaits.get(t.heap);
  if (m?.get(g.ref) === pending)
    m.delete(g.ref);
}
function refuseOwnPendingPromises(t, g) {
  const mine = pendingHere.get(t.heap);
  if (mine === undefined || mine.size === 0)
    return;
  let found = false;
  forEachMember(t, g, (c) => found ||= mine.has(c));
  if (found) {
    throw new BugError("A group member that ran inline on this thread returned a promise that has not settled: " + "a blocking wait or cancel cannot wait for it; use `await group.waitAsync(io)`");
  }
}
function refuseOwnMember(t, g, call) {
  const u32 = t.heap.u32;
  const mine = inTaskWhere(t.heap, (word) => {
    const c = word - Closure.CANCEL;
    return u32[c + Closure.KIND >> 2] === KIND_GROUP && u32[c + Closure.GROUP >> 2] === g.ref;
  });
  if (mine) {
    throw new BugError(`group.${call} called by one of the group's own members: it would wait for itself. ` + "A member may add members and requestCancel; the owner waits");
  }
}
function drain(t, g, canceling) {
  refuseOwnMember(t, g, canceling ? "cancel" : "wait");
  refuseOwnPendingPromises(t, g);
  const pending = pendingWaitOf(t, g);
  if (pending === undefined)
    announceWaiter(t, g);
  const errors = pending?.errors ?? [];
  const i32 = t.heap.i32;
  const off = g.ref + GroupLayout.STATE;
  let round = 0;
  try {
    for (;; ) {
      if (canceling)
        cancelMembers(t, g);
      for (;; ) {
        const s = Atomics.load(i32, off >> 2);
        if (s >>> 1 === 0)
          break;
        try {
          if (!futexWaitTimeout(t.heap, off, s, reapCheckNs(round), !canceling)) {
            round++;
            reapMembers(t, g);
          }
        } catch (e) {
          if (!(e instanceof Canceled))
            throw e;
          canceling = true;
          cancelMembers(t, g);
        }
      }
      collect3(t, g, errors);
      if (drained(t, g))
        break;
      refuseOwnPendingPromises(t, g);
    }
  } catch (e) {
    if (pending === undefined)
      Atomics.and(i32, off >> 2, ~GROUP_IS_WAITING);
    throw e;
  }
  retire2(t, g, errors, pending);
}
function groupWait(t, g) {
  drain(t, g, false);
}
function groupCancel(t, g) {
  drain(t, g, true);
}
async function groupWaitAsync(t, g) {
  refuseOwnMember(t, g, "waitAsync");
  announceWaiter(t, g);
  const pending = { errors: [] };
  let m = pendingWaits.get(t.heap);
  if (m === undefined)
    pendingWaits.set(t.heap, m = new Map);
  m.set(g.ref, pending);
  const i32 = t.heap.i32;
  const off = g.ref + GroupLayout.STATE;
  let canceling = false;
  const forward = watchTaskCancel(() => {
    canceling = true;
    cancelMembers(t, g);
  });
  try {
    for (;; ) {
      for (;; ) {
        if (pending.finished !== undefined)
          break;
        const s = Atomics.load(i32, off >> 2);
        if (s >>> 1 === 0)
          break;
        if (canceling)
          cancelMembers(t, g);
        await futexWaitAsync(t.heap, off, s, () => reapMembers(t, g));
      }
      const done = pending.finished;
      if (done !== undefined) {
        if (done.failed)
          throw done.failure;
        return;
      }
      collect3(t, g, pending.errors);
      if (drained(t, g))
        break;
    }
  } catch (e) {
    if (pending.finished === undefined) {
      forgetPending(t, g, pending);
      Atomics.and(i32, off >> 2, ~GROUP_IS_WAITING);
    }
    throw e;
  } finally {
    forward?.();
  }
  retire2(t, g, pending.errors, pending);
}

// lib/threaded/sync.ts
function mutexLock(_t, prev, m) {
  lockSlow(m.heap, m.ref, prev, true);
}
function mutexLockUncancelable(_t, prev, m) {
  lockSlow(m.heap, m.ref, prev, false);
}
function mutexUnlock(_t, _prev, m) {
  unlockSlow(m.heap, m.ref);
}
function conditionWaitWith(io, cond, mutex, cancelable) {
  const heap = cond.heap;
  const i32 = heap.i32;
  const s = cond.stateOffset >> 2;
  const epochOff = cond.epochOffset;
  let epoch = Atomics.load(i32, epochOff >> 2);
  const before = Atomics.add(i32, s, ONE_WAITER);
  if ((before & WAITER_MASK) === WAITER_MASK) {
    giveBackWaiter(i32, s);
    throw new Error("Condition has 65535 waiters");
  }
  try {
    mutex.unlock(io);
  } catch (e) {
    giveBackWaiter(i32, s);
    throw e;
  }
  try {
    for (;; ) {
      if (cancelable) {
        try {
          futexWait(heap, epochOff, epoch);
        } catch (e) {
          if (e instanceof Canceled)
            giveBackWaiter(i32, s);
          throw e;
        }
      } else {
        futexWaitUncancelable(heap, epochOff, epoch);
      }
      epoch = Atomics.load(i32, epochOff >> 2);
      let state = Atomics.load(i32, s);
      while (state >>> 16 !== 0) {
        const prev = Atomics.compareExchange(i32, s, state, state - ONE_WAITER - ONE_SIGNAL);
        if (prev === state)
          return;
        state = prev;
      }
    }
  } finally {
    mutex.lockUncancelable(io);
  }
}
function conditionWake(_t, cond, wake) {
  const i32 = cond.heap.i32;
  const s = cond.stateOffset >> 2;
  let state = Atomics.load(i32, s);
  for (;; ) {
    const waiters = state & WAITER_MASK;
    const signals = state >>> 16;
    const wakeable = waiters - signals;
    if (wakeable <= 0)
      return;
    const toWake = wake === "one" ? 1 : wakeable;
    const prev = Atomics.compareExchange(i32, s, state, state + ONE_SIGNAL * toWake);
    if (prev === state) {
      Atomics.add(i32, cond.epochOffset >> 2, 1);
      futexWake(cond.heap, cond.epochOffset, toWake, "owe");
      return;
    }
    state = prev;
  }
}

// lib/threaded/time.ts
var clockIds = {
  real: C.CLOCK_REALTIME,
  awake: C.CLOCK_UPTIME_RAW ?? C.CLOCK_MONOTONIC,
  boot: C.CLOCK_BOOTTIME ?? C.CLOCK_MONOTONIC_RAW ?? C.CLOCK_MONOTONIC,
  cpu_process: C.CLOCK_PROCESS_CPUTIME_ID,
  cpu_thread: C.CLOCK_THREAD_CPUTIME_ID
};
function clockId(clock) {
  const id = clockIds[clock];
  if (id === undefined)
    throw new IoError("UnsupportedClock", { message: `UnsupportedClock: "${clock}"` });
  return id;
}
var nowErrors = {
  EINVAL: "UnsupportedClock",
  EFAULT: "Unexpected"
};
var sleepErrors = nowErrors;
var scratch3 = new BigInt64Array(new ArrayBuffer(16));
var NS_PER_S2 = 1000000000n;
var FOREVER_STEP_S = 1000000000n;
var MAX_TIMESPEC_NS = ((1n << 63n) - 1n) * NS_PER_S2;
function now(clock) {
  const id = clockId(clock);
  syscall(nowErrors, "clock_gettime", () => shim().tio_clock_gettime(id, scratch3), undefined, false);
  return new Timestamp(scratch3[0] * NS_PER_S2 + scratch3[1]);
}
function setScratch(ns) {
  const clamped = ns < 0n ? 0n : ns;
  scratch3[0] = clamped / NS_PER_S2;
  scratch3[1] = clamped % NS_PER_S2;
}
function sleep(timeout) {
  const s = shim();
  checkCancel();
  switch (timeout.kind) {
    case "none":
      return sleepForever(clockId("awake"));
    case "duration": {
      const d = timeout.asDuration;
      const id = clockId(d.clock);
      if (d.raw.nanoseconds > MAX_TIMESPEC_NS)
        return sleepForever(id);
      setScratch(d.raw.nanoseconds);
      syscall(sleepErrors, "clock_nanosleep", () => s.tio_sleep(id, 0, scratch3));
      return;
    }
    case "deadline": {
      const t = timeout.asDeadline;
      const id = clockId(t.clock);
      if (t.raw.nanoseconds > MAX_TIMESPEC_NS)
        return sleepForever(id);
      if (have.clockNanosleep) {
        setScratch(t.raw.nanoseconds);
        syscall(sleepErrors, "clock_nanosleep", () => s.tio_sleep(id, 1, scratch3));
        return;
      }
      syscall(sleepErrors, "nanosleep", () => {
        setScratch(now(t.clock).durationTo(t.raw).nanoseconds);
        return s.tio_sleep(id, 0, scratch3);
      });
      return;
    }
  }
}
function sleepForever(id) {
  const s = shim();
  for (;; ) {
    scratch3[0] = FOREVER_STEP_S;
    scratch3[1] = 0n;
    syscall(sleepErrors, "clock_nanosleep", () => s.tio_sleep(id, 0, scratch3));
  }
}

// lib/threaded/stats.ts
var word = (heap, field) => Atomics.load(heap.i32, PoolBlock.OFFSET + field >> 2);
function readStats(heap) {
  const live = Math.max(0, word(heap, Pool.POOL_SIZE));
  const queued = Math.max(0, word(heap, Pool.QUEUED));
  const busy = Math.min(live, Math.max(0, word(heap, Pool.BUSY) - queued));
  const h = heap.stats();
  return {
    threads: {
      live,
      busy,
      idle: live - busy,
      spawnedTotal: word(heap, Pool.SPAWNED_TOTAL) >>> 0
    },
    tasks: {
      queued,
      pool: word(heap, Pool.DISPATCHED_TOTAL) >>> 0,
      inline: word(heap, Pool.INLINE_TOTAL) >>> 0
    },
    cancels: {
      requested: word(heap, Pool.CANCELS_REQUESTED) >>> 0,
      signaled: word(heap, Pool.CANCEL_SIGNALS) >>> 0,
      delivered: word(heap, Pool.CANCELS_DELIVERED) >>> 0
    },
    heap: { inUse: h.liveBytes, reserved: h.capacity, max: h.maxCapacity }
  };
}

// lib/threaded/trace_writer.ts
function startTrace(heap, options = {}, atInit = false) {
  checkTraceOptions(options, atInit);
  const events = options.events ?? (traceCapacity(heap) || DEFAULT_TRACE_EVENTS);
  if (tracing(heap))
    throw new Error("A trace is already running: stop it first");
  startTracing(heap, events);
}
var TRACE_OPTION_NAMES = optionNames({ events: true });
var INIT_TRACE_OPTION_NAMES = optionNames({
  events: true,
  path: true
});
function checkTraceOptions(options, atInit = false) {
  if (atInit)
    checkOptions(options, "Threaded.init({ trace })", INIT_TRACE_OPTION_NAMES);
  else
    checkOptions(options, "startTrace", TRACE_OPTION_NAMES);
  const events = options.events;
  if (events !== undefined && (!Number.isInteger(events) || events < 16 || events > MAX_TRACE_EVENTS))
    throw new RangeError(`Trace ring size "${events}" is not a count of events in [16, ${MAX_TRACE_EVENTS}]`);
}
function stopTrace(heap, path) {
  if (path !== undefined)
    checkTracePathType(path);
  if (!tracing(heap))
    throw new Error("No trace is running: call startTrace() first");
  if (path !== undefined)
    checkTracePath(path);
  const dir = stopTracing(heap);
  if (dir === 0)
    throw new Error("No trace is running: call startTrace() first");
  const trace = collect4(heap, dir);
  if (path !== undefined) {
    try {
      lazyFs().writeFileSync(path, JSON.stringify(trace));
    } catch (e) {
      throw fileError(e, path, "write");
    }
  }
  const { recorded, dropped } = trace.otherData;
  return path === undefined ? { trace, recorded, dropped } : { trace, recorded, dropped, path };
}
function checkTracePath(path) {
  checkTracePathType(path);
  try {
    const f = lazyFs();
    f.closeSync(f.openSync(path, "a"));
  } catch (e) {
    throw fileError(e, path, "open");
  }
}
function checkTracePathType(path) {
  if (typeof path !== "string" || path === "")
    throw new TypeError(`Trace path "${String(path)}" is not a file path`);
}
function fileError(e, path, syscall) {
  const errno = E[e.code];
  return errno === undefined ? e : errnoError(openFileErrors, errno, syscall, path);
}
function readRings(heap, dir) {
  const u32 = heap.u32;
  const f64 = heap.f64;
  const session = u32[dir + TraceDirLayout.SESSION >> 2];
  const capacity = u32[dir + TraceDirLayout.CAPACITY >> 2];
  const lanes = [];
  let recorded = 0;
  let dropped = 0;
  for (let i = 0;i < ThreadTable.MAX_THREADS; i++) {
    const r = Atomics.load(u32, dir + TraceDirLayout.RINGS + i * 4 >> 2);
    if (r === 0 || Atomics.load(u32, r + TraceRingLayout.SESSION >> 2) !== session)
      continue;
    const count = Atomics.load(u32, r + TraceRingLayout.COUNT >> 2);
    const first = Math.max(0, count - capacity);
    const events = [];
    for (let n = first;n < count; n++) {
      const e = r + TraceRingLayout.EVENTS + n % capacity * TraceRingLayout.EVENT_BYTES;
      events.push({
        tid: i + 1,
        ts: f64[e + TraceRingLayout.TS >> 3],
        dur: f64[e + TraceRingLayout.DUR >> 3],
        kind: u32[e + TraceRingLayout.KIND >> 2],
        a0: u32[e + TraceRingLayout.A0 >> 2],
        a1: u32[e + TraceRingLayout.A1 >> 2],
        a2: u32[e + TraceRingLayout.A2 >> 2]
      });
    }
    const after = Atomics.load(u32, r + TraceRingLayout.COUNT >> 2);
    const overwritten = Math.max(0, Math.min(count, after - capacity) - first);
    events.splice(0, overwritten);
    recorded += events.length;
    dropped += first + overwritten;
    if (events.length > 0)
      lanes.push({ tid: i + 1, pool: u32[r + TraceRingLayout.POOL_THREAD >> 2] === 1, events });
  }
  return { lanes, recorded, dropped };
}
var FLOW_SLACK_NS = 2000;
var P3 = PoolBlock.OFFSET;
var waitNames = new Map([
  [P3 + Pool.WORK_SEQ, "idle (waiting for work)"],
  [P3 + Pool.LIVE, "join (waiting for threads to leave)"],
  [P3 + Pool.LOCK, "pool lock"],
  [Header.LOCK, "heap lock"]
]);
var ioNames = {
  [IoOp.LOOKUP]: "lookup",
  [IoOp.CONNECT]: "connect",
  [IoOp.ACCEPT]: "accept",
  [IoOp.READ]: "read"
};
function collect4(heap, dir) {
  const { lanes, recorded, dropped } = readRings(heap, dir);
  const start = heap.f64[dir + TraceDirLayout.START_NS >> 3];
  const pid = process.pid;
  const us = (ns) => Math.round((ns - start) / 10) / 100;
  const names = new Map;
  const name = (key) => {
    if (key === 0)
      return "inline function";
    let n = names.get(key);
    if (n === undefined)
      names.set(key, n = taskName(readKey(heap, key)));
    return n;
  };
  const out = [
    { name: "process_name", ph: "M", ts: 0, pid, tid: 0, args: { name: "threaded-io" } }
  ];
  let end = start;
  for (const lane of lanes)
    for (const e of lane.events)
      end = Math.max(end, e.ts + e.dur);
  const dispatches = new Map;
  const keyOf = new Map;
  const groups = new Set;
  for (const lane of lanes)
    for (const e of lane.events)
      if (e.kind === TraceKind.DISPATCH) {
        let list = dispatches.get(e.a1);
        if (list === undefined)
          dispatches.set(e.a1, list = []);
        list.push({ ts: e.ts, tid: e.tid });
        keyOf.set(e.a1, e.a0);
        if (e.a2 !== 0)
          groups.add(e.a2 + GroupLayout.STATE);
      }
  for (const list of dispatches.values())
    list.sort((a, b) => a.ts - b.ts);
  let flowId = 0;
  const waitName = (off, prefix, site = 0) => {
    if (site === WaitSite.SELECT)
      return "select";
    if (site === WaitSite.QUEUE)
      return "queue wait";
    const known = waitNames.get(off);
    if (known !== undefined)
      return prefix + known;
    if (groups.has(off))
      return `${prefix}group wait`;
    const key = keyOf.get(off - Closure.DONE);
    if (key !== undefined)
      return `${prefix}await ${name(key)}`;
    return prefix === "" ? "futex wait" : "wake futex";
  };
  for (const lane of lanes) {
    const tid = lane.tid;
    out.push({
      name: "thread_name",
      ph: "M",
      ts: 0,
      pid,
      tid,
      args: { name: lane.pool ? `tio-pool-${tid}` : `thread ${tid}` }
    });
    out.push({ name: "thread_sort_index", ph: "M", ts: 0, pid, tid, args: { sort_index: tid } });
    let open = null;
    for (const e of lane.events) {
      if (e.ts < start)
        continue;
      const ts = us(e.ts);
      const dur = Math.round(e.dur / 10) / 100;
      switch (e.kind) {
        case TraceKind.DISPATCH:
          out.push({
            name: `dispatch ${name(e.a0)}`,
            cat: "dispatch",
            ph: "i",
            s: "t",
            ts,
            pid,
            tid
          });
          break;
        case TraceKind.TASK_START: {
          open = e;
          const list = dispatches.get(e.a1);
          let from;
          while (list !== undefined && list.length > 0 && list[0].ts <= e.ts + FLOW_SLACK_NS)
            from = list.shift();
          if (from !== undefined) {
            const id = ++flowId;
            out.push({
              name: "task",
              cat: "flow",
              ph: "s",
              id,
              ts: us(from.ts),
              pid,
              tid: from.tid
            });
            out.push({ name: "task", cat: "flow", ph: "f", bp: "e", id, ts, pid, tid });
          }
          break;
        }
        case TraceKind.TASK_END:
          if (open !== null && open.a1 === e.a1) {
            out.push({
              name: name(open.a0),
              cat: "task",
              ph: "X",
              ts: us(open.ts),
              dur: Math.round((e.ts - open.ts) / 10) / 100,
              pid,
              tid
            });
          }
          open = null;
          break;
        case TraceKind.INLINE:
          out.push({ name: name(e.a0), cat: "inline", ph: "X", ts, dur, pid, tid });
          break;
        case TraceKind.SPAWN:
          out.push({ name: "spawn thread", cat: "thread", ph: "i", s: "t", ts, pid, tid });
          break;
        case TraceKind.THREAD_START:
          out.push({ name: "thread start", cat: "thread", ph: "i", s: "t", ts, pid, tid });
          break;
        case TraceKind.THREAD_EXIT:
          out.push({ name: "thread exit", cat: "thread", ph: "i", s: "t", ts, pid, tid });
          break;
        case TraceKind.CANCEL_REQUEST:
          out.push({
            name: "cancel requested",
            cat: "cancel",
            ph: "i",
            s: "t",
            ts,
            pid,
            tid,
            args: { runningOn: e.a0 }
          });
          break;
        case TraceKind.CANCEL_SIGNAL:
          out.push({
            name: "cancel signal sent",
            cat: "cancel",
            ph: "i",
            s: "t",
            ts,
            pid,
            tid,
            args: { to: e.a0 }
          });
          break;
        case TraceKind.CANCELED:
          out.push({ name: "Canceled raised", cat: "cancel", ph: "i", s: "t", ts, pid, tid });
          break;
        case TraceKind.FUTEX_WAIT:
          out.push({
            name: waitName(e.a0, "", e.a1),
            cat: "wait",
            ph: "X",
            ts,
            dur,
            pid,
            tid,
            args: { word: e.a0 }
          });
          break;
        case TraceKind.FUTEX_WAKE:
          out.push({
            name: waitName(e.a0, "wake "),
            cat: "wake",
            ph: "i",
            s: "t",
            ts,
            pid,
            tid,
            args: { word: e.a0, count: e.a1 }
          });
          break;
        case TraceKind.IO:
          out.push({
            name: ioNames[e.a0] ?? "io",
            cat: "io",
            ph: "X",
            ts,
            dur,
            pid,
            tid,
            args: { failed: e.a1 === 1 }
          });
          break;
      }
    }
    if (open !== null) {
      out.push({
        name: name(open.a0),
        cat: "task",
        ph: "X",
        ts: us(open.ts),
        dur: Math.round((end - open.ts) / 10) / 100,
        pid,
        tid,
        args: { unfinished: true }
      });
    }
  }
  return {
    traceEvents: out,
    displayTimeUnit: "ns",
    otherData: {
      clock: "awake",
      recorded,
      dropped,
      ringEvents: heap.u32[dir + TraceDirLayout.CAPACITY >> 2],
      threads: lanes.length
    }
  };
}

// lib/threaded/trace_io.ts
function timed(op, f) {
  return (t, a, b, c) => {
    if (!tracing(t.heap))
      return f(t, a, b, c);
    const start = traceNow();
    let failed = true;
    try {
      const r = f(t, a, b, c);
      failed = false;
      return r;
    } finally {
      traceIo(t.heap, op, start, failed);
    }
  };
}
function withIoTracing(v) {
  return {
    ...v,
    netLookup: timed(IoOp.LOOKUP, v.netLookup),
    netLookupAll: timed(IoOp.LOOKUP, v.netLookupAll),
    netConnectIp: timed(IoOp.CONNECT, v.netConnectIp),
    netConnectUnix: timed(IoOp.CONNECT, v.netConnectUnix),
    netAccept: timed(IoOp.ACCEPT, v.netAccept),
    netRead: timed(IoOp.READ, v.netRead)
  };
}

// lib/threaded/after_deinit.ts
function deinitialized(name) {
  return new BugError(`io.${name}: this io's Threaded instance is deinitialized (threaded.deinit() was called)` + (name === "sharedHeap" ? ": a Group, Mutex, Condition, ResetEvent or Queue cannot be made or used with it" : ""));
}
function joined(t, f) {
  const c = f.pendingClosure;
  const heap = t.heap;
  return f.io.userdata === t && c !== 0 && heap.closed && heap.u32[c - GEN_BEFORE_PAYLOAD >> 2] === f.gen && Atomics.load(heap.i32, c + Closure.DONE >> 2) === IS_SET;
}
function served(t, f) {
  return f.io.userdata === t && !t.heap.closed;
}
var CALLS = {
  await: "future.await",
  cancel: "future.cancel",
  awaitAsync: "await future",
  isDone: "future.settled",
  requestCancel: "future.requestCancel"
};
function unanswered(t, f, name) {
  if (f.io.userdata !== t)
    return new BugError(`${CALLS[name] ?? `io.${name}`}: the Future belongs to another Threaded instance than ` + "the io it was used with (this io's instance is deinitialized); use the future's own io");
  return deinitialized(name);
}
function kept(t, f, name) {
  if (!joined(t, f))
    throw unanswered(t, f, name);
  return finalize(t, f.pendingClosure);
}
function retiredVtable(live) {
  const vtable = Object.fromEntries(Object.keys(live).map((name) => [
    name,
    () => {
      throw deinitialized(name);
    }
  ]));
  return {
    ...vtable,
    await: (t, f) => served(t, f) ? live.await(t, f) : kept(t, f, "await"),
    cancel: (t, f) => served(t, f) ? live.cancel(t, f) : kept(t, f, "cancel"),
    awaitAsync: (t, f) => {
      if (served(t, f))
        return live.awaitAsync(t, f);
      try {
        return Promise.resolve(kept(t, f, "awaitAsync"));
      } catch (e) {
        return Promise.reject(e);
      }
    },
    isDone: (t, f) => {
      if (served(t, f))
        return live.isDone(t, f);
      if (!joined(t, f))
        throw unanswered(t, f, "isDone");
      return true;
    },
    requestCancel: (t, f) => {
      if (served(t, f))
        return live.requestCancel(t, f);
      if (!joined(t, f))
        throw unanswered(t, f, "requestCancel");
    }
  };
}

// lib/threaded/options.ts
var DEFAULT_IDLE_TIMEOUT_MS = 1e4;
function toLimit(name, v) {
  if (v === Infinity)
    return UNLIMITED;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= 4294967295)
    throw new RangeError(`${name} "${String(v)}" is not a count of threads (a whole number from 0 to 4294967294, or Infinity)`);
  return v | 0;
}
var OPTION_NAMES = optionNames({
  asyncLimit: true,
  concurrentLimit: true,
  heapBytes: true,
  maxHeapBytes: true,
  idleTimeout: true,
  trace: true
});
function checkOptionNames(options) {
  if (options === undefined)
    throw new TypeError("Threaded.init takes an options object, not undefined");
  checkOptions(options, "Threaded.init", OPTION_NAMES);
}
var SINGLE_THREADED_NAMES = optionNames({
  heapBytes: true,
  maxHeapBytes: true
});
function checkSingleThreadedNames(options) {
  if (options === undefined)
    throw new TypeError("Threaded.initSingleThreaded takes an options object, not undefined");
  checkOptions(options, "Threaded.initSingleThreaded", SINGLE_THREADED_NAMES);
}
function heapSizes(options) {
  const { heapBytes, maxHeapBytes } = options;
  if (heapBytes !== undefined)
    checkCount(heapBytes, "heapBytes", MIN_HEAP_BYTES, MAX_HEAP_BYTES);
  if (maxHeapBytes !== undefined)
    checkCount(maxHeapBytes, "maxHeapBytes", MIN_HEAP_BYTES, MAX_HEAP_BYTES);
  const initial = heapBytes ?? DEFAULT_HEAP_BYTES;
  const max = maxHeapBytes ?? Math.max(DEFAULT_MAX_HEAP_BYTES, initial);
  if (initial > max) {
    throw new RangeError(`heapBytes ${initial} is larger than maxHeapBytes ${max}: the initial size must be at most the maximum`);
  }
  return { initial, max };
}
function toIdleTimeout(name, v) {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 2147483647)
    throw new RangeError(`${name} "${String(v)}" is not a whole number of milliseconds from 0 to 2147483647 (0: threads never time out)`);
  return v;
}

// lib/threaded/threaded.ts
var workerUrl = new URL(bundled ? "./pool_thread.js" : "../pool_thread.ts", import.meta.url).href;
var hostUrl = new URL(bundled ? "./spawn_host_thread.js" : "./spawn_host_thread.ts", import.meta.url).href;

class Threaded {
  heap;
  owner;
  poolThread = false;
  alive = true;
  ioFull;
  ioNoNet;
  revive;
  spawner;
  inFlight = new Map;
  children = 0;
  spare;
  spawnHost;
  tracePath;
  constructor(heap, owner) {
    this.heap = heap;
    this.owner = owner;
    this.ioFull = new Io(this, vtable, 0);
    this.ioNoNet = new Io(this, vtableBasic, 1);
    const spawner = () => this.spawn();
    if (owner)
      spawner.tend = () => this.tendHost(false);
    this.spawner = spawner;
  }
  static init(options = {}) {
    const loading = taskModuleLoading();
    if (loading !== null)
      throw new TaskModuleStop(loading, Threaded.init);
    const outside = stopOutsideTask(Threaded.init);
    if (outside !== null)
      throw outside;
    checkOptionNames(options);
    const cpus = navigator.hardwareConcurrency;
    const asyncLimit = toLimit("asyncLimit", options.asyncLimit ?? Math.max(0, cpus - 1));
    const concurrentLimit = toLimit("concurrentLimit", options.concurrentLimit ?? Infinity);
    const { initial, max } = heapSizes(options);
    const idleTimeout = toIdleTimeout("idleTimeout", options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_MS);
    const trace = options.trace === true ? {} : options.trace || undefined;
    if (trace !== undefined) {
      checkTraceOptions(trace, true);
      if (trace.path !== undefined)
        checkTracePath(trace.path);
    }
    const spare = firstPoolSpare(workerUrl, asyncLimit !== 0);
    let heap;
    try {
      shim();
      heap = Heap.create(initial, max);
    } catch (e) {
      firstPoolFailed(spare);
      throw e;
    }
    initPool(heap, asyncLimit, concurrentLimit, idleTimeout);
    openThreadList(heap);
    acquireSignals();
    const t = new Threaded(heap, true);
    t.spare = spare;
    if (trace !== undefined) {
      startTrace(heap, trace, true);
      t.tracePath = trace.path;
    }
    spare?.endAfter(idleTimeout);
    return t;
  }
  static initSingleThreaded(options = {}) {
    checkSingleThreadedNames(options);
    return Threaded.init({ ...options, asyncLimit: 0, concurrentLimit: 0 });
  }
  static attach(handle) {
    if (typeof handle !== "object" || handle === null) {
      throw new TypeError("Threaded.attach takes the handle threaded.handle() returned");
    }
    const heap = Heap.attach(handle.heap);
    if (heap.closed)
      throw new BugError("Threaded.attach: this handle's Threaded instance is deinitialized (threaded.deinit() was called)");
    checkShimPointers(handle.shim);
    adoptShimPointers(handle.shim);
    return new Threaded(heap, false);
  }
  handle() {
    if (this.owner)
      this.tendHost(true);
    return this.ownHandle();
  }
  ownHandle() {
    return { heap: this.heap.sab, shim: shimPointers() };
  }
  tendHost(force) {
    if (this.spawnHost !== undefined || !this.alive)
      return;
    this.spawnHost = tendSpawnHost(this.heap, hostUrl, workerUrl, this.ownHandle(), force);
  }
  io() {
    return this.ioFull;
  }
  ioBasic() {
    return this.ioNoNet;
  }
  unref() {
    setKeepAlive(this.heap, false);
    return this;
  }
  ref() {
    setKeepAlive(this.heap, true);
    return this;
  }
  setAsyncLimit(limit) {
    setLimit(this.heap, Pool.ASYNC_LIMIT, toLimit("setAsyncLimit", limit));
  }
  setConcurrentLimit(limit) {
    setLimit(this.heap, Pool.CONCURRENT_LIMIT, toLimit("setConcurrentLimit", limit));
  }
  setIdleTimeout(ms) {
    setIdleTimeout(this.heap, toIdleTimeout("setIdleTimeout", ms));
  }
  get liveChildren() {
    return this.children;
  }
  poolStats() {
    return {
      threads: poolCount(this.heap, Pool.POOL_SIZE),
      live: poolCount(this.heap, Pool.LIVE),
      retiredTotal: poolCount(this.heap, Pool.RETIRED_TOTAL),
      busy: poolCount(this.heap, Pool.BUSY),
      spawnedTotal: poolCount(this.heap, Pool.SPAWNED_TOTAL),
      dispatchedTotal: poolCount(this.heap, Pool.DISPATCHED_TOTAL) >>> 0
    };
  }
  memoryStats() {
    return {
      heap: { ...this.heap.stats(), highWater: this.heap.highWater() },
      outside: nativeMemoryStats()
    };
  }
  stats() {
    return readStats(this.heap);
  }
  startTrace(options) {
    this.checkAlive("startTrace");
    startTrace(this.heap, options);
  }
  stopTrace(path) {
    this.checkAlive("stopTrace");
    return stopTrace(this.heap, path);
  }
  checkAlive(entry) {
    if (!this.alive)
      throw new BugError(`threaded.${entry}(): this Threaded instance is deinitialized (threaded.deinit() was called)`);
  }
  reviver() {
    return this.revive ??= makeReviver(this.heap, this.ioFull, this.ioNoNet);
  }
  spawn() {
    if (!this.owner) {
      const asked = requestSpawn(this.heap);
      if (asked !== undefined) {
        if (asked)
          traceSpawn(this.heap);
        return asked;
      }
    }
    const slot = startingSlot(this.heap);
    if (slot === undefined)
      return false;
    if (this.startThread(slot, !this.owner))
      return true;
    countStarting(this.heap, -1);
    releaseStartingThread(this.heap, slot);
    return false;
  }
  startThread(slot, foster) {
    let worker;
    let tid = this.spare?.tid ?? 0;
    try {
      worker = this.spare?.adopt();
      if (worker !== undefined && tid === GONE) {
        worker.terminate();
        worker = undefined;
      }
      if (worker === undefined) {
        const before = threadIds2(this.heap);
        worker = new Worker(workerUrl);
        tid = newThreadId(before, this.heap);
        if (tid === GONE)
          throw new Error("the Worker ended as it started");
      }
      nameStartingThread(this.heap, slot.id, tid);
      worker.postMessage({ handle: this.ownHandle(), slot, foster });
    } catch {
      worker?.terminate();
      return false;
    }
    worker.unref();
    this.children++;
    worker.addEventListener("close", () => this.children--);
    worker.addEventListener("error", (e) => e.preventDefault());
    worker.addEventListener("close", () => {
      if (!this.alive)
        return;
      writeOffStarting(this.heap, slot, this.spawner);
      reapAll(this.heap, this.spawner);
    });
    traceSpawn(this.heap);
    return true;
  }
  deinit() {
    if (this.poolThread) {
      throw new BugError("threaded.deinit() called on a pool thread (from a task): only the thread that created the Threaded (Threaded.init) may deinit it; the pool thread is left as it was");
    }
    if (!this.alive)
      return;
    this.alive = false;
    this.spare?.dispose();
    if (!this.owner) {
      reportUnseenFailures(this, AT_DEINIT);
      releaseAll(this);
      forgetThread(this.heap);
      this.retireIo();
      return;
    }
    join(this.heap, () => reapAll(this.heap, this.spawner), (ms) => reportStalledJoin(this.heap, ms));
    closeThreadList(this.heap);
    reportUnseenFailures(this, AT_DEINIT);
    this.spawnHost?.terminate();
    forgetThread(this.heap);
    const h = this.heap;
    h.close();
    wakeAsyncWaiters(h);
    releaseAll(this);
    this.retireIo();
    shim().tio_watchdog_forget_range(h.addr(0), h.addr(h.sab.maxByteLength));
    releaseSignals();
    if (this.tracePath !== undefined && tracing(h))
      stopTrace(h, this.tracePath);
  }
  retireIo() {
    this.ioFull.vtable = deinitialized2;
    this.ioNoNet.vtable = deinitialized2;
  }
  [Symbol.dispose]() {
    this.deinit();
  }
}
Object.defineProperty(Threaded.prototype, STAYS_ON_THREAD, { value: "pass its io() instead" });
function attachPoolThread(handle) {
  const t = Threaded.attach(handle);
  t.poolThread = true;
  return t;
}
var vtable = withIoTracing({
  async,
  concurrent,
  await: awaitFuture,
  cancel: cancelFuture,
  cancelRequested: () => cancelRequested(),
  select,
  groupAsync,
  groupConcurrent,
  groupWait,
  groupCancel,
  mutexLock,
  mutexLockUncancelable,
  mutexUnlock,
  conditionWait: (t, cond, m) => conditionWaitWith(t.ioBasic(), cond, m, true),
  conditionWaitUncancelable: (t, cond, m) => conditionWaitWith(t.ioBasic(), cond, m, false),
  conditionWake,
  dirMake,
  dirMakePath,
  dirMakeOpenPath,
  dirStat,
  dirStatPath,
  fileStat,
  dirAccess,
  dirCreateFile,
  dirOpenFile,
  dirOpenDir,
  dirClose,
  fileClose,
  fileWriteStreaming,
  fileWritePositional,
  fileReadStreaming,
  fileReadPositional,
  fileSeekBy,
  fileSeekTo,
  openSelfExe,
  dirRead,
  dirReadFileStart,
  now: (_t, clock) => now(clock),
  sleep: (_t, timeout) => sleep(timeout),
  netListenIp,
  netListenUnix,
  netAccept,
  netBindIp,
  netConnectIp,
  netConnectUnix,
  netClose,
  netCloseListening,
  netShutdown,
  netRead,
  netWrite,
  netSend,
  netReceive,
  netInterfaceNameResolve,
  netInterfaceName,
  netLookup: (t, host, queue, options) => netLookup(t.io(), host, queue, options),
  netLookupAll: (t, host, options) => netLookupAll(t.io(), host, options),
  awaitAsync: awaitFutureAsync,
  isDone,
  requestCancel: requestFutureCancel,
  selectAsync,
  groupWaitAsync,
  groupRequestCancel,
  abortSignal: () => abortSignal(),
  sharedHeap: (t) => t.heap,
  revive: (t, kind, ref, gen, extra) => t.reviver()(kind, ref, gen, extra)
});
var vtableBasic = { ...vtable, ...unavailable };
var deinitialized2 = retiredVtable(vtable);

// lib/threaded/left_behind.ts
function reportLeftBehind(id) {
  const where = `on pool thread ${id} (tio-pool-${id}); the thread goes on with its tasks`;
  process.on("uncaughtException", (error) => {
    if (isStop(error))
      return;
    report(`an error thrown by a callback a task left behind ${where}`, error);
  });
  process.on("unhandledRejection", (reason) => {
    if (isStop(reason))
      return;
    report(`a promise rejection no task handled (a promise a task left behind) ${where}`, reason);
  });
}
function report(what, error) {
  reportError(`threaded-io: ${what}:
${Bun.inspect(error)}`);
}

// lib/threaded/worker_entry.ts
var POOL_THREAD2 = Symbol.for("threaded-io.poolThread");
if (globalThis[POOL_THREAD2] === true) {
  self.onmessage = (e) => {
    self.onmessage = () => {};
    const { handle, slot, foster } = e.data;
    const threaded = attachPoolThread(handle);
    reportLeftBehind(slot.id);
    runAsTasks(() => loop(threaded, slot, foster === true)).catch((e) => {
      console.error(`threaded-io: the task loop of pool thread ${slot.id} failed; the thread ends:
${Bun.inspect(e)}`);
      process.exit(1);
    });
  };
}
var FOSTER_CHECK_MS = 1000;
async function loop(t, slot, foster) {
  const heap = t.heap;
  const id = slot.id;
  if (!claimStartedThread(heap, slot))
    process.exit(0);
  shim().tio_thread_set_name(Buffer.from(`tio-pool-${id}\x00`));
  const revive = t.reviver();
  let retired = false;
  traceThread(heap, true);
  let compactAtIdle = poolCount(heap, Pool.POOL_SIZE) === 1;
  if (!compactAtIdle)
    compact();
  let idleFor = 0;
  for (;; ) {
    if (foster) {
      const host = spawnHostServes(heap);
      if (host === false)
        foster = false;
      else if (host && t.liveChildren === 0 && retire(heap, true)) {
        retired = true;
        break;
      }
    }
    const cap = foster ? FOSTER_CHECK_MS : 0;
    const closure = take(heap, compactAtIdle, yieldBeforeNextTask(), cap);
    if (closure === 0)
      break;
    if (closure === COMPACT) {
      compactAtIdle = false;
      compact();
      continue;
    }
    if (closure === IDLE) {
      await new Promise((resolve) => setImmediate(resolve));
      if (cap > 0) {
        idleFor += cap;
        const idleMs = poolCount(heap, Pool.IDLE_TIMEOUT_MS);
        if (idleMs <= 0 || idleFor < idleMs)
          continue;
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
    if (pending !== undefined)
      await pending;
    traceTaskEnd(heap);
    if (takeCollectHint())
      Bun.gc(true);
  }
  reportUnseenFailures(t, `as pool thread ${id} left`);
  traceThread(heap, false);
  unmarkPoolThread(heap, id);
  forgetThread(heap);
  if (retired)
    leaveRetired(heap);
  else
    leave(heap);
  process.exit(0);
}
function compact() {
  Bun.shrink();
  Bun.gc(true);
}
export {
  BugError,
  Canceled,
  Clock,
  ClockDuration,
  ClockTimestamp,
  Condition,
  Dir,
  DirIterator,
  DirReader,
  Duration,
  File,
  FileReader,
  FileWriter,
  Future,
  Group,
  HostName,
  Interface,
  InterfaceName,
  Io,
  IoError,
  Ip4Address,
  Ip6Address,
  IpAddress,
  Mutex,
  Protocol,
  Queue,
  ResetEvent,
  Server,
  SharedBytes,
  Socket,
  Stream,
  StreamReader,
  StreamWriter,
  Threaded,
  Timeout,
  Timestamp,
  UnixAddress,
  Walker,
  debug,
  defaultDirMode,
  defaultFileMode,
  defaultKernelBacklog,
  expand,
  registerErrorClass,
  task
};
