// The vtable's dirMakePath makes every missing directory with the mode it is
// given (it ignored it, making each with the default 0o755).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Dir, Threaded } from "../../lib/index.ts";
import { tempDir } from "../helpers/tmp.ts";

let t: Threaded;
let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  t = Threaded.init();
  tmp = tempDir();
});
afterAll(() => {
  t.deinit();
  tmp.remove();
});

test("dirMakePath honours its mode for each directory it makes, not for existing ones", () => {
  const io = t.io();
  const cwd = Dir.cwd();
  cwd.makeDir(io, `${tmp.path}/old`); // exists beforehand: keeps 0o755
  const umask = process.umask();
  for (const mode of [0o700, 0o710]) {
    const root = `${tmp.path}/old/m${mode.toString(8)}`;
    io.vtable.dirMakePath(io.userdata, cwd, `${root}/b/c`, mode);
    for (const p of [root, `${root}/b`, `${root}/b/c`]) {
      const st = cwd.statPath(io, p);
      expect([p, st.kind, st.mode & 0o777]).toEqual([p, "directory", mode & ~umask]);
    }
  }
  expect(cwd.statPath(io, `${tmp.path}/old`).mode & 0o777).toBe(0o755 & ~umask);
});
