// AbortSignal interop, both ways: a web-style signal cancels a task
// (future.cancelOn), and a task hands its own cancelation to Bun APIs that
// take a signal (io.abortSignal(), e.g. for fetch).
import { Canceled, Threaded } from "../lib/index.ts";
import { slowWork, waitForAbort } from "./tasks.ts";

const threaded = Threaded.init();
const io = threaded.io();

// 1. AbortSignal.timeout(50) cancels a task blocked in a 10-second sleep.
const f = io.concurrent(slowWork, io, 10_000, "finished").cancelOn(AbortSignal.timeout(50));
try {
  await f;
} catch (e) {
  console.log("task canceled by the signal:", e instanceof Canceled);
}

// 2. Inside a task, io.abortSignal() aborts when the task is canceled.
const g = io.concurrent(waitForAbort, io);
setTimeout(() => g.requestCancel(io), 20);
console.log("task saw:", await g);

threaded.deinit();
