// A timeout around any operation: select between the work and a timer, then
// cancel whichever lost. The canceled sleep is interrupted at once.
import { Canceled, Threaded, type Future, type Io } from "../lib/index.ts";
import { slowWork, timer } from "./tasks.ts";

function withTimeout<T>(io: Io, work: Future<T>, ms: number): T | "timeout" {
  const clock = io.concurrent(timer, io, ms);
  const winner = io.select([work, clock]);
  const loser = winner === 0 ? clock : work;
  try {
    loser.cancel(io);
  } catch (e) {
    if (!(e instanceof Canceled)) throw e;
  }
  return winner === 0 ? work.await(io) : "timeout";
}

const threaded = Threaded.init();
const io = threaded.io();
console.log(
  "fast work, 500 ms limit:",
  withTimeout(io, io.concurrent(slowWork, io, 10, "done"), 500),
);
console.log(
  "slow work, 50 ms limit:",
  withTimeout(io, io.concurrent(slowWork, io, 10_000, "done"), 50),
);
threaded.deinit();
