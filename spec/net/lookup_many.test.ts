// lookupAll returns every address however many there are: it once pushed
// them through a 64-slot queue it drained only afterwards, and blocked
// forever past ~62. The addresses come from a temporary hosts file; no
// traffic is sent.
import { afterAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ip4Address, Queue, Threaded, type LookupResult } from "../../lib/index.ts";
import { tempDir } from "../helpers/tmp.ts";
import { lookupAllText, lookupInto } from "../fixtures/lookup_tasks.ts";

const t = Threaded.init();
const io = t.io();
const tmp = tempDir("tio-lookup-many-");
afterAll(() => {
  t.deinit();
  tmp.remove();
});

const COUNT = 100;
const hosts = join(tmp.path, "hosts");
writeFileSync(
  hosts,
  Array.from({ length: COUNT }, (_, i) => `127.0.${i >> 8}.${(i & 255) + 1} many.test\n`).join(""),
);
const options = {
  port: 80,
  hostsPath: hosts,
  resolvConfPath: join(tmp.path, "no-resolv.conf"),
  // Never asked (the hosts file answers); if it were, loopback's discard
  // port, so nothing leaves the machine. (An empty list is refused.)
  nameservers: [Ip4Address.loopback(9)],
};

test(`lookupAll returns ${COUNT} hosts-file addresses`, async () => {
  // On a pool thread, so a lookup that blocks is canceled, not hung on.
  const f = io.concurrent(lookupAllText, io, "many.test", options);
  const outcome = f.awaitAsync().then(
    (v) => v,
    (e: unknown) => e,
  );
  let timer: Timer | undefined;
  const late = new Promise<"late">((r) => (timer = setTimeout(() => r("late"), 3000)));
  const first = await Promise.race([outcome, late]);
  clearTimeout(timer);
  if (first === "late") {
    f.cancelOn(AbortSignal.abort());
    await outcome;
  }
  expect(first).toBeArrayOfSize(COUNT);
  expect((first as string[])[0]).toBe("127.0.0.1:80");
  expect((first as string[])[COUNT - 1]).toBe(`127.0.0.${COUNT}:80`);
});

test("the queue form delivers them all to a consumer that drains as it goes", () => {
  const queue = Queue.init<LookupResult>(io, 8);
  const f = io.concurrent(lookupInto, io, "many.test", queue, options);
  let addresses = 0;
  for (;;) {
    const r = queue.getOne(io);
    if ("address" in r) addresses++;
    else if ("end" in r) {
      expect(r.end).toBeNull();
      break;
    }
  }
  f.await(io);
  queue.deinit();
  expect(addresses).toBe(COUNT);
});
