#!/usr/bin/env bun
// The `threaded-io` command: `threaded-io resolve <name> [options]` resolves a
// host name with threaded-io's pure-TypeScript resolver and prints each
// address and the canonical name, like `getent ahosts`. Run with --help.
import {
  HostName,
  IoError,
  Ip6Address,
  IpAddress,
  Threaded,
  type LookupOptions,
  type ChromeTrace,
} from "../lib/index.ts";
import { readFileSync } from "node:fs";
import { traceToSvg } from "../lib/threaded/trace_svg.ts";

const usage = `usage: threaded-io resolve <name> [options]
       threaded-io trace-svg <trace.json> [--from MS] [--to MS]  (SVG to stdout)
       threaded-io --help | --version

trace-svg draws a trace that threaded.stopTrace(path) wrote: one lane per
thread, tasks as bars, cancels and wake-ups as marks; --from and --to keep
the window between those times (ms from the first event).

Resolves <name> as threaded-io's HostName.lookupAll does: an IPv4 literal, the
hosts file, localhost and *.localhost, then DNS as resolv.conf says. Prints
each address, then the canonical name.

options:
  --family ip4|ip6          only IPv4 or only IPv6 addresses
  --port N                  the port each address carries (0-65535, default 0)
  --hosts PATH              the hosts file to read instead of /etc/hosts
  --resolv-conf PATH        the resolver configuration to read instead of
                            /etc/resolv.conf
  --nameserver ADDR[:PORT]  ask this name server (port 53 unless given; an
                            IPv6 address with a port is written [ADDR]:PORT)
                            instead of resolv.conf's; repeat for several
  --json                    print one JSON object instead of text
  -h, --help                print this help and exit
  --version                 print the version and exit

exit status: 0 resolved, 1 the lookup failed, 2 unknown host name (as
getent), 64 bad usage.
`;

/** A command line that cannot be run: its message names what is wrong. */
class UsageError extends Error {}

interface Command {
  readonly name: string;
  readonly options: LookupOptions;
  readonly json: boolean;
}

/** `--opt value` and `--opt=value` for every option that takes a value. */
const valued = new Set(["--family", "--port", "--hosts", "--resolv-conf", "--nameserver"]);

function parseArgs(argv: readonly string[]): Command | "help" | "version" {
  if (argv.includes("-h") || argv.includes("--help")) return "help";
  if (argv.includes("--version")) return "version";
  const positional: string[] = [];
  let family: "ip4" | "ip6" | undefined;
  let port = 0;
  let hostsPath: string | undefined;
  let resolvConfPath: string | undefined;
  const nameservers: IpAddress[] = [];
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!;
    let value: string | undefined;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    if (valued.has(arg)) {
      if (value === undefined) {
        value = argv[++i];
        if (value === undefined) throw new UsageError(`Option ${arg} needs a value`);
      }
    } else if (value !== undefined) {
      throw new UsageError(`Option ${arg} takes no value, got "${value}"`);
    }
    switch (arg) {
      case "--family":
        if (value !== "ip4" && value !== "ip6")
          throw new UsageError(`Option --family takes ip4 or ip6, got "${value}"`);
        family = value;
        break;
      case "--port":
        if (!/^[0-9]{1,5}$/.test(value!) || Number(value) > 65535)
          throw new UsageError(`Option --port takes a number from 0 to 65535, got "${value}"`);
        port = Number(value);
        break;
      case "--hosts":
        hostsPath = value;
        break;
      case "--resolv-conf":
        resolvConfPath = value;
        break;
      case "--nameserver":
        nameservers.push(parseNameserver(value!));
        break;
      case "--json":
        json = true;
        break;
      default:
        if (arg.startsWith("-") && arg !== "-") throw new UsageError(`Unknown option "${arg}"`);
        positional.push(arg);
    }
  }
  const [command, name, ...extra] = positional;
  if (command === undefined) throw new UsageError("No command given");
  if (command !== "resolve") throw new UsageError(`Unknown command "${command}"`);
  if (name === undefined) throw new UsageError("Command resolve needs a host name");
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}"`);
  const options: LookupOptions = {
    port,
    ...(family !== undefined && { family }),
    ...(hostsPath !== undefined && { hostsPath }),
    ...(resolvConfPath !== undefined && { resolvConfPath }),
    ...(nameservers.length > 0 && { nameservers }),
  };
  return { name, options, json };
}

/** "1.2.3.4", "1.2.3.4:5353", "::1", "[::1]:5353"; port 53 unless given. */
function parseNameserver(text: string): IpAddress {
  const bad = () =>
    new UsageError(
      `Option --nameserver takes ADDR or ADDR:PORT (IPv6: [ADDR]:PORT), got "${text}"`,
    );
  try {
    // A bare IPv6 address has two or more colons and no brackets.
    if (!text.startsWith("[") && text.indexOf(":") !== text.lastIndexOf(":"))
      return Ip6Address.parse(text, 53);
    const a = IpAddress.parseLiteral(text);
    const hasPort = text.startsWith("[") ? text.includes("]:") : text.includes(":");
    if (!hasPort) a.port = 53;
    return a;
  } catch {
    throw bad();
  }
}

function resolve(cmd: Command): number {
  const threaded = Threaded.init();
  try {
    const r = HostName.init(cmd.name).lookupAll(threaded.io(), cmd.options);
    if (cmd.json) {
      const addresses = r.addresses.map((a) => ({
        family: a.family,
        address: a.host(),
        port: a.port,
      }));
      console.log(
        JSON.stringify({ name: cmd.name, addresses, canonicalName: r.canonicalName.bytes }),
      );
    } else {
      for (const a of r.addresses)
        console.log(`${a.host().padEnd(40)} ${cmd.options.port === 0 ? "" : a.port}`.trimEnd());
      console.log(`canonical name: ${r.canonicalName.bytes}`);
    }
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const code = e instanceof IoError ? e.code : "Unexpected";
    if (cmd.json) console.log(JSON.stringify({ name: cmd.name, error: { code, message } }));
    console.error(`threaded-io: ${message}`);
    return code === "UnknownHostName" ? 2 : 1;
  } finally {
    threaded.deinit();
  }
}

/** `threaded-io trace-svg trace.json > timeline.svg`. */
function traceSvg(argv: readonly string[]): number {
  const args: string[] = [];
  const window: { fromMs?: number; toMs?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--from" || a === "--to") {
      const v = argv[++i];
      const ms = v === undefined || v.trim() === "" ? NaN : Number(v);
      if (!Number.isFinite(ms) || ms < 0) {
        console.error(`threaded-io: ${a} needs a time in ms, not "${v ?? ""}"`);
        return 64;
      }
      if (a === "--from") window.fromMs = ms;
      else window.toMs = ms;
    } else args.push(a);
  }
  if (args.length !== 1 || args[0]!.startsWith("-")) {
    console.error(
      `threaded-io: trace-svg needs one trace file\nRun "threaded-io --help" for usage.`,
    );
    return 64;
  }
  let trace: unknown;
  try {
    trace = JSON.parse(readFileSync(args[0]!, "utf8"));
  } catch (e) {
    console.error(`threaded-io: cannot read trace "${args[0]}": ${(e as Error).message}`);
    return 1;
  }
  try {
    process.stdout.write(traceToSvg(trace as ChromeTrace, window));
  } catch (e) {
    console.error(`threaded-io: "${args[0]}": ${(e as Error).message}`);
    return 1;
  }
  return 0;
}

function main(argv: readonly string[]): number {
  if (argv[0] === "trace-svg") return traceSvg(argv.slice(1));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`threaded-io: ${e.message}\nRun "threaded-io --help" for usage.`);
    return 64;
  }
  if (parsed === "help") {
    process.stdout.write(usage);
    return 0;
  }
  if (parsed === "version") {
    const pkg = require("../package.json") as { version: string };
    console.log(pkg.version);
    return 0;
  }
  return resolve(parsed);
}

process.exit(main(process.argv.slice(2)));
