// The resolver's pure parts: host-name validation, name expansion, query and
// response bytes, resolv.conf and hosts parsing, the search order.
import { describe, expect, test } from "bun:test";
import { BugError, HostName, IoError, expand } from "../../lib/index.ts";
import { parseResponse, writeQuery } from "../../lib/net/dns/message.ts";
import { parse as parseResolvConf } from "../../lib/net/dns/resolv_conf.ts";
import { lookupHosts, parseHosts } from "../../lib/net/dns/hosts.ts";
import { candidates } from "../../lib/threaded/lookup.ts";
import { A, AAAA, CNAME, buildReply, ip4 } from "../helpers/dns_server.ts";
import { codeOf as code } from "../helpers/errors.ts";

describe("HostName", () => {
  test("RFC 1123 validation", () => {
    const ok = [
      "example.com",
      "a",
      "a-b.c",
      "xn--bcher-kva.example",
      "1.2.3.4",
      "example.com.",
      "A".repeat(63),
    ];
    for (const n of ok) expect([n, code(() => HostName.init(n))]).toEqual([n, "ok"]);
    const bad: [string, string][] = [
      ["", "InvalidHostName"],
      ["a..b", "InvalidHostName"],
      [".a", "InvalidHostName"],
      ["a.", "ok"],
      ["a..", "InvalidHostName"],
      ["-a.com", "InvalidHostName"],
      ["a-.com", "InvalidHostName"],
      ["a_b.com", "InvalidHostName"],
      ["a b", "InvalidHostName"],
      ["ü.com", "InvalidHostName"],
      ["a".repeat(64) + ".com", "InvalidHostName"],
      // Zig's validate test: 255 bytes, a final dot not counted.
      ["a.".repeat(127) + "a", "ok"],
      ["a.".repeat(127) + "a.", "ok"],
      [("a".repeat(63) + ".").repeat(4), "ok"],
      ["a.".repeat(127) + "ab", "NameTooLong"],
      ["a.".repeat(127) + "ab.", "NameTooLong"],
    ];
    for (const [n, want] of bad)
      expect([n.slice(0, 20), code(() => HostName.init(n))]).toEqual([n.slice(0, 20), want]);
  });

  test("an IPv6 address or a host:port is refused with what to do instead", () => {
    for (const v6 of ["::1", "2001:db8::1", "[::1]", "fe80::1%eth0"])
      expect(() => HostName.init(v6)).toThrow(
        `InvalidHostName: "${v6}": an IPv6 address is not a host name (":" is not a host-name byte, as in Zig): parse it with IpAddress.parse(text, port)`,
      );
    expect(() => HostName.init("example.com:443")).toThrow(
      'InvalidHostName: "example.com:443": a port is not part of a host name: pass it as the `port` option',
    );
    expect(code(() => HostName.init("example.com:443"))).toBe("InvalidHostName");
  });

  test("eql ignores case; sameParentDomain", () => {
    expect(HostName.init("Example.COM").eql(HostName.init("example.com"))).toBe(true);
    const p = HostName.init("b.c");
    expect(HostName.sameParentDomain(p, HostName.init("a.b.c"))).toBe(true);
    expect(HostName.sameParentDomain(p, HostName.init("B.C"))).toBe(true);
    expect(HostName.sameParentDomain(p, HostName.init("ab.c"))).toBe(false);
  });
});

describe("expand", () => {
  const pkt = (...b: number[]) => new Uint8Array(b);
  test("labels and pointers", () => {
    // "a.b" at 0, then "c" + pointer to 0 at 5.
    const p = pkt(1, 97, 1, 98, 0, 1, 99, 0xc0, 0);
    expect(expand(p, 0)).toMatchObject({ consumed: 5 });
    expect(expand(p, 0).name.bytes).toBe("a.b");
    const e = expand(p, 5);
    expect(e.name.bytes).toBe("c.a.b");
    expect(e.consumed).toBe(4);
  });
  test("loops, pointers out of range, truncated packets", () => {
    expect(code(() => expand(pkt(0xc0, 0), 0))).toBe("InvalidDnsPacket"); // points at itself
    expect(code(() => expand(pkt(0xc0, 2, 0xc0, 0), 0))).toBe("InvalidDnsPacket"); // two-step loop
    expect(code(() => expand(pkt(0xc0, 9), 0))).toBe("InvalidDnsPacket"); // out of the packet
    expect(code(() => expand(pkt(0xc0), 0))).toBe("InvalidDnsPacket"); // pointer cut short
    expect(code(() => expand(pkt(3, 97, 98), 0))).toBe("InvalidDnsPacket"); // label cut short
    expect(code(() => expand(pkt(1, 97), 0))).toBe("InvalidDnsPacket"); // no terminator
    expect(code(() => expand(pkt(0x40, 0, 0), 0))).toBe("InvalidDnsPacket"); // 0x40 counts as a pointer
  });
  test("254 characters fit, 255 do not", () => {
    const label = (n: number) => [n, ...new Array(n).fill(97)];
    // 63+1+63+1+63+1+61 = 253; 63+1+63+1+63+1+62 = 254; 255 with 63.
    const name = (last: number) =>
      new Uint8Array([...label(63), ...label(63), ...label(63), ...label(last), 0]);
    expect(expand(name(62), 0).name.bytes.length).toBe(254);
    expect(code(() => expand(name(63), 0))).toBe("InvalidDnsPacket");
  });
});

describe("DNS messages", () => {
  test("a query name over 253 characters (255 octets on the wire) is a BugError", () => {
    const l63 = "a".repeat(63);
    const n253 = `${l63}.${l63}.${l63}.${"a".repeat(61)}`;
    expect(writeQuery(1, n253, A).length).toBe(12 + 255 + 4);
    expect(writeQuery(1, `${n253}.`, A).length).toBe(12 + 255 + 4);
    expect(() => writeQuery(1, `${n253}a`, A)).toThrow(BugError);
    expect(() => writeQuery(1, `${l63}a.b`, A)).toThrow(BugError);
  });

  test("query bytes for A and AAAA, with and without EDNS", () => {
    const q = writeQuery(0x1234, "example.com", A);
    expect(Array.from(q)).toEqual([
      0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
      7, ...Array.from("example", (c) => c.charCodeAt(0)), 3, 99, 111, 109, 0,
      0, 1, 0, 1,
    ]); // prettier-ignore
    const e = writeQuery(1, "example.com.", AAAA, true);
    expect(e.length).toBe(q.length + 11);
    expect(e[11]).toBe(1); // ARCOUNT
    expect(Array.from(e.subarray(e.length - 11))).toEqual([0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]);
  });

  test("response iteration, CNAME data, bounds", () => {
    const q = { id: 7, name: "www.example.com", type: A, via: "udp" as const };
    const r = parseResponse(
      buildReply(q, {
        answers: [
          { name: "www.example.com", type: CNAME, data: "example.com" },
          { name: "example.com", type: A, data: ip4("93.184.216.34") },
        ],
      }),
    );
    expect(r.id).toBe(7);
    expect(r.rcode).toBe(0);
    expect(r.questionName).toBe("www.example.com");
    expect(r.answers.map((a) => [a.type, a.name])).toEqual([
      [CNAME, "www.example.com"],
      [A, "example.com"],
    ]);
    expect(Array.from(r.answers[1].data)).toEqual([93, 184, 216, 34]);
    const cut = buildReply(q, { answers: [{ name: "x.y", type: A, data: ip4("1.2.3.4") }] });
    expect(code(() => parseResponse(cut.subarray(0, cut.length - 2)))).toBe("InvalidDnsPacket");
    expect(code(() => parseResponse(new Uint8Array(5)))).toBe("InvalidDnsPacket");
  });
});

describe("resolv.conf", () => {
  test("every directive and tolerance", () => {
    const conf = parseResolvConf(
      [
        "# comment",
        "; also a comment",
        "nameserver 10.0.0.1 # trailing",
        "nameserver\tfe80::1%lo\r",
        "nameserver not-an-address",
        "nameserver 10.0.0.3",
        "nameserver 10.0.0.4",
        "domain first.example",
        "search a.example b.example",
        "options ndots:3 timeout:2 attempts:4 rotate single-request edns0 use-vc unknown:1",
        "options ndots:99 timeout:99 attempts:99",
        "nameserver", // no argument
      ].join("\n") /* no final newline */,
    );
    expect(conf.nameservers.map(String)).toEqual(["10.0.0.1:53", "[fe80::1]:53", "10.0.0.3:53"]);
    expect(conf.scopes).toEqual([null, "lo", null]);
    expect(conf.search).toEqual(["a.example", "b.example"]);
    expect([conf.ndots, conf.timeoutSeconds, conf.attempts]).toEqual([15, 60, 10]); // Zig's limits
    expect([conf.rotate, conf.singleRequest, conf.edns0, conf.useVc]).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  test("defaults, attempts:0, an empty file, environment overrides", () => {
    const empty = parseResolvConf("");
    expect(empty.nameservers.map(String)).toEqual(["127.0.0.1:53"]);
    expect([empty.ndots, empty.timeoutSeconds, empty.attempts]).toEqual([1, 5, 2]);
    expect(parseResolvConf("options attempts:0").attempts).toBe(1);
    const env = parseResolvConf("search x.example\noptions ndots:1", {
      LOCALDOMAIN: "y.example z.example",
      RES_OPTIONS: "ndots:4 timeout:1",
    });
    expect(env.search).toEqual(["y.example", "z.example"]);
    expect([env.ndots, env.timeoutSeconds]).toEqual([4, 1]);
  });

  test("the search order follows ndots; a final dot is absolute", () => {
    const conf = { ndots: 1, search: ["a.example", "b.example"] };
    expect(candidates("host", conf)).toEqual(["host.a.example", "host.b.example", "host"]);
    expect(candidates("www.host", conf)).toEqual([
      "www.host",
      "www.host.a.example",
      "www.host.b.example",
    ]);
    expect(candidates("host.", conf)).toEqual(["host"]);
    expect(candidates("a.b", { ndots: 2, search: ["s"] })).toEqual(["a.b.s", "a.b"]);
  });
});

describe("hosts", () => {
  const text = [
    "127.0.0.1\tlocalhost",
    "# comment line",
    "10.0.0.5   Web.Example   web  # an alias",
    "fe80::5%eth0 scoped.example",
    "::1 ip6-localhost",
    "10.0.0.6 web.example",
    "x".repeat(600) + " long.example",
    "2001:db8::5 last.example", // no final newline
  ].join("\n");
  const entries = parseHosts(text);

  test("matches without regard to case; the canonical name is the first on the line", () => {
    const m = lookupHosts(entries, "WEB");
    expect(m?.canonical).toBe("Web.Example");
    expect(lookupHosts(entries, "web.example")?.addresses.map((a) => a.host())).toEqual([
      "10.0.0.5",
      "10.0.0.6",
    ]);
  });

  test("a last line without a newline is read; scoped and over-long lines are skipped", () => {
    expect(lookupHosts(entries, "last.example")?.addresses.map((a) => a.host())).toEqual([
      "2001:db8::5",
    ]);
    expect(lookupHosts(entries, "scoped.example")).toBeNull();
    expect(lookupHosts(entries, "long.example")).toBeNull();
    expect(lookupHosts(entries, "absent")).toBeNull();
  });

  test("a first name that is not a host name names nothing; its addresses count", () => {
    const m = lookupHosts(parseHosts("10.0.0.5 db_primary db\n10.0.0.6 Db.Lan db"), "db");
    expect([m?.addresses.map((a) => a.host()), m?.canonical]).toEqual([
      ["10.0.0.5", "10.0.0.6"],
      "Db.Lan",
    ]);
    expect(lookupHosts(parseHosts("10.0.0.5 db_primary db"), "db")?.canonical).toBeNull();
  });
});
