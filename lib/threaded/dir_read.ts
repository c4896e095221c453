// The vtable's dirRead on Linux, as later Zig's dirReadLinux: the next
// entry of a Dir.Reader, reading a batch with getdents64 when the buffer is
// used up. The position is reset with lseek first when the reader asks for
// it. Cancelation is checked before each batch (and after EINTR), never in
// the middle of one. "." and ".." are skipped. An entry whose type the file
// system does not record (DT_UNKNOWN) is stat'ed without following it, so
// `kind` is what the name is; one removed meanwhile is skipped. Names are
// bytes (as in Zig); one that is not valid UTF-8 also comes as `nameBytes`,
// since its decoded `name` (with U+FFFD) names nothing.
import { BugError, IoError } from "../io/errors.ts";
import { C, E } from "../os/index.ts";
import { shim } from "../ffi/shim.ts";
import { ptr } from "bun:ffi";
import { CWD_HANDLE } from "../fs/dir.ts";
import type { DirReader } from "../fs/dir_reader.ts";
import type { DirEntry, Kind } from "../fs/types.ts";
import { checkCancel } from "../substrate/cancel.ts";
import { errnoError, syscall } from "./syscall.ts";
import type { Threaded } from "./threaded.ts";
import { dirStatPath } from "./fs.ts";
import * as T from "./fs_errors.ts";

// struct linux_dirent64 (<dirent.h>, getdents64(2)): u64 d_ino, i64 d_off
// (at 8: DirReader.position reads it),
// u16 d_reclen, u8 d_type, then the NUL-terminated name. Records are 8-byte
// aligned and d_reclen covers the padding.
const D_RECLEN = 16;
const D_TYPE = 18;
const D_NAME = 19;

// d_type values: DT_* of <dirent.h>, the same numbers on Linux and Darwin.
// Kept here (not in lib/os) because only this reader uses them.
const DT_UNKNOWN = 0;
const kindOfType: readonly Kind[] = (() => {
  const k: Kind[] = new Array(16).fill("unknown");
  k[1] = "named_pipe"; // DT_FIFO
  k[2] = "character_device"; // DT_CHR
  k[4] = "directory"; // DT_DIR
  k[6] = "block_device"; // DT_BLK
  k[8] = "file"; // DT_REG
  k[10] = "sym_link"; // DT_LNK
  k[12] = "unix_domain_socket"; // DT_SOCK
  k[14] = "whiteout"; // DT_WHT
  return k;
})();

/** Bun's Buffer decodes a range without making a view first (names are
 * UTF-8 by convention; invalid bytes become U+FFFD). */
type Utf8Slicing = { utf8Slice(start: number, end: number): string };

/** A copy of the name's bytes if `name` (decoded from them) is not what
 * they are: only a name with U+FFFD in it is compared, so a valid one
 * costs one scan of the string. */
function rawName(buf: Buffer, start: number, end: number, name: string): Uint8Array | undefined {
  if (!name.includes("\uFFFD")) return undefined;
  const raw = new Uint8Array(buf.buffer, buf.byteOffset + start, end - start);
  return Buffer.from(name).equals(raw) ? undefined : raw.slice();
}

const EINTR = E.EINTR as number;
const ENOENT = E.ENOENT as number;
const EBADF = E.EBADF as number;

/** After EBADF from lseek or getdents64 on a directory: if it is an O_PATH
 * descriptor (openDir without `iterate: true`, as Zig opens it), say so —
 * it used to come out as "BugError: lseek failed (EBADF)". Zig treats this
 * as illegal behaviour (`.BADF => unreachable` in Dir.Iterator.next); here
 * it is a RangeError that says what to do. Only the failure path pays for
 * the fcntl. A closed descriptor falls through to the EBADF error. */
function refuseUnreadable(fd: number): void {
  if (C.O_PATH === undefined) return;
  const flags = shim().tio_fcntl(fd, C.F_GETFL, 0) as number;
  if (flags >= 0 && (flags & C.O_PATH) !== 0)
    throw new RangeError(
      "This directory was opened without { iterate: true }, so it cannot be iterated or walked: " +
        "open it with dir.openDir(io, path, { iterate: true })",
    );
}

/** Reads the next batch into the reader's buffer; false at the end. */
function readBatch(r: DirReader): boolean {
  const fd = r.dir.handle;
  const s = shim();
  if (r.state === "reset" || r.seekTo !== undefined) {
    const to = r.seekTo ?? 0;
    syscall(T.seekErrors, "lseek", () => {
      const rc = s.tio_lseek(fd, to, C.SEEK_SET) as number;
      if (rc === -EBADF) refuseUnreadable(fd);
      return rc;
    });
    r.state = "reading";
    r.seekTo = undefined;
  }
  const buf = r.buffer;
  const call = () => s.tio_getdents64(fd, ptr(buf), buf.length) as number;
  checkCancel();
  let rc = call();
  while (rc === -EINTR) {
    checkCancel();
    rc = call();
  }
  // A directory removed while it is read ends the iteration (Zig does the
  // same, for consistency with the other Unix targets).
  if (rc === 0 || rc === -ENOENT) {
    r.state = "finished";
    r.index = r.end = 0;
    return false;
  }
  if (rc === -EBADF) refuseUnreadable(fd);
  if (rc < 0) throw errnoError(T.getdentsErrors, -rc, "getdents64");
  r.index = 0;
  r.end = rc;
  return true;
}

export function dirRead(t: Threaded, r: DirReader): DirEntry | null {
  if (r.dir.handle === CWD_HANDLE)
    throw new RangeError(
      'Dir.cwd() cannot be iterated: open it with openDir(io, ".", { iterate: true })',
    );
  const buf = r.buffer;
  for (;;) {
    if (r.index >= r.end) {
      if (r.state === "finished" || !readBatch(r)) return null;
    }
    const at = r.index;
    const reclen = buf[at + D_RECLEN] | (buf[at + D_RECLEN + 1] << 8);
    if (reclen < D_NAME + 1 || at + reclen > r.end)
      throw new BugError(`getdents64 returned a record of ${reclen} bytes at ${at} of ${r.end}`);
    r.index = at + reclen;
    r.last = at; // its d_off: where the next read goes on (DirReader.position)
    let nameEnd = buf.indexOf(0, at + D_NAME);
    if (nameEnd < 0 || nameEnd > at + reclen) nameEnd = at + reclen;
    const len = nameEnd - at - D_NAME;
    const c0 = buf[at + D_NAME];
    if (c0 === 0x2e && (len === 1 || (len === 2 && buf[at + D_NAME + 1] === 0x2e))) continue;
    const name = (buf as unknown as Utf8Slicing).utf8Slice(at + D_NAME, nameEnd);
    const nameBytes = rawName(buf, at + D_NAME, nameEnd, name);
    const type = buf[at + D_TYPE];
    let kind: Kind;
    if (type !== DT_UNKNOWN) kind = kindOfType[type & 15];
    else {
      try {
        kind = dirStatPath(t, r.dir, nameBytes ?? name, { followSymlinks: false }).kind;
      } catch (e) {
        if (IoError.is(e, "FileNotFound")) continue; // removed since the batch was read
        if (IoError.is(e, "Canceled")) throw e;
        kind = "unknown";
      }
    }
    return nameBytes === undefined ? { name, kind } : { name, kind, nameBytes };
  }
}
