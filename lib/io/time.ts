// Zig's Io time types: `Clock`, `Timestamp`, `Duration` (bigint nanoseconds,
// Zig's i96: a double cannot hold nanoseconds since the epoch exactly),
// `Clock.Timestamp`, `Clock.Duration` and `Timeout`. Pure values; reading a
// clock or sleeping goes through an `Io`.
import type { Io } from "./io.ts";
import { describe } from "./validate.ts";
import { checkIo } from "./io_arg.ts";

/** `io.now(clock)`, with `io` checked (a TypeError naming what came). */
function nowOn(io: unknown, clock: ClockName): Timestamp {
  checkIo(io, "A clock reading");
  return io.now(clock);
}

/** real: wall clock. awake: monotonic, excludes suspend (Linux MONOTONIC).
 * boot: monotonic, includes suspend (Linux BOOTTIME). cpu_process /
 * cpu_thread: CPU time. */
export type ClockName = "real" | "awake" | "boot" | "cpu_process" | "cpu_thread";

export const clockNames: readonly ClockName[] = [
  "real",
  "awake",
  "boot",
  "cpu_process",
  "cpu_thread",
];

const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;
const I96_MAX = (1n << 95n) - 1n;

/** `ns / unit` truncated toward zero, as a number: exact up to 2^53, the
 * nearest double beyond (Zig casts to i64; `BigInt.asIntN(64, …)` here
 * wrapped: 2^62 s in milliseconds came back as 0). */
function truncToNumber(ns: bigint, unit: bigint): number {
  return Number(ns / unit);
}

/** A count of some unit as a bigint: any bigint, or a number that is a
 * safe integer (a double past 2^53 has already lost its low digits, and
 * NaN or 1.5 nanoseconds made `NaNns` durations that broke every sleep
 * with "Invalid mix of BigInt and other type"). */
function toBigInt(n: unknown, what: string): bigint {
  if (typeof n === "bigint") return n;
  if (typeof n !== "number")
    throw new TypeError(`${what} is ${describe(n)}, not a bigint or a number`);
  if (Number.isFinite(n) && !Number.isInteger(n))
    throw new RangeError(
      `${what} "${n}" is not a whole number` +
        (what === "Nanoseconds" ? "" : ": take a smaller unit (1.5 ms is 1500 µs)"),
    );
  if (!Number.isSafeInteger(n))
    throw new RangeError(
      `${what} "${n}" is out of range: an integer from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER} (a bigint for more)`,
    );
  return BigInt(n);
}

function checkDuration(d: unknown, what: string): asserts d is Duration {
  if (!(d instanceof Duration))
    throw new TypeError(
      `${what}: ${describe(d)} is not a Duration: use Duration.fromMilliseconds(ms)`,
    );
}

function checkTimestamp(t: unknown, what: string): asserts t is Timestamp {
  if (!(t instanceof Timestamp))
    throw new TypeError(`${what}: ${describe(t)} is not a Timestamp: use io.now(clock)`);
}

/** `Io.Duration`: a signed span of time in nanoseconds (a bigint). Build one with `fromSeconds`, `fromMilliseconds`, ... */
export class Duration {
  static readonly zero = new Duration(0n);
  static readonly max = new Duration(I96_MAX);
  readonly nanoseconds: bigint;

  /** `nanoseconds`: a bigint, or a number that is a safe integer
   * (RangeError for NaN, 1.5 or past 2^53; TypeError for other types). */
  constructor(nanoseconds: bigint | number) {
    this.nanoseconds = toBigInt(nanoseconds, "Nanoseconds");
  }

  static fromNanoseconds(ns: bigint | number): Duration {
    return new Duration(toBigInt(ns, "Nanoseconds"));
  }
  static fromMilliseconds(ms: number | bigint): Duration {
    return new Duration(toBigInt(ms, "Milliseconds") * NS_PER_MS);
  }
  static fromSeconds(s: number | bigint): Duration {
    return new Duration(toBigInt(s, "Seconds") * NS_PER_S);
  }
  toNanoseconds(): bigint {
    return this.nanoseconds;
  }
  /** Truncated toward zero; exact up to 2^53 ms, the nearest number
   * beyond. */
  toMilliseconds(): number {
    return truncToNumber(this.nanoseconds, NS_PER_MS);
  }
  toSeconds(): number {
    return truncToNumber(this.nanoseconds, NS_PER_S);
  }
  add(other: Duration): Duration {
    checkDuration(other, "Other");
    return new Duration(this.nanoseconds + other.nanoseconds);
  }
  sub(other: Duration): Duration {
    checkDuration(other, "Other");
    return new Duration(this.nanoseconds - other.nanoseconds);
  }
  toString(): string {
    return `${this.nanoseconds}ns`;
  }
}

/** `Io.Timestamp`: a point in time on some clock, in nanoseconds (a bigint) since that clock's epoch (`io.now(clock)`). */
export class Timestamp {
  static readonly zero = new Timestamp(0n);
  readonly nanoseconds: bigint;

  /** `nanoseconds`: a bigint, or a number that is a safe integer. */
  constructor(nanoseconds: bigint | number) {
    this.nanoseconds = toBigInt(nanoseconds, "Nanoseconds");
  }

  static fromNanoseconds(ns: bigint | number): Timestamp {
    return new Timestamp(toBigInt(ns, "Nanoseconds"));
  }
  /** `to - this`. */
  durationTo(to: Timestamp): Duration {
    checkTimestamp(to, "Other");
    return new Duration(to.nanoseconds - this.nanoseconds);
  }
  addDuration(d: Duration): Timestamp {
    checkDuration(d, "Duration");
    return new Timestamp(this.nanoseconds + d.nanoseconds);
  }
  subDuration(d: Duration): Timestamp {
    checkDuration(d, "Duration");
    return new Timestamp(this.nanoseconds - d.nanoseconds);
  }
  toNanoseconds(): bigint {
    return this.nanoseconds;
  }
  /** Truncated toward zero; exact up to 2^53 ms, the nearest number
   * beyond. */
  toMilliseconds(): number {
    return truncToNumber(this.nanoseconds, NS_PER_MS);
  }
  toSeconds(): number {
    return truncToNumber(this.nanoseconds, NS_PER_S);
  }
  withClock(clock: ClockName): ClockTimestamp {
    return new ClockTimestamp(this, clock);
  }
  toString(): string {
    return `${this.nanoseconds}ns`;
  }
}

function sameClock(a: ClockName, b: ClockName): void {
  if (a !== b) throw new RangeError(`Clock "${a}" does not match clock "${b}"`);
}

/** The comparison `ClockTimestamp.compare` performs. */
export type CompareOp = "<" | "<=" | "==" | "!=" | ">" | ">=";

/** `Io.Clock.Timestamp`: a timestamp that knows its clock. */
export class ClockTimestamp {
  constructor(
    readonly raw: Timestamp,
    readonly clock: ClockName,
  ) {
    checkTimestamp(raw, "Raw");
  }

  static now(io: Io, clock: ClockName): ClockTimestamp {
    return new ClockTimestamp(nowOn(io, clock), clock);
  }
  /** `now(d.clock) + d.raw`. */
  static fromNow(io: Io, d: ClockDuration): ClockTimestamp {
    return new ClockTimestamp(nowOn(io, d.clock).addDuration(d.raw), d.clock);
  }
  /** Sleeps until this deadline. */
  wait(io: Io): void {
    io.sleepTimeout(Timeout.deadline(this));
  }
  durationTo(to: ClockTimestamp): ClockDuration {
    sameClock(this.clock, to.clock);
    return new ClockDuration(this.raw.durationTo(to.raw), this.clock);
  }
  addDuration(d: ClockDuration): ClockTimestamp {
    sameClock(this.clock, d.clock);
    return new ClockTimestamp(this.raw.addDuration(d.raw), this.clock);
  }
  subDuration(d: ClockDuration): ClockTimestamp {
    sameClock(this.clock, d.clock);
    return new ClockTimestamp(this.raw.subDuration(d.raw), this.clock);
  }
  compare(op: CompareOp, rhs: ClockTimestamp): boolean {
    sameClock(this.clock, rhs.clock);
    const a = this.raw.nanoseconds;
    const b = rhs.raw.nanoseconds;
    switch (op) {
      case "<":
        return a < b;
      case "<=":
        return a <= b;
      case "==":
        return a === b;
      case "!=":
        return a !== b;
      case ">":
        return a > b;
      case ">=":
        return a >= b;
    }
  }
  /** Time elapsed since this timestamp: `now - this`. */
  untilNow(io: Io): ClockDuration {
    return new ClockDuration(this.raw.durationTo(nowOn(io, this.clock)), this.clock);
  }
  /** Time left until this timestamp: `this - now` (negative once past). */
  durationFromNow(io: Io): ClockDuration {
    return new ClockDuration(nowOn(io, this.clock).durationTo(this.raw), this.clock);
  }
  /** The same instant expressed on clock `c`: `now_c + (this - now_this)`. */
  toClock(io: Io, c: ClockName): ClockTimestamp {
    if (c === this.clock) return this;
    const nowThis = nowOn(io, this.clock);
    const nowC = nowOn(io, c);
    return new ClockTimestamp(nowC.addDuration(nowThis.durationTo(this.raw)), c);
  }
}

/** `Io.Clock.Duration`: a duration measured on a given clock. */
export class ClockDuration {
  constructor(
    readonly raw: Duration,
    readonly clock: ClockName,
  ) {
    checkDuration(raw, "Raw");
  }

  sleep(io: Io): void {
    io.sleepTimeout(Timeout.duration(this));
  }
}

/** `Io.Timeout`: none | duration | deadline. */
export class Timeout {
  static readonly none = new Timeout("none", undefined);

  private constructor(
    readonly kind: "none" | "duration" | "deadline",
    private readonly value: ClockDuration | ClockTimestamp | undefined,
  ) {}

  static duration(d: ClockDuration | Duration, clock: ClockName = "awake"): Timeout {
    if (!(d instanceof ClockDuration)) checkDuration(d, "Duration");
    return new Timeout("duration", d instanceof Duration ? new ClockDuration(d, clock) : d);
  }
  static deadline(t: ClockTimestamp): Timeout {
    if (!(t instanceof ClockTimestamp))
      throw new TypeError(
        `Deadline is ${describe(t)}, not a Clock.Timestamp: use io.now(clock).withClock(clock)`,
      );
    return new Timeout("deadline", t);
  }

  get asDuration(): ClockDuration | undefined {
    return this.kind === "duration" ? (this.value as ClockDuration) : undefined;
  }
  get asDeadline(): ClockTimestamp | undefined {
    return this.kind === "deadline" ? (this.value as ClockTimestamp) : undefined;
  }
  /** The clock this timeout is measured on ("awake" for none). */
  get clock(): ClockName {
    return this.value?.clock ?? "awake";
  }

  /** null for none; a deadline computed from now for a duration. */
  toDeadline(io: Io): ClockTimestamp | null {
    switch (this.kind) {
      case "none":
        return null;
      case "duration":
        return ClockTimestamp.fromNow(io, this.value as ClockDuration);
      case "deadline":
        return this.value as ClockTimestamp;
    }
  }
  /** null for none; the time left until a deadline. */
  toDurationFromNow(io: Io): ClockDuration | null {
    switch (this.kind) {
      case "none":
        return null;
      case "duration":
        return this.value as ClockDuration;
      case "deadline":
        return (this.value as ClockTimestamp).durationFromNow(io);
    }
  }
  sleep(io: Io): void {
    io.sleepTimeout(this);
  }
}

/** `Io.Clock`: the clock names plus the clock-carrying time types. */
export const Clock = {
  Timestamp: ClockTimestamp,
  Duration: ClockDuration,
  names: clockNames,
} as const;
