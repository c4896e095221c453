// Typed arrays, DataViews and ArrayBuffers inside a task value cross the
// heap as raw bytes: one copy into the heap on the sending thread, one out
// on the receiving thread, and no serializer (bun:jsc serialize copies a
// buffer into its output and deserialize copies it again, and the codec
// copied that output once more: 1 MiB as argument and result took 1,516 µs
// against tinypool's 819 µs).
//
// The value's walk (codec.ts) swaps each such object for a
// placeholder naming a *view spec* [segment, type, byteOffset, length]; a
// segment is one whole ArrayBuffer, as structured clone sends it, so two
// views of one buffer still share one buffer on arrival and one object
// reached twice arrives as one object. The rest of the value (the skeleton)
// is encoded as before, JSON or structured clone.
//
// Payload (after the codec's tag byte, PAYLOAD_BINARY):
//   [tag, 7 bytes zero][f64 segments][f64 skeleton bytes]
//   [f64 handle, f64 byteLength] × segments
//   [skeleton payload][inline segment bytes, in order]
// A segment of a mebibyte or more is not inline: it is a block outside the
// heap (native_memory.ts; handle ≠ 0), so a big value never grows the heap
// arena and its memory goes back to the kernel when the payload is released
// (`releaseBinary`, called wherever the heap block holding it is freed).
import { ptr } from "bun:ffi";
import { shim } from "../ffi/shim.ts";
import { BugError } from "../io/errors.ts";
import {
  allocBlock,
  blockAddress,
  blockBytes,
  blockOf,
  freeBlock,
  isLive,
  MAP_MIN_BYTES,
} from "./native_memory.ts";

export const PAYLOAD_BINARY = 2;
/** A view spec's segment for a view of a block outside the heap: the spec
 * then also holds the block's handle and length. */
const SHARED_SEGMENT = -1;

function freedBlock(handle: number, length: number): BugError {
  return new BugError(
    `Use after free: passing a view of SharedBytes (${length} bytes, handle ${handle}), which was freed`,
  );
}
export const BINARY_MARK = "__threadedIoBytes";

const TYPES = [
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
  "Float16Array",
] as const;
const TYPE_CODE = new Map<string, number>(TYPES.map((name, i) => [name, i]));
type ViewCtor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => object;
const CTORS = TYPES.map((name) => (globalThis as Record<string, unknown>)[name]) as (
  ViewCtor | undefined
)[];

/** Collects the binary objects of one value while the codec walks it. */
export class BinaryCollector {
  /** Per placeholder index: [segment, type, byteOffset, length]. */
  readonly specs: number[][] = [];
  readonly segments: ArrayBuffer[] = [];
  private readonly views = new Map<object, number>();
  private readonly buffers = new Map<ArrayBuffer, number>();
  bytes = 0;

  /** A placeholder for `v`, or undefined to leave it to structured clone
   * (a resizable or detached buffer, an unknown view type). */
  take(v: object): object | undefined {
    const known = this.views.get(v);
    if (known !== undefined) return { [BINARY_MARK]: known };
    let buffer: ArrayBuffer;
    let type: number | undefined;
    let byteOffset = 0;
    let length = 0;
    if (v instanceof ArrayBuffer) {
      buffer = v;
      type = 0;
    } else if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) {
      buffer = v.buffer;
      type = v instanceof DataView ? 1 : TYPE_CODE.get((v as Uint8Array)[Symbol.toStringTag]);
      byteOffset = v.byteOffset;
      length = v instanceof DataView ? v.byteLength : (v as Uint8Array).length;
    } else {
      return undefined;
    }
    if (type === undefined || CTORS[type] === undefined || buffer.resizable || buffer.detached)
      return undefined;
    const index = this.specs.length;
    const block = blockOf(buffer);
    if (block !== undefined) {
      // A view of SharedBytes memory (`shared.bytes`, or a subarray of it)
      // crosses as that memory, like the SharedBytes itself: no segment.
      if (!isLive(block.handle)) throw freedBlock(block.handle, block.length);
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

/** A binary payload ready to be written: its head (tag, table, skeleton)
 * and the segments to copy after it. */
export interface BinaryPayload {
  readonly head: Uint8Array;
  readonly inline: readonly ArrayBuffer[];
  /** Blocks outside the heap this payload owns (released with it). */
  readonly handles: readonly number[];
  readonly bytes: number;
}

/** Set when this thread sent one buffer of COLLECT_AFTER_BYTES or more. */
let sentHuge = false;
/** A pool thread collects its garbage after sending a buffer this big. */
const COLLECT_AFTER_BYTES = 32 << 20;

/**
 * True once this thread has sent a buffer of COLLECT_AFTER_BYTES or more
 * since the last call. A pool thread then runs a full GC after the task:
 * the buffer it returned is garbage there, but an idle thread allocates
 * nothing and so never collects, and a 600 MB result would stay resident
 * in it (measured: RSS 1,257 MB after the result was dropped, against a
 * 54 MB baseline). A full GC costs a few ms, less than copying 32 MiB.
 * Smaller buffers do not count, even many of them: a busy thread's
 * allocations trigger its own collections, and a full GC (~5 ms of CPU
 * measured in a small process) every 64 round trips of a 1 MiB buffer
 * would add ~5 ms / 64 ≈ 80 µs to each.
 */
export function takeCollectHint(): boolean {
  if (!sentHuge) return false;
  sentHuge = false;
  return true;
}

/** Lays out the payload; copies each big segment into a block of its own. */
export function encodeBinary(skeleton: Uint8Array, c: BinaryCollector): BinaryPayload {
  const n = c.segments.length;
  const tableBytes = 8 + 16 + 16 * n;
  const head = new Uint8Array(tableBytes + skeleton.length);
  const f64 = new Float64Array(head.buffer, 8, 2 + 2 * n);
  head[0] = PAYLOAD_BINARY;
  f64[0] = n;
  f64[1] = skeleton.length;
  const inline: ArrayBuffer[] = [];
  const handles: number[] = [];
  let bytes = head.length;
  try {
    for (let i = 0; i < n; i++) {
      const seg = c.segments[i];
      const len = seg.byteLength;
      let handle = 0;
      if (len >= MAP_MIN_BYTES) {
        handle = allocBlock(len, false);
        handles.push(handle);
        shim().tio_memcpy(blockAddress(handle), ptr(seg), len);
        if (len >= COLLECT_AFTER_BYTES) sentHuge = true;
      } else {
        inline.push(seg);
        bytes += len;
      }
      f64[2 + 2 * i] = handle;
      f64[3 + 2 * i] = len;
    }
  } catch (e) {
    for (const h of handles) freeBlock(h);
    throw e;
  }
  head.set(skeleton, tableBytes);
  return { head, inline, handles, bytes };
}

export function writeBinary(u8: Uint8Array, at: number, p: BinaryPayload): void {
  u8.set(p.head, at);
  let pos = at + p.head.length;
  for (const seg of p.inline) {
    u8.set(new Uint8Array(seg), pos);
    pos += seg.byteLength;
  }
}

/** Frees the blocks of a payload that was never written. */
export function dropBinary(p: BinaryPayload): void {
  for (const h of p.handles) freeBlock(h);
}

function table(u8: Uint8Array, at: number): Float64Array {
  const n = new Float64Array(u8.slice(at + 8, at + 16).buffer)[0];
  return new Float64Array(u8.slice(at + 8, at + 24 + 16 * n).buffer);
}

/** Opens a binary payload: its skeleton (decoded by `fromSkeleton`) and
 * the view for each placeholder index, made once however often the
 * skeleton names it. The codec's revive walk puts the views in. */
export function decodeBinary(
  u8: Uint8Array,
  at: number,
  fromSkeleton: (u8: Uint8Array, at: number, length: number) => unknown,
): { skeleton: unknown; view: (index: number) => object } {
  const t = table(u8, at);
  const n = t[0];
  const skeletonAt = at + 24 + 16 * n;
  const { s: specs, v } = fromSkeleton(u8, skeletonAt, t[1]) as { s: number[][]; v: unknown };
  const segments: ArrayBuffer[] = [];
  let pos = skeletonAt + t[1];
  for (let i = 0; i < n; i++) {
    const handle = t[2 + 2 * i];
    const len = t[3 + 2 * i];
    if (handle === 0) {
      segments.push(u8.slice(pos, pos + len).buffer);
      pos += len;
    } else {
      const ab = new ArrayBuffer(len);
      shim().tio_memcpy(ptr(ab), blockAddress(handle), len);
      segments.push(ab);
    }
  }
  const made: (object | undefined)[] = [];
  const view = (i: number): object => {
    const existing = made[i];
    if (existing !== undefined) return existing;
    const spec = specs[i];
    if (spec === undefined) throw new BugError(`Binary payload has no view ${i}`);
    const [segment, type, byteOffset, length, handle] = spec;
    let buffer: ArrayBuffer;
    if (segment === SHARED_SEGMENT) {
      const whole = blockBytes(handle);
      if (whole === undefined) throw freedBlock(handle, spec[5]);
      buffer = whole.buffer as ArrayBuffer;
    } else {
      buffer = segments[segment];
    }
    const out = type === 0 ? buffer : new CTORS[type]!(buffer, byteOffset, length);
    made[i] = out;
    return out;
  };
  return { skeleton: v, view };
}

/** Frees the blocks outside the heap that the payload at `at` owns; call
 * wherever a heap block holding a payload is freed. */
export function releaseBinary(u8: Uint8Array, at: number): void {
  if (u8[at] !== PAYLOAD_BINARY) return;
  const t = table(u8, at);
  for (let i = 0; i < t[0]; i++) if (t[2 + 2 * i] !== 0) freeBlock(t[2 + 2 * i]);
}
