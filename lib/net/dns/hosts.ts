// The hosts file (/etc/hosts), as glibc and musl read it: "address name
// aliases…", "#" comments, tabs and spaces, names matched without regard to
// ASCII case, the canonical name being the first name on the matching line.
// A last line without a newline is read; lines over 512 bytes are skipped
// (as musl); scoped IPv6 addresses are skipped. A first name that is not a
// valid host name ("db_primary": underscores are common here) names nothing,
// as Zig's lookupHostsReader skips it; the line's addresses still count.
import { Ip4Address } from "../ip4.ts";
import { Ip6Address, parseUnresolved } from "../ip6.ts";
import type { IpAddress } from "../address.ts";
import { validate } from "../host_name.ts";

export const maxLineBytes = 512;

export interface HostsEntry {
  readonly address: IpAddress;
  /** Lower-cased names; the first is the canonical name. */
  readonly names: string[];
  /** The canonical name as written; null when it is not a valid host name. */
  readonly canonical: string | null;
}

function hostNameOrNull(text: string): string | null {
  try {
    validate(text);
    return text;
  } catch {
    return null;
  }
}

function parseAddress(text: string): IpAddress | null {
  try {
    return Ip4Address.parse(text, 0);
  } catch {
    const r = parseUnresolved(text);
    if (r.kind !== "success" || r.interfaceName !== null) return null;
    return new Ip6Address(r.bytes, 0);
  }
}

export function parseHosts(text: string): HostsEntry[] {
  const out: HostsEntry[] = [];
  for (const raw of text.split("\n")) {
    if (raw.length > maxLineBytes) continue;
    const line = raw.replace(/\r$/, "").replace(/#.*$/, "");
    const tokens = line.split(/[ \t]+/).filter((t) => t.length > 0);
    if (tokens.length < 2) continue;
    const address = parseAddress(tokens[0]);
    if (address === null) continue;
    const names = tokens.slice(1);
    out.push({
      address,
      names: names.map((n) => n.toLowerCase()),
      canonical: hostNameOrNull(names[0]),
    });
  }
  return out;
}

export interface HostsMatch {
  readonly addresses: IpAddress[];
  /** null when no matching line's first name is a valid host name. */
  readonly canonical: string | null;
}

/** Every address of `name` in file order; the canonical name is the first
 * name on the first matching line where that name is valid (Zig's
 * lookupHostsReader). null when nothing matches. */
export function lookupHosts(entries: readonly HostsEntry[], name: string): HostsMatch | null {
  const want = name.replace(/\.$/, "").toLowerCase();
  let canonical: string | null = null;
  const addresses: IpAddress[] = [];
  for (const e of entries) {
    if (!e.names.includes(want)) continue;
    canonical ??= e.canonical;
    addresses.push(e.address);
  }
  return addresses.length === 0 ? null : { addresses, canonical };
}
