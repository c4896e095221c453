// The other end of the codec's shared objects (substrate/codec_revive.ts):
// a mark [kind, ref, gen] from another thread back to a live object of
// this instance's heap. Each is checked as any handle made from a number
// (substrate/handle.ts): a block of that kind, of the generation the handle
// carried (or stale: the handle then throws at its first use). A file or
// directory also carries its descriptor cell (io/descriptor_cell.ts).
import type { Io } from "../io/io.ts";
import type { SharedKind } from "../io/shared.ts";
import type { Reviver } from "../substrate/codec.ts";
import type { Heap } from "../substrate/heap.ts";
import { reviveMutex } from "../io/mutex.ts";
import { reviveCondition } from "../io/condition.ts";
import { reviveResetEvent } from "../io/reset_event.ts";
import { reviveGroup } from "../io/group.ts";
import { reviveQueue } from "../io/queue.ts";
import { File } from "../fs/file.ts";
import { Dir } from "../fs/dir.ts";
import { adoptCell } from "../io/descriptor_cell.ts";

/** The reviver of an instance with `heap` and its two ios. */
export function makeReviver(heap: Heap, ioFull: Io, ioNoNet: Io): Reviver {
  const revive = (kind: SharedKind, ref: number, gen?: number, extra?: number): unknown => {
    switch (kind) {
      case "io":
        return ref === 1 ? ioNoNet : ioFull;
      case "mutex":
        return reviveMutex(heap, ref, gen as number);
      case "condition":
        return reviveCondition(heap, ref, gen as number);
      case "reset_event":
        return reviveResetEvent(heap, ref, gen as number);
      case "group":
        return reviveGroup(heap, ioFull, ref, gen as number);
      case "queue":
        return reviveQueue(heap, ref, gen as number);
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

function withCell<T extends object>(obj: T, heap: Heap, ref?: number, gen?: number): T {
  if (typeof ref === "number" && typeof gen === "number") adoptCell(obj, heap, ref, gen);
  return obj;
}
