// The interaction modules under src/generated/ are the pact target's output for the canonical
// specs; they must match what the generator produces from the specs today.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { buildApiModel, generatePactSource, generatedHeader, loadSpec } from '@finrail/generators';
import { describe, expect, it } from 'vitest';
import { CANONICAL_APIS, REPO_ROOT } from '../src/canonical-apis.ts';
import { generatedModule } from '../src/record.ts';

describe.each(CANONICAL_APIS)('generated interactions for $name', (api) => {
  const reason = !existsSync(`${REPO_ROOT}${api.spec}`) ? `${api.spec} does not exist yet` : undefined;
  if (reason) console.warn(`skipping: ${reason}`);
  it.skipIf(reason !== undefined)('are up to date with the spec (finrail generate --targets pact)', async () => {
    const model = buildApiModel(await loadSpec(`${REPO_ROOT}${api.spec}`));
    const expected = generatePactSource(model, generatedHeader(api.spec));
    expect(await readFile(generatedModule(api), 'utf8'), `regenerate: node cli/bin/finrail.js generate --spec ${api.spec} --out contract-tests/src/generated/${api.name} --targets pact`).toBe(expected);
  });
});
