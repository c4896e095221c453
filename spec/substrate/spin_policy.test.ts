// When a wait spins: never with one CPU allowed or every CPU busy, and only
// while spinning at that site has paid lately.
import { expect, test } from "bun:test";
import { cpusAllowed, SpinSite, withoutSpins } from "../../lib/substrate/spin_policy.ts";

test("a site spins while its spins pay, stops after they fail, and probes once every 16 waits", () => {
  if (cpusAllowed() < 2) return; // the one-CPU case has its own test
  const site = new SpinSite();
  expect(site.shouldSpin(1, false)).toBe(true);
  for (let i = 0; i < 16; i++) site.record(false);
  // Credit spent: 15 waits sleep at once, the 16th probes.
  const decisions = Array.from({ length: 32 }, () => site.shouldSpin(1, false));
  expect(decisions.filter(Boolean).length).toBe(2);
  expect(decisions[15]).toBe(true);
  site.record(true); // a probe that won earns credit back
  expect(site.shouldSpin(1, false)).toBe(true);
  // A third of spins succeeding keeps it spinning: +2 −1 −1 per three.
  for (let i = 0; i < 30; i++) site.record(i % 3 === 0);
  expect(site.shouldSpin(1, false)).toBe(true);
});

test("no spin while as many threads are busy as CPUs are allowed, or the machine is overloaded", () => {
  const site = new SpinSite();
  expect(site.shouldSpin(cpusAllowed(), false)).toBe(false);
  expect(site.shouldSpin(cpusAllowed() + 5, false)).toBe(false);
  expect(site.shouldSpin(0, true)).toBe(false);
});

test("pinned to one CPU (taskset -c 0), no site ever spins", () => {
  const taskset = Bun.which("taskset");
  if (taskset === null) return;
  const script = [
    `import { cpusAllowed, SpinSite } from ${JSON.stringify(import.meta.dir + "/../../lib/substrate/spin_policy.ts")};`,
    `const s = new SpinSite();`,
    `console.log(JSON.stringify({ cpus: cpusAllowed(), spins: [0, 1].map((b) => s.shouldSpin(b, false)) }));`,
  ].join("\n");
  const p = Bun.spawnSync([taskset, "-c", "0", process.execPath, "-e", script]);
  expect(p.stderr.toString()).toBe("");
  expect(JSON.parse(p.stdout.toString())).toEqual({ cpus: 1, spins: [false, false] });
});

test("withoutSpins turns every site off inside it, nested or thrown through, and back on after", () => {
  if (cpusAllowed() < 2) return;
  const site = new SpinSite();
  expect(withoutSpins(() => site.shouldSpin(0, false))).toBe(false);
  expect(withoutSpins(() => withoutSpins(() => site.shouldSpin(0, false)))).toBe(false);
  expect(() =>
    withoutSpins(() => {
      throw new Error("inside");
    }),
  ).toThrow("inside");
  expect(site.shouldSpin(0, false)).toBe(true);
});
