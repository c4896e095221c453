// A seeded PRNG (mulberry32) so fuzz runs are reproducible: a failure
// prints its seed; FUZZ_SEED=<n> replays it and FUZZ_CASES=<n> runs longer.
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const fuzzSeed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
export const fuzzCases = Number(process.env.FUZZ_CASES ?? 3000);

/** Random bytes, biased towards the bytes a parser cares about. */
export function bytes(rand: () => number, max: number, alphabet?: string): Uint8Array {
  const n = Math.floor(rand() * max);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    out[i] =
      alphabet !== undefined && rand() < 0.8
        ? alphabet.charCodeAt(Math.floor(rand() * alphabet.length))
        : Math.floor(rand() * 256);
  }
  return out;
}

/** `base` with a few bytes flipped, inserted or removed. */
export function mutate(rand: () => number, base: Uint8Array): Uint8Array {
  const out = Array.from(base);
  const edits = 1 + Math.floor(rand() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (out.length + 1));
    const op = rand();
    if (op < 0.4 && out.length > 0) out[Math.min(at, out.length - 1)] = Math.floor(rand() * 256);
    else if (op < 0.7) out.splice(at, 0, Math.floor(rand() * 256));
    else out.splice(at, 1);
  }
  return new Uint8Array(out);
}
