// The vtable's netLookup: host name → addresses, pushed into an Io.Queue as
// Zig's `Threaded.zig` does (any number of `address`, exactly one `canonicalName`, then
// exactly one `end`). Order, as Zig's `Threaded.zig` on Linux: an IP literal; the hosts
// file; RFC 6761 `localhost` and `*.localhost`; DNS with the search list.
//
// What Zig's `Threaded.zig` gets wrong and this fixes: a hosts hit ends the lookup;
// `foo.localhost` is localhost; NXDOMAIN or no records moves on to the next
// search domain, and only when every candidate fails does the lookup end
// with UnknownHostName (or NameServerFailure when servers did not answer);
// a truncated reply is retried over TCP; A and AAAA have their own random
// ids; replies are checked against the question; SERVFAIL is resent at most
// once per server per round; attempts:0 counts as 1; files without a final
// newline are read.
import { IoError } from "../io/errors.ts";
import { Dir } from "../fs/dir.ts";
import type { File } from "../fs/file.ts";
import type { Stat } from "../fs/types.ts";
import type { Io } from "../io/io.ts";
import type { Queue } from "../io/queue.ts";
import { Ip4Address } from "../net/ip4.ts";
import { Ip6Address, parseUnresolved } from "../net/ip6.ts";
import { IpAddress } from "../net/address.ts";
import { HostName, maxQueryLen } from "../net/host_name.ts";
import { parseHosts, lookupHosts, type HostsEntry } from "../net/dns/hosts.ts";
import { parse as parseResolvConf, type ResolvConf } from "../net/dns/resolv_conf.ts";
import type { LookupOptions, LookupResult } from "../net/dns/lookup_types.ts";
import { exchange } from "./dns_client.ts";
import { lazyFs } from "../substrate/lazy_fs.ts";

const hostsCache = new Map<string, { stamp: string; entries: HostsEntry[] }>();

/**
 * The hosts file, parsed once and again only when it changes (inode, size
 * or mtime of the open file). As Zig's lookupHosts: a file that is missing,
 * under a non-directory or unreadable (AccessDenied) has no entries; any
 * other open or read error is DetectingNetworkConfigurationFailed; opening
 * and reading go through the Io, so a cancel ends them (a FIFO, a stuck
 * network file system).
 */
function hostsEntries(io: Io, path: string): HostsEntry[] {
  // One stat by path while the file is unchanged (3 syscalls to open, fstat
  // and close cost 13 µs of CPU more per lookup, measured).
  let stamp: string;
  try {
    stamp = stampOf(Dir.cwd().statPath(io, path));
  } catch (e) {
    if (IoError.is(e, "FileNotFound", "NotDir", "AccessDenied")) return [];
    throw networkConfigError(e, path);
  }
  const cached = hostsCache.get(path);
  if (cached !== undefined && cached.stamp === stamp) return cached.entries;
  let file: File;
  try {
    file = Dir.cwd().openFile(io, path);
  } catch (e) {
    if (IoError.is(e, "FileNotFound", "NotDir", "AccessDenied")) return [];
    throw networkConfigError(e, path);
  }
  try {
    // The stamp of what is read (the path may have been replaced since).
    const stamp = stampOf(file.stat(io));
    const entries = parseHosts(readAllText(io, file));
    hostsCache.set(path, { stamp, entries });
    return entries;
  } catch (e) {
    throw networkConfigError(e, path);
  } finally {
    file.close(io);
  }
}

function stampOf(st: Stat): string {
  return `${st.inode}/${st.size}/${st.mtime.nanoseconds}`;
}

function readAllText(io: Io, file: File): string {
  const chunks: Uint8Array[] = [];
  for (;;) {
    const chunk = new Uint8Array(64 * 1024);
    const n = file.readStreaming(io, chunk);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
  }
  return Buffer.concat(chunks).toString("latin1");
}

function networkConfigError(e: unknown, path: string): Error {
  if (IoError.is(e, "Canceled") || !(e instanceof IoError)) return e as Error;
  return new IoError("DetectingNetworkConfigurationFailed", {
    message: `DetectingNetworkConfigurationFailed: reading "${path}" failed (${e.code})`,
    cause: e,
    path,
  });
}

const resolvCache = new Map<string, { key: string; conf: ResolvConf }>();

/** resolv.conf, parsed again only when the file or the environment
 * overrides change (as glibc re-reads it when it changes). */
function readResolvConf(path: string): ResolvConf {
  let stamp = "absent";
  try {
    const st = lazyFs().statSync(path);
    stamp = `${st.mtimeMs}/${st.size}/${st.ino}`;
  } catch {
    // parsed below as absent
  }
  const key = `${stamp}|${process.env.RES_OPTIONS ?? ""}|${process.env.LOCALDOMAIN ?? ""}`;
  const cached = resolvCache.get(path);
  if (cached !== undefined && cached.key === key) return cached.conf;
  const conf = parseResolvConfFile(path);
  resolvCache.set(path, { key, conf });
  return conf;
}

function parseResolvConfFile(path: string): ResolvConf {
  let text: string;
  try {
    text = lazyFs().readFileSync(path, "latin1");
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "ENOENT" || code === "ENOTDIR" || code === "EACCES") text = "";
    else
      throw new IoError("ResolvConfParseFailed", {
        message: `ResolvConfParseFailed: reading "${path}" failed`,
        cause: e,
        path,
      });
  }
  return parseResolvConf(text, process.env);
}

function withPort(a: IpAddress, port: number): IpAddress {
  return a.family === "ip4"
    ? new Ip4Address(a.bytes, port)
    : new Ip6Address(a.bytes, port, a.flow, a.iface);
}

function familyOk(a: IpAddress, family: LookupOptions["family"]): boolean {
  return family === undefined || family === a.family;
}

function isLocalhost(name: string): boolean {
  const n = name.replace(/\.$/, "").toLowerCase();
  return n === "localhost" || n.endsWith(".localhost");
}

interface Found {
  readonly addresses: IpAddress[];
  readonly canonical: string;
}

/** Resolves; throws the lookup's error. */
export function resolve(io: Io, host: HostName, options: LookupOptions): Found {
  const name = host.bytes;
  const port = options.port;

  // 1. An IP literal.
  const v6 = parseUnresolved(name);
  if (v6.kind === "success") {
    if (options.family === "ip4") throw unknown(name);
    const a =
      v6.interfaceName === null
        ? new Ip6Address(v6.bytes, port)
        : (IpAddress.resolveIp6(io, name, port) as Ip6Address);
    return { addresses: [a], canonical: name };
  }
  // An IPv4 literal is digits and dots only (the parser is strict); the
  // test spares a thrown error (≈1 µs) for every name that is not one.
  if (/^[0-9.]+$/.test(name)) {
    try {
      const a = Ip4Address.parse(name, port);
      if (options.family === "ip6") throw unknown(name);
      return { addresses: [a], canonical: name };
    } catch (e) {
      if (IoError.is(e, "UnknownHostName")) throw e;
    }
  }

  // 2. The hosts file: a hit ends the lookup.
  const hit = lookupHosts(hostsEntries(io, options.hostsPath ?? "/etc/hosts"), name);
  if (hit !== null) {
    const addresses = hit.addresses
      .filter((a) => familyOk(a, options.family))
      .map((a) => withPort(a, port));
    // No valid canonical name on the lines (Zig's `Threaded.zig` (a0289d0c) then
    // queues none): the name asked, as DNS without a CNAME.
    if (addresses.length > 0)
      return { addresses, canonical: hit.canonical ?? name.replace(/\.$/, "") };
  }

  // 3. RFC 6761: localhost and anything under it.
  if (isLocalhost(name)) {
    const addresses: IpAddress[] = []; // Zig's order: ::1 first
    if (options.family !== "ip4") addresses.push(Ip6Address.loopback(port));
    if (options.family !== "ip6") addresses.push(Ip4Address.loopback(port));
    return { addresses, canonical: "localhost" };
  }

  // 4. DNS, through the search list.
  const conf = readResolvConf(options.resolvConfPath ?? "/etc/resolv.conf");
  const nameservers =
    options.nameservers ??
    conf.nameservers.map((ns, i) => {
      const scope = conf.scopes[i];
      return scope && ns.family === "ip6"
        ? IpAddress.resolveIp6(io, `${ns.host()}%${scope}`, ns.port)
        : ns;
    });
  // A candidate a query cannot carry is skipped, as glibc skips a search
  // domain that makes the name too long; when none is left, NameTooLong now
  // (Zig's `Threaded.zig` (a0289d0c) asserts in writeResolutionQuery).
  const queryable = candidates(name, conf).filter((c) => c.length <= maxQueryLen);
  if (queryable.length === 0)
    throw new IoError("NameTooLong", {
      message: `NameTooLong: "${name}" is over the ${maxQueryLen} characters a DNS query can carry`,
    });
  let serverFailed = false;
  let unsent: Error | undefined;
  for (const candidate of queryable) {
    const r = exchange(io, candidate, nameservers, conf, options.family);
    if (r.kind === "found") {
      return { addresses: r.addresses.map((a) => withPort(a, port)), canonical: r.canonical };
    }
    if (r.kind === "failed") {
      serverFailed = true;
      unsent = r.unsent;
    }
  }
  if (serverFailed)
    throw new IoError(
      "NameServerFailure",
      unsent === undefined
        ? { message: `NameServerFailure: no name server answered for "${name}"` }
        : {
            message: `NameServerFailure: no name server could be sent the query for "${name}" (${unsent.message})`,
            cause: unsent,
          },
    );
  throw unknown(name);
}

function unknown(name: string): IoError<"UnknownHostName"> {
  return new IoError("UnknownHostName", { message: `UnknownHostName: "${name}"` });
}

/** glibc's order: a name with at least `ndots` dots is tried as it is
 * first; otherwise the search domains first. A final dot: only as it is. */
export function candidates(name: string, conf: Pick<ResolvConf, "ndots" | "search">): string[] {
  if (name.endsWith(".")) return [name.slice(0, -1)];
  const dots = name.split(".").length - 1;
  const searched = conf.search.map((d) => `${name}.${d.replace(/\.$/, "")}`);
  return dots >= conf.ndots ? [name, ...searched] : [...searched, name];
}

/** The vtable entry: never throws; the outcome is the queue's `end`. */
export function netLookup(
  io: Io,
  host: HostName,
  queue: Queue<LookupResult>,
  options: LookupOptions,
): void {
  let end: IoError | null = null;
  try {
    const found = resolve(io, host, options);
    // Validated before any address is queued: a bad name cannot follow them.
    const canonicalName = HostName.init(found.canonical);
    for (const address of found.addresses) queue.putOne(io, { address });
    queue.putOne(io, { canonicalName });
  } catch (e) {
    end = asIoError(e);
  }
  queue.putOneUncancelable(io, { end });
}

/** The vtable's lookupAll: the same resolution, returned rather than
 * queued (a 64-slot queue drained only after netLookup returned held at
 * most 62 addresses, and blocked forever on more). */
export function netLookupAll(
  io: Io,
  host: HostName,
  options: LookupOptions,
): { addresses: IpAddress[]; canonicalName: HostName } {
  try {
    const found = resolve(io, host, options);
    return { addresses: found.addresses, canonicalName: HostName.init(found.canonical) };
  } catch (e) {
    throw asIoError(e);
  }
}

function asIoError(e: unknown): IoError {
  return e instanceof IoError
    ? e
    : new IoError("Unexpected", { message: `Unexpected: ${(e as Error).message}`, cause: e });
}
