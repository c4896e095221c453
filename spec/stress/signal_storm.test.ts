// A signal storm: one pool thread sends the cancel signal to the others
// every 20 µs while they do file and socket I/O; every EINTR is retried and
// every byte arrives intact.
import { expect, test } from "bun:test";
import { Threaded } from "../../lib/index.ts";
import { checkedIo, signalStorm } from "../fixtures/race_tasks.ts";
import { openFdsUnder, openSockets, tempDir } from "../helpers/tmp.ts";
import { scaled } from "../helpers/time_scale.ts";

// prettier-ignore
test("file and socket I/O under a storm of cancel signals completes with correct data", () => {
  const t = Threaded.init({ asyncLimit: 3 });
  const io = t.io();
  const tmp = tempDir();
  try {
    // Warm the workers so the storm has targets from the start.
    for (let i = 0; i < 2; i++)
      expect(io.concurrent(checkedIo, io, tmp.path, 100 + i).await(io)).toBe("ok");
    // New pool threads hold eventfds of their own: count what the workload
    // opens, sockets and files in its directory.
    const sockets = openSockets();
    const stop = { ref: t.heap.allocZeroed(4) };
    const storm = io.concurrent(signalStorm, io, stop);
    const results: string[] = [];
    for (let round = 0; round < 8; round++) {
      const a = io.async(checkedIo, io, tmp.path, round * 2);
      const b = io.async(checkedIo, io, tmp.path, round * 2 + 1);
      results.push(a.await(io), b.await(io));
    }
    Atomics.store(t.heap.i32, stop.ref >> 2, 1);
    const sent = storm.await(io);
    expect(results).toEqual(new Array(16).fill("ok"));
    expect(sent).toBeGreaterThan(100);
    expect(openSockets()).toBe(sockets);
    expect(openFdsUnder(tmp.path)).toBe(0);
    console.log(
      `signal storm: ${sent} cancel signals sent during 16 checked file+socket workloads`,
    );
    t.heap.free(stop.ref);
  } finally {
    t.deinit();
    tmp.remove();
  }
}, scaled(60_000));
