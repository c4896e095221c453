// Questions about a task's value (what it returned, threw or rejected with)
// that never throw. Asking runs the value's own code: a Proxy's traps
// (`instanceof` calls getPrototypeOf, reading `then` calls get) and getters.
// On a pool thread such a throw escaped the task's finishing, ended the
// thread's task loop and left the future to the reaper ("the pool thread
// running this task exited").

/** `v instanceof C`; false when asking throws. */
export function isInstance(v: unknown, C: abstract new (...a: never[]) => unknown): boolean {
  try {
    return v instanceof C;
  } catch {
    return false;
  }
}

/** A short description of a thrown value for a message: `Name: message`
 * for an Error, `String(v)` otherwise, and a fixed text when reading it
 * throws too. */
export function describeThrown(v: unknown, max = 200): string {
  try {
    const s = v instanceof Error ? `${v.name}: ${v.message}` : String(v);
    return s.length > max ? `${s.slice(0, max)}…` : s;
  } catch {
    return "a value that throws when it is read (a Proxy's trap or a getter)";
  }
}
