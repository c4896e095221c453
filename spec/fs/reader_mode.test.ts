// A reader or writer mode outside the union is refused when the reader or
// writer is made: "bogus" (or "Positional") matched no case of the
// reader's read loop, and `readLine()` then spun at 100% CPU forever; a
// writer took any string and wrote streaming.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { Dir, FileReader, FileWriter, Threaded, type File, type Io } from "../../lib/index.ts";
import { tempDir } from "../helpers/tmp.ts";

let t: Threaded;
let io: Io;
let file: File;
const tmp = tempDir("tio-reader-mode-");
beforeAll(() => {
  t = Threaded.init();
  io = t.io();
  Dir.cwd().writeFile(io, { subPath: join(tmp.path, "f.txt"), data: "one\ntwo\n" });
  file = Dir.cwd().openFile(io, join(tmp.path, "f.txt"), { mode: "read_write" });
});
afterAll(() => {
  file.close(io);
  t.deinit();
  tmp.remove();
});

test("a reader mode outside positional | streaming | failure is a RangeError naming it", () => {
  for (const mode of ["bogus", "Positional", "", null, 1])
    expect(() => file.reader(io, undefined, mode as never)).toThrow(
      new RangeError(
        `Reader mode ${typeof mode === "string" ? JSON.stringify(mode) : `"${mode}"`} is not one of positional, streaming, failure`,
      ),
    );
  expect(() => new FileReader(io, file, new Uint8Array(8), undefined as never)).toThrow(RangeError);
});

test("a writer mode outside streaming | positional is a RangeError naming it", () => {
  expect(() => file.writer(io, undefined, "bogus" as never)).toThrow(
    new RangeError('Writer mode "bogus" is not one of streaming, positional'),
  );
  expect(() => new FileWriter(io, file, new Uint8Array(8), "Streaming" as never)).toThrow(
    /^Writer mode "Streaming"/,
  );
});

test("the modes of the union still read and write", () => {
  expect(file.reader(io).readLine()).toBe("one");
  expect(file.reader(io, new Uint8Array(16), "positional").readLine()).toBe("one");
  expect(file.readerStreaming(io).readLine()).toBe("one");
  const w = file.writer(io, new Uint8Array(16), "positional");
  w.writeString("ONE");
  w.flush();
  expect(file.reader(io).readLine()).toBe("ONE");
});
