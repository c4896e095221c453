// `Io.Dir`: a directory descriptor (or the cwd) and the calls on it, each
// forwarding to the Io's vtable, plus makePath by the interface's algorithm
// and the whole-file helpers readFile / writeFile.
import { IoError } from "../io/errors.ts";
import type { Io } from "../io/io.ts";
import { SHARED_REF, type SharedObject } from "../io/shared.ts";
import type { File } from "./file.ts";
import {
  defaultDirMode,
  type AccessOptions,
  type CreateFlags,
  type DirOpenOptions,
  type OpenFlags,
  type Stat,
  type StatPathOptions,
} from "./types.ts";

/** The handle `Dir.cwd()` stands for; the vtable maps it to AT_FDCWD. */
export const CWD_HANDLE = -100_000;

export type MakePathStatus = "existed" | "created";

export class Dir implements SharedObject {
  constructor(readonly handle: number) {}

  [SHARED_REF](): readonly ["dir", number] {
    return ["dir", this.handle];
  }

  /** The process's working directory. Not to be closed. */
  static cwd(): Dir {
    return new Dir(CWD_HANDLE);
  }

  openFile(io: Io, path: string, flags: OpenFlags = {}): File {
    return io.vtable.dirOpenFile(io.userdata, this, path, flags);
  }

  createFile(io: Io, path: string, flags: CreateFlags = {}): File {
    return io.vtable.dirCreateFile(io.userdata, this, path, flags);
  }

  makeDir(io: Io, path: string, mode = defaultDirMode): void {
    io.vtable.dirMake(io.userdata, this, path, mode);
  }

  /** Creates `path` and any missing parents; fine if it exists as a dir. */
  makePath(io: Io, path: string): void {
    makePathStatus(io, this, path);
  }

  /** As makePath, saying whether anything was created. */
  makePathStatus(io: Io, path: string): MakePathStatus {
    return makePathStatus(io, this, path);
  }

  makeOpenPath(io: Io, path: string, options: DirOpenOptions = {}): Dir {
    return io.vtable.dirMakeOpenPath(io.userdata, this, path, options);
  }

  openDir(io: Io, path: string, options: DirOpenOptions = {}): Dir {
    return io.vtable.dirOpenDir(io.userdata, this, path, options);
  }

  /** Stats `path` relative to this directory (an absolute path ignores it). */
  statPath(io: Io, path: string, options: StatPathOptions = {}): Stat {
    return io.vtable.dirStatPath(io.userdata, this, path, options);
  }

  stat(io: Io): Stat {
    return io.vtable.dirStat(io.userdata, this);
  }

  access(io: Io, path: string, options: AccessOptions = {}): void {
    io.vtable.dirAccess(io.userdata, this, path, options);
  }

  close(io: Io): void {
    if (this.handle === CWD_HANDLE) throw new RangeError("The cwd is not to be closed");
    io.vtable.dirClose(io.userdata, this);
  }

  /** Reads `path` into `buffer`; returns the part filled. A full buffer is
   * ambiguous (the file may be longer), as in Zig. */
  readFile(io: Io, path: string, buffer: Uint8Array): Uint8Array {
    const file = this.openFile(io, path);
    try {
      let n = 0;
      while (n < buffer.length) {
        const got = file.readStreaming(io, buffer.subarray(n));
        if (got === 0) break;
        n += got;
      }
      return buffer.subarray(0, n);
    } finally {
      file.close(io);
    }
  }

  /** Reads the whole of `path`. */
  readFileAlloc(io: Io, path: string, limit = 1 << 30): Uint8Array {
    const file = this.openFile(io, path);
    try {
      return file.reader(io).readAll(limit);
    } finally {
      file.close(io);
    }
  }

  /** Creates (or truncates) `subPath`, writes `data`, closes it. */
  writeFile(
    io: Io,
    options: { subPath: string; data: string | Uint8Array; flags?: CreateFlags },
  ): void {
    const bytes =
      typeof options.data === "string" ? new TextEncoder().encode(options.data) : options.data;
    const file = this.createFile(io, options.subPath, options.flags);
    try {
      file.writeAll(io, bytes);
    } finally {
      file.close(io);
    }
  }
}

/** Prefix paths of each component: "a/b/c" → ["a", "a/b", "a/b/c"],
 * "/x/y/" → ["/x", "/x/y"]. */
export function pathPrefixes(path: string): string[] {
  const absolute = path.startsWith("/");
  const parts = path.split("/").filter((p) => p.length > 0);
  const out: string[] = [];
  let acc = absolute ? "" : ".";
  for (const p of parts) {
    acc = acc === "." ? p : `${acc}/${p}`;
    out.push(acc);
  }
  return out;
}

/** The interface's makePath: try the whole path first, step back on
 * FileNotFound, then forward; an existing component must be a directory. A
 * component made by someone else meanwhile counts as existing. Each
 * directory made gets `mode` (the vtable's dirMakePath passes its own). */
export function makePathStatus(
  io: Io,
  dir: Dir,
  path: string,
  mode: number = defaultDirMode,
): MakePathStatus {
  const prefixes = pathPrefixes(path);
  if (prefixes.length === 0)
    throw new IoError("BadPathName", {
      message: `BadPathName: "${path}" has no component to make`,
      path,
    });
  let i = prefixes.length - 1;
  let status: MakePathStatus = "existed";
  for (;;) {
    try {
      dir.makeDir(io, prefixes[i], mode);
      status = "created";
    } catch (e) {
      if (IoError.is(e, "PathAlreadyExists")) {
        let isDir: boolean;
        try {
          isDir = dir.statPath(io, prefixes[i]).kind === "directory";
        } catch (se) {
          if (!IoError.is(se, "IsDir")) throw se;
          isDir = true;
        }
        if (!isDir)
          throw new IoError("NotDir", {
            message: `NotDir: "${prefixes[i]}" exists and is not a directory`,
            path: prefixes[i],
          });
      } else if (IoError.is(e, "FileNotFound")) {
        if (i === 0) throw e;
        i--;
        continue;
      } else {
        throw e;
      }
    }
    if (i === prefixes.length - 1) return status;
    i++;
  }
}
