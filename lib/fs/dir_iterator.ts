// `Dir.Iterator`: the entries of one directory, in the order the file
// system keeps them, read in batches through the vtable's dirRead. It
// starts at the first entry (the descriptor's position is reset first), and
// `reset()` starts over. The directory must be opened with `iterate: true`.
import type { Io } from "../io/io.ts";
import type { Dir } from "./dir.ts";
import { isDirClosed, usedAfterClose } from "../io/close_once.ts";
import { closedElsewhere, withUse } from "../io/descriptor_cell.ts";
import { checkOneOf, checkOptions, optionNames } from "../io/check_options.ts";
import { DirReader, type DirReaderState } from "./dir_reader.ts";
import type { DirEntry } from "./types.ts";

/** Options of `Dir.iterate`. */
export interface IterateOptions {
  /** Bytes read per batch (default 8 KiB). */
  readonly bufferBytes?: number;
}

const ITERATE_OPTION_NAMES = optionNames<IterateOptions>({ bufferBytes: true });
const READER_STATES: readonly DirReaderState[] = ["reset", "reading", "finished"];

/** `Dir.Iterator`: a directory's entries in the order the file system keeps
 * them (not `.` or `..`), read in batches; cancelable between batches.
 * Iterable with `for…of`; `next()` returns null at the end. */
export class DirIterator implements Iterable<DirEntry> {
  readonly reader: DirReader;

  constructor(
    readonly io: Io,
    readonly dir: Dir,
    options: IterateOptions = {},
    state: DirReaderState = "reset",
  ) {
    checkOptions(options, "Dir.iterate", ITERATE_OPTION_NAMES);
    checkOneOf(state, "Directory reader state", READER_STATES);
    this.reader = new DirReader(dir, options.bufferBytes, state);
  }

  /** The next entry, or null at the end. Throws IterateError codes. */
  next(): DirEntry | null {
    if (isDirClosed(this.dir)) throw usedAfterClose("Dir", this.dir.handle);
    if (closedElsewhere(this.dir)) throw usedAfterClose("Dir", this.dir.handle, true);
    const { dir, io } = this;
    // A use of the descriptor's cell (descriptor_cell.ts), as Dir's calls.
    return withUse(
      dir,
      () => usedAfterClose("Dir", dir.handle, true),
      () => io.vtable.dirClose(io.userdata, dir),
      () => io.vtable.dirRead(io.userdata, this.reader),
    );
  }

  /** Starts over from the first entry. */
  reset(): void {
    this.reader.reset();
  }

  *[Symbol.iterator](): Iterator<DirEntry> {
    for (let e = this.next(); e !== null; e = this.next()) yield e;
  }
}
