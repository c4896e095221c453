// What a call ended with, as one string: "ok", the IoError's code, or the
// thrown value. Table-driven specs compare these.
import { IoError } from "../../lib/io/errors.ts";

export function codeOf(f: () => unknown): string {
  try {
    f();
    return "ok";
  } catch (e) {
    return e instanceof IoError ? e.code : String(e);
  }
}
