// close of a file, directory or socket ignores every errno Zig's posix.close
// ignores (all but EBADF, which is a bug), instead of throwing Unexpected.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Dir, File, Ip4Address, Socket, Threaded } from "../../lib/index.ts";
import { BugError, debug, IoError } from "../../lib/io/errors.ts";
import { E } from "../../lib/os/index.ts";
import { checkClose } from "../../lib/threaded/close.ts";

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
  for (const [close, socket] of [
    [() => client.close(io), client.socket],
    [() => accepted.close(io), accepted.socket],
    [() => server.deinit(io), server.socket],
  ] as const) {
    close();
    const reuser = Dir.cwd().openFile(io, "/dev/null");
    expect(close).toThrow(`Socket (descriptor ${socket.handle}) closed twice`);
    expect(reuser.stat(io).kind).toBe("character_device");
    reuser.close(io);
  }
});
