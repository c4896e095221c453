// The `threaded-io` command, run as a child process (as a user runs it),
// against a temporary hosts file and resolv.conf and a scripted DNS server
// on loopback: no lookup leaves the machine.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  A,
  AAAA,
  ip4,
  startDnsServer,
  type DnsServer,
  type Handler,
} from "../helpers/dns_server.ts";
import { tempDir } from "../helpers/tmp.ts";
import { scaled } from "../helpers/time_scale.ts";
import { availableParallelism } from "node:os";

const cli = join(import.meta.dir, "..", "..", "bin", "threaded-io.ts");

/** A resolv.conf timeout of `s` seconds, scaled for emulation (30 at most,
 * resolv.conf's own cap). */
function dnsTimeout(s: number): number {
  return Math.min(30, scaled(s));
}
let tmp: ReturnType<typeof tempDir>;
let hosts: string;
let resolvConf: string;
let server: DnsServer | undefined;
beforeAll(() => {
  tmp = tempDir();
  hosts = join(tmp.path, "hosts");
  writeFileSync(hosts, "10.1.2.3 myhost.test myhost\n2001:db8::7 myhost.test\n");
  // A name server that cannot answer: every test that reaches DNS names its
  // own server on loopback with --nameserver, which replaces this one.
  resolvConf = join(tmp.path, "resolv.conf");
  // One try per query, its timeout scaled: under qemu a reply to the CLI's
  // process came too late for 1 s once in a full run (exit 1).
  writeFileSync(resolvConf, `nameserver 127.0.0.1\noptions timeout:${dnsTimeout(1)} attempts:1\n`);
});
afterAll(() => tmp.remove());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

async function run(...args: string[]): Promise<Run> {
  // No RES_OPTIONS / LOCALDOMAIN from the environment of whoever runs this.
  const env = { ...process.env };
  delete env.RES_OPTIONS;
  delete env.LOCALDOMAIN;
  const p = Bun.spawn([process.execPath, cli, ...args], { stdout: "pipe", stderr: "pipe", env });
  const timer = setTimeout(() => p.kill(), scaled(15_000));
  const [out, err] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
  ]);
  clearTimeout(timer);
  return { code: await p.exited, out, err };
}

/** Runs `resolve name` against a scripted server and the temporary files. */
async function resolveWith(handler: Handler, name: string, ...args: string[]): Promise<Run> {
  server = await startDnsServer(handler);
  return run(
    "resolve",
    name,
    "--hosts",
    hosts,
    "--resolv-conf",
    resolvConf,
    "--nameserver",
    `127.0.0.1:${server.port}`,
    ...args,
  );
}

const v6 = new Uint8Array([0x20, 1, 0xd, 0xb8, ...new Array(11).fill(0), 9]);
const answering: Handler = (q) =>
  q.type === A
    ? { answers: [{ name: q.name, type: A, data: ip4("10.9.8.7") }] }
    : q.type === AAAA
      ? { answers: [{ name: q.name, type: AAAA, data: v6 }] }
      : { rcode: 3 };

describe("help and usage errors", () => {
  test("--help and -h print usage to stdout and exit 0", async () => {
    for (const flag of ["--help", "-h"]) {
      const r = await run(flag);
      expect(r.code).toBe(0);
      expect(r.out).toStartWith("usage: threaded-io resolve <name> [options]");
      for (const option of [
        "--family",
        "--port",
        "--hosts",
        "--resolv-conf",
        "--nameserver",
        "--json",
      ])
        expect(r.out).toContain(option);
      expect(r.err).toBe("");
    }
  });

  test("--version prints the package's version", async () => {
    const r = await run("--version");
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(
      (await Bun.file(join(import.meta.dir, "../../package.json")).json()).version,
    );
  });

  const bad: [string[], string][] = [
    [[], "No command given"],
    [["lookup", "x"], 'Unknown command "lookup"'],
    [["resolve"], "Command resolve needs a host name"],
    [["resolve", "a", "b"], 'Unexpected argument "b"'],
    [["resolve", "x", "--famly", "ip4"], 'Unknown option "--famly"'],
    [["resolve", "x", "--family", "ipv4"], 'Option --family takes ip4 or ip6, got "ipv4"'],
    [["resolve", "x", "--family=inet"], 'Option --family takes ip4 or ip6, got "inet"'],
    [
      ["resolve", "x", "--port", "65536"],
      'Option --port takes a number from 0 to 65535, got "65536"',
    ],
    [["resolve", "x", "--port", "-1"], 'Option --port takes a number from 0 to 65535, got "-1"'],
    [["resolve", "x", "--port", "1.5"], 'Option --port takes a number from 0 to 65535, got "1.5"'],
    [["resolve", "x", "--port"], "Option --port needs a value"],
    [["resolve", "x", "--hosts"], "Option --hosts needs a value"],
    [["resolve", "x", "--json=yes"], 'Option --json takes no value, got "yes"'],
    [["resolve", "x", "--nameserver", "dns.google"], "Option --nameserver takes ADDR or ADDR:PORT"],
    [["resolve", "x", "--nameserver", "127.0.0.1:99999"], '"127.0.0.1:99999"'],
    [["resolve", "x", "--nameserver", "[::1]x"], '"[::1]x"'],
  ];
  // Started ahead (each is a short-lived process), at most one per CPU at
  // a time, and checked one by one. All 16 at once took over 50 s for the
  // last ones under qemu on two cores, past the test's timeout.
  let runs: Map<string[], Promise<Run>>;
  beforeAll(() => {
    let slots = Math.max(1, availableParallelism());
    const queued: (() => void)[] = [];
    const limited = async (args: string[]): Promise<Run> => {
      if (slots > 0) slots--;
      else await new Promise<void>((resolve) => queued.push(resolve));
      try {
        return await run(...args);
      } finally {
        const next = queued.shift();
        if (next !== undefined) next();
        else slots++;
      }
    };
    runs = new Map(bad.map(([args]) => [args, limited(args)]));
  });
  for (const [args, message] of bad) {
    test(`threaded-io ${args.join(" ") || "(nothing)"}: names what is wrong, exits 64`, async () => {
      const r = await runs.get(args)!;
      expect(r.code).toBe(64);
      expect(r.err).toContain(message);
      expect(r.err).toContain('Run "threaded-io --help" for usage.');
      expect(r.out).toBe("");
    });
  }
});

describe("resolve", () => {
  test("--hosts: a name in the given hosts file, without asking DNS", async () => {
    const r = await resolveWith(answering, "myhost.test", "--port", "443");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out.split("\n").map((l) => l.replace(/\s+/g, " "))).toEqual([
      "10.1.2.3 443",
      "2001:db8::7 443",
      "canonical name: myhost.test",
      "",
    ]);
    expect(server!.queries).toEqual([]);
  });

  test("--nameserver ADDR:PORT: DNS answers from the scripted server, as JSON", async () => {
    const r = await resolveWith(answering, "svc.example", "--json", "--port", "80");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      name: "svc.example",
      addresses: [
        { family: "ip4", address: "10.9.8.7", port: 80 },
        { family: "ip6", address: "2001:db8::9", port: 80 },
      ],
      canonicalName: "svc.example",
    });
    expect(server!.queries.map((q) => [q.name, q.type])).toContainEqual(["svc.example", A]);
  });

  test("--family ip6 asks only for AAAA", async () => {
    const r = await resolveWith(answering, "svc.example", "--family", "ip6");
    expect(r.code).toBe(0);
    expect(r.out).toBe("2001:db8::9\ncanonical name: svc.example\n");
    expect(server!.queries.map((q) => q.type)).toEqual([AAAA]);
  });

  test("an unknown name exits 2 with UnknownHostName; --json reports it on stdout", async () => {
    const nx: Handler = () => ({ rcode: 3 });
    const text = await resolveWith(nx, "missing.example");
    expect(text.code).toBe(2);
    expect(text.err).toContain("UnknownHostName");
    await server!.close();
    server = undefined;
    const json = await resolveWith(nx, "missing.example", "--json");
    expect(json.code).toBe(2);
    expect(JSON.parse(json.out)).toMatchObject({
      name: "missing.example",
      error: { code: "UnknownHostName" },
    });
  });

  test("a failing name server exits 1 with NameServerFailure", async () => {
    const r = await resolveWith(() => ({ rcode: 2 }), "svc.example");
    expect(r.code).toBe(1);
    expect(r.err).toContain("NameServerFailure");
  });

  test("--resolv-conf: its search list applies to a name without dots", async () => {
    const conf = join(tmp.path, "resolv-search.conf");
    writeFileSync(conf, `search corp.example\noptions timeout:${dnsTimeout(2)} attempts:1\n`);
    server = await startDnsServer((q) =>
      q.name === "svc.corp.example" ? answering(q) : { rcode: 3 },
    );
    const r = await run(
      "resolve",
      "svc",
      "--hosts",
      hosts,
      "--resolv-conf",
      conf,
      "--nameserver",
      `127.0.0.1:${server.port}`,
      "--family=ip4",
    );
    expect(r.err).toBe("");
    expect(r.out).toBe("10.9.8.7\ncanonical name: svc.corp.example\n");
    expect(r.code).toBe(0);
  });
});
