// The HTTP service's per-request work in the shape tinypool and piscina
// load (a default export).
import { hashWork } from "./workload_tasks.ts";

export default function run(kib: number): string {
  return hashWork(kib);
}
