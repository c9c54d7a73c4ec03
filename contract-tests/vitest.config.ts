import { defineConfig } from 'vitest/config';
import shared from '../vitest.shared.ts';

// Vitest forwards ssr.resolve.conditions to Node as --conditions. With "import" among them, pg
// (CommonJS, loaded by the ledger) requires pg-pool's ESM build and fails, so this package drops
// that condition as packages/ledger does; Node adds import/require by itself where they apply.
export default defineConfig({
  ...shared,
  ssr: { ...shared.ssr, resolve: { ...shared.ssr?.resolve, conditions: ['source', 'node', 'default'] } },
});
