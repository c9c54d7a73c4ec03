import type { Options } from 'tsup';

/** What every workspace package builds: ESM + CJS + .d.ts from src/index.ts. */
export const packageBuild = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Packages locate files next to their sources from import.meta.url; the CJS build needs the shim.
  shims: true,
  // `node:sqlite` has no bare name: stripped to `sqlite`, the built ledger could not load.
  removeNodeProtocol: false,
} satisfies Options;
