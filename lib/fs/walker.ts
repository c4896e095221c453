// `Dir.Walker`: every entry under a directory, depth first, as Zig's
// Walker: a stack with one open directory per level below the root; a
// directory's entry is returned before its contents; symbolic links are
// returned, never followed (so a link cycle cannot loop); `path` is
// relative to the root, joined with "/".
//
// Descriptors are bounded: the walker holds at most `maxOpenDirs` of its
// own (the root is the caller's). Going deeper than that closes the
// shallowest open level first, remembering how many entries it had
// returned; coming back to it reopens it from the root by path and skips
// that many entries. If that directory changes meanwhile, entries may be
// skipped or repeated, as with telldir/seekdir. A path of PATH_MAX bytes
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
import type { Kind } from "./types.ts";
import { C } from "../os/index.ts";

/** One entry of `Dir.walk`: its directory, name, path and kind. */
export interface WalkerEntry {
  /** The directory holding this entry (valid until next() returns again). */
  readonly dir: Dir;
  readonly basename: string;
  /** Relative to the walked directory, "/"-separated. */
  readonly path: string;
  readonly kind: Kind;
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
  /** Entries this level has returned (what a reopened level skips). */
  consumed: number;
}

/** `Dir.Walker`: every entry under a directory, depth first, symbolic
 * links returned but never followed, with at most `maxOpenDirs`
 * descriptors open; `using` or `deinit()` closes them. */
export class Walker implements Iterable<WalkerEntry>, Disposable {
  private readonly stack: Level[];
  private readonly maxOpenDirs: number;
  private readonly bufferBytes: number | undefined;
  private open = 0;
  /** The directory entry returned last, to descend into at the next call. */
  private pending: { name: string; path: string } | null = null;

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
    this.stack = [
      { iter: new DirIterator(io, root, { bufferBytes: this.bufferBytes }), path: "", consumed: 0 },
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
      const { path, name } = this.pending;
      this.pending = null;
      this.push(stack[stack.length - 1], name, path);
    }
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const iter = top.iter ?? this.resume(top);
      const e = iter.next();
      if (e === null) {
        stack.pop();
        if (stack.length > 0) this.closeLevel(top);
        continue;
      }
      top.consumed++;
      const path = top.path === "" ? e.name : `${top.path}/${e.name}`;
      if (e.kind === "directory") this.pending = { name: e.name, path };
      return { dir: iter.dir, basename: e.name, path, kind: e.kind };
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

  private push(parent: Level, name: string, path: string): void {
    // Opened through the parent's descriptor, or from the root by path if
    // making room closed the parent.
    let from = parent;
    if (this.open >= this.maxOpenDirs && this.suspendShallowest() === parent) from = this.stack[0];
    let dir: Dir;
    try {
      dir = from === parent ? openLevel(this.io, parent.iter!.dir, name) : this.openFromRoot(path);
    } catch (e) {
      if (!(e instanceof IoError) || e.path === path) throw e;
      throw new IoError(e.code, { errno: e.errno, syscall: e.syscall, path, cause: e });
    }
    this.open++;
    // A directory just opened is at its start: no reset needed.
    const iter = new DirIterator(this.io, dir, { bufferBytes: this.bufferBytes }, "reading");
    this.stack.push({ iter, path, consumed: 0 });
  }

  /** Closes the shallowest open level below the root; returns it. */
  private suspendShallowest(): Level | undefined {
    for (let i = 1; i < this.stack.length; i++) {
      const level = this.stack[i];
      if (level.iter !== null) {
        this.closeLevel(level);
        return level;
      }
    }
    return undefined;
  }

  /** Reopens a suspended level from the root and skips what it returned. */
  private resume(level: Level): DirIterator {
    if (this.open >= this.maxOpenDirs) this.suspendShallowest();
    const dir = this.openFromRoot(level.path);
    this.open++;
    const iter = new DirIterator(this.io, dir, { bufferBytes: this.bufferBytes }, "reading");
    level.iter = iter;
    for (let i = 0; i < level.consumed; i++) if (iter.next() === null) break;
    return iter;
  }

  /** Opens `path` (below the root) from the root: in one call, or a piece
   * at a time if it does not fit PATH_MAX. */
  private openFromRoot(path: string): Dir {
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

function openLevel(io: Io, from: Dir, sub: string): Dir {
  return from.openDir(io, sub, { iterate: true, followSymlinks: false });
}

/** `path` as "/"-joined runs of its components, each under `max` UTF-8
 * bytes (one piece unless the whole path is that long; a component is at
 * most NAME_MAX, 255 bytes). */
function pathPieces(path: string, max: number): string[] {
  if (Buffer.byteLength(path) <= max) return [path];
  const pieces: string[] = [];
  let piece = "";
  let bytes = 0;
  for (const name of path.split("/")) {
    const n = Buffer.byteLength(name);
    if (piece !== "" && bytes + 1 + n > max) {
      pieces.push(piece);
      piece = "";
      bytes = 0;
    }
    piece = piece === "" ? name : `${piece}/${name}`;
    bytes += piece === name ? n : n + 1;
  }
  pieces.push(piece);
  return pieces;
}
