// Whether this code runs from the package's bundle (dist/index.js, which
// scripts/build.ts writes with TIO_BUNDLE defined) or from the sources in
// lib/: the shim and the pool thread's entry module sit at different paths
// relative to each. (`import.meta.url.endsWith(".ts")` cannot tell: the
// bundler folds it at build time.)
declare const TIO_BUNDLE: boolean | undefined;

export const bundled = typeof TIO_BUNDLE !== "undefined" && TIO_BUNDLE === true;
