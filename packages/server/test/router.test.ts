import { describe, expect, it } from 'vitest';
import { HttpProblem, notImplemented, type HandlerMap } from '../src/index.ts';
import { api, defaultHandlers } from './fixture.ts';
import { ADAPTERS, start } from './harness.ts';

const PROBLEM_TYPE = 'https://docs.finrail.dev/problems/';

describe.each(ADAPTERS)('router over the %s adapter', (adapter) => {
  const json = { 'content-type': 'application/json' };
  const createHeaders = { ...json, 'idempotency-key': 'key-1' };

  it('routes, coerces query parameters and answers the handler response with a request id', async () => {
    const send = await start(adapter, api, defaultHandlers);
    const response = await send('/wallets?limit=7');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(response.json).toEqual({ data: [{ id: 'wal_1', currency: 'EUR', balance: 7 }] });
  });

  it('keeps an incoming X-Request-Id and quotes it in problems', async () => {
    const send = await start(adapter, api, defaultHandlers);
    const response = await send('/nowhere', { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(response.headers.get('x-request-id')).toBe('trace-abc-123');
    expect(response.json.request_id).toBe('trace-abc-123');
  });

  it('deserializes arrays, deepObject and pipe-delimited query parameters', async () => {
    const seen: unknown[] = [];
    const send = await start(adapter, api, {
      ...defaultHandlers,
      listWallets: ({ query }) => {
        seen.push(query);
        return { status: 200, body: { data: [] } };
      },
    });
    const response = await send('/wallets?status=active&status=frozen&created[gte]=10&created[lte]=20&tags=a|b%7Cc');
    expect(response.status).toBe(200);
    expect(seen[0]).toEqual({ status: ['active', 'frozen'], created: { gte: 10, lte: 20 }, tags: ['a', 'b', 'c'] });
  });

  it('deserializes label and matrix path parameters and simple array headers', async () => {
    const send = await start(adapter, api, defaultHandlers);
    const response = await send('/points/-3/.1.2.5/;r=255;g=0', { headers: { 'x-flags': 'true, false' } });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ params: { x: -3, coords: [1, 2, 5], matrix: { r: 255, g: 0 } }, headers: { 'X-Flags': [true, false] } });
  });

  it('answers 400 with a pointer per violation across path, query, header and body', async () => {
    const send = await start(adapter, api, defaultHandlers);
    const query = await send('/wallets?limit=abc&status=closed');
    expect(query.status).toBe(400);
    expect(query.headers.get('content-type')).toBe('application/problem+json');
    expect(query.json.type).toBe(`${PROBLEM_TYPE}invalid-request`);
    expect(query.json.errors).toEqual([
      { pointer: '/query/limit', detail: 'must be an integer', code: 'type' },
      { pointer: '/query/status/0', detail: 'must be one of "active", "frozen"', code: 'enum' },
    ]);

    const bounds = await send('/wallets?limit=0');
    expect(bounds.json.errors).toEqual([{ pointer: '/query/limit', detail: 'must be >= 1', code: 'minimum' }]);

    const path = await send('/wallets/WAL-1');
    expect(path.status).toBe(400);
    expect(path.json.errors[0]).toMatchObject({ pointer: '/path/walletId', code: 'pattern' });

    const body = await send('/wallets', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ currency: 'eur', owner_email: 'not-an-email', kind: 'alien', initial_amount: -1, extra: true }),
    });
    expect(body.status).toBe(400);
    expect(body.json.errors).toEqual([
      { pointer: '/header/Idempotency-Key', detail: 'is required', code: 'required' },
      { pointer: '/body/extra', detail: 'is not an allowed property', code: 'additionalProperties' },
      { pointer: '/body/currency', detail: 'must match the pattern ^[A-Z]{3}$', code: 'pattern' },
      { pointer: '/body/owner_email', detail: 'must be a valid email', code: 'format' },
      { pointer: '/body/kind', detail: 'must be one of "personal", "business"', code: 'enum' },
      { pointer: '/body/initial_amount', detail: 'must be >= 0', code: 'minimum' },
    ]);
  });

  it('answers 400 for a missing required body and for malformed JSON', async () => {
    const send = await start(adapter, api, defaultHandlers);
    const missing = await send('/wallets', { method: 'POST', headers: createHeaders });
    expect(missing.status).toBe(400);
    expect(missing.json.errors).toEqual([{ pointer: '/body', detail: 'is required', code: 'required' }]);

    const malformed = await send('/wallets', { method: 'POST', headers: createHeaders, body: '{"currency": "EUR",' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.type).toBe(`${PROBLEM_TYPE}invalid-request`);
    expect(malformed.json.errors[0]).toMatchObject({ pointer: '/body', code: 'malformed_json' });
  });

  it('creates with a valid body', async () => {
    const send = await start(adapter, api, defaultHandlers);
    const created = await send('/wallets', { method: 'POST', headers: createHeaders, body: JSON.stringify({ currency: 'EUR', owner_email: 'ada@example.com' }) });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: 'wal_new', currency: 'EUR', balance: 0, owner_email: 'ada@example.com' });
  });

  it('answers 404 for an unknown path and 405 with Allow for a wrong method', async () => {
    const send = await start(adapter, api, defaultHandlers);
    const unknown = await send('/wallets/wal_1/unknown');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ type: `${PROBLEM_TYPE}not-found`, status: 404, instance: '/wallets/wal_1/unknown' });

    const wrong = await send('/wallets/wal_1', { method: 'PUT' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, DELETE, HEAD');
    expect(wrong.json.type).toBe(`${PROBLEM_TYPE}method-not-allowed`);
  });

  it('answers HEAD like GET without a body', async () => {
    const send = await start(adapter, api, defaultHandlers);
    const head = await send('/wallets/wal_1', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  it('answers 406 when Accept excludes every documented media type', async () => {
    const send = await start(adapter, api, defaultHandlers);
    expect((await send('/wallets/wal_1', { headers: { accept: 'text/html' } })).status).toBe(406);
    expect((await send('/wallets/wal_1', { headers: { accept: 'text/html, application/*;q=0.5' } })).status).toBe(200);
    expect((await send('/wallets/wal_1', { headers: { accept: '*/*' } })).status).toBe(200);
  });

  it('answers 415 for an undeclared Content-Type and accepts declared wildcards', async () => {
    const send = await start(adapter, api, defaultHandlers);
    const wrong = await send('/wallets', { method: 'POST', headers: { 'content-type': 'text/xml', 'idempotency-key': 'k' }, body: '<wallet/>' });
    expect(wrong.status).toBe(415);
    expect(wrong.json.type).toBe(`${PROBLEM_TYPE}unsupported-media-type`);

    const png = await send('/wallets/wal_1/avatar', { method: 'PUT', headers: { 'content-type': 'image/png' }, body: new Uint8Array([137, 80, 78, 71]) });
    expect(png.status).toBe(204);
    expect(png.headers.get('x-received')).toBe('4');
    const text = await send('/wallets/wal_1/avatar', { method: 'PUT', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'hello' });
    expect(text.status).toBe(204);
    expect(text.headers.get('x-received')).toBe('5');
  });

  it('answers 413 when the body exceeds the limit', async () => {
    const send = await start(adapter, api, defaultHandlers, { bodyLimit: 64 });
    const response = await send('/wallets', {
      method: 'POST',
      headers: createHeaders,
      body: JSON.stringify({ currency: 'EUR', owner_email: `${'a'.repeat(100)}@example.com` }),
    });
    expect(response.status).toBe(413);
    expect(response.json.type).toBe(`${PROBLEM_TYPE}payload-too-large`);
  });

  it('turns an off-contract response into a 500 naming the violation', async () => {
    const handlers: HandlerMap = {
      ...defaultHandlers,
      getWallet: () => ({ status: 200, body: { id: 'wal_1', currency: 'euro', balance: 1 } }),
      deleteWallet: () => ({ status: 200, body: { deleted: true } }),
    };
    const send = await start(adapter, api, handlers);
    const body = await send('/wallets/wal_1');
    expect(body.status).toBe(500);
    expect(body.json.type).toBe(`${PROBLEM_TYPE}internal-error`);
    expect(body.json.detail).toContain('getWallet answered 200 off contract');
    expect(body.json.errors).toEqual([{ pointer: '/body/currency', detail: 'must match the pattern ^[A-Z]{3}$', code: 'pattern' }]);

    const status = await send('/wallets/wal_1', { method: 'DELETE' });
    expect(status.status).toBe(500);
    expect(status.json.errors).toEqual([{ pointer: '', detail: 'status 200 is not a documented response', code: 'undocumented_status' }]);
  });

  it("only logs an off-contract response with validateResponses: 'log', and skips the check when off", async () => {
    const logged: unknown[] = [];
    const logger = { info() {}, debug() {}, warn() {}, error: (entry: object) => logged.push(entry), child: () => logger };
    const handlers: HandlerMap = { ...defaultHandlers, getWallet: () => ({ status: 200, body: { id: 'wal_1', currency: 'euro', balance: 1 } }) };
    const logOnly = await start(adapter, api, handlers, { validateResponses: 'log', logger });
    expect((await logOnly('/wallets/wal_1')).status).toBe(200);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ operation: 'getWallet', violations: [{ pointer: '/body/currency' }] });

    const off = await start(adapter, api, handlers, { validateResponses: false });
    expect((await off('/wallets/wal_1')).status).toBe(200);
  });

  it('fills the request id into problem bodies that handlers return', async () => {
    const send = await start(adapter, api, defaultHandlers);
    const response = await send('/wallets/wal_missing', { headers: { 'x-request-id': 'req-404' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.json.request_id).toBe('req-404');
  });

  it('never leaks a stack trace: a throwing handler becomes a 500 problem with the request id', async () => {
    const logged: Array<Record<string, unknown>> = [];
    const logger = { info() {}, debug() {}, warn() {}, error: (entry: Record<string, unknown>) => logged.push(entry), child: () => logger };
    const send = await start(
      adapter,
      api,
      {
        ...defaultHandlers,
        getWallet: () => {
          throw new Error('database exploded at /srv/app/db.ts:42');
        },
      },
      { logger },
    );
    const response = await send('/wallets/wal_1', { headers: { 'x-request-id': 'req-boom' } });
    expect(response.status).toBe(500);
    expect(response.json).toMatchObject({ type: `${PROBLEM_TYPE}internal-error`, request_id: 'req-boom' });
    expect(response.text).not.toContain('exploded');
    expect(response.text).not.toContain('db.ts');
    expect(logged[0]?.err).toBeInstanceOf(Error);
  });

  it('answers thrown HttpProblems and notImplemented as problems', async () => {
    const send = await start(adapter, api, {
      ...defaultHandlers,
      getWallet: () => {
        throw new HttpProblem(409, 'invalid-state', { detail: 'the wallet is frozen' }, { 'retry-after': '5' });
      },
      deleteWallet: notImplemented,
    });
    const conflict = await send('/wallets/wal_1');
    expect(conflict.status).toBe(409);
    expect(conflict.headers.get('retry-after')).toBe('5');
    expect(conflict.json).toMatchObject({ type: `${PROBLEM_TYPE}invalid-state`, title: 'Invalid state', detail: 'the wallet is frozen' });
    const stub = await send('/wallets/wal_1', { method: 'DELETE' });
    expect(stub.status).toBe(501);
    expect(stub.json.type).toBe(`${PROBLEM_TYPE}not-implemented`);
  });

  it('mounts under a base path and uses a configurable problem type base', async () => {
    const send = await start(adapter, api, defaultHandlers, { basePath: '/v1/', problems: { typeBase: 'https://errors.example.com' } });
    expect((await send('/v1/wallets/wal_1')).status).toBe(200);
    const outside = await send('/wallets/wal_1');
    expect(outside.status).toBe(404);
    expect(outside.json.type).toBe('https://errors.example.com/not-found');
  });

  it('answers CORS preflights and decorates responses for allowed origins', async () => {
    const send = await start(adapter, api, defaultHandlers, { cors: { origin: ['https://app.example.com'], maxAge: 60 } });
    const preflight = await send('/wallets', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, idempotency-key' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST, HEAD');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type, idempotency-key');
    expect(preflight.headers.get('access-control-max-age')).toBe('60');

    const allowed = await send('/wallets/wal_1', { headers: { origin: 'https://app.example.com' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
    // Browsers can only back off and replay correctly if they can read these.
    for (const header of ['Retry-After', 'RateLimit-Remaining', 'Idempotent-Replayed']) {
      expect(allowed.headers.get('access-control-expose-headers')).toContain(header);
    }
    const denied = await send('/wallets/wal_1', { headers: { origin: 'https://evil.example.com' } });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('createRouter', () => {
  it('refuses to start without a handler for every operation', async () => {
    const { createRouter } = await import('../src/index.ts');
    const { getWallet: _omitted, ...partial } = defaultHandlers;
    expect(() => createRouter(api, partial, { logger: false })).toThrow('no handler for operation(s): getWallet');
  });
});

describe('operationAt', () => {
  it('names the operation a request would be routed to, below the base path, without running it', async () => {
    const { createRouter } = await import('../src/index.ts');
    const router = createRouter(api, defaultHandlers, { logger: false, basePath: '/v1' });
    const raw = (method: string, path: string) => ({ method, path, rawQuery: '', header: () => undefined, readBody: async () => null, native: undefined });
    expect(router.operationAt(raw('GET', '/v1/wallets/wal_1'))?.operationId).toBe('getWallet');
    expect(router.operationAt(raw('HEAD', '/v1/wallets/wal_1'))?.operationId).toBe('getWallet');
    expect(router.operationAt(raw('POST', '/v1/wallets'))?.operationId).toBe('createWallet');
    expect(router.operationAt(raw('PATCH', '/v1/wallets'))).toBeUndefined();
    expect(router.operationAt(raw('GET', '/wallets/wal_1'))).toBeUndefined();
    expect(router.operationAt(raw('GET', '/v1/nowhere'))).toBeUndefined();
  });
});

describe('access log', () => {
  it('writes one structured line per request to the injected logger', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = { info: (entry: Record<string, unknown>) => lines.push(entry), debug() {}, warn() {}, error() {}, child: () => logger };
    const send = await start('node', api, defaultHandlers, { logger });
    await send('/wallets/wal_1', { headers: { 'x-request-id': 'req-log-1' } });
    await send('/nowhere', { headers: { 'x-request-id': 'req-log-2' } });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ req_id: 'req-log-1', method: 'GET', path: '/wallets/wal_1', operation: 'getWallet', status: 200 });
    expect(lines[0]!.duration_ms).toEqual(expect.any(Number));
    expect(lines[1]).toMatchObject({ req_id: 'req-log-2', path: '/nowhere', operation: undefined, status: 404 });
  });
});
