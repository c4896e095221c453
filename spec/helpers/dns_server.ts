// A scripted DNS server on loopback (UDP and TCP on one port) that runs on
// the test's event loop, while the lookup under test runs on a pool thread.
import dgram from "node:dgram";
import net from "node:net";

export interface Query {
  readonly id: number;
  readonly name: string;
  readonly type: number;
  readonly via: "udp" | "tcp";
}

export interface Record {
  readonly name: string;
  readonly type: number;
  /** RDATA bytes, or a name (CNAME) written uncompressed. */
  readonly data: Uint8Array | string;
}

export interface ReplyOptions {
  readonly rcode?: number;
  readonly answers?: Record[];
  readonly truncated?: boolean;
  readonly id?: number;
  readonly questionName?: string;
  readonly questionType?: number;
  /** Seconds (default 60). */
  readonly ttl?: number;
  /** Send these bytes instead of a built reply (hostile-input tests). */
  readonly raw?: Uint8Array;
}

export type Handler = (q: Query) => ReplyOptions[] | ReplyOptions | null;

function encodeName(name: string): number[] {
  const out: number[] = [];
  for (const label of name
    .replace(/\.$/, "")
    .split(".")
    .filter((l) => l)) {
    out.push(label.length, ...Array.from(label, (c) => c.charCodeAt(0)));
  }
  out.push(0);
  return out;
}

function parseQuery(msg: Uint8Array, via: "udp" | "tcp"): Query {
  const v = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  let i = 12;
  const labels: string[] = [];
  while (msg[i] !== 0) {
    labels.push(String.fromCharCode(...msg.subarray(i + 1, i + 1 + msg[i])));
    i += 1 + msg[i];
  }
  return { id: v.getUint16(0), name: labels.join("."), type: v.getUint16(i + 1), via };
}

export function buildReply(q: Query, o: ReplyOptions): Uint8Array {
  if (o.raw !== undefined) return o.raw;
  const bytes: number[] = [];
  const u16 = (n: number) => bytes.push(n >> 8, n & 0xff);
  u16(o.id ?? q.id);
  u16(0x8180 | (o.truncated ? 0x0200 : 0) | (o.rcode ?? 0));
  u16(1);
  u16(o.answers?.length ?? 0);
  u16(0);
  u16(0);
  bytes.push(...encodeName(o.questionName ?? q.name));
  u16(o.questionType ?? q.type);
  u16(1);
  for (const a of o.answers ?? []) {
    bytes.push(...encodeName(a.name));
    u16(a.type);
    u16(1);
    const ttl = o.ttl ?? 60;
    bytes.push((ttl >>> 24) & 0xff, (ttl >>> 16) & 0xff, (ttl >>> 8) & 0xff, ttl & 0xff);
    const data = typeof a.data === "string" ? encodeName(a.data) : Array.from(a.data);
    u16(data.length);
    bytes.push(...data);
  }
  return new Uint8Array(bytes);
}

export const A = 1;
export const CNAME = 5;
export const AAAA = 28;
export const ip4 = (s: string) => new Uint8Array(s.split(".").map(Number));

export interface DnsServer {
  readonly port: number;
  readonly queries: Query[];
  /** Sends a datagram to the last UDP client from another socket. */
  close(): Promise<void>;
}

export async function startDnsServer(handler: Handler, host = "127.0.0.1"): Promise<DnsServer> {
  const queries: Query[] = [];
  const stranger = dgram.createSocket("udp4");
  await new Promise<void>((r) => stranger.bind(0, host, r));
  const answer = (q: Query): Uint8Array[] => {
    queries.push(q);
    const r = handler(q);
    if (r === null) return [];
    return (Array.isArray(r) ? r : [r]).map((o) => buildReply(q, o));
  };
  const onMessage = (udp: dgram.Socket) => (msg: Buffer, rinfo: dgram.RemoteInfo) => {
    const q = parseQuery(new Uint8Array(msg), "udp");
    for (const reply of answer(q)) {
      // A reply marked "stranger" comes from another port: must be ignored.
      const fromStranger = (handler as { stranger?: boolean }).stranger === true;
      (fromStranger ? stranger : udp).send(reply, rinfo.port, rinfo.address);
    }
  };
  const makeTcp = () =>
    net.createServer((sock) => {
      let buf = Buffer.alloc(0);
      sock.on("data", (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          const len = buf.readUInt16BE(0);
          const q = parseQuery(new Uint8Array(buf.subarray(2, 2 + len)), "tcp");
          buf = buf.subarray(2 + len);
          for (const reply of answer(q)) {
            const framed = Buffer.alloc(2 + reply.length);
            framed.writeUInt16BE(reply.length, 0);
            Buffer.from(reply).copy(framed, 2);
            sock.write(framed);
          }
        }
      });
      sock.on("error", () => {});
    });
  const { udp, tcp, port } = await bindPair(makeTcp, host, onMessage);
  return {
    port,
    queries,
    async close() {
      await new Promise<void>((r) => udp.close(() => r()));
      await new Promise<void>((r) => stranger.close(() => r()));
      await new Promise<void>((r) => tcp.close(() => r()));
    },
  };
}

/**
 * Binds UDP and TCP on one port. The kernel picks the UDP port; that port
 * can already be taken for TCP (a client's ephemeral port from an earlier
 * test), so on EADDRINUSE try again with a fresh port.
 */
async function bindPair(
  makeTcp: () => net.Server,
  host: string,
  onMessage: (udp: dgram.Socket) => (msg: Buffer, rinfo: dgram.RemoteInfo) => void,
): Promise<{ udp: dgram.Socket; tcp: net.Server; port: number }> {
  for (let attempt = 0; ; attempt++) {
    const udp = dgram.createSocket("udp4");
    await new Promise<void>((r) => udp.bind(0, host, r));
    const port = udp.address().port;
    const tcp = makeTcp();
    const error = await new Promise<Error | null>((r) => {
      const fail = (e: Error) => r(e);
      tcp.once("error", fail);
      tcp.listen(port, host, () => {
        tcp.off("error", fail);
        r(null);
      });
    });
    if (error === null) {
      udp.on("message", onMessage(udp));
      return { udp, tcp, port };
    }
    await new Promise<void>((r) => udp.close(() => r()));
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || attempt === 20) throw error;
  }
}
