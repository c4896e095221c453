// The Bun version gate lib/index.ts runs first (Node.js gets lib/node.cjs,
// checked by scripts/check-package.ts).
import { expect, test } from "bun:test";
import { bunVersionError } from "../lib/runtime_check.ts";

test("Bun 1.4 and later pass; older or unknown versions get one clear error", () => {
  for (const v of ["1.4.0", "1.4.5", "1.10.0", "2.0.0", Bun.version])
    expect(bunVersionError(v)).toBeNull();
  for (const v of ["1.3.9", "1.0.0", "0.8.1", "", "x", undefined])
    expect(bunVersionError(v)).toStartWith("threaded-io needs Bun >= 1.4 and this is Bun ");
  expect(bunVersionError("1.3.2")).toContain("this is Bun 1.3.2");
});
