// Loopback TCP: a 64-byte echo round trip and bulk transfer of 1 MiB writes,
// process CPU beside each time. threaded-io blocks in a pool thread
// (server) and on this thread (client); Bun.listen/Bun.connect and node:net
// run both ends on this event loop, and, like with like, the echo server on
// a Worker's event loop. The echo is also measured pinned to one CPU
// (this file re-runs itself under taskset -c 0 with NET_PINNED=1). One run,
// same sizes.
import net from "node:net";
import { Ip4Address, Threaded } from "../lib/index.ts";
import { echo, sink } from "./fixtures/net_tasks.ts";
import { median, writeResults, type Row } from "./stats.ts";

const pinned = process.env.NET_PINNED === "1";
const ROUND_TRIPS = pinned ? 2000 : 5000;
const BULK_MIB = 256;
const REPEATS = 5;
const suffix = pinned ? ", pinned to 1 CPU" : "";
const echoWorker = new URL("./fixtures/net_echo_worker.ts", import.meta.url).href;
const payload = new Uint8Array(64).fill(7);
const chunk = new Uint8Array(1 << 20).fill(1);
const rows: Row[] = [];

/** Process CPU (every thread) of the last timeIt, in ms per repeat. */
let lastCpuMs = 0;
async function timeIt(f: () => Promise<void> | void): Promise<number> {
  const xs: number[] = [];
  const c0 = process.cpuUsage();
  for (let r = 0; r < REPEATS; r++) {
    const s = performance.now();
    await f();
    xs.push(performance.now() - s);
  }
  const c = process.cpuUsage(c0);
  lastCpuMs = (c.user + c.system) / 1000 / REPEATS;
  return median(xs);
}
/** CPU µs per echo of the last timeIt. */
const cpuPerEcho = () => (lastCpuMs * 1000) / ROUND_TRIPS;

/** Where an event-loop client's data events go while an echo is awaited. */
interface EchoSink {
  onData: ((n: number) => void) | null;
}

/** ROUND_TRIPS 64-byte echoes through an event-loop client, timed. */
function timeEchoes(sink: EchoSink, write: () => void): Promise<number> {
  return timeIt(async () => {
    for (let i = 0; i < ROUND_TRIPS; i++) {
      await new Promise<void>((resolve) => {
        let got = 0;
        sink.onData = (n) => {
          got += n;
          if (got >= 64) resolve();
        };
        write();
      });
    }
  });
}

// --- threaded-io ------------------------------------------------------------
{
  const t = Threaded.init({ asyncLimit: 2 });
  const io = t.io();
  const server = Ip4Address.loopback(0).listen(io);
  const addr = server.socket.address;
  // Round trip.
  const client = addr.connect(io, { mode: "stream" });
  const conn = server.accept(io);
  const echoing = io.async(echo, io, conn.handle);
  const buf = new Uint8Array(64);
  const rt = await timeIt(() => {
    for (let i = 0; i < ROUND_TRIPS; i++) {
      client.writeAll(io, payload);
      let got = 0;
      while (got < 64) got += client.read(io, buf.subarray(got));
    }
  });
  client.close(io);
  echoing.await(io);
  rows.push({
    name: "64-byte echo round trip" + suffix,
    impl: "threaded-io",
    value: (rt * 1000) / ROUND_TRIPS,
    unit: "µs",
    better: "lower",
    cpu: cpuPerEcho(),
  });
  server.deinit(io);
  t.deinit();
}
// Bulk.
if (!pinned) {
  const t = Threaded.init({ asyncLimit: 2 });
  const io = t.io();
  const server = Ip4Address.loopback(0).listen(io);
  const addr = server.socket.address;
  const bulk = await timeIt(() => {
    const c = addr.connect(io, { mode: "stream" });
    const s = server.accept(io);
    const f = io.async(sink, io, s.handle);
    for (let i = 0; i < BULK_MIB; i++) c.writeAll(io, chunk);
    c.close(io);
    if (f.await(io) !== BULK_MIB << 20) throw new Error("bytes lost");
  });
  rows.push({
    name: "bulk transfer, 1 MiB writes",
    impl: "threaded-io",
    value: BULK_MIB / (bulk / 1000),
    unit: "MiB/s",
    better: "higher",
    cpu: lastCpuMs / BULK_MIB,
    cpuUnit: "ms per MiB",
  });
  server.deinit(io);
  t.deinit();
}

// --- Bun.listen / Bun.connect -------------------------------------------------
{
  let total = 0;
  const server = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(socket, data) {
        if (socket.data === "sink") total += data.length;
        else socket.write(data);
      },
      open(socket) {
        socket.data = undefined;
      },
    },
  });
  const sink: EchoSink = { onData: null };
  const client = await Bun.connect({
    hostname: "127.0.0.1",
    port: server.port,
    socket: { data: (_s, d) => sink.onData?.(d.length) },
  });
  const rt = await timeEchoes(sink, () => client.write(payload));
  client.end();
  rows.push({
    name: "64-byte echo round trip" + suffix,
    impl: "Bun.listen/connect, one loop",
    value: (rt * 1000) / ROUND_TRIPS,
    unit: "µs",
    better: "lower",
    cpu: cpuPerEcho(),
  });
  server.stop(true);
}

// --- event-loop clients against a server in a Worker (like with like) -----
for (const kind of ["node:net", "Bun.listen"] as const) {
  const w = new Worker(echoWorker);
  const port = await new Promise<number>((r) => {
    w.onmessage = (e: MessageEvent) => r(e.data as number);
    w.postMessage(kind);
  });
  const sink: EchoSink = { onData: null };
  let rt: number;
  if (kind === "node:net") {
    const client = net.connect(port, "127.0.0.1");
    client.setNoDelay(true);
    await new Promise((r) => client.once("connect", r));
    client.on("data", (d) => sink.onData?.(d.length));
    rt = await timeEchoes(sink, () => client.write(payload));
    client.destroy();
  } else {
    const client = await Bun.connect({
      hostname: "127.0.0.1",
      port,
      socket: { data: (_s, d) => sink.onData?.(d.length) },
    });
    rt = await timeEchoes(sink, () => client.write(payload));
    client.end();
  }
  rows.push({
    name: "64-byte echo round trip" + suffix,
    impl: `${kind === "node:net" ? "node:net" : "Bun.listen/connect"}, server in a Worker`,
    value: (rt * 1000) / ROUND_TRIPS,
    unit: "µs",
    better: "lower",
    cpu: cpuPerEcho(),
  });
  w.terminate();
}

if (!pinned) {
  let total = 0;
  const sinkServer = Bun.listen<{ n: number }>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(s) {
        s.data = { n: 0 };
      },
      data(_s, d) {
        total += d.length;
      },
    },
  });
  const bulk = await timeIt(async () => {
    total = 0;
    let drained: (() => void) | null = null;
    const c = await Bun.connect({
      hostname: "127.0.0.1",
      port: sinkServer.port,
      socket: { data() {}, drain: () => drained?.() },
    });
    for (let i = 0; i < BULK_MIB; i++) {
      let off = 0;
      while (off < chunk.length) {
        const n = c.write(chunk.subarray(off));
        off += n;
        if (off < chunk.length) await new Promise<void>((r) => (drained = r));
      }
    }
    c.end();
    while (total < BULK_MIB << 20) await new Promise((r) => setTimeout(r, 1));
  });
  rows.push({
    name: "bulk transfer, 1 MiB writes",
    impl: "Bun.listen/connect",
    value: BULK_MIB / (bulk / 1000),
    unit: "MiB/s",
    better: "higher",
    cpu: lastCpuMs / BULK_MIB,
    cpuUnit: "ms per MiB",
  });
  sinkServer.stop(true);
}

// --- node:net -------------------------------------------------------------------
{
  const server = net.createServer((s) => s.on("data", (d) => s.write(d)));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  const client = net.connect(port, "127.0.0.1");
  client.setNoDelay(true);
  await new Promise((r) => client.once("connect", r));
  const sink: EchoSink = { onData: null };
  client.on("data", (d) => sink.onData?.(d.length));
  const rt = await timeEchoes(sink, () => client.write(payload));
  client.destroy();
  await new Promise((r) => server.close(r));
  rows.push({
    name: "64-byte echo round trip" + suffix,
    impl: "node:net, one loop",
    value: (rt * 1000) / ROUND_TRIPS,
    unit: "µs",
    better: "lower",
    cpu: cpuPerEcho(),
  });
}
if (!pinned) {
  let total = 0;
  const sinkServer = net.createServer((s) => s.on("data", (d) => (total += d.length)));
  await new Promise<void>((r) => sinkServer.listen(0, "127.0.0.1", r));
  const sinkPort = (sinkServer.address() as net.AddressInfo).port;
  const bulk = await timeIt(async () => {
    total = 0;
    const c = net.connect(sinkPort, "127.0.0.1");
    await new Promise((r) => c.once("connect", r));
    for (let i = 0; i < BULK_MIB; i++) {
      if (!c.write(chunk)) await new Promise((r) => c.once("drain", r));
    }
    c.end();
    while (total < BULK_MIB << 20) await new Promise((r) => setTimeout(r, 1));
  });
  rows.push({
    name: "bulk transfer, 1 MiB writes",
    impl: "node:net",
    value: BULK_MIB / (bulk / 1000),
    unit: "MiB/s",
    better: "higher",
    cpu: lastCpuMs / BULK_MIB,
    cpuUnit: "ms per MiB",
  });
  await new Promise((r) => sinkServer.close(r));
}

if (pinned) {
  console.log(JSON.stringify(rows)); // to the parent run
  process.exit(0);
}
// The echo again, pinned to one CPU, in a child process.
const taskset = Bun.which("taskset");
if (taskset !== null) {
  const p = Bun.spawnSync([taskset, "-c", "0", process.execPath, import.meta.path], {
    env: { ...process.env, NET_PINNED: "1" },
    stderr: "inherit",
  });
  if (p.exitCode !== 0) throw new Error(`the pinned run exited with ${p.exitCode}`);
  rows.push(...(JSON.parse(p.stdout.toString().trim().split("\n").at(-1)!) as Row[]));
}
writeResults("net", rows);
const v = (name: string, impl: string) =>
  rows.find((r) => r.name === name && r.impl === impl)!.value;
for (const name of ["64-byte echo round trip", "64-byte echo round trip, pinned to 1 CPU"]) {
  if (!rows.some((r) => r.name === name)) continue;
  const ours = v(name, "threaded-io");
  console.log(
    `${name}: ${(v(name, "node:net, server in a Worker") / ours).toFixed(2)}× node:net (server in a Worker), ` +
      `${(v(name, "node:net, one loop") / ours).toFixed(2)}× node:net (one loop) (>1: threaded-io faster)`,
  );
}
