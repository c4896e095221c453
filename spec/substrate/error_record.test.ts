// Errors thrown by a task on a pool thread arrive with their class (when
// registered), name, message, code, cause, own fields and AggregateError's
// errors (lib/substrate/error_record.ts).
import { afterAll, expect, test } from "bun:test";
import { IoError, Threaded } from "../../lib/index.ts";
import { LooseError, QuotaError, throwShaped } from "../fixtures/error_tasks.ts";

const t = Threaded.init();
const io = t.io();
afterAll(() => t.deinit());

function thrown(kind: string): unknown {
  const f = io.concurrent(throwShaped, io, kind);
  try {
    f.await(io);
  } catch (e) {
    return e;
  }
  throw new Error("the task did not throw");
}

test("a registered class comes back as itself, fields and methods included", () => {
  const e = thrown("registered") as QuotaError;
  expect(e).toBeInstanceOf(QuotaError);
  expect(e).toBeInstanceOf(RangeError);
  expect(e.name).toBe("QuotaError");
  expect(e.message).toBe('Tenant "acme" is over its quota of 10');
  expect(e.tenant).toBe("acme");
  expect(e.limit).toBe(10);
  expect(e.describe()).toBe("acme/10");
  expect(e.stack).toContain("throwShaped");
});

test("cause is kept, an IoError cause with its class and code", () => {
  const e = thrown("cause") as Error;
  expect(e.message).toBe("outer");
  const cause = e.cause as IoError;
  expect(cause).toBeInstanceOf(IoError);
  expect(cause.code).toBe("FileNotFound");
  expect(cause.path).toBe("/x");
  expect(cause.errno).toBe("ENOENT");
  expect(cause.message).toBe(
    new IoError("FileNotFound", { syscall: "openat", path: "/x", errno: "ENOENT" }).message,
  );
});

test("own enumerable fields are kept", () => {
  const e = thrown("fields") as Error & { code: string; status: number; when: Date };
  expect(e.code).toBe("E_CUSTOM");
  expect(e.status).toBe(503);
  expect(e.when).toEqual(new Date(0));
});

test("AggregateError keeps its errors, each with its class", () => {
  const e = thrown("aggregate") as AggregateError;
  expect(e).toBeInstanceOf(AggregateError);
  expect(e.message).toBe("several");
  expect(e.errors).toHaveLength(3);
  expect(e.errors[0]).toBeInstanceOf(TypeError);
  expect(e.errors[0].message).toBe("first");
  expect(e.errors[1]).toBeInstanceOf(QuotaError);
  expect(e.errors[2]).toBe("plain");
});

test("an unregistered class comes back as the built-in class it extends, named and with fields", () => {
  const e = thrown("loose") as LooseError;
  expect(e).toBeInstanceOf(TypeError);
  expect(e).not.toBeInstanceOf(LooseError);
  expect(e.message).toBe("loose one");
  expect(e.extra).toEqual({ nested: [1, 2] });
});

test("a cycle ends, and fields that cannot be cloned are dropped, not the error", () => {
  const c = thrown("circular") as Error;
  expect(c.message).toBe("top");
  expect((c.cause as Error).message).toBe("self");
  expect((c.cause as { self: unknown }).self).toBe("[circular]");
  const u = thrown("uncloneable") as Error & { ok: number; fn?: unknown };
  expect(u.message).toBe("has a function");
  expect(u.ok).toBe(1);
  expect(u.fn).toBeUndefined();
});
