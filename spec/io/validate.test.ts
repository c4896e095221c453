// Arguments out of range are RangeErrors naming the value and the range,
// thrown before any syscall (lib/io/validate.ts): never a wrapped offset
// that overwrites the start of a file, a port taken modulo 65536, a handle
// truncated to stdout, or a sleep cut short.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { closeSync, openSync, readFileSync, readSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  Canceled,
  Dir,
  File,
  HostName,
  Ip4Address,
  Ip6Address,
  IpAddress,
  Queue,
  Threaded,
  type Io,
} from "../../lib/index.ts";
import { tempDir } from "../helpers/tmp.ts";
import { syscallNumber, untilBlockedIn } from "../helpers/proc.ts";
import { longSleep } from "../fixtures/validate_tasks.ts";

let t: Threaded;
let io: Io;
const tmp = tempDir("tio-validate-");
beforeAll(() => {
  t = Threaded.init();
  io = t.io();
});
afterAll(() => {
  t.deinit();
  tmp.remove();
});

const badOffsets: [string, number | bigint][] = [
  ["2^64", 2n ** 64n],
  ["2^63", 2n ** 63n],
  ["-2^63 - 1", -(2n ** 63n) - 1n],
  ["1.5", 1.5],
  ["NaN", NaN],
  ["-1", -1],
  ["-1n", -1n],
  ["2^63 as a number", 2 ** 63],
  ["Infinity", Infinity],
];

describe("file offsets", () => {
  for (const [name, offset] of badOffsets) {
    test(`writePositional at ${name}: RangeError, file unchanged`, () => {
      const path = join(tmp.path, "data");
      writeFileSync(path, "original");
      const f = Dir.cwd().openFile(io, path, { mode: "read_write" });
      try {
        const write = () => f.writePositional(io, new TextEncoder().encode("XX"), offset);
        expect(write).toThrow(RangeError);
        expect(write).toThrow(
          /^Offset ".+" is out of range: an integer from 0 to 9223372036854775807$/,
        );
        expect(() => f.writeAllPositional(io, new Uint8Array(2), offset)).toThrow(RangeError);
        expect(() => f.readPositional(io, new Uint8Array(2), offset)).toThrow(RangeError);
        expect(() => f.seekTo(io, offset)).toThrow(RangeError);
        expect(readFileSync(path, "utf8")).toBe("original");
      } finally {
        f.close(io);
      }
    });
  }

  test("the message quotes the value", () => {
    const f = Dir.cwd().createFile(io, join(tmp.path, "m"), {});
    try {
      expect(() => f.writePositional(io, new Uint8Array(1), 2n ** 64n)).toThrow(
        'Offset "18446744073709551616n" is out of range: an integer from 0 to 9223372036854775807',
      );
      expect(() => f.seekBy(io, 2n ** 63n)).toThrow(
        'Seek offset "9223372036854775808n" is out of range: an integer from -9223372036854775808 to 9223372036854775807',
      );
      expect(() => f.writePositional(io, new Uint8Array(1), "3" as never)).toThrow(TypeError);
    } finally {
      f.close(io);
    }
  });

  test("the largest offsets are accepted and reach the kernel", () => {
    const f = Dir.cwd().createFile(io, join(tmp.path, "big"), { read: true });
    try {
      expect(f.readPositional(io, new Uint8Array(1), 2n ** 63n - 2n)).toBe(0);
      // The kernel refuses a transfer whose end passes 2^63 − 1 (EINVAL).
      expect(() => f.readPositional(io, new Uint8Array(2), 2n ** 63n - 2n)).toThrow(
        'Offset of 2 bytes "9223372036854775806n" is out of range: an integer from 0 to 9223372036854775805',
      );
      expect(f.readPositional(io, new Uint8Array(1), 2 ** 62)).toBe(0);
      f.seekTo(io, 0);
      f.seekBy(io, -0);
    } finally {
      f.close(io);
    }
  });

  test("File.Reader seeks are checked too", () => {
    const path = join(tmp.path, "r");
    writeFileSync(path, "abc");
    const f = Dir.cwd().openFile(io, path);
    try {
      const r = f.reader(io);
      expect(() => r.seekTo(-1)).toThrow(RangeError);
      expect(() => r.seekBy(0.5)).toThrow(RangeError);
      expect(() => r.readExact(-1)).toThrow(RangeError);
      expect(() => r.takeDelimiter(256)).toThrow(RangeError);
      expect(() => r.readAll(NaN)).toThrow(RangeError);
    } finally {
      f.close(io);
    }
  });
});

describe("handles, counts and modes", () => {
  test("new File(1.5) is refused and does not close stdout", () => {
    for (const h of [1.5, -1, NaN, 2 ** 31]) expect(() => new File(h)).toThrow(RangeError);
    expect(() => new File(1.5)).toThrow(
      'Handle "1.5" is out of range: an integer from 0 to 2147483647',
    );
    // stdout still works
    expect(File.stdout().stat(io).kind).toBeDefined();
  });

  test("queue capacities, max and min", () => {
    expect(() => Queue.init(io, 1.5)).toThrow(RangeError);
    expect(() => Queue.init(io, -1)).toThrow(RangeError);
    const q = Queue.init<number>(io, 4);
    expect(() => q.get(io, NaN, 0)).toThrow(RangeError);
    expect(() => q.get(io, 2, 3)).toThrow('Min "3" is out of range: an integer from 0 to 2');
    expect(() => q.put(io, [1], -1)).toThrow(RangeError);
  });

  test("modes and limits", () => {
    expect(() => Dir.cwd().makeDir(io, join(tmp.path, "m1"), 0o17777)).toThrow(RangeError);
    expect(() => Dir.cwd().createFile(io, join(tmp.path, "m2"), { mode: -1 })).toThrow(RangeError);
    expect(() => Dir.cwd().readFileAlloc(io, "x", 0.5)).toThrow(RangeError);
  });
});

describe("ports", () => {
  const badPorts = [-1, 65536, 1.5, NaN, 73616];
  for (const port of badPorts) {
    test(`port ${port}: RangeError everywhere an address is made`, () => {
      expect(() => Ip4Address.loopback(port)).toThrow(RangeError);
      expect(() => Ip4Address.loopback(port)).toThrow(
        `Port "${port}" is out of range: an integer from 0 to 65535`,
      );
      expect(() => Ip6Address.loopback(port)).toThrow(RangeError);
      expect(() => IpAddress.parse("127.0.0.1", port)).toThrow(RangeError);
      expect(() => IpAddress.parse("::1", port)).toThrow(RangeError);
    });
  }

  test("a port changed after construction is checked before bind", () => {
    const a = Ip4Address.loopback(0);
    a.port = 73616;
    expect(() => a.listen(io, {})).toThrow(RangeError);
    expect(() => a.connect(io, { mode: "stream" })).toThrow(RangeError);
  });

  test("0 and 65535 are ports", () => {
    expect(Ip4Address.loopback(65535).toString()).toBe("127.0.0.1:65535");
    expect(Ip6Address.loopback(0).port).toBe(0);
  });

  test("lookup ports are checked before any lookup", () => {
    const host = HostName.init("localhost");
    expect(() => host.lookupAll(io, { port: 70000 })).toThrow(RangeError);
    expect(() => host.lookupAllAsync(io, { port: -1 })).toThrow(RangeError);
  });

  test("listen's backlog is checked", () => {
    expect(() => Ip4Address.loopback(0).listen(io, { kernelBacklog: -1 })).toThrow(RangeError);
  });
});

/** The timespec a thread blocked in clock_nanosleep asked for (its seconds),
 * read from its request argument through /proc/self/mem. */
function requestedSeconds(tid: number): bigint {
  const fields = readFileSync(`/proc/self/task/${tid}/syscall`, "utf8").trim().split(" ");
  const request = Number.parseInt(fields[3], 16);
  const fd = openSync("/proc/self/mem", "r");
  try {
    const b = Buffer.alloc(8);
    readSync(fd, b, 0, 8, request);
    return b.readBigInt64LE(0);
  } finally {
    closeSync(fd);
  }
}

test("a number is not a Duration, nor NaN a heap size", () => {
  expect(() => io.sleep(1000 as never)).toThrow("is not a Duration");
  expect(() => Threaded.init({ heapBytes: NaN })).toThrow(RangeError);
  expect(() => Threaded.init({ maxHeapBytes: -1 })).toThrow(RangeError);
});

describe("durations the clock cannot express", () => {
  for (const [name, seconds] of [
    ["2^64 + 1 s", 2n ** 64n + 1n],
    ["2^63 s", 2n ** 63n],
  ] as const) {
    test(`a sleep of ${name} sleeps until canceled`, async () => {
      const tids = Queue.init<number>(io, 1);
      const f = io.concurrent(longSleep, io, tids, seconds);
      const tid = tids.getOne(io);
      await untilBlockedIn(tid, syscallNumber("clock_nanosleep"));
      // Not 1 s (2^64 + 1 wrapped in the i64), not EINVAL (2^63 went negative).
      expect(requestedSeconds(tid)).toBeGreaterThanOrEqual(1_000_000_000n);
      expect(() => f.cancel(io)).toThrow(Canceled);
    });
  }
});
