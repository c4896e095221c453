// `net.HostName`: a validated host name (RFC 1123, as later Zig validates:
// labels of letters, digits and hyphens, 1–63 bytes, no leading or trailing
// hyphen; at most 255 bytes, one trailing dot allowed and not counted, as
// Zig's `HostName.max_len`), compared without regard to ASCII case, plus DNS
// name decompression (`expand`). A DNS query holds at most 253 characters
// (`maxQueryLen`); longer names resolve only through the hosts file.
import { checkString } from "../io/validate.ts";
import { IoError } from "../io/errors.ts";
import type { Io } from "../io/io.ts";
import type { Queue } from "../io/queue.ts";
import { task } from "../substrate/tasks.ts";
import type { IpAddress } from "./address.ts";
import type { LookupOptions, LookupResult } from "./dns/lookup_types.ts";
import { checkLookupOptions } from "./dns/lookup_options.ts";

export const maxLen = 255;

/** The longest name a DNS query can carry: RFC 1035's 255 octets on the
 * wire are a length byte per label and a final 0 around 253 characters (a
 * final dot not counted). Zig's writeResolutionQuery asserts it. */
export const maxQueryLen = 253;

/** `HostName.init`'s errors: `NameTooLong` (over 255 bytes, a final dot not
 * counted) and `InvalidHostName`. */
export type ValidateError = "NameTooLong" | "InvalidHostName";

function invalid(text: string, why: string): IoError<"InvalidHostName"> {
  return new IoError("InvalidHostName", { message: `InvalidHostName: "${text}": ${why}` });
}

/** Throws NameTooLong or InvalidHostName. */
export function validate(text: string): void {
  // As Zig's validate: a final dot (a fully qualified name) does not count.
  const bytes = new TextEncoder().encode(text.endsWith(".") ? text.slice(0, -1) : text);
  if (bytes.length > maxLen)
    throw new IoError("NameTooLong", {
      message: `NameTooLong: a host name of ${bytes.length} bytes is over ${maxLen}`,
    });
  if (text.length === 0) throw invalid(text, "empty name");
  // The two ways a newcomer meets ":" here, said plainly rather than as a
  // label with a bad byte.
  if (/^[^:]+:\d+$/.test(text))
    throw invalid(text, "a port is not part of a host name: pass it as the `port` option");
  if (text.includes(":"))
    throw invalid(
      text,
      'an IPv6 address is not a host name (":" is not a host-name byte, as in Zig): ' +
        "parse it with IpAddress.parse(text, port)",
    );
  const body = text.endsWith(".") && text.length > 1 ? text.slice(0, -1) : text;
  for (const label of body.split(".")) {
    if (label.length === 0) throw invalid(text, "empty label");
    if (label.length > 63) throw invalid(text, `label "${label}" is over 63 bytes`);
    if (label.startsWith("-") || label.endsWith("-"))
      throw invalid(text, `label "${label}" starts or ends with "-"`);
    if (!/^[A-Za-z0-9-]+$/.test(label))
      throw invalid(text, `label "${label}" has a byte that is not a letter, digit or "-"`);
  }
}

/** `net.HostName`: a validated host name (RFC 1123), compared without regard
 * to ASCII case. `lookupAll(io, options)` resolves it (an IPv4 literal, hosts
 * file, localhost, then DNS; an IPv6 literal is not a valid host name, as in
 * Zig: parse it with `IpAddress.parse`) to addresses and a canonical name;
 * `lookup(io, queue, options)` streams the results into a `Queue`. */
export class HostName {
  private constructor(readonly bytes: string) {}

  static readonly maxLen = maxLen;

  /** Errors: NameTooLong, InvalidHostName. */
  static init(text: string): HostName {
    checkString(text, "Host name");
    validate(text);
    return new HostName(text);
  }

  eql(other: HostName): boolean {
    return this.bytes.toLowerCase() === other.bytes.toLowerCase();
  }

  /** True when `child` is `parent` or below it ("a.b.c" under "b.c"). */
  static sameParentDomain(parent: HostName, child: HostName): boolean {
    const p = parent.bytes.toLowerCase();
    const c = child.bytes.toLowerCase();
    if (!c.endsWith(p)) return false;
    return c.length === p.length || c[c.length - p.length - 1] === ".";
  }

  /**
   * Resolves this name, pushing `{ address }`s, one `{ canonicalName }` and
   * exactly one final `{ end }` (null, or the LookupError) into `queue`.
   * Does not block if the queue holds at least 16.
   */
  lookup(io: Io, queue: Queue<LookupResult>, options: LookupOptions): void {
    checkLookupOptions(options, "lookup");
    io.vtable.netLookup(io.userdata, this, queue, options);
  }

  /** Every address and the canonical name, or the lookup's error thrown.
   * Blocks the calling thread. */
  lookupAll(io: Io, options: LookupOptions): { addresses: IpAddress[]; canonicalName: HostName } {
    checkLookupOptions(options, "lookupAll");
    return io.vtable.netLookupAll(io.userdata, this, options);
  }

  /** As lookupAll, on a pool thread: the event loop keeps running. Each
   * lookup in flight holds a thread while it waits (as getaddrinfo holds
   * one of libuv's), started if none is idle, up to `concurrentLimit`;
   * past that, or with `initSingleThreaded`, it runs as `io.async` does
   * (inline when no thread is free). */
  lookupAllAsync(
    io: Io,
    options: LookupOptions,
  ): Promise<{ addresses: IpAddress[]; canonicalName: HostName }> {
    checkLookupOptions(options, "lookupAllAsync");
    // Not `io.async`: past asyncLimit (1 on two cores) it runs the lookup
    // on this thread, and a second lookup in flight froze the event loop
    // for the whole DNS timeout (5 s). A lookup mostly waits: a thread
    // for it costs no CPU.
    let future;
    try {
      future = io.concurrent(lookupAllTask, io, this.bytes, options);
    } catch (e) {
      if (!IoError.is(e, "ConcurrencyUnavailable")) throw e;
      future = io.async(lookupAllTask, io, this.bytes, options);
    }
    return future.then((r) => ({
      addresses: r.addresses,
      canonicalName: HostName.init(r.canonicalName),
    }));
  }

  /** What console.log shows: the value, not every method (Bun lists a
   * class's methods as fields). */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `HostName(${JSON.stringify(this.bytes)})`;
  }

  toString(): string {
    return this.bytes;
  }
}

const lookupAllTask = task(
  import.meta,
  function lookupAllTask(
    io: Io,
    name: string,
    options: LookupOptions,
  ): { addresses: IpAddress[]; canonicalName: string } {
    const r = HostName.init(name).lookupAll(io, options);
    return { addresses: r.addresses, canonicalName: r.canonicalName.bytes };
  },
);

/** What `expand` returns: the decompressed name and the bytes it took in the message. */
export interface Expanded {
  /** Bytes the name occupies where it starts (up to its first pointer). */
  readonly consumed: number;
  readonly name: HostName;
}

/**
 * Decompresses the name at `start` in a DNS packet (the interface's
 * expand): at most packet.length / 2 steps, so pointer loops end; every
 * pointer and label must lie inside the packet; the name is at most 254
 * characters. Errors: InvalidDnsPacket, and HostName's validation errors.
 */
export function expand(packet: Uint8Array, start: number): Expanded {
  const bad = (why: string) =>
    new IoError("InvalidDnsPacket", { message: `InvalidDnsPacket: ${why}` });
  let i = start;
  let consumed = -1;
  let text = "";
  let written = 0;
  for (let steps = 0; steps < packet.length / 2; steps++) {
    if (i >= packet.length) throw bad("name runs past the packet");
    const c = packet[i];
    if ((c & 0xc0) !== 0) {
      if (i + 1 >= packet.length) throw bad("pointer runs past the packet");
      const target = ((c & 0x3f) << 8) | packet[i + 1];
      if (target >= packet.length) throw bad("pointer out of the packet");
      if (consumed < 0) consumed = i + 2 - start;
      i = target;
    } else if (c !== 0) {
      if (i + 1 + c > packet.length) throw bad("label runs past the packet");
      const sep = written > 0 ? 1 : 0;
      if (written + sep + c + 1 > maxLen) throw bad("name is over 254 characters");
      if (sep) text += ".";
      for (let k = 1; k <= c; k++) text += String.fromCharCode(packet[i + k]);
      written += sep + c;
      i += 1 + c;
    } else {
      return { consumed: consumed >= 0 ? consumed : i - start + 1, name: HostName.init(text) };
    }
  }
  throw bad("too many steps: a pointer loop");
}
