// A File or Dir passed to a task arrives as another object over the same
// descriptor number. Closing one of them (a walker moving on closes the
// directory a task was given) let the number be reused by the next open,
// and the others then read whatever it named: silently (a newcomer's
// walk handing `entry.dir` to tasks read the wrong index.txt in 10–13 of
// 20). So the first time such an object crosses the heap it gets a cell: a
// 4-byte heap block whose handle (offset and generation) every copy
// carries. A close through any of them frees the cell first, and every
// other object over it throws "used after close" at its next call, as the
// closed object itself does (close_once.ts).
//
// Races: two closes of one descriptor through two objects at once are the
// user's bug (close(2) twice); the cell's CLOSING bit is claimed with a
// CAS, and only the winner's close goes on: the loser's BugError says it
// closed twice. Calls count themselves in the cell while they run
// (`withUse`), so a close never closes the number under a call in flight
// on another thread: the last call closes it as it leaves. A socket's
// close first wakes the calls in flight (shutdown: `closeCell` with `waking`):
// one blocked in a read or an accept would otherwise hold the close back
// for good, and the peer would never see the end of the stream. A File's
// or Dir's call blocked on a pipe still holds its close back until it
// returns. An object that never crosses has no cell and
// costs nothing; one that crosses and is never closed keeps its cell (a
// 32-byte block with its header) until the heap goes; File.stdin(),
// stdout() and stderr() get none.
//
// A deinitialized instance's heap is only marked closed: its memory stays
// while a cell's objects hold it, and nothing allocates there any more, so
// its cells keep working for the copies that outlive it (a File a task
// handed back, and the original). One that crosses again, to a later
// instance, gets a cell there, linked from the old one (`next`): the
// newest cell of that chain is the one every object over the descriptor
// counts in and closes through. Objects over one cell on one thread share
// one Cell record (`shared`), so the old copies find the link too.
import {
  isStandard,
  markStandard,
  STANDARD_CROSSING,
  standardClosed,
} from "./standard_descriptors.ts";
import type { Heap } from "../substrate/heap.ts";
import { BlockKind } from "../substrate/layout.ts";
import { crossingHeap } from "../substrate/crossing.ts";
import { BugError } from "./errors.ts";

interface Cell {
  readonly heap: Heap;
  readonly ref: number;
  readonly gen: number;
  /** The cell in a later instance's heap, once the descriptor crossed
   * there after this one's instance was deinitialized. */
  next?: Cell;
}

const cells = new WeakMap<object, Cell>();
/** This thread's Cell records by heap and cell offset, so that a revived
 * copy shares its original's record (and so its `next`). */
const shared = new WeakMap<Heap, Records>();

interface Records {
  readonly byRef: Map<number, WeakRef<Cell>>;
  /** The size at which the records no object holds are dropped. */
  sweepAt: number;
}

function record(heap: Heap, ref: number, gen: number): Cell {
  let r = shared.get(heap);
  if (r === undefined) shared.set(heap, (r = { byRef: new Map(), sweepAt: 64 }));
  const known = r.byRef.get(ref)?.deref();
  if (known !== undefined && known.gen === gen) return known;
  const cell: Cell = { heap, ref, gen };
  if (r.byRef.size >= r.sweepAt) {
    for (const [at, weak] of r.byRef) if (weak.deref() === undefined) r.byRef.delete(at);
    r.sweepAt = Math.max(64, 2 * r.byRef.size);
  }
  r.byRef.set(ref, new WeakRef(cell));
  return cell;
}

/** The cell that counts: the last of the chain. */
function newest(c: Cell): Cell {
  while (c.next !== undefined) c = c.next;
  return c;
}
/** Word 0 of a cell while it is open: its generation, mixed so that a
 * block reused meanwhile for something else (a Mutex's state word) cannot
 * look like it; 0 once the cell is being freed. */
const OPEN = (gen: number): number => (gen ^ 0x5a17ce11) | 0;
/** Word 1: the calls in flight through any object over the descriptor
 * (File and Dir calls: `withUse`), and CLOSING once one of them closed
 * it. */
const CLOSING = 1 << 30;
const USERS = CLOSING - 1;
const CELL_BYTES = 8;

/** [cell offset, generation] for the object's crossing to the heap being
 * encoded into (0, 0: none). An object whose cell is in another live
 * instance's heap is refused: that instance's copies could not see a close
 * through this one's (a second instance's copy read the connection that
 * reused the number in 36–42 of 50 loops); once that instance is gone, its
 * copies are too, and the object gets a cell in this heap. */
export function cellForCrossing(
  obj: object,
  handle: number,
  kind: string,
): readonly [number, number] {
  const heap = crossingHeap();
  if (isStandard(obj)) return STANDARD_CROSSING;
  if (heap === undefined || handle < 0) return NO_CELL;
  const had = cells.get(obj);
  const last = had === undefined ? undefined : newest(had);
  if (last !== undefined && last.heap === heap) return [last.ref, last.gen];
  if (last !== undefined && !last.heap.closed)
    throw new BugError(
      `${kind} (descriptor ${handle}) already crossed to another Threaded instance's tasks: ` +
        "copies in two instances cannot see each other's close; pass it to one instance's " +
        "tasks, or open another descriptor for the other",
    );
  const ref = heap.alloc(CELL_BYTES, BlockKind.DATA);
  const gen = heap.generation(ref);
  Atomics.store(heap.i32, (ref >> 2) + 1, 0);
  Atomics.store(heap.i32, ref >> 2, OPEN(gen));
  const cell = record(heap, ref, gen);
  if (last === undefined) cells.set(obj, cell);
  else if (isOpen(last)) last.next = cell;
  // Closed through another object meanwhile: `obj` is closed too (its next
  // call says so), and the new cell is never used.
  return [cell.ref, cell.gen];
}
const NO_CELL = [0, 0] as const;

/** Gives a revived copy the cell its handle carried. */
export function adoptCell(obj: object, heap: Heap, ref: number, gen: number): void {
  if (ref !== 0) cells.set(obj, record(heap, ref, gen));
  else if (gen === STANDARD_CROSSING[1]) markStandard(obj);
}

/** Whether `obj` has a cell (crossed, or a copy that did): only then do
 * its calls count themselves in (`withUse`). */
export function hasCell(obj: object): boolean {
  return cells.has(obj);
}

/** Open: not freed, nor reused (its generation), nor being closed. The
 * heap's closed mark is not asked: a closed heap's cells still work. */
function isOpen(c: Cell): boolean {
  return c.heap.generation(c.ref) === c.gen && Atomics.load(c.heap.i32, c.ref >> 2) === OPEN(c.gen);
}

/** True if another object over the same descriptor closed it (the cell,
 * the newest of its chain, is gone or closing; or, for a standard object,
 * another standard object over its descriptor). */
export function closedElsewhere(obj: object): boolean {
  const had = cells.get(obj);
  if (had === undefined) return standardClosed(obj, (obj as { handle: number }).handle);
  const c = newest(had);
  return !isOpen(c) || (Atomics.load(c.heap.i32, (c.ref >> 2) + 1) & CLOSING) !== 0;
}

/**
 * Runs `call`, a syscall on `obj`'s descriptor, as a use of its cell, so
 * that a close through another object meanwhile does not close(2) the
 * number under it: the close marks the cell CLOSING and returns, and the
 * last call in flight runs `closeNow` (close(2)) as it leaves. Checked
 * first and closed later, a call racing a close could reach the number
 * after another thread's next open took it (a walk racing 40 tasks per
 * step over `entry.dir` read another directory's file in 8–21 of 1,600).
 * `refused`: the error when the descriptor was closed meanwhile.
 */
export function withUse<T>(
  obj: object,
  refused: () => Error,
  closeNow: () => void,
  call: () => T,
): T {
  const had = cells.get(obj);
  if (had === undefined) return call();
  const c = newest(had);
  const i32 = c.heap.i32;
  const w1 = (c.ref >> 2) + 1;
  for (;;) {
    const w = Atomics.load(i32, w1);
    if (!isOpen(c) || (w & CLOSING) !== 0) throw refused();
    if (Atomics.compareExchange(i32, w1, w, w + 1) === w) break;
  }
  // The cell can only be freed with CLOSING set and no users, and the CAS
  // saw it open; a block freed and handed out again between the check and
  // the CAS (its word equal by chance) is caught here, once.
  if (!isOpen(c)) {
    Atomics.sub(i32, w1, 1);
    throw refused();
  }
  try {
    return call();
  } finally {
    leave(c, closeNow);
  }
}

/** A use ends; the last use of a descriptor closed meanwhile closes it. */
function leave(c: Cell, closeNow: () => void): void {
  if (Atomics.sub(c.heap.i32, (c.ref >> 2) + 1, 1) === (CLOSING | 1)) {
    freeCell(c);
    closeNow();
  }
}

function freeCell(c: Cell): void {
  Atomics.store(c.heap.i32, c.ref >> 2, 0);
  // A closed heap is never allocated from again: the block just stays.
  if (!c.heap.closed) c.heap.free(c.ref);
}

/**
 * What a close through `obj` must do: close(2) "now"; nothing ("later": a
 * call through another object is in flight, and the last one closes it);
 * or nothing because another object over the descriptor closed it first
 * ("lost": two closes at once; the caller's BugError says so). "now"
 * without a cell. With `waking` (a socket's close) and calls in flight,
 * the close counts itself in while it runs `wake` (shutdown(2), which
 * ends their blocked reads, writes and accepts), so that the number stays
 * open until then, and the last one out, maybe this close, runs
 * `closeNow`: "done".
 */
export function closeCell(
  obj: object,
  waking?: { wake: () => void; closeNow: () => void },
): "now" | "later" | "done" | "lost" {
  const had = cells.get(obj);
  if (had === undefined) return "now";
  cells.delete(obj);
  const c = newest(had);
  // The older cells of the chain (closed heaps) are closed with it, for a
  // copy on another thread whose record lacks the link.
  for (let o = had; o !== c; o = o.next!) Atomics.store(o.heap.i32, o.ref >> 2, 0);
  const i32 = c.heap.i32;
  const w1 = (c.ref >> 2) + 1;
  for (;;) {
    const w = Atomics.load(i32, w1);
    if (!isOpen(c) || (w & CLOSING) !== 0) return "lost";
    const users = w & USERS;
    const next = users !== 0 && waking !== undefined ? (w | CLOSING) + 1 : w | CLOSING;
    if (Atomics.compareExchange(i32, w1, w, next) !== w) continue;
    if (users === 0) {
      freeCell(c);
      return "now";
    }
    if (waking === undefined) return "later";
    try {
      waking.wake();
    } finally {
      leave(c, waking.closeNow);
    }
    return "done";
  }
}
