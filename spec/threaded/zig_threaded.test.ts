// Zig's lib/std/Io/Threaded/test.zig, ported.
import { afterEach, expect, test } from "bun:test";
import { Group, Queue, Threaded } from "../../lib/index.ts";
import {
  concatBytes,
  concatInto,
  getFortyTwo,
  putFortyTwo,
  returnArray,
} from "../fixtures/tasks.ts";

let t: Threaded | undefined;
afterEach(() => {
  t?.deinit();
  t = undefined;
});

test("concurrent vs main prevents deadlock via oversubscription", () => {
  t = Threaded.init({ asyncLimit: 0 });
  const io = t.io();
  using q = Queue.init<number>(io, 0);
  const putter = io.concurrent(putFortyTwo, io, q);
  expect(q.getOneUncancelable(io)).toBe(42);
  putter.cancel(io);
});

test("concurrent vs concurrent prevents deadlock via oversubscription", () => {
  t = Threaded.init({ asyncLimit: 0 });
  const io = t.io();
  using q = Queue.init<number>(io, 0);
  const putter = io.concurrent(putFortyTwo, io, q);
  const getter = io.concurrent(getFortyTwo, io, q);
  expect(getter.await(io)).toBe(42);
  putter.await(io);
});

const a = new Uint8Array(32).fill(2);
const b = new Uint8Array(32).fill(3);
const expected = new Uint8Array([...a, ...b]);

test("async/concurrent arguments and results arrive intact", () => {
  t = Threaded.init();
  const io = t.io();
  expect(io.async(concatBytes, a, b).await(io)).toEqual(expected);
  expect(io.concurrent(concatBytes, a, b).await(io)).toEqual(expected);
});

test("Group.async arguments arrive intact", () => {
  t = Threaded.init();
  const io = t.io();
  using q = Queue.init<Uint8Array>(io, 1);
  using g = Group.init(io);
  g.async(io, concatInto, io, a, b, q);
  g.wait(io);
  expect(q.getOne(io)).toEqual(expected);
});

test("async with array return type", () => {
  t = Threaded.init();
  const io = t.io();
  expect(io.async(returnArray).await(io)).toEqual(new Array(32).fill(5));
});
