// `npm run demo`: what threaded-io does on this machine, in a few seconds:
// a parallel map, a thread-per-connection echo server stopped by canceling
// the threads blocked in accept and read, cancelation of blocked sleeps,
// positional file I/O, the pure-TypeScript resolver, and select.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Canceled, Dir, Group, HostName, Ip4Address, ResetEvent, Threaded } from "../lib/index.ts";
import { acceptLoop, countPrimes, sleepAnHour, sleepMs } from "./demo_tasks.ts";

// `--trace trace.json`: record what every thread does and write it at
// deinit (then: `bunx threaded-io trace-svg trace.json > timeline.svg`).
const traceAt = process.argv.indexOf("--trace");
const tracePath = traceAt < 0 ? undefined : (process.argv[traceAt + 1] ?? "trace.json");
const threaded = Threaded.init(tracePath === undefined ? {} : { trace: { path: tracePath } });
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
//    clock_nanosleep for an hour; group.cancel interrupts them with the cancel signal.
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

// 3. A thread-per-connection echo server: the accept loop runs in a pool
//    thread, each connection in its own task of a group. Stopping it means
//    canceling threads blocked in accept(2) and read(2).
{
  const server = Ip4Address.loopback(0).listen(io, { reuseAddress: true });
  const connections = Group.init(io);
  const acceptor = Group.init(io);
  const ready = ResetEvent.init(io);
  acceptor.concurrent(io, acceptLoop, io, server, connections, ready);
  await ready.waitAsync();
  const clients = Array.from({ length: 3 }, () =>
    server.socket.address.connect(io, { mode: "stream" }),
  );
  const echoed: string[] = [];
  for (const [i, c] of clients.entries()) {
    c.writeAll(io, new TextEncoder().encode(`hello from client ${i}\n`));
    echoed.push(c.reader(io).readLine() ?? "");
  }
  const start = io.now("awake").nanoseconds;
  acceptor.cancel(io); // interrupts accept
  connections.cancel(io); // interrupts the three reads
  const stopMs = ms(start);
  console.log(
    `echo server    3 clients echoed (${JSON.stringify(echoed[0])}, ...) on port ${server.socket.address.port}`,
  );
  console.log(
    `               stopped with group.cancel: 4 threads blocked in accept/read returned Canceled in ${stopMs.toFixed(2)} ms`,
  );
  for (const c of clients) c.close(io);
  server.deinit(io);
  ready.deinit();
  acceptor.deinit();
  connections.deinit();
}

// 4. A file written and read back positionally, with Zig's errors.
const tmp = mkdtempSync(join(tmpdir(), "threaded-io-demo-"));
{
  const dir = Dir.cwd().openDir(io, tmp);
  const file = dir.createFile(io, "data.bin", { read: true });
  file.writePositional(io, new TextEncoder().encode("world"), 6);
  file.writePositional(io, new TextEncoder().encode("hello "), 0);
  const buf = new Uint8Array(11);
  file.readPositional(io, buf, 0);
  const size = file.stat(io).size;
  file.close(io);
  let missing = "";
  try {
    dir.openFile(io, "missing.txt");
  } catch (e) {
    missing = (e as Error).message;
  }
  dir.close(io);
  console.log(
    `file           wrote at offsets 6 then 0, read back "${new TextDecoder().decode(buf)}" (${size} bytes)`,
  );
  console.log(`               opening a missing file: ${missing}`);
}

// 5. The pure-TypeScript resolver: localhost (RFC 6761) and a hosts-file name.
{
  const hostsPath = join(tmp, "hosts");
  writeFileSync(hostsPath, "10.11.12.13  api.demo.internal api\n");
  const local = HostName.init("localhost").lookupAll(io, { port: 80, hostsPath });
  const api = HostName.init("api").lookupAll(io, { port: 443, hostsPath });
  console.log(`resolver       localhost → ${local.addresses.map(String).join(", ")}`);
  console.log(
    `               api (hosts file) → ${api.addresses.map(String).join(", ")}, canonical name ${api.canonicalName}`,
  );
}
rmSync(tmp, { recursive: true, force: true });

// 6. select between a slow and a fast future.
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
if (tracePath !== undefined) console.log(`trace          written to ${tracePath}`);
