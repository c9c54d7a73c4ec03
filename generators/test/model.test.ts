import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildApiModel, getTarget, loadSpec, type ApiModel, type HttpMethod, type OperationModel } from '@finrail/generators';
import { camelCase } from '../src/model/names.ts';
import { resourceNames } from '../src/model/resources.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const model: ApiModel = buildApiModel(await loadSpec(fixture('model-features.yaml')));
const op = (operationId: string): OperationModel => {
  const found = model.operations.find((o) => o.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId}; have ${model.operations.map((o) => o.operationId).join(', ')}`);
  return found;
};

describe('buildApiModel', () => {
  it('reads info, version and servers with the base path from variable defaults', () => {
    expect(model.info).toEqual({ title: 'Model features', version: '2.0.0', summary: 'Every shape the model normalizes', description: undefined });
    expect(model.openapi).toBe('3.1');
    expect(model.servers[0]!.variables.region).toEqual({ default: 'eu', enum: ['eu', 'us'], description: undefined });
    expect(model.basePath).toBe('/v1/ledger');
    expect(model.tags.map((t) => t.name)).toEqual(['accounts', 'reporting']);
  });

  it('lists operations in document order with declared, derived and deduplicated ids', () => {
    expect(model.operations.map((o) => [o.method, o.path, o.operationId, o.operationIdSource])).toEqual([
      ['get', '/accounts', 'listAccounts', 'spec'],
      ['post', '/accounts', 'createAccount', 'spec'],
      ['get', '/accounts/{account_id}', 'getAccountsByAccountId', 'derived'],
      ['delete', '/accounts/{account_id}', 'removeAccount', 'spec'],
      ['post', '/accounts/{account_id}/freeze', 'freezeAccount', 'spec'],
      ['get', '/entries', 'listEntries', 'spec'],
      ['post', '/entries', 'listEntries_2', 'deduplicated'],
    ]);
    expect(new Set(model.operations.map((o) => o.name)).size).toBe(model.operations.length);
    expect(op('listEntries_2').name).toBe('listEntries2');
  });

  it('merges path-level parameters, the operation winning, with OpenAPI style/explode defaults', () => {
    const params = op('listAccounts').parameters;
    expect(params.map((p) => `${p.in}:${p.name}`)).toEqual(['header:X-Tenant', 'query:limit', 'query:starting_after', 'query:ids', 'query:filter']);
    expect(params[1]!.description).toBe('Page size (overrides the path-level one)');
    expect(params[0]).toMatchObject({ required: true, style: 'simple', explode: false });
    expect(params[3]).toMatchObject({ style: 'form', explode: true });
    expect(params[4]).toMatchObject({ style: 'deepObject', explode: false });
    const get = op('getAccountsByAccountId');
    expect(get.parameters.map((p) => [p.name, p.in, p.required, p.style])).toEqual([
      ['account_id', 'path', true, 'simple'],
      ['session', 'cookie', false, 'form'],
    ]);
  });

  it('resolves parameter, response and header refs but keeps schema refs', () => {
    const create = op('createAccount');
    // path-level parameters apply to every operation of the path
    expect(create.parameters.map((p) => p.name)).toEqual(['X-Tenant', 'limit', 'Idempotency-Key']);
    expect(create.parameters[2]).toMatchObject({ name: 'Idempotency-Key', required: true, ref: '#/components/parameters/IdempotencyKey' });
    expect(create.idempotencyHeader).toBe('Idempotency-Key');
    const list = op('listAccounts');
    expect(list.responses.map((r) => [r.status, r.kind, r.success])).toEqual([
      ['200', 'code', true],
      ['4XX', 'range', false],
      ['default', 'default', false],
    ]);
    expect(list.responses[0]!.headers[0]).toMatchObject({ name: 'X-Request-Id', required: true, ref: '#/components/headers/RequestId' });
    expect(list.responses[0]!.contents[0]!.schema).toEqual({ $ref: '#/components/schemas/AccountPage' });
    expect(list.responses[0]!.contents[0]!.examples).toEqual([{ name: 'default', value: { data: [], has_more: false, next_cursor: null }, extensions: {} }]);
    expect(list.responses[1]).toMatchObject({ ref: '#/components/responses/Problem', description: 'A problem.' });
    expect(list.responses[1]!.contents[0]!.mediaType).toBe('application/problem+json');
  });

  it('keeps request bodies with named examples and their extensions', () => {
    const body = op('createAccount').requestBody!;
    expect(body.required).toBe(true);
    expect(body.contents[0]!.examples).toEqual([
      { name: 'basic', summary: 'A basic account', description: undefined, value: { name: 'Cash' }, externalValue: undefined, extensions: { 'x-finrail-state': { name: 'tenant exists', params: { tenant: 't_1' } } } },
    ]);
  });

  it('computes effective security as alternatives, honouring an explicit empty requirement', () => {
    expect(model.security).toEqual([[{ scheme: 'oauth', scopes: ['ledger:read'] }]]);
    expect(op('listAccounts').security).toEqual([[{ scheme: 'oauth', scopes: ['ledger:read'] }]]);
    expect(op('createAccount').security).toEqual([[{ scheme: 'oauth', scopes: ['ledger:write'] }], [{ scheme: 'apiKey', scopes: [] }]]);
    expect(op('getAccountsByAccountId').security).toEqual([]);
    expect(model.securitySchemes.apiKey).toEqual({ name: 'apiKey', type: 'apiKey', in: 'header', parameterName: 'X-Api-Key', description: undefined });
    expect(model.securitySchemes.oauth).toMatchObject({ type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: { 'ledger:read': 'Read' } } } });
  });

  it('reads pagination from x-finrail-pagination and detects cursor envelopes by shape', () => {
    expect(op('listAccounts').pagination).toEqual({ cursorParam: 'starting_after', nextCursor: 'next_cursor', hasMore: 'has_more', items: 'data', source: 'extension' });
    expect(op('listEntries').pagination).toEqual({ cursorParam: 'cursor', nextCursor: 'nextCursor', hasMore: '', items: 'items', source: 'heuristic' });
    expect(op('createAccount').pagination).toBeUndefined();
  });

  it('carries deprecation, summaries, callbacks and webhooks', () => {
    expect(op('getAccountsByAccountId')).toMatchObject({ deprecated: true, summary: 'Get an account' });
    const [callback] = op('createAccount').callbacks;
    expect(callback).toMatchObject({ name: 'accountCreated', expression: '{$request.body#/callback_url}' });
    expect(callback!.operations[0]).toMatchObject({ method: 'post', path: '{$request.body#/callback_url}', operationIdSource: 'derived' });
    expect(callback!.operations[0]!.resource).toEqual({ path: [], method: callback!.operations[0]!.name });
    expect(model.webhooks).toHaveLength(1);
    expect(model.webhooks[0]).toMatchObject({ webhookName: 'account.closed', method: 'post', operationId: 'accountClosed', pointer: '#/webhooks/account.closed/post' });
    expect(model.webhooks[0]!.requestBody!.contents[0]!.schema).toEqual({ $ref: '#/components/schemas/Account' });
  });

  it('names resources from paths and methods from operationId verbs', () => {
    expect(model.operations.map((o) => [...o.resource.path, o.resource.method].join('.'))).toEqual([
      'accounts.list',
      'accounts.create',
      'accounts.get',
      'accounts.removeAccount',
      'accounts.freeze',
      // both propose entries.list: a clash falls back to each operation's full name
      'entries.listEntries',
      'entries.listEntries2',
    ]);
  });

  it('exposes the bundled document and component schemas untouched', () => {
    expect(model.schemas.Account).toBe((model.document.components as { schemas: Record<string, unknown> }).schemas.Account);
    expect(op('listAccounts').pointer).toBe('#/paths/~1accounts/get');
  });

  it('is deterministic', async () => {
    const again = buildApiModel(await loadSpec(fixture('model-features.yaml')));
    expect(JSON.stringify(again.operations)).toBe(JSON.stringify(model.operations));
  });
});

describe('shared path items', () => {
  it('points operations of a $ref path item into components.pathItems and derives distinct ids', async () => {
    const shared = buildApiModel(await loadSpec(fixture('path-item-refs.yaml')));
    expect(shared.operations.map((o) => [o.path, o.operationId, o.pointer])).toEqual([
      ['/cards', 'getCards', '#/components/pathItems/Collection/get'],
      ['/cards/archived', 'getCardsArchived', '#/components/pathItems/Collection/get'],
    ]);
  });
});

describe('resource names', () => {
  const names = (ops: Array<[HttpMethod, string, string]>) =>
    resourceNames(ops.map(([method, path, operationId]) => ({ method, path, operationId, operationIdSource: 'spec' as const, name: camelCase(operationId) }))).map((r) =>
      [...r.path, r.method].join('.'),
    );

  it('never gives a method the name of a nested resource, even after falling back to the full name', () => {
    expect(
      names([
        ['post', '/export_channels', 'ExportChannels'],
        ['get', '/export_channels/{id}', 'GetExportChannelsStatus'],
      ]),
    ).toEqual(['exportChannels2', 'exportChannels.get']);
  });
});

describe('names on awkward specs', () => {
  it('makes identifiers of non-identifier operationIds, paths and reserved words', async () => {
    const awkward = buildApiModel(await loadSpec(fixture('non-identifier-names.yaml')));
    expect(awkward.operations.map((o) => [o.operationId, o.name, [...o.resource.path, o.resource.method].join('.')])).toEqual([
      ['files.list get', 'filesListGet', 'filesList.filesListGet'],
      ['delete', 'delete_', 'class.delete'],
      ['123-get', '_123Get', '_123Get'],
    ]);
  });
});

describe('malformed schema keywords', () => {
  const thing = {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string', required: true, minLength: '3', pattern: '(?i)^[a-z]+$', maxLength: 20 },
      legacy: { type: 'string', pattern: '^[\\w\\%]+$' },
      // A regex literal, not a pattern: `^` after `/` matches nothing. A path-like pattern stays.
      organization: { type: 'string', pattern: '/^.*[a-z]+.*$/i' },
      route: { type: 'string', pattern: '/v1/' },
      kind: { type: 'string', enum: 'x' },
      group: { type: 'object', properties: { name: { type: 'string' } }, enum: ['PKW', 'VAN'] },
      status: { type: 'string', nullable: true, enum: ['on', null] },
      code: { type: { type: 'string' } },
      tags: { type: 'array', maxItems: '5', items: { type: 'integer', minimum: '1' } },
      image: { type: 'object', additionalProperties: false, anyOf: [{ properties: { url: { type: 'string' } }, required: ['url'] }] },
      // GitHub: branches that only pick among the object's own properties leave it closed as written.
      alert: {
        type: 'object',
        additionalProperties: false,
        properties: { state: { type: 'string' }, assignees: { type: 'array', items: { type: 'string' } } },
        anyOf: [{ required: ['state'] }, { required: ['assignees'] }],
      },
      monster: { type: 'object', allOf: { '3': { properties: { name: { type: 'string' } } } } },
      token: { type: 'object', additionalProperties: false, required: ['token', 'tokenType'], properties: { accessToken: { type: 'string' }, tokenType: { type: 'string' } } },
      assignedAt: { type: 'null', oneOf: [{ type: 'number' }, { type: 'boolean' }] },
      sendAt: { type: 'string', format: 'date-time', enum: ['now'] },
      day: { type: 'string', format: 'date', enum: ['2026-01-01'] },
      // codat: a schema's examples as a media type's map of named examples; a list stays.
      summary: { type: 'string', examples: { short: { value: 'ok' } } },
      motto: { type: 'string', examples: ['carpe diem'] },
      // codat: allOf with a bare null member means "that, or null".
      currency: { allOf: [{ $ref: '#/components/schemas/Change' }, { type: 'null' }], description: 'The currency.' },
      // OpenAPI 3.0 ignores what sits beside a $ref, but for annotations and nullable/readOnly/writeOnly.
      change: { $ref: '#/components/schemas/Change', type: 'string', nullable: true, description: 'The change.' },
      // A ref into what was taken out: validators and types read it as unknown.
      monsterName: { $ref: '#/components/schemas/Thing/properties/monster/allOf/3/properties/name' },
    },
  };
  const document = () => ({
    openapi: '3.0.3',
    info: { title: 'Malformed', version: '1' },
    paths: {
      '/things': {
        post: {
          operationId: 'createThing',
          parameters: [{ name: 'limit', in: 'query', required: true, schema: { type: 'integer', maximum: 'ten' } }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' }, example: { schema: { required: true } } } },
          },
          responses: { '204': { description: 'Created' } },
        },
      },
    },
    components: { schemas: { Thing: structuredClone(thing), Change: { type: 'object', properties: { email: { type: 'string' } } } } },
  });

  it('are taken out of the document and listed by pointer; everything else stays as written', () => {
    const model = buildApiModel({ path: '/virtual/malformed.json', document: document(), openapi: '3.0' });
    expect(model.ignoredSchemaKeywords.map(({ pointer }) => pointer)).toEqual([
      '/paths/~1things/post/parameters/0/schema/maximum',
      '/components/schemas/Thing/properties/name/required',
      '/components/schemas/Thing/properties/name/minLength',
      '/components/schemas/Thing/properties/name/pattern',
      '/components/schemas/Thing/properties/organization/pattern',
      '/components/schemas/Thing/properties/kind/enum',
      '/components/schemas/Thing/properties/group/enum',
      '/components/schemas/Thing/properties/code/type',
      '/components/schemas/Thing/properties/tags/maxItems',
      '/components/schemas/Thing/properties/tags/items/minimum',
      '/components/schemas/Thing/properties/image/additionalProperties',
      '/components/schemas/Thing/properties/monster/allOf',
      '/components/schemas/Thing/properties/token/required/0',
      '/components/schemas/Thing/properties/assignedAt/type',
      '/components/schemas/Thing/properties/sendAt/format',
      '/components/schemas/Thing/properties/summary/examples',
      '/components/schemas/Thing/properties/currency/allOf/1',
      '/components/schemas/Thing/properties/change/type',
    ]);
    const cleaned = model.schemas.Thing as typeof thing;
    expect(cleaned.required).toEqual(['name']);
    expect(cleaned.properties.name).toEqual({ type: 'string', maxLength: 20 });
    expect(cleaned.properties.legacy).toEqual(thing.properties.legacy);
    expect(cleaned.properties.route).toEqual(thing.properties.route);
    expect(cleaned.properties.status).toEqual(thing.properties.status);
    // additionalProperties: false beside anyOf alone would reject the branch's own properties.
    expect(cleaned.properties.image).toEqual({ type: 'object', anyOf: thing.properties.image.anyOf, unevaluatedProperties: false });
    expect(cleaned.properties.alert).toEqual(thing.properties.alert);
    // A closed object cannot hold a required name it does not declare: the name is dropped, not the rest.
    expect(cleaned.properties.token.required).toEqual(['tokenType']);
    // `type: 'null'` beside branches of other types means "or null".
    expect(cleaned.properties.change).toEqual({ $ref: '#/components/schemas/Change', nullable: true, description: 'The change.' });
    // An enum's values win over a format they break; a format they meet stays.
    expect(cleaned.properties.sendAt).toEqual({ type: 'string', enum: ['now'] });
    expect(cleaned.properties.day).toEqual(thing.properties.day);
    expect(cleaned.properties.summary).toEqual({ type: 'string' });
    expect(cleaned.properties.motto).toEqual(thing.properties.motto);
    expect(cleaned.properties.currency as unknown).toEqual({ anyOf: [{ $ref: '#/components/schemas/Change' }, { type: 'null' }], description: 'The currency.' });
    expect(cleaned.properties.assignedAt).toEqual({ oneOf: [{ type: 'number' }, { type: 'boolean' }, { type: 'null' }] });
    // Parameters and bodies keep their own boolean `required`; examples are data, never schemas.
    const operation = model.operations[0]!;
    expect(operation.parameters[0]!.required).toBe(true);
    expect(operation.requestBody?.required).toBe(true);
    expect(operation.requestBody?.contents[0]!.examples[0]!.value).toEqual({ schema: { required: true } });
  });

  it('leave a spec every target generates from', async () => {
    const model = buildApiModel({ path: '/virtual/malformed.json', document: document(), openapi: '3.0' });
    for (const target of ['types', 'client', 'server', 'msw', 'pact']) {
      const files = await getTarget(target)!.generate(model, { specLabel: 'malformed.json', header: '// test', targets: [target], options: {}, warn: () => {} });
      expect(files.length, target).toBeGreaterThan(0);
    }
  });
});

describe('media type keys', () => {
  it('are split when they list several, and a nameless one beside named ones goes (webflow, spoonacular)', () => {
    const body = (content: Record<string, unknown>) => ({ requestBody: { content }, responses: { '204': { description: 'ok' } } });
    const schema = { schema: { type: 'object' } };
    const document = {
      openapi: '3.0.3',
      info: { title: 'Media types', version: '1' },
      paths: {
        '/a': { post: { operationId: 'a', ...body({ ', application/json': schema }) } },
        '/b': { post: { operationId: 'b', ...body({ 'application/json, application/xml': schema, 'text/plain': schema }) } },
        '/c': { post: { operationId: 'c', ...body({ '': schema, 'application/json': schema }) } },
        '/d': { post: { operationId: 'd', ...body({ 'application/json': schema }) } },
      },
    };
    const model = buildApiModel({ path: '/virtual/media-types.json', document, openapi: '3.0' });
    expect(model.operations.map((operation) => operation.requestBody!.contents.map((content) => content.mediaType))).toEqual([
      ['application/json'],
      ['application/json', 'application/xml', 'text/plain'],
      ['application/json'],
      ['application/json'],
    ]);
  });
});

describe('parameters no request can carry', () => {
  it('are left out: an empty name, a header name that is not an HTTP token (notion)', () => {
    const document = {
      openapi: '3.0.3',
      info: { title: 'Unsendable', version: '1' },
      paths: {
        '/pages/{id}': {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          get: {
            operationId: 'getPage',
            parameters: [
              { name: '', in: 'header', schema: { type: 'string' } },
              { name: 'Bad Name', in: 'header', schema: { type: 'string' } },
              { name: '', in: 'query', schema: { type: 'string' } },
              { name: 'Notion-Version', in: 'header', schema: { type: 'string' } },
            ],
            responses: { '204': { description: 'ok' } },
          },
        },
      },
    };
    const model = buildApiModel({ path: '/virtual/unsendable.json', document, openapi: '3.0' });
    expect(model.operations[0]!.parameters.map((param) => `${param.in}:${param.name}`)).toEqual(['path:id', 'header:Notion-Version']);
  });
});
