// A temporary directory per suite, removed afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function tempDir(prefix = "tio-"): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Open file descriptors of this process (for leak checks). */
export function openFds(): number {
  return require("node:fs").readdirSync("/proc/self/fd").length;
}

/** Open sockets of this process. Pool threads hold eventfds and epoll fds
 * of their own, so socket suites count sockets, not every fd. */
export function openSockets(): number {
  return countFds((target) => target.startsWith("socket:"));
}

/** Open descriptors of this process that point into `dir`. */
export function openFdsUnder(dir: string): number {
  return countFds((target) => target.startsWith(dir));
}

/** Open descriptors whose /proc link target matches. */
function countFds(match: (target: string) => boolean): number {
  const fs = require("node:fs");
  let n = 0;
  for (const fd of fs.readdirSync("/proc/self/fd")) {
    try {
      if (match(fs.readlinkSync(`/proc/self/fd/${fd}`))) n++;
    } catch {
      // closed while we looked
    }
  }
  return n;
}
