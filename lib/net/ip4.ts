// `net.Ip4Address`: four bytes and a port (native order), with the
// interface's strict parser (no leading zeros, no shorthand) and formatter.
import { IoError } from "../io/errors.ts";
import type { Io } from "../io/io.ts";
import { checkPort } from "../io/validate.ts";
import { checkBindOptions, checkConnectOptions, checkListenOptions } from "./socket_options.ts";
import type {
  BindOptions,
  ConnectOptions,
  ListenOptions,
  Server,
  Socket,
  Stream,
} from "./socket.ts";

/** Ip4Address.ParseError. */
export type Ip4ParseError =
  "Overflow" | "InvalidEnd" | "InvalidCharacter" | "Incomplete" | "NonCanonical";

function fail(code: Ip4ParseError, text: string, at?: number): IoError<Ip4ParseError> {
  const where = at === undefined ? "" : ` at ${at}`;
  return new IoError(code, { message: `${code}: "${text}" is not an IPv4 address${where}` });
}

/** `net.Ip4Address`: four bytes and a port. `parse` is Zig's strict parser
 * (no leading zeros, no shorthand); `listen`, `bind` and `connect` make
 * sockets on it. Crosses to tasks as an `Ip4Address`. */
export class Ip4Address {
  readonly family = "ip4" as const;

  constructor(
    readonly bytes: Uint8Array,
    public port: number,
  ) {
    if (bytes.length !== 4) throw new RangeError("An IPv4 address has 4 bytes");
    checkPort(port);
  }

  static loopback(port: number): Ip4Address {
    return new Ip4Address(new Uint8Array([127, 0, 0, 1]), port);
  }
  static unspecified(port: number): Ip4Address {
    return new Ip4Address(new Uint8Array(4), port);
  }

  /** Exactly four decimal octets, each 0–255 without leading zeros. */
  static parse(text: string, port: number): Ip4Address {
    checkPort(port);
    const bytes = new Uint8Array(4);
    let dots = 0;
    let octet = 0;
    let digits = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x2e) {
        if (digits === 0) throw fail("InvalidCharacter", text, i);
        if (dots === 3) throw fail("InvalidEnd", text, i);
        bytes[dots++] = octet;
        octet = 0;
        digits = 0;
      } else if (c >= 0x30 && c <= 0x39) {
        if (digits > 0 && octet === 0) throw fail("NonCanonical", text, i);
        octet = octet * 10 + (c - 0x30);
        if (octet > 255) throw fail("Overflow", text, i);
        digits++;
      } else {
        throw fail("InvalidCharacter", text, i);
      }
    }
    if (dots !== 3 || digits === 0) throw fail("Incomplete", text);
    bytes[3] = octet;
    return new Ip4Address(bytes, port);
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

  eql(other: Ip4Address): boolean {
    return this.port === other.port && this.bytes.every((b, i) => b === other.bytes[i]);
  }

  /** "a.b.c.d" without the port. */
  host(): string {
    return this.bytes.join(".");
  }

  /** "a.b.c.d:port", as Zig formats it. */
  /** What console.log shows: the value, not every method (Bun lists a
   * class's methods as fields). */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Ip4Address(${this.toString()})`;
  }

  toString(): string {
    return `${this.host()}:${this.port}`;
  }
}
