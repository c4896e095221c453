// Loopback TCP: a 64-byte echo round trip and bulk transfer of 1 MiB writes.
// threaded-io blocks in pool threads (server) and on this thread (client);
// Bun.listen/Bun.connect and node:net run both ends on this event loop. One
// run, same sizes.
import net from "node:net";
import { Ip4Address, Threaded } from "../lib/index.ts";
import { echo, sink } from "./fixtures/net_tasks.ts";
import { median, writeResults, type Row } from "./stats.ts";

const ROUND_TRIPS = 5000;
const BULK_MIB = 256;
const REPEATS = 5;
const payload = new Uint8Array(64).fill(7);
const chunk = new Uint8Array(1 << 20).fill(1);
const rows: Row[] = [];

async function timeIt(f: () => Promise<void> | void): Promise<number> {
  const xs: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const s = performance.now();
    await f();
    xs.push(performance.now() - s);
  }
  return median(xs);
}

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
    name: "64-byte echo round trip",
    impl: "threaded-io",
    value: (rt * 1000) / ROUND_TRIPS,
    unit: "µs",
    better: "lower",
  });
  // Bulk.
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
    name: "64-byte echo round trip",
    impl: "Bun.listen/connect",
    value: (rt * 1000) / ROUND_TRIPS,
    unit: "µs",
    better: "lower",
  });
  server.stop(true);

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
    name: "64-byte echo round trip",
    impl: "node:net",
    value: (rt * 1000) / ROUND_TRIPS,
    unit: "µs",
    better: "lower",
  });

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
  });
  await new Promise((r) => sinkServer.close(r));
}

writeResults("net", rows);
const v = (name: string, impl: string) =>
  rows.find((r) => r.name === name && r.impl === impl)!.value;
const rtName = "64-byte echo round trip";
const bulkName = "bulk transfer, 1 MiB writes";
console.log(
  `round trip: ${(v(rtName, "Bun.listen/connect") / v(rtName, "threaded-io")).toFixed(2)}× Bun, ${(v(rtName, "node:net") / v(rtName, "threaded-io")).toFixed(2)}× node:net; ` +
    `bulk: ${(v(bulkName, "threaded-io") / v(bulkName, "Bun.listen/connect")).toFixed(2)}× Bun, ${(v(bulkName, "threaded-io") / v(bulkName, "node:net")).toFixed(2)}× node:net (>1: threaded-io faster)`,
);
