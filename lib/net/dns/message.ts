// DNS messages as pure functions over bytes (RFC 1035): the query writer,
// the response reader that walks answers (the interface's DnsResponse, with
// the question checked against the query), and EDNS(0).
import { BugError, IoError } from "../../io/errors.ts";
import { expand, maxQueryLen } from "../host_name.ts";

export const RecordType = { A: 1, CNAME: 5, AAAA: 28, OPT: 41 } as const;
export const Rcode = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3 } as const;

export const EDNS_UDP_SIZE = 1232;

function bad(why: string): IoError<"InvalidDnsPacket"> {
  return new IoError("InvalidDnsPacket", { message: `InvalidDnsPacket: ${why}` });
}

/** A standard query for `name` (one question, RD set; an OPT record
 * advertising 1232 bytes when `edns`). The caller keeps names within
 * `maxQueryLen`: a longer one is a BugError (Zig asserts), since its reply
 * would fail `expand` and the lookup would only time out. */
export function writeQuery(id: number, name: string, type: number, edns = false): Uint8Array {
  const labels = name
    .replace(/\.$/, "")
    .split(".")
    .filter((l) => l.length > 0);
  const nameLen = labels.reduce((n, l) => n + 1 + l.length, 0) + 1;
  if (nameLen > maxQueryLen + 2 || labels.some((l) => l.length > 63))
    throw new BugError(`writeQuery: "${name}" does not fit a DNS question (RFC 1035)`);
  const out = new Uint8Array(12 + nameLen + 4 + (edns ? 11 : 0));
  const v = new DataView(out.buffer);
  v.setUint16(0, id);
  v.setUint16(2, 0x0100); // RD
  v.setUint16(4, 1); // QDCOUNT
  v.setUint16(10, edns ? 1 : 0); // ARCOUNT
  let i = 12;
  for (const l of labels) {
    out[i++] = l.length;
    for (let k = 0; k < l.length; k++) out[i++] = l.charCodeAt(k);
  }
  out[i++] = 0;
  v.setUint16(i, type);
  v.setUint16(i + 2, 1); // IN
  i += 4;
  if (edns) {
    out[i] = 0; // root name
    v.setUint16(i + 1, RecordType.OPT);
    v.setUint16(i + 3, EDNS_UDP_SIZE);
    // TTL (extended RCODE, version, flags) and RDLENGTH stay 0.
  }
  return out;
}

export interface Answer {
  readonly type: number;
  readonly name: string;
  /** RDATA, a view into the packet. */
  readonly data: Uint8Array;
  /** Offset of RDATA in the packet (CNAME targets are expanded from it). */
  readonly dataOffset: number;
}

export interface Response {
  /** The whole message (names in answers are expanded from it). */
  readonly packet: Uint8Array;
  readonly id: number;
  readonly rcode: number;
  readonly truncated: boolean;
  readonly questionName: string;
  readonly questionType: number;
  readonly answers: Answer[];
}

/** Parses a response; every answer is bounds-checked. Errors:
 * InvalidDnsPacket (and HostName's for malformed names). */
export function parseResponse(packet: Uint8Array): Response {
  if (packet.length < 12) throw bad("shorter than a header");
  const v = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const id = v.getUint16(0);
  const flags = v.getUint16(2);
  if ((flags & 0x8000) === 0) throw bad("not a response");
  const qd = v.getUint16(4);
  const an = v.getUint16(6);
  let i = 12;
  let questionName = "";
  let questionType = 0;
  for (let q = 0; q < qd; q++) {
    const e = expand(packet, i);
    i += e.consumed;
    if (i + 4 > packet.length) throw bad("question runs past the packet");
    if (q === 0) {
      questionName = e.name.bytes;
      questionType = v.getUint16(i);
    }
    i += 4;
  }
  const answers: Answer[] = [];
  for (let a = 0; a < an; a++) {
    const e = expand(packet, i);
    i += e.consumed;
    if (i + 10 > packet.length) throw bad("answer header runs past the packet");
    const type = v.getUint16(i);
    const len = v.getUint16(i + 8);
    const dataOffset = i + 10;
    if (dataOffset + len > packet.length) throw bad("answer data runs past the packet");
    answers.push({
      type,
      name: e.name.bytes,
      data: packet.subarray(dataOffset, dataOffset + len),
      dataOffset,
    });
    i = dataOffset + len;
  }
  return {
    packet,
    id,
    rcode: flags & 0x0f,
    truncated: (flags & 0x0200) !== 0,
    questionName,
    questionType,
    answers,
  };
}

/** Same name, ignoring ASCII case and one trailing dot. */
export function sameName(a: string, b: string): boolean {
  return a.replace(/\.$/, "").toLowerCase() === b.replace(/\.$/, "").toLowerCase();
}
