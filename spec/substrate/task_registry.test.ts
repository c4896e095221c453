// task(): a name registers one function per module. Under `bun test
// --rerun-each 2` a test file that defines tasks is evaluated again, which
// registers a new function object under the same name and source: it threw
// "Two task functions named …" on the second run.
import { expect, test } from "bun:test";
import { task } from "../../lib/index.ts";

const url = "file:///spec/substrate/task_registry.virtual.ts";
const meta = { url };

test("the same source through a new import.meta (the module evaluated again) stands", () => {
  const make = () =>
    function twice(n: number): number {
      return 2 * n;
    };
  const first = task({ url }, make());
  const again = task({ url }, make());
  expect(again).not.toBe(first);
  expect(again(21)).toBe(42);
});

test("two closures of one factory through one import.meta are refused, same source or not", () => {
  // Accepted, the pool thread ran the last one for both: times2(10) gave 30.
  const make = (k: number) =>
    task(meta, function scaled(x: number): number {
      return x * k;
    });
  make(2);
  expect(() => make(3)).toThrow(
    new TypeError(`Two task functions named "scaled" in module "${url}"`),
  );
});

test("another function under a name already taken is refused", () => {
  task(meta, function taken(): number {
    return 1;
  });
  expect(() =>
    task(meta, function taken(): number {
      return 2;
    }),
  ).toThrow(new TypeError(`Two task functions named "taken" in module "${meta.url}"`));
});
