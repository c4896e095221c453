// The mistakes a newcomer makes handing work to a task, each refused on the
// caller's thread with an error that says what was wrong and where.
import { afterAll, describe, expect, test } from "bun:test";
import { task, Threaded } from "../../lib/index.ts";

export const echo = task(import.meta, function echo(x: unknown): string {
  return typeof x;
});

export const leak = task(import.meta, function leak(): unknown {
  return { ref: new WeakRef({}) };
});

const threaded = Threaded.init({ asyncLimit: 1 });
const io = threaded.io();
afterAll(() => threaded.deinit());
/** `io` without its types, to make the calls the types would refuse. */
const untyped = io as unknown as {
  concurrent(fn: unknown, ...args: unknown[]): unknown;
  async(fn: unknown, ...args: unknown[]): unknown;
};

describe("task()", () => {
  test("without import.meta says so", () => {
    expect(() => (task as (f: unknown) => unknown)(function forgot() {})).toThrow(
      "task() takes the module's import.meta first: task(import.meta, forgot)",
    );
  });
});

describe("the function given to io.concurrent / io.async", () => {
  test("a value (the task called instead of passed) is named", () => {
    expect(() => untyped.concurrent(echo(1))).toThrow(
      'A task must be a function, not the string "number": pass the function and its arguments apart, as io.concurrent(fn, ...args)',
    );
    expect(() => untyped.async(undefined)).toThrow(/not undefined/);
    expect(() => untyped.concurrent(io.concurrent(echo, 1))).toThrow(/not an object \(Future\)/);
  });

  test("a built-in or bound function is refused before it is queued", () => {
    const before = threaded.stats().tasks.pool;
    expect(() => io.concurrent(Math.max, 1, 2)).toThrow(
      /Function "max" is built in or bound \(its source is "\[native code\]"\)/,
    );
    const bound = ((a: number) => a).bind(null);
    expect(() => io.async(bound, 1)).toThrow(/built in or bound/);
    expect(() => untyped.concurrent(echo.bind(null), 1)).toThrow(
      /Function "bound echo" is built in/,
    );
    expect(threaded.stats().tasks.pool).toBe(before);
  });
});

describe("an argument that cannot be copied", () => {
  test("is named with where it is", () => {
    expect(() => io.concurrent(echo, { a: 1, b: [2, new WeakMap()] })).toThrow(
      /^A WeakMap \(at \[0\]\.b\[1\]\) cannot be passed to a task: it is not data that can be copied to another thread/,
    );
    expect(() => io.concurrent(echo, Symbol("s"))).toThrow(
      /^A symbol \(at \[0\]\) cannot be passed to a task/,
    );
  });

  test("a function inside an argument is named with where it is", () => {
    expect(() => io.concurrent(echo, { name: "job", onDone: () => 1 })).toThrow(
      "A function (at [0].onDone) cannot be passed to a task: pass a task() function by its module instead",
    );
    expect(() => io.concurrent(echo, [1, [2, { deep: { f() {} } }]])).toThrow(
      /^A function \(at \[0\]\[1\]\[1\]\.deep\.f\) cannot be passed/,
    );
  });

  test("a result that cannot be copied says it is the result", () => {
    expect(() => io.concurrent(leak).await(io)).toThrow(
      /^A WeakRef \(at \.ref\) cannot be returned from a task/,
    );
  });
});
