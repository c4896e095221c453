// `net.IpAddress` (ip4 | ip6) and `net.UnixAddress`: parsing by the
// interface's rules, equality, and the Zig-style helpers.
import { IoError } from "../io/errors.ts";
import type { Io } from "../io/io.ts";
import { Ip4Address } from "./ip4.ts";
import { Ip6Address, parseUnresolved } from "./ip6.ts";
import { InterfaceName } from "./interface.ts";
import { checkUnixListenOptions } from "./socket_options.ts";
import { checkPort, checkString } from "../io/validate.ts";
import { Server, Socket, Stream, type UnixListenOptions } from "./socket.ts";
import { parseUnsigned } from "./parse_int.ts";

/** `net.IpAddress`: an IPv4 or IPv6 address with a port. The `IpAddress` object holds the functions that take either: `parse`, `parseLiteral`, `loopback`, `eql`, ... */
export type IpAddress = Ip4Address | Ip6Address;
/** An address family: IPv4 or IPv6. */
export type Family = "ip4" | "ip6";

/** IpAddress.parseLiteral's errors. */
export type LiteralError = "InvalidAddress" | "InvalidPort";

/** Zig's parseInt(u16, text, 10) (see parse_int.ts); null on any error. */
function parsePort(text: string): number | null {
  const n = parseUnsigned(text, 16);
  return typeof n === "number" ? n : null;
}

/** IPv6 text always has a colon, IPv4 text never does. */
function looksIp6(text: string): boolean {
  return text.includes(":");
}

export const IpAddress = {
  loopback(family: Family, port: number): IpAddress {
    return family === "ip4" ? Ip4Address.loopback(port) : Ip6Address.loopback(port);
  },
  unspecified(family: Family, port: number): IpAddress {
    return family === "ip4" ? Ip4Address.unspecified(port) : Ip6Address.unspecified(port);
  },

  /** IPv6 when the text has a colon, IPv4 otherwise: Zig tries IPv4 and
   * then IPv6, which accepts the same texts, but its errors would then speak
   * of IPv6 for "127.0.0.256". */
  parse(text: string, port: number): IpAddress {
    checkPort(port);
    return looksIp6(text) ? Ip6Address.parse(text, port) : Ip4Address.parse(text, port);
  },
  parseIp4(text: string, port: number): IpAddress {
    return Ip4Address.parse(text, port);
  },
  parseIp6(text: string, port: number): IpAddress {
    return Ip6Address.parse(text, port);
  },

  /** As parse, resolving an IPv6 "%scope" to its interface index. */
  resolve(io: Io, text: string, port: number): IpAddress {
    checkPort(port);
    return looksIp6(text) ? resolveIp6(io, text, port) : Ip4Address.parse(text, port);
  },
  resolveIp6,

  /** "1.2.3.4", "1.2.3.4:80", "[::1]", "[::1]:80". Errors: InvalidAddress,
   * InvalidPort. */
  parseLiteral(text: string): IpAddress {
    const bad = (code: LiteralError) =>
      new IoError(code, { message: `${code}: "${text}" is not an address literal` });
    if (text.length === 0) throw bad("InvalidAddress");
    if (text.startsWith("[")) {
      const close = text.indexOf("]");
      if (close < 0) throw bad("InvalidAddress");
      let port = 0;
      const rest = text.slice(close + 1);
      if (rest.length > 0) {
        if (!rest.startsWith(":")) throw bad("InvalidAddress");
        const p = parsePort(rest.slice(1));
        if (p === null) throw bad("InvalidPort");
        port = p;
      }
      try {
        return Ip6Address.parse(text.slice(1, close), port);
      } catch {
        throw bad("InvalidAddress");
      }
    }
    const colon = text.indexOf(":");
    if (colon >= 0) {
      let a: Ip4Address;
      try {
        a = Ip4Address.parse(text.slice(0, colon), 0);
      } catch {
        throw bad("InvalidAddress");
      }
      const p = parsePort(text.slice(colon + 1));
      if (p === null) throw bad("InvalidPort");
      a.port = p;
      return a;
    }
    try {
      return Ip4Address.parse(text, 0);
    } catch {
      throw bad("InvalidAddress");
    }
  },

  eql(a: IpAddress, b: IpAddress): boolean {
    if (a.family !== b.family) return false;
    return a.family === "ip4" ? a.eql(b as Ip4Address) : a.eql(b as Ip6Address);
  },
};

/** Ip6Address.resolve: a scoped address gets its interface index (a
 * numeric scope is an interface *named* that, as in Zig). Errors:
 * ParseFailed, NameTooLong, InterfaceNotFound, ... */
function resolveIp6(io: Io, text: string, port: number): Ip6Address {
  checkPort(port);
  const r = parseUnresolved(text);
  if (r.kind !== "success")
    throw new IoError("ParseFailed", { message: `ParseFailed: "${text}" is not an IPv6 address` });
  const a = new Ip6Address(r.bytes, port);
  if (r.interfaceName !== null)
    a.iface = InterfaceName.fromSlice(r.interfaceName).resolve(io).index;
  return a;
}

/** `net.UnixAddress`: a socket path of at most max_len bytes. */
export class UnixAddress {
  static readonly maxLen = 108;
  readonly family = "unix" as const;

  private constructor(readonly path: string) {}

  /** Errors: NameTooLong (over 108 bytes). A path of exactly 108 bytes
   * fills sun_path with no NUL (Zig's `Threaded.zig` writes one past the end). */
  static init(path: string): UnixAddress {
    checkString(path, "Path");
    const len = new TextEncoder().encode(path).length;
    if (len > UnixAddress.maxLen) {
      throw new IoError("NameTooLong", {
        message: `NameTooLong: a Unix socket path of ${len} bytes is over ${UnixAddress.maxLen}`,
      });
    }
    if (path.includes("\0"))
      throw new IoError("BadPathName", {
        message: `BadPathName: Unix socket path contains a NUL byte`,
      });
    return new UnixAddress(path);
  }

  /** A listening Unix stream socket. Its `address` is a placeholder
   * (127.0.0.1:0), as in Zig. */
  listen(io: Io, options: UnixListenOptions = {}): Server {
    checkUnixListenOptions(options);
    return new Server(
      new Socket(io.vtable.netListenUnix(io.userdata, this, options), Ip4Address.loopback(0)),
    );
  }

  connect(io: Io): Stream {
    return new Stream(
      new Socket(io.vtable.netConnectUnix(io.userdata, this), Ip4Address.loopback(0)),
    );
  }

  /** What console.log shows: the value, not every method (Bun lists a
   * class's methods as fields). */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `UnixAddress(${JSON.stringify(this.toString())})`;
  }

  toString(): string {
    return this.path;
  }
}
