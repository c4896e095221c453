// The package's entry outside Bun (the "node" export condition, which Node.js
// and Deno match; Bun matches "bun" first). threaded-io is TypeScript run
// directly by Bun and needs Bun's FFI, its C compiler and Workers that share
// memory, so importing it elsewhere fails here with one clear error instead of
// `ERR_UNKNOWN_FILE_EXTENSION` deep inside a loader.
"use strict";
const versions = (typeof process === "object" && process.versions) || {};
const runtime = versions.deno
  ? `Deno ${versions.deno}`
  : versions.node
    ? `Node.js ${versions.node}`
    : "this runtime";
throw new Error(
  `threaded-io needs Bun >= 1.4 (https://bun.sh) and cannot run on ${runtime}: run the program with \`bun\``,
);
