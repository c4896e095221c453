// node:fs, loaded at first use rather than with the library: importing it
// cost 3.7 ms at start-up on the main thread and again on every pool thread
// (docs/ARCHITECTURE.md, "Start-up"), and only a lookup's hosts and
// resolv.conf reads and a trace's file write need it.
export function lazyFs(): typeof import("node:fs") {
  return import.meta.require("node:fs");
}
