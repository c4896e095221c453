// Names are bytes on Linux, and not all are UTF-8. An entry whose name is
// not carries its bytes (`nameBytes`, `basenameBytes`, `pathBytes`), which
// every call that takes a path accepts; the walker descends by them (by
// the decoded name, with U+FFFD, it got FileNotFound for a directory it had
// just listed).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { Dir, Threaded } from "../../lib/index.ts";
import { tempDir } from "../helpers/tmp.ts";

let t: Threaded;
let tmp: ReturnType<typeof tempDir>;
let root: string;
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));
const badDir = bytes("dir_", [0xff], "_x");
const badFile = bytes("file_", [0xfe]);

beforeAll(() => {
  t = Threaded.init();
  tmp = tempDir();
  root = `${tmp.path}/names`;
  mkdirSync(root);
  const at = (name: Uint8Array) => bytes(`${root}/`, [...name]);
  mkdirSync(at(badDir));
  writeFileSync(bytes(`${root}/`, [...badDir], "/inner.txt"), "inner");
  mkdirSync(bytes(`${root}/`, [...badDir], "/sub"));
  writeFileSync(bytes(`${root}/`, [...badDir], "/sub/deeper.txt"), "deeper");
  writeFileSync(at(badFile), "bad file");
  writeFileSync(`${root}/real_\uFFFD.txt`, "a valid name with U+FFFD in it");
  writeFileSync(`${root}/plain.txt`, "plain");
});
afterAll(() => {
  t.deinit();
  tmp.remove();
});

describe("a name that is not UTF-8", () => {
  test("Dir.iterate gives its bytes, which the path calls take; valid names have none", () => {
    const io = t.io();
    const d = Dir.cwd().openDir(io, root, { iterate: true });
    try {
      const entries = [...d.iterate(io)];
      const byName = new Map(entries.map((e) => [e.name, e]));
      expect(entries.length).toBe(4);
      expect(byName.get("plain.txt")!.nameBytes).toBeUndefined();
      expect(byName.get("real_\uFFFD.txt")!.nameBytes).toBeUndefined();
      const file = byName.get("file_\uFFFD")!;
      const dir = byName.get("dir_\uFFFD_x")!;
      expect(Buffer.from(file.nameBytes!).equals(badFile)).toBe(true);
      expect(Buffer.from(dir.nameBytes!).equals(badDir)).toBe(true);
      expect(file.nameBytes).not.toBeInstanceOf(Buffer); // a copy, not a view of the batch
      expect(Buffer.from(d.readFileAlloc(io, file.nameBytes!)).toString()).toBe("bad file");
      expect(d.statPath(io, dir.nameBytes!).kind).toBe("directory");
      d.access(io, file.nameBytes!);
      const sub = d.openDir(io, dir.nameBytes!, { iterate: true });
      expect([...sub.iterate(io)].map((e) => e.name).sort()).toEqual(["inner.txt", "sub"]);
      sub.close(io);
    } finally {
      d.close(io);
    }
  });

  for (const maxOpenDirs of [64, 1])
    test(`Dir.walk descends into it (maxOpenDirs ${maxOpenDirs}), with its bytes`, () => {
      // With one descriptor, "sub" is opened (and its parent reopened) from
      // the root, by the path's bytes.
      const io = t.io();
      const d = Dir.cwd().openDir(io, root, { iterate: true });
      try {
        const seen: string[] = [];
        for (const e of d.walk(io, { maxOpenDirs })) {
          seen.push(e.path);
          const under = e.path.startsWith("dir_\uFFFD_x");
          expect(e.pathBytes === undefined).toBe(!under && e.basenameBytes === undefined);
          if (e.kind === "file") {
            const text = Buffer.from(e.dir.readFileAlloc(io, e.basenameBytes ?? e.basename));
            expect(text.length).toBeGreaterThan(0);
            if (e.pathBytes) expect(d.readFileAlloc(io, e.pathBytes)).toEqual(new Uint8Array(text));
          }
        }
        expect(seen.sort()).toEqual(
          [
            "dir_\uFFFD_x",
            "dir_\uFFFD_x/inner.txt",
            "dir_\uFFFD_x/sub",
            "dir_\uFFFD_x/sub/deeper.txt",
            "file_\uFFFD",
            "plain.txt",
            "real_\uFFFD.txt",
          ].sort(),
        );
      } finally {
        d.close(io);
      }
    });
});
