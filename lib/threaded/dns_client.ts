// One DNS question answered by the name servers: A and AAAA sent together
// (or one after the other with `single-request`) to every server from one
// UDP socket, each query with its own random id; replies accepted only from
// a server's address and port, with a matching id and question; SERVFAIL
// resent at most once per server per round; a truncated reply retried over
// TCP (and TCP only with `use-vc`); rounds of timeout/attempts within a
// total of `timeout` on the boot clock; every wait cancelable.
import { BugError, IoError } from "../io/errors.ts";
import type { Io } from "../io/io.ts";
import { ClockTimestamp, Duration, Timeout, Timestamp } from "../io/time.ts";
import { Ip4Address } from "../net/ip4.ts";
import { Ip6Address } from "../net/ip6.ts";
import { IpAddress } from "../net/address.ts";
import { expand } from "../net/host_name.ts";
import type { OutgoingMessage, Socket } from "../net/socket.ts";
import {
  parseResponse,
  Rcode,
  RecordType,
  sameName,
  writeQuery,
  type Response,
} from "../net/dns/message.ts";
import type { ResolvConf } from "../net/dns/resolv_conf.ts";

export type Exchange =
  | { readonly kind: "found"; readonly addresses: IpAddress[]; readonly canonical: string }
  | { readonly kind: "notfound" }
  /** No answer; `unsent` is why, when no server could be sent the query. */
  | { readonly kind: "failed"; readonly unsent?: Error };

interface Pending {
  readonly type: number;
  readonly id: number;
  readonly bytes: Uint8Array;
  answer: Response | null;
}

let rotation = 0;

/** n distinct random query ids. Web Crypto's `getRandomValues` (a global):
 * importing node:crypto for `randomInt` cost 10.9 ms at start-up, on the
 * main thread and again on every pool thread. */
function newIds(n: number): number[] {
  const ids = new Set<number>();
  const r = new Uint16Array(1);
  while (ids.size < n) ids.add(crypto.getRandomValues(r)[0]);
  return [...ids];
}

export function exchange(
  io: Io,
  name: string,
  servers: readonly IpAddress[],
  conf: ResolvConf,
  family: "ip4" | "ip6" | undefined,
): Exchange {
  const types =
    family === "ip4"
      ? [RecordType.A]
      : family === "ip6"
        ? [RecordType.AAAA]
        : [RecordType.A, RecordType.AAAA];
  const ids = newIds(types.length);
  const queries: Pending[] = types.map((type, i) => ({
    type,
    id: ids[i],
    bytes: writeQuery(ids[i], name, type, conf.edns0),
    answer: null,
  }));
  let order = [...servers];
  if (conf.rotate && order.length > 1) {
    const k = rotation++ % order.length;
    order = [...order.slice(k), ...order.slice(0, k)];
  }
  const total = Duration.fromSeconds(conf.timeoutSeconds).nanoseconds;
  const start = io.now("boot").nanoseconds;
  const final = start + total;
  const perAttempt = total / BigInt(Math.max(1, conf.attempts));

  let unsent: Error | null = null;
  if (conf.useVc) {
    for (const q of queries) {
      for (const ns of order) {
        q.answer = tcpQuery(io, ns, q, final);
        if (q.answer !== null) break;
      }
    }
  } else {
    unsent = udpExchange(io, order, queries, conf.singleRequest, final, perAttempt);
  }
  if (unsent !== null) return { kind: "failed", unsent };
  if (queries.every((q) => q.answer === null)) return { kind: "failed" };
  return collect(name, queries);
}

/** The UDP rounds. Returns null, or the last send error when the first
 * round could send the query to no server at all: nothing can answer, so
 * the lookup ends now where Zig's `Threaded.zig` (a0289d0c), which ignores
 * netSend's result, waits out the whole timeout. */
function udpExchange(
  io: Io,
  order: IpAddress[],
  queries: Pending[],
  single: boolean,
  final: bigint,
  perAttempt: bigint,
): Error | null {
  const { socket, targets } = openQuerySocket(io, order);
  try {
    const groups = single ? queries.map((q) => [q]) : [queries];
    for (const group of groups) {
      let everSent = false;
      for (
        let now = io.now("boot").nanoseconds;
        now < final && group.some((q) => q.answer === null);
        now = io.now("boot").nanoseconds
      ) {
        const roundEnd = now + perAttempt < final ? now + perAttempt : final;
        const servfailed = new Set<string>();
        let lastError: Error | null = null;
        for (const q of group) {
          if (q.answer !== null) continue;
          const r = sendQuietly(
            io,
            socket,
            targets.map((address) => ({ address, data: q.bytes })),
          );
          everSent ||= r.sent > 0;
          lastError = r.error ?? lastError;
        }
        if (!everSent) return lastError;
        receiveRound(io, socket, targets, order, group, roundEnd, servfailed);
      }
    }
    return null;
  } finally {
    socket.close(io);
  }
}

type Bind = (io: Io, address: IpAddress) => Socket;
const bindUdp: Bind = (io, address) => address.bind(io, { mode: "dgram", ip6Only: false });

/**
 * Zig's lookupDns socket: one for every server. A dual-stack IPv6 socket
 * when any server is IPv6 (IPv4 servers reached through mapped addresses);
 * an IPv4 socket when none is, or when IPv6 sockets cannot be made
 * (AddressFamilyUnsupported: a host without IPv6), the IPv6 servers then
 * unreachable (their sends fail and are ignored). `bind` is for tests.
 */
export function openQuerySocket(
  io: Io,
  order: IpAddress[],
  bind: Bind = bindUdp,
): { socket: Socket; targets: IpAddress[] } {
  if (order.some((ns) => ns.family === "ip6")) {
    try {
      const socket = bind(io, Ip6Address.unspecified(0));
      return { socket, targets: order.map((ns) => Ip6Address.fromAny(ns)) };
    } catch (e) {
      if (!IoError.is(e, "AddressFamilyUnsupported")) throw e;
    }
  }
  return { socket: bind(io, Ip4Address.unspecified(0)), targets: order };
}

/**
 * Sends every message; returns how many went and the last error. Send
 * errors are ignored, as Zig ignores netSend's result: a server that cannot
 * be reached just does not answer while the others may. That includes the
 * errnos Zig calls bugs, thrown as BugError in debug mode (a name server
 * at port 0: EINVAL): here they come from the configuration, not from this
 * code. Unlike Zig, whose batch stops at the first failing message, the
 * servers after a failing one still get the query. A cancel ends the lookup.
 */
function sendQuietly(
  io: Io,
  socket: Socket,
  messages: OutgoingMessage[],
): { sent: number; error: Error | null } {
  let sent = 0;
  let error: Error | null = null;
  for (let from = 0; from < messages.length;) {
    let failed: number;
    try {
      const r = socket.sendMany(io, messages.slice(from));
      sent += r.count;
      if (r.err === null) break;
      if (IoError.is(r.err, "Canceled")) throw r.err;
      error = r.err;
      failed = from + r.count;
    } catch (e) {
      if (IoError.is(e, "Canceled") || !(e instanceof IoError || e instanceof BugError)) throw e;
      error = e;
      // Thrown, so no count came back: the messages that went have `sent`.
      failed = messages.findIndex((m, i) => i >= from && m.sent === undefined);
      if (failed < 0) break;
      sent += failed - from;
    }
    from = failed + 1; // past the message that failed
  }
  return { sent, error };
}

const buffer = new Uint8Array(64 * 1024);

function receiveRound(
  io: Io,
  socket: Socket,
  targets: IpAddress[],
  order: IpAddress[],
  group: Pending[],
  roundEnd: bigint,
  servfailed: Set<string>,
): void {
  const deadline = Timeout.deadline(new ClockTimestamp(new Timestamp(roundEnd), "boot"));
  while (group.some((q) => q.answer === null)) {
    const r = socket.receiveManyTimeout(io, 16, buffer, {}, deadline);
    for (const m of r.items) {
      const from = targets.findIndex((t) => IpAddress.eql(t, m.from));
      if (from < 0) continue; // not from a name server we asked
      let resp: Response;
      try {
        resp = parseResponse(m.data.slice()); // the receive buffer is reused
      } catch {
        continue; // malformed: ignored, as a lost packet
      }
      const q = group.find(
        (p) =>
          p.answer === null &&
          p.id === resp.id &&
          p.type === resp.questionType &&
          sameName(resp.questionName, questionName(p)),
      );
      if (q === undefined) continue;
      if (resp.rcode === Rcode.SERVFAIL) {
        const key = `${q.id}/${from}`;
        if (!servfailed.has(key)) {
          servfailed.add(key);
          sendQuietly(io, socket, [{ address: targets[from], data: q.bytes }]);
        }
        continue;
      }
      if (resp.rcode !== Rcode.NOERROR && resp.rcode !== Rcode.NXDOMAIN) continue;
      q.answer = resp.truncated ? (tcpQuery(io, order[from], q, roundEnd) ?? resp) : resp;
    }
    if (r.err !== null) {
      // As Zig: the round ends at its deadline, a cancel ends the lookup,
      // and any other receive error is ignored while other servers may
      // still answer (a socket's pending error is reported once).
      if (IoError.is(r.err, "Timeout")) return;
      if (IoError.is(r.err, "Canceled")) throw r.err;
    }
  }
}

const questionNames = new WeakMap<Pending, string>();
function questionName(q: Pending): string {
  let n = questionNames.get(q);
  if (n === undefined) {
    n = expand(q.bytes, 12).name.bytes;
    questionNames.set(q, n);
  }
  return n;
}

/** The query over TCP (RFC 1035 §4.2.2: a two-byte length first), within
 * `final`. null when the server could not be reached or did not answer. */
function tcpQuery(io: Io, ns: IpAddress, q: Pending, final: bigint): Response | null {
  const deadline = Timeout.deadline(new ClockTimestamp(new Timestamp(final), "boot"));
  let stream;
  try {
    stream = ns.connect(io, { mode: "stream", timeout: deadline });
  } catch (e) {
    if (IoError.is(e, "Canceled")) throw e;
    return null;
  }
  try {
    const framed = new Uint8Array(2 + q.bytes.length);
    new DataView(framed.buffer).setUint16(0, q.bytes.length);
    framed.set(q.bytes, 2);
    stream.writeAll(io, framed);
    const head = readExactly(io, stream.socket, 2, deadline);
    const len = (head[0] << 8) | head[1];
    const body = readExactly(io, stream.socket, len, deadline);
    const resp = parseResponse(body);
    if (
      resp.id !== q.id ||
      resp.questionType !== q.type ||
      !sameName(resp.questionName, questionName(q))
    )
      return null;
    if (resp.rcode !== Rcode.NOERROR && resp.rcode !== Rcode.NXDOMAIN) return null;
    return resp;
  } catch (e) {
    if (IoError.is(e, "Canceled")) throw e;
    return null;
  } finally {
    stream.close(io);
  }
}

function readExactly(io: Io, socket: Socket, n: number, deadline: Timeout): Uint8Array {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const m = socket.receiveTimeout(io, out.subarray(got), deadline);
    if (m.data.length === 0)
      throw new IoError("EndOfStream", {
        message: "EndOfStream: the name server closed the connection",
      });
    got += m.data.length;
  }
  return out;
}

/** Addresses (A answers, then AAAA) and the canonical name at the end of
 * the CNAME chain. */
function collect(name: string, queries: Pending[]): Exchange {
  const addresses: IpAddress[] = [];
  let canonical = name;
  for (const q of queries) {
    const resp = q.answer;
    if (resp === null || resp.rcode !== Rcode.NOERROR) continue;
    // Follow CNAMEs from the question's name.
    const owners = new Set([name.toLowerCase()]);
    let current = name;
    for (let hops = 0; hops < 16; hops++) {
      const c = resp.answers.find((a) => a.type === RecordType.CNAME && sameName(a.name, current));
      if (c === undefined) break;
      let target: string;
      try {
        target = expand(resp.packet, c.dataOffset).name.bytes;
      } catch (e) {
        throw new IoError("InvalidDnsCnameRecord", {
          message: `InvalidDnsCnameRecord: ${(e as Error).message}`,
          cause: e,
        });
      }
      current = target;
      owners.add(target.toLowerCase());
    }
    if (current !== name) canonical = current;
    for (const a of resp.answers) {
      if (!owners.has(a.name.toLowerCase())) continue;
      if (a.type === RecordType.A && q.type === RecordType.A) {
        if (a.data.length !== 4)
          throw new IoError("InvalidDnsARecord", {
            message: `InvalidDnsARecord: ${a.data.length} bytes`,
          });
        addresses.push(new Ip4Address(a.data.slice(), 0));
      } else if (a.type === RecordType.AAAA && q.type === RecordType.AAAA) {
        if (a.data.length !== 16)
          throw new IoError("InvalidDnsAAAARecord", {
            message: `InvalidDnsAAAARecord: ${a.data.length} bytes`,
          });
        addresses.push(new Ip6Address(a.data.slice(), 0));
      }
    }
  }
  return addresses.length > 0 ? { kind: "found", addresses, canonical } : { kind: "notfound" };
}
