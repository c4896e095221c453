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
// user's bug (close(2) twice); the cell's word is claimed with a CAS, and
// only the winner frees it and calls close(2): the loser's BugError says
// it closed twice. A call on one thread racing a close on another can
// still reach the number after close(2) (the check comes first): the
// cell narrows that window to the call itself, it does not close it. An object that never crosses has no cell and
// costs nothing; one that crosses and is never closed keeps its cell (a
// 32-byte block with its header) until the heap goes; File.stdin(),
// stdout() and stderr() get none.
import { isLive } from "../substrate/handle.ts";
import type { Heap } from "../substrate/heap.ts";
import { BlockKind } from "../substrate/layout.ts";
import { crossingHeap } from "../substrate/crossing.ts";

interface Cell {
  readonly heap: Heap;
  readonly ref: number;
  readonly gen: number;
}

const cells = new WeakMap<object, Cell>();
/** File.stdin() and friends: a new object each call, never closed, so a
 * cell each would only pile up. */
const standard = new WeakSet<object>();

export function markStandard(obj: object): void {
  standard.add(obj);
}

/** The cell's word while it is open: its generation, mixed so that a block
 * reused meanwhile for something else (a Mutex's state word) cannot look
 * like it to the close's CAS. */
const OPEN = (gen: number): number => (gen ^ 0x5a17ce11) | 0;

/** [cell offset, generation] for the object's crossing to the heap being
 * encoded into (0, 0: none; another heap's objects carry none). */
export function cellForCrossing(obj: object, handle: number): readonly [number, number] {
  const heap = crossingHeap();
  if (heap === undefined || handle < 0 || standard.has(obj)) return NO_CELL;
  let cell = cells.get(obj);
  if (cell === undefined) {
    const ref = heap.alloc(4, BlockKind.DATA);
    const gen = heap.generation(ref);
    Atomics.store(heap.i32, ref >> 2, OPEN(gen));
    cell = { heap, ref, gen };
    cells.set(obj, cell);
  }
  return cell.heap === heap ? [cell.ref, cell.gen] : NO_CELL;
}
const NO_CELL = [0, 0] as const;

/** Gives a revived copy the cell its handle carried. */
export function adoptCell(obj: object, heap: Heap, ref: number, gen: number): void {
  if (ref !== 0) cells.set(obj, { heap, ref, gen });
}

/** True if another object over the same descriptor closed it (the cell is
 * gone while its heap is not). */
export function closedElsewhere(obj: object): boolean {
  const cell = cells.get(obj);
  return cell !== undefined && !cell.heap.closed && !isLive(cell.heap, cell.ref, cell.gen);
}

/** At a close, before close(2): claims and frees the cell. False if
 * another object over the descriptor closed it first (two closes at once
 * through two objects): the caller must not call close(2), whose number
 * may already name the next file. True without a cell. */
export function closeCell(obj: object): boolean {
  const cell = cells.get(obj);
  if (cell === undefined) return true;
  cells.delete(obj);
  const { heap, ref, gen } = cell;
  if (heap.closed) return true; // its instance is gone: nothing to tell
  // The CAS decides between two closers; the word holds the generation, so
  // a block freed and handed out again meanwhile is not taken for the cell.
  if (
    !isLive(heap, ref, gen) ||
    Atomics.compareExchange(heap.i32, ref >> 2, OPEN(gen), 0) !== OPEN(gen)
  )
    return false;
  heap.free(ref);
  return true;
}
