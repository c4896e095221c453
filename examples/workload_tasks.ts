// Tasks of the three workload examples (tree_hash.ts, http_service.ts,
// thread_per_connection.ts) and of bench/workloads.bench.ts. Every pool
// thread loads this module, so it only defines and registers functions.
import {
  Dir,
  IoError,
  Ip4Address,
  type Queue,
  Server,
  Socket,
  Stream,
  task,
  type Group,
  type Io,
} from "../lib/index.ts";

/** What one tree-hash task hands back: a "path sha256hex" line per file,
 * joined with NUL (which no file name holds) into one string, and the
 * subdirectories it found (to become more tasks). One string rather than
 * hundreds: the hand-back costs less on both threads (on /usr/share, 2
 * tasks in flight, three runs: 632–663 ms against 671–714 ms with arrays;
 * tinypool and piscina get the same shape). */
export interface DirsHashed {
  readonly lines: string;
  readonly dirs: string[];
}

/** Separates the lines of `DirsHashed.lines`. */
export const LINE_SEP = "\0";

/** Appends the lines of a task's `DirsHashed.lines` to `out`. */
export function addLines(out: string[], lines: string): void {
  if (lines === "") return;
  for (const line of lines.split(LINE_SEP)) out.push(line);
}

/**
 * Iterates each directory in `dirs` (relative to `root`), and reads and
 * hashes every regular file in it, with the library's own calls:
 * Dir.iterate and Dir.readFile into this thread's buffer (a file that fills
 * it is hashed in chunks). Links are not followed; a directory or file that
 * cannot be opened is skipped (as `find` would report and go on).
 */
export const hashDirs = task(
  import.meta,
  function hashDirs(io: Io, root: string, dirs: string[]): DirsHashed {
    const lines: string[] = [];
    const subdirs: string[] = [];
    for (const rel of dirs) {
      let dir: Dir;
      try {
        dir = Dir.cwd().openDir(io, rel === "" ? root : `${root}/${rel}`, { iterate: true });
      } catch (e) {
        if (e instanceof IoError && e.code !== "Canceled") continue;
        throw e;
      }
      try {
        for (const entry of dir.iterate(io)) {
          const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
          if (entry.kind === "directory") subdirs.push(path);
          else if (entry.kind === "file") {
            let hex: string;
            try {
              hex = hashFile(io, dir, entry.name);
            } catch (e) {
              if (e instanceof IoError && e.code !== "Canceled") continue;
              throw e;
            }
            lines.push(`${path} ${hex}`);
          }
        }
      } finally {
        dir.close(io);
      }
    }
    return { lines: lines.join(LINE_SEP), dirs: subdirs };
  },
);

/** One buffer per thread for whole-file reads, reused for every file: no
 * allocation, zeroing or collection per file (all of /usr/share, one
 * thread: 381–427 ms to read against readFileSync's 495–674). */
const FILE_BUFFER_BYTES = 1 << 20;
let fileBuffer: Uint8Array | undefined;

/** SHA-256 (hex) of `name` in `dir`: one read into the thread's buffer for
 * most files; one that fills it is read again in chunks, and hashed as it
 * comes, so no file is ever held whole. */
export function hashFile(io: Io, dir: Dir, name: string): string {
  const buf = (fileBuffer ??= new Uint8Array(FILE_BUFFER_BYTES));
  const bytes = dir.readFile(io, name, buf);
  if (bytes.length < buf.length) return sha256Hex(bytes);
  const hasher = new Bun.CryptoHasher("sha256");
  const file = dir.openFile(io, name);
  try {
    for (;;) {
      const n = file.readStreaming(io, buf);
      if (n === 0) break;
      hasher.update(buf.subarray(0, n));
    }
  } finally {
    file.close(io);
  }
  return hasher.digest("hex");
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return Bun.CryptoHasher.hash("sha256", bytes, "hex") as string;
}

/** The digest of a whole tree: SHA-256 of its sorted "path hash" lines, so
 * every way of computing it (any order, any thread) gives the same value. */
export function treeDigest(lines: string[]): string {
  return sha256Hex(new TextEncoder().encode(lines.sort().join("\n")));
}

let block: Uint8Array | undefined;

/** About 1 ms of CPU on the reference VM: SHA-256 of `kib` KiB (a fixed
 * 64 KiB pattern, repeated). The HTTP service's per-request work. */
export function hashWork(kib: number): string {
  const b = (block ??= new Uint8Array(65536).map((_, i) => (i * 7) & 0xff));
  const h = new Bun.CryptoHasher("sha256");
  for (let done = 0; done < kib; done += 64) h.update(b);
  return h.digest("hex");
}

export const hashWorkTask = task(import.meta, function hashWorkTask(kib: number): string {
  return hashWork(kib);
});

/** A job for `hashWorker`: [request id, KiB]; an id below 0 ends it. */
export type HashJob = [number, number];

/** A long-running worker: hashes jobs until it takes one with id < 0, and
 * puts [id, digest] in `results`. A pool thread that always has the next
 * job queued never sleeps between requests. */
export const hashWorker = task(
  import.meta,
  function hashWorker(io: Io, jobs: Queue<HashJob>, results: Queue<[number, string]>): void {
    for (;;) {
      const [id, kib] = jobs.getOne(io);
      if (id < 0) return;
      results.putOne(io, [id, hashWork(kib)]);
    }
  },
);

/** Thread per connection: echoes what the client sends until it closes
 * (or the task is canceled); returns the bytes echoed. */
export const echoConnection = task(
  import.meta,
  function echoConnection(io: Io, handle: number): number {
    const stream = new Stream(new Socket(handle, Ip4Address.loopback(0)));
    const buf = new Uint8Array(4096);
    let total = 0;
    try {
      for (;;) {
        const n = stream.read(io, buf);
        if (n === 0) return total;
        stream.writeAll(io, buf.subarray(0, n));
        total += n;
      }
    } catch (e) {
      if (IoError.is(e, "ConnectionResetByPeer", "BrokenPipe")) return total;
      throw e;
    } finally {
      stream.close(io);
    }
  },
);

/** Accepts connections until canceled, one echo task (one thread) each.
 * Past the concurrent limit a connection is closed at once: the limit is
 * what bounds the threads, and so the memory, a flood of clients can take. */
export const acceptEchoes = task(
  import.meta,
  function acceptEchoes(io: Io, listener: number, connections: Group): void {
    const server = new Server(new Socket(listener, Ip4Address.loopback(0)));
    for (;;) {
      const stream = server.accept(io);
      try {
        connections.concurrent(io, echoConnection, io, stream.socket.handle);
      } catch (e) {
        if (!IoError.is(e, "ConcurrencyUnavailable")) throw e;
        stream.close(io);
      }
    }
  },
);
