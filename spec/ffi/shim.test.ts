import { afterEach, expect, test } from "bun:test";
import { readlinkSync } from "node:fs";
import { shim, shimPointers } from "../../lib/ffi/shim.ts";
import { symbols } from "../../lib/ffi/symbols.ts";
import { E } from "../../lib/os/index.ts";
import { Threaded } from "../../lib/threaded/threaded.ts";
import { startWorkers, terminateAll } from "../helpers/workers.ts";

afterEach(terminateAll);

test("every symbol has an address to hand to another thread", () => {
  const pointers = shimPointers();
  for (const name of Object.keys(symbols)) {
    expect(typeof pointers[name as keyof typeof pointers]).toBe("number");
    expect(pointers[name as keyof typeof pointers]).toBeGreaterThan(0);
  }
});

test("Workers call into the shim compiled once by the main thread", async () => {
  const t = Threaded.init();
  try {
    const workers = startWorkers(t, 3);
    const ids = await Promise.all(workers.map((w) => w.run<number>("threadSelf")));
    const mine = shim().tio_thread_self() as number;
    // Each Worker is its own OS thread, distinct from this one and each other.
    expect(new Set([mine, ...ids]).size).toBe(4);
  } finally {
    t.deinit();
  }
});

test("integer arguments held as doubles reach C intact (Bun's i32 FFI bug is avoided)", () => {
  const t = Threaded.init();
  try {
    const word = t.heap.allocZeroed(4);
    const s = shim();
    // The word is 0 and we expect 3, given as a double: the wait must refuse
    // at once (EAGAIN). Had 3 arrived as 0, it would sleep until the timeout.
    const three = Math.sqrt(9);
    expect(s.tio_futex_wait_timeout(t.heap.addr(word), three, 50_000_000n)).toBe(-E.EAGAIN!);
    // 2**31 + 1 from `>>> 0` is a double too.
    Atomics.store(t.heap.i32, word >> 2, (2 ** 31 + 1) | 0);
    expect(s.tio_futex_wait_timeout(t.heap.addr(word), (2 ** 31 + 1) >>> 0, 1_000_000n)).toBe(
      -E.ETIMEDOUT!,
    );
    t.heap.free(word);
  } finally {
    t.deinit();
  }
});

test("the shim's table gives every symbol its own non-zero address, and each call reaches its function", () => {
  const p = shimPointers() as Record<string, number>;
  const names = Object.keys(symbols);
  expect(Object.keys(p)).toEqual(names);
  for (const n of names) expect(p[n]).toBeGreaterThan(0);
  expect(new Set(Object.values(p)).size).toBe(names.length);
  // Calls reach the function of their name (the table's order is right).
  if (process.platform === "linux") {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
    expect(Number(shim().tio_thread_os_id())).toBe(tid);
  }
  expect(Number(shim().tio_cpus_allowed())).toBeGreaterThan(0);
  expect(shim().tio_sched_yield()).toBe(0);
});
