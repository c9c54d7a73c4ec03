import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getByRef, loadSpec, SpecInputError } from '@finrail/generators';

let dir: string;

async function write(relativePath: string, content: string): Promise<string> {
  const file = join(dir, relativePath);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, content);
  return file;
}

async function inputError(path: string): Promise<SpecInputError> {
  const error = await loadSpec(path).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SpecInputError);
  return error as SpecInputError;
}

const rootYaml = (moneyRef: string) => `openapi: 3.1.0
info: {title: Split, version: '1.0.0'}
paths:
  /balances:
    get:
      operationId: getBalance
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '${moneyRef}'
        '404':
          description: not found
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Problem'
components:
  schemas:
    Problem:
      type: object
      properties:
        title: {type: string}
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finrail-input-'));
  await write(
    'common/money.yaml',
    `Money:
  type: object
  properties:
    amount: {type: integer}
    currency: {$ref: '#/Currency'}
Currency:
  type: string
  pattern: '^[A-Z]{3}$'
`,
  );
});

describe('loadSpec on usable input', () => {
  it('bundles a multi-file YAML spec: external refs inlined, internal refs kept', async () => {
    const file = await write('api/openapi.yaml', rootYaml('../common/money.yaml#/Money'));
    const spec = await loadSpec(file);
    expect(spec.path).toBe(file);
    expect(spec.openapi).toBe('3.1');
    expect(spec.files).toEqual([file, join(dir, 'common/money.yaml')]);
    const json = JSON.stringify(spec.document);
    expect(json).not.toContain('.yaml');
    expect(json).toContain('"$ref":"#/components/schemas/Problem"');
    const schemas = spec.document.components?.schemas as Record<string, unknown>;
    expect(schemas.Money).toMatchObject({ type: 'object', properties: { currency: { $ref: '#/components/schemas/Currency' } } });
    expect(schemas.Currency).toEqual({ type: 'string', pattern: '^[A-Z]{3}$' });
  });

  it('inlines path items split into their own files, with the schemas they reference', async () => {
    await write('paths-split/paths/balance.yaml', `get:
  operationId: getBalance
  responses:
    '200':
      description: ok
      content:
        application/json:
          schema: {$ref: '../../common/money.yaml#/Money'}
`);
    const file = await write('paths-split/openapi.yaml', `openapi: 3.1.0
info: {title: Split paths, version: '1'}
paths:
  /balance: {$ref: 'paths/balance.yaml'}
`);
    const spec = await loadSpec(file);
    expect(spec.files).toEqual([file, join(dir, 'common/money.yaml'), join(dir, 'paths-split/paths/balance.yaml')]);
    const operation = (spec.document.paths?.['/balance'] as { get: { operationId: string; responses: Record<string, unknown> } }).get;
    expect(operation.operationId).toBe('getBalance');
    expect(JSON.stringify(operation.responses)).toContain('"$ref":"#/components/schemas/Money"');
    expect(spec.document.components?.schemas?.Money).toBeDefined();
  });

  it('reads JSON and OpenAPI 3.0 documents', async () => {
    const file = await write(
      'json/openapi.json',
      JSON.stringify({ openapi: '3.0.3', info: { title: 'J', version: '1' }, paths: {}, components: { schemas: { M: { $ref: '../common/money.yaml#/Money' } } } }),
    );
    const spec = await loadSpec(file);
    expect(spec.openapi).toBe('3.0');
    expect(JSON.stringify(spec.document)).not.toContain('.yaml');
  });

  it('accepts a path relative to the working directory', async () => {
    const file = await write('rel/openapi.yaml', rootYaml('#/components/schemas/Problem'));
    const spec = await loadSpec(relative(process.cwd(), file));
    expect(spec.path).toBe(file);
  });
});

describe('loadSpec on JSON Schema 2020-12 identifiers', () => {
  it('turns refs by $id, $anchor and $dynamicRef into local pointers, without fetching', async () => {
    const fixture = new URL('./fixtures/json-schema-2020-12.yaml', import.meta.url).pathname;
    const { document } = await loadSpec(fixture);
    const at = (pointer: string) => getByRef(document, pointer);
    expect(at('#/components/schemas/Account/properties/balance')).toEqual({ $ref: '#/components/schemas/Money', description: 'Settled balance.' });
    expect(at('#/components/pathItems/AccountClosed/post/requestBody/content/application~1json/schema')).toEqual({ $ref: '#/components/schemas/Account' });
    // The generic is used on its own as written; the schema binding its dynamic anchor gets a copy bound to itself.
    expect(at('#/components/schemas/Tree/properties/children/items')).toEqual({ $ref: '#/components/schemas/Tree' });
    expect(at('#/components/schemas/StringTree/$ref')).toBe('#/components/schemas/StringTree/$defs/finrail-bound');
    expect(at('#/components/schemas/StringTree/$defs/finrail-bound/properties/children/items')).toEqual({ $ref: '#/components/schemas/StringTree' });
    expect(JSON.stringify(document)).not.toMatch(/"\$(id|anchor|dynamicAnchor|dynamicRef)"/);
  });
});

describe('loadSpec on unusable input', () => {
  it('names a missing file', async () => {
    const error = await inputError(join(dir, 'nope.yaml'));
    expect(error).toMatchObject({ code: 'file-not-found', file: join(dir, 'nope.yaml'), line: undefined });
  });

  it('refuses a directory', async () => {
    expect(await inputError(join(dir, 'common'))).toMatchObject({ code: 'file-unreadable' });
  });

  it('gives line and column of YAML that does not parse', async () => {
    const file = await write('bad.yaml', 'openapi: 3.1.0\ninfo:\n  title: [unclosed\n  version: 1\n');
    const error = await inputError(file);
    expect(error).toMatchObject({ code: 'yaml-parse', file, line: 4, column: 3 });
    expect(error.message).toMatch(/does not parse/);
  });

  it('gives line and column of JSON that does not parse', async () => {
    const file = await write('bad.json', '{\n  "openapi": "3.1.0",\n  "info": {\n}\n');
    expect(await inputError(file)).toMatchObject({ code: 'yaml-parse', file, line: 5 });
  });

  it('reports a file holding several YAML documents, without a made-up position', async () => {
    const file = await write('multi.yaml', 'openapi: 3.1.0\ninfo: {title: a, version: "1"}\npaths: {}\n---\nfoo: 1\n');
    const error = await inputError(file);
    expect(error).toMatchObject({ code: 'yaml-parse', file, line: undefined, column: undefined });
    expect(error.message).toContain('expected a single document');
  });

  it('names an unparsable referenced file, not the root', async () => {
    await write('broken/parts.yaml', 'Money:\n  type: [object\n');
    const file = await write('broken/openapi.yaml', rootYaml('parts.yaml#/Money'));
    expect(await inputError(file)).toMatchObject({ code: 'yaml-parse', file: join(dir, 'broken/parts.yaml'), line: 3, column: 1 });
  });

  it('says which $ref to a missing file does not resolve, from which file and where', async () => {
    const file = await write('missing-ref/openapi.yaml', rootYaml('../common/nomoney.yaml#/Money'));
    const error = await inputError(file);
    expect(error).toMatchObject({ code: 'unresolved-ref', file, line: 13, column: 17 });
    expect(error.message).toContain('"../common/nomoney.yaml#/Money"');
    expect(error.message).toContain('file not found');
  });

  it('says which $ref to a missing pointer does not resolve', async () => {
    const file = await write('missing-pointer/openapi.yaml', rootYaml('../common/money.yaml#/Nope'));
    const error = await inputError(file);
    expect(error).toMatchObject({ code: 'unresolved-ref', file, line: 13, column: 17 });
    expect(error.message).toBe('$ref "../common/money.yaml#/Nope" does not resolve: nothing at /Nope in ../common/money.yaml');
  });

  it('reports an unresolvable internal $ref', async () => {
    const file = await write('missing-internal/openapi.yaml', rootYaml('#/components/schemas/Missing'));
    const error = await inputError(file);
    expect(error).toMatchObject({ code: 'unresolved-ref', file, line: 13 });
    expect(error.message).toMatch(/^\$ref "#\/components\/schemas\/Missing" does not resolve: nothing at \/components\/schemas\/Missing in this file/);
  });

  it('explains a $ref chain that only points back at itself', async () => {
    const file = await write(
      'alias-cycle.yaml',
      `openapi: 3.1.0
info: { title: cycle, version: '1' }
paths: {}
components:
  schemas:
    A: { $ref: '#/components/schemas/B' }
    B: { $ref: '#/components/schemas/A' }
`,
    );
    const error = await inputError(file);
    expect(error).toMatchObject({ code: 'circular-ref', file });
    expect(error.message).toMatch(/points back at itself/);
  });

  it('reports an unresolvable $ref inside a referenced file at its own location', async () => {
    await write('nested/parts.yaml', 'Money:\n  type: object\n  properties:\n    currency: {$ref: "#/Nope"}\n');
    const file = await write('nested/openapi.yaml', rootYaml('parts.yaml#/Money'));
    expect(await inputError(file)).toMatchObject({ code: 'unresolved-ref', file: join(dir, 'nested/parts.yaml'), line: 4 });
  });

  it('rejects documents that are not OpenAPI', async () => {
    expect(await inputError(await write('plain.yaml', 'name: not a spec\n'))).toMatchObject({ code: 'not-openapi' });
    expect(await inputError(await write('empty.yaml', ''))).toMatchObject({ code: 'not-openapi' });
    expect(await inputError(await write('list.yaml', '- a\n- b\n'))).toMatchObject({ code: 'not-openapi' });
    const asyncapi = await inputError(await write('asyncapi.yaml', 'asyncapi: 2.6.0\ninfo: {title: x, version: "1"}\n'));
    expect(asyncapi.message).toContain('AsyncAPI');
  });

  it('asks for Swagger 2.0 to be converted to OpenAPI 3.x', async () => {
    const file = await write('swagger.yaml', 'swagger: "2.0"\ninfo: {title: x, version: "1"}\npaths: {}\n');
    const error = await inputError(file);
    expect(error).toMatchObject({ code: 'swagger-2', file, line: 1 });
    expect(error.message).toMatch(/convert it to OpenAPI 3\.x/);
    expect(error.message).toContain('swagger2openapi');
  });

  it('rejects OpenAPI versions other than 3.0.x and 3.1.x, pointing at the version', async () => {
    const file = await write('v32.yaml', 'info: {title: x, version: "1"}\nopenapi: 3.2.0\npaths: {}\n');
    const error = await inputError(file);
    expect(error).toMatchObject({ code: 'unsupported-openapi-version', file, line: 2, column: 10 });
    expect(error.message).toContain('3.2.0');
    const unquoted = await inputError(await write('number.yaml', 'openapi: 3.1\ninfo: {title: x, version: "1"}\npaths: {}\n'));
    expect(unquoted).toMatchObject({ code: 'unsupported-openapi-version', line: 1 });
  });
});
