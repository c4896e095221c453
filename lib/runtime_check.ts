// Imported first by lib/index.ts: Bun older than 1.4 picks the "bun" export
// condition too, and would otherwise fail later and obscurely (a missing FFI
// feature, a Worker option it ignores). Node.js and Deno get lib/node.cjs.
const [major = 0, minor = 0] = (globalThis.Bun?.version ?? "0.0").split(".").map(Number);
if (major < 1 || (major === 1 && minor < 4)) {
  throw new Error(
    `threaded-io needs Bun >= 1.4 and this is Bun ${globalThis.Bun?.version ?? "(unknown)"}: upgrade with \`bun upgrade\``,
  );
}

export {};
