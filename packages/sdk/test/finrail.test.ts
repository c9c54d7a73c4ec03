import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { createApis, ENVIRONMENTS, NotFoundError, VERSION, Webhooks, WebhookSignatureError } from '@finrail/sdk';
import { problem, sendJson, startServer, type TestServer } from '../../runtime/test/fixtures/test-server.ts';
import { STAND_IN_APIS, type StandInEvent } from './stand-in/clients.ts';

let server: TestServer;
afterEach(() => server?.close());

const transactions = Array.from({ length: 5 }, (_, i) => ({ id: `txn_${i + 1}`, amount: 100 * (i + 1) }));

async function fakeFinrail() {
  server = await startServer((req, res) => {
    if (req.path === '/oauth/token') return sendJson(res, 200, { access_token: 'tok_1', expires_in: 3600 });
    if (req.path === '/wallets/v1/wallets') return sendJson(res, 201, { id: 'wal_1', currency: 'EUR', balance: 0 }, { 'x-request-id': 'req_1' });
    if (req.path === '/wallets/v1/wallets/wal_1/top-ups') return sendJson(res, 201, { id: 'wal_1', currency: 'EUR', balance: JSON.parse(req.body).amount });
    if (req.path === '/wallets/v1/wallets/wal_1/transactions') {
      const after = req.url.searchParams.get('starting_after');
      const start = after ? transactions.findIndex((t) => t.id === after) + 1 : 0;
      const data = transactions.slice(start, start + 2);
      const hasMore = start + 2 < transactions.length;
      return sendJson(res, 200, { data, has_more: hasMore, next_cursor: hasMore ? data.at(-1)!.id : null });
    }
    if (req.path === '/payments/v1/payments') return sendJson(res, 201, { id: 'pay_1', status: 'succeeded' });
    if (req.path === '/open-banking/v4.0/accounts') return sendJson(res, 200, { data: [{ id: 'acc_1' }] });
    sendJson(res, 404, problem(404, 'not-found'), { 'x-request-id': 'req_404' });
  });
  return createApis(STAND_IN_APIS, { environment: { baseUrl: server.url }, clientId: 'cid', clientSecret: 'secret' });
}

describe('createApis (the wiring behind new Finrail())', () => {
  it('exposes the primary resource directly and the other resources by name', async () => {
    const finrail = await fakeFinrail();
    const wallet = await finrail.wallets.create({ body: { currency: 'EUR' } });
    expect(wallet).toEqual({ id: 'wal_1', currency: 'EUR', balance: 0 });
    expect(wallet.lastResponse.requestId).toBe('req_1');
    await expect(finrail.wallets.topUps.create({ walletId: 'wal_1', body: { amount: 500 } })).resolves.toMatchObject({ balance: 500 });
    await expect(finrail.payments.create({ body: { amount: 1 } })).resolves.toMatchObject({ id: 'pay_1' });
    await expect(finrail.openBanking.accounts.list()).resolves.toMatchObject({ data: [{ id: 'acc_1' }] });
    expect(typeof finrail.wallets.raw.GET).toBe('function');
  });

  it('auto-pages nested list resources', async () => {
    const finrail = await fakeFinrail();
    const ids: string[] = [];
    for await (const transaction of finrail.wallets.transactions.list({ walletId: 'wal_1' })) ids.push(transaction.id);
    expect(ids).toEqual(transactions.map((t) => t.id));
  });

  it('mounts each API under its base path and shares one OAuth token between them', async () => {
    const finrail = await fakeFinrail();
    await Promise.all([finrail.wallets.create({ body: { currency: 'EUR' } }), finrail.payments.create({ body: { amount: 1 } }), finrail.openBanking.accounts.list()]);
    expect(server.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(1);
    const api = server.requests.filter((r) => r.path !== '/oauth/token');
    expect(api.map((r) => r.path).sort()).toEqual(['/open-banking/v4.0/accounts', '/payments/v1/payments', '/wallets/v1/wallets']);
    for (const request of api) {
      expect(request.headers.authorization).toBe('Bearer tok_1');
      expect(request.headers['user-agent']).toBe(`finrail-sdk/${VERSION}`);
    }
  });

  it('throws typed errors carrying the request id', async () => {
    const finrail = await fakeFinrail();
    const error = await finrail.wallets.get({ walletId: 'nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, requestId: 'req_404' });
  });

  it('passes timeout, maxRetries, headers and a static accessToken through', async () => {
    server = await startServer((_req, res) => sendJson(res, 503, problem(503, 'down')));
    const finrail = createApis(STAND_IN_APIS, { environment: { baseUrl: `${server.url}/` }, accessToken: 'static', maxRetries: 0, headers: { 'x-partner': 'p1' } });
    await expect(finrail.wallets.get({ walletId: 'wal_1' })).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers).toMatchObject({ authorization: 'Bearer static', 'x-partner': 'p1' });
    expect(server.requests[0]!.path).toBe('/wallets/v1/wallets/wal_1');
  });

  it('keeps a path prefix of the environment URL for the APIs and the token endpoint', async () => {
    server = await startServer((req, res) => {
      if (req.path === '/proxy/oauth/token') return sendJson(res, 200, { access_token: 'tok_p', expires_in: 3600 });
      sendJson(res, 200, { id: 'wal_1', currency: 'EUR', balance: 0 });
    });
    const finrail = createApis(STAND_IN_APIS, { environment: { baseUrl: `${server.url}/proxy` }, clientId: 'cid', clientSecret: 'secret' });
    await finrail.wallets.get({ walletId: 'wal_1' });
    expect(server.requests.map((r) => r.path)).toEqual(['/proxy/oauth/token', '/proxy/wallets/v1/wallets/wal_1']);
  });

  it('resolves the named environments', () => {
    expect(ENVIRONMENTS).toEqual({ sandbox: 'http://localhost:4010', production: 'https://api.finrail.dev' });
    const sandbox = createApis(STAND_IN_APIS, {});
    const production = createApis(STAND_IN_APIS, { environment: 'production' });
    expect(sandbox.wallets.raw).toBeDefined();
    expect(production.wallets.raw).toBeDefined();
    expect(() => createApis(STAND_IN_APIS, { environment: 'staging' as 'sandbox' })).toThrow(/unknown environment "staging"/);
    expect(() => createApis(STAND_IN_APIS, { clientId: 'only-id' })).toThrow('clientId and clientSecret must be given together');
  });
});

describe('webhooks', () => {
  const hooks = new Webhooks<StandInEvent>();
  const body = JSON.stringify({ id: 'evt_1', type: 'wallet.transaction.posted', created_at: '2026-01-01T00:00:00Z', data: { id: 'txn_1', amount: 5 } });

  it('verifies and returns the typed event union', async () => {
    const header = await hooks.generateTestHeader({ payload: body, secret: 'whsec_1' });
    const event = await hooks.verify(body, { 'finrail-signature': header }, 'whsec_1', { tolerance: 300 });
    expectTypeOf(event.type).toEqualTypeOf<'wallet.transaction.posted' | 'payment.succeeded'>();
    expect(event.type).toBe('wallet.transaction.posted');
    if (event.type === 'wallet.transaction.posted') expect(event.data.amount).toBe(5);
  });

  it('rejects a bad signature', async () => {
    const header = await hooks.generateTestHeader({ payload: body, secret: 'whsec_other' });
    await expect(hooks.verify(body, { 'finrail-signature': header }, 'whsec_1')).rejects.toBeInstanceOf(WebhookSignatureError);
  });
});

it('keeps VERSION equal to package.json', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  expect(VERSION).toBe(pkg.version);
});
