// The I/O calls a trace times (lookup, connect, accept, read): their vtable
// entries wrapped once, at load, so the entries themselves carry no hook.
// With no trace running a wrapped call costs one load and branch more.
import type { VTable } from "../io/vtable.ts";
import type { Threaded } from "./threaded.ts";
import { IoOp, traceIo, traceNow, tracing } from "../substrate/trace.ts";

type Entry = (t: Threaded, a: never, b: never, c: never) => unknown;

function timed<F extends Entry>(op: number, f: F): F {
  return ((t: Threaded, a: never, b: never, c: never) => {
    if (!tracing(t.heap)) return f(t, a, b, c);
    const start = traceNow();
    let failed = true;
    try {
      const r = f(t, a, b, c);
      failed = false;
      return r;
    } finally {
      traceIo(t.heap, op, start, failed);
    }
  }) as F;
}

export function withIoTracing(v: VTable<Threaded>): VTable<Threaded> {
  return {
    ...v,
    netLookup: timed(IoOp.LOOKUP, v.netLookup),
    netLookupAll: timed(IoOp.LOOKUP, v.netLookupAll),
    netConnectIp: timed(IoOp.CONNECT, v.netConnectIp),
    netConnectUnix: timed(IoOp.CONNECT, v.netConnectUnix),
    netAccept: timed(IoOp.ACCEPT, v.netAccept),
    netRead: timed(IoOp.READ, v.netRead),
  };
}
