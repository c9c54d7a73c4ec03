import { describe, expect, it } from 'vitest';
import { compileParameterParser } from '@finrail/server';
import { taggingApi } from './support/tagging-api.ts';
import { TABLE_ROWS, TABLE_ROWS_PATH, tableApi } from './support/table-api.ts';
import { buildApiModel } from '../src/model/build.ts';
import { generatePactSource, planInteractions, pactTarget } from '../src/targets/pact/index.ts';
import { MatcherBuilder, anchoredPattern } from '../src/targets/pact/matchers.ts';
import { getTarget } from '../src/generate/registry.ts';
import { createApiDefinition } from '../src/validation/index.ts';

const schemas = {
  Money: { type: 'object', required: ['amount', 'currency'], properties: { amount: { type: 'integer' }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } } },
  Wallet: {
    type: 'object',
    required: ['id', 'status', 'balance', 'created_at', 'closed_at', 'tags'],
    properties: {
      id: { type: 'string', pattern: '^wal_[0-9A-Z]{4}$' },
      status: { type: 'string', enum: ['active', 'frozen'] },
      balance: { $ref: '#/components/schemas/Money' },
      rate: { type: 'number' },
      created_at: { type: 'string', format: 'date-time' },
      closed_at: { type: ['string', 'null'], format: 'date-time' },
      nickname: { type: 'string' },
      tags: { type: 'array', minItems: 2, items: { type: 'string' } },
    },
  },
};

const document = {
  openapi: '3.1.0',
  info: { title: 'Fixture', version: '1.0.0' },
  servers: [{ url: 'https://api.example.test/v1' }],
  security: [{ oauth2: [] }],
  paths: {
    '/wallets': {
      post: {
        operationId: 'createWallet',
        tags: ['Wallets'],
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', minLength: 1, maxLength: 255 } }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', properties: { currency: { type: 'string' } } }, examples: { eur: { value: { currency: 'EUR' } } } } },
        },
        responses: {
          '201': {
            description: 'created',
            headers: { 'X-Request-Id': { schema: { type: 'string', pattern: '^req_[0-9]+$' }, example: 'req_1' } },
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Wallet' },
                examples: {
                  eur: {
                    'x-finrail-state': { name: 'no wallets exist' },
                    value: {
                      id: 'wal_AB12', status: 'active', balance: { amount: 0, currency: 'EUR' }, rate: 1.5,
                      created_at: '2026-11-02T08:00:00Z', closed_at: null, nickname: 'Fun money', tags: ['a', 'b', 'c'],
                    },
                  },
                },
              },
            },
          },
          '400': {
            description: 'bad',
            content: { 'application/problem+json': { schema: { type: 'object', required: ['status'], properties: { status: { type: 'integer' } } }, examples: { malformed: { value: { status: 400 } } } } },
          },
        },
      },
    },
    '/wallets/{walletId}': {
      get: {
        operationId: 'getWallet',
        tags: ['Wallets'],
        parameters: [{ name: 'walletId', in: 'path', required: true, schema: { type: 'string' }, example: 'wal_ZZ99' }],
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Wallet' }, examples: { alice: { value: { id: 'wal_AB12', status: 'active', balance: { amount: 5, currency: 'EUR' }, created_at: '2026-11-02T08:00:00Z', closed_at: null, tags: ['x', 'y'] } } } } } },
          '404': { description: 'missing', content: { 'application/json': { schema: { type: 'object', properties: { status: { type: 'integer' } } }, examples: { gone: { 'x-finrail-state': { name: 'wallet does not exist', params: { walletId: 'wal_0000' } }, value: { status: 404 } } } } } },
        },
      },
    },
  },
  components: { schemas, securitySchemes: { oauth2: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: {} } } } } },
};

const model = buildApiModel({ path: '/fixture/openapi.yaml', document, openapi: '3.1' });

describe('pact target', () => {
  it('is registered as "pact"', () => {
    expect(getTarget('pact')).toBe(pactTarget);
  });

  it('plans one interaction per documented response example, with states from x-finrail-state or derived', () => {
    const interactions = planInteractions(model);
    expect(interactions.map((i) => [i.description, i.providerState])).toEqual([
      ['createWallet 201 eur', { name: 'no wallets exist', params: {} }],
      ['createWallet 400 malformed', undefined],
      ['getWallet 200 alice', { name: 'wallet exists', params: { walletId: 'wal_ZZ99' } }],
      ['getWallet 404 gone', { name: 'wallet does not exist', params: { walletId: 'wal_0000' } }],
    ]);
  });

  it('builds requests from examples, with the base path, state params in the path and regex auth and idempotency headers', () => {
    const [created, malformed, found, missing] = planInteractions(model);
    expect(created!.request).toEqual({
      method: 'POST',
      path: '/v1/wallets',
      headers: {
        Authorization: { 'pact:matcher:type': 'regex', regex: '^Bearer \\S+$', value: 'Bearer sandbox-access-token' },
        'Idempotency-Key': { 'pact:matcher:type': 'regex', regex: '^.{1,255}$', value: 'eur-0001' },
        'Content-Type': { 'pact:matcher:type': 'regex', regex: '^application/json(;.*)?$', value: 'application/json' },
      },
      body: { currency: 'EUR' },
    });
    expect(created!.sdk).toEqual({ resource: ['wallets'], method: 'create', params: { body: { currency: 'EUR' } } });
    // A 400 needs a request the provider rejects: a body of the wrong type.
    expect(malformed!.request.body).toEqual([]);
    expect(found!.request.path).toBe('/v1/wallets/wal_ZZ99');
    expect(missing!.request.path).toBe('/v1/wallets/wal_0000');
    expect(missing!.sdk.params).toEqual({ walletId: 'wal_0000' });
  });

  it('derives response matchers from the schema: regex for patterns, enums and formats, integer vs number, eachLike with minItems', () => {
    const [created] = planInteractions(model);
    expect(created!.response.headers).toEqual({
      'Content-Type': { 'pact:matcher:type': 'regex', regex: '^application/json(;.*)?$', value: 'application/json' },
      'X-Request-Id': { 'pact:matcher:type': 'regex', regex: '^req_[0-9]+$', value: 'req_1' },
    });
    expect(created!.response.body).toEqual({
      id: { 'pact:matcher:type': 'regex', regex: '^wal_[0-9A-Z]{4}$', value: 'wal_AB12' },
      status: { 'pact:matcher:type': 'regex', regex: '^(active|frozen)$', value: 'active' },
      balance: {
        amount: { 'pact:matcher:type': 'integer', value: 0 },
        currency: { 'pact:matcher:type': 'regex', regex: '^[A-Z]{3}$', value: 'EUR' },
      },
      created_at: { 'pact:matcher:type': 'regex', regex: expect.stringContaining('\\d{4}-\\d{2}-\\d{2}T'), value: '2026-11-02T08:00:00Z' },
      closed_at: null,
      tags: { 'pact:matcher:type': 'type', min: 2, value: [{ 'pact:matcher:type': 'type', value: 'a' }, { 'pact:matcher:type': 'type', value: 'a' }] },
    });
    // Optional properties (rate, nickname) are left out: a provider may omit them.
  });

  it('matches array items one by one when their null keys differ, since Pact has no "string or null"', () => {
    const builder = new MatcherBuilder(document);
    const schema = { type: 'array', items: { type: 'object', required: ['id', 'posted_at'], properties: { id: { type: 'string' }, posted_at: { type: ['string', 'null'] } } } };
    const built = builder.build(schema, [{ id: 'a', posted_at: null }, { id: 'b', posted_at: 'x' }]);
    expect(built).toEqual([
      { id: { 'pact:matcher:type': 'type', value: 'a' }, posted_at: null },
      { id: { 'pact:matcher:type': 'type', value: 'b' }, posted_at: { 'pact:matcher:type': 'type', value: 'x' } },
    ]);
    expect(builder.build({ type: 'number' }, 2.5)).toEqual({ 'pact:matcher:type': 'number', value: 2.5 });
  });

  it('anchors patterns for Pact (whole-value regexes) and refuses ECMAScript-only syntax', () => {
    expect(anchoredPattern('^wal_[0-9]+$')).toBe('^wal_[0-9]+$');
    expect(anchoredPattern('[0-9]+')).toBe('^.*[0-9]+.*$');
    expect(anchoredPattern('^(?!x)a$')).toBeUndefined();
  });

  it('sends what a provider requires even without examples, and never an example the spec rejects', () => {
    // Parameter and body examples that break their schemas are replaced, as the mock never serves them.
    const bare = buildApiModel({
      path: '/fixture/bare.yaml',
      openapi: '3.1',
      document: {
        openapi: '3.1.0',
        info: { title: 'Bare', version: '1' },
        paths: {
          '/boards/{row}/{column}/{ids}': {
            put: {
              operationId: 'putSquare',
              parameters: [
                { name: 'row', in: 'path', required: true, schema: { type: 'integer', minimum: 1, maximum: 3 } },
                { name: 'column', in: 'path', required: true, style: 'label', schema: { type: 'array', items: { type: 'string', enum: ['a'] }, minItems: 2, maxItems: 2 } },
                { name: 'ids', in: 'path', required: true, schema: { type: 'array', items: { type: 'string', enum: ['r1'] }, maxItems: 1 } },
                { name: 'since', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
                { name: 'ids', in: 'query', required: true, explode: false, schema: { type: 'array', items: { type: 'integer', enum: [7] }, minItems: 2, maxItems: 2 } },
                { name: 'filter', in: 'query', required: true, style: 'deepObject', schema: { type: 'object', required: ['kind'], properties: { kind: { const: 'x' } }, additionalProperties: false } },
                { name: 'session', in: 'cookie', required: true, schema: { type: 'string', enum: ['s1'] } },
                { name: 'X-Order', in: 'header', required: true, schema: { type: 'string', format: 'uuid' }, example: 'not-a-uuid' },
                { name: 'X-Trace', in: 'header', required: true, schema: { type: 'string' }, example: 'trace-1' },
              ],
              requestBody: {
                required: true,
                content: {
                  'application/json': {
                    schema: { type: 'object', required: ['mark'], properties: { mark: { type: 'string', enum: ['X', 'O'] } } },
                    examples: { wrong: { value: { mark: 7 } }, right: { value: { mark: 'O' } } },
                  },
                },
              },
              responses: {
                '200': {
                  description: 'ok',
                  content: {
                    'application/json': {
                      schema: { type: 'object', required: ['winner'], properties: { winner: { type: 'string', enum: ['X', 'O', '.'] } } },
                      examples: { invalid: { value: { winner: 3 } }, draw: { value: { winner: '.' } } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    });
    const interactions = planInteractions(bare);
    expect(interactions.map((interaction) => interaction.description)).toEqual(['putSquare 200 draw']);
    const { request } = interactions[0]!;
    // An array path parameter without minItems still fills its segment.
    expect(request.path).toMatch(/^\/boards\/[123]\/\.a,a\/r1$/);
    expect(request.query).toEqual({ since: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), ids: '7,7', 'filter[kind]': 'x' });
    expect(request.headers?.Cookie).toBe('session=s1');
    expect(request.headers?.['X-Order']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    expect(request.headers?.['X-Trace']).toBe('trace-1');
    expect(request.body).toEqual({ mark: 'O' });
  });

  it('sends a query array of objects as repeated JSON texts, and an exploded object\'s arrays and objects as JSON text, as the generated client does (AWS)', () => {
    const model = taggingApi();
    const [interaction] = planInteractions(model);
    const sent = [interaction!.request.query!.Tags].flat() as string[];
    expect(sent.length).toBeGreaterThan(0);
    for (const text of sent) expect(JSON.parse(text)).toMatchObject({ Key: expect.any(String) });
    // An exploded object's array and object properties as their JSON text (AWS SES EventDestination).
    const query = interaction!.request.query as Record<string, string>;
    expect(JSON.parse(query.Types!)).toEqual(expect.arrayContaining([expect.stringMatching(/^(send|bounce)$/)]));
    expect(JSON.parse(query.Target!)).toMatchObject({ Arn: expect.any(String) });
  });

  it('writes a path list of lists as its items\' JSON text, as the generated client does, which the runtime server reads back (gambitcomm)', () => {
    const model = tableApi();
    const [interaction] = planInteractions(model);
    expect(interaction!.request.path).toBe(TABLE_ROWS_PATH);
    const [operation] = createApiDefinition(model).definition.operations;
    const rows = TABLE_ROWS_PATH.slice('/cells/'.length);
    const parsed = compileParameterParser(operation!.parameters)({ path: { rows }, query: new Map(), header: () => undefined, cookies: () => new Map() });
    expect(parsed.path).toEqual({ rows: TABLE_ROWS });
    expect(operation!.validators.path!(parsed.path)).toBe(true);
  });

  it('never leaves a path segment empty or a dot segment, even when the enum or example it comes from does', () => {
    // kompany (brex.io): `/api/v1/company/{id}/{dataset}` with `dataset` in ['', 'mini', 'master'];
    // internetmonitor: a name matching `[a-zA-Z0-9_.-]+`, which `.` does (and the URL then drops).
    const model = buildApiModel({
      path: '/fixture/empty-enum.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'Empty enum', version: '1' },
        paths: {
          '/company/{id}/{dataset}/{view}': {
            get: {
              operationId: 'getCompany',
              parameters: [
                { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'c1' },
                { name: 'dataset', in: 'path', required: true, schema: { type: 'string', enum: ['', 'mini', 'master'] } },
                { name: 'view', in: 'path', required: true, schema: { type: 'string', enum: ['.', '..', 'full'] }, example: '.' },
              ],
              responses: { '200': { description: 'ok' } },
            },
          },
        },
      },
    });
    const [interaction] = planInteractions(model);
    expect(interaction!.request.path).toMatch(/^\/company\/c1\/(mini|master)\/full$/);
  });

  it('never leaves a path segment empty when an array\'s items are all empty texts (tfl: `/Road/{ids}/Status` drawn as [""])', () => {
    const ids = { type: 'array', minItems: 1, maxItems: 1, items: { type: 'string', enum: ['', 'A1'] } };
    const model = buildApiModel({
      path: '/fixture/empty-items.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'Empty items', version: '1' },
        paths: {
          '/roads/{ids}/status': {
            get: { operationId: 'roadStatus', parameters: [{ name: 'ids', in: 'path', required: true, style: 'simple', schema: ids, example: [''] }], responses: { '200': { description: 'ok' } } },
          },
        },
      },
    });
    const [interaction] = planInteractions(model);
    expect(interaction!.request.path).toBe('/roads/A1/status');
  });

  it('never leaves a path segment empty when an object parameter\'s properties are all readOnly', () => {
    const version = { type: 'object', additionalProperties: false, properties: { major: { type: 'integer', readOnly: true }, minor: { type: 'integer', readOnly: true } } };
    const model = buildApiModel({
      path: '/fixture/read-only-object.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'Read-only object', version: '1' },
        paths: {
          '/plugins/{version}': {
            delete: { operationId: 'removePlugin', parameters: [{ name: 'version', in: 'path', required: true, schema: version }], responses: { '204': { description: 'gone' } } },
          },
        },
      },
    });
    const [interaction] = planInteractions(model);
    expect(interaction!.request.path).toMatch(/^\/plugins\/(major|minor),-?\d+(,(major|minor),-?\d+)?$/);
  });

  it('warns, once per parameter, when no value its schema accepts can be found (Zuora: a uuid of 64 characters)', () => {
    const jobId = { name: 'job-id', in: 'path', required: true, schema: { type: 'string', format: 'uuid', minLength: 64, maxLength: 64 } };
    const pageSize = { name: 'pageSize', in: 'query', required: true, schema: { type: 'integer', minimum: 1, maximum: 100 } };
    const unsatisfiable = buildApiModel({
      path: '/fixture/unsatisfiable.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'Unsatisfiable', version: '1' },
        paths: {
          '/query/jobs/{job-id}': {
            get: { operationId: 'getJob', parameters: [jobId, pageSize], responses: { '200': { description: 'ok' }, '404': { description: 'gone' } } },
            delete: { operationId: 'deleteJob', parameters: [jobId], responses: { '200': { description: 'ok' } } },
          },
        },
      },
    });
    const warnings: string[] = [];
    expect(planInteractions(unsatisfiable, (message) => warnings.push(message))).toHaveLength(3);
    expect(warnings).toEqual([
      expect.stringMatching(/^GET \/query\/jobs\/\{job-id\} \(getJob\): no value found for path parameter job-id that its own schema accepts/),
      expect.stringMatching(/^DELETE \/query\/jobs\/\{job-id\} \(deleteJob\): no value found for path parameter job-id/),
    ]);
    // Satisfiable specs (this file's fixture, the tagging API) warn of nothing.
    const quiet: string[] = [];
    planInteractions(taggingApi(), (message) => quiet.push(message));
    planInteractions(model, (message) => quiet.push(message));
    expect(quiet).toEqual([]);
  });

  it('draws a required parameter\'s value matching exactly one branch of each oneOf, as its body\'s is (objects whose properties are all optional)', () => {
    const note = { type: 'object', properties: { text: { type: 'string' } } };
    const mark = { type: 'object', properties: { score: { type: 'integer' } } };
    const items = { type: 'array', minItems: 3, items: { oneOf: [note, mark] } };
    const model = buildApiModel({
      path: '/fixture/oneof-parameter.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'oneOf parameter', version: '1' },
        paths: {
          '/batch': {
            post: {
              operationId: 'createBatch',
              parameters: [{ name: 'items', in: 'query', required: true, content: { 'application/json': { schema: items } } }],
              responses: { '200': { description: 'ok' } },
            },
          },
        },
      },
    });
    const warnings: string[] = [];
    const [interaction] = planInteractions(model, (message) => warnings.push(message));
    expect(warnings).toEqual([]);
    const sent = JSON.parse(interaction!.request.query!.items as string) as Record<string, unknown>[];
    const matchesNote = (item: Record<string, unknown>) => item.text === undefined || typeof item.text === 'string';
    const matchesMark = (item: Record<string, unknown>) => item.score === undefined || Number.isInteger(item.score);
    for (const item of sent) expect(matchesNote(item) !== matchesMark(item)).toBe(true);
  });

  it('warns, once per operation, of a generated request body its own schema rejects (seldon: a byte string whose pattern demands spaces)', () => {
    const tensor = { type: 'string', format: 'byte', pattern: '.* maxLength: 2097152' };
    const unsatisfiable = buildApiModel({
      path: '/fixture/unsatisfiable-body.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'Unsatisfiable body', version: '1' },
        paths: {
          '/feedback': {
            post: {
              operationId: 'sendFeedback',
              requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['tensor'], properties: { tensor } } } } },
              responses: { '200': { description: 'ok' }, '400': { description: 'bad' }, '409': { description: 'conflict' } },
            },
          },
        },
      },
    });
    const warnings: string[] = [];
    planInteractions(unsatisfiable, (message) => warnings.push(message));
    expect(warnings).toEqual([
      expect.stringMatching(/^POST \/feedback \(sendFeedback\): no value found for the application\/json request body that its own schema accepts \(.*; \/tensor must /),
    ]);
  });

  it('leaves out, and warns of, a header whose name no request can carry (rapidapi: an API key header named with spaces)', () => {
    const model = buildApiModel({
      path: '/fixture/bad-header.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'Bad header', version: '1' },
        security: [{ key: [] }],
        components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'ADVICEment API Key' } } },
        paths: {
          '/documents': {
            get: { operationId: 'listDocuments', responses: { '200': { description: 'ok' }, '404': { description: 'none' } } },
          },
        },
      },
    });
    const warnings: string[] = [];
    const interactions = planInteractions(model, (message) => warnings.push(message));
    expect(interactions.length).toBeGreaterThan(0);
    for (const interaction of interactions) expect(Object.keys(interaction.request.headers ?? {})).not.toContain('ADVICEment API Key');
    expect(warnings).toEqual([expect.stringMatching(/^GET \/documents \(listDocuments\): "ADVICEment API Key" is not a valid HTTP header name .*its interactions leave it out$/)]);
  });

  it('sends a parameter described by JSON content as its JSON text, and one described by another media type as it is', () => {
    // telnyx's `/reports/batch_mdr_reports/{id}` describes its uuid path id with `content: { '*/*': ... }`.
    const content = buildApiModel({
      path: '/fixture/content.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'Content', version: '1' },
        paths: {
          '/reports/{id}': {
            get: {
              operationId: 'getReport',
              parameters: [
                { name: 'id', in: 'path', required: true, content: { '*/*': { schema: { type: 'string', format: 'uuid' } } } },
                { name: 'filter', in: 'query', required: true, content: { 'application/json': { schema: { type: 'object', required: ['kind'], properties: { kind: { const: 'mdr' } } } } } },
                { name: 'note', in: 'query', required: true, content: { 'text/plain': { schema: { type: 'string', enum: ['hi there'] } } } },
              ],
              responses: { '200': { description: 'ok' } },
            },
          },
        },
      },
    });
    const [interaction] = planInteractions(content);
    expect(interaction!.request.path).toMatch(/^\/reports\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    expect(interaction!.request.query).toEqual({ filter: '{"kind":"mdr"}', note: 'hi there' });
  });

  it('plans no interaction for an informational status (docker\'s 101 Switching Protocols)', () => {
    const upgrades = buildApiModel({
      path: '/fixture/upgrades.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'Upgrades', version: '1' },
        paths: {
          '/session': { post: { operationId: 'session', responses: { '101': { description: 'upgraded' }, '1XX': { description: 'any' }, '200': { description: 'ok' } } } },
        },
      },
    });
    expect(planInteractions(upgrades).map((interaction) => interaction.response.status)).toEqual([200]);
  });

  it('plans a 200 interaction for a `default` response where nothing else documents success, and none beside a documented success (fec.gov)', () => {
    const record = { type: 'object', required: ['name'], properties: { name: { type: 'string', example: 'x' } } };
    const defaults = buildApiModel({
      path: '/fixture/defaults.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'Defaults', version: '1' },
        paths: {
          '/only-default': { get: { operationId: 'onlyDefault', responses: { default: { description: 'the record', content: { 'application/json': { schema: record } } } } } },
          '/errors-and-default': { get: { operationId: 'errorsAndDefault', responses: { '404': { description: 'missing' }, default: { description: 'the record' } } } },
          '/success-and-default': { get: { operationId: 'successAndDefault', responses: { '201': { description: 'made' }, default: { description: 'an error' } } } },
        },
      },
    });
    const statuses = planInteractions(defaults).map((interaction) => [interaction.operationId, interaction.response.status]);
    expect(statuses).toEqual([
      ['onlyDefault', 200],
      ['errorsAndDefault', 404],
      ['errorsAndDefault', 200],
      ['successAndDefault', 201],
    ]);
    const [onlyDefault] = planInteractions(defaults);
    // The default's body is what the interaction expects back.
    expect(onlyDefault!.response.body).toEqual({ name: expect.objectContaining({ 'pact:matcher:type': 'type' }) });
  });

  it('leaves out, and warns of, an operation whose method no fetch can send (TRACE)', () => {
    const echo = buildApiModel({
      path: '/fixture/trace.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'Echo', version: '1' },
        paths: {
          '/echo': {
            get: { operationId: 'getEcho', responses: { '200': { description: 'ok' } } },
            trace: { operationId: 'traceEcho', responses: { '200': { description: 'ok' } } },
          },
        },
      },
    });
    const warnings: string[] = [];
    expect(planInteractions(echo, (message) => warnings.push(message)).map((interaction) => interaction.operationId)).toEqual(['getEcho']);
    expect(warnings).toEqual([expect.stringMatching(/^TRACE \/echo \(traceEcho\): fetch refuses to send TRACE/)]);
  });

  it('moves an RPC-style template\'s query string into the query and drops its fragment', () => {
    const rpc = buildApiModel({
      path: '/fixture/rpc.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'RPC', version: '1' },
        servers: [{ url: 'https://api.example.test/services' }],
        paths: {
          '/rest?method=photos.search': {
            get: { operationId: 'search', parameters: [{ name: 'api_key', in: 'query', required: true, schema: { type: 'string', enum: ['k1'] } }], responses: { '200': { description: 'ok' } } },
          },
          '/#Action=CreateQueue': {
            get: { operationId: 'createQueue', parameters: [{ name: 'Action', in: 'query', required: true, schema: { type: 'string', enum: ['CreateQueue'] } }], responses: { '200': { description: 'ok' } } },
          },
        },
      },
    });
    const [search, createQueue] = planInteractions(rpc);
    expect(search!.request).toMatchObject({ path: '/services/rest', query: { api_key: 'k1', method: 'photos.search' } });
    expect(createQueue!.request).toMatchObject({ path: '/services/', query: { Action: 'CreateQueue' } });
  });

  it('sends a required form body URL-encoded as the generated client encodes it, and the SDK call its fields', () => {
    const form = buildApiModel({
      path: '/fixture/form.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'Form', version: '1' },
        paths: {
          '/notes': {
            post: {
              operationId: 'createNote',
              requestBody: {
                required: true,
                content: {
                  'application/x-www-form-urlencoded': {
                    schema: {
                      type: 'object',
                      required: ['title', 'tags', 'meta', 'fields'],
                      properties: {
                        title: { type: 'string', enum: ['hi'] },
                        tags: { type: 'array', items: { type: 'string', enum: ['a'] }, minItems: 2, maxItems: 2 },
                        meta: { type: 'object', required: ['k'], properties: { k: { type: 'string', enum: ['v'] } }, additionalProperties: false },
                        fields: { type: 'array', minItems: 1, maxItems: 1, items: { type: 'object', required: ['key'], properties: { key: { type: 'string', enum: ['size'] } }, additionalProperties: false } },
                      },
                      additionalProperties: false,
                    },
                    encoding: { meta: { style: 'deepObject', explode: true }, fields: { style: 'deepObject', explode: true } },
                  },
                },
              },
              responses: { '204': { description: 'created' } },
            },
          },
        },
      },
    });
    const [interaction] = planInteractions(form);
    // Arrays of objects in brackets too (Stripe's `custom_fields[0][key]=…`).
    expect(interaction!.request.body).toBe('title=hi&tags=a&tags=a&meta%5Bk%5D=v&fields%5B0%5D%5Bkey%5D=size');
    expect(interaction!.sdk.params.body).toEqual({ title: 'hi', tags: ['a', 'a'], meta: { k: 'v' }, fields: [{ key: 'size' }] });
  });

  it('sends a required binary or text body, schema or not, never empty (an empty body is a missing one)', () => {
    const put = (operationId: string, mediaType: string, media: object) => ({
      put: { operationId, requestBody: { required: true, content: { [mediaType]: media } }, responses: { '204': { description: 'stored' } } },
    });
    const bytes = buildApiModel({
      path: '/fixture/bytes.yaml',
      openapi: '3.1',
      document: {
        openapi: '3.1.0',
        info: { title: 'Bytes', version: '1' },
        paths: {
          '/blobs/any': put('putAny', 'application/octet-stream', {}),
          '/blobs/png': put('putPng', 'image/png', { schema: { contentMediaType: 'image/png' } }),
          '/notes': put('putNote', 'text/plain', { schema: { type: 'string' } }),
        },
      },
    });
    for (const interaction of planInteractions(bytes)) {
      expect(typeof interaction.request.body, interaction.description).toBe('string');
      expect((interaction.request.body as string).length, interaction.description).toBeGreaterThan(0);
      expect(interaction.sdk.params.body).toBe(interaction.request.body);
    }
  });

  it('sends a required urlencoded form whose fields are all optional with a field (an empty form is a missing body)', () => {
    const schema = { type: 'object', properties: { jwt: { type: 'string' } } };
    const post = (operationId: string) => ({
      post: { operationId, requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema } } }, responses: { '200': { description: 'issued' } } },
    });
    const form = buildApiModel({
      path: '/fixture/optional-form.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'Optional form', version: '1' },
        // Several seeds: without the rule, some draw no optional field at all.
        paths: Object.fromEntries(Array.from({ length: 12 }, (_, index) => [`/tokens/${index}`, post(`createToken${index}`)])),
      },
    });
    for (const interaction of planInteractions(form)) expect(interaction.request.body, interaction.description).toMatch(/^jwt=.+$/);
  });

  it('prints a deterministic module of MatchersV3 calls', () => {
    const source = generatePactSource(model, '// generated by finrail from fixture.yaml; do not edit');
    expect(source).toBe(generatePactSource(model, '// generated by finrail from fixture.yaml; do not edit'));
    expect(source.split('\n')[0]).toBe('// generated by finrail from fixture.yaml; do not edit');
    expect(source).toContain("import { MatchersV3 } from '@pact-foundation/pact';");
    // Each element typed by a call: an array literal of many distinct object types overwhelms tsc (TS2590).
    expect(source).toMatch(/export const interactions: PactInteraction\[\] = \[\n  interaction\(\{\n/);
    expect(source).toContain('id: regex("^wal_[0-9A-Z]{4}$", "wal_AB12"),');
    expect(source).toContain('amount: integer(0),');
    expect(source).toContain('tags: eachLike(like("a"), 2),');
  });
});
