import { describe, expect, it } from 'vitest';
import { bundledCanonicalSpecs, type JsonObject } from './support/bundled.ts';
import { collectExamples, findInvalidExamples } from './support/examples.ts';

describe('every example in the canonical specs validates against its schema (ajv 2020-12, strict)', async () => {
  const specs = await bundledCanonicalSpecs();

  for (const { spec, document } of specs) {
    it(`${spec.name}: all examples are valid`, () => {
      const { cases, violations } = findInvalidExamples(document);
      expect(violations).toEqual([]);
      // Guard against a walker that silently finds nothing: each kind must be present.
      const kinds = new Set(cases.map((c) => c.kind));
      expect([...kinds].sort()).toEqual(['header', 'media', 'parameter', 'schema']);
      expect(cases.length).toBeGreaterThan(50);
    });

    it(`${spec.name}: every webhook payload example is walked`, () => {
      const cases = collectExamples(document);
      const webhooks = Object.keys((document.webhooks ?? {}) as JsonObject);
      expect(webhooks.length).toBeGreaterThan(0);
      for (const name of webhooks) {
        const prefix = `#/webhooks/${name}/post/requestBody/content/application~1json/examples/`;
        expect(cases.some((c) => c.kind === 'media' && c.pointer.startsWith(prefix)), `webhook ${name}`).toBe(true);
      }
    });
  }
});

describe('the example walker catches invalid examples', () => {
  const money = {
    type: 'object',
    required: ['amount', 'currency'],
    additionalProperties: false,
    properties: {
      amount: { type: 'integer', minimum: 0 },
      currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    },
  };
  const broken: JsonObject = {
    openapi: '3.1.0',
    info: { title: 'broken', version: '1' },
    paths: {
      '/items/{itemId}': {
        parameters: [{ name: 'itemId', in: 'path', required: true, schema: { type: 'string', pattern: '^itm_' }, example: 'wal_123' }],
        post: {
          requestBody: {
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Money' },
                examples: {
                  ok: { value: { amount: 100, currency: 'EUR' } },
                  stringAmount: { value: { amount: '100', currency: 'EUR' } },
                  viaRef: { $ref: '#/components/examples/NegativeAmount' },
                },
              },
            },
          },
          responses: {
            '200': {
              description: 'ok',
              headers: { 'X-Count': { schema: { type: 'integer', minimum: 0 }, example: -1 } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Money' }, example: { amount: 1, currency: 'eur' } } },
            },
          },
        },
      },
    },
    webhooks: {
      'thing.happened': {
        post: {
          requestBody: {
            content: { 'application/json': { schema: money, examples: { extra: { value: { amount: 1, currency: 'EUR', note: 'x' } } } } },
          },
          responses: { '200': { description: 'ok' } },
        },
      },
    },
    components: {
      schemas: { Money: { ...money, examples: [{ amount: 5, currency: 'GBP' }, { amount: 5 }] } },
      examples: { NegativeAmount: { value: { amount: -5, currency: 'EUR' } } },
    },
  };

  it('reports each invalid example at its pointer, and only those', () => {
    const { violations } = findInvalidExamples(broken);
    const pointers = [...new Set(violations.map((v) => v.pointer))].sort();
    expect(pointers).toEqual(
      [
        '#/paths/~1items~1{itemId}/post/requestBody/content/application~1json/examples/viaRef/value',
        '#/components/schemas/Money/examples/1',
        '#/paths/~1items~1{itemId}/parameters/0/example',
        '#/paths/~1items~1{itemId}/post/requestBody/content/application~1json/examples/stringAmount/value',
        '#/paths/~1items~1{itemId}/post/responses/200/content/application~1json/example',
        '#/paths/~1items~1{itemId}/post/responses/200/headers/X-Count/example',
        '#/webhooks/thing.happened/post/requestBody/content/application~1json/examples/extra/value',
      ].sort(),
    );
  });

  it('explains what is wrong', () => {
    const { violations } = findInvalidExamples(broken);
    const stringAmount = violations.find((v) => v.pointer.endsWith('/stringAmount/value'));
    expect(stringAmount?.message).toBe('/amount must be integer');
    const viaRef = violations.find((v) => v.pointer.endsWith('/viaRef/value'));
    expect(viaRef?.message).toBe('/amount must be >= 0 (from #/components/examples/NegativeAmount)');
  });

  it('rejects schemas with unknown keywords (strict mode)', () => {
    const document: JsonObject = {
      openapi: '3.1.0',
      info: { title: 'typo', version: '1' },
      components: { schemas: { Thing: { type: 'string', maxLenght: 3, examples: ['abc'] } } },
    };
    const { violations } = findInvalidExamples(document);
    expect(violations).toHaveLength(1);
    expect(violations[0]?.message).toMatch(/unknown keyword: "maxLenght"/);
  });
});
