// Randomized cancel races across every kind of blocking operation: a task
// blocks in one of eleven operations and is canceled at a random moment
// (before it starts, while it sets up, or while blocked). Every one must end
// Canceled (or "ok" when it finished first) — never hang, never anything
// else — and leave no fd, no watchdog entry and no heap block behind.
// STRESS_RACES sets the count (default 10,000). A group wait that is
// canceled cancels its members and then returns normally (Zig's
// groupWait), so that kind ends "ok".
import { expect, test } from "bun:test";
import dgram from "node:dgram";
import { writeFileSync } from "node:fs";
import { Condition, Mutex, Queue, Threaded } from "../../lib/index.ts";
import { shim } from "../../lib/ffi/shim.ts";
import { raceTarget, type RaceShared } from "../fixtures/race_tasks.ts";
import { openFds, tempDir } from "../helpers/tmp.ts";
import { prng } from "../helpers/prng.ts";
import { scaled } from "../helpers/time_scale.ts";

const RACES = Number(process.env.STRESS_RACES ?? 10_000);
const KINDS = 11;

// prettier-ignore
test(`${RACES} cancel races across ${KINDS} kinds of blocking operation`, async () => {
  const t = Threaded.init({ asyncLimit: 2 });
  const io = t.io();
  const tmp = tempDir();
  const silent = dgram.createSocket("udp4");
  await new Promise<void>((r) => silent.bind(0, "127.0.0.1", r));
  writeFileSync(`${tmp.path}/hosts`, "");
  writeFileSync(`${tmp.path}/resolv.conf`, "options timeout:30 attempts:1\n");
  const full = Queue.init<number>(io, 1);
  full.putOne(io, 1);
  const shared: RaceShared = {
    word: { ref: t.heap.allocZeroed(4) },
    empty: Queue.init<number>(io, 1),
    full,
    mutex: Mutex.init(io),
    cond: Condition.init(io),
    silentPort: silent.address().port,
    hostsPath: `${tmp.path}/hosts`,
    resolvConfPath: `${tmp.path}/resolv.conf`,
  };
  // The spawn host (pool threads here start group members) opens its event
  // loop's descriptors when it starts: start it before they are counted.
  t.handle();
  // Warm up: every kind once (threads, interned names, scratch memory).
  for (let k = 0; k < KINDS; k++) io.async(raceTarget, io, k, shared).cancel(io);
  const fds = openFds();
  const heap = t.heap.stats();
  const rand = prng(Number(process.env.FUZZ_SEED ?? 42));
  const outcomes = new Map<string, number>();
  const start = performance.now();
  for (let i = 0; i < RACES; i++) {
    const f = io.async(raceTarget, io, i % KINDS, shared);
    const spins = Math.floor(rand() * 40_000);
    for (let s = 0; s < spins; s++) Atomics.load(t.heap.i32, 0);
    let outcome: string;
    try {
      outcome = f.cancel(io);
    } catch (e) {
      outcome = `threw ${String(e)}`;
    }
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  const seconds = (performance.now() - start) / 1000;
  const unexpected = [...outcomes].filter(([k]) => k !== "Canceled" && k !== "ok");
  expect(unexpected).toEqual([]);
  expect(outcomes.get("Canceled")).toBeGreaterThan(RACES * 0.9);
  expect(shim().tio_watchdog_pending()).toBe(0);
  expect(openFds()).toBeLessThanOrEqual(fds); // fewer: an idle pool thread retired
  // Task names are interned once per thread: a pool thread that first
  // starts a group member here adds its copy (bounded: threads × names).
  expect(t.heap.stats().liveBlocks - heap.liveBlocks).toBeLessThanOrEqual(4);
  console.log(
    `${RACES} races in ${seconds.toFixed(1)} s: ${JSON.stringify(Object.fromEntries(outcomes))}`,
  );
  t.heap.free(shared.word.ref);
  shared.empty.deinit();
  shared.full.deinit();
  shared.mutex.deinit();
  shared.cond.deinit();
  t.deinit();
  silent.close();
  tmp.remove();
}, scaled(180_000));
