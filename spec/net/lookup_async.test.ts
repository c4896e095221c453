// lookupAllAsync keeps the event loop running however many lookups are in
// flight: past asyncLimit an `io.async` lookup ran on the caller, and a DNS
// server on the caller's own event loop then went unanswered until the
// timeout (the second of two lookups failed with NameServerFailure, the
// loop frozen 5 s).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { HostName, Ip4Address, Threaded } from "../../lib/index.ts";
import { startDnsServer, type DnsServer } from "../helpers/dns_server.ts";
import { tempDir } from "../helpers/tmp.ts";

const A = 1;
let t: Threaded;
let tmp: ReturnType<typeof tempDir>;
let server: DnsServer;
beforeAll(async () => {
  t = Threaded.init({ asyncLimit: 1 });
  tmp = tempDir();
  server = await startDnsServer((q) =>
    q.type === A
      ? { answers: [{ name: q.name, type: A, data: new Uint8Array([10, 1, 2, 3]) }] }
      : { answers: [] },
  );
});
afterAll(async () => {
  await server.close();
  t.deinit();
  tmp.remove();
});

test("three lookups in flight past asyncLimit 1, answered on this event loop", async () => {
  writeFileSync(`${tmp.path}/hosts`, "");
  writeFileSync(`${tmp.path}/resolv.conf`, "options timeout:1 attempts:1");
  const options = {
    port: 80,
    hostsPath: `${tmp.path}/hosts`,
    resolvConfPath: `${tmp.path}/resolv.conf`,
    nameservers: [Ip4Address.loopback(server.port)],
  };
  const inlineBefore = t.stats().tasks.inline;
  const results = await Promise.allSettled(
    ["a.test", "b.test", "c.test"].map((n) => HostName.init(n).lookupAllAsync(t.io(), options)),
  );
  expect(
    results.map((r) => (r.status === "fulfilled" ? r.value.addresses.join() : String(r.reason))),
  ).toEqual(["10.1.2.3:80", "10.1.2.3:80", "10.1.2.3:80"]);
  expect(t.stats().tasks.inline).toBe(inlineBefore); // none ran on this thread
});
