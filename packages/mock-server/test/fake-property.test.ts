import fc from 'fast-check';
import { loadSpec, type LoadedSpec } from '@finrail/generators';
import { describe, expect, it } from 'vitest';
import { generateValue, type Schema } from '../src/fake/index.ts';
import { getByRef as resolvePointer } from '@finrail/generators';
import { schemaValidator } from './support/ajv-for-spec.ts';
import { canonicalSpecs, corpusSpecs } from './support/corpus.ts';
import { responseSchemaSites } from './support/operations.ts';

const specs = [...canonicalSpecs(), ...corpusSpecs()];

describe.skipIf(specs.length === 0)('generated response values validate against their schemas (property)', () => {
  it.each(specs.map((path) => [path.split('/').slice(-2).join('/'), path]))('%s', async (_name, path) => {
    const loaded: LoadedSpec = await loadSpec(path);
    const document = loaded.document as unknown as Record<string, unknown>;
    const compile = schemaValidator(loaded, 'response');
    const sites = responseSchemaSites(document).map((site) => ({ ...site, validate: compile(site.pointer) }));
    // About 1,500 generated documents per spec (at least 10 seeds each) keeps the suite fast on large specs.
    const numRuns = Math.max(10, Math.min(60, Math.ceil(1500 / Math.max(sites.length, 1))));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        for (const site of sites) {
          const value = generateValue(resolvePointer(document, site.pointer) as Schema, { seed, document, direction: 'response' });
          if (!site.validate(value)) {
            throw new Error(`${site.operation} ${site.status} ${site.mediaType} seed ${seed}: ${JSON.stringify(site.validate.errors?.slice(0, 3))}\n${JSON.stringify(value).slice(0, 400)}`);
          }
        }
      }),
      { numRuns },
    );
    console.log(`${_name}: ${sites.length} response schemas x ${numRuns} seeds`);
  });
});
