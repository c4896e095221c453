// A parallel map: split the work, hand the pieces to the pool, await them.
// `io.async` runs a piece inline when the pool is full (Zig's rule), so the
// calling thread works too; `io.concurrent` would give each piece a thread.
import { Threaded } from "../lib/index.ts";
import { sumSquares } from "./tasks.ts";

const threaded = Threaded.init();
const io = threaded.io();

const N = 40_000_000;
const pieces = 8;
const step = N / pieces;
const start = performance.now();
const futures = Array.from({ length: pieces }, (_, i) =>
  io.async(sumSquares, i * step, (i + 1) * step),
);
const total = futures.reduce((sum, f) => sum + f.await(io), 0);
console.log(
  `sum of squares: ${total} in ${(performance.now() - start).toFixed(0)} ms over ${pieces} pieces`,
);

threaded.deinit();
