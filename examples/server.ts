// A structured server: an accept loop and one task per connection, all in
// groups; SIGINT (or --seconds N) shuts it down by canceling the groups,
// which interrupts the threads blocked in accept and read.
//   bun examples/server.ts [--port 7070] [--seconds N]
import { Group, Ip4Address, Threaded } from "../lib/index.ts";
import { acceptConnections } from "./tasks.ts";

const args = process.argv.slice(2);
const port = Number(args[args.indexOf("--port") + 1] ?? 0) || 0;
const seconds = args.includes("--seconds")
  ? Number(args[args.indexOf("--seconds") + 1])
  : undefined;

const threaded = Threaded.init();
const io = threaded.io();
const server = Ip4Address.loopback(port).listen(io, { reuseAddress: true });
const connections = Group.init(io);
const acceptor = Group.init(io);
acceptor.concurrent(io, acceptConnections, io, server, connections);
console.log(
  `echo server on ${server.socket.address} — try: nc 127.0.0.1 ${server.socket.address.port}`,
);

const stopped = new Promise<void>((resolve) => {
  process.once("SIGINT", () => resolve());
  if (seconds !== undefined) setTimeout(resolve, seconds * 1000);
});

// This thread's event loop stays free while the pool serves.
await stopped;
acceptor.cancel(io);
connections.cancel(io);
server.deinit(io);
threaded.deinit();
console.log("shut down: every connection task canceled and joined");
