// Thread per connection, Zig's idiom: an accept loop and one pool thread per
// client, each blocking in read. Simple for a few clients with a blocking
// protocol; each idle client holds a whole thread (MiBs of memory), so
// `concurrentLimit` caps them (a client past it is closed at once), and
// `idleTimeout` gives the threads back after the clients leave.
//   bun examples/thread_per_connection.ts [--clients N] [--limit L]
import { Group, Ip4Address, Threaded } from "../lib/index.ts";
import { acceptEchoes } from "./workload_tasks.ts";

export interface EchoServer {
  readonly port: number;
  stop(): void;
}

/** Starts the accept loop (one thread) on loopback; connections get a
 * thread each from `threaded`'s concurrent limit. */
export function startEchoServer(threaded: Threaded): EchoServer {
  const io = threaded.io();
  const server = Ip4Address.loopback(0).listen(io, { reuseAddress: true });
  const connections = Group.init(io);
  const acceptor = Group.init(io);
  acceptor.concurrent(io, acceptEchoes, io, server.socket.handle, connections);
  return {
    port: server.socket.address.port,
    stop() {
      acceptor.cancel(io);
      connections.cancel(io);
      acceptor.deinit();
      connections.deinit();
      server.deinit(io);
    },
  };
}

export interface Client {
  readonly socket: Bun.Socket<{ echoed: boolean }>;
  /** False if the server closed it without an echo (over the limit). */
  readonly served: boolean;
}

/** Opens `n` clients at once; each sends "ping" and waits for its echo. */
export function openClients(port: number, n: number): Promise<Client[]> {
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Client>((resolve, reject) => {
          void Bun.connect<{ echoed: boolean }>({
            hostname: "127.0.0.1",
            port,
            data: { echoed: false },
            socket: {
              open: (s) => void s.write("ping"),
              data: (s) => {
                if (s.data.echoed) return;
                s.data.echoed = true;
                resolve({ socket: s, served: true });
              },
              close: (s) => {
                if (!s.data.echoed) resolve({ socket: s, served: false });
              },
              connectError: (_s, e) => reject(e),
              error: (_s, e) => reject(e),
            },
          });
        }),
    ),
  );
}

/** Resolves once `cond` holds, checking every 10 ms; false after `ms`. */
export async function within(cond: () => boolean, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) return false;
    await Bun.sleep(10);
  }
  return true;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const n = args.includes("--clients") ? Number(args[args.indexOf("--clients") + 1]) : 10;
  const limit = args.includes("--limit") ? Number(args[args.indexOf("--limit") + 1]) : n + 1;
  const idleTimeout = 300;
  const threaded = Threaded.init({ concurrentLimit: limit, idleTimeout });
  const server = startEchoServer(threaded);
  const start = performance.now();
  const clients = await openClients(server.port, n);
  const ms = performance.now() - start;
  const served = clients.filter((c) => c.served).length;
  console.log(
    `${served} of ${n} clients echoed in ${ms.toFixed(0)} ms; pool threads: ${threaded.poolStats().threads}`,
  );
  for (const c of clients) c.socket.end();
  // Their threads finish when the clients close, then retire when idle.
  const back = await within(() => threaded.poolStats().threads === 1, idleTimeout + 5000);
  console.log(`clients left; back to the accept thread only: ${back}`);
  server.stop();
  threaded.deinit();
  console.log("stopped: accept loop canceled, pool joined");
}
