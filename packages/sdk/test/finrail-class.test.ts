// The real Finrail class on the generated clients, against a local server standing in for the sandbox.
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { Finrail, NotFoundError, VERSION, type WebhookEvent } from '@finrail/sdk';
import { problem, sendJson, startServer, type TestServer } from '../../runtime/test/fixtures/test-server.ts';

let server: TestServer;
afterEach(() => server?.close());

const wallet = { id: 'wal_01JDFBTHPHGBTACNJHH7TYWPSY', status: 'active', currency: 'EUR', owner_reference: 'customer-1042', display_name: null, status_reason: null, metadata: {}, created_at: '2026-11-02T08:00:00Z', updated_at: '2026-11-02T08:00:00Z', closed_at: null };

async function sandbox() {
  server = await startServer((req, res) => {
    if (req.path === '/oauth/token') return sendJson(res, 200, { access_token: 'tok_1', token_type: 'Bearer', expires_in: 3600 });
    if (req.method === 'POST' && req.path === '/wallets/v1/wallets') return sendJson(res, 201, wallet, { 'x-request-id': 'req_wallet' });
    if (req.path === `/wallets/v1/wallets/${wallet.id}/transactions`) {
      const page = req.url.searchParams.get('starting_after') === 'txn_2' ? 2 : 1;
      const data = page === 1 ? [{ id: 'txn_1' }, { id: 'txn_2' }] : [{ id: 'txn_3' }];
      return sendJson(res, 200, { data, has_more: page === 1, next_cursor: page === 1 ? 'txn_2' : null });
    }
    if (req.path === '/open-banking/v4.0/aisp/accounts') {
      const second = req.url.searchParams.get('starting_after') === 'acc_2';
      const Account = second ? [{ AccountId: 'acc_3' }] : [{ AccountId: 'acc_1' }, { AccountId: 'acc_2' }];
      return sendJson(res, 200, { Data: { Account }, Links: { Self: req.path }, Meta: { HasMore: !second, NextCursor: second ? null : 'acc_2' } });
    }
    if (req.method === 'POST' && req.path === '/payments/v1/payments') return sendJson(res, 201, { id: 'pay_1', status: 'succeeded' });
    sendJson(res, 404, problem(404, 'not-found'), { 'x-request-id': 'req_missing' });
  });
  return new Finrail({ environment: { baseUrl: server.url }, clientId: 'cid', clientSecret: 'secret', maxRetries: 0 });
}

describe('Finrail', () => {
  it('creates a wallet through the generated wallets client, with auth, user agent and an idempotency key', async () => {
    const finrail = await sandbox();
    const created = await finrail.wallets.create({ body: { currency: 'EUR', owner_reference: 'customer-1042' } });
    expect(created.id).toBe(wallet.id);
    expect(created.lastResponse.requestId).toBe('req_wallet');
    const request = server.requests.find((r) => r.path === '/wallets/v1/wallets')!;
    expect(request.headers).toMatchObject({ authorization: 'Bearer tok_1', 'user-agent': `finrail-sdk/${VERSION}` });
    expect(request.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(request.body)).toEqual({ currency: 'EUR', owner_reference: 'customer-1042' });
  });

  it('auto-pages wallet transactions and reaches the payments API under its own base path', async () => {
    const finrail = await sandbox();
    const ids: string[] = [];
    for await (const transaction of finrail.wallets.transactions.list({ walletId: wallet.id })) ids.push(transaction.id);
    expect(ids).toEqual(['txn_1', 'txn_2', 'txn_3']);
    await finrail.payments.create({ body: { amount: { amount: 500, currency: 'EUR' }, source_wallet_id: wallet.id, destination_wallet_id: 'wal_01JDFBTHPHGBTACNJHH7TYWPSZ', capture_method: 'automatic', confirm: true } });
    expect(server.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(1);
    expect(server.requests.map((r) => r.path)).toContain('/payments/v1/payments');
  });

  it('auto-pages open banking accounts through the nested UK Open Banking envelope', async () => {
    const finrail = await sandbox();
    const ids: string[] = [];
    for await (const account of finrail.openBanking.aisp.accounts.list()) ids.push(account.AccountId);
    expect(ids).toEqual(['acc_1', 'acc_2', 'acc_3']);
  });

  it('throws typed errors', async () => {
    const finrail = await sandbox();
    await expect(finrail.wallets.get({ walletId: 'wal_missing' })).rejects.toSatisfy((error) => error instanceof NotFoundError && error.requestId === 'req_missing');
  });

  it('verifies webhooks into the union of every API event', async () => {
    const finrail = new Finrail({ accessToken: 'unused' });
    const body = JSON.stringify({ id: 'evt_1', type: 'payment.succeeded', created_at: '2026-11-18T10:00:00Z', data: { id: 'pay_1' } });
    const header = await finrail.webhooks.generateTestHeader({ payload: body, secret: 'whsec_1' });
    const event = await finrail.webhooks.verify(body, { 'Finrail-Signature': header }, 'whsec_1', { tolerance: 300 });
    expect(event.type).toBe('payment.succeeded');
    expectTypeOf(event).toEqualTypeOf<WebhookEvent>();
    expectTypeOf<'wallet.transaction.posted' | 'payment.succeeded' | 'refund.failed'>().toMatchTypeOf<WebhookEvent['type']>();
  });
});
