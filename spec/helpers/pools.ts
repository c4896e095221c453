// Pools a spec file makes, each deinitialized after its test (even one
// that failed halfway), so that no test leaves threads to the next.
import { afterEach } from "bun:test";
import { Threaded } from "../../lib/index.ts";

/** Registers the afterEach of the calling spec file; returns its init. */
export function deinitAfterEach(): (options?: Parameters<typeof Threaded.init>[0]) => Threaded {
  const made: Threaded[] = [];
  afterEach(() => {
    for (const t of made.splice(0)) t.deinit();
  });
  return (options = {}) => {
    const t = Threaded.init(options);
    made.push(t);
    return t;
  };
}
