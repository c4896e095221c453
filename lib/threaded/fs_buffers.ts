// Per-thread scratch memory for file-system calls, allocated once (hot paths
// allocate nothing): the NUL-terminated path, the iovec array, the stat
// buffer. Each is in use only for the length of one syscall on this thread.
//
// All of it is carved from one explicit ArrayBuffer, and addresses are taken
// with ptr() at every call: a small typed array made with `new
// Uint32Array(n)` lives in JSC's GC heap, and an address cached from it went
// stale (a later readv used the iovec of an earlier call).
import { ptr, type Pointer } from "bun:ffi";
import { IoError } from "../io/errors.ts";
import { C, L } from "../os/index.ts";
import { describe } from "../io/validate.ts";

/** Zig's max_iovecs_len. */
export const MAX_IOVECS = 8;

const IOV_BYTES = MAX_IOVECS * L.sizeof_iovec;
const STAT_BYTES = Math.max(L.sizeof_statx ?? 0, L.sizeof_stat);
const arena = new ArrayBuffer(C.PATH_MAX + IOV_BYTES + STAT_BYTES + 8);
const pathBuf = new Uint8Array(arena, 0, C.PATH_MAX);
const iovBuf = new Uint32Array(arena, C.PATH_MAX, IOV_BYTES / 4);
/** Scratch for struct statx / struct stat, whichever is larger. */
export const statBuf = new Uint8Array(arena, C.PATH_MAX + IOV_BYTES, STAT_BYTES);
export const statView = new DataView(arena, C.PATH_MAX + IOV_BYTES, STAT_BYTES);
/** An int the shim writes a descriptor into (tio_open_read). */
const fdOutBuf = new Int32Array(arena, C.PATH_MAX + IOV_BYTES + STAT_BYTES, 1);
const encoder = new TextEncoder();

import type { PathLike } from "../fs/types.ts";

export type { PathLike };

/** Zig's pathToPosix: NUL → BadPathName, PATH_MAX bytes or more →
 * NameTooLong. Returns the address of the NUL-terminated copy. */
export function pathToPosix(path: PathLike): Pointer {
  let len: number;
  if (typeof path === "string") {
    if (path.includes("\0"))
      throw new IoError("BadPathName", {
        message: `BadPathName: path "${printable(path)}" contains a NUL byte`,
        path,
      });
    const r = encoder.encodeInto(path, pathBuf);
    if (r.read < path.length || r.written >= pathBuf.length) {
      throw new IoError("NameTooLong", {
        message: `NameTooLong: a path of ${encoder.encode(path).length} bytes is not under PATH_MAX (${C.PATH_MAX})`,
      });
    }
    len = r.written;
  } else {
    if (!(path instanceof Uint8Array))
      throw new TypeError(`Path is ${describe(path)}, not a string or a Uint8Array`);
    if (path.includes(0))
      throw new IoError("BadPathName", { message: "BadPathName: path contains a NUL byte" });
    if (path.length >= pathBuf.length) {
      throw new IoError("NameTooLong", {
        message: `NameTooLong: a path of ${path.length} bytes is not under PATH_MAX (${C.PATH_MAX})`,
      });
    }
    pathBuf.set(path);
    len = path.length;
  }
  pathBuf[len] = 0;
  return ptr(pathBuf);
}

function printable(p: string): string {
  return p.replaceAll("\0", "\\0");
}

export function pathText(path: PathLike): string {
  return typeof path === "string" ? path : new TextDecoder().decode(path);
}

const IOV_WORDS = L.sizeof_iovec / 4;

/** Fills the iovec scratch with up to MAX_IOVECS non-empty buffers (empty
 * ones skipped, as Zig's `Threaded.zig` does) and returns how many it used. The caller
 * keeps `bufs` referenced until the syscall returns. */
export function fillIovecs(bufs: readonly Uint8Array[]): number {
  let n = 0;
  for (let i = 0; i < bufs.length && n < MAX_IOVECS; i++) {
    const b = bufs[i];
    if (b.length === 0) continue;
    const addr = ptr(b) as number;
    const w = n * IOV_WORDS;
    iovBuf[w] = addr % 0x100000000;
    iovBuf[w + 1] = Math.floor(addr / 0x100000000);
    iovBuf[w + 2] = b.length % 0x100000000;
    iovBuf[w + 3] = Math.floor(b.length / 0x100000000);
    n++;
  }
  if (n === 0) throw new RangeError("No non-empty buffer to read into or write from");
  return n;
}

export function iovecs(): Pointer {
  return ptr(iovBuf);
}

export function fdOutPtr(): Pointer {
  return ptr(fdOutBuf);
}

export function fdOut(): number {
  return fdOutBuf[0];
}

export function statPtr(): Pointer {
  return ptr(statBuf);
}
