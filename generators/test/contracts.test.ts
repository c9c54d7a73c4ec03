import { describe, expect, it } from 'vitest';
import { ContractChecker, formatViolation, parsePact, PactInputError, readPactFile } from '../src/contracts/index.ts';

// A small wallets-like API exercising what the cross-check must get right: a base path, allOf
// composition, an explicitly open map, nullable and optional fields, query coercion, a required
// header, a request body, an error response and a body-less response.
const document = {
  openapi: '3.1.0',
  info: { title: 'Fixture', version: '1.0.0' },
  servers: [{ url: 'https://api.example.test/wallets/v1' }],
  paths: {
    '/wallets': {
      get: {
        operationId: 'listWallets',
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } }],
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['data', 'has_more'],
                  properties: { data: { type: 'array', items: { $ref: '#/components/schemas/Wallet' } }, has_more: { type: 'boolean' } },
                },
              },
            },
          },
        },
      },
      post: {
        operationId: 'createWallet',
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', minLength: 1, maxLength: 255 } }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['currency'],
                additionalProperties: false,
                properties: { currency: { type: 'string', pattern: '^[A-Z]{3}$' }, metadata: { $ref: '#/components/schemas/Metadata' } },
              },
            },
          },
        },
        responses: {
          '201': { description: 'created', content: { 'application/json': { schema: { $ref: '#/components/schemas/Wallet' } } } },
          '400': { $ref: '#/components/responses/Problem' },
        },
      },
    },
    '/wallets/{walletId}': {
      parameters: [{ name: 'walletId', in: 'path', required: true, schema: { type: 'string', pattern: '^wal_[0-9a-z]+$' } }],
      get: {
        operationId: 'getWallet',
        responses: {
          '200': {
            description: 'ok',
            headers: {
              'X-Request-Id': { required: true, schema: { type: 'string', pattern: '^req_' } },
              'X-Balance-Version': { schema: { type: 'integer', minimum: 1 } },
            },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Wallet' } } },
          },
          '404': { $ref: '#/components/responses/Problem' },
        },
      },
      delete: { operationId: 'deleteWallet', responses: { '204': { description: 'deleted' } } },
    },
  },
  components: {
    responses: {
      Problem: {
        description: 'problem',
        content: {
          'application/problem+json': {
            schema: { type: 'object', required: ['type', 'status'], properties: { type: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' } } },
          },
        },
      },
    },
    schemas: {
      Resource: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, created_at: { type: 'string', format: 'date-time' } } },
      Wallet: {
        allOf: [
          { $ref: '#/components/schemas/Resource' },
          {
            type: 'object',
            required: ['balance'],
            properties: {
              balance: { type: 'integer' },
              nickname: { type: ['string', 'null'] },
              owner: { type: 'object', properties: { name: { type: 'string' } } },
              metadata: { $ref: '#/components/schemas/Metadata' },
            },
          },
        ],
      },
      Metadata: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
};

const checker = new ContractChecker({ path: '/fixture/openapi.yaml', document, openapi: '3.1' });

interface Overrides {
  method?: string;
  path?: string;
  query?: Record<string, string[]>;
  headers?: Record<string, string[]>;
  body?: unknown;
  status?: number;
  responseBody?: unknown;
  responseType?: string;
  responseHeaders?: Record<string, string[]>;
}

function pactWith(description: string, o: Overrides) {
  return parsePact('pacts/fixture.json', {
    consumer: { name: 'sdk' },
    provider: { name: 'wallets' },
    metadata: { pactSpecification: { version: '4.0' } },
    interactions: [
      {
        type: 'Synchronous/HTTP',
        description,
        providerStates: [{ name: 'a wallet exists', params: { walletId: 'wal_1' } }],
        request: {
          method: o.method ?? 'GET',
          path: o.path ?? '/wallets/v1/wallets/wal_1',
          ...(o.query && { query: o.query }),
          ...(o.headers && { headers: o.headers }),
          ...(o.body !== undefined && { body: { content: o.body, contentType: 'application/json', encoded: false } }),
        },
        response: {
          status: o.status ?? 200,
          ...(o.responseHeaders && { headers: o.responseHeaders }),
          ...(o.responseBody !== undefined && {
            body: { content: o.responseBody, contentType: o.responseType ?? 'application/json', encoded: false },
          }),
        },
      },
    ],
  });
}

const wallet = { id: 'wal_1', balance: 500, created_at: '2026-11-02T08:00:00Z', metadata: { segment: 'retail' }, owner: { name: 'Alice' } };

function lines(description: string, o: Overrides): string[] {
  return checker.check(pactWith(description, o)).map(formatViolation);
}

describe('contracts check', () => {
  it('passes interactions the spec allows, including omitted optional fields and open maps', () => {
    expect(lines('get wallet', { responseBody: wallet })).toEqual([]);
    expect(lines('minimal wallet', { responseBody: { id: 'wal_1', balance: 0 } })).toEqual([]);
    expect(lines('list', { path: '/wallets/v1/wallets', query: { limit: ['20'] }, responseBody: { data: [wallet], has_more: false } })).toEqual([]);
    expect(
      lines('create', {
        method: 'POST',
        path: '/wallets/v1/wallets',
        headers: { 'Idempotency-Key': ['3f1c7a52-7d7e-4c55-9a43-0c8a2f6b7e10'], 'Content-Type': ['application/json'] },
        body: { currency: 'EUR', metadata: { segment: 'retail' } },
        status: 201,
        responseBody: wallet,
      }),
    ).toEqual([]);
    expect(lines('not found', { status: 404, responseBody: { type: 'about:blank', status: 404 }, responseType: 'application/problem+json' })).toEqual([]);
    expect(lines('delete', { method: 'DELETE', status: 204 })).toEqual([]);
  });

  it('reports an undeclared response field, at the top level and nested, but not inside an open map', () => {
    expect(lines('extra field', { responseBody: { ...wallet, nickname: null, colour: 'blue' } })).toEqual([
      'pacts/fixture.json  extra field  /response/body/colour  is not declared by the response schema',
    ]);
    expect(lines('nested extra', { path: '/wallets/v1/wallets', responseBody: { data: [{ ...wallet, owner: { name: 'A', age: 3 } }], has_more: false } })).toEqual([
      'pacts/fixture.json  nested extra  /response/body/data/0/owner/age  is not declared by the response schema',
    ]);
    expect(lines('map keys', { responseBody: { ...wallet, metadata: { anything: 'goes', more: 'keys' } } })).toEqual([]);
  });

  it('reports a wrong type with its pointer', () => {
    expect(lines('wrong type', { responseBody: { ...wallet, balance: '500' } })).toEqual([
      'pacts/fixture.json  wrong type  /response/body/balance  must be an integer',
    ]);
  });

  it('reports an undocumented status', () => {
    expect(lines('teapot', { status: 418, responseBody: { type: 'about:blank', status: 418 } })).toEqual([
      'pacts/fixture.json  teapot  /response/status  418 is not a documented status of getWallet (documented: 200, 404)',
    ]);
  });

  it('reports an unknown path and an undocumented method', () => {
    expect(lines('unknown path', { path: '/wallets/v1/accounts/acc_1', responseBody: {} })).toEqual([
      'pacts/fixture.json  unknown path  /request/path  no documented path matches /wallets/v1/accounts/acc_1',
    ]);
    expect(lines('wrong method', { method: 'PUT' })).toEqual([
      'pacts/fixture.json  wrong method  /request/method  PUT is not documented for /wallets/{walletId} (documented: GET, DELETE)',
    ]);
  });

  it('validates request path parameters, coerced query parameters, headers and bodies', () => {
    expect(lines('bad id', { path: '/wallets/v1/wallets/WAL-1', responseBody: wallet })).toEqual([
      'pacts/fixture.json  bad id  /request/path/walletId  must match the pattern ^wal_[0-9a-z]+$',
    ]);
    expect(lines('bad limit', { path: '/wallets/v1/wallets', query: { limit: ['500'] }, responseBody: { data: [], has_more: false } })).toEqual([
      'pacts/fixture.json  bad limit  /request/query/limit  must be <= 100',
    ]);
    expect(
      lines('bad create', {
        method: 'POST',
        path: '/wallets/v1/wallets',
        body: { currency: 'euro', colour: 'blue' },
        status: 201,
        responseBody: wallet,
      }),
    ).toEqual([
      'pacts/fixture.json  bad create  /request/headers/Idempotency-Key  is required',
      'pacts/fixture.json  bad create  /request/body/colour  is not an allowed property',
      'pacts/fixture.json  bad create  /request/body/currency  must match the pattern ^[A-Z]{3}$',
    ]);
  });

  it('checks the documented response headers a pact has, coerced, but not those it leaves out', () => {
    expect(lines('headers left out', { responseBody: wallet })).toEqual([]);
    expect(lines('good headers', { responseBody: wallet, responseHeaders: { 'X-Request-Id': ['req_1'], 'x-balance-version': ['3'] } })).toEqual([]);
    expect(lines('bad headers', { responseBody: wallet, responseHeaders: { 'X-Request-Id': ['request-1'], 'X-Balance-Version': ['zero'] } })).toEqual([
      'pacts/fixture.json  bad headers  /response/headers/X-Request-Id  must match the pattern ^req_',
      'pacts/fixture.json  bad headers  /response/headers/X-Balance-Version  must be an integer',
    ]);
  });

  it('reports a body on a response documented without one, and an undocumented media type', () => {
    expect(lines('204 with body', { method: 'DELETE', status: 204, responseBody: { ok: true } })).toEqual([
      'pacts/fixture.json  204 with body  /response/body  the documented 204 response of deleteWallet has no body',
    ]);
    expect(lines('xml', { responseBody: '<wallet/>', responseType: 'application/xml' })).toEqual([
      'pacts/fixture.json  xml  /response/headers/content-type  application/xml is not a documented media type of the 200 response (documented: application/json)',
    ]);
  });

  it('rejects unusable pact input', async () => {
    expect(() => parsePact('x.json', { hello: 'world' })).toThrow(PactInputError);
    await expect(readPactFile('/definitely/not/here.json')).rejects.toThrow('file not found');
  });
});
