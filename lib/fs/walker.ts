// `Dir.Walker`: every entry under a directory, depth first, as Zig's
// Walker: a stack with one open directory per level below the root; a
// directory's entry is returned before its contents; symbolic links are
// returned, never followed (so a link cycle cannot loop); `path` is
// relative to the root, joined with "/".
//
// Descriptors are bounded: the walker holds at most `maxOpenDirs` of its
// own (the root is the caller's). Going deeper than that closes the
// shallowest open level first, remembering its position (the last entry's
// d_off, a telldir cookie the file system keeps valid for any descriptor of
// that directory); coming back to it reopens it and seeks there. Skipping
// as many entries as it had returned instead left out entries never
// returned whenever returned ones were removed meanwhile: a walk that
// deleted each file it listed missed 64 of 200. A path of PATH_MAX bytes
// or more (a tree deeper than the descriptor budget, with long names) is
// reopened a piece at a time, each piece from the directory the last one
// opened, so no openat ever takes more than PATH_MAX − 1 bytes.
//
// A directory is opened when next() is called after it was returned, so its
// entry (and `entry.dir`) is always valid first, and `skip()` can decline
// it. Errors: iterating a level throws IterateError; opening a subdirectory
// throws DirOpenError (an unreadable directory: AccessDenied, with the
// walker-relative `path`) from that next call, and calling next() again
// carries on with the directory's siblings. (Zig's Walker opens it before
// returning its entry, so there the entry is lost.)
import { checkOptions, optionNames } from "../io/check_options.ts";
import { IoError } from "../io/errors.ts";
import type { Io } from "../io/io.ts";
import type { Dir } from "./dir.ts";
import { DirIterator } from "./dir_iterator.ts";
import type { Kind, PathLike } from "./types.ts";
import { C } from "../os/index.ts";

/** One entry of `Dir.walk`: its directory, name, path and kind. */
export interface WalkerEntry {
  /** The directory holding this entry (valid until next() returns again). */
  readonly dir: Dir;
  /** The name decoded as UTF-8 (bytes that are not UTF-8 become U+FFFD). */
  readonly basename: string;
  /** Relative to the walked directory, "/"-separated, decoded as `basename`. */
  readonly path: string;
  readonly kind: Kind;
  /** The name's bytes, only when they are not valid UTF-8: then
   * `entry.dir.openFile(io, entry.basenameBytes ?? entry.basename)`. */
  readonly basenameBytes?: Uint8Array;
  /** The path's bytes, only when a component of it is not valid UTF-8. */
  readonly pathBytes?: Uint8Array;
}

/** Options of `Dir.walk`. */
export interface WalkOptions {
  /** Most directories the walker keeps open at once (default 64, ≥ 1). */
  readonly maxOpenDirs?: number;
  /** Bytes read per batch in each directory (default 8 KiB). */
  readonly bufferBytes?: number;
}

export const DEFAULT_MAX_OPEN_DIRS = 64;

const WALK_OPTION_NAMES = optionNames<WalkOptions>({ maxOpenDirs: true, bufferBytes: true });

interface Level {
  /** null while the level is suspended (its descriptor closed). */
  iter: DirIterator | null;
  readonly path: string;
  /** The path's bytes, only when a component is not UTF-8. */
  readonly pathBytes: Uint8Array | undefined;
  /** Entries this level has returned (what a reopened level skips when
   * it has no position). */
  consumed: number;
  /** Where it was when it was suspended (DirReader.position). */
  position: bigint | undefined;
  /** Its inode, taken when it was suspended: a child's ".." must be it. */
  inode: bigint | undefined;
}

/** A directory entry next() returned, to descend into at the next call. */
interface Pending {
  readonly name: PathLike;
  readonly path: string;
  readonly pathBytes: Uint8Array | undefined;
}

/** `Dir.Walker`: every entry under a directory, depth first, symbolic
 * links returned but never followed, with at most `maxOpenDirs`
 * descriptors open; `using` or `deinit()` closes them. */
export class Walker implements Iterable<WalkerEntry>, Disposable {
  private readonly stack: Level[];
  private readonly maxOpenDirs: number;
  private readonly bufferBytes: number | undefined;
  private open = 0;
  private pending: Pending | null = null;

  constructor(
    readonly io: Io,
    readonly root: Dir,
    options: WalkOptions = {},
  ) {
    checkOptions(options, "Dir.walk", WALK_OPTION_NAMES);
    const max = options.maxOpenDirs ?? DEFAULT_MAX_OPEN_DIRS;
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`maxOpenDirs "${max}" is not a positive integer`);
    this.maxOpenDirs = max;
    this.bufferBytes = options.bufferBytes;
    const iter = new DirIterator(io, root, { bufferBytes: this.bufferBytes });
    this.stack = [
      { iter, path: "", pathBytes: undefined, consumed: 0, inode: undefined, position: undefined },
    ];
  }

  /** Directories below the root the walker holds open now. */
  get openDirs(): number {
    return this.open;
  }

  /** The next entry, or null when the walk is over. */
  next(): WalkerEntry | null {
    const stack = this.stack;
    if (this.pending !== null) {
      // Descend into the directory returned last. On failure it is left
      // out and the next call carries on with its siblings.
      const pending = this.pending;
      this.pending = null;
      this.push(stack[stack.length - 1], pending);
    }
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const iter = top.iter ?? this.resume(top);
      const e = iter.next();
      if (e === null) {
        this.finish(top);
        continue;
      }
      top.consumed++;
      const path = top.path === "" ? e.name : `${top.path}/${e.name}`;
      const raw = e.nameBytes;
      if (raw === undefined && top.pathBytes === undefined) {
        if (e.kind === "directory") this.pending = { name: e.name, path, pathBytes: undefined };
        return { dir: iter.dir, basename: e.name, path, kind: e.kind };
      }
      const pathBytes = joinBytes(top.pathBytes ?? top.path, raw ?? e.name);
      if (e.kind === "directory") this.pending = { name: raw ?? e.name, path, pathBytes };
      const entry = { dir: iter.dir, basename: e.name, path, kind: e.kind, pathBytes };
      return raw === undefined ? entry : { ...entry, basenameBytes: raw };
    }
    return null;
  }

  /** Does not descend into the directory next() just returned (Zig's
   * SelectiveWalker leaves it to the caller to enter). */
  skip(): void {
    this.pending = null;
  }

  /** Closes every directory the walker opened. Safe to call twice. */
  deinit(): void {
    this.pending = null;
    while (this.stack.length > 1) this.closeLevel(this.stack.pop()!);
    this.stack.length = 0;
  }

  [Symbol.dispose](): void {
    this.deinit();
  }

  *[Symbol.iterator](): Iterator<WalkerEntry> {
    try {
      for (let e = this.next(); e !== null; e = this.next()) yield e;
    } finally {
      this.deinit();
    }
  }

  private push(parent: Level, sub: Pending): void {
    // Opened through the parent's descriptor, or from the root by path if
    // making room closed the parent.
    let fromParent = true;
    if (this.open >= this.maxOpenDirs && this.suspendShallowest() === parent) fromParent = false;
    const dir = withWalkPath(sub.path, () =>
      fromParent
        ? openLevel(this.io, parent.iter!.dir, sub.name)
        : this.openFromRoot(sub.pathBytes ?? sub.path),
    );
    this.open++;
    // A directory just opened is at its start: no reset needed.
    const iter = new DirIterator(this.io, dir, { bufferBytes: this.bufferBytes }, "reading");
    const { path, pathBytes } = sub;
    this.stack.push({ iter, path, pathBytes, consumed: 0, inode: undefined, position: undefined });
  }

  /** Closes the shallowest open level below the root; returns it. The open
   * levels are the deepest ones (a level is suspended before any deeper
   * one), so it is found from the top. */
  private suspendShallowest(): Level | undefined {
    let i = this.stack.length - 1;
    while (i > 1 && this.stack[i - 1].iter !== null) i--;
    const level = this.stack[i];
    if (i < 1 || level.iter === null) return undefined;
    // Kept to know it again as a child's ".." (without it, resume() goes
    // by path).
    try {
      level.inode = level.iter.dir.stat(this.io).inode;
    } catch (e) {
      if (IoError.is(e, "Canceled")) throw e;
      level.inode = undefined;
    }
    level.position = level.iter.reader.position();
    this.closeLevel(level);
    return level;
  }

  /** Pops the finished top level. A suspended parent is reopened as its
   * "..", while its descriptor is still there to open it from. */
  private finish(top: Level): void {
    const stack = this.stack;
    stack.pop();
    if (stack.length === 0) return; // the root: the caller's
    const parent = stack[stack.length - 1];
    try {
      // Within the budget: with the child open, one more must be allowed.
      if (parent.iter === null && parent.inode !== undefined && this.open < this.maxOpenDirs)
        this.reopenAsParent(parent, top.iter!.dir);
    } finally {
      this.closeLevel(top);
    }
  }

  private reopenAsParent(level: Level, child: Dir): void {
    let dir: Dir;
    try {
      dir = openLevel(this.io, child, "..");
    } catch (e) {
      if (IoError.is(e, "Canceled")) throw e;
      return; // resume() tries by path, and reports what it finds
    }
    let same = false;
    try {
      same = dir.stat(this.io).inode === level.inode;
    } finally {
      if (!same) dir.close(this.io); // the child was moved elsewhere
    }
    if (same) this.adopt(level, dir);
  }

  /** Reopens a suspended level from the root by path. If that fails, the
   * level is left (with what it had not returned yet) and the error thrown
   * once: the next call carries on with its parent. */
  private resume(level: Level): DirIterator {
    if (this.open >= this.maxOpenDirs) this.suspendShallowest();
    try {
      const dir = withWalkPath(level.path, () => this.openFromRoot(level.pathBytes ?? level.path));
      this.checkSame(level, dir);
      return this.adopt(level, dir);
    } catch (e) {
      // Canceled leaves it, to be tried again by a later next().
      if (!IoError.is(e, "Canceled") && this.stack[this.stack.length - 1] === level)
        this.stack.pop();
      throw e;
    }
  }

  /** A level reopened by path must be the directory it suspended: a path
   * opened from the root follows a symbolic link put in place of a
   * directory above it (O_NOFOLLOW guards only the last name), and the
   * walk listed a directory outside the tree. Checked by inode (Zig's
   * Stat has no device): a level replaced is left, as one removed. */
  private checkSame(level: Level, dir: Dir): void {
    if (level.inode === undefined) return;
    let same = false;
    try {
      same = dir.stat(this.io).inode === level.inode;
    } finally {
      if (!same) dir.close(this.io);
    }
    if (!same)
      throw new IoError("FileNotFound", {
        message: `FileNotFound: "${level.path}" was replaced while the walk had it closed (maxOpenDirs); the walk leaves it`,
        path: level.path,
      });
  }

  /** Makes `dir` the level's descriptor, past the entries it returned. */
  private adopt(level: Level, dir: Dir): DirIterator {
    const iter = new DirIterator(this.io, dir, { bufferBytes: this.bufferBytes }, "reading");
    try {
      if (level.position !== undefined) iter.reader.resumeAt(level.position);
      else for (let i = 0; i < level.consumed; i++) if (iter.next() === null) break;
    } catch (e) {
      dir.close(this.io);
      throw e;
    }
    level.iter = iter;
    this.open++;
    return iter;
  }

  /** Opens `path` (below the root) from the root: in one call, or a piece
   * at a time if it does not fit PATH_MAX. */
  private openFromRoot(path: PathLike): Dir {
    const pieces = pathPieces(path, C.PATH_MAX - 1);
    let dir = openLevel(this.io, this.root, pieces[0]);
    for (let i = 1; i < pieces.length; i++) {
      let next: Dir;
      try {
        next = openLevel(this.io, dir, pieces[i]);
      } finally {
        dir.close(this.io); // the intermediate piece's own descriptor
      }
      dir = next;
    }
    return dir;
  }

  private closeLevel(level: Level): void {
    if (level.iter === null) return;
    const dir = level.iter.dir;
    level.iter = null;
    this.open--;
    dir.close(this.io);
  }
}

function openLevel(io: Io, from: Dir, sub: PathLike): Dir {
  return from.openDir(io, sub, { iterate: true, followSymlinks: false });
}

/** Runs `open`; an IoError it throws names `path`, walker-relative. */
function withWalkPath(path: string, open: () => Dir): Dir {
  try {
    return open();
  } catch (e) {
    if (!(e instanceof IoError) || e.path === path) throw e;
    throw new IoError(e.code, { errno: e.errno, syscall: e.syscall, path, cause: e });
  }
}

const SLASH = 0x2f;

/** `parent/name` as bytes (a path with a name that is not UTF-8). */
function joinBytes(parent: PathLike, name: PathLike): Uint8Array {
  const p = typeof parent === "string" ? Buffer.from(parent) : parent;
  const n = typeof name === "string" ? Buffer.from(name) : name;
  if (p.length === 0) return Uint8Array.from(n);
  const out = new Uint8Array(p.length + 1 + n.length);
  out.set(p);
  out[p.length] = SLASH;
  out.set(n, p.length + 1);
  return out;
}

/** `path` as "/"-joined runs of its components, each under `max` bytes
 * (one piece unless the whole path is that long; a component is at most
 * NAME_MAX, 255 bytes). */
function pathPieces(path: PathLike, max: number): PathLike[] {
  if (typeof path === "string" && Buffer.byteLength(path) <= max) return [path];
  const bytes = typeof path === "string" ? Buffer.from(path) : path;
  if (bytes.length <= max) return [bytes];
  const pieces: Uint8Array[] = [];
  let start = 0; // of the current piece
  let end = 0; // of its last whole component
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== SLASH) continue;
    if (i - start > max && end > start) {
      pieces.push(bytes.subarray(start, end));
      start = end + 1;
    }
    end = i;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}
