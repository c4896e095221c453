import { afterAll, describe, expect, test } from "bun:test";
import {
  Clock,
  ClockDuration,
  ClockTimestamp,
  clockNames,
  Duration,
  Timeout,
  Timestamp,
} from "../../lib/io/time.ts";
import { Threaded } from "../../lib/threaded/threaded.ts";
import { scaled } from "../helpers/time_scale.ts";

const t = Threaded.init();
const io = t.io();
afterAll(() => t.deinit());

describe("Duration and Timestamp", () => {
  test("constructors and conversions truncate toward zero", () => {
    expect(Duration.fromMilliseconds(1500).toNanoseconds()).toBe(1_500_000_000n);
    expect(Duration.fromSeconds(2).toMilliseconds()).toBe(2000);
    expect(Duration.fromNanoseconds(-1_999_999n).toMilliseconds()).toBe(-1);
    expect(Duration.fromNanoseconds(1_999_999_999n).toSeconds()).toBe(1);
    expect(Timestamp.fromNanoseconds(-1_500_000_000n).toSeconds()).toBe(-1);
    expect(Duration.max.nanoseconds).toBe((1n << 95n) - 1n);
    expect(Duration.zero.nanoseconds).toBe(0n);
  });

  test("nanoseconds since the epoch stay exact (no double rounding)", () => {
    const ns = 1_795_000_000_123_456_789n;
    const ts = Timestamp.fromNanoseconds(ns);
    expect(ts.addDuration(Duration.fromNanoseconds(1n)).nanoseconds).toBe(ns + 1n);
    expect(ts.durationTo(Timestamp.fromNanoseconds(ns + 7n)).nanoseconds).toBe(7n);
    expect(ts.subDuration(Duration.fromSeconds(1)).nanoseconds).toBe(ns - 1_000_000_000n);
  });

  test("unsafe integers are refused", () => {
    expect(() => Duration.fromMilliseconds(0.5)).toThrow(RangeError);
    expect(() => Duration.fromMilliseconds(0.5)).toThrow(
      'Milliseconds "0.5" is not a whole number: take a smaller unit (1.5 ms is 1500 µs)',
    );
    expect(() => Duration.fromMilliseconds(2 ** 60)).toThrow(
      'Milliseconds "1152921504606847000" is out of range: an integer from -9007199254740991 to 9007199254740991 (a bigint for more)',
    );
    expect(() => Duration.fromSeconds(2 ** 60)).toThrow(RangeError);
  });

  test("to milliseconds / seconds never wrap (they wrapped modulo 2^64)", () => {
    const big = Duration.fromSeconds(2n ** 62n);
    expect(big.toMilliseconds()).toBe(Number(2n ** 62n * 1000n));
    expect(big.toSeconds()).toBe(2 ** 62);
    expect(Duration.max.toMilliseconds()).toBe(Number(Duration.max.nanoseconds / 1_000_000n));
    expect(Duration.max.toSeconds()).toBe(Number(Duration.max.nanoseconds / 1_000_000_000n));
    expect(new Duration(-(2n ** 100n)).toMilliseconds()).toBe(-Number(2n ** 100n / 1_000_000n));
    const ts = new Timestamp(2n ** 80n);
    expect(ts.toMilliseconds()).toBe(Number(2n ** 80n / 1_000_000n));
    expect(Timestamp.fromNanoseconds(-(2n ** 70n)).toSeconds()).toBe(
      Number(-(2n ** 70n) / 1_000_000_000n),
    );
    // Exact while the result is a safe integer, truncated toward zero.
    expect(Duration.fromNanoseconds(2n ** 53n * 1_000_000n - 1n).toMilliseconds()).toBe(
      2 ** 53 - 1,
    );
    // Clock.* carry the same values.
    const cd = new ClockDuration(big, "awake");
    expect(cd.raw.toMilliseconds()).toBe(big.toMilliseconds());
  });

  test("constructors take a bigint or a safe-integer number, nothing else (NaN made NaNns)", () => {
    for (const C of [Duration, Timestamp]) {
      for (const bad of [1.5, -0.5])
        expect(() => new C(bad)).toThrow(
          new RangeError(`Nanoseconds "${bad}" is not a whole number`),
        );
      for (const bad of [NaN, Infinity, 2 ** 60])
        expect(() => new C(bad)).toThrow(
          new RangeError(
            `Nanoseconds "${bad}" is out of range: an integer from -9007199254740991 to 9007199254740991 (a bigint for more)`,
          ),
        );
      for (const bad of ["5", null, undefined, {}])
        expect(() => new C(bad as never)).toThrow(TypeError);
      expect(() => new C("5" as never)).toThrow(
        new TypeError('Nanoseconds is a string "5", not a bigint or a number'),
      );
      expect(() => Duration.fromMilliseconds("5" as never)).toThrow(
        new TypeError('Milliseconds is a string "5", not a bigint or a number'),
      );
      expect(new C(5).nanoseconds).toBe(5n);
      expect(new C(-7n).nanoseconds).toBe(-7n);
    }
    expect(() => Duration.fromNanoseconds(NaN)).toThrow(RangeError);
    expect(() => Duration.zero.add(5 as never)).toThrow("is not a Duration");
    expect(() => Timestamp.zero.durationTo(5n as never)).toThrow("is not a Timestamp");
    expect(() => new ClockDuration(1000 as never, "awake")).toThrow("is not a Duration");
    expect(() => new ClockTimestamp(1000n as never, "awake")).toThrow("is not a Timestamp");
    expect(() => Timeout.deadline(Timestamp.zero as never)).toThrow("not a Clock.Timestamp");
  });

  test("a Duration built from a number sleeps (NaN/1.5 threw 'Invalid mix of BigInt')", () => {
    const before = io.now("awake");
    io.sleep(new Duration(1_000_000));
    expect(before.durationTo(io.now("awake")).nanoseconds).toBeGreaterThanOrEqual(1_000_000n);
  });
});

describe("Clock.Timestamp, Clock.Duration and Timeout", () => {
  test("operations on two different clocks are refused", () => {
    const a = new ClockTimestamp(Timestamp.zero, "awake");
    const b = new ClockTimestamp(Timestamp.zero, "real");
    expect(() => a.durationTo(b)).toThrow('Clock "awake" does not match clock "real"');
    expect(() => a.compare("<", b)).toThrow();
  });

  test("compare", () => {
    const a = new ClockTimestamp(Timestamp.fromNanoseconds(1), "boot");
    const b = new ClockTimestamp(Timestamp.fromNanoseconds(2), "boot");
    expect([a.compare("<", b), a.compare("<=", b), a.compare("==", b)]).toEqual([
      true,
      true,
      false,
    ]);
    expect([a.compare("!=", b), a.compare(">", b), a.compare(">=", a)]).toEqual([
      true,
      false,
      true,
    ]);
  });

  test("fromNow, durationFromNow, untilNow and toClock", () => {
    const d = new ClockDuration(Duration.fromSeconds(10), "awake");
    const deadline = Clock.Timestamp.fromNow(io, d);
    const left = deadline.durationFromNow(io).raw.nanoseconds;
    expect(left).toBeLessThanOrEqual(10_000_000_000n);
    expect(left).toBeGreaterThan(9_000_000_000n);
    expect(deadline.untilNow(io).raw.nanoseconds).toBeLessThan(0n);
    const onBoot = deadline.toClock(io, "boot");
    expect(onBoot.clock).toBe("boot");
    const bootLeft = onBoot.durationFromNow(io).raw.nanoseconds;
    expect(bootLeft).toBeGreaterThan(9_000_000_000n);
  });

  test("Timeout.toDeadline and toDurationFromNow", () => {
    expect(Timeout.none.toDeadline(io)).toBeNull();
    expect(Timeout.none.toDurationFromNow(io)).toBeNull();
    const d = new ClockDuration(Duration.fromMilliseconds(250), "awake");
    const byDuration = Timeout.duration(d);
    expect(byDuration.toDurationFromNow(io)).toBe(d);
    expect(byDuration.toDeadline(io)!.clock).toBe("awake");
    const dl = ClockTimestamp.now(io, "real").addDuration(
      new ClockDuration(Duration.fromSeconds(5), "real"),
    );
    const byDeadline = Timeout.deadline(dl);
    expect(byDeadline.toDeadline(io)).toBe(dl);
    const left = byDeadline.toDurationFromNow(io)!.raw.nanoseconds;
    expect(left > 4_000_000_000n && left <= 5_000_000_000n).toBe(true);
  });
});

describe("io.now and io.sleep", () => {
  test("every clock reads, and the real clock agrees with Date.now()", () => {
    for (const c of clockNames) expect(io.now(c).nanoseconds).toBeGreaterThan(0n);
    expect(Math.abs(io.now("real").toMilliseconds() - Date.now())).toBeLessThan(1000);
    const a = io.now("awake");
    const b = io.now("awake");
    expect(b.nanoseconds >= a.nanoseconds).toBe(true);
  });

  test("sleep by duration waits at least that long on its clock", () => {
    for (const clock of ["awake", "boot", "real"] as const) {
      const start = io.now("awake");
      io.sleep(Duration.fromMilliseconds(15), clock);
      expect(start.durationTo(io.now("awake")).nanoseconds).toBeGreaterThanOrEqual(15_000_000n);
    }
  });

  test("sleep until a deadline (absolute) and until a deadline already past", () => {
    const deadline = ClockTimestamp.now(io, "awake").addDuration(
      new ClockDuration(Duration.fromMilliseconds(20), "awake"),
    );
    deadline.wait(io);
    expect(deadline.durationFromNow(io).raw.nanoseconds).toBeLessThanOrEqual(0n);
    const start = performance.now();
    Timeout.deadline(new ClockTimestamp(Timestamp.fromNanoseconds(1), "awake")).sleep(io);
    io.sleep(Duration.fromMilliseconds(-5)); // negative: returns at once
    expect(performance.now() - start).toBeLessThan(scaled(100));
  });

  test("cpu clocks advance with work", () => {
    const a = io.now("cpu_thread");
    let x = 0;
    for (let i = 0; i < 2_000_000; i++) x += i % 7;
    expect(x).toBeGreaterThan(0);
    expect(io.now("cpu_thread").nanoseconds).toBeGreaterThan(a.nanoseconds);
  });
});
