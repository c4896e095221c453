// The checks `listen`, `bind`, `connect`, `sendMany` and
// `receiveManyTimeout` make on their options before any syscall: unknown
// names (`reuseAdress`) are a TypeError, a socket mode outside
// `SocketMode` a RangeError (it reached socket(2) as ESOCKTNOSUPPORT), and
// a missing mode a TypeError saying so (lib/io/check_options.ts), and a
// protocol outside `Protocol` a RangeError (protocol.ts).
import { checkOneOf, checkOptions, optionNames } from "../io/check_options.ts";
import { checkCount } from "../io/validate.ts";
import { checkProtocol } from "./protocol.ts";
import type {
  BindOptions,
  ConnectOptions,
  ListenOptions,
  ReceiveFlags,
  SendFlags,
  SocketMode,
  UnixListenOptions,
} from "./socket.ts";

const SOCKET_MODES: readonly SocketMode[] = ["stream", "dgram", "seqpacket", "raw", "rdm"];

const LISTEN_OPTION_NAMES = optionNames<ListenOptions>({
  kernelBacklog: true,
  reuseAddress: true,
  mode: true,
  protocol: true,
});
const UNIX_LISTEN_OPTION_NAMES = optionNames<UnixListenOptions>({ kernelBacklog: true });
const BIND_OPTION_NAMES = optionNames<BindOptions>({ ip6Only: true, mode: true, protocol: true });
const CONNECT_OPTION_NAMES = optionNames<ConnectOptions>({
  mode: true,
  protocol: true,
  timeout: true,
});
const SEND_FLAG_NAMES = optionNames<SendFlags>({
  confirm: true,
  dontRoute: true,
  eor: true,
  oob: true,
  fastopen: true,
});
const RECEIVE_FLAG_NAMES = optionNames<ReceiveFlags>({ oob: true, peek: true, trunc: true });

/** listen(2) takes an int backlog; the kernel caps it at somaxconn. */
export function checkListenOptions(options: ListenOptions): void {
  checkOptions(options, "listen", LISTEN_OPTION_NAMES);
  checkBacklog(options);
  if (options.mode !== undefined) checkOneOf(options.mode, "Socket mode", SOCKET_MODES);
  checkProtocol(options.protocol);
}

export function checkUnixListenOptions(options: UnixListenOptions): void {
  checkOptions(options, "listen", UNIX_LISTEN_OPTION_NAMES);
  checkBacklog(options);
}

/** `bind` and `connect` have no default mode, as in Zig. */
export function checkBindOptions(options: BindOptions): void {
  needsMode(options, "bind");
  checkOptions(options, "bind", BIND_OPTION_NAMES);
  checkOneOf(options.mode, "Socket mode", SOCKET_MODES);
  checkProtocol(options.protocol);
}

export function checkConnectOptions(options: ConnectOptions): void {
  needsMode(options, "connect");
  checkOptions(options, "connect", CONNECT_OPTION_NAMES);
  checkOneOf(options.mode, "Socket mode", SOCKET_MODES);
  checkProtocol(options.protocol);
}

export function checkSendFlags(flags: SendFlags): void {
  checkOptions(flags, "sendMany", SEND_FLAG_NAMES);
}

export function checkReceiveFlags(flags: ReceiveFlags): void {
  checkOptions(flags, "receiveManyTimeout", RECEIVE_FLAG_NAMES);
}

function checkBacklog(options: { readonly kernelBacklog?: number }): void {
  if (options.kernelBacklog !== undefined)
    checkCount(options.kernelBacklog, "Kernel backlog", 0, 0x7fff_ffff);
}

function needsMode(options: { readonly mode?: unknown } | undefined, where: string): void {
  const object = typeof options === "object" && options !== null;
  if (options === undefined || (object && options.mode === undefined))
    throw new TypeError(`${where} needs options with a mode, such as { mode: "stream" }`);
}
