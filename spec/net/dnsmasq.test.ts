// Lookups against a real DNS server: dnsmasq (Debian dnsmasq-base), started
// by this suite on a loopback port with its own records, and compared with
// what dnsmasq serves to c-ares (node:dns Resolver) in the same run.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Resolver } from "node:dns/promises";
import { existsSync, writeFileSync } from "node:fs";
import { HostName, Ip4Address, IoError, Threaded, type LookupOptions } from "../../lib/index.ts";
import { tempDir } from "../helpers/tmp.ts";

const binary = ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq"].find((p) => existsSync(p));
const skip = binary === undefined && process.env.CI !== "true";
if (binary === undefined) {
  const msg =
    "dnsmasq is not installed (Debian: apt-get install dnsmasq-base): the real-server lookup suite is SKIPPED";
  if (process.env.CI === "true") throw new Error(msg);
  console.warn(`\n*** ${msg} ***\n`);
}

let t: Threaded;
let tmp: ReturnType<typeof tempDir>;
let proc: ReturnType<typeof Bun.spawn> | undefined;
let port = 0;

async function startDnsmasq(): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    port = 20000 + Math.floor(Math.random() * 30000);
    const hosts = `${tmp.path}/dnsmasq-hosts`;
    writeFileSync(hosts, "10.20.30.41 fromfile.dnsmasq.test\n");
    proc = Bun.spawn(
      [
        binary!,
        "--no-daemon",
        "--conf-file=/dev/null",
        "--user=root",
        "--pid-file",
        `--port=${port}`,
        "--listen-address=127.0.0.1",
        "--bind-interfaces",
        "--no-resolv",
        "--no-hosts",
        `--addn-hosts=${hosts}`,
        "--local=/dnsmasq.test/",
        "--host-record=svc.dnsmasq.test,10.20.30.40,2001:db8::40",
        "--host-record=multi.dnsmasq.test,10.20.30.50",
        "--host-record=multi.dnsmasq.test,10.20.30.51",
        "--cname=alias.dnsmasq.test,svc.dnsmasq.test",
      ],
      { stdout: "ignore", stderr: "pipe" },
    );
    const reader = (proc.stderr as ReadableStream<Uint8Array>).getReader();
    let log = "";
    const deadline = performance.now() + 5000;
    while (performance.now() < deadline) {
      const { value, done } = await Promise.race([
        reader.read(),
        new Promise<{ value: undefined; done: true }>((r) =>
          setTimeout(() => r({ value: undefined, done: true }), 5000),
        ),
      ]);
      if (done) break;
      log += new TextDecoder().decode(value);
      if (log.includes("started")) {
        reader.releaseLock();
        return;
      }
    }
    proc.kill();
    await proc.exited;
    if (!log.includes("Address already in use")) throw new Error(`dnsmasq did not start: ${log}`);
  }
  throw new Error("dnsmasq: no free port found");
}

beforeAll(async () => {
  if (skip) return;
  t = Threaded.init({ asyncLimit: 2 });
  tmp = tempDir();
  await startDnsmasq();
});
afterAll(async () => {
  if (skip) return;
  proc?.kill();
  await proc?.exited;
  t.deinit();
  tmp.remove();
});

function options(extra: Partial<LookupOptions> = {}): LookupOptions {
  const resolv = `${tmp.path}/resolv.conf`;
  writeFileSync(resolv, "search dnsmasq.test\noptions timeout:2 attempts:2\n");
  const hosts = `${tmp.path}/empty-hosts`;
  writeFileSync(hosts, "");
  return {
    port: 443,
    hostsPath: hosts,
    resolvConfPath: resolv,
    nameservers: [Ip4Address.loopback(port)],
    ...extra,
  };
}

async function ours(name: string, extra: Partial<LookupOptions> = {}) {
  try {
    const r = await HostName.init(name).lookupAllAsync(t.io(), options(extra));
    return { addresses: r.addresses.map((a) => a.host()), canonical: r.canonicalName.bytes };
  } catch (e) {
    return { error: e instanceof IoError ? e.code : String(e) };
  }
}

async function cares(name: string) {
  const r = new Resolver();
  r.setServers([`127.0.0.1:${port}`]);
  const v4 = await r.resolve4(name).catch(() => [] as string[]);
  const v6 = await r.resolve6(name).catch(() => [] as string[]);
  return [...v4, ...v6];
}

test.skipIf(skip)("host records: A then AAAA, as dnsmasq serves them to c-ares", async () => {
  const r = await ours("svc.dnsmasq.test");
  expect(r).toEqual({ addresses: ["10.20.30.40", "2001:db8::40"], canonical: "svc.dnsmasq.test" });
  expect(r.addresses).toEqual(await cares("svc.dnsmasq.test"));
});

test.skipIf(skip)("several A records; the family filter", async () => {
  const r = await ours("multi.dnsmasq.test", { family: "ip4" });
  expect(new Set(r.addresses)).toEqual(new Set(["10.20.30.50", "10.20.30.51"]));
  expect(new Set(r.addresses)).toEqual(new Set(await cares("multi.dnsmasq.test")));
  expect(await ours("svc.dnsmasq.test", { family: "ip6" })).toEqual({
    addresses: ["2001:db8::40"],
    canonical: "svc.dnsmasq.test",
  });
});

test.skipIf(skip)(
  "a CNAME gives the canonical name; the search list completes a short name",
  async () => {
    expect(await ours("alias.dnsmasq.test")).toEqual({
      addresses: ["10.20.30.40", "2001:db8::40"],
      canonical: "svc.dnsmasq.test",
    });
    expect(await ours("fromfile")).toEqual({
      addresses: ["10.20.30.41"],
      canonical: "fromfile.dnsmasq.test",
    });
  },
);

test.skipIf(skip)("a name dnsmasq says does not exist is UnknownHostName", async () => {
  expect(await ours("absent.dnsmasq.test")).toEqual({ error: "UnknownHostName" });
});
