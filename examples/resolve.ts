// Resolving a name with the pure-TypeScript resolver, like `getent ahosts`.
//   bun examples/resolve.ts localhost
import { HostName, Threaded } from "../lib/index.ts";

const name = process.argv[2] ?? "localhost";
const threaded = Threaded.init();
try {
  const { addresses, canonicalName } = await HostName.init(name).lookupAllAsync(threaded.io(), {
    port: 0,
  });
  for (const a of addresses) console.log(a.host());
  console.log(`canonical name: ${canonicalName}`);
} catch (e) {
  console.log((e as Error).message);
  process.exitCode = 2;
} finally {
  threaded.deinit();
}
