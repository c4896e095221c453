// The resolver where Zig's lookupDns / lookupHosts decide: send errors
// (bug errnos too) ignored while other servers may answer, and none sent at
// all ending the lookup at once; an IPv4 socket when IPv6 ones
// cannot be made; hosts-file read errors other than "missing" end the lookup
// with DetectingNetworkConfigurationFailed, and reading it is cancelable.
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { closeSync, constants, openSync, writeFileSync } from "node:fs";
import {
  HostName,
  Ip4Address,
  Ip6Address,
  IoError,
  Threaded,
  type IpAddress,
  type Io,
  type LookupOptions,
} from "../../lib/index.ts";
import { openQuerySocket } from "../../lib/threaded/dns_client.ts";
import { A, ip4, startDnsServer, type DnsServer } from "../helpers/dns_server.ts";
import { openFdsUnder, openSockets, tempDir } from "../helpers/tmp.ts";
import { lookupBlocking } from "../fixtures/tasks.ts";
import { syscallNumber, untilAnyThreadBlockedIn } from "../helpers/proc.ts";

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

function file(name: string, text: string): string {
  const p = `${tmp.path}/${name}`;
  writeFileSync(p, text);
  return p;
}

async function lookup(name: string, options: LookupOptions) {
  try {
    const r = await HostName.init(name).lookupAllAsync(t.io(), options);
    return r.addresses.map(String);
  } catch (e) {
    return e instanceof IoError ? e.code : String(e);
  }
}

test("a send error to one server is ignored: the next server still answers", async () => {
  server = await startDnsServer((q) =>
    q.type === A ? { answers: [{ name: q.name, type: A, data: ip4("10.2.2.2") }] } : {},
  );
  // The loopback net's broadcast address: sendmsg fails EACCES
  // (AccessDenied) without SO_BROADCAST, and nothing is sent.
  const broadcast = Ip4Address.parse("127.255.255.255", 53);
  const r = await lookup("svc.test", {
    port: 80,
    hostsPath: file("hosts-empty", ""),
    resolvConfPath: file("resolv-send", "options timeout:2 attempts:1"),
    nameservers: [broadcast, Ip4Address.loopback(server.port)],
  });
  expect(r).toEqual(["10.2.2.2:80"]);
});

test("a server the kernel refuses (port 0: EINVAL, a bug errno) is skipped, in debug mode too", async () => {
  server = await startDnsServer((q) =>
    q.type === A ? { answers: [{ name: q.name, type: A, data: ip4("10.3.3.3") }] } : {},
  );
  const port0 = Ip4Address.loopback(0);
  const good = Ip4Address.loopback(server.port);
  for (const nameservers of [
    [port0, good],
    [good, port0],
  ]) {
    const r = await lookup("svc.test", {
      port: 80,
      hostsPath: file("hosts-empty", ""),
      resolvConfPath: file("resolv-port0", "options timeout:2 attempts:1"),
      nameservers,
    });
    expect(r).toEqual(["10.3.3.3:80"]);
  }
});

test("when no server can be sent the query, the lookup fails at once, not after the timeout", async () => {
  const start = performance.now();
  const r = await lookup("svc.test", {
    port: 80,
    hostsPath: file("hosts-empty", ""),
    resolvConfPath: file("resolv-unsendable", "search one.test\noptions timeout:30 attempts:1"),
    nameservers: [Ip4Address.loopback(0), Ip4Address.parse("127.255.255.255", 53)],
  });
  expect(r).toBe("NameServerFailure");
  // Sends that fail with a mapped errno (EACCES) alone: no waiting either.
  const denied = await lookup("svc.test", {
    port: 80,
    hostsPath: file("hosts-empty", ""),
    resolvConfPath: file("resolv-unsendable", "search one.test\noptions timeout:30 attempts:1"),
    nameservers: [Ip4Address.parse("127.255.255.255", 53)],
  });
  expect(denied).toBe("NameServerFailure");
  expect(performance.now() - start).toBeLessThan(2_000);
});

test("without IPv6 sockets the query socket is IPv4, the servers unmapped", () => {
  const io = t.io();
  const before = openSockets();
  const order: IpAddress[] = [Ip6Address.loopback(53), Ip4Address.loopback(53)];
  const families: string[] = [];
  const noIp6 = (io2: Io, a: IpAddress) => {
    families.push(a.family);
    if (a.family === "ip6")
      throw new IoError("AddressFamilyUnsupported", { message: "AddressFamilyUnsupported" });
    return a.bind(io2, { mode: "dgram" });
  };
  const { socket, targets } = openQuerySocket(io, order, noIp6);
  expect(families).toEqual(["ip6", "ip4"]);
  expect(socket.address.family).toBe("ip4");
  expect(targets).toBe(order);
  socket.close(io);
  // With IPv6: one dual-stack socket, IPv4 servers as mapped addresses.
  const dual = openQuerySocket(io, order);
  expect(dual.socket.address.family).toBe("ip6");
  expect(dual.targets.map(String)).toEqual(["[::1]:53", "[::ffff:127.0.0.1]:53"]);
  dual.socket.close(io);
  // Any other error is the lookup's.
  const denied = () => {
    throw new IoError("AccessDenied", { message: "AccessDenied" });
  };
  expect(() => openQuerySocket(io, order, denied)).toThrow("AccessDenied");
  expect(openSockets()).toBe(before);
});

test("a hosts file that cannot be read ends the lookup with DetectingNetworkConfigurationFailed", async () => {
  const opts = {
    port: 80,
    resolvConfPath: file("resolv-none", "nameserver 127.0.0.1"),
  };
  // A directory opens, and read fails EISDIR.
  expect(await lookup("svc.test", { ...opts, hostsPath: tmp.path })).toBe(
    "DetectingNetworkConfigurationFailed",
  );
  // Missing, or under a file: no hosts entries (then localhost answers).
  expect(await lookup("localhost", { ...opts, hostsPath: `${tmp.path}/none` })).toEqual([
    "[::1]:80",
    "127.0.0.1:80",
  ]);
  const plain = file("plain", "");
  expect(await lookup("localhost", { ...opts, hostsPath: `${plain}/hosts` })).toEqual([
    "[::1]:80",
    "127.0.0.1:80",
  ]);
});

test("reading the hosts file is cancelable (a FIFO nobody writes)", async () => {
  const fifo = `${tmp.path}/hosts-fifo`;
  const made = Bun.spawnSync(["mkfifo", fifo]);
  expect(made.exitCode).toBe(0);
  const io = t.io();
  const f = io.concurrent(lookupBlocking, io, "svc.test", {
    port: 1,
    hostsPath: fifo,
    resolvConfPath: file("resolv-fifo", "nameserver 127.0.0.1"),
  });
  // Opening a FIFO for reading blocks until a writer comes.
  await untilAnyThreadBlockedIn(syscallNumber("openat"));
  try {
    expect(f.cancel(io)).toBe("Canceled");
  } finally {
    // Releases a reader the cancel did not reach (the bug this tests). Non-
    // blocking: with no reader left, opening fails ENXIO at once.
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch (e) {
      expect((e as { code?: string }).code).toBe("ENXIO");
    }
  }
  expect(openFdsUnder(fifo)).toBe(0);
});
