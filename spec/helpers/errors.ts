// What a call ended with: as one string ("ok", the IoError's code, or the
// thrown value), which table-driven specs compare, or the thrown value.
import { IoError } from "../../lib/io/errors.ts";

export function codeOf(f: () => unknown): string {
  try {
    f();
    return "ok";
  } catch (e) {
    return e instanceof IoError ? e.code : String(e);
  }
}

/** What `f` threw; fails the spec if it returned. */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("did not throw");
}
