// HostName.LookupOptions and LookupResult.
import type { IoError } from "../../io/errors.ts";
import type { IpAddress } from "../address.ts";
import type { HostName } from "../host_name.ts";

/** Options of `HostName.lookup` and `lookupAll`: the port the addresses carry, a family filter, and where the resolver's configuration comes from. */
export interface LookupOptions {
  readonly port: number;
  /** null/undefined: either family. */
  readonly family?: "ip4" | "ip6";
  /** Testing seams and overrides, never monkey-patching. */
  readonly hostsPath?: string;
  readonly resolvConfPath?: string;
  /** Name servers (with their ports) instead of resolv.conf's: IpAddress
   * values, at least one (an empty list is a RangeError). */
  readonly nameservers?: IpAddress[];
}

/** One item `HostName.lookup` puts into its queue: an address, the canonical name, or the end (with the error, if the lookup failed). */
export type LookupResult =
  | { readonly address: IpAddress }
  | { readonly canonicalName: HostName }
  | { readonly end: IoError | null };

/** HostName.LookupError. NameTooLong is ours: a name over the 253
 * characters a DNS query carries (valid as a HostName up to 255) that the
 * hosts file did not resolve; Zig asserts instead. */
export type LookupError =
  | "UnknownHostName"
  | "NameTooLong"
  | "ResolvConfParseFailed"
  | "InvalidDnsARecord"
  | "InvalidDnsAAAARecord"
  | "InvalidDnsCnameRecord"
  | "NameServerFailure"
  | "DetectingNetworkConfigurationFailed"
  | "UnsupportedClock"
  | "NetworkDown"
  | "Canceled";
