import { describe, expect, it } from 'vitest';
import type { ApiDefinition, HandlerMap } from '../src/index.ts';
import { compile } from './fixture.ts';
import { ADAPTERS, start } from './harness.ts';

const headersSchema = {
  type: 'object',
  required: ['RateLimit-Limit', 'X-Request-Id', 'Location'],
  properties: {
    'RateLimit-Limit': { type: 'integer', minimum: 1 },
    'X-Request-Id': { type: 'string' },
    Location: { type: 'string', pattern: '^/wallets/' },
    'X-Tags': { type: 'array', items: { type: 'integer' } },
  },
};

const api: ApiDefinition = {
  operations: [
    {
      operationId: 'createWallet',
      method: 'post',
      path: '/wallets',
      parameters: [],
      responses: {
        '201': {
          contentTypes: ['application/json'],
          headers: [
            { name: 'RateLimit-Limit', in: 'header', required: true, type: 'integer' },
            { name: 'X-Request-Id', in: 'header', required: true, type: 'string' },
            { name: 'Location', in: 'header', required: true, type: 'string' },
            { name: 'X-Tags', in: 'header', required: false, type: 'array', items: 'integer' },
          ],
        },
      },
      validators: { responseHeaders: { '201': compile(headersSchema) } },
    },
  ],
};

const answer = (headers: Record<string, string | number | string[]>): HandlerMap => ({ createWallet: () => ({ status: 201, body: { id: 'wal_1' }, headers }) });
const rateLimit = { limit: 10, windowMs: 60_000 };

describe.each(ADAPTERS)('response headers over the %s adapter', (adapter) => {
  it('passes documented headers, in any case, counting those the router sets (X-Request-Id, RateLimit-*)', async () => {
    const send = await start(adapter, api, answer({ location: '/wallets/wal_1', 'x-TAGS': '1,2' }), { rateLimit });
    const response = await send('/wallets', { method: 'POST' });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/wallets/wal_1');
    expect(response.headers.get('ratelimit-limit')).toBe('10');
  });

  it('turns a missing required header into a 500 naming it', async () => {
    const send = await start(adapter, api, answer({}));
    const response = await send('/wallets', { method: 'POST' });
    expect(response.status).toBe(500);
    expect(response.json.detail).toContain('createWallet answered 201 off contract');
    expect(response.json.errors).toEqual([
      { pointer: '/header/RateLimit-Limit', detail: 'is required', code: 'required' },
      { pointer: '/header/Location', detail: 'is required', code: 'required' },
    ]);
  });

  it('validates header values after coercing them from strings', async () => {
    const send = await start(adapter, api, answer({ 'RateLimit-Limit': 'ten', Location: '/elsewhere', 'X-Tags': '1,two' }));
    const response = await send('/wallets', { method: 'POST' });
    expect(response.status).toBe(500);
    expect(response.json.errors).toEqual([
      { pointer: '/header/RateLimit-Limit', detail: 'must be an integer', code: 'type' },
      { pointer: '/header/Location', detail: 'must match the pattern ^/wallets/', code: 'pattern' },
      { pointer: '/header/X-Tags/1', detail: 'must be an integer', code: 'type' },
    ]);
    const numeric = await start(adapter, api, answer({ 'RateLimit-Limit': 0, Location: '/wallets/wal_1' }));
    expect((await numeric('/wallets', { method: 'POST' })).json.errors).toEqual([{ pointer: '/header/RateLimit-Limit', detail: 'must be >= 1', code: 'minimum' }]);
  });

  it('leaves headers alone when response validation is off', async () => {
    const send = await start(adapter, api, answer({}), { validateResponses: false });
    expect((await send('/wallets', { method: 'POST' })).status).toBe(201);
  });
});
