// Seeded fuzzing of every parser that reads input it did not choose: random
// and mutated inputs may only produce typed errors (IoError) — never a
// crash, a hang, another exception type, or unbounded memory.
import { expect, test } from "bun:test";
import { HostName, IoError, Ip4Address, Ip6Address, IpAddress, expand } from "../../lib/index.ts";
import { parseResponse, writeQuery } from "../../lib/net/dns/message.ts";
import { parse as parseResolvConf } from "../../lib/net/dns/resolv_conf.ts";
import { parseHosts } from "../../lib/net/dns/hosts.ts";
import { encodeArgs, decodeArgs, writeEncoded } from "../../lib/substrate/codec.ts";
import { A, CNAME, buildReply, ip4 } from "../helpers/dns_server.ts";
import { bytes, fuzzCases, fuzzSeed, mutate, prng } from "../helpers/prng.ts";

const latin1 = (b: Uint8Array) => String.fromCharCode(...b);

/** Runs `f` on `cases` inputs; only IoErrors may escape. Returns counts. */
function fuzz(name: string, cases: number, f: (rand: () => number, i: number) => void): void {
  const rand = prng(fuzzSeed ^ (name.length * 7919));
  let typed = 0;
  for (let i = 0; i < cases; i++) {
    try {
      f(rand, i);
    } catch (e) {
      if (!(e instanceof IoError))
        throw new Error(`${name}: case ${i} (FUZZ_SEED=${fuzzSeed}) threw ${String(e)}`);
      typed++;
    }
  }
  expect(typed).toBeLessThanOrEqual(cases);
}

test(`IP address parsing and formatting (seed ${fuzzSeed})`, () => {
  fuzz("ip", fuzzCases, (rand) => {
    const text = latin1(bytes(rand, 48, "0123456789abcdefABCDEF:.%[]x "));
    const r = Ip6Address.Unresolved.parse(text);
    expect(typeof r.kind).toBe("string");
    if (r.kind === "success") {
      // Round trip: what is printed parses back to the same bytes.
      const back = Ip6Address.Unresolved.parse(
        Ip6Address.Unresolved.format(r.bytes, r.interfaceName),
      );
      expect(back.kind).toBe("success");
      if (back.kind === "success") expect(Array.from(back.bytes)).toEqual(Array.from(r.bytes));
    }
    try {
      const a = Ip4Address.parse(text, 0);
      expect(Ip4Address.parse(a.host(), 0).eql(a)).toBe(true);
    } catch (e) {
      if (!(e instanceof IoError)) throw e;
    }
    IpAddress.parseLiteral(text);
  });
});

test(`HostName validation and name expansion (seed ${fuzzSeed})`, () => {
  fuzz("hostname", fuzzCases, (rand) => {
    HostName.init(latin1(bytes(rand, 300, "abc-.0123456789")));
  });
  const base = buildReply(
    { id: 1, name: "www.example.com", type: A, via: "udp" },
    {
      answers: [
        { name: "www.example.com", type: CNAME, data: "example.com" },
        { name: "example.com", type: A, data: ip4("1.2.3.4") },
      ],
    },
  );
  fuzz("expand", fuzzCases, (rand) => {
    const p = rand() < 0.5 ? mutate(rand, base) : bytes(rand, 64);
    const e = expand(p, Math.floor(rand() * Math.max(1, p.length)));
    expect(e.name.bytes.length).toBeLessThanOrEqual(254);
  });
});

test(`DNS response parsing (seed ${fuzzSeed})`, () => {
  const q = { id: 7, name: "svc.test", type: A, via: "udp" as const };
  const seeds = [
    buildReply(q, { answers: [{ name: "svc.test", type: A, data: ip4("10.0.0.1") }] }),
    buildReply(q, { rcode: 3 }),
    buildReply(q, { truncated: true, answers: [{ name: "svc.test", type: CNAME, data: "a.b.c" }] }),
    writeQuery(9, "x.y", 28, true),
  ];
  fuzz("response", fuzzCases, (rand) => {
    const p =
      rand() < 0.7 ? mutate(rand, seeds[Math.floor(rand() * seeds.length)]) : bytes(rand, 600);
    const r = parseResponse(p);
    for (const a of r.answers) expect(a.dataOffset + a.data.length).toBeLessThanOrEqual(p.length);
  });
});

test(`resolv.conf and hosts parsing (seed ${fuzzSeed})`, () => {
  const conf = new TextEncoder().encode(
    "nameserver 10.0.0.1\nsearch a.b c.d\noptions ndots:2 timeout:3 attempts:0 rotate\n",
  );
  const hosts = new TextEncoder().encode(
    "127.0.0.1 localhost\n::1 ip6-localhost # c\n10.1.1.1\tweb  alias\n",
  );
  fuzz("resolvconf", fuzzCases, (rand) => {
    const c = parseResolvConf(
      latin1(
        rand() < 0.6
          ? mutate(rand, conf)
          : bytes(rand, 400, "nameserver search options:ndots0123456789. \n\t#;"),
      ),
    );
    expect(c.nameservers.length).toBeGreaterThanOrEqual(1);
    expect(c.nameservers.length).toBeLessThanOrEqual(3);
    expect(c.attempts).toBeGreaterThanOrEqual(1);
    expect(c.ndots).toBeLessThanOrEqual(15);
  });
  fuzz("hosts", fuzzCases, (rand) => {
    const entries = parseHosts(
      latin1(rand() < 0.6 ? mutate(rand, hosts) : bytes(rand, 400, "0123456789.:abc \t\n#")),
    );
    for (const e of entries) expect(e.names.length).toBeGreaterThan(0);
  });
});

test(`task argument encoding round trip (seed ${fuzzSeed})`, () => {
  const heap = new Uint8Array(1 << 16);
  const f64 = new Float64Array(heap.buffer);
  const rand = prng(fuzzSeed);
  const value = (depth: number): unknown => {
    const k = Math.floor(rand() * 8);
    if (depth > 3 || k < 3)
      return [rand() * 1e6 - 5e5, Math.floor(rand() * 1000), "s" + rand(), null, true][k % 5];
    if (k < 5) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
    if (k < 6) return new Uint8Array(bytes(rand, 20));
    return Object.fromEntries(
      Array.from({ length: Math.floor(rand() * 4) }, (_, i) => [`k${i}`, value(depth + 1)]),
    );
  };
  for (let i = 0; i < Math.min(fuzzCases, 2000); i++) {
    const args = Array.from({ length: Math.floor(rand() * 4) }, () => value(0));
    const e = encodeArgs(args);
    if (e.bytes > heap.length - 8) continue;
    writeEncoded(heap, f64, 8, e); // numbers, JSON, structured clone or raw bytes
    const back = decodeArgs(heap, f64, 8, e.format, e.length, () => null);
    expect(back).toEqual(args);
  }
});
