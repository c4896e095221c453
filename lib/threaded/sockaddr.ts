// Socket addresses in and out of the kernel's layout (Zig's
// addressToPosix / addressFromPosix / addressUnixToPosix), through the OS
// table's offsets. Darwin's structures start with a length byte; Linux's
// with a 16-bit family.
import { ptr, type Pointer } from "bun:ffi";
import { C, L, os } from "../os/index.ts";
import { Ip4Address } from "../net/ip4.ts";
import { Ip6Address } from "../net/ip6.ts";
import type { IpAddress, UnixAddress } from "../net/address.ts";
import { checkPort } from "../io/validate.ts";

const lengthByte = os.name === "darwin";

/** A sockaddr_storage-sized buffer on an explicit ArrayBuffer (see
 * fs_buffers.ts for why), with its own socklen_t cell. */
export class SockAddrBuf {
  readonly bytes = new Uint8Array(new ArrayBuffer(L.sizeof_sockaddr_storage + 8));
  readonly view = new DataView(this.bytes.buffer);
  private readonly lenCell = new Uint32Array(this.bytes.buffer, L.sizeof_sockaddr_storage, 1);

  ptr(): Pointer {
    return ptr(this.bytes);
  }
  /** The socklen_t in/out cell for accept/getsockname. */
  lenPtr(): Pointer {
    return ptr(this.lenCell);
  }
  set len(n: number) {
    this.lenCell[0] = n;
  }
  get len(): number {
    return this.lenCell[0];
  }

  private family(off: number, family: number, size: number): void {
    if (lengthByte) {
      this.bytes[0] = size;
      this.bytes[off] = family;
    } else {
      this.view.setUint16(off, family, true);
    }
  }

  /** Writes `a`; returns its length. */
  writeIp(a: IpAddress): number {
    // `port` is a public field: checked again here, where it is used.
    checkPort(a.port);
    this.bytes.fill(0, 0, L.sizeof_sockaddr_storage);
    if (a.family === "ip4") {
      this.family(L.sockaddr_in_sin_family, C.AF_INET, L.sizeof_sockaddr_in);
      this.view.setUint16(L.sockaddr_in_sin_port, a.port, false);
      this.bytes.set(a.bytes, L.sockaddr_in_sin_addr);
      return L.sizeof_sockaddr_in;
    }
    this.family(L.sockaddr_in6_sin6_family, C.AF_INET6, L.sizeof_sockaddr_in6);
    this.view.setUint16(L.sockaddr_in6_sin6_port, a.port, false);
    this.view.setUint32(L.sockaddr_in6_sin6_flowinfo, a.flow, true);
    this.bytes.set(a.bytes, L.sockaddr_in6_sin6_addr);
    this.view.setUint32(L.sockaddr_in6_sin6_scope_id, a.iface, true);
    return L.sizeof_sockaddr_in6;
  }

  /** Writes a Unix address. A path that fills sun_path exactly gets no NUL
   * (the length says where it ends): Zig's `Threaded.zig` writes one past the end. */
  writeUnix(a: UnixAddress): number {
    this.bytes.fill(0, 0, L.sizeof_sockaddr_storage);
    const path = new TextEncoder().encode(a.path);
    const room = L.sizeof_sockaddr_un - L.sockaddr_un_sun_path;
    this.family(L.sockaddr_un_sun_family, C.AF_UNIX, L.sizeof_sockaddr_un);
    this.bytes.set(path, L.sockaddr_un_sun_path);
    return L.sockaddr_un_sun_path + path.length + (path.length < room ? 1 : 0);
  }

  /** The address the kernel wrote (unknown families read as 127.0.0.1:0,
   * as Zig's addressFromPosix). */
  readIp(): IpAddress {
    const family = lengthByte
      ? this.bytes[L.sockaddr_in_sin_family]
      : this.view.getUint16(L.sockaddr_in_sin_family, true);
    if (family === C.AF_INET) {
      return new Ip4Address(
        this.bytes.slice(L.sockaddr_in_sin_addr, L.sockaddr_in_sin_addr + 4),
        this.view.getUint16(L.sockaddr_in_sin_port, false),
      );
    }
    if (family === C.AF_INET6) {
      return new Ip6Address(
        this.bytes.slice(L.sockaddr_in6_sin6_addr, L.sockaddr_in6_sin6_addr + 16),
        this.view.getUint16(L.sockaddr_in6_sin6_port, false),
        this.view.getUint32(L.sockaddr_in6_sin6_flowinfo, true),
        this.view.getUint32(L.sockaddr_in6_sin6_scope_id, true),
      );
    }
    return Ip4Address.loopback(0);
  }
}
