// The options of HostName.lookup, lookupAll and lookupAllAsync, as a
// newcomer gets them wrong. Each is refused before anything is read or sent:
// `hostPath` (for hostsPath) silently read /etc/hosts; `family: "ip5"`
// filtered every address out (UnknownHostName); nameservers given as
// strings failed with 'Port "undefined" is not a number'; an empty list
// waited out the timeout and then threw NameServerFailure.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  HostName,
  IpAddress,
  Queue,
  Threaded,
  type Io,
  type LookupResult,
} from "../../lib/index.ts";
import { tempDir } from "../helpers/tmp.ts";

let t: Threaded;
let io: Io;
const tmp = tempDir("tio-lookup-options-");
const hostsPath = join(tmp.path, "hosts");
const resolvConfPath = join(tmp.path, "resolv.conf");
beforeAll(() => {
  t = Threaded.init();
  io = t.io();
  writeFileSync(hostsPath, "10.0.0.7 alpha.test\n");
  // One short try, so that a lookup that does reach DNS ends soon.
  writeFileSync(resolvConfPath, "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
});
afterAll(() => {
  t.deinit();
  tmp.remove();
});

const name = HostName.init("gamma.test");

describe("lookupAll", () => {
  test("an unknown option is a TypeError naming it and the known ones", () => {
    expect(() => name.lookupAll(io, { port: 1, hostPath: hostsPath } as never)).toThrow(
      new TypeError(
        'lookupAll has no option "hostPath" (the options: port, family, hostsPath, resolvConfPath, nameservers)',
      ),
    );
  });

  test("a family outside ip4 | ip6 is a RangeError, not UnknownHostName", () => {
    expect(() =>
      HostName.init("alpha.test").lookupAll(io, { port: 1, family: "ip5" as never, hostsPath }),
    ).toThrow(new RangeError('Family "ip5" is not one of ip4, ip6'));
  });

  test("nameservers must be IpAddress values", () => {
    expect(() =>
      name.lookupAll(io, { port: 1, hostsPath, nameservers: ["127.0.0.1"] as never }),
    ).toThrow(
      new TypeError(
        'nameservers[0] is a string "127.0.0.1", not an IpAddress (Ip4Address or Ip6Address): use IpAddress.parse(text, 53)',
      ),
    );
    expect(() =>
      name.lookupAll(io, { port: 1, hostsPath, nameservers: IpAddress.parse("::1", 53) as never }),
    ).toThrow(/^nameservers is an Ip6Address, not an array/);
  });

  test("an empty nameservers list is refused at once, not after the timeout", () => {
    const t0 = performance.now();
    expect(() =>
      name.lookupAll(io, { port: 1, hostsPath, resolvConfPath, nameservers: [] }),
    ).toThrow(
      new RangeError("nameservers is empty: leave it out to use resolv.conf's name servers"),
    );
    expect(performance.now() - t0).toBeLessThan(500);
  });

  test("no options, or paths that are not strings, are TypeErrors", () => {
    expect(() => name.lookupAll(io, undefined as never)).toThrow(
      new TypeError("lookupAll needs options with a port, such as { port: 443 }"),
    );
    expect(() => name.lookupAll(io, { port: 1, hostsPath: 5 } as never)).toThrow(
      /^hostsPath is a number "5", not a string/,
    );
  });

  test("correct options still resolve", () => {
    const r = HostName.init("alpha.test").lookupAll(io, {
      port: 80,
      family: "ip4",
      hostsPath,
      resolvConfPath,
    });
    expect(r.addresses.map(String)).toEqual(["10.0.0.7:80"]);
  });
});

describe("lookup and lookupAllAsync check the same options", () => {
  test("lookup", () => {
    const q = Queue.init<LookupResult>(io, 16);
    try {
      expect(() => name.lookup(io, q, { port: 1, famliy: "ip4" } as never)).toThrow(
        /^lookup has no option "famliy"/,
      );
      expect(q.length()).toBe(0);
    } finally {
      q.deinit();
    }
  });

  test("lookupAllAsync", () => {
    expect(() => name.lookupAllAsync(io, { port: 1, nameservers: [] })).toThrow(RangeError);
    expect(() => name.lookupAllAsync(io, { port: 1, hostPath: hostsPath } as never)).toThrow(
      /^lookupAllAsync has no option "hostPath"/,
    );
  });
});
