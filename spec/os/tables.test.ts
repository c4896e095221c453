import { describe, expect, test } from "bun:test";
import { darwin } from "../../lib/os/darwin.ts";
import { errnoNames, have, os } from "../../lib/os/index.ts";
import { linuxArm64 } from "../../lib/os/linux_arm64.ts";
import { linuxX64 } from "../../lib/os/linux_x64.ts";
import type { OsTable } from "../../lib/os/types.ts";

function keysOf(t: OsTable, part: "constants" | "layout"): string[] {
  return Object.keys(t[part]).sort();
}

describe("per-OS tables", () => {
  test("Linux errno numbers are the kernel's", () => {
    for (const linux of [linuxX64, linuxArm64]) {
      expect(linux.errno.ENOENT).toBe(2);
      expect(linux.errno.EAGAIN).toBe(11);
      expect(linux.errno.ECANCELED).toBe(125);
      expect(linux.constants.O_CLOEXEC).toBe(0o2000000);
      expect(linux.constants.AT_FDCWD).toBe(-100);
    }
  });

  test("Linux arm64 has its own open flags and stat layout, not x86_64's", () => {
    // arm64's <asm/fcntl.h>: O_DIRECTORY 040000, O_NOFOLLOW 0100000 (x86_64's
    // O_LARGEFILE), O_LARGEFILE 0400000.
    expect(linuxArm64.constants.O_NOFOLLOW).toBe(0o100000);
    expect(linuxArm64.constants.O_DIRECTORY).toBe(0o40000);
    expect(linuxArm64.constants.O_LARGEFILE).toBe(0o400000);
    expect(linuxX64.constants.O_LARGEFILE).toBe(0o100000);
    expect(linuxX64.constants.O_NOFOLLOW).toBe(0o400000);
    expect(linuxArm64.layout.sizeof_stat).toBe(128);
    expect(linuxX64.layout.sizeof_stat).toBe(144);
    expect(Object.keys(linuxArm64.constants).sort()).toEqual(keysOf(linuxX64, "constants"));
    expect(Object.keys(linuxArm64.layout).sort()).toEqual(keysOf(linuxX64, "layout"));
  });

  test("the table is picked by platform and architecture", () => {
    if (process.platform === "linux") {
      expect(os).toBe(process.arch === "arm64" ? linuxArm64 : linuxX64);
      expect(os.arch).toBe(process.arch as "x64");
    }
  });

  test("Darwin errno numbers are XNU's", () => {
    expect(darwin.errno.EAGAIN).toBe(35);
    expect(darwin.errno.EINPROGRESS).toBe(36);
    expect(darwin.errno.ECANCELED).toBe(89);
    expect(darwin.errno.EOPNOTSUPP).toBe(102);
    expect(darwin.constants.AF_INET6).toBe(30);
    expect(darwin.constants.SIGIO).toBe(23);
  });

  test("each table maps a number to one name, aliases to the first", () => {
    for (const table of [linuxX64, linuxArm64, darwin]) {
      const names = errnoNames(table);
      for (const [n, name] of names) expect(table.errno[name]).toBe(n);
    }
    expect(errnoNames(linuxX64).get(95)).toBe("EOPNOTSUPP"); // ENOTSUP is an alias on Linux
    expect(errnoNames(darwin).get(45)).toBe("ENOTSUP");
  });

  test("Darwin has every constant and layout entry Linux has, but the Linux-only ones", () => {
    const linuxOnly = new Set([
      "O_LARGEFILE",
      "O_PATH",
      "AT_EMPTY_PATH",
      "STATX_BASIC_STATS",
      "AT_STATX_SYNC_AS_STAT",
      "SOCK_CLOEXEC",
      "SOCK_NONBLOCK",
      "MSG_NOSIGNAL",
      "MSG_CONFIRM",
      "MSG_ERRQUEUE",
      "MSG_FASTOPEN",
      "MSG_CMSG_CLOEXEC",
      "SIOCGIFINDEX",
      "SIOCGIFNAME",
      "CLOCK_BOOTTIME",
      "TIMER_ABSTIME",
      "SIGRTMIN", // Darwin has no real-time signals
      "SIGRTMAX",
    ]);
    const linux = linuxX64;
    const missing = keysOf(linux, "constants").filter(
      (k) =>
        !(k in darwin.constants) &&
        !linuxOnly.has(k) &&
        !k.startsWith("STATX_") &&
        k !== "AT_NO_AUTOMOUNT",
    );
    expect(missing).toEqual([]);
    const missingLayout = keysOf(linux, "layout").filter(
      (k) => !(k in darwin.layout) && !k.includes("statx") && !k.includes("mmsghdr"),
    );
    expect(missingLayout).toEqual([]);
  });

  test("capability flags follow the table of this OS", () => {
    expect(os.name).toBe(process.platform as "linux");
    expect(have.clockNanosleep).toBe(os.constants.TIMER_ABSTIME !== undefined);
    expect(have.msgNoSignal).toBe(os.name === "linux");
  });
});
