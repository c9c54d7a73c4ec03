// The `types` target against openapi-typescript's raw output: each fixture spec holds a shape real
// specs hit. Raw output either fails `tsc --strict` itself or rejects correct usage; ours passes.
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApiModel, generateTypesSource, loadSpec, prepareForTypes } from '@finrail/generators';
import { makeTempProject, typecheck } from './corpus-typecheck.ts';

const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));
const fixtures = readdirSync(fixturesDir).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));

/** Usage that is correct for the spec: it must compile against our types. `TYPES` is replaced by the types module. */
const usage: Record<string, string> = {
  'read-write-only': `
    import createClient from 'openapi-fetch';
    import type { paths } from 'TYPES';
    const client = createClient<paths>({ baseUrl: 'http://127.0.0.1' });
    export async function createUser(): Promise<string | undefined> {
      // readOnly id/created_at are not sent; writeOnly password is not received
      const { data } = await client.POST('/users', { body: { email: 'a@example.com', password: 'secret' } });
      return data?.id;
    }`,
  'binary-multipart': `
    import createClient from 'openapi-fetch';
    import type { paths } from 'TYPES';
    const client = createClient<paths>({ baseUrl: 'http://127.0.0.1' });
    export async function upload(file: Blob) {
      await client.POST('/documents', { body: { file, purpose: 'identity', pages: [file] } });
      await client.PUT('/documents/{id}/content', { params: { path: { id: 'doc_1' } }, body: file });
    }`,
  discriminators: `
    import type { components } from 'TYPES';
    type Schemas = components['schemas'];
    export const card: Schemas['PaymentMethodInput'] = { type: 'card', last4: '4242' };
    export const sepa: Schemas['PaymentMethod'] = { type: 'sepa_debit', iban: 'DE89370400440532013000' };
    export function describe(pet: Schemas['Pet']): string {
      return pet.pet_type === 'Cat' ? String(pet.meows) : String(pet.barks);
    }`,
  'nullable-allof-required': `
    import type { components } from 'TYPES';
    export const charges: Array<components['schemas']['Charge']> = [
      { id: 'ch_1', card: { brand: 'visa', last4: '4242' } },
      { id: 'ch_2', card: null },
    ];`,
  'nullable-type-array-3.1': `
    import type { components } from 'TYPES';
    export const account: components['schemas']['Account'] = { id: 'acc_1', nickname: null, status: null, billing: { line1: '1 Main St' }, shipping: null };`,
  circular: `
    import type { components } from 'TYPES';
    type Schemas = components['schemas'];
    export const tree: Schemas['Node'] = { children: [{ parent: {} }], owner: { nodes: [] } };
    export const expr: Schemas['Expr'] = { left: 1, right: { left: 2, right: 3 } };
    export const named: Schemas['SelfAllOf'] = { name: 'x' };`,
  'deep-refs': `
    import type { components, paths } from 'TYPES';
    type Company = paths['/companies/{id}']['get']['responses']['200']['content']['application/json'];
    export const company: Company = { id: 'co_1', registered_at: '2026-01-01T00:00:00Z', tags: ['bank'], parent: { id: 'co_0' } };
    export const audit: components['schemas']['Audit'] = { at: '2026-01-01T00:00:00Z', tag: 'fintech', first: { by: 'ops' } };
    export const request: components['schemas']['EventRequest'] = { owner: { id: 'usr_1' } };
    // @ts-expect-error the inlined enum still constrains the value
    export const wrongTag: components['schemas']['Audit'] = { tag: 'insurer' };`,
  'inherited-discriminator': `
    import type { components } from 'TYPES';
    type Schemas = components['schemas'];
    export const circle: Schemas['Circle'] = { kind: 'circle', radius: 1 };
    export const square: Schemas['Square'] = { kind: 'square', side: 2 };
    export const triangle: Schemas['Triangle'] = { kind: 'Triangle', sides: [1, 1, 1] };
    // @ts-expect-error a square's tag is its own
    export const wrong: Schemas['Square'] = { kind: 'Square', side: 2 };`,
  enums: `
    import type { components } from 'TYPES';
    type Thing = components['schemas']['Thing'];
    export const thing: Thing = { status: 'with space', nullable_status: null, mixed: true, code: -1 };
    // @ts-expect-error not one of the enum values
    export const wrong: Thing = { status: 'archived' };`,
  'json-schema-2020-12': `
    import type { components, webhooks } from 'TYPES';
    type Schemas = components['schemas'];
    export const tree: Schemas['StringTree'] = { data: 'root', children: [{ data: 'leaf', children: [] }] };
    // @ts-expect-error a string tree's children hold strings too
    export const wrongChild: Schemas['StringTree'] = { children: [{ data: 1 }] };
    export const account: Schemas['Account'] = { id: 'acc_1', status: 'open', limit: { amount: '10', currency: 'EUR' } };
    // @ts-expect-error the limit's sibling keywords require a currency
    export const noCurrency: Schemas['Account'] = { id: 'acc_1', limit: { amount: '10' } };
    export const open: Schemas['Account'] = { ...account, closedReason: null, closedBy: null };
    // @ts-expect-error const: null allows null only
    export const reason: Schemas['Account'] = { ...account, closedBy: 'ops' };
    // @ts-expect-error const: null allows null only
    export const other: Schemas['Account'] = { ...account, closedReason: 'ops' };
    type Closed = NonNullable<webhooks['account.closed']['post']['requestBody']>['content']['application/json'];
    export const closed: Closed = account;`,
};

/** Fixtures whose raw openapi-typescript output does not compile on its own, and the error it gives. */
const rawFailsToCompile: Record<string, string> = {
  'nullable-allof-required': 'TS2344', // WithRequired<Card | null, 'brand'>: keyof (X | null) is never
  'nullable-type-array-3.1': 'TS2344',
  circular: 'TS2502', // SelfAllOf: allOf [SelfAllOf, ...] references itself
  discriminators: 'TS2502', // Pet: oneOf [Cat, Dog], Cat: allOf [Pet, ...]
  'inherited-discriminator': 'TS2300', // Square: its own `kind` and the `kind` openapi-typescript adds
  'deep-refs': 'TS2339', // a $ref into an operation's schema indexes keys (`schema`, `items`) the output lacks
};
/** Fixtures whose raw output compiles but rejects correct usage (readOnly required in bodies, string for Blobs, never for tags). */
const rawRejectsUsage = ['read-write-only', 'binary-multipart', 'discriminators', 'json-schema-2020-12'];

/** Fixtures on which raw openapi-typescript throws instead of generating. */
const rawThrows: Record<string, string> = {
  'model-features': 'unique `operationId`', // a duplicate operationId; ours deduplicates it
};

let diagnostics: Map<string, string[]>;
const rawErrors = new Map<string, string>();
let dir: string;
const rawFile = (name: string) => join(dir, 'raw', `${name}.ts`);
const oursFile = (name: string) => join(dir, 'ours', `${name}.ts`);
const usageFile = (flavour: 'raw' | 'ours', name: string) => join(dir, `usage-${flavour}`, `${name}.ts`);

beforeAll(async () => {
  dir = await makeTempProject('types');
  const { mkdir } = await import('node:fs/promises');
  for (const sub of ['raw', 'ours', 'usage-raw', 'usage-ours']) await mkdir(join(dir, sub));
  const files: string[] = [];
  for (const name of fixtures) {
    const loaded = await loadSpec(join(fixturesDir, `${name}.yaml`));
    const raw = await openapiTS(structuredClone(loaded.document) as unknown as OpenAPI3, { silent: true }).then(astToString, (error: Error) => {
      rawErrors.set(name, error.message);
      return '';
    });
    await writeFile(rawFile(name), raw);
    await writeFile(oursFile(name), await generateTypesSource(buildApiModel(loaded)));
    files.push(rawFile(name), oursFile(name));
    if (usage[name]) {
      for (const flavour of ['raw', 'ours'] as const) {
        await writeFile(usageFile(flavour, name), usage[name].replace("'TYPES'", `'../${flavour}/${name}.ts'`));
        files.push(usageFile(flavour, name));
      }
    }
  }
  diagnostics = typecheck(files);
}, 120_000);

describe('types target', () => {
  it.each(fixtures)('%s: our output passes tsc --strict', (name) => {
    expect(diagnostics.get(oursFile(name)) ?? []).toEqual([]);
  });

  it.each(Object.keys(usage))('%s: correct usage compiles against our types', (name) => {
    expect(diagnostics.get(usageFile('ours', name)) ?? []).toEqual([]);
  });

  it.each(Object.entries(rawFailsToCompile))('%s: raw openapi-typescript output fails with %s (the fixup is needed)', (name, code) => {
    expect((diagnostics.get(rawFile(name)) ?? []).join('\n')).toContain(code);
  });

  it.each(Object.entries(rawThrows))('%s: raw openapi-typescript throws (%s)', (name, message) => {
    expect(rawErrors.get(name)).toContain(message);
  });

  it('every model operation, even without an operationId, is in `operations` under its model id', async () => {
    const model = buildApiModel(await loadSpec(join(fixturesDir, 'model-features.yaml')));
    const source = await generateTypesSource(model);
    for (const op of model.operations) expect(source).toContain(`  ${/^[A-Za-z_$][\w$]*$/.test(op.operationId) ? op.operationId : JSON.stringify(op.operationId)}: {`);
  });

  it('keeps operationIds openapi-typescript would URI-decode (a stray %) out of its $refs', async () => {
    const model = buildApiModel({
      path: '/virtual/percent.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'Percent', version: '1' },
        paths: {
          '/a': { get: { operationId: '123_test_@#$%_special_tags', responses: { '204': { description: 'None' } } } },
          '/b': { get: { operationId: '123_test_@#$__special_tags', responses: { '204': { description: 'None' } } } },
        },
      },
    });
    const source = await generateTypesSource(model);
    expect(source).toContain('"123_test_@/$__special_tags": {');
    expect(source).toContain('"123_test_@/$__special_tags_2": {');
  });

  it.each(rawRejectsUsage)('%s: raw output rejects correct usage (the fixup is needed)', (name) => {
    expect(diagnostics.get(usageFile('raw', name)) ?? []).not.toEqual([]);
  });

  const canonicalWallets = fileURLToPath(new URL('../../specs/wallets/openapi.yaml', import.meta.url));
  it.each(['discriminators', 'circular', 'deep-refs', 'model-features', canonicalWallets])('%s: generating leaves the model document untouched', async (name) => {
    const loaded = await loadSpec(name.endsWith('.yaml') ? name : join(fixturesDir, `${name}.yaml`));
    const model = buildApiModel(loaded);
    const before = JSON.stringify(loaded.document);
    prepareForTypes(loaded.document, model);
    await generateTypesSource(model);
    expect(JSON.stringify(loaded.document)).toBe(before);
  });

  it('leaves the model document untouched by a discriminator outside components (inline in a response, in a property)', async () => {
    const cat = { type: 'object', properties: { kind: { type: 'string', enum: ['tabby', 'siamese'] }, lives: { type: 'integer' } } };
    const dog = { type: 'object', properties: { barks: { type: 'boolean' } } };
    const pets = { discriminator: { propertyName: 'kind' }, oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }] };
    const model = buildApiModel({
      path: '/virtual/inline-discriminator.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'Inline discriminator', version: '1' },
        paths: {
          '/pets': { get: { operationId: 'listPets', responses: { '200': { description: 'ok', content: { 'application/json': { schema: pets } } } } } },
        },
        components: { schemas: { Cat: cat, Dog: dog, Owner: { type: 'object', properties: { pet: structuredClone(pets) } } } },
      },
    });
    const before = JSON.stringify(model.document);
    await generateTypesSource(model);
    expect(JSON.stringify(model.document)).toBe(before);
  });

  it('heads the file and is deterministic', async () => {
    const { typesTarget } = await import('@finrail/generators');
    const model = buildApiModel(await loadSpec(join(fixturesDir, 'circular.yaml')));
    const context = { specLabel: 'specs/circular.yaml', header: '// generated by finrail from specs/circular.yaml; do not edit', targets: ['types'], options: {}, warn: () => {} };
    const [first] = await typesTarget.generate(model, context);
    const [second] = await typesTarget.generate(model, context);
    expect(first!.path).toBe('types.ts');
    expect(first!.contents.split('\n')[0]).toBe(context.header);
    expect(first!.contents).toBe(second!.contents);
    expect(first!.contents).toContain('\n  schemas: {\n    Node: {\n      parent?: '); // 2-space indentation
  });
});
