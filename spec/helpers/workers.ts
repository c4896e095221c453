// Starts plain Workers attached to a Threaded for the foundation suites, and
// makes sure none outlives its test.
import type { Threaded } from "../../lib/threaded/threaded.ts";
import type { ScenarioName } from "../fixtures/scenarios.ts";

const workerUrl = new URL("../fixtures/scenario_worker.ts", import.meta.url).href;
const live = new Set<Worker>();

export interface ScenarioWorker {
  run<T = unknown>(scenario: ScenarioName, args?: Record<string, number>): Promise<T>;
  terminate(): void;
}

export function startWorker(t: Threaded): ScenarioWorker {
  const worker = new Worker(workerUrl);
  worker.unref(); // a worker stuck in a failed test must not hold the process
  live.add(worker);
  let attached = false;
  return {
    run<T>(scenario: ScenarioName, args: Record<string, number> = {}): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent) => {
          const d = e.data as { ok: boolean; value?: T; error?: { name: string; message: string } };
          if (d.ok) resolve(d.value as T);
          else reject(Object.assign(new Error(`${d.error!.name}: ${d.error!.message}`), d.error));
        };
        worker.onerror = (e) => reject(new Error(`Worker failed: ${e.message}`));
        worker.postMessage({ handle: attached ? undefined : t.handle(), scenario, args });
        attached = true;
      });
    },
    terminate(): void {
      worker.terminate();
      live.delete(worker);
    },
  };
}

export function startWorkers(t: Threaded, n: number): ScenarioWorker[] {
  return Array.from({ length: n }, () => startWorker(t));
}

/** Terminates every worker a suite started (call in afterEach). */
export function terminateAll(): void {
  for (const w of live) w.terminate();
  live.clear();
}

export function liveWorkers(): number {
  return live.size;
}
