// close of a file, directory or socket ignores every errno Zig's posix.close
// ignores (all but EBADF, which is a bug), instead of throwing Unexpected.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Dir, File, Ip4Address, Socket, Threaded } from "../../lib/index.ts";
import { BugError, debug, IoError } from "../../lib/io/errors.ts";
import { E } from "../../lib/os/index.ts";
import { checkClose } from "../../lib/threaded/close.ts";
import { tempDir } from "../helpers/tmp.ts";

let t: Threaded;
beforeAll(() => {
  t = Threaded.init();
});
afterAll(() => t.deinit());

test("errnos Zig's close ignores are ignored", () => {
  // A network or FUSE file system reports write-back failures from close's
  // flush; Linux has released the descriptor either way.
  for (const name of ["EINTR", "EIO", "ENOSPC", "EDQUOT", "ENOLINK", "EINPROGRESS"] as const) {
    expect(() => checkClose(-E[name]!)).not.toThrow();
  }
  expect(() => checkClose(0)).not.toThrow();
});

test("EBADF is a bug: BugError in debug mode, Unexpected outside it", () => {
  let thrown: unknown;
  try {
    checkClose(-E.EBADF!);
  } catch (e) {
    thrown = e;
  }
  if (debug) expect(thrown).toBeInstanceOf(BugError);
  else expect((thrown as IoError).code).toBe("Unexpected");
});

test("file, directory and socket close report a descriptor that was never open", () => {
  const io = t.io();
  // A number above any descriptor table: EBADF without risking another
  // thread's descriptor.
  const never = 0x3fffffff;
  const kind = (f: () => void) => {
    try {
      f();
      return "ok";
    } catch (e) {
      return e instanceof BugError ? "bug" : (e as IoError).code;
    }
  };
  const want = debug ? "bug" : "Unexpected";
  expect(kind(() => new File(never).close(io))).toBe(want);
  expect(kind(() => new Dir(never).close(io))).toBe(want);
  expect(kind(() => new Socket(never, Ip4Address.loopback(0)).close(io))).toBe(want);
});

// Closing twice through the same object never reaches close(2) again: the
// number may name a descriptor opened since (here, on purpose, it does), and
// the second close would have closed it.
test("a second close through the same File, Dir or Socket is a BugError and closes nothing", () => {
  const io = t.io();
  const cwd = Dir.cwd();
  const cases: [string, () => { handle: number; close(io: unknown): void }][] = [
    ["File", () => cwd.openFile(io, "/dev/null")],
    ["Dir", () => cwd.openDir(io, "/")],
    ["Socket", () => Ip4Address.loopback(0).bind(io, { mode: "dgram" })],
  ];
  for (const [kind, open] of cases) {
    const first = open();
    first.close(io);
    // The lowest free number: the one just closed (unless another thread
    // took it in between).
    const reuser = cwd.openFile(io, "/dev/null");
    let thrown: unknown;
    try {
      first.close(io);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(BugError);
    expect((thrown as Error).message).toBe(
      `${kind} (descriptor ${first.handle}) closed twice: close(2) was not called again, ` +
        "since the number may already name another descriptor opened since",
    );
    // The descriptor that reused the number is still open.
    expect(reuser.stat(io).kind).toBe("character_device");
    reuser.close(io);
  }
});

test("a Stream's and a Server's second close is the same BugError", () => {
  const io = t.io();
  const server = Ip4Address.loopback(0).listen(io, { reuseAddress: true });
  const client = server.socket.address.connect(io, { mode: "stream" });
  const accepted = server.accept(io);
  for (const [close, socket, kind] of [
    [() => client.close(io), client.socket, "Stream"],
    [() => accepted.close(io), accepted.socket, "Stream"],
    [() => server.deinit(io), server.socket, "Server"],
  ] as const) {
    close();
    const reuser = Dir.cwd().openFile(io, "/dev/null");
    expect(close).toThrow(`${kind} (descriptor ${socket.handle}) closed twice`);
    expect(reuser.stat(io).kind).toBe("character_device");
    reuser.close(io);
  }
});

// Reading or writing through a closed object reached whatever the number
// named by then: a File opened since got the writes meant for the closed
// one (found writing through a closed File in a newcomer's program).
test("a call through a closed File, Dir, Socket, Stream or Server is a BugError that touches nothing", () => {
  const io = t.io();
  const cwd = Dir.cwd();
  const dir = tempDir();
  const tmp = cwd.openDir(io, dir.path, { iterate: true });
  const usedAfterClose = (kind: string, handle: number) =>
    `${kind} (descriptor ${handle}) used after close: the call was not made, since the number ` +
    "may already name another descriptor opened since";
  try {
    const a = tmp.createFile(io, "a.txt");
    a.close(io);
    const b = tmp.createFile(io, "b.txt", { read: true }); // most likely a's number
    const bytes = new TextEncoder().encode("meant for a\n");
    for (const call of [
      () => a.writeAll(io, bytes),
      () => a.writeStreaming(io, bytes),
      () => a.writePositional(io, bytes, 0),
      () => a.readStreaming(io, new Uint8Array(4)),
      () => a.readPositional(io, new Uint8Array(4), 0),
      () => a.seekTo(io, 0),
      () => a.stat(io),
      () => {
        const w = a.writer(io);
        w.writeAll(bytes);
        w.flush();
      },
    ]) {
      expect(call).toThrow(new BugError(usedAfterClose("File", a.handle)));
    }
    expect(b.stat(io).size).toBe(0n); // nothing reached b
    b.close(io);

    const d = tmp.openDir(io, ".", { iterate: true });
    const it = d.iterate(io);
    d.close(io);
    const reuser = cwd.openDir(io, "/", { iterate: true });
    for (const call of [
      () => d.openFile(io, "a.txt"),
      () => d.createFile(io, "c.txt"),
      () => d.makePath(io, "x/y"),
      () => d.statPath(io, "a.txt"),
      () => d.readFileAlloc(io, "a.txt"),
      () => d.iterate(io),
      () => d.walk(io),
      () => it.next(), // an iterator made before the close
    ]) {
      expect(call).toThrow(new BugError(usedAfterClose("Dir", d.handle)));
    }
    expect(() => tmp.statPath(io, "c.txt")).toThrow(IoError); // not created
    reuser.close(io);

    const udp = Ip4Address.loopback(0).bind(io, { mode: "dgram" });
    udp.close(io);
    expect(() => udp.send(io, udp.address, bytes)).toThrow(
      new BugError(usedAfterClose("Socket", udp.handle)),
    );
    expect(() => udp.receive(io, new Uint8Array(4))).toThrow(/used after close/);

    const server = Ip4Address.loopback(0).listen(io, { reuseAddress: true });
    const client = server.socket.address.connect(io, { mode: "stream" });
    const accepted = server.accept(io);
    client.close(io);
    expect(() => client.writeAll(io, bytes)).toThrow(
      new BugError(usedAfterClose("Stream", client.handle)),
    );
    expect(() => client.read(io, new Uint8Array(4))).toThrow(/used after close/);
    accepted.close(io);
    server.deinit(io);
    expect(() => server.accept(io)).toThrow(
      new BugError(usedAfterClose("Server", server.socket.handle)),
    );
  } finally {
    tmp.close(io);
    dir.remove();
  }
});
