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
// user's bug (close(2) twice); the cell's word is claimed with a CAS so
// only one of them frees it. An object that never crosses has no cell and
// costs nothing; one that crosses and is never closed (File.stdout())
// keeps its 4-byte cell until the heap goes (standard descriptors get
// none).
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

/** [cell offset, generation] for the object's crossing to the heap being
 * encoded into (0, 0: none; another heap's objects carry none). */
export function cellForCrossing(obj: object, handle: number): readonly [number, number] {
  const heap = crossingHeap();
  if (heap === undefined || handle <= 2) return NO_CELL;
  let cell = cells.get(obj);
  if (cell === undefined) {
    const ref = heap.allocZeroed(4, BlockKind.DATA);
    cell = { heap, ref, gen: heap.generation(ref) };
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

/** At a close: frees the cell, if this object holds a live one. */
export function closeCell(obj: object): void {
  const cell = cells.get(obj);
  if (cell === undefined) return;
  cells.delete(obj);
  const { heap, ref, gen } = cell;
  if (isLive(heap, ref, gen) && Atomics.compareExchange(heap.i32, ref >> 2, 0, 1) === 0)
    heap.free(ref);
}
