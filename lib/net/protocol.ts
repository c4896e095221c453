// `net.Protocol`: the IANA protocol numbers a socket may ask for, and the
// check that a `protocol` option is one of them. Zig's `net.Protocol` is an
// exhaustive enum, so no other value reaches socket(2) there; here a number
// went through bun:ffi's i32 conversion, so 2^32 + 6 and 6.9 made TCP
// sockets and 17.5 a UDP one.
import { describe } from "../io/validate.ts";

/** IANA protocol numbers (net.Protocol). */
export const Protocol = {
  hopopts: 0, icmp: 1, igmp: 2, ipip: 4, tcp: 6, egp: 8, pup: 12, udp: 17, idp: 22, tp: 29,
  dccp: 33, ipv6: 41, routing: 43, fragment: 44, rsvp: 46, gre: 47, esp: 50, ah: 51,
  icmpv6: 58, none: 59, dstopts: 60, mtp: 92, beetph: 94, encap: 98, pim: 103, comp: 108,
  sctp: 132, mh: 135, udplite: 136, mpls: 137, ethernet: 143, raw: 255, mptcp: 262,
} as const; // prettier-ignore

const values: ReadonlySet<unknown> = new Set(Object.values(Protocol));

/** A `protocol` option: null or undefined (the default), or one of
 * `Protocol`'s values. Not a number: TypeError; another number: RangeError. */
export function checkProtocol(protocol: unknown): void {
  if (protocol === undefined || protocol === null || values.has(protocol)) return;
  if (typeof protocol !== "number")
    throw new TypeError(`Protocol is ${describe(protocol)}, not a number`);
  throw new RangeError(
    `Protocol ${protocol} is not one of net.Protocol's values (${[...values].join(", ")})`,
  );
}
