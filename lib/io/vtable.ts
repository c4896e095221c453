// The Io vtable: what an implementation of `Io` provides. Entries are named
// and ordered as Zig's `io()` (Zig's Io.VTable); each takes the
// implementation's `userdata` first.
//
// Entries after "port-specific" are this port's own: the non-blocking twins
// of blocking entries, AbortSignal interop, and `sharedHeap`, because objects
// that several threads touch must live in memory every thread maps, and only
// the implementation knows where that is.
import type { Heap } from "../substrate/heap.ts";
import type { Condition } from "./condition.ts";
import type { Future, Outcome } from "./future.ts";
import type { Group } from "./group.ts";
import type { Io } from "./io.ts";
import type { Mutex } from "./mutex.ts";
import type { SharedKind } from "./shared.ts";
import type { IoError } from "./errors.ts";
import type { IpAddress, UnixAddress } from "../net/address.ts";
import type { Interface, InterfaceName } from "../net/interface.ts";
import type { HostName } from "../net/host_name.ts";
import type { LookupOptions, LookupResult } from "../net/dns/lookup_types.ts";
import type { Queue } from "./queue.ts";
import type {
  BindOptions,
  ConnectOptions,
  IncomingMessage,
  ListenOptions,
  OutgoingMessage,
  ReceiveFlags,
  SendFlags,
  Server,
  Socket,
  Stream,
  UnixListenOptions,
} from "../net/socket.ts";
import type { Dir } from "../fs/dir.ts";
import type { File, Offset } from "../fs/file.ts";
import type { DirReader } from "../fs/dir_reader.ts";
import type {
  AccessOptions,
  PathLike,
  CreateFlags,
  DirEntry,
  DirOpenOptions,
  OpenFlags,
  Stat,
  StatPathOptions,
} from "../fs/types.ts";
import type { ClockName, Timeout, Timestamp } from "./time.ts";

/** How many waiters a condition or futex wake releases. */
export type Wake = "one" | "all";
/** Any function a task can run (its arguments are checked where it is called). */
export type AnyFn = (...args: never[]) => unknown;

/** The functions an `Io` implementation provides (Zig's `Io.VTable`), grouped
 * by area: futures and cancelation, groups, select, sync, time, files and
 * directories, sockets, host-name lookup. `Threaded` implements every entry;
 * application code calls the `Io`, `Future`, `File`, ... methods instead. */
export interface VTable<U = unknown> {
  // 1. futures and cancelation
  async(userdata: U, io: Io<U>, fn: AnyFn, args: readonly unknown[]): Future<unknown>;
  concurrent(userdata: U, io: Io<U>, fn: AnyFn, args: readonly unknown[]): Future<unknown>;
  await(userdata: U, future: Future<unknown>): Outcome;
  cancel(userdata: U, future: Future<unknown>): Outcome;
  cancelRequested(userdata: U): boolean;
  select(userdata: U, futures: readonly Future<unknown>[]): number;
  // 2. groups
  groupAsync(userdata: U, group: Group, fn: AnyFn, args: readonly unknown[]): void;
  groupConcurrent(userdata: U, group: Group, fn: AnyFn, args: readonly unknown[]): void;
  groupWait(userdata: U, group: Group): void;
  groupCancel(userdata: U, group: Group): void;
  // 3. mutex slow paths (the fast paths are in Mutex itself)
  mutexLock(userdata: U, prevState: number, mutex: Mutex): void;
  mutexLockUncancelable(userdata: U, prevState: number, mutex: Mutex): void;
  mutexUnlock(userdata: U, prevState: number, mutex: Mutex): void;
  // 4. condition
  conditionWait(userdata: U, cond: Condition, mutex: Mutex): void;
  conditionWaitUncancelable(userdata: U, cond: Condition, mutex: Mutex): void;
  conditionWake(userdata: U, cond: Condition, wake: Wake): void;
  // 5. files and directories
  dirMake(userdata: U, dir: Dir, path: PathLike, mode: number): void;
  dirMakePath(userdata: U, dir: Dir, path: PathLike, mode: number): void;
  dirMakeOpenPath(userdata: U, dir: Dir, path: PathLike, options: DirOpenOptions): Dir;
  dirStat(userdata: U, dir: Dir): Stat;
  dirStatPath(userdata: U, dir: Dir, path: PathLike, options: StatPathOptions): Stat;
  fileStat(userdata: U, file: File): Stat;
  dirAccess(userdata: U, dir: Dir, path: PathLike, options: AccessOptions): void;
  dirCreateFile(userdata: U, dir: Dir, path: PathLike, flags: CreateFlags): File;
  dirOpenFile(userdata: U, dir: Dir, path: PathLike, flags: OpenFlags): File;
  dirOpenDir(userdata: U, dir: Dir, path: PathLike, options: DirOpenOptions): Dir;
  dirClose(userdata: U, dir: Dir): void;
  fileClose(userdata: U, file: File): void;
  fileWriteStreaming(userdata: U, file: File, bufs: readonly Uint8Array[]): number;
  fileWritePositional(userdata: U, file: File, bufs: readonly Uint8Array[], offset: Offset): number;
  fileReadStreaming(userdata: U, file: File, bufs: readonly Uint8Array[]): number;
  fileReadPositional(userdata: U, file: File, bufs: readonly Uint8Array[], offset: Offset): number;
  fileSeekBy(userdata: U, file: File, offset: Offset): void;
  fileSeekTo(userdata: U, file: File, offset: Offset): void;
  openSelfExe(userdata: U, flags: OpenFlags): File;
  /** Port-specific: open `path` and read into `buffer` until the end (the
   * byte count, file closed) or not (the open file and the count so far). */
  dirReadFileStart(
    userdata: U,
    dir: Dir,
    path: PathLike,
    buffer: Uint8Array,
  ): number | { file: File; read: number };
  /** Later Zig's dirRead: the reader's next entry, null at the end. */
  dirRead(userdata: U, reader: DirReader): DirEntry | null;
  // 6. time
  now(userdata: U, clock: ClockName): Timestamp;
  sleep(userdata: U, timeout: Timeout): void;
  // 7. networking
  netListenIp(userdata: U, address: IpAddress, options: ListenOptions): Server;
  netListenUnix(userdata: U, address: UnixAddress, options: UnixListenOptions): number;
  netAccept(userdata: U, listenHandle: number): Stream;
  netBindIp(userdata: U, address: IpAddress, options: BindOptions): Socket;
  netConnectIp(userdata: U, address: IpAddress, options: ConnectOptions): Stream;
  netConnectUnix(userdata: U, address: UnixAddress): number;
  netClose(userdata: U, handle: number): void;
  /** Not in Zig's interface: closes a listening socket so that an accept
   * blocked in it on another thread returns (SocketNotListening) instead of
   * blocking for good (Linux: shutdown(SHUT_RD) first). */
  netCloseListening(userdata: U, handle: number): void;
  /** Not in Zig's interface: ends the calls blocked on a socket that is
   * being closed through another object over it (Linux: shutdown
   * SHUT_RDWR; reads then see the end of the stream, an accept
   * SocketNotListening); the last of them closes it (descriptor_cell.ts). */
  netShutdown(userdata: U, handle: number): void;
  netRead(userdata: U, handle: number, bufs: readonly Uint8Array[]): number;
  netWrite(
    userdata: U,
    handle: number,
    header: Uint8Array,
    data: readonly Uint8Array[],
    splat: number,
  ): number;
  netSend(
    userdata: U,
    handle: number,
    messages: OutgoingMessage[],
    flags: SendFlags,
  ): { err: IoError | null; count: number };
  netReceive(
    userdata: U,
    handle: number,
    max: number,
    buffer: Uint8Array,
    flags: ReceiveFlags,
    timeout: Timeout,
    /** Control (ancillary data) buffers: the i-th message's goes to
     * `controls[i]`; none when absent or shorter. */
    controls?: readonly Uint8Array[],
  ): { err: IoError | null; messages: IncomingMessage[] };
  netInterfaceNameResolve(userdata: U, name: InterfaceName): Interface;
  netInterfaceName(userdata: U, iface: Interface): InterfaceName;
  netLookup(userdata: U, host: HostName, queue: Queue<LookupResult>, options: LookupOptions): void;
  // port-specific
  /** Every address of `host` and its canonical name, or the lookup's error
   * thrown: netLookup without a queue, so no count of addresses can fill
   * one that is drained only afterwards. */
  netLookupAll(
    userdata: U,
    host: HostName,
    options: LookupOptions,
  ): { addresses: IpAddress[]; canonicalName: HostName };
  awaitAsync(userdata: U, future: Future<unknown>): Promise<Outcome>;
  isDone(userdata: U, future: Future<unknown>): boolean;
  requestCancel(userdata: U, future: Future<unknown>): void;
  selectAsync(userdata: U, futures: readonly Future<unknown>[]): Promise<number>;
  groupWaitAsync(userdata: U, group: Group): Promise<void>;
  groupRequestCancel(userdata: U, group: Group): void;
  abortSignal(userdata: U): AbortSignal;
  sharedHeap(userdata: U): Heap;
  /** Turns a shared reference that crossed the heap into a live object:
   * `gen` is the generation its handle carried (heap objects). */
  revive(userdata: U, kind: SharedKind, ref: number, gen?: number, extra?: number): unknown;
}
