// The tree-hash step with node:fs, in the shape tinypool and piscina load
// (a default export) and as plain single-threaded Bun runs it: the same
// work as workload_tasks.ts's hashDirs, for the comparisons.
import { readdirSync, readFileSync } from "node:fs";
import { LINE_SEP, sha256Hex, type DirsHashed } from "./workload_tasks.ts";

/** Hashes every file in `dirs` (relative to `root`) into `lines` ("path
 * sha256hex"); returns the subdirectories found. */
export function hashDirsInto(root: string, dirs: string[], lines: string[]): string[] {
  const subdirs: string[] = [];
  for (const rel of dirs) {
    let entries;
    try {
      entries = readdirSync(rel === "" ? root : `${root}/${rel}`, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) subdirs.push(path);
      else if (entry.isFile()) {
        let bytes: Uint8Array;
        try {
          bytes = readFileSync(`${root}/${path}`);
        } catch {
          continue;
        }
        lines.push(`${path} ${sha256Hex(bytes)}`);
      }
    }
  }
  return subdirs;
}

/** A pool task's result, in the shape threaded-io's tasks hand back. */
export function hashDirsSync(root: string, dirs: string[]): DirsHashed {
  const lines: string[] = [];
  const subdirs = hashDirsInto(root, dirs, lines);
  return { lines: lines.join(LINE_SEP), dirs: subdirs };
}

export default function run({ root, dirs }: { root: string; dirs: string[] }): DirsHashed {
  return hashDirsSync(root, dirs);
}
