// A small hand-written API definition with validators compiled in memory by ajv, as generated
// stubs would carry them precompiled.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ApiDefinition, HandlerMap, ValidateFunction } from '../src/index.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
const ajvWithDefaults = addFormats(new Ajv2020({ allErrors: true, strict: false, useDefaults: true }));
/** `useDefaults` as generated request validators have it. */
export const compile = (schema: object, options: { useDefaults?: boolean } = {}): ValidateFunction =>
  (options.useDefaults ? ajvWithDefaults : ajv).compile(schema) as ValidateFunction;

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    request_id: { type: 'string' },
    errors: { type: 'array' },
  },
};

export const walletSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'currency', 'balance'],
  properties: {
    id: { type: 'string', pattern: '^wal_' },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    balance: { type: 'integer', minimum: 0 },
    owner_email: { type: 'string', format: 'email' },
  },
};

const walletId = { type: 'string', pattern: '^wal_[a-z0-9]+$' };

export const api: ApiDefinition = {
  securitySchemes: {
    oauth: { type: 'oauth2' },
    apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
  },
  operations: [
    {
      operationId: 'listWallets',
      method: 'get',
      path: '/wallets',
      parameters: [
        { name: 'limit', in: 'query', required: false, type: 'integer' },
        { name: 'status', in: 'query', required: false, type: 'array', items: 'string' },
        { name: 'created', in: 'query', required: false, type: 'object', style: 'deepObject', properties: { gte: 'integer', lte: 'integer' } },
        { name: 'tags', in: 'query', required: false, type: 'array', items: 'string', style: 'pipeDelimited', explode: false },
      ],
      responses: {
        '200': { contentTypes: ['application/json'] },
        '400': { contentTypes: ['application/problem+json'] },
      },
      security: [{ oauth: ['wallets:read'] }, { apiKey: [] }],
      validators: {
        query: compile({
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 100 },
            status: { type: 'array', items: { enum: ['active', 'frozen'] } },
            created: { type: 'object', properties: { gte: { type: 'integer' }, lte: { type: 'integer' } } },
            tags: { type: 'array', items: { type: 'string' } },
          },
        }),
        responses: {
          '200': { 'application/json': compile({ type: 'object', required: ['data'], properties: { data: { type: 'array', items: walletSchema } } }) },
          '400': { 'application/problem+json': compile(problemSchema) },
        },
      },
    },
    {
      operationId: 'createWallet',
      method: 'post',
      path: '/wallets',
      parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, type: 'string' }],
      requestBody: { required: true, contentTypes: ['application/json'] },
      responses: {
        '201': { contentTypes: ['application/json'] },
        '4XX': { contentTypes: ['application/problem+json'] },
      },
      security: [{ oauth: ['wallets:write'] }],
      validators: {
        headers: compile({
          type: 'object',
          required: ['Idempotency-Key'],
          properties: { 'Idempotency-Key': { type: 'string', minLength: 1, maxLength: 255 } },
        }),
        body: {
          'application/json': compile({
            type: 'object',
            additionalProperties: false,
            required: ['currency', 'owner_email'],
            properties: {
              currency: { type: 'string', pattern: '^[A-Z]{3}$' },
              owner_email: { type: 'string', format: 'email' },
              kind: { enum: ['personal', 'business'] },
              initial_amount: { type: 'integer', minimum: 0, maximum: 1_000_000 },
            },
          }),
        },
        responses: {
          '201': { 'application/json': compile(walletSchema) },
          '4XX': { 'application/problem+json': compile(problemSchema) },
        },
      },
    },
    {
      operationId: 'getWallet',
      method: 'get',
      path: '/wallets/{walletId}',
      parameters: [{ name: 'walletId', in: 'path', required: true, type: 'string' }],
      responses: {
        '200': { contentTypes: ['application/json'] },
        '404': { contentTypes: ['application/problem+json'] },
      },
      validators: {
        path: compile({ type: 'object', required: ['walletId'], properties: { walletId } }),
        responses: {
          '200': { 'application/json': compile(walletSchema) },
          '404': { 'application/problem+json': compile(problemSchema) },
        },
      },
    },
    {
      operationId: 'deleteWallet',
      method: 'delete',
      path: '/wallets/{walletId}',
      parameters: [{ name: 'walletId', in: 'path', required: true, type: 'string' }],
      responses: { '204': { contentTypes: [] } },
      validators: { path: compile({ type: 'object', required: ['walletId'], properties: { walletId } }) },
    },
    {
      operationId: 'getPoint',
      method: 'get',
      path: '/points/{x}/{coords}/{matrix}',
      parameters: [
        { name: 'x', in: 'path', required: true, type: 'integer' },
        { name: 'coords', in: 'path', required: true, type: 'array', items: 'number', style: 'label', explode: true },
        { name: 'matrix', in: 'path', required: true, type: 'object', style: 'matrix', explode: true, properties: { r: 'integer', g: 'integer' } },
        { name: 'X-Flags', in: 'header', required: false, type: 'array', items: 'boolean' },
      ],
      responses: { '200': { contentTypes: ['application/json'] } },
      validators: {
        path: compile({
          type: 'object',
          properties: { x: { type: 'integer' }, coords: { type: 'array', items: { type: 'number' } }, matrix: { type: 'object' } },
        }),
      },
    },
    {
      operationId: 'uploadAvatar',
      method: 'put',
      path: '/wallets/{walletId}/avatar',
      parameters: [{ name: 'walletId', in: 'path', required: true, type: 'string' }],
      requestBody: { required: true, contentTypes: ['image/png', 'text/*'] },
      responses: { '204': { contentTypes: [] } },
      validators: {},
    },
  ],
};

export const defaultHandlers: HandlerMap = {
  listWallets: ({ query }) => ({ status: 200, body: { data: [{ id: 'wal_1', currency: 'EUR', balance: Number(query.limit ?? 0) }] } }),
  createWallet: ({ body }) => {
    const input = body as { currency: string; owner_email: string };
    return { status: 201, body: { id: 'wal_new', currency: input.currency, balance: 0, owner_email: input.owner_email } };
  },
  getWallet: ({ params }) =>
    params.walletId === 'wal_missing'
      ? { status: 404, body: { type: 'https://docs.finrail.dev/errors/not-found', title: 'Not found', status: 404 }, contentType: 'application/problem+json' }
      : { status: 200, body: { id: params.walletId, currency: 'EUR', balance: 10 } },
  deleteWallet: () => ({ status: 204 }),
  getPoint: (input) => ({ status: 200, body: { params: input.params, headers: input.headers } }),
  uploadAvatar: ({ body }) => ({ status: 204, headers: { 'x-received': String(typeof body === 'string' ? body.length : (body as Uint8Array).byteLength) } }),
};
