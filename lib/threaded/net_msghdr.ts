// Per-thread scratch for the socket syscalls: a sockaddr, one msghdr with
// its iovecs (and a small splat buffer), in explicit ArrayBuffers whose
// addresses are taken at each call (a cached ptr() of a small typed array
// went stale: ARCHITECTURE.md), and the msghdr/iovec writers.
import { ptr } from "bun:ffi";
import { L } from "../os/index.ts";
import { SockAddrBuf } from "./sockaddr.ts";

export const MAX_IOVECS = 8;
export const SPLAT_BUFFER = 64;
export const empty = new Uint8Array(0);

export const addr = new SockAddrBuf();
export const MSG = L.sizeof_msghdr;
export const IOV = L.sizeof_iovec;
export const MMSG = L.sizeof_mmsghdr ?? MSG + 8;
export const single = new Uint8Array(new ArrayBuffer(MSG + MAX_IOVECS * IOV + SPLAT_BUFFER));
export const singleView = new DataView(single.buffer);

export function setPtr(view: DataView, at: number, p: number): void {
  view.setUint32(at, p % 0x100000000, true);
  view.setUint32(at + 4, Math.floor(p / 0x100000000), true);
}

export function base(u8: Uint8Array): number {
  return ptr(u8) as number;
}

/** Fills a msghdr at `at`. Unused fields stay 0: the scratch is zeroed
 * first, so writing a length's low 32 bits suits both Linux's size_t
 * msg_iovlen/msg_controllen and Darwin's int/socklen_t ones. */
export function writeMsghdr(
  view: DataView,
  at: number,
  name: number,
  nameLen: number,
  iov: number,
  iovLen: number,
  control: ArrayBufferView | undefined = undefined,
): void {
  for (let i = 0; i < MSG; i += 4) view.setUint32(at + i, 0, true);
  setPtr(view, at + L.msghdr_msg_name, name);
  view.setUint32(at + L.msghdr_msg_namelen, nameLen, true);
  setPtr(view, at + L.msghdr_msg_iov, iov);
  view.setUint32(at + L.msghdr_msg_iovlen, iovLen, true);
  // As Zig: a null pointer for no control (some systems reject a dangling
  // one even with length 0).
  // byteLength: an OutgoingMessage's control may be any view (sendMany
  // checked it); a DataView has no `length`, and was silently dropped.
  if (control !== undefined && control.byteLength > 0) {
    const bytes =
      control instanceof Uint8Array
        ? control
        : new Uint8Array(control.buffer, control.byteOffset, control.byteLength);
    setPtr(view, at + L.msghdr_msg_control, base(bytes));
    view.setUint32(at + L.msghdr_msg_controllen, bytes.length, true);
  }
}

export function writeIovec(view: DataView, at: number, p: number, len: number): void {
  setPtr(view, at + L.iovec_iov_base, p);
  setPtr(view, at + L.iovec_iov_len, len);
}
