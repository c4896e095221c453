// The checks of the fs option structs (types.ts), made by the Dir and File
// entries before the vtable call: an unknown name (`lockNonBlocking`, which
// left the open blocking in flock forever) is a TypeError, a mode or lock
// outside Zig's enum a RangeError (lib/io/check_options.ts).
import { checkOneOf, checkOptions, optionNames } from "../io/check_options.ts";
import { checkCount } from "../io/validate.ts";
import type {
  AccessOptions,
  CreateFlags,
  DirOpenOptions,
  Lock,
  OpenFlags,
  OpenMode,
  StatPathOptions,
} from "./types.ts";

const OPEN_MODES: readonly OpenMode[] = ["read_only", "write_only", "read_write"];
const LOCKS: readonly Lock[] = ["none", "shared", "exclusive"];

const OPEN_FLAG_NAMES = optionNames<OpenFlags>({
  mode: true,
  lock: true,
  lockNonblocking: true,
  allowCtty: true,
  followSymlinks: true,
});

const CREATE_FLAG_NAMES = optionNames<CreateFlags>({
  read: true,
  truncate: true,
  exclusive: true,
  lock: true,
  lockNonblocking: true,
  mode: true,
});

const DIR_OPEN_OPTION_NAMES = optionNames<DirOpenOptions>({
  accessSubPaths: true,
  iterate: true,
  followSymlinks: true,
});

const ACCESS_OPTION_NAMES = optionNames<AccessOptions>({
  followSymlinks: true,
  read: true,
  write: true,
  execute: true,
});

const STAT_PATH_OPTION_NAMES = optionNames<StatPathOptions>({ followSymlinks: true });

/** `where` is the call (`openFile`, `File.openAbsolute`). */
export function checkOpenFlags(flags: OpenFlags, where: string): void {
  checkOptions(flags, where, OPEN_FLAG_NAMES);
  if (flags.mode !== undefined) checkOneOf(flags.mode, "Open mode", OPEN_MODES);
  if (flags.lock !== undefined) checkOneOf(flags.lock, "Lock", LOCKS);
}

export function checkCreateFlags(flags: CreateFlags, where: string): void {
  checkOptions(flags, where, CREATE_FLAG_NAMES);
  if (flags.lock !== undefined) checkOneOf(flags.lock, "Lock", LOCKS);
  if (flags.mode !== undefined) checkCount(flags.mode, "Mode", 0, 0o7777);
}

export function checkDirOpenOptions(options: DirOpenOptions, where: string): void {
  checkOptions(options, where, DIR_OPEN_OPTION_NAMES);
}

export function checkAccessOptions(options: AccessOptions): void {
  checkOptions(options, "access", ACCESS_OPTION_NAMES);
}

export function checkStatPathOptions(options: StatPathOptions): void {
  checkOptions(options, "statPath", STAT_PATH_OPTION_NAMES);
}
