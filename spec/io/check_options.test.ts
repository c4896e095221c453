// The shared checks of options objects: an unknown name is a TypeError
// naming it and the known ones, a value outside a closed set a RangeError
// quoting it, and the name table is checked by the compiler both ways.
import { describe, expect, test } from "bun:test";
import { checkOneOf, checkOptions, optionNames } from "../../lib/io/check_options.ts";

interface Example {
  readonly alpha?: number;
  readonly beta?: string;
}
const NAMES = optionNames<Example>({ alpha: true, beta: true });

describe("checkOptions", () => {
  test("known names and undefined pass", () => {
    checkOptions({}, "example", NAMES);
    checkOptions({ alpha: 1, beta: undefined }, "example", NAMES);
    checkOptions(undefined, "example", NAMES);
  });

  test("an unknown name is a TypeError naming it and the known ones", () => {
    expect(() => checkOptions({ alpah: 1 }, "example", NAMES)).toThrow(
      new TypeError('example has no option "alpah" (the options: alpha, beta)'),
    );
  });

  test("what is not an options object is a TypeError", () => {
    for (const bad of [null, 5, "x", [1]])
      expect(() => checkOptions(bad, "example", NAMES)).toThrow(
        /^example takes an options object, not /,
      );
  });

  test("the table lists every name of the type and no other (compile time)", () => {
    // @ts-expect-error: beta is missing
    optionNames<Example>({ alpha: true });
    // @ts-expect-error: gamma is not an option
    optionNames<Example>({ alpha: true, beta: true, gamma: true });
  });
});

describe("checkOneOf", () => {
  test("a value outside the set is a RangeError quoting it", () => {
    checkOneOf("b", "Letter", ["a", "b"]);
    expect(() => checkOneOf("c", "Letter", ["a", "b"])).toThrow(
      new RangeError('Letter "c" is not one of a, b'),
    );
    expect(() => checkOneOf(undefined, "Letter", ["a"])).toThrow(
      new RangeError('Letter "undefined" is not one of a'),
    );
  });
});
