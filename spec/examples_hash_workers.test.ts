// The HTTP example's queue-fed workers (examples/http_service.ts): every
// request gets its own digest back, in any order, and close() ends the
// workers and the gathering loop so the pool can be joined.
import { afterEach, expect, test } from "bun:test";
import { Threaded } from "../lib/index.ts";
import { HashWorkers } from "../examples/http_service.ts";
import { hashWork } from "../examples/workload_tasks.ts";

let t: Threaded | undefined;
afterEach(() => {
  t?.deinit();
  t = undefined;
});

test("200 concurrent requests through two queue-fed workers each get the right digest", async () => {
  t = Threaded.init({ concurrentLimit: 2 });
  const workers = new HashWorkers(t.io(), 64, 2);
  const responses = await Promise.all(Array.from({ length: 200 }, () => workers.fetch()));
  const digests = await Promise.all(responses.map((r) => r.text()));
  expect(new Set(digests)).toEqual(new Set([hashWork(64)]));
  expect(digests.length).toBe(200);
  await workers.close();
  expect(t.poolStats().busy).toBe(0); // both workers returned
});

test("a request that arrives after a quiet spell is served (the workers slept in getOne)", async () => {
  t = Threaded.init({ concurrentLimit: 2 });
  const workers = new HashWorkers(t.io(), 64, 2);
  expect(await (await workers.fetch()).text()).toBe(hashWork(64));
  await Bun.sleep(50); // not synchronization: the quiet spell under test
  expect(await (await workers.fetch()).text()).toBe(hashWork(64));
  await workers.close();
});

// While requests queue behind busy workers the gathering waits for one
// result per worker; it must never wait for more than are out.
test("a backlog that drains to fewer requests than workers is served to the last one", async () => {
  t = Threaded.init({ concurrentLimit: 2 });
  const workers = new HashWorkers(t.io(), 64, 2);
  for (const n of [3, 5, 1, 2]) {
    const responses = await Promise.all(Array.from({ length: n }, () => workers.fetch()));
    for (const r of responses) expect(await r.text()).toBe(hashWork(64));
  }
  await workers.close();
});
