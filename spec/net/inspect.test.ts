// console.log of a host name or an address shows the value: Bun lists a
// class's methods as fields, and a lookup's `canonicalName` printed as
// seven lines of functions.
import { expect, test } from "bun:test";
import { HostName, Ip4Address, Ip6Address, UnixAddress } from "../../lib/index.ts";

test("host names and addresses inspect as their value", () => {
  expect(Bun.inspect(HostName.init("example.com"))).toBe('HostName("example.com")');
  expect(Bun.inspect({ canonicalName: HostName.init("a.b") })).toBe(
    '{\n  canonicalName: HostName("a.b"),\n}',
  );
  expect(Bun.inspect(Ip4Address.loopback(80))).toBe("Ip4Address(127.0.0.1:80)");
  expect(Bun.inspect(Ip6Address.loopback(443))).toBe("Ip6Address([::1]:443)");
  expect(Bun.inspect(UnixAddress.init("/tmp/s"))).toBe('UnixAddress("/tmp/s")');
});
