// The checks `HostName.lookup`, `lookupAll` and `lookupAllAsync` make on
// their options before resolving: an unknown name (`hostPath` for
// `hostsPath` read /etc/hosts without a word) is a TypeError, a family
// outside "ip4" | "ip6" a RangeError (it filtered every address out, and
// the lookup failed with UnknownHostName), and nameservers that are not
// addresses a TypeError (strings failed deep in the DNS client).
import { checkOneOf, checkOptions, optionNames } from "../../io/check_options.ts";
import { checkPort, checkString, describe } from "../../io/validate.ts";
import { Ip4Address } from "../ip4.ts";
import { Ip6Address } from "../ip6.ts";
import type { LookupOptions } from "./lookup_types.ts";

const LOOKUP_OPTION_NAMES = optionNames<LookupOptions>({
  port: true,
  family: true,
  hostsPath: true,
  resolvConfPath: true,
  nameservers: true,
});
const FAMILIES = ["ip4", "ip6"];

/** `where` names the call (`lookupAll`). */
export function checkLookupOptions(options: LookupOptions, where: string): void {
  if (options === undefined)
    throw new TypeError(`${where} needs options with a port, such as { port: 443 }`);
  checkOptions(options, where, LOOKUP_OPTION_NAMES);
  checkPort(options.port);
  // null: either family, as undefined.
  if (options.family != null) checkOneOf(options.family, "Family", FAMILIES);
  if (options.hostsPath !== undefined) checkString(options.hostsPath, "hostsPath");
  if (options.resolvConfPath !== undefined) checkString(options.resolvConfPath, "resolvConfPath");
  if (options.nameservers !== undefined) checkNameservers(options.nameservers);
}

/** A list given replaces resolv.conf's: an empty one would leave no server
 * to ask (the lookup waited out its timeout, then NameServerFailure). */
function checkNameservers(nameservers: unknown): void {
  if (!Array.isArray(nameservers))
    throw new TypeError(
      `nameservers is ${describe(nameservers)}, not an array of IpAddress (Ip4Address or Ip6Address) values`,
    );
  if (nameservers.length === 0)
    throw new RangeError("nameservers is empty: leave it out to use resolv.conf's name servers");
  nameservers.forEach((ns: unknown, i) => {
    if (!(ns instanceof Ip4Address || ns instanceof Ip6Address))
      throw new TypeError(
        `nameservers[${i}] is ${describe(ns)}, not an IpAddress (Ip4Address or Ip6Address): use IpAddress.parse(text, 53)`,
      );
  });
}
