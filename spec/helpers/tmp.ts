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
