// Imported first by lib/index.ts: Bun older than 1.4 picks the "bun" export
// condition too, and would otherwise fail later and obscurely (a missing FFI
// feature, a Worker option it ignores). Node.js and Deno get lib/node.cjs.

/** The error to throw on Bun `version` (`Bun.version`), or null if it is
 * recent enough. */
export function bunVersionError(version: string | undefined): string | null {
  const [major = 0, minor = 0] = (version ?? "0.0").split(".").map(Number);
  if (major > 1 || (major === 1 && minor >= 4)) return null;
  return `threaded-io needs Bun >= 1.4 and this is Bun ${version ?? "(unknown)"}: upgrade with \`bun upgrade\``;
}

const error = bunVersionError(globalThis.Bun?.version);
if (error !== null) throw new Error(error);
