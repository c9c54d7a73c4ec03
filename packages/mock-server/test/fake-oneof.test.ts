import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApiModel, createApiDefinition, type ValidatedApi } from '@finrail/generators';
import type { Logger } from '@finrail/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockFetchHandler, generateValue, MOCK_SOURCE_HEADER, type Schema } from '../src/index.ts';

// Branches that accept each other's values: objects whose properties are all optional.
const card = { type: 'object', properties: { card_number: { type: 'string' }, expiry: { type: 'string', format: 'date' } } };
const iban = { type: 'object', properties: { iban: { type: 'string', minLength: 15 }, bic: { type: 'string' } } };

const schemas: Record<string, Schema> = {
  Card: card,
  Iban: iban,
  Instrument: { oneOf: [{ $ref: '#/components/schemas/Card' }, { $ref: '#/components/schemas/Iban' }] },
  // Discriminated by mapping; the branches overlap but for the tag.
  Cat: { type: 'object', required: ['petType'], properties: { petType: { type: 'string' }, name: { type: 'string' } } },
  Dog: { type: 'object', required: ['petType'], properties: { petType: { type: 'string' }, name: { type: 'string' }, barks: { type: 'boolean' } } },
  Pet: {
    oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
    discriminator: { propertyName: 'petType', mapping: { cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' } },
  },
  // Discriminated by const tags (ajv's discriminator): the pinned tags are kept, not replaced by component names.
  Circle: { type: 'object', required: ['kind', 'radius'], properties: { kind: { const: 'circle' }, radius: { type: 'number' } } },
  Square: { type: 'object', required: ['kind', 'side'], properties: { kind: { const: 'square' }, side: { type: 'number' } } },
  Shape: { oneOf: [{ $ref: '#/components/schemas/Circle' }, { $ref: '#/components/schemas/Square' }], discriminator: { propertyName: 'kind' } },
  Amount: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', pattern: '^[0-9]+\\.[0-9]{2}$' }] },
  Wallet: {
    type: 'object',
    required: ['instruments', 'amount'],
    properties: {
      instruments: { type: 'array', minItems: 3, items: { $ref: '#/components/schemas/Instrument' } },
      amount: { $ref: '#/components/schemas/Amount' },
      owner: { anyOf: [card, iban] },
    },
  },
  // No string matches this pattern (`^` after a digit): generation cannot be valid.
  Siret: { type: 'object', required: ['nic'], properties: { nic: { type: 'string', pattern: '[0-9]{5}^' } } },
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const answering = (name: string) => ({ responses: { '200': { description: 'ok', content: { 'application/json': { schema: ref(name) } } } } });
const document = {
  openapi: '3.1.0',
  info: { title: 'oneOf', version: '1' },
  paths: Object.fromEntries(['Instrument', 'Pet', 'Shape', 'Amount', 'Wallet', 'Siret'].map((name) => [`/${name.toLowerCase()}`, { get: { operationId: `get${name}`, ...answering(name) } }])),
  components: { schemas },
};

const seeds = Array.from({ length: 40 }, (_, index) => index + 1);
let api: ValidatedApi;

beforeAll(() => {
  api = createApiDefinition(buildApiModel({ path: '/virtual/oneof.json', document, openapi: '3.1' }));
});

function responseValidator(name: string) {
  return api.definition.operations.find((operation) => operation.operationId === `get${name}`)!.validators.responses!['200']!['application/json']!;
}

function invalidSeeds(name: string, withBranchValidators: boolean): number[] {
  const validate = responseValidator(name);
  return seeds.filter((seed) => !validate(generateValue(ref(name), { seed, document, direction: 'response', branchValidators: withBranchValidators ? api.branchValidators : undefined })));
}

describe('oneOf/anyOf with branch validators', () => {
  it('matches exactly one of two overlapping branches (drawn alone, the value matches both)', () => {
    expect(invalidSeeds('Instrument', false).length).toBeGreaterThan(0);
    expect(invalidSeeds('Instrument', true)).toEqual([]);
  });

  it('keeps the discriminator tag naming the branch drawn', () => {
    expect(invalidSeeds('Pet', true)).toEqual([]);
    const tags = new Set(seeds.map((seed) => (generateValue(ref('Pet'), { seed, document, direction: 'response', branchValidators: api.branchValidators }) as { petType: string }).petType));
    expect(tags).toEqual(new Set(['cat', 'dog']));
  });

  it('keeps tags pinned by const', () => {
    expect(invalidSeeds('Shape', true)).toEqual([]);
    const kinds = new Set(seeds.map((seed) => (generateValue(ref('Shape'), { seed, document, direction: 'response', branchValidators: api.branchValidators }) as { kind: string }).kind));
    expect(kinds).toEqual(new Set(['circle', 'square']));
  });

  it('satisfies anyOf', () => {
    expect(invalidSeeds('Amount', true)).toEqual([]);
  });

  it('repairs oneOf items nested in arrays, and anyOf properties', () => {
    expect(invalidSeeds('Wallet', true)).toEqual([]);
  });

  it('compiles each oneOf/anyOf list once', () => {
    const branches = (schemas.Instrument as { oneOf: Schema[] }).oneOf;
    expect(api.branchValidators.of(branches, 'response')).toBe(api.branchValidators.of(branches, 'response'));
    expect(api.branchValidators.of(branches, 'response')).toHaveLength(2);
  });
});

describe('a dynamic response no draw makes valid', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'finrail-oneof-'));
    await writeFile(join(directory, 'oneof.json'), JSON.stringify(document));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('is sent as dynamic-invalid, with one warning for the operation', async () => {
    const warnings: Array<{ object: object; message?: string }> = [];
    const logger: Logger = { info() {}, debug() {}, error() {}, warn: (object, message) => warnings.push({ object, message }), child: () => logger };
    const handle = await createMockFetchHandler({ specs: [join(directory, 'oneof.json')], auth: false, logger, watch: false });
    const sources: Array<string | null> = [];
    for (const path of ['/siret?__dynamic', '/siret?__dynamic&page=2', '/instrument?__dynamic']) {
      const response = await handle(new Request(`http://mock.test${path}`));
      await response.text();
      sources.push(response.headers.get(MOCK_SOURCE_HEADER));
    }
    expect(sources).toEqual(['dynamic-invalid', 'dynamic-invalid', 'dynamic']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.object).toMatchObject({ operationId: 'getSiret', source: 'dynamic-invalid' });
    // The warning says what is wrong, so the spec's author can fix it.
    const problems = (warnings[0]!.object as { problems: string[] }).problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((problem) => /^\/\S*: \S/.test(problem))).toBe(true);
  });
});
