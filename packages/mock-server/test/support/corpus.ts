import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The shared third-party spec corpus, or a reason it is not available. */
export const corpusDir = resolve(import.meta.dirname, '../../../../../shared/specs-corpus');

export function corpusSpecs(): string[] {
  if (!existsSync(corpusDir)) {
    console.log(`skipping corpus specs: ${corpusDir} does not exist`);
    return [];
  }
  return readdirSync(corpusDir)
    .filter((name) => /\.(ya?ml|json)$/.test(name))
    .sort()
    .map((name) => join(corpusDir, name));
}

/** The canonical Finrail specs present in this checkout (the SPECS workspace owns them). */
export function canonicalSpecs(): string[] {
  return ['wallets', 'payments', 'open-banking']
    .map((name) => resolve(import.meta.dirname, `../../../../specs/${name}/openapi.yaml`))
    .filter((path) => existsSync(path));
}
