// The checks every public entry makes of the options object it takes, once
// per call and before any syscall: a misspelled name would otherwise leave
// the default in force without a word (`lockNonBlocking: true` blocked
// forever in flock; `hostPath` read /etc/hosts), where Zig rejects an
// unknown field at compile time. An unknown name is a TypeError naming it
// and the known ones; a value outside a closed set (a mode, a family, a
// lock) is a RangeError quoting it and the allowed values.
//
// These run on calls that take an options object (open, listen, connect,
// lookup), never on a per-byte or per-task path.

/** The names of an options type, checked by the compiler both ways: each
 * property of `T` must be listed, and nothing else may be. */
export type OptionNames<T> = { readonly [K in keyof Required<T>]: true };

/** The set `checkOptions` takes, made once at load from a record whose
 * keys the compiler checks against the options type. */
export function optionNames<T>(names: OptionNames<T>): readonly string[] {
  return Object.keys(names);
}

/** Refuses what is not an options object (undefined is: the defaults), and
 * any name not in `names`: `where` names the call in the message. */
export function checkOptions(options: unknown, where: string, names: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new TypeError(`${where} takes an options object, not ${show(options)}`);
  for (const key of Object.keys(options)) {
    if (!names.includes(key))
      throw new TypeError(`${where} has no option "${key}" (the options: ${names.join(", ")})`);
  }
}

/** Refuses a value outside `allowed`, quoting it: `what` names the option
 * (`Lock`, `Socket mode`). An optional option is checked when defined. */
export function checkOneOf(value: unknown, what: string, allowed: readonly string[]): void {
  if (allowed.includes(value as string)) return;
  throw new RangeError(`${what} ${show(value)} is not one of ${allowed.join(", ")}`);
}

function show(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : `"${String(v)}"`;
}
