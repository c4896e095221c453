// resolv.conf, parsed as glibc reads it: `nameserver` (up to 3, IPv6 with
// a scope), `domain`/`search` (the last wins), `options` (ndots:, timeout:,
// attempts: parsed and clamped as Zig does; rotate, single-request, edns0,
// use-vc),
// "#" and ";" comments, CRLF and a missing final newline tolerated. A
// malformed nameserver line is skipped. RES_OPTIONS and LOCALDOMAIN
// override the file, as in glibc. Absent file: 127.0.0.1 and defaults.
import { Ip4Address } from "../ip4.ts";
import { Ip6Address, parseUnresolved } from "../ip6.ts";
import type { IpAddress } from "../address.ts";
import { parseUnsigned } from "../parse_int.ts";

export const maxNameservers = 3;

export interface ResolvConf {
  readonly nameservers: IpAddress[];
  /** Scope names of IPv6 nameservers, by index (resolved at lookup). */
  readonly scopes: (string | null)[];
  readonly search: string[];
  readonly ndots: number;
  readonly timeoutSeconds: number;
  readonly attempts: number;
  readonly rotate: boolean;
  readonly singleRequest: boolean;
  readonly edns0: boolean;
  readonly useVc: boolean;
}

type Mutable = { -readonly [K in keyof ResolvConf]: ResolvConf[K] };

export function defaults(): Mutable {
  return {
    nameservers: [],
    scopes: [],
    search: [],
    ndots: 1,
    timeoutSeconds: 5,
    attempts: 2,
    rotate: false,
    singleRequest: false,
    edns0: false,
    useVc: false,
  };
}

function parseNameserver(text: string): { addr: IpAddress; scope: string | null } | null {
  try {
    return { addr: Ip4Address.parse(text, 53), scope: null };
  } catch {
    const r = parseUnresolved(text);
    if (r.kind !== "success") return null;
    return { addr: new Ip6Address(r.bytes, 53), scope: r.interfaceName };
  }
}

/** Zig's option values: the text up to the next ":" parsed with
 * parseInt(u8) (see parse_int.ts): an invalid one skips the option, one
 * above 255 is 255; then clamped to the option's maximum. */
function optionValue(text: string, max: number): number | null {
  const v = parseUnsigned(text.split(":")[0], 8);
  if (v === "InvalidCharacter") return null;
  return Math.min(v === "Overflow" ? 255 : v, max);
}

export function applyOptions(conf: Mutable, tokens: string[]): void {
  for (const tok of tokens) {
    const colon = tok.indexOf(":");
    const name = colon < 0 ? tok : tok.slice(0, colon);
    const value = colon < 0 ? "" : tok.slice(colon + 1);
    switch (name) {
      case "ndots": {
        const v = optionValue(value, 15);
        if (v !== null) conf.ndots = v;
        break;
      }
      case "timeout": {
        // Zig's maximum (glibc's is 30); timeout:0 is 1 (Zig would give up
        // before sending).
        const v = optionValue(value, 60);
        if (v !== null) conf.timeoutSeconds = Math.max(1, v);
        break;
      }
      case "attempts": {
        // Zig's maximum (glibc's is 5); attempts:0 would divide the timeout
        // by zero (Zig's crash): 1.
        const v = optionValue(value, 10);
        if (v !== null) conf.attempts = Math.max(1, v);
        break;
      }
      case "rotate":
        conf.rotate = true;
        break;
      case "single-request":
        conf.singleRequest = true;
        break;
      case "edns0":
        conf.edns0 = true;
        break;
      case "use-vc":
        conf.useVc = true;
        break;
    }
  }
}

/** Parses resolv.conf text. `env` supplies RES_OPTIONS and LOCALDOMAIN. */
export function parse(text: string, env: Record<string, string | undefined> = {}): ResolvConf {
  const conf = defaults();
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "").replace(/[#;].*$/, "");
    const tokens = line.split(/[ \t]+/).filter((t) => t.length > 0);
    if (tokens.length === 0) continue;
    const [directive, ...args] = tokens;
    switch (directive) {
      case "nameserver": {
        if (conf.nameservers.length >= maxNameservers || args.length === 0) break;
        const ns = parseNameserver(args[0]);
        if (ns === null) break; // malformed: skipped, not fatal
        conf.nameservers.push(ns.addr);
        conf.scopes.push(ns.scope);
        break;
      }
      case "domain":
      case "search":
        conf.search = args.slice(0, 6);
        break;
      case "options":
        applyOptions(conf, args);
        break;
    }
  }
  const local = env.LOCALDOMAIN;
  if (local !== undefined)
    conf.search = local
      .split(/[ \t]+/)
      .filter((t) => t.length > 0)
      .slice(0, 6);
  const opts = env.RES_OPTIONS;
  if (opts !== undefined)
    applyOptions(
      conf,
      opts.split(/[ \t]+/).filter((t) => t.length > 0),
    );
  if (conf.nameservers.length === 0) {
    conf.nameservers.push(Ip4Address.loopback(53));
    conf.scopes.push(null);
  }
  return conf;
}
