// `net.Ip6Address`: sixteen bytes (network order), a port, a flow label and
// an interface index. `Unresolved.parse` is the interface's detailed parser
// (it never throws); `Ip6Address.parse` turns its result into the two errors
// of Ip6Address.ParseError.
import { IoError } from "../io/errors.ts";
import type { Io } from "../io/io.ts";
import { checkCount, checkPort, MAX_U32 } from "../io/validate.ts";
import { checkBindOptions, checkConnectOptions, checkListenOptions } from "./socket_options.ts";
import type {
  BindOptions,
  ConnectOptions,
  ListenOptions,
  Server,
  Socket,
  Stream,
} from "./socket.ts";
import { Ip4Address } from "./ip4.ts";

/** Ip6Address.Unresolved.parse's result. */
export type Ip6Parsed =
  | { readonly kind: "success"; readonly bytes: Uint8Array; readonly interfaceName: string | null }
  | { readonly kind: "invalid_byte"; readonly index: number }
  | { readonly kind: "incomplete" }
  | { readonly kind: "junk_after_end"; readonly index: number }
  | { readonly kind: "interface_name_oversized"; readonly index: number }
  | { readonly kind: "invalid_ip4_mapping"; readonly index: number }
  | { readonly kind: "overflow"; readonly index: number };

/** Ip6Address.ParseError. */
export type Ip6ParseError = "ParseFailed" | "UnresolvedScope";

const MAPPED_PREFIX = "::ffff:";

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** The interface's IPv6 text parser: hex groups, one "::" that may stand
 * for zero or more groups, "%name" after a group, "::ffff:a.b.c.d". */
export function parseUnresolved(text: string): Ip6Parsed {
  if (text.length < 2) return { kind: "incomplete" };
  if (text.slice(0, MAPPED_PREFIX.length).toLowerCase() === MAPPED_PREFIX) {
    try {
      const v4 = Ip4Address.parse(text.slice(MAPPED_PREFIX.length), 0);
      const bytes = new Uint8Array(16);
      bytes[10] = 0xff;
      bytes[11] = 0xff;
      bytes.set(v4.bytes, 12);
      return { kind: "success", bytes, interfaceName: null };
    } catch {
      return { kind: "invalid_ip4_mapping", index: MAPPED_PREFIX.length };
    }
  }
  const groups: number[] = [];
  let gap = -1; // index in `groups` where "::" stands
  let value = 0;
  let digits = 0;
  let interfaceName: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const h = hexValue(c);
    if (h >= 0) {
      if (digits === 4)
        return value * 16 + h > 0xffff
          ? { kind: "overflow", index: i }
          : { kind: "invalid_byte", index: i };
      value = value * 16 + h;
      digits++;
    } else if (c === 0x3a) {
      if (digits > 0) {
        groups.push(value);
        value = 0;
        digits = 0;
        if (groups.length === 8) return { kind: "junk_after_end", index: i };
        if (i === text.length - 1) return { kind: "incomplete" };
      } else if (i === 0) {
        if (text.charCodeAt(1) !== 0x3a) return { kind: "invalid_byte", index: 1 };
        gap = 0;
        i++;
      } else {
        if (gap >= 0) return { kind: "invalid_byte", index: i };
        gap = groups.length;
      }
    } else if (c === 0x25) {
      if (digits === 0) return { kind: "invalid_byte", index: i };
      interfaceName = text.slice(i + 1);
      if (interfaceName.length === 0) return { kind: "incomplete" };
      break;
    } else {
      return { kind: "invalid_byte", index: i };
    }
  }
  if (digits > 0) {
    if (groups.length === 8) return { kind: "junk_after_end", index: text.length - digits };
    groups.push(value);
  }
  if (gap < 0 && groups.length < 8) return { kind: "incomplete" };
  if (gap >= 0 && groups.length > 8) return { kind: "junk_after_end", index: text.length };
  const bytes = new Uint8Array(16);
  const tail = gap < 0 ? [] : groups.splice(gap);
  const full = [...groups, ...new Array(8 - groups.length - tail.length).fill(0), ...tail];
  for (let g = 0; g < 8; g++) {
    bytes[2 * g] = full[g] >> 8;
    bytes[2 * g + 1] = full[g] & 0xff;
  }
  return { kind: "success", bytes, interfaceName };
}

/** Ip6Address.Unresolved.format: "::ffff:a.b.c.d" for mapped addresses;
 * otherwise lowercase groups with the first longest run of two or more zero
 * groups written as "::" (RFC 5952). */
export function formatUnresolved(bytes: Uint8Array, interfaceName: string | null = null): string {
  let text: string;
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    text = `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  } else {
    const groups = Array.from({ length: 8 }, (_, g) => (bytes[2 * g] << 8) | bytes[2 * g + 1]);
    let bestStart = -1;
    let bestLen = 0;
    for (let g = 0; g < 8;) {
      if (groups[g] !== 0) {
        g++;
        continue;
      }
      let end = g;
      while (end < 8 && groups[end] === 0) end++;
      if (end - g > bestLen) {
        bestStart = g;
        bestLen = end - g;
      }
      g = end;
    }
    // A scope must follow a group ("%" after "::" does not parse): with an
    // interface name, a run reaching the end leaves its last zero written.
    if (interfaceName !== null && bestStart + bestLen === 8) bestLen--;
    const hex = (gs: number[]) => gs.map((v) => v.toString(16)).join(":");
    text =
      bestLen >= 2
        ? `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`
        : hex(groups);
  }
  return interfaceName === null ? text : `${text}%${interfaceName}`;
}

/** `net.Ip6Address`: sixteen bytes, a port, a flow label and an interface
 * index (scope). Parses and prints as Zig does (`[2001:db8::1]:80`,
 * `::ffff:1.2.3.4`). Crosses to tasks as an `Ip6Address`. */
export class Ip6Address {
  readonly family = "ip6" as const;

  constructor(
    readonly bytes: Uint8Array,
    public port: number,
    public flow = 0,
    /** Interface index; 0 is none. */
    public iface = 0,
  ) {
    if (bytes.length !== 16) throw new RangeError("An IPv6 address has 16 bytes");
    checkPort(port);
    if (flow !== 0) checkCount(flow, "Flow label", 0, MAX_U32);
    if (iface !== 0) checkCount(iface, "Interface index", 0, MAX_U32);
  }

  static readonly Unresolved = { parse: parseUnresolved, format: formatUnresolved };

  static loopback(port: number): Ip6Address {
    const b = new Uint8Array(16);
    b[15] = 1;
    return new Ip6Address(b, port);
  }
  static unspecified(port: number): Ip6Address {
    return new Ip6Address(new Uint8Array(16), port);
  }

  /** `::ffff:a.b.c.d` for an IPv4 address, keeping the port. */
  static fromIp4(a: Ip4Address): Ip6Address {
    const b = new Uint8Array(16);
    b[10] = 0xff;
    b[11] = 0xff;
    b.set(a.bytes, 12);
    return new Ip6Address(b, a.port);
  }

  static fromAny(a: Ip4Address | Ip6Address): Ip6Address {
    return a.family === "ip6" ? a : Ip6Address.fromIp4(a);
  }

  /** Errors: ParseFailed, UnresolvedScope (a "%scope" needs `resolve`). */
  static parse(text: string, port: number): Ip6Address {
    checkPort(port);
    const r = parseUnresolved(text);
    if (r.kind !== "success") {
      throw new IoError("ParseFailed", {
        message: `ParseFailed: "${text}" is not an IPv6 address (${describe(r)})`,
      });
    }
    if (r.interfaceName !== null) {
      throw new IoError("UnresolvedScope", {
        message: `UnresolvedScope: "${text}" names interface "${r.interfaceName}"; use resolve`,
      });
    }
    return new Ip6Address(r.bytes, port);
  }

  /** A listening socket (TCP by default). Errors: IpAddress.ListenError. */
  listen(io: Io, options: ListenOptions = {}): Server {
    checkListenOptions(options);
    return io.vtable.netListenIp(io.userdata, this, options);
  }

  /** A socket bound to this address (UDP with mode "dgram"). */
  bind(io: Io, options: BindOptions): Socket {
    checkBindOptions(options);
    return io.vtable.netBindIp(io.userdata, this, options);
  }

  /** A connected stream; its address is the local end. */
  connect(io: Io, options: ConnectOptions): Stream {
    checkConnectOptions(options);
    return io.vtable.netConnectIp(io.userdata, this, options);
  }

  eql(other: Ip6Address): boolean {
    // As Zig: bytes and port only, not flow or interface.
    return this.port === other.port && this.bytes.every((b, i) => b === other.bytes[i]);
  }

  isMultiCast(): boolean {
    return this.bytes[0] === 0xff;
  }
  isLinkLocal(): boolean {
    return this.bytes[0] === 0xfe && (this.bytes[1] & 0xc0) === 0x80;
  }
  isLoopBack(): boolean {
    const b = this.bytes;
    return (
      b[0] === 0 &&
      b[1] === 0 &&
      b[2] === 0 &&
      b[12] === 0 &&
      b[13] === 0 &&
      b[14] === 0 &&
      b[15] === 1
    );
  }
  isSiteLocal(): boolean {
    return this.bytes[0] === 0xfe && (this.bytes[1] & 0xc0) === 0xc0;
  }
  scope(): number {
    if (this.isMultiCast()) return this.bytes[1] & 15;
    if (this.isLinkLocal() || this.isLoopBack()) return 2;
    if (this.isSiteLocal()) return 5;
    return 14;
  }

  host(): string {
    return formatUnresolved(this.bytes);
  }

  /** "[addr]:port", without the scope (as Zig's format). */
  /** What console.log shows: the value, not every method (Bun lists a
   * class's methods as fields). */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Ip6Address(${this.toString()})`;
  }

  toString(): string {
    return `[${this.host()}]:${this.port}`;
  }
}

function describe(r: Ip6Parsed): string {
  switch (r.kind) {
    case "success":
      return "ok";
    case "incomplete":
      return "incomplete";
    default:
      return `${r.kind.replaceAll("_", " ")} at ${r.index}`;
  }
}
