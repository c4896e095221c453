// The protocol by which shared objects cross threads. An object that lives in
// a threaded-io heap (Mutex, Condition, ResetEvent, Group, Queue, SharedBytes)
// or stands for an implementation (Io) answers `[SHARED_REF]()` with its kind
// and heap reference; the task-argument codec sends that pair instead of a
// copy, and revives a live object on the other thread.
export const SHARED_REF: unique symbol = Symbol.for("threaded-io.sharedRef");

export type SharedKind =
  "io" | "mutex" | "condition" | "reset_event" | "group" | "queue" | "bytes" | "file" | "dir";

/** A shared object's kind, heap reference and, for heap blocks, the
 * generation its checked handle carries (substrate/handle.ts) and its
 * heap's address (`Heap.base`), which names the Threaded instance it belongs
 * to: the codec refuses to pass it to another instance's task or queue,
 * where the same reference would name some other object. Files, directories
 * and SharedBytes belong to the process and carry no heap; a file or
 * directory carries [kind, descriptor, cell, cell generation] instead
 * (io/descriptor_cell.ts). */
export interface SharedObject {
  [SHARED_REF]():
    | readonly [SharedKind, number]
    | readonly [SharedKind, number, number]
    | readonly [SharedKind, number, number, number];
}

export function isShared(v: unknown): v is SharedObject {
  return (
    typeof v === "object" &&
    v !== null &&
    typeof (v as Partial<SharedObject>)[SHARED_REF] === "function"
  );
}
