// The vtable's interface-name entries: name → index (SIOCGIFINDEX, as
// Zig's) and index → name (SIOCGIFNAME; Zig's TODO), through a throwaway
// datagram socket; libc's if_nametoindex / if_indextoname where the ioctls
// are missing (Darwin).
import { IoError } from "../io/errors.ts";
import { C, L } from "../os/index.ts";
import { shim } from "../ffi/shim.ts";
import { Interface, InterfaceName } from "../net/interface.ts";
import type { Threaded } from "./threaded.ts";
import { syscall } from "./syscall.ts";
import { closeQuietly, openSocket } from "./net.ts";
import * as T from "./net_errors.ts";

const ifr = new Uint8Array(new ArrayBuffer(Math.max(L.sizeof_ifreq, C.IFNAMSIZ)));
const ifrView = new DataView(ifr.buffer);

function withControlSocket<T>(f: (fd: number) => T): T {
  let fd: number;
  try {
    fd = openSocket(C.AF_UNIX, "dgram", 0);
  } catch (e) {
    if (IoError.is(e, "ProcessFdQuotaExceeded", "SystemFdQuotaExceeded"))
      throw new IoError("SystemResources", { cause: e });
    if (e instanceof IoError && e.code !== "Canceled" && e.code !== "SystemResources")
      throw new IoError("Unexpected", { cause: e });
    throw e;
  }
  try {
    return f(fd);
  } finally {
    closeQuietly(fd);
  }
}

export function netInterfaceNameResolve(_t: Threaded, name: InterfaceName): Interface {
  const s = shim();
  ifr.fill(0);
  ifr.set(new TextEncoder().encode(name.toSlice()), L.ifreq_ifr_name);
  if (C.SIOCGIFINDEX === undefined) {
    return new Interface(
      syscall(T.ifIndexErrors, "if_nametoindex", () => s.tio_if_nametoindex(ifr)),
    );
  }
  return withControlSocket((fd) => {
    syscall(T.ifIndexErrors, "ioctl", () => s.tio_ioctl_ifreq(fd, C.SIOCGIFINDEX!, ifr));
    return new Interface(ifrView.getInt32(L.ifreq_ifr_ifindex, true));
  });
}

/** Zig's TODO: SIOCGIFNAME on Linux, if_indextoname elsewhere. */
export function netInterfaceName(_t: Threaded, iface: Interface): InterfaceName {
  const s = shim();
  ifr.fill(0);
  const decode = () =>
    InterfaceName.fromSlice(new TextDecoder().decode(ifr.subarray(0, ifr.indexOf(0))));
  const table = { ENXIO: "Unexpected", ENODEV: "Unexpected" } as const;
  if (C.SIOCGIFNAME === undefined) {
    syscall(table, "if_indextoname", () => s.tio_if_indextoname(iface.index, ifr));
    return decode();
  }
  return withControlSocket((fd) => {
    ifrView.setInt32(L.ifreq_ifr_ifindex, iface.index, true);
    syscall(table, "ioctl", () => s.tio_ioctl_ifreq(fd, C.SIOCGIFNAME!, ifr));
    return decode();
  });
}
