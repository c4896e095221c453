// Ports and resolv.conf option values parse as Zig's std.fmt.parseInt does.
import { describe, expect, test } from "bun:test";
import { IpAddress } from "../../lib/index.ts";
import { parseUnsigned } from "../../lib/net/parse_int.ts";
import { parse as parseResolvConf } from "../../lib/net/dns/resolv_conf.ts";
import { codeOf as code } from "../helpers/errors.ts";

describe("parseUnsigned (Zig's parseInt for unsigned types, base 10)", () => {
  test("signs, underscores, leading zeros", () => {
    expect(parseUnsigned("65535", 16)).toBe(65535);
    expect(parseUnsigned("65_535", 16)).toBe(65535);
    expect(parseUnsigned("6__5_535", 16)).toBe(65535); // several "_" in a row
    expect(parseUnsigned("+80", 16)).toBe(80);
    expect(parseUnsigned("-0", 16)).toBe(0);
    expect(parseUnsigned("-00", 16)).toBe(0);
    expect(parseUnsigned("050124", 16)).toBe(50124);
  });

  test("errors: the first one from the left", () => {
    for (const bad of ["", "+", "-", "_1", "1_", "+_1", "1 ", " 1", "0x10", "1e3", "١"])
      expect([bad, parseUnsigned(bad, 16)]).toEqual([bad, "InvalidCharacter"]);
    expect(parseUnsigned("65536", 16)).toBe("Overflow");
    expect(parseUnsigned("-1", 16)).toBe("Overflow");
    expect(parseUnsigned("-01", 16)).toBe("Overflow");
    expect(parseUnsigned("99999x", 16)).toBe("Overflow");
    expect(parseUnsigned("x99999", 16)).toBe("InvalidCharacter");
    expect(parseUnsigned("256", 8)).toBe("Overflow");
    expect(parseUnsigned("9".repeat(400), 16)).toBe("Overflow");
  });
});

test("IpAddress.parseLiteral ports follow parseInt(u16)", () => {
  expect(String(IpAddress.parseLiteral("127.0.0.1:1__0"))).toBe("127.0.0.1:10");
  expect(String(IpAddress.parseLiteral("127.0.0.1:-0"))).toBe("127.0.0.1:0");
  expect(String(IpAddress.parseLiteral("[::1]:+8_0"))).toBe("[::1]:80");
  expect(code(() => IpAddress.parseLiteral("127.0.0.1:-1"))).toBe("InvalidPort");
  expect(code(() => IpAddress.parseLiteral("127.0.0.1:65536"))).toBe("InvalidPort");
  expect(code(() => IpAddress.parseLiteral("127.0.0.1:_1"))).toBe("InvalidPort");
});

test("resolv.conf option values: parseInt(u8), overflow 255, then Zig's maxima", () => {
  const opts = (text: string) => {
    const c = parseResolvConf(`options ${text}\n`);
    return [c.ndots, c.timeoutSeconds, c.attempts];
  };
  expect(opts("ndots:+2 timeout:1_0 attempts:-0")).toEqual([2, 10, 1]); // attempts 0 → 1
  expect(opts("ndots:300 timeout:300 attempts:300")).toEqual([15, 60, 10]); // 255, clamped
  expect(opts("ndots:x timeout:_1")).toEqual([1, 5, 2]); // invalid: skipped
  expect(opts("attempts:-1")).toEqual([1, 5, 10]); // Overflow below u8 too: 255, clamped
  expect(opts("timeout:7:9 attempts:3:")).toEqual([1, 7, 3]); // up to the next ":"
});
