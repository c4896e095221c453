// Lookups against a DNS server the test scripts (UDP and TCP on loopback),
// run on a pool thread while this thread's event loop serves the queries.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import {
  HostName,
  Ip4Address,
  IoError,
  Queue,
  Threaded,
  type LookupOptions,
  type LookupResult,
} from "../../lib/index.ts";
import {
  A,
  AAAA,
  CNAME,
  ip4,
  startDnsServer,
  type DnsServer,
  type Handler,
} from "../helpers/dns_server.ts";
import { openSockets, tempDir } from "../helpers/tmp.ts";
import { lookupBlocking } from "../fixtures/tasks.ts";

let t: Threaded;
let tmp: ReturnType<typeof tempDir>;
let server: DnsServer | undefined;
beforeAll(() => {
  t = Threaded.init({ asyncLimit: 2 });
  tmp = tempDir();
});
afterAll(() => {
  t.deinit();
  tmp.remove();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

let confs = 0;
function conf(text: string): string {
  const p = `${tmp.path}/resolv-${confs++}.conf`;
  writeFileSync(p, text);
  return p;
}
const noHosts = () => {
  const p = `${tmp.path}/hosts-empty`;
  writeFileSync(p, "");
  return p;
};

async function lookup(
  name: string,
  handler: Handler,
  extra: Partial<LookupOptions> & { conf?: string } = {},
) {
  server = await startDnsServer(handler);
  const { conf: confText, ...rest } = extra; // `conf` is this helper's, not an option
  const options: LookupOptions = {
    port: 80,
    hostsPath: noHosts(),
    resolvConfPath: conf(confText ?? "options timeout:2 attempts:2"),
    nameservers: [Ip4Address.loopback(server.port)],
    ...rest,
  };
  try {
    const r = await HostName.init(name).lookupAllAsync(t.io(), options);
    return { addresses: r.addresses.map((a) => a.toString()), canonical: r.canonicalName.bytes };
  } catch (e) {
    return { error: e instanceof IoError ? e.code : String(e) };
  }
}

const v4 = (name: string, addr: string) => ({ name, type: A, data: ip4(addr) });

describe("DNS lookups", () => {
  test("A and AAAA answers, A first, with the port", async () => {
    const r = await lookup("svc.test", (q) =>
      q.type === A
        ? { answers: [v4(q.name, "10.1.1.1"), v4(q.name, "10.1.1.2")] }
        : {
            answers: [
              {
                name: q.name,
                type: AAAA,
                data: new Uint8Array([0x20, 1, 0xd, 0xb8, ...new Array(11).fill(0), 9]),
              },
            ],
          },
    );
    expect(r).toEqual({
      addresses: ["10.1.1.1:80", "10.1.1.2:80", "[2001:db8::9]:80"],
      canonical: "svc.test",
    });
    expect(new Set(server!.queries.map((q) => q.id)).size).toBe(2); // A and AAAA: their own ids
  });

  test("family ip4 asks only for A", async () => {
    const r = await lookup("svc.test", (q) => ({ answers: [v4(q.name, "10.1.1.1")] }), {
      family: "ip4",
    });
    expect(r).toEqual({ addresses: ["10.1.1.1:80"], canonical: "svc.test" });
    expect(server!.queries.every((q) => q.type === A)).toBe(true);
  });

  test("replies with a wrong id or a wrong question are ignored", async () => {
    const r = await lookup("svc.test", (q) => [
      { id: (q.id + 1) & 0xffff, answers: [v4(q.name, "6.6.6.6")] },
      { questionName: "evil.test", answers: [v4("evil.test", "6.6.6.7")] },
      { questionType: q.type === A ? AAAA : A, answers: [v4(q.name, "6.6.6.8")] },
      q.type === A ? { answers: [v4(q.name, "10.2.2.2")] } : {},
    ]);
    expect(r).toEqual({ addresses: ["10.2.2.2:80"], canonical: "svc.test" });
  });

  test("replies from another port are ignored: the lookup times out", async () => {
    const handler = Object.assign((q: { name: string }) => ({ answers: [v4(q.name, "6.6.6.6")] }), {
      stranger: true,
    });
    const r = await lookup("svc.test", handler, { conf: "options timeout:1 attempts:1" });
    expect(r).toEqual({ error: "NameServerFailure" });
  });

  test("SERVFAIL is resent once per server and round, then the answer is used", async () => {
    let fails = 0;
    const r = await lookup("svc.test", (q) => {
      if (q.type !== A) return {};
      if (fails < 1) {
        fails++;
        return { rcode: 2 };
      }
      return { answers: [v4(q.name, "10.3.3.3")] };
    });
    expect(r).toEqual({ addresses: ["10.3.3.3:80"], canonical: "svc.test" });
    expect(server!.queries.filter((q) => q.type === A).length).toBe(2);
  });

  test("a truncated UDP answer is retried over TCP", async () => {
    const r = await lookup("big.test", (q) =>
      q.via === "udp" && q.type === A
        ? { truncated: true, answers: [v4(q.name, "10.4.4.1")] }
        : q.type === A
          ? { answers: [1, 2, 3, 4].map((i) => v4(q.name, `10.4.4.${i}`)) }
          : {},
    );
    expect(r).toEqual({
      addresses: ["10.4.4.1:80", "10.4.4.2:80", "10.4.4.3:80", "10.4.4.4:80"],
      canonical: "big.test",
    });
    expect(server!.queries.some((q) => q.via === "tcp")).toBe(true);
  });

  test("use-vc asks over TCP only", async () => {
    const r = await lookup(
      "svc.test",
      (q) => (q.type === A ? { answers: [v4(q.name, "10.5.5.5")] } : {}),
      { conf: "options use-vc timeout:5" },
    );
    expect(r).toEqual({ addresses: ["10.5.5.5:80"], canonical: "svc.test" });
    expect(server!.queries.every((q) => q.via === "tcp")).toBe(true);
  });

  test("silence until the timeout is NameServerFailure", async () => {
    const start = performance.now();
    const r = await lookup("svc.test", () => null, { conf: "options timeout:1 attempts:2" });
    expect(r).toEqual({ error: "NameServerFailure" });
    expect(performance.now() - start).toBeGreaterThanOrEqual(900);
    expect(server!.queries.filter((q) => q.type === A).length).toBe(2); // two rounds
  });

  test("NXDOMAIN on the first search domain, an answer on the second", async () => {
    const r = await lookup(
      "app",
      (q) =>
        q.name === "app.one.test"
          ? { rcode: 3 }
          : q.name === "app.two.test" && q.type === A
            ? { answers: [v4(q.name, "10.6.6.6")] }
            : {},
      { conf: "search one.test two.test\noptions timeout:2" },
    );
    expect(r).toEqual({ addresses: ["10.6.6.6:80"], canonical: "app.two.test" });
  });

  test("every candidate NXDOMAIN or empty ends in UnknownHostName", async () => {
    const r = await lookup("nothere", (q) => (q.name.endsWith("one.test") ? { rcode: 3 } : {}), {
      conf: "search one.test\noptions timeout:2",
    });
    expect(r).toEqual({ error: "UnknownHostName" });
  });

  test("a name too long for a DNS query fails at once with NameTooLong; 253 characters resolve", async () => {
    // RFC 1035: 255 octets on the wire, 253 characters without the final
    // dot. A 255-character name passes HostName.init (Zig's max_len); its
    // query used to go out, the echoed question failed the reply parser,
    // and the lookup waited out the timeout for NameServerFailure.
    const l63 = "a".repeat(63);
    const answer: Handler = (q) => (q.type === A ? { answers: [v4(q.name, "10.8.8.8")] } : {});
    const stop = async () => {
      await server?.close();
      server = undefined;
    };
    const n253 = `${l63}.${l63}.${l63}.${"a".repeat(61)}`;
    const ok = await lookup(n253, answer, { family: "ip4", conf: "options timeout:2" });
    expect(ok).toEqual({ addresses: ["10.8.8.8:80"], canonical: n253 });
    await stop();
    for (const long of [
      `${n253}a`,
      `${l63}.${l63}.${l63}.${l63}`,
      `${l63}.${l63}.${l63}.${l63}.`,
    ]) {
      const start = performance.now();
      expect(await lookup(long, answer, { conf: "options timeout:2" })).toEqual({
        error: "NameTooLong",
      });
      expect(performance.now() - start).toBeLessThan(1_000);
      expect(server!.queries).toEqual([]); // nothing sent
      await stop();
    }
    // A search candidate over the limit is skipped; the name itself is asked.
    const n249 = `${l63}.${l63}.${l63}.${"a".repeat(57)}`;
    const searched = await lookup(n249, answer, {
      family: "ip4",
      conf: "search toolong.test\noptions ndots:5 timeout:2",
    });
    expect(searched).toEqual({ addresses: ["10.8.8.8:80"], canonical: n249 });
    expect(server!.queries.map((q) => q.name)).toEqual([n249]);
  });

  test("CNAME chains give the canonical name", async () => {
    const r = await lookup("www.test", (q) =>
      q.type === A
        ? {
            answers: [
              { name: "www.test", type: CNAME, data: "edge.test" },
              { name: "edge.test", type: CNAME, data: "origin.cdn.test" },
              v4("origin.cdn.test", "10.7.7.7"),
            ],
          }
        : {},
    );
    expect(r).toEqual({ addresses: ["10.7.7.7:80"], canonical: "origin.cdn.test" });
  });

  test("a lookup waiting on a silent server is canceled and leaves no socket", async () => {
    server = await startDnsServer(() => null);
    const io = t.io();
    const before = openSockets();
    const g = io.async(lookupBlocking, io, "svc.test", {
      port: 1,
      hostsPath: noHosts(),
      resolvConfPath: conf("options timeout:30 attempts:1"),
      nameservers: [Ip4Address.loopback(server.port)],
    });
    while (server.queries.length === 0) await new Promise((r) => setTimeout(r, 1));
    expect(g.cancel(io)).toBe("Canceled");
    expect(openSockets()).toBe(before);
  });
});

describe("before DNS", () => {
  test("IP literals, the hosts file (a hit ends the lookup), localhost and *.localhost", async () => {
    const hosts = `${tmp.path}/hosts`;
    writeFileSync(hosts, "10.9.9.9 Named.Host alias\n127.0.0.1 localhost");
    const io = t.io();
    const opts = { port: 8080, hostsPath: hosts, resolvConfPath: conf("nameserver 127.0.0.1") };
    const show = (n: string, o: Partial<LookupOptions> = {}) => {
      const r = HostName.init(n).lookupAll(io, { ...opts, ...o });
      return [r.addresses.map(String), r.canonicalName.bytes];
    };
    expect(show("10.0.0.1")).toEqual([["10.0.0.1:8080"], "10.0.0.1"]);
    expect(show("alias")).toEqual([["10.9.9.9:8080"], "Named.Host"]);
    // Zig's order: ::1 first.
    expect(show("foo.localhost")).toEqual([["[::1]:8080", "127.0.0.1:8080"], "localhost"]);
    expect(show("Bar.LocalHost.", { family: "ip6" })).toEqual([["[::1]:8080"], "localhost"]);
    expect(() => HostName.init("10.0.0.1").lookupAll(io, { ...opts, family: "ip6" })).toThrow(
      "UnknownHostName",
    );
  });

  test("a hosts line whose first name is not a host name (db_primary) still gives its addresses", async () => {
    // Zig's lookupHostsReader skips an invalid canonical name and keeps the
    // addresses; the lookup used to end with InvalidHostName.
    const hosts = `${tmp.path}/hosts-underscore`;
    writeFileSync(
      hosts,
      "10.0.0.5 db_primary db\n10.0.0.6 _x db\n10.0.0.8 web_1 web\n10.0.0.9 Web.Internal web\n",
    );
    const io = t.io();
    const opts = { port: 5432, hostsPath: hosts, resolvConfPath: conf("nameserver 127.0.0.1") };
    const r = HostName.init("db").lookupAll(io, opts);
    expect([r.addresses.map(String), r.canonicalName.bytes]).toEqual([
      ["10.0.0.5:5432", "10.0.0.6:5432"],
      "db", // no valid first name on any matching line: the name asked
    ]);
    // As Zig: the first matching line whose first name is valid names it.
    const w = HostName.init("web").lookupAll(io, opts);
    expect([w.addresses.map(String), w.canonicalName.bytes]).toEqual([
      ["10.0.0.8:5432", "10.0.0.9:5432"],
      "Web.Internal",
    ]);
    const a = await HostName.init("DB.").lookupAllAsync(io, opts);
    expect([a.addresses.map(String), a.canonicalName.bytes]).toEqual([
      ["10.0.0.5:5432", "10.0.0.6:5432"],
      "DB",
    ]);
    const q = Queue.init<LookupResult>(io, 16);
    HostName.init("db").lookup(io, q, opts);
    const items: string[] = [];
    for (;;) {
      const item = q.getOne(io);
      if ("end" in item) {
        items.push(`end ${item.end?.code ?? null}`);
        break;
      }
      items.push("address" in item ? String(item.address) : `canonical ${item.canonicalName}`);
    }
    q.deinit();
    expect(items).toEqual(["10.0.0.5:5432", "10.0.0.6:5432", "canonical db", "end null"]);
  });

  test("ioBasic() lookups end with NetworkDown", () => {
    expect(() => HostName.init("localhost").lookupAll(t.ioBasic(), { port: 1 })).toThrow(
      "NetworkDown",
    );
  });
});
