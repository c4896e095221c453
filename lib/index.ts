// threaded-io: Zig's std.Io and std.Io.Threaded for Bun. Public exports only.
import "./runtime_check.ts";
// A pool thread's loop: starts only in a Worker whose entry is pool_thread.ts.
import "./threaded/worker_entry.ts";
export { Threaded, type ThreadedOptions, type ThreadedHandle } from "./threaded/threaded.ts";
export type { ThreadedStats } from "./threaded/stats.ts";
export type {
  ChromeTrace,
  TraceEvent,
  TraceOptions,
  TraceSummary,
} from "./threaded/trace_writer.ts";
export { Io } from "./io/io.ts";
export type { AnyFn, VTable, Wake } from "./io/vtable.ts";
export { task } from "./substrate/tasks.ts";
export { registerErrorClass } from "./substrate/error_record.ts";
export { Future, type Outcome } from "./io/future.ts";
export { Group } from "./io/group.ts";
export { Queue } from "./io/queue.ts";
export { SharedBytes } from "./io/shared_bytes.ts";
export type { NativeMemoryStats } from "./substrate/native_memory.ts";
export { Dir, type MakePathStatus } from "./fs/dir.ts";
export { File, type Offset } from "./fs/file.ts";
export type { BufferedReader } from "./io/buffered_reader.ts";
export { DirIterator, type IterateOptions } from "./fs/dir_iterator.ts";
export { DirReader, type DirReaderState } from "./fs/dir_reader.ts";
export { Walker, type WalkerEntry, type WalkOptions } from "./fs/walker.ts";
export { FileReader, type ReaderMode } from "./fs/reader.ts";
export { FileWriter, type WriterMode } from "./fs/writer.ts";
export type * from "./fs/types.ts";
export { defaultDirMode, defaultFileMode } from "./fs/types.ts";
export { Mutex } from "./io/mutex.ts";
export { Condition } from "./io/condition.ts";
export { ResetEvent } from "./io/reset_event.ts";
export {
  Clock,
  ClockDuration,
  ClockTimestamp,
  Duration,
  Timeout,
  Timestamp,
  type ClockName,
  type CompareOp,
} from "./io/time.ts";
export {
  BugError,
  Canceled,
  IoError,
  debug,
  type AllocationError,
  type Cancelable,
  type ClockError,
  type ConcurrentError,
  type IoErrorDetails,
  type SleepError,
  type TimeoutError,
  type UnexpectedError,
} from "./io/errors.ts";
export type { ErrnoName } from "./os/index.ts";
export { IpAddress, UnixAddress, type Family, type LiteralError } from "./net/address.ts";
export { Ip4Address, type Ip4ParseError } from "./net/ip4.ts";
export { Ip6Address, type Ip6Parsed, type Ip6ParseError } from "./net/ip6.ts";
export { Interface, InterfaceName } from "./net/interface.ts";
export { Protocol } from "./net/protocol.ts";
export {
  Server,
  Socket,
  Stream,
  defaultKernelBacklog,
  type BindOptions,
  type ConnectOptions,
  type IncomingMessage,
  type ListenOptions,
  type OutgoingMessage,
  type Progress,
  type ReceiveFlags,
  type SendFlags,
  type SocketMode,
  type UnixListenOptions,
} from "./net/socket.ts";
export { StreamReader, StreamWriter } from "./net/stream_io.ts";
export { HostName, expand, type Expanded, type ValidateError } from "./net/host_name.ts";
export type { LookupError, LookupOptions, LookupResult } from "./net/dns/lookup_types.ts";
