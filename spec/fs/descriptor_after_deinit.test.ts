// A File that crossed to one instance's tasks keeps its cell after that
// instance is deinitialized (lib/io/descriptor_cell.ts): the heap is only
// marked closed. Before, a copy handed back by a task and its original
// stopped telling each other about a close once the instance was gone,
// and the copy read whatever file had taken the number since.
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Dir, ResetEvent, Threaded, type File, type Io } from "../../lib/index.ts";
import { tempDir } from "../helpers/tmp.ts";
import { handBack, statAfter } from "../fixtures/descriptor_tasks.ts";
import { add } from "../fixtures/tasks.ts";

const tmp = tempDir("tio-descriptor-after-deinit-");
const live: Threaded[] = [];
beforeAll(() => {
  writeFileSync(join(tmp.path, "a.txt"), "aaaa");
  writeFileSync(join(tmp.path, "b.txt"), "bb");
});
afterEach(() => {
  for (const t of live.splice(0)) t.deinit();
});
afterAll(() => tmp.remove());

function init(): [Threaded, Io] {
  const t = Threaded.init();
  live.push(t);
  const io = t.io();
  // The first task allocates what a pool thread keeps: heap use is
  // compared after it.
  expect(io.concurrent(add, 1, 2).await(io)).toBe(3);
  return [t, io];
}

/** The original and the copy a task handed back, its instance then gone. */
function handedBackThenDeinit(): [File, File] {
  const [t1, io1] = init();
  const file = Dir.cwd().openFile(io1, join(tmp.path, "a.txt"));
  const copy = io1.concurrent(handBack, io1, file).await(io1);
  expect(copy).not.toBe(file);
  expect(copy.handle).toBe(file.handle);
  live.splice(live.indexOf(t1), 1);
  t1.deinit();
  return [file, copy];
}

test("after the instance is gone, a close through the original is seen by the copy", () => {
  const [file, copy] = handedBackThenDeinit();
  const [, io] = init();
  file.close(io);
  // An open takes the number back (the lowest free one; a few, as the
  // deinit freed lower ones): the copy must not read it.
  const opened: File[] = [];
  try {
    for (let i = 0; i < 16 && !opened.some((f) => f.handle === file.handle); i++)
      opened.push(Dir.cwd().openFile(io, join(tmp.path, "b.txt")));
    expect(opened.at(-1)!.handle).toBe(file.handle);
    expect(() => copy.stat(io)).toThrow(/used after close, closed through another File/);
    expect(() => copy.close(io)).toThrow(/closed twice through another File/);
    expect(opened.at(-1)!.stat(io).size).toBe(2n);
  } finally {
    for (const f of opened) f.close(io);
  }
});

test("and a close through the copy by the original", () => {
  const [file, copy] = handedBackThenDeinit();
  const [, io] = init();
  copy.close(io);
  expect(() => file.stat(io)).toThrow(/used after close, closed through another File/);
});

test("crossing to a later instance: a close through an old copy reaches the new copies", () => {
  const [file, copy] = handedBackThenDeinit();
  const [t2, io2] = init();
  const noEvents = t2.stats().heap.inUse;
  const ready = ResetEvent.init(io2);
  const go = ResetEvent.init(io2);
  const events = t2.stats().heap.inUse - noEvents;
  let withCell = 0;
  try {
    // Once through (the file gets its cell in t2, linked from the old one).
    go.set();
    expect(io2.concurrent(statAfter, io2, file, ready, go).await(io2)).toBe("4");
    withCell = t2.stats().heap.inUse;
    ready.reset();
    go.reset();
    const f = io2.concurrent(statAfter, io2, file, ready, go);
    ready.wait(io2);
    copy.close(io2); // the copy never crossed to t2; its record links there
    go.set();
    expect(f.await(io2)).toMatch(/^BugError: File \(descriptor \d+\) used after close/);
    expect(() => file.close(io2)).toThrow(/closed twice through another File/);
  } finally {
    ready.deinit();
    go.deinit();
  }
  // The new instance's cell (8 bytes) went with the close.
  expect(t2.stats().heap.inUse).toBe(withCell - events - 8);
});

test("the original and its old copy cross to one later instance over one cell", () => {
  const [file, copy] = handedBackThenDeinit();
  const [t2, io2] = init();
  const back = io2.concurrent(handBack, io2, file).await(io2);
  const withCell = t2.stats().heap.inUse;
  const back2 = io2.concurrent(handBack, io2, copy).await(io2);
  expect(t2.stats().heap.inUse).toBe(withCell); // one cell, not two
  back2.close(io2);
  for (const f of [file, copy, back])
    expect(() => f.stat(io2)).toThrow(/used after close, closed through another File/);
  expect(t2.stats().heap.inUse).toBe(withCell - 8);
});
