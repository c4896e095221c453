// The codec's revive walk (codec.ts): on the receiving thread, turns the
// marks the sender's walk put in a value (codec_marks.ts) back into live
// objects, in place: arrays, plain objects, Maps and Sets keep their
// identity, so cycles and objects reached twice survive.
import type { SharedKind } from "../io/shared.ts";
import { enterReviving, leaveReviving } from "./crossing.ts";
import type { Heap } from "./heap.ts";
import { BINARY_MARK } from "./binary_payload.ts";
import { errorFromRecord, isErrorRecord } from "./error_record.ts";
import { isReservedKey, LITERAL_MARK, MARK, VALUE_MARK } from "./codec_marks.ts";
import { valueClasses } from "./value_registry.ts";

/** `gen`: the generation a checked handle carried (substrate/handle.ts);
 * a file or directory carries its descriptor cell's offset and generation
 * as `gen` and `extra` (io/descriptor_cell.ts). */
export type Reviver = ((kind: SharedKind, ref: number, gen?: number, extra?: number) => unknown) & {
  /** The heap it revives from, for value classes that need it. */
  readonly heap?: Heap;
};

export interface Reviving {
  readonly revive: Reviver;
  /** The typed array or buffer for a binary placeholder (binary payloads). */
  readonly view: ((index: number) => object) | undefined;
  /** Each object met, and what it became. */
  readonly memo: Map<object, unknown>;
}

export function reviving(revive: Reviver, view?: (index: number) => object): Reviving {
  return { revive, view, memo: new Map() };
}

export function reviveShared(v: unknown, c: Reviving): unknown {
  if (typeof v !== "object" || v === null) return v;
  const known = c.memo.get(v);
  if (known !== undefined) return known;
  if (Array.isArray(v)) {
    c.memo.set(v, v);
    // Holes stay holes (structured clone keeps them).
    for (let i = 0; i < v.length; i++) if (i in v) v[i] = reviveShared(v[i], c);
    return v;
  }
  if (v instanceof Map) {
    c.memo.set(v, v);
    const entries = [...v];
    v.clear();
    for (const [k, x] of entries) v.set(reviveShared(k, c), reviveShared(x, c));
    return v;
  }
  if (v instanceof Set) {
    c.memo.set(v, v);
    const items = [...v];
    v.clear();
    for (const x of items) v.add(reviveShared(x, c));
    return v;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v; // a Date, a typed array, ...
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && isReservedKey(keys[0])) {
    const marked = reviveMark(o, keys[0], c);
    if (marked !== NOT_A_MARK) return marked;
  } else if (isErrorRecord(o)) {
    c.memo.set(v, v);
    const err = errorFromRecord(o, (x) => reviveShared(x, c));
    c.memo.set(v, err);
    return err;
  }
  c.memo.set(v, v);
  for (const key of keys) o[key] = reviveShared(o[key], c);
  return v;
}

const NOT_A_MARK = Symbol("not a mark");

function reviveMark(o: Record<string, unknown>, key: string, c: Reviving): unknown {
  const body = o[key];
  let out: unknown = NOT_A_MARK;
  switch (key) {
    case MARK:
      if (Array.isArray(body))
        out = c.revive(
          body[0] as SharedKind,
          body[1] as number,
          body[2] as number | undefined,
          body[3] as number | undefined,
        );
      break;
    case VALUE_MARK: {
      const cls = Array.isArray(body) ? valueClasses.get(body[0] as string) : undefined;
      if (cls !== undefined) {
        c.memo.set(o, o);
        const data = reviveShared((body as unknown[])[1], c);
        enterReviving(c.revive.heap);
        try {
          out = cls.fromData(data as never);
        } finally {
          leaveReviving();
        }
      }
      break;
    }
    case BINARY_MARK:
      if (typeof body === "number" && c.view !== undefined) out = c.view(body);
      break;
    case LITERAL_MARK:
      // User data with a reserved key of its own: its contents are revived,
      // its keys are never read as a mark.
      if (typeof body === "object" && body !== null) {
        c.memo.set(o, body);
        c.memo.set(body, body);
        const inner = body as Record<string, unknown>;
        for (const k of Object.keys(inner)) inner[k] = reviveShared(inner[k], c);
        out = body;
      }
      break;
  }
  if (out !== NOT_A_MARK) c.memo.set(o, out);
  return out;
}
