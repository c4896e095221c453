// Zig's "Unavailable" networking entries, which `ioBasic()` uses: every
// call fails as if there were no network (NetworkDown; Unix sockets
// AddressFamilyUnsupported, as Zig's netListenUnixUnavailable and
// netConnectUnixUnavailable; interface lookups InterfaceNotFound /
// Unexpected), and closing a socket that could never have been opened is a
// bug.
import { BugError, IoError } from "../io/errors.ts";
import type { VTable } from "../io/vtable.ts";
import type { Threaded } from "./threaded.ts";

const noUnix = () =>
  new IoError("AddressFamilyUnsupported", {
    message: "AddressFamilyUnsupported: Unix sockets are not available through ioBasic()",
  });

const down = () =>
  new IoError("NetworkDown", {
    message: "NetworkDown: networking is not available through ioBasic()",
  });

export const unavailable: Pick<
  VTable<Threaded>,
  | "netListenIp"
  | "netListenUnix"
  | "netAccept"
  | "netBindIp"
  | "netConnectIp"
  | "netConnectUnix"
  | "netClose"
  | "netCloseListening"
  | "netShutdown"
  | "netRead"
  | "netWrite"
  | "netSend"
  | "netReceive"
  | "netInterfaceNameResolve"
  | "netInterfaceName"
  | "netLookup"
  | "netLookupAll"
> = {
  netListenIp: () => {
    throw down();
  },
  netListenUnix: () => {
    throw noUnix();
  },
  netAccept: () => {
    throw down();
  },
  netBindIp: () => {
    throw down();
  },
  netConnectIp: () => {
    throw down();
  },
  netConnectUnix: () => {
    throw noUnix();
  },
  netClose: () => {
    throw new BugError("netClose through ioBasic(): no socket can have been opened with it");
  },
  netCloseListening: () => {
    throw new BugError(
      "netCloseListening through ioBasic(): no socket can have been opened with it",
    );
  },
  netShutdown: () => {
    throw new BugError("netShutdown through ioBasic(): no socket can have been opened with it");
  },
  netRead: () => {
    throw down();
  },
  netWrite: () => {
    throw down();
  },
  netSend: () => ({ err: down(), count: 0 }),
  netReceive: () => ({ err: down(), messages: [] }),
  netInterfaceNameResolve: () => {
    throw new IoError("InterfaceNotFound", {
      message: "InterfaceNotFound: networking is not available through ioBasic()",
    });
  },
  netInterfaceName: () => {
    throw new IoError("Unexpected", {
      message: "Unexpected: networking is not available through ioBasic()",
    });
  },
  netLookup: (t, _host, queue) => queue.putOneUncancelable(t.ioBasic(), { end: down() }),
  netLookupAll: () => {
    throw down();
  },
};
