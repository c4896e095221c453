#!/usr/bin/env bun
// `bunx threaded-io resolve <name> [--family ip4|ip6] [--port N]`: resolves a
// host name with threaded-io's pure-TypeScript resolver and prints each
// address and the canonical name, like `getent ahosts`.
import { HostName, IoError, Threaded, type LookupOptions } from "../lib/index.ts";

function usage(): never {
  console.error("usage: threaded-io resolve <name> [--family ip4|ip6] [--port N]");
  process.exit(2);
}

const [command, name, ...rest] = process.argv.slice(2);
if (command !== "resolve" || name === undefined) usage();
let family: LookupOptions["family"];
let port = 0;
for (let i = 0; i < rest.length; i++) {
  const arg = rest[i];
  const value = rest[++i];
  if (arg === "--family" && (value === "ip4" || value === "ip6")) family = value;
  else if (
    arg === "--port" &&
    value !== undefined &&
    /^[0-9]+$/.test(value) &&
    Number(value) <= 65535
  )
    port = Number(value);
  else usage();
}

const threaded = Threaded.init();
let status = 0;
try {
  const r = HostName.init(name).lookupAll(threaded.io(), { port, family });
  for (const a of r.addresses)
    console.log(`${a.host().padEnd(40)} ${port === 0 ? "" : a.port}`.trimEnd());
  console.log(`canonical name: ${r.canonicalName.bytes}`);
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  status = e instanceof IoError && e.code === "UnknownHostName" ? 2 : 1;
} finally {
  threaded.deinit();
}
process.exit(status);
