// Guards for any per-request fast path in Transport (signal or headers baked into openapi-fetch's
// Request, fewer timers): the default-fetch path must keep timeouts on every attempt, bodies and keys
// across retries and header precedence; a custom fetch must still get a signal on every attempt.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TimeoutError } from '@finrail/runtime';
import { WalletsClient } from './fixtures/wallets-client.ts';
import { recordingSleep, sendJson, startServer, type TestServer } from './fixtures/test-server.ts';

const wallet = { id: 'wal_1', currency: 'EUR', balance: 0 };
let server: TestServer;
afterEach(() => server?.close());

/** Hangs on the first `hangs` requests, then answers. */
async function hangingFirst(hangs: number) {
  server = await startServer((req, res) => {
    if (server.requests.length <= hangs) return;
    sendJson(res, req.method === 'POST' ? 201 : 200, wallet);
  });
  return new WalletsClient({ baseUrl: server.url, accessToken: 'tok', sleep: recordingSleep().sleep });
}

describe('call fast path (default fetch)', () => {
  it('runs without a timer when timeout is Infinity, and a caller abort still cancels', async () => {
    server = await startServer((req, res) => {
      if (req.path === '/wallets/slow') return;
      sendJson(res, 200, wallet);
    });
    const client = new WalletsClient({ baseUrl: server.url, accessToken: 'tok', timeout: Infinity });
    await expect(client.wallets.get({ walletId: 'wal_1' })).resolves.toEqual(wallet);
    const controller = new AbortController();
    const pending = client.wallets.get({ walletId: 'slow' }, { signal: controller.signal });
    while (server.requests.length < 2) await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });

  it('times out the first attempt and every retry', async () => {
    const client = await hangingFirst(Infinity);
    await expect(client.wallets.get({ walletId: 'wal_1' }, { timeout: 200, maxRetries: 1 })).rejects.toBeInstanceOf(TimeoutError);
    expect(server.requests).toHaveLength(2);
  });

  it('retries a timed-out POST with the same body and idempotency key', async () => {
    const client = await hangingFirst(1);
    const result = await client.wallets.create({ body: { currency: 'EUR' } }, { timeout: 300 });
    expect(result).toEqual(wallet);
    const [first, second] = server.requests;
    expect(second!.body).toBe(first!.body);
    expect(JSON.parse(second!.body)).toEqual({ currency: 'EUR' });
    expect(second!.headers['idempotency-key']).toBe(first!.headers['idempotency-key']);
  });

  it('calls the global fetch once per attempt with the URL and an init, building no Request', async () => {
    server = await startServer((req, res) => (server.requests.length === 1 ? sendJson(res, 503, {}) : sendJson(res, 201, wallet)));
    const client = new WalletsClient({ baseUrl: server.url, accessToken: 'tok', sleep: recordingSleep().sleep });
    const spy = vi.spyOn(globalThis, 'fetch');
    try {
      await expect(client.wallets.create({ body: { currency: 'EUR' } })).resolves.toEqual(wallet);
      expect(spy).toHaveBeenCalledTimes(2);
      for (const [input, init] of spy.mock.calls) {
        expect(input).toBe(`${server.url}/wallets`);
        expect(init).toMatchObject({ method: 'POST', body: '{"currency":"EUR"}' });
        expect(init?.signal).toBeInstanceOf(AbortSignal);
        expect(new Headers(init?.headers).get('authorization')).toBe('Bearer tok');
      }
    } finally {
      spy.mockRestore();
    }
    const [first, second] = server.requests;
    expect(second!.headers['idempotency-key']).toBe(first!.headers['idempotency-key']);
  });

  it('lets a per-call header override a default one whatever its case', async () => {
    server = await startServer((_req, res) => sendJson(res, 200, wallet));
    const client = new WalletsClient({ baseUrl: server.url, headers: { 'x-tenant': 'acme' } });
    await client.wallets.get({ walletId: 'wal_1' }, { headers: { 'User-Agent': 'partner-app/1.0', 'X-Tenant': 'other' } });
    expect(server.requests[0]!.headers).toMatchObject({ 'user-agent': 'partner-app/1.0', 'x-tenant': 'other' });
  });
});

describe('custom fetch', () => {
  it('gets a signal on every attempt, and the timeout aborts it', async () => {
    server = await startServer(() => {});
    const signals: Array<AbortSignal | undefined> = [];
    const client = new WalletsClient({
      baseUrl: server.url,
      sleep: recordingSleep().sleep,
      fetch: (input, init) => {
        signals.push(init?.signal ?? undefined);
        return fetch(input, init);
      },
    });
    await expect(client.wallets.get({ walletId: 'wal_1' }, { timeout: 200, maxRetries: 1 })).rejects.toBeInstanceOf(TimeoutError);
    expect(signals).toHaveLength(2);
    expect(signals.every((signal) => signal?.aborted)).toBe(true);
  });

  it('receives a real Request carrying the method, headers and body of every attempt', async () => {
    server = await startServer((req, res) => (server.requests.length === 1 ? sendJson(res, 503, {}) : sendJson(res, 201, wallet)));
    const seen: Array<{ isRequest: boolean; method: string; key: string | null; body: string }> = [];
    const client = new WalletsClient({
      baseUrl: server.url,
      sleep: recordingSleep().sleep,
      fetch: async (input, init) => {
        seen.push({ isRequest: input instanceof Request, method: input.method, key: input.headers.get('idempotency-key'), body: await input.clone().text() });
        return fetch(input, init);
      },
    });
    await expect(client.wallets.create({ body: { currency: 'EUR' } })).resolves.toEqual(wallet);
    expect(seen).toHaveLength(2);
    expect(seen.every((attempt) => attempt.isRequest && attempt.method === 'POST' && attempt.body === '{"currency":"EUR"}')).toBe(true);
    expect(seen[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[1]!.key).toBe(seen[0]!.key);
  });
});
