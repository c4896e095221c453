// Big data without copies: a file is read straight into SharedBytes, and
// two pool threads sum its halves in place (no byte is copied to
// reach them); the main thread checks the answer on the same memory.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Dir, SharedBytes, Threaded } from "../lib/index.ts";
import { checksum } from "./tasks.ts";

const threaded = Threaded.init();
const io = threaded.io();

const dir = mkdtempSync(join(tmpdir(), "tio-example-"));
const path = join(dir, "data.bin");
const size = 8 << 20;
writeFileSync(
  path,
  Uint8Array.from({ length: size }, (_, i) => (i * 7) & 255),
);

{
  using data = SharedBytes.alloc(io, size);
  const file = Dir.cwd().openFile(io, path);
  let n = 0;
  while (n < size) n += file.readPositional(io, data.bytes.subarray(n), n);
  file.close(io);

  const half = size / 2;
  const parts = [data.subarray(0, half), data.subarray(half)].map((b) =>
    io.concurrent(checksum, b),
  );
  const sum = parts.reduce((s, f) => s + f.await(io), 0);
  const here = checksum(data);
  console.log(`read ${n} bytes into shared memory; sums agree: ${sum === here} (${sum})`);
}

rmSync(dir, { recursive: true, force: true });
threaded.deinit();
