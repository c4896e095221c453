// Address parsing and formatting: Zig's vectors (lib/std/Io/net/test.zig)
// and the interface's rules, including the failing position where the
// parser reports one.
import { describe, expect, test } from "bun:test";
import { IoError, Ip4Address, Ip6Address, IpAddress, UnixAddress } from "../../lib/index.ts";
import { codeOf as code } from "../helpers/errors.ts";

describe("Ip4Address", () => {
  test("parse and render", () => {
    for (const ip of ["0.0.0.0", "255.255.255.255", "1.2.3.4", "123.255.0.91", "127.0.0.1"]) {
      expect(Ip4Address.parse(ip, 0).toString()).toBe(`${ip}:0`);
    }
    expect(Ip4Address.parse("10.0.0.1", 8080).toString()).toBe("10.0.0.1:8080");
  });

  test("errors", () => {
    const cases: [string, string][] = [
      ["256.0.0.1", "Overflow"],
      ["x.0.0.1", "InvalidCharacter"],
      ["127.0.0.1.1", "InvalidEnd"],
      ["127.0.0.", "Incomplete"],
      ["100..0.1", "InvalidCharacter"],
      ["127.01.0.1", "NonCanonical"],
      ["00.0.0.0", "NonCanonical"],
      ["", "Incomplete"],
      ["1.2.3", "Incomplete"],
      ["1.2.3.4 ", "InvalidCharacter"],
      ["1.2.3.4:80", "InvalidCharacter"],
      [".1.2.3", "InvalidCharacter"],
    ];
    for (const [text, want] of cases)
      expect([text, code(() => Ip4Address.parse(text, 0))]).toEqual([text, want]);
  });

  test("eql compares bytes and port", () => {
    expect(Ip4Address.parse("1.2.3.4", 1).eql(Ip4Address.parse("1.2.3.4", 1))).toBe(true);
    expect(Ip4Address.parse("1.2.3.4", 1).eql(Ip4Address.parse("1.2.3.4", 2))).toBe(false);
  });
});

describe("Ip6Address", () => {
  test("parse and render (RFC 5952 compression, mapped IPv4, scopes)", () => {
    const cases: [string, string][] = [
      ["FF01:0:0:0:0:0:0:FB", "ff01::fb"],
      ["FF01::Fb", "ff01::fb"],
      ["::1", "::1"],
      ["::", "::"],
      ["1::", "1::"],
      ["2001:db8::", "2001:db8::"],
      ["::1234:5678", "::1234:5678"],
      ["2001:db8::1234:5678", "2001:db8::1234:5678"],
      ["FF01::FB%1234", "ff01::fb%1234"],
      ["::ffff:123.5.123.5", "::ffff:123.5.123.5"],
      ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2:3:4:5:6"],
      ["2001:0db8:0000:0000:0001:0000:0000:0002", "2001:db8::1:0:0:2"],
      ["2001:0db8:0000:0000:0000:0000:0001:0002", "2001:db8::1:2"],
      ["2001:0db8:0001:0000:0001:0000:0000:0002", "2001:db8:1:0:1::2"],
      ["1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"], // a single zero group is not compressed
      ["1:2:3:4::5:6:7:8", "1:2:3:4:5:6:7:8"], // "::" may stand for no group at all
      ["1:0:0:2:0:0:0:3", "1:0:0:2::3"], // the longest run wins
      ["1:0:0:2:0:0:3:4", "1::2:0:0:3:4"], // the first of equal runs wins
      ["bd::0%eth0", "bd::0%eth0"], // a scope follows a group, never "::" (found by the fuzzer)
      ["::1%lo", "::1%lo"],
    ];
    for (const [text, printed] of cases) {
      const r = Ip6Address.Unresolved.parse(text);
      expect(r.kind).toBe("success");
      if (r.kind === "success")
        expect(Ip6Address.Unresolved.format(r.bytes, r.interfaceName)).toBe(printed);
    }
    expect(Ip6Address.parse("::1", 80).toString()).toBe("[::1]:80");
  });

  test("raw bytes", () => {
    const a = Ip6Address.parse("2001:db8:0000:0000:0001:0000:0000:0002", 0);
    expect(Array.from(a.bytes)).toEqual([
      0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2,
    ]);
  });

  test("detailed failures with their positions", () => {
    const cases: [string, object][] = [
      [":::", { kind: "invalid_byte", index: 2 }],
      [":1", { kind: "invalid_byte", index: 1 }],
      ["FF001::FB", { kind: "overflow", index: 4 }],
      ["00001::1", { kind: "invalid_byte", index: 4 }],
      ["FF01::Fb:zig", { kind: "invalid_byte", index: 9 }],
      ["FF01:0:0:0:0:0:0:FB:", { kind: "junk_after_end", index: 19 }],
      ["FF01:", { kind: "incomplete" }],
      ["::123.123.123.123", { kind: "invalid_byte", index: 5 }],
      ["1", { kind: "incomplete" }],
      ["1:2:3", { kind: "incomplete" }],
      ["1::2::3", { kind: "invalid_byte", index: 5 }],
      ["ff01::fb%", { kind: "incomplete" }],
      ["fe80::%eth0", { kind: "invalid_byte", index: 6 }],
      ["::ffff:0:1", { kind: "invalid_ip4_mapping", index: 7 }],
      ["::ffff:1.2.3.4%x", { kind: "invalid_ip4_mapping", index: 7 }],
      ["64:ff9b::1.2.3.4", { kind: "invalid_byte", index: 10 }],
    ];
    for (const [text, want] of cases)
      expect([text, Ip6Address.Unresolved.parse(text)] as unknown[]).toEqual([text, want]);
  });

  test("parse reports ParseFailed, and UnresolvedScope for a scope", () => {
    expect(code(() => Ip6Address.parse(":::", 0))).toBe("ParseFailed");
    expect(code(() => Ip6Address.parse("fe80::1%lo", 0))).toBe("UnresolvedScope");
  });

  test("eql ignores flow and interface; fromAny maps IPv4", () => {
    const a = new Ip6Address(Ip6Address.loopback(1).bytes, 1, 5, 2);
    expect(a.eql(Ip6Address.loopback(1))).toBe(true);
    const mapped = Ip6Address.fromAny(Ip4Address.parse("1.2.3.4", 9));
    expect(mapped.toString()).toBe("[::ffff:1.2.3.4]:9");
    expect(mapped.port).toBe(9);
  });

  test("predicates and scope", () => {
    expect(Ip6Address.parse("ff02::1", 0).scope()).toBe(2);
    expect(Ip6Address.parse("fe80::1", 0).isLinkLocal()).toBe(true);
    expect(Ip6Address.parse("::1", 0).isLoopBack()).toBe(true);
    expect(Ip6Address.parse("fec0::1", 0).scope()).toBe(5);
    expect(Ip6Address.parse("2001:db8::1", 0).scope()).toBe(14);
  });
});

describe("IpAddress", () => {
  test("parse: IPv6 when the text has a colon, and errors of that family", () => {
    expect(IpAddress.parse("127.0.0.1", 0).family).toBe("ip4");
    expect(IpAddress.parse("::1", 0).family).toBe("ip6");
    expect(IpAddress.parse("::ffff:1.2.3.4", 0).family).toBe("ip6");
    expect(code(() => IpAddress.parse("127.01.0.1", 0))).toBe("NonCanonical");
    expect(() => IpAddress.parse("127.0.0.256", 80)).toThrow(
      'Overflow: "127.0.0.256" is not an IPv4 address at 10',
    );
    expect(() => IpAddress.parse("1.2.3", 80)).toThrow("is not an IPv4 address");
    expect(code(() => IpAddress.parse("::123.123.123.123", 0))).toBe("ParseFailed");
    expect(() => IpAddress.parse("fe80::1::2", 0)).toThrow("is not an IPv6 address");
  });

  test("parseLiteral", () => {
    expect(IpAddress.parseLiteral("1.2.3.4").toString()).toBe("1.2.3.4:0");
    expect(IpAddress.parseLiteral("1.2.3.4:80").toString()).toBe("1.2.3.4:80");
    expect(IpAddress.parseLiteral("[::1]").toString()).toBe("[::1]:0");
    expect(IpAddress.parseLiteral("[::1]:443").toString()).toBe("[::1]:443");
    expect(IpAddress.parseLiteral("1.2.3.4:+8_0").toString()).toBe("1.2.3.4:80");
    const cases: [string, string][] = [
      ["", "InvalidAddress"],
      ["[::1", "InvalidAddress"],
      ["[::1]x", "InvalidAddress"],
      ["[::1]:", "InvalidPort"],
      ["[::1]:65536", "InvalidPort"],
      ["[fe80::1%lo]:1", "InvalidAddress"],
      ["::1", "InvalidAddress"],
      ["1.2.3.4:", "InvalidPort"],
      ["1.2.3.4:x", "InvalidPort"],
      ["1.2.3:80", "InvalidAddress"],
      ["1.2.3.400", "InvalidAddress"],
    ];
    for (const [text, want] of cases)
      expect([text, code(() => IpAddress.parseLiteral(text))]).toEqual([text, want]);
  });

  test("format/parse round trip over random addresses", () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = new Uint8Array(16).map(() =>
        Math.random() < 0.4 ? 0 : (Math.random() * 256) | 0,
      );
      const a = new Ip6Address(bytes, i);
      const back = Ip6Address.parse(a.host(), i);
      expect(back.eql(a)).toBe(true);
      const v4 = new Ip4Address(bytes.subarray(0, 4), i);
      expect(Ip4Address.parse(v4.host(), i).eql(v4)).toBe(true);
    }
  });
});

test("UnixAddress: 108 bytes fit, 109 are NameTooLong", () => {
  expect(UnixAddress.init("a".repeat(108)).path.length).toBe(108);
  expect(code(() => UnixAddress.init("a".repeat(109)))).toBe("NameTooLong");
  expect(UnixAddress.init("/tmp/testpath").toString()).toBe("/tmp/testpath");
});
