// The `server` target end to end: generate stubs for a fixture spec, prove with tsc that the
// handler types accept documented responses and reject everything else, run requests through
// the generated router, and type-check stubs for every corpus spec.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toFetchHandler } from '@finrail/server';
import { planGeneration, writePlan } from '../src/generate/index.ts';

const run = promisify(execFile);
const generatorsDir = fileURLToPath(new URL('..', import.meta.url));
const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
const corpusDir = fileURLToPath(new URL('../../../shared/specs-corpus', import.meta.url));
const baseConfig = fileURLToPath(new URL('../../tsconfig.base.json', import.meta.url));

const fixture = `openapi: 3.1.0
info: { title: Stub fixture, version: 1.0.0 }
servers: [{ url: 'https://api.example.com/v2' }]
components:
  securitySchemes:
    oauth: { type: oauth2, flows: { clientCredentials: { tokenUrl: /oauth/token, scopes: { 'accounts:read': read, 'accounts:write': write } } } }
  schemas:
    Problem:
      type: object
      required: [type, title, status, detail]
      properties: { type: { type: string }, title: { type: string }, status: { type: integer }, detail: { type: string }, request_id: { type: string }, errors: { type: array } }
    Account:
      type: object
      additionalProperties: false
      required: [id, name, balance, created_at]
      properties:
        id: { type: string, pattern: '^acc_[a-z0-9]+$', readOnly: true }
        name: { type: string, minLength: 1 }
        balance: { type: integer, minimum: 0, readOnly: true }
        created_at: { type: string, format: date-time, readOnly: true }
        pin: { type: string, writeOnly: true, pattern: '^[0-9]{4}$' }
        currency: { type: string, default: EUR }
security: [{ oauth: ['accounts:read'] }]
paths:
  /accounts:
    post:
      operationId: createAccount
      security: [{ oauth: ['accounts:write'] }]
      parameters:
        - { name: Idempotency-Key, in: header, required: true, schema: { type: string, minLength: 1 } }
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/Account' } } }
      responses:
        '201': { description: Created, content: { application/json: { schema: { $ref: '#/components/schemas/Account' } } } }
        '4XX': { description: Client error, content: { application/problem+json: { schema: { $ref: '#/components/schemas/Problem' } } } }
    get:
      operationId: listAccounts
      parameters:
        - { name: limit, in: query, schema: { type: integer, minimum: 1, maximum: 100, default: 20 } }
        - { name: ids, in: query, explode: false, schema: { type: array, items: { type: string } } }
      responses:
        '200':
          description: A page
          content: { application/json: { schema: { type: object, required: [data], properties: { data: { type: array, items: { $ref: '#/components/schemas/Account' } } } } } }
  /accounts/{accountId}:
    parameters:
      - { name: accountId, in: path, required: true, schema: { type: string, pattern: '^acc_[a-z0-9]+$' } }
    get:
      operationId: getAccount
      responses:
        '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/Account' } } } }
        '404': { description: Missing, content: { application/problem+json: { schema: { $ref: '#/components/schemas/Problem' } } } }
    delete:
      operationId: deleteAccount
      responses:
        '204': { description: Deleted }
`;

// Compiles only if the generated types are right: each @ts-expect-error must be an error.
const typeChecks = `import { notImplemented } from '@finrail/server';
import { createRouter, type Handlers, type CreateAccountInput, type CreateAccountOutput, type GetAccountOutput } from './server.ts';

export const handlers: Handlers = {
  createAccount: async (input: CreateAccountInput): Promise<CreateAccountOutput> => {
    const key: string = input.headers['Idempotency-Key'];
    const name: string = input.body.name;
    const pin: string | undefined = input.body.pin;
    // The runtime fills in schema defaults, so a defaulted property is present in the handler.
    const currency: string = input.body.currency;
    // @ts-expect-error readOnly properties are not part of a request body
    input.body.id satisfies string;
    return { status: 201, body: { id: 'acc_1', name: name + key + (pin ?? '') + currency, balance: 0, created_at: '2026-11-23T10:00:00Z' } };
  },
  listAccounts: ({ query }) => ({ status: 200, body: { data: [], limit: query.limit } as never }),
  getAccount: ({ params }) =>
    params.accountId === 'acc_missing'
      ? { status: 404, body: { type: 'about:blank', title: 'Not found', status: 404, detail: 'no such account' }, contentType: 'application/problem+json' }
      : { status: 200, body: { id: params.accountId, name: 'Main', balance: 1, created_at: '2026-11-23T10:00:00Z' } },
  deleteAccount: notImplemented,
};

// @ts-expect-error 418 is not a documented status
export const undocumentedStatus: GetAccountOutput = { status: 418, body: { type: 'x', title: 'x', status: 418, detail: 'x' } };
// @ts-expect-error the 200 body must be an Account
export const wrongBody: GetAccountOutput = { status: 200, body: { id: 'acc_1' } };
// @ts-expect-error writeOnly properties never appear in a response body
export const leaksWriteOnly: GetAccountOutput = { status: 200, body: { id: 'acc_1', name: 'n', balance: 1, created_at: 'x', pin: '1234' } };
export const rangeStatus: CreateAccountOutput = { status: 409, body: { type: 'x', title: 'x', status: 409, detail: 'x' } };
// @ts-expect-error every operation needs a handler
export const missing: Handlers = { createAccount: notImplemented, listAccounts: notImplemented, getAccount: notImplemented };
export const router = createRouter(handlers, { security: false });
`;

async function typeCheck(directory: string, include: string[]): Promise<string> {
  await writeFile(
    join(directory, 'tsconfig.json'),
    JSON.stringify({ extends: baseConfig, compilerOptions: { strict: true, noEmit: true }, include }),
  );
  try {
    await run(process.execPath, [tsc, '-p', join(directory, 'tsconfig.json')], { cwd: directory, maxBuffer: 16 * 1024 * 1024 });
    return '';
  } catch (error) {
    return (error as { stdout?: string }).stdout || String(error);
  }
}

// Generated code imports @finrail/server by name, so it has to live inside the workspace.
const directories: string[] = [];
async function workspaceTempDir(prefix: string): Promise<string> {
  const directory = await mkdtemp(join(generatorsDir, `.tmp-${prefix}-`));
  directories.push(directory);
  return directory;
}
afterAll(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

describe('server target', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await workspaceTempDir('server');
    await writeFile(join(directory, 'fixture.yaml'), fixture);
    const plan = await planGeneration([{ spec: join(directory, 'fixture.yaml'), specLabel: 'fixture.yaml', out: join(directory, 'out'), targets: ['server'] }]);
    await writePlan(plan);
    await writeFile(join(directory, 'out', 'type-checks.ts'), typeChecks);
  });

  it('emits server.ts, validators and the types it builds on, each with the generated header', async () => {
    const files = (await readdir(join(directory, 'out'))).sort();
    expect(files).toEqual(['server.ts', 'type-checks.ts', 'types.ts', 'validators.d.ts', 'validators.js']);
    const { readFile } = await import('node:fs/promises');
    for (const file of ['server.ts', 'validators.js', 'validators.d.ts']) {
      expect((await readFile(join(directory, 'out', file), 'utf8')).split('\n')[0]).toBe('// generated by finrail from fixture.yaml; do not edit');
    }
    const validators = await readFile(join(directory, 'out', 'validators.js'), 'utf8');
    expect(validators).not.toMatch(/new Function|require\(/);
  });

  it('type-checks under tsc --strict and rejects off-contract handlers', async () => {
    expect(await typeCheck(join(directory, 'out'), ['*.ts'])).toBe('');
  });

  it('serves requests through the generated router with validation and coercion', async () => {
    const server = await import(pathToFileURL(join(directory, 'out', 'server.ts')).href);
    let seenQuery: unknown;
    const handle = toFetchHandler(
      server.createRouter(
        {
          createAccount: ({ body }: { body: { name: string } }) => ({
            status: 201,
            body: { id: 'acc_new', name: body.name, balance: 0, created_at: '2026-11-23T10:00:00Z' },
          }),
          listAccounts: ({ query }: { query: unknown }) => {
            seenQuery = query;
            return { status: 200, body: { data: [] } };
          },
          getAccount: ({ params }: { params: { accountId: string } }) => ({ status: 200, body: { id: params.accountId, name: 'Main', balance: -5, created_at: 'now' } }),
          deleteAccount: () => ({ status: 204 }),
        },
        { security: false, logger: false },
      ),
    );
    const send = (path: string, init?: RequestInit) => handle(new Request(`http://stub.test${path}`, init));

    const list = await send('/v2/accounts?limit=5&ids=acc_a,acc_b');
    expect(list.status).toBe(200);
    expect(seenQuery).toEqual({ limit: 5, ids: ['acc_a', 'acc_b'] });

    const invalid = await send('/v2/accounts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '', pin: '12' }) });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).errors).toEqual([
      { pointer: '/header/Idempotency-Key', detail: 'is required', code: 'required' },
      { pointer: '/body/name', detail: 'must NOT have fewer than 1 characters', code: 'minLength' },
      { pointer: '/body/pin', detail: 'must match the pattern ^[0-9]{4}$', code: 'pattern' },
    ]);

    const created = await send('/v2/accounts', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' },
      body: JSON.stringify({ name: 'Savings', pin: '1234' }),
    });
    expect(created.status).toBe(201);

    const offContract = await send('/v2/accounts/acc_1');
    expect(offContract.status).toBe(500);
    expect((await offContract.json()).errors).toEqual([
      { pointer: '/body/balance', detail: 'must be >= 0', code: 'minimum' },
      { pointer: '/body/created_at', detail: 'must be a valid date-time', code: 'format' },
    ]);

    expect((await send('/v2/accounts/acc_1', { method: 'DELETE' })).status).toBe(204);
    expect((await send('/v2/accounts/bad-id', { method: 'DELETE' })).status).toBe(400);
  });
});

const contractFixture = `openapi: 3.0.3
info: { title: Headers and forms, version: 1.0.0 }
components:
  headers:
    RateLimit-Limit: { required: true, schema: { type: integer, minimum: 1 } }
  schemas:
    Transfer:
      type: object
      additionalProperties: false
      required: [amount, currency]
      properties:
        amount: { type: integer, minimum: 1 }
        currency: { type: string, pattern: '^[A-Z]{3}$' }
        instant: { type: boolean, default: false }
        tags: { type: array, items: { type: integer } }
        metadata: { type: object, required: [ref], properties: { ref: { type: string } } }
        labels: { type: object, additionalProperties: false, properties: { channel: { type: string }, priority: { type: integer } } }
        receipt: { type: string, format: binary }
paths:
  /transfers:
    post:
      operationId: createTransfer
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: { $ref: '#/components/schemas/Transfer' }
            encoding: { metadata: { contentType: application/json }, labels: { style: deepObject, explode: true } }
          multipart/form-data:
            schema: { $ref: '#/components/schemas/Transfer' }
      responses:
        '201':
          description: Created.
          headers:
            RateLimit-Limit: { $ref: '#/components/headers/RateLimit-Limit' }
            Location: { required: true, schema: { type: string, pattern: '^/transfers/' } }
            Content-Type: { required: true, schema: { type: string } }
          content:
            application/json:
              schema: { type: object, properties: { id: { type: string } } }
`;

describe('server stubs validate response headers and form bodies', () => {
  let handle: (request: Request) => Promise<Response>;
  let received: Record<string, unknown> | undefined;
  let location: string | undefined;
  let rateLimit: string | undefined;
  beforeAll(async () => {
    const directory = await workspaceTempDir('contract');
    await writeFile(join(directory, 'contract.yaml'), contractFixture);
    const plan = await planGeneration([{ spec: join(directory, 'contract.yaml'), specLabel: 'contract.yaml', out: join(directory, 'out'), targets: ['server'] }]);
    await writePlan(plan);
    const server = await import(pathToFileURL(join(directory, 'out', 'server.ts')).href);
    const router = server.createRouter(
      {
        createTransfer: ({ body }: { body: Record<string, unknown> }) => {
          received = body;
          return { status: 201, body: { id: 'tr_1' }, headers: { Location: location, 'ratelimit-limit': rateLimit } };
        },
      },
      { security: false, logger: false },
    );
    handle = toFetchHandler(router);
  });
  const post = (body: BodyInit, headers: Record<string, string> = {}) => handle(new Request('http://stub.test/transfers', { method: 'POST', body, headers }));
  const urlencoded = { 'content-type': 'application/x-www-form-urlencoded' };

  it('answers 500 naming a missing required header, and an invalid header value', async () => {
    [location, rateLimit] = [undefined, undefined];
    const missing = await post('amount=5&currency=EUR', urlencoded);
    expect(missing.status).toBe(500);
    expect((await missing.json()).errors).toEqual([
      { pointer: '/header/RateLimit-Limit', detail: 'is required', code: 'required' },
      { pointer: '/header/Location', detail: 'is required', code: 'required' },
    ]);
    [location, rateLimit] = ['/elsewhere', 'many'];
    const invalid = await post('amount=5&currency=EUR', urlencoded);
    expect((await invalid.json()).errors).toEqual([
      { pointer: '/header/RateLimit-Limit', detail: 'must be an integer', code: 'type' },
      { pointer: '/header/Location', detail: 'must match the pattern ^/transfers/', code: 'pattern' },
    ]);
  });

  it('urlencoded: 400 per missing or mistyped field; valid fields reach the handler typed', async () => {
    [location, rateLimit] = ['/transfers/tr_1', '100'];
    const invalid = await post('amount=five&tags=1&tags=x&metadata=%7B%7D', urlencoded);
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).errors).toEqual([
      { pointer: '/body/currency', detail: 'is required', code: 'required' },
      { pointer: '/body/amount', detail: 'must be an integer', code: 'type' },
      { pointer: '/body/tags/1', detail: 'must be an integer', code: 'type' },
      { pointer: '/body/metadata/ref', detail: 'is required', code: 'required' },
    ]);
    const valid = await post('amount=5&currency=EUR&tags=1&tags=2&metadata=%7B%22ref%22%3A%22x%22%7D', urlencoded);
    expect(valid.status).toBe(201);
    expect(valid.headers.get('location')).toBe('/transfers/tr_1');
    expect(received).toEqual({ amount: 5, currency: 'EUR', instant: false, tags: [1, 2], metadata: { ref: 'x' } });
    const labelled = await post('amount=5&currency=EUR&labels[channel]=web&labels%5Bpriority%5D=2', urlencoded);
    expect(labelled.status).toBe(201);
    expect(received).toEqual({ amount: 5, currency: 'EUR', instant: false, labels: { channel: 'web', priority: 2 } });
    const mislabelled = await post('amount=5&currency=EUR&labels[priority]=high', urlencoded);
    expect((await mislabelled.json()).errors).toEqual([{ pointer: '/body/labels/priority', detail: 'must be an integer', code: 'type' }]);
  });

  it('multipart: 400 per missing or mistyped field; valid parts reach the handler typed, files as Blobs', async () => {
    const invalid = new FormData();
    invalid.append('amount', '0');
    invalid.append('instant', 'yes');
    const rejected = await post(invalid);
    expect(rejected.status).toBe(400);
    expect((await rejected.json()).errors).toEqual([
      { pointer: '/body/currency', detail: 'is required', code: 'required' },
      { pointer: '/body/amount', detail: 'must be >= 1', code: 'minimum' },
      { pointer: '/body/instant', detail: 'must be a boolean', code: 'type' },
    ]);
    const form = new FormData();
    form.append('amount', '12');
    form.append('currency', 'USD');
    form.append('instant', 'true');
    form.append('metadata', new Blob(['{"ref":"m"}'], { type: 'application/json' }));
    form.append('receipt', new Blob(['%PDF'], { type: 'application/pdf' }), 'receipt.pdf');
    const accepted = await post(form);
    expect(accepted.status).toBe(201);
    const { receipt, ...fields } = received!;
    expect(fields).toEqual({ amount: 12, currency: 'USD', instant: true, metadata: { ref: 'm' } });
    expect(await (receipt as Blob).text()).toBe('%PDF');
  });
});

describe('server stubs for a very large spec', () => {
  it('split their validators into scoped modules past 300 exports, and every export still validates', async () => {
    const paths: Record<string, unknown> = {};
    for (let i = 0; i < 120; i++) {
      paths[`/things${i}/{id}`] = {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^t_' } }],
        get: { operationId: `getThing${i}`, responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } } },
        put: {
          operationId: `putThing${i}`,
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          responses: { '204': { description: 'stored' } },
        },
      };
    }
    const thing = { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 2 } } };
    const document = { openapi: '3.1.0', info: { title: 'Large', version: '1' }, paths, components: { schemas: { Thing: thing } } };
    const directory = await workspaceTempDir('large');
    await writeFile(join(directory, 'large.json'), JSON.stringify(document));
    await writePlan(await planGeneration([{ spec: join(directory, 'large.json'), specLabel: 'large.json', out: join(directory, 'out'), targets: ['server'] }]));
    const { readFile } = await import('node:fs/promises');
    const source = await readFile(join(directory, 'out', 'validators.js'), 'utf8');
    expect(source).toContain('const __validators2 = (() => {');
    const validators = (await import(pathToFileURL(join(directory, 'out', 'validators.js')).href)) as Record<string, (value: unknown) => boolean>;
    const names = Object.keys(validators);
    expect(names.length).toBeGreaterThan(300);
    const bodies = names.filter((name) => /^putThing\d+_body/.test(name));
    expect(bodies).toHaveLength(120);
    for (const name of bodies) {
      expect(validators[name]!({ name: 'ok' })).toBe(true);
      expect(validators[name]!({ name: 'x' })).toBe(false);
    }
  });
});

describe('server stubs for the corpus', () => {
  it('type-check under tsc --strict for every spec', async (context) => {
    let specs: string[];
    try {
      specs = (await readdir(corpusDir)).filter((file) => /\.(ya?ml|json)$/.test(file)).sort();
    } catch {
      console.log(`skipping corpus stubs: ${corpusDir} is absent`);
      context.skip();
      return;
    }
    const directory = await workspaceTempDir('corpus');
    const jobs = specs.map((spec) => ({ spec: join(corpusDir, spec), specLabel: spec, out: join(directory, spec.replace(/\.[^.]+$/, '')), targets: ['server'] }));
    await writePlan(await planGeneration(jobs));
    expect(await typeCheck(directory, ['*/*.ts'])).toBe('');
  }, 180_000);
});
