import { defineConfig } from 'tsup';

// @finrail/runtime is bundled into the SDK (code and types), so openapi-fetch is the only runtime
// dependency partners install. Both resolve the runtime from its TypeScript source.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: { resolve: ['@finrail/runtime'] },
  noExternal: ['@finrail/runtime'],
  external: ['openapi-fetch'],
  esbuildOptions(options) {
    options.conditions = ['source'];
  },
  tsconfig: 'tsconfig.build.json',
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
