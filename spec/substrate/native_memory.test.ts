// Blocks outside the heap (shim/memory.c, native_memory.ts): handles are
// checked, released mappings are reused zeroed, and the counts balance.
import { describe, expect, test } from "bun:test";
import { ptr } from "bun:ffi";
import { shim } from "../../lib/ffi/shim.ts";
import {
  allocBlock,
  blockAddress,
  blockBytes,
  freeBlock,
  isLive,
  nativeMemoryStats,
  trimNativeMemory,
} from "../../lib/substrate/native_memory.ts";

const MIB = 1 << 20;

describe("blocks outside the heap", () => {
  test("a handle is live until freed; a stale one is refused everywhere", () => {
    const h = allocBlock(64);
    expect(isLive(h)).toBe(true);
    expect(blockBytes(h)!.length).toBe(64);
    expect(freeBlock(h)).toBe(true);
    expect(isLive(h)).toBe(false);
    expect(freeBlock(h)).toBe(false); // twice
    expect(blockBytes(h)).toBeUndefined();
    expect(() => blockAddress(h)).toThrow(RangeError);
    // A new block in the same slot has a new generation: the old handle stays dead.
    const h2 = allocBlock(64);
    expect(h2).not.toBe(h);
    expect(isLive(h)).toBe(false);
    expect(freeBlock(h2)).toBe(true);
    for (const bogus of [0, -1, 1, 2 ** 52, 12345.5]) expect(freeBlock(bogus)).toBe(false);
  });

  test("a released mapping is reused, and comes back zeroed when asked", () => {
    trimNativeMemory();
    const dirty = allocBlock(2 * MIB, false);
    const ones = new Uint8Array(2 * MIB).fill(0xff);
    shim().tio_memcpy(blockAddress(dirty), ptr(ones), ones.length);
    freeBlock(dirty); // no view was made: released now, into the reuse cache
    expect(nativeMemoryStats().cachedBytes).toBe(2 * MIB);
    const clean = allocBlock(2 * MIB);
    expect(nativeMemoryStats().cachedBytes).toBe(0); // it was reused
    const u8 = blockBytes(clean)!;
    expect(u8.every((x) => x === 0)).toBe(true);
    freeBlock(clean);
    trimNativeMemory();
    expect(nativeMemoryStats().cachedBytes).toBe(0);
  });

  test("mappings above 8 MiB are never kept; the cache holds at most 16 MiB", () => {
    trimNativeMemory();
    const big = allocBlock(9 * MIB, false);
    freeBlock(big);
    expect(nativeMemoryStats().cachedBytes).toBe(0);
    const blocks = Array.from({ length: 6 }, () => allocBlock(4 * MIB, false));
    for (const b of blocks) freeBlock(b);
    expect(nativeMemoryStats().cachedBytes).toBe(16 * MIB);
    trimNativeMemory();
  });

  test("counts balance after many blocks of mixed sizes", () => {
    const before = nativeMemoryStats();
    const handles: number[] = [];
    for (let i = 0; i < 2000; i++) handles.push(allocBlock((i * 7919) % (3 * MIB)));
    expect(nativeMemoryStats().liveBlocks).toBe(before.liveBlocks + 2000);
    for (const h of handles) expect(freeBlock(h)).toBe(true);
    const after = nativeMemoryStats();
    expect(after.liveBlocks).toBe(before.liveBlocks);
    expect(after.liveBytes).toBe(before.liveBytes);
    expect(after.allocations).toBe(before.allocations + 2000);
    trimNativeMemory();
  });
});
