// `npm run demo`: what threaded-io does on this machine, in a few seconds.
// It grows with the library: files, sockets and the resolver join it as
// they land.
import { Canceled, Group, ResetEvent, Threaded } from "../lib/index.ts";
import { countPrimes, sleepAnHour, sleepMs } from "./demo_tasks.ts";

const threaded = Threaded.init();
const io = threaded.io();
const cpus = navigator.hardwareConcurrency;
const ms = (from: bigint) => Number(io.now("awake").nanoseconds - from) / 1e6;
console.log(`threaded-io demo — Bun ${Bun.version}, ${cpus} CPUs\n`);

// 1. A CPU-bound parallel map over the pool (cpus − 1 threads plus this one).
{
  const N = 2_000_000;
  io.async(countPrimes, 10).await(io); // start the pool thread first
  let start = io.now("awake").nanoseconds;
  const serial = countPrimes(N);
  const serialMs = ms(start);
  start = io.now("awake").nanoseconds;
  // One interleaved share per CPU: the pool takes cpus − 1, and this thread
  // runs the last one inline (Zig's rule once the pool is full).
  const futures = Array.from({ length: cpus }, (_, i) => io.async(countPrimes, N, cpus, i));
  const parallel = futures.reduce((sum, f) => sum + f.await(io), 0);
  const parallelMs = ms(start);
  console.log(`parallel map   primes below ${N}: ${parallel} (serial: ${serial})`);
  console.log(
    `               ${serialMs.toFixed(0)} ms on one thread, ${parallelMs.toFixed(0)} ms on the pool: ${(serialMs / parallelMs).toFixed(2)}× speedup`,
  );
}

// 2. Cancelation that reaches a blocked syscall: four tasks sleep in
//    clock_nanosleep for an hour; group.cancel interrupts them with SIGIO.
{
  const group = Group.init(io);
  const readies = Array.from({ length: 4 }, () => ResetEvent.init(io));
  for (const r of readies) group.concurrent(io, sleepAnHour, io, r);
  for (const r of readies) await r.waitAsync();
  const start = io.now("awake").nanoseconds;
  group.cancel(io);
  console.log(
    `cancel         4 tasks blocked in a 1-hour sleep, all ended Canceled ${ms(start).toFixed(2)} ms after group.cancel`,
  );
  for (const r of readies) r.deinit();
  group.deinit();
}

// 3. select between a slow and a fast future.
{
  const slow = io.async(sleepMs, io, 500);
  const fast = io.concurrent(sleepMs, io, 20);
  const start = io.now("awake").nanoseconds;
  const winner = io.select([slow, fast]);
  console.log(
    `select         ${winner === 1 ? "the fast future" : "the slow future"} won after ${ms(start).toFixed(0)} ms; canceling the other`,
  );
  try {
    slow.cancel(io);
  } catch (e) {
    if (!(e instanceof Canceled)) throw e;
  }
  fast.await(io);
}

const stats = threaded.heap.stats();
console.log(
  `\nheap           ${stats.liveBlocks} blocks live after cleanup (interned task names), ${stats.capacity} bytes mapped`,
);
threaded.deinit();
console.log(`deinit         every pool thread joined`);
