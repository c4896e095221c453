// startTrace's options (and Threaded.init's `trace`): a misspelled name
// (`evnts`) started a trace with the default ring size without a word.
import { expect, test } from "bun:test";
import { Threaded } from "../../lib/index.ts";

test("an unknown trace option is a TypeError naming it; nothing starts", () => {
  const t = Threaded.init({ asyncLimit: 0 });
  try {
    expect(() => t.startTrace({ evnts: 5 } as never)).toThrow(
      new TypeError('startTrace has no option "evnts" (the options: events)'),
    );
    // `path` is Threaded.init's: startTrace's trace is written by stopTrace(path).
    expect(() => t.startTrace({ path: "/tmp/x.json" } as never)).toThrow(/has no option "path"/);
    expect(() => t.startTrace(null as never)).toThrow(/^startTrace takes an options object/);
    // Nothing was started: a correct trace starts and stops.
    t.startTrace({ events: 64 });
    expect(t.stopTrace().dropped).toBe(0);
  } finally {
    t.deinit();
  }
});

test("Threaded.init's trace option is checked the same way, before anything is acquired", () => {
  expect(() => Threaded.init({ trace: { event: 64 } as never })).toThrow(
    /^Threaded.init\(\{ trace \}\) has no option "event" \(the options: events, path\)/,
  );
});
