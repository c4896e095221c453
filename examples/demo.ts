// `npm run demo`: what threaded-io does on this machine, in a few seconds.
// It grows with the library; today it shows the foundation: Zig's time
// types, a Mutex shared by real threads, and a blocking sleep in another
// thread interrupted by a cancel.
import { Duration, Mutex, ResetEvent, Threaded } from "../lib/index.ts";
import { requestCancel } from "../lib/threaded/cancel.ts";

const threaded = Threaded.init();
const io = threaded.io();

const start = io.now("awake");
console.log(`threaded-io demo — Bun ${Bun.version}, ${navigator.hardwareConcurrency} CPUs`);
console.log(`now (real):  ${io.now("real").toMilliseconds()} ms since the epoch`);

// 1. Four threads increment one counter under a Mutex that lives in the
//    shared heap.
const mutex = Mutex.init(io);
const counter = threaded.heap.allocZeroed(4);
const workerSource = `
  import { Threaded } from "${new URL("../lib/threaded/threaded.ts", import.meta.url).href}";
  import { Mutex } from "${new URL("../lib/io/mutex.ts", import.meta.url).href}";
  import { ResetEvent } from "${new URL("../lib/io/reset_event.ts", import.meta.url).href}";
  import { Duration, Timeout } from "${new URL("../lib/io/time.ts", import.meta.url).href}";
  import { enterTask, exitTask } from "${new URL("../lib/threaded/cancel.ts", import.meta.url).href}";
  self.onmessage = (e) => {
    const { handle, job } = e.data;
    const t = Threaded.attach(handle);
    const io = t.io();
    if (job.kind === "count") {
      const m = Mutex.from(t.heap, job.mutex);
      for (let i = 0; i < job.n; i++) { m.lock(io); t.heap.i32[job.counter >> 2]++; m.unlock(io); }
      self.postMessage("counted");
    } else {
      enterTask(t.heap, job.word);
      let outcome = "slept the whole hour";
      try { ResetEvent.from(t.heap, job.ready).set(); io.sleep(Duration.fromSeconds(3600)); }
      catch (err) { outcome = err.name; }
      finally { exitTask(); }
      self.postMessage(outcome);
    }
  };`;
const url = URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
const spawn = (job: object) => {
  const w = new Worker(url);
  const reply = new Promise<string>((r) => (w.onmessage = (e) => r(e.data)));
  w.postMessage({ handle: threaded.handle(), job });
  return { w, reply };
};

const counters = Array.from({ length: 4 }, () =>
  spawn({ kind: "count", mutex: mutex.ref, counter, n: 25_000 }),
);
await Promise.all(counters.map((c) => c.reply));
counters.forEach((c) => c.w.terminate());
console.log(`mutex:       4 threads × 25,000 increments = ${threaded.heap.i32[counter >> 2]}`);

// 2. A thread blocked in a one-hour sleep (clock_nanosleep) is canceled:
//    SIGIO interrupts the syscall and the task sees Canceled.
const word = threaded.heap.allocZeroed(4);
const ready = ResetEvent.init(io);
const sleeper = spawn({ kind: "sleep", word, ready: ready.ref });
await ready.waitAsync();
const canceledAt = io.now("awake");
requestCancel(threaded.heap, word);
const outcome = await sleeper.reply;
const ms = Number(canceledAt.durationTo(io.now("awake")).nanoseconds) / 1e6;
sleeper.w.terminate();
console.log(
  `cancel:      a 1-hour sleep in another thread ended with ${outcome} ${ms.toFixed(2)} ms after the cancel`,
);

threaded.heap.free(counter);
threaded.heap.free(word);
mutex.deinit();
ready.deinit();
const stats = threaded.heap.stats();
console.log(
  `heap:        ${stats.liveBlocks} blocks live after cleanup, ${stats.capacity} bytes mapped`,
);
console.log(`done in ${Number(start.durationTo(io.now("awake")).nanoseconds / 1_000_000n)} ms`);
threaded.deinit();
