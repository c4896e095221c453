// task(): a name registers one function per module. Under `bun test
// --rerun-each 2` a test file that defines tasks is evaluated again, which
// registers a new function object under the same name and source: it threw
// "Two task functions named …" on the second run.
import { expect, test } from "bun:test";
import { task } from "../../lib/index.ts";

const meta = { url: "file:///spec/substrate/task_registry.virtual.ts" };

test("the same source registered again (a module evaluated again) stands", () => {
  const make = () =>
    function twice(n: number): number {
      return 2 * n;
    };
  const first = task(meta, make());
  const again = task(meta, make());
  expect(again).not.toBe(first);
  expect(again(21)).toBe(42);
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
