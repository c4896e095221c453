// Producer/consumer over Io.Queue: one producer, three consumers, bounded
// queues in the shared heap; blocking puts and gets between real threads.
import { Queue, Threaded } from "../lib/index.ts";
import { consume, produce } from "./tasks.ts";

const threaded = Threaded.init({ asyncLimit: 4 });
const io = threaded.io();

const jobs = Queue.init<number | null>(io, 8);
const results = Queue.init<number>(io, 1000);
const consumers = [0, 1, 2].map(() => io.concurrent(consume, io, jobs, results));
const producer = io.concurrent(produce, io, jobs, 100, consumers.length);

const produced = producer.await(io);
const handled = consumers.map((c) => c.await(io));
const squares = results.get(io, produced, produced);
console.log(
  `produced ${produced}, handled per consumer ${handled.join("/")}, sum of squares ${squares.reduce((a, b) => a + b, 0)}`,
);

jobs.deinit();
results.deinit();
threaded.deinit();
