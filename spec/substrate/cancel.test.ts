import { afterEach, expect, test } from "bun:test";
import { shim } from "../../lib/ffi/shim.ts";
import { ResetEvent } from "../../lib/io/reset_event.ts";
import { CANCELING, requestCancel } from "../../lib/substrate/cancel.ts";
import { signalsInstalled } from "../../lib/threaded/signals.ts";
import { Threaded } from "../../lib/threaded/threaded.ts";
import { startWorkers, terminateAll } from "../helpers/workers.ts";
import { syscallNumber, untilBlockedIn } from "../helpers/proc.ts";
import { scaled } from "../helpers/time_scale.ts";

let t: Threaded;
afterEach(() => {
  terminateAll();
  t?.deinit();
});

test("a long sleep in a Worker ends early with Canceled when canceled", async () => {
  t = Threaded.init();
  using ready = ResetEvent.init(t.io());
  const word = t.heap.allocZeroed(4);
  const [w] = startWorkers(t, 1);
  const tid = await w.run<number>("threadOsId");
  const result = w.run<{ outcome: string; ms: number }>("sleepCanceled", {
    word,
    ready: ready.ref,
    ms: 60_000,
  });
  await untilBlockedIn(tid, syscallNumber("clock_nanosleep"));
  requestCancel(t.heap, word);
  const r = await result;
  expect(r.outcome).toBe("Canceled");
  expect(r.ms).toBeLessThan(scaled(10_000));
  expect(Atomics.load(t.heap.i32, word >> 2)).toBe(CANCELING); // settled
  expect(shim().tio_watchdog_pending()).toBe(0);
  t.heap.free(word);
});

test("sleep with Timeout.none sleeps until canceled", async () => {
  t = Threaded.init();
  using ready = ResetEvent.init(t.io());
  const word = t.heap.allocZeroed(4);
  const [w] = startWorkers(t, 1);
  const result = w.run<{ outcome: string }>("sleepCanceled", { word, ready: ready.ref, ms: -1 });
  await ready.waitAsync();
  requestCancel(t.heap, word); // may land before the syscall: the watchdog resends
  expect((await result).outcome).toBe("Canceled");
  t.heap.free(word);
});

test("a task canceled before it starts still runs and sees Canceled at its first check", async () => {
  t = Threaded.init();
  using ready = ResetEvent.init(t.io());
  const word = t.heap.allocZeroed(4);
  requestCancel(t.heap, word);
  const [w] = startWorkers(t, 1);
  const r = await w.run<{ outcome: string }>("sleepCanceled", {
    word,
    ready: ready.ref,
    ms: 60_000,
  });
  expect(r.outcome).toBe("Canceled");
  expect(ready.isSet()).toBe(true); // the body ran
  t.heap.free(word);
});

// prettier-ignore
test("500 cancels at random moments around a futex wait or a sleep: none is lost", async () => {
  t = Threaded.init();
  const io = t.io();
  const workers = startWorkers(t, 2);
  const futex = t.heap.allocZeroed(4);
  let canceled = 0;
  for (let i = 0; i < 500; i++) {
    using ready = ResetEvent.init(io);
    const word = t.heap.allocZeroed(4);
    const w = workers[i % 2];
    const result =
      i % 4 < 2
        ? w.run<string>("futexWaitCanceled", { word, ready: ready.ref, futex })
        : w
            .run<{ outcome: string }>("sleepCanceled", { word, ready: ready.ref, ms: -1 })
            .then((r) => r.outcome);
    // Cancel before, around or after the worker reaches its blocking call.
    const spins = Math.floor(Math.random() * 20_000);
    if (i % 3 === 0) await ready.waitAsync();
    for (let s = 0; s < spins; s++) Atomics.load(t.heap.i32, 0);
    requestCancel(t.heap, word);
    if ((await result) === "Canceled") canceled++;
    t.heap.free(word);
  }
  expect(canceled).toBe(500);
  expect(shim().tio_watchdog_pending()).toBe(0);
  t.heap.free(futex);
}, scaled(60_000));

test("the cancel signal handler is installed by init and restored by the last deinit", () => {
  const a = Threaded.init();
  const b = Threaded.init();
  expect(signalsInstalled()).toBe(true);
  a.deinit();
  expect(signalsInstalled()).toBe(true);
  b.deinit();
  expect(signalsInstalled()).toBe(false);
});
