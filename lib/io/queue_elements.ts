// The elements of an Io.Queue (queue.ts): each item is encoded into a heap
// block of its own (ElementLayout: format, length, payload), and the queue's
// ring, waiters and putters hand the blocks' offsets around as tokens.
import type { Io } from "./io.ts";
import type { Heap } from "../substrate/heap.ts";
import { ElementLayout, Format } from "../substrate/layout.ts";
import {
  decodeValue,
  dropEncoded,
  encodeResult,
  fromF64,
  releasePayload,
  writePayload,
} from "../substrate/codec.ts";

/** One block per item; on any failure the blocks made so far are freed. */
export function encodeElements(heap: Heap, items: readonly unknown[]): number[] {
  const tokens: number[] = [];
  try {
    for (const item of items) {
      const e = encodeResult(item, "put in a queue", heap);
      const payload = e.format === Format.NUMBER ? 8 : e.bytes; // a NUMBER's f64 is not in e.bytes
      let block: number;
      try {
        block = heap.alloc(ElementLayout.PAYLOAD + payload);
      } catch (err) {
        dropEncoded(e);
        throw err;
      }
      heap.u32[(block + ElementLayout.FORMAT) >> 2] = e.format;
      heap.u32[(block + ElementLayout.LENGTH) >> 2] = e.length;
      if (e.format === Format.NUMBER)
        heap.f64[(block + ElementLayout.PAYLOAD) >> 3] = e.numbers![0];
      else if (e.format === Format.JSC) writePayload(heap.u8, block + ElementLayout.PAYLOAD, e);
      tokens.push(block);
    }
  } catch (e) {
    freeElements(heap, tokens, 0, tokens.length);
    throw e;
  }
  return tokens;
}

/** The items back; every block is freed, even if a value failed to decode. */
export function decodeElements<T>(io: Io, heap: Heap, tokens: readonly number[]): T[] {
  // Every argument (a file's descriptor cell rides in `extra`), and the
  // heap, which a Socket's fromData adopts its cell from.
  const revive = Object.assign(
    (kind: Parameters<typeof io.vtable.revive>[1], ref: number, gen?: number, extra?: number) =>
      io.vtable.revive(io.userdata, kind, ref, gen, extra),
    { heap },
  );
  const out: T[] = [];
  try {
    for (const block of tokens) {
      const format = heap.u32[(block + ElementLayout.FORMAT) >> 2];
      const at = block + ElementLayout.PAYLOAD;
      if (format === Format.NUMBER) out.push(fromF64(heap.f64[at >> 3]) as T);
      else if (format === Format.JSC)
        out.push(
          decodeValue(heap.u8, at, heap.u32[(block + ElementLayout.LENGTH) >> 2], revive) as T,
        );
      else out.push(undefined as T);
    }
  } finally {
    freeElements(heap, tokens, 0, tokens.length);
  }
  return out;
}

export function freeElements(
  heap: Heap,
  tokens: readonly number[],
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) freeElement(heap, tokens[i]);
}

/** Frees an element's block and what its payload owns outside the heap. */
export function freeElement(heap: Heap, block: number): void {
  if (heap.u32[(block + ElementLayout.FORMAT) >> 2] === Format.JSC)
    releasePayload(heap.u8, block + ElementLayout.PAYLOAD);
  heap.free(block);
}
