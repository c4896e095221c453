// Host-name lookups: a hosts-file name, and a DNS name served by an
// in-process server on loopback. threaded-io's resolver beside node:dns
// lookup (getaddrinfo on libuv's pool: the system hosts file; it cannot be
// pointed at another server), Bun.dns.lookup, and Resolver.resolve4
// (c-ares, pointed at the same server), in one run. threaded-io reads a
// private two-line hosts file and, like with like, /etc/hosts.
import { lookup } from "node:dns/promises";
import { Resolver } from "node:dns/promises";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HostName, Ip4Address, Threaded, type LookupOptions } from "../lib/index.ts";
import { A, ip4, startDnsServer } from "../spec/helpers/dns_server.ts";
import { median, writeResults, type Row } from "./stats.ts";

const N = 2000;
const REPEATS = 5;
const rows: Row[] = [];
const dir = mkdtempSync(join(tmpdir(), "tio-dns-bench-"));
const hostsPath = join(dir, "hosts");
writeFileSync(hostsPath, "127.0.0.1 localhost\n10.0.0.9 bench.hosts.test\n");
const resolvConfPath = join(dir, "resolv.conf");
writeFileSync(resolvConfPath, "options timeout:2 attempts:2\n");
// TTL 0: c-ares caches answers for their TTL, which would time its cache.
const server = await startDnsServer((q) =>
  q.type === A
    ? { ttl: 0, answers: [{ name: q.name, type: A, data: ip4("10.0.0.10") }] }
    : { ttl: 0 },
);

async function timeIt(f: () => Promise<unknown>): Promise<number> {
  const xs: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const s = performance.now();
    for (let i = 0; i < N; i++) await f();
    xs.push(((performance.now() - s) * 1000) / N);
  }
  return median(xs);
}

const t = Threaded.init({ asyncLimit: 1 });
const io = t.io();
const dnsOpts: LookupOptions = {
  port: 0,
  family: "ip4",
  hostsPath,
  resolvConfPath,
  nameservers: [Ip4Address.loopback(server.port)],
};
const localhost = HostName.init("localhost");
const dnsName = HostName.init("bench.dns.test");

// Hosts file: blocking on this thread, and async through a pool thread.
rows.push({
  name: "hosts-file name",
  impl: "threaded-io lookupAll",
  value: await timeIt(async () => localhost.lookupAll(io, { port: 0, family: "ip4", hostsPath })),
  unit: "µs",
  better: "lower",
});
// The same file getaddrinfo reads, like with like.
rows.push({
  name: "hosts-file name",
  impl: "threaded-io lookupAll, /etc/hosts",
  value: await timeIt(async () => localhost.lookupAll(io, { port: 0, family: "ip4" })),
  unit: "µs",
  better: "lower",
});
rows.push({
  name: "hosts-file name",
  impl: "node:dns lookup",
  value: await timeIt(() => lookup("localhost", { family: 4 })),
  unit: "µs",
  better: "lower",
});
// Bun's own lookup (its resolver and its cache of answers).
rows.push({
  name: "hosts-file name",
  impl: "Bun.dns.lookup",
  value: await timeIt(() => Bun.dns.lookup("localhost", { family: 4 })),
  unit: "µs",
  better: "lower",
});

// DNS: our lookup runs on a pool thread so this event loop can serve it.
rows.push({
  name: "DNS name, loopback server",
  impl: "threaded-io lookupAllAsync",
  value: await timeIt(() => dnsName.lookupAllAsync(io, dnsOpts)),
  unit: "µs",
  better: "lower",
});
const resolver = new Resolver();
resolver.setServers([`127.0.0.1:${server.port}`]);
rows.push({
  name: "DNS name, loopback server",
  impl: "c-ares resolve4",
  value: await timeIt(() => resolver.resolve4("bench.dns.test")),
  unit: "µs",
  better: "lower",
});

// The same against dnsmasq in its own process, when it is installed: both
// clients then pay the same cross-process wake-ups.
const dnsmasq = ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq"].find((p) => Bun.file(p).size > 0);
if (dnsmasq !== undefined) {
  const port = 20000 + Math.floor(Math.random() * 30000);
  const proc = Bun.spawn(
    [dnsmasq, "--no-daemon", "--conf-file=/dev/null", "--user=root", "--pid-file", `--port=${port}`, "--listen-address=127.0.0.1",
      "--bind-interfaces", "--no-resolv", "--no-hosts", "--local=/test/", "--host-record=bench.dnsmasq.test,10.0.0.11",
      "--local-ttl=0", "--no-negcache"],
    { stdout: "ignore", stderr: "ignore" },
  ); // prettier-ignore
  const name = HostName.init("bench.dnsmasq.test");
  const opts: LookupOptions = { ...dnsOpts, nameservers: [Ip4Address.loopback(port)] };
  for (
    let i = 0;
    i < 100 &&
    (await name.lookupAllAsync(io, opts).then(
      () => false,
      () => true,
    ));
    i++
  ) {
    await new Promise((r) => setTimeout(r, 20)); // until dnsmasq answers
  }
  rows.push({
    name: "DNS name, dnsmasq",
    impl: "threaded-io lookupAllAsync",
    value: await timeIt(() => name.lookupAllAsync(io, opts)),
    unit: "µs",
    better: "lower",
  });
  rows.push({
    name: "DNS name, dnsmasq",
    impl: "threaded-io lookupAll",
    value: await timeIt(async () => name.lookupAll(io, opts)),
    unit: "µs",
    better: "lower",
  });
  const r2 = new Resolver();
  r2.setServers([`127.0.0.1:${port}`]);
  rows.push({
    name: "DNS name, dnsmasq",
    impl: "c-ares resolve4",
    value: await timeIt(() => r2.resolve4("bench.dnsmasq.test")),
    unit: "µs",
    better: "lower",
  });
  proc.kill();
  await proc.exited;
}

writeResults("dns", rows);
const v = (n: string, i: string) => rows.find((r) => r.name === n && r.impl === i)!.value;
console.log(
  `hosts: ${(v("hosts-file name", "node:dns lookup") / v("hosts-file name", "threaded-io lookupAll")).toFixed(2)}× getaddrinfo; ` +
    `in-process server: ${(v("DNS name, loopback server", "c-ares resolve4") / v("DNS name, loopback server", "threaded-io lookupAllAsync")).toFixed(2)}× c-ares` +
    (rows.some((r) => r.name === "DNS name, dnsmasq")
      ? `; dnsmasq: ${(v("DNS name, dnsmasq", "c-ares resolve4") / v("DNS name, dnsmasq", "threaded-io lookupAll")).toFixed(2)}× c-ares blocking, ` +
        `${(v("DNS name, dnsmasq", "c-ares resolve4") / v("DNS name, dnsmasq", "threaded-io lookupAllAsync")).toFixed(2)}× async`
      : "") +
    " (>1: threaded-io faster)",
);
t.deinit();
await server.close();
rmSync(dir, { recursive: true, force: true });
