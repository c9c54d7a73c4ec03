import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type ServerHandle } from '@finrail/server';
import { createPaymentsApp } from '../src/payments-app.ts';

const secret = new TextEncoder().encode('test-secret-that-is-at-least-32-bytes');
const wallets = { source_wallet_id: 'wal_01JDFQ7ZK3M9V2T8W4N6P0R5SX', destination_wallet_id: 'wal_01JDFQ8A1B2C3D4E5F6G7H8J9K' };
let handle: ServerHandle;

beforeAll(async () => {
  const app = createPaymentsApp({ logger: false, security: { bearer: { key: secret, issuer: 'https://auth.example.com', audience: 'payments', algorithms: ['HS256'] } } });
  handle = await serve(app, { signals: false });
});
afterAll(() => handle.close());

const token = (scope: string) =>
  new SignJWT({ scope }).setProtectedHeader({ alg: 'HS256' }).setIssuer('https://auth.example.com').setAudience('payments').setSubject('partner_1').setExpirationTime('5m').sign(secret);

async function call(method: string, path: string, options: { scope?: string; body?: unknown; key?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.scope !== undefined) headers.authorization = `Bearer ${await token(options.scope)}`;
  if (method === 'POST') headers['idempotency-key'] = options.key ?? crypto.randomUUID();
  const response = await fetch(`${handle.url}/payments/v1${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

describe('payments slice on the generated stubs', () => {
  const write = 'payments:write payments:read';

  it('authorises a manual payment, captures part of it, then reads and lists it', async () => {
    const created = await call('POST', '/payments', { scope: write, body: { amount: { amount: 5000, currency: 'EUR' }, ...wallets, capture_method: 'manual', confirm: true } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'requires_capture', amount_capturable: { amount: 5000, currency: 'EUR' }, cancellation_reason: null });
    expect(created.body.id).toMatch(/^pay_[0-9A-HJKMNP-TV-Z]{26}$/);

    const captured = await call('POST', `/payments/${created.body.id}/capture`, { scope: write, body: { amount: { amount: 3000, currency: 'EUR' } } });
    expect(captured.status).toBe(200);
    expect(captured.body).toMatchObject({ status: 'succeeded', amount_received: { amount: 3000 }, amount_capturable: { amount: 0 } });

    const again = await call('POST', `/payments/${created.body.id}/capture`, { scope: write, body: {} });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ type: 'https://docs.finrail.dev/problems/invalid-state', request_id: again.headers.get('x-request-id') });

    expect((await call('GET', `/payments/${created.body.id}`, { scope: 'payments:read' })).body.status).toBe('succeeded');
    const listed = await call('GET', '/payments?status=succeeded&limit=10', { scope: 'payments:read' });
    expect(listed.body.data.map((payment: { id: string }) => payment.id)).toContain(created.body.id);
  });

  it('defaults omitted fields from the spec and cancels an unconfirmed payment', async () => {
    const created = await call('POST', '/payments', { scope: write, body: { amount: { amount: 100, currency: 'GBP' }, ...wallets } });
    expect(created.body).toMatchObject({ status: 'requires_confirmation', capture_method: 'automatic' });
    const canceled = await call('POST', `/payments/${created.body.id}/cancel`, { scope: write, body: { cancellation_reason: 'duplicate' } });
    expect(canceled.body).toMatchObject({ status: 'canceled', cancellation_reason: 'duplicate' });
  });

  it('rejects bad input, missing credentials and missing scopes as problems', async () => {
    const invalid = await call('POST', '/payments', { scope: write, body: { amount: { amount: -1, currency: 'euro' }, ...wallets } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((error: { pointer: string }) => error.pointer)).toEqual(['/body/amount/amount', '/body/amount/currency']);

    const anonymous = await call('GET', '/payments');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="finrail"');

    const readOnly = await call('POST', '/payments', { scope: 'payments:read', body: { amount: { amount: 1, currency: 'EUR' }, ...wallets } });
    expect(readOnly.status).toBe(403);
    expect(readOnly.headers.get('www-authenticate')).toContain('error="insufficient_scope"');

    const missing = await call('GET', '/payments/pay_01JDF2HTDFYHYSQ409S9WRWH46', { scope: 'payments:read' });
    expect(missing.status).toBe(404);
  });

  it('answers 501 for operations not built yet', async () => {
    const refund = await call('GET', '/refunds', { scope: 'payments:read' });
    expect(refund.status).toBe(501);
  });
});
