import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionError, IdempotencyError, InternalServerError, RateLimitError, TimeoutError } from '@finrail/runtime';
import { WalletsClient } from './fixtures/wallets-client.ts';
import { problem, recordingSleep, sendJson, startServer, type TestServer } from './fixtures/test-server.ts';

const wallet = { id: 'wal_1', currency: 'EUR', balance: 0 };
let server: TestServer;
afterEach(() => server?.close());

/** Answers each request with the next scripted status (then 200), recording what came in. */
async function scripted(statuses: Array<number | 'drop' | 'hang'>, headers: Record<string, string> = {}) {
  server = await startServer((req, res) => {
    const next = statuses[server.requests.length - 1];
    if (next === 'drop') return void res.socket?.destroy();
    if (next === 'hang') return;
    if (next !== undefined) return sendJson(res, next, problem(next, 'scripted'), headers);
    sendJson(res, req.method === 'POST' ? 201 : 200, wallet, { 'x-request-id': `req_${server.requests.length}` });
  });
  const timer = recordingSleep();
  const client = new WalletsClient({ baseUrl: server.url, accessToken: 'tok', sleep: timer.sleep });
  return { client, delays: timer.delays };
}

describe('retries', () => {
  it.each([408, 409, 429, 500, 502, 503, 504])('retries a GET after %i and succeeds', async (status) => {
    const { client, delays } = await scripted([status]);
    const result = await client.wallets.get({ walletId: 'wal_1' });
    expect(result).toEqual(wallet);
    expect(server.requests).toHaveLength(2);
    expect(delays).toHaveLength(1);
  });

  it('honours Retry-After in seconds', async () => {
    const { client, delays } = await scripted([429, 503], { 'retry-after': '3' });
    await client.wallets.get({ walletId: 'wal_1' });
    expect(delays).toEqual([3000, 3000]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const { client, delays } = await scripted([503], { 'retry-after': new Date(Date.now() + 20_000).toUTCString() });
    await client.wallets.get({ walletId: 'wal_1' });
    expect(delays[0]).toBeGreaterThan(10_000);
    expect(delays[0]).toBeLessThanOrEqual(20_000);
  });

  it('does not retry when Retry-After asks for more than a minute', async () => {
    const { client, delays } = await scripted([503], { 'retry-after': '120' });
    await expect(client.wallets.get({ walletId: 'wal_1' })).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('falls back to jittered exponential backoff without Retry-After', async () => {
    const { client, delays } = await scripted([500, 500]);
    await client.wallets.get({ walletId: 'wal_1' });
    expect(delays[0]).toBeGreaterThanOrEqual(0);
    expect(delays[0]).toBeLessThan(500);
    expect(delays[1]).toBeLessThan(1000);
  });

  it('gives up after maxRetries (2 by default) and throws the last error', async () => {
    const { client } = await scripted([503, 503, 503, 503]);
    await expect(client.wallets.get({ walletId: 'wal_1' })).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(3);
  });

  it('respects a per-request maxRetries', async () => {
    const { client } = await scripted([429, 429]);
    const error = await client.wallets.get({ walletId: 'wal_1' }, { maxRetries: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry 400-class errors other than 408/409/429', async () => {
    const { client } = await scripted([400, 404]);
    await expect(client.wallets.get({ walletId: 'wal_1' })).rejects.toMatchObject({ status: 400 });
    expect(server.requests).toHaveLength(1);
  });

  it('retries network errors, then reports a ConnectionError', async () => {
    const { client } = await scripted(['drop', 'drop', 'drop']);
    const error = await client.wallets.get({ walletId: 'wal_1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(server.requests).toHaveLength(3);
  });

  it('recovers from a dropped connection', async () => {
    const { client } = await scripted(['drop']);
    await expect(client.wallets.get({ walletId: 'wal_1' })).resolves.toEqual(wallet);
  });
});

describe('idempotency', () => {
  it('generates one key per call and reuses it across retries of a POST', async () => {
    const { client } = await scripted([503, 'drop']);
    await client.wallets.create({ body: { currency: 'EUR' } });
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(1);
    expect(server.requests.map((r) => r.body)).toEqual(Array(3).fill('{"currency":"EUR"}'));
  });

  it('retries a 409 idempotency-request-in-progress, then throws IdempotencyError', async () => {
    server = await startServer((_req, res) => sendJson(res, 409, problem(409, 'idempotency-request-in-progress')));
    const client = new WalletsClient({ baseUrl: server.url, accessToken: 'tok', sleep: recordingSleep().sleep });
    const error = await client.wallets.create({ body: { currency: 'EUR' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdempotencyError);
    expect(error).toMatchObject({ reason: 'in-progress' });
    expect(new Set(server.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(server.requests).toHaveLength(3);
  });

  it('uses a different key for each call', async () => {
    const { client } = await scripted([]);
    await client.wallets.create({ body: { currency: 'EUR' } });
    await client.wallets.create({ body: { currency: 'EUR' } });
    const [first, second] = server.requests.map((r) => r.headers['idempotency-key']);
    expect(first).not.toBe(second);
  });

  it('uses the caller-supplied key', async () => {
    const { client } = await scripted([500]);
    await client.wallets.create({ body: { currency: 'EUR' } }, { idempotencyKey: 'my-key' });
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['my-key', 'my-key']);
  });

  it('never retries a POST or PATCH without an idempotency key', async () => {
    const { client } = await scripted([503, 503]);
    await expect(client.wallets.update({ walletId: 'wal_1', body: { metadata: {} } })).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers['idempotency-key']).toBeUndefined();
  });

  it('retries a PATCH given an idempotency key', async () => {
    const { client } = await scripted([503]);
    await client.wallets.update({ walletId: 'wal_1', body: { metadata: { a: 'b' } } }, { idempotencyKey: 'k1' });
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['k1', 'k1']);
  });

  it('does not retry a POST without a key after a dropped connection', async () => {
    const { client } = await scripted(['drop']);
    await expect(client.raw.POST('/wallets', { body: { currency: 'EUR' } })).rejects.toBeInstanceOf(ConnectionError);
    expect(server.requests).toHaveLength(1);
  });
});

describe('timeouts and cancellation', () => {
  // Generous timeouts: the machine running the tests may be busy, and only the outcome is asserted.
  it('times out an attempt and retries it, then throws TimeoutError', async () => {
    server = await startServer(() => {}); // never answers
    let attempts = 0;
    const countingFetch = (input: Request, init?: RequestInit) => {
      attempts++;
      return fetch(input, init);
    };
    const client = new WalletsClient({ baseUrl: server.url, accessToken: 'tok', fetch: countingFetch, sleep: recordingSleep().sleep });
    const error = await client.wallets.get({ walletId: 'wal_1' }, { timeout: 200, maxRetries: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(attempts).toBe(2);
  });

  it('succeeds when a retry beats the timeout', async () => {
    const { client } = await scripted(['hang']);
    await expect(client.wallets.get({ walletId: 'wal_1' }, { timeout: 1000 })).resolves.toEqual(wallet);
  });

  it('covers reading the body: a response that stalls mid-body times out', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"id":');
    });
    const client = new WalletsClient({ baseUrl: server.url, accessToken: 'tok' });
    await expect(client.wallets.get({ walletId: 'wal_1' }, { timeout: 300 })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('lets the raw openapi-fetch client be cancelled with its own signal', async () => {
    const { client } = await scripted(['hang']);
    const controller = new AbortController();
    const pending = client.raw.GET('/wallets/{walletId}', { params: { path: { walletId: 'wal_1' } }, signal: controller.signal });
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error('raw abort'));
    await expect(pending).rejects.toThrow('raw abort');
  });

  it('rejects with the signal reason when the caller aborts, without retrying', async () => {
    const { client } = await scripted(['hang', 'hang', 'hang']);
    const controller = new AbortController();
    const pending = client.wallets.get({ walletId: 'wal_1' }, { signal: controller.signal });
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error('user gave up'));
    await expect(pending).rejects.toThrow('user gave up');
    expect(server.requests).toHaveLength(1);
  });

  it('stops waiting for a retry when aborted during backoff', async () => {
    server = await startServer((_req, res) => sendJson(res, 503, problem(503, 'down')));
    const controller = new AbortController();
    const client = new WalletsClient({
      baseUrl: server.url,
      accessToken: 'tok',
      sleep: async (_ms, signal) => {
        controller.abort(new Error('cancelled in backoff'));
        signal?.throwIfAborted();
      },
    });
    await expect(client.wallets.get({ walletId: 'wal_1' }, { signal: controller.signal })).rejects.toThrow('cancelled in backoff');
    expect(server.requests).toHaveLength(1);
  });

  it('rejects at once with an already-aborted signal', async () => {
    const { client } = await scripted([]);
    await expect(client.wallets.get({ walletId: 'wal_1' }, { signal: AbortSignal.abort(new Error('early')) })).rejects.toThrow('early');
    expect(server.requests).toHaveLength(0);
  });
});
