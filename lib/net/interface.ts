// `net.Interface` (an index; 0 is none) and `net.Interface.Name` (at most
// IFNAMSIZ − 1 bytes), resolved through the Io's vtable.
import { IoError } from "../io/errors.ts";
import type { Io } from "../io/io.ts";
import { C } from "../os/index.ts";
import { checkCount, MAX_U32 } from "../io/validate.ts";

/** `net.Interface`: a network interface by index (0 is none); `name(io)` looks its name up. */
export class Interface {
  static readonly none = new Interface(0);

  constructor(readonly index: number) {
    checkCount(index, "Interface index", 0, MAX_U32);
  }

  isNone(): boolean {
    return this.index === 0;
  }

  /** The interface's name (SIOCGIFNAME on Linux). */
  name(io: Io): InterfaceName {
    if (this.index === 0) throw new RangeError("Interface none has no name");
    return io.vtable.netInterfaceName(io.userdata, this);
  }
}

/** `net.Interface.Name`: an interface name of at most IFNAMSIZ − 1 bytes; `resolve(io)` gives its `Interface`. */
export class InterfaceName {
  static readonly maxLen = C.IFNAMSIZ - 1;

  private constructor(readonly text: string) {}

  /** Errors: NameTooLong. */
  static fromSlice(text: string): InterfaceName {
    const len = new TextEncoder().encode(text).length;
    if (len > InterfaceName.maxLen) {
      throw new IoError("NameTooLong", {
        message: `NameTooLong: interface name "${text}" is over ${InterfaceName.maxLen} bytes`,
      });
    }
    return new InterfaceName(text);
  }

  toSlice(): string {
    return this.text;
  }

  /** if_nametoindex. Errors: InterfaceNotFound, AccessDenied,
   * SystemResources, Unexpected, Canceled. */
  resolve(io: Io): Interface {
    return io.vtable.netInterfaceNameResolve(io.userdata, this);
  }
}
