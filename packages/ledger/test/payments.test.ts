// The payments API over HTTP: the status machine mapped onto pending, post, void and reversal in
// the journal; events and webhook endpoints. Response validation is on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeliveryWorker } from '../src/outbox/delivery-worker.ts';
import { verifySignatureHeader } from '../src/outbox/signature.ts';
import { createSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { accessToken, apiClient } from './support/http.ts';

describe('sandbox: payments API', () => {
  let sandbox: Sandbox;
  let wallets: ReturnType<typeof apiClient>;
  let payments: ReturnType<typeof apiClient>;
  const clock = new ManualClock(Date.UTC(2026, 10, 23));

  beforeAll(async () => {
    sandbox = await createSandbox({ port: 0, storage: 'memory', logger: false, intervalMs: 0, validateResponses: true, clock });
    const token = await accessToken(sandbox);
    wallets = apiClient(sandbox, token);
    payments = apiClient(sandbox, token, '/payments/v1');
  });
  afterAll(async () => {
    expect(await sandbox.ledger.audit()).toEqual([]);
    await sandbox.close();
  });

  async function walletWith(amount: number): Promise<string> {
    const wallet = await wallets('POST', '/wallets', { currency: 'EUR', owner_reference: 'payer' });
    if (amount > 0) await wallets('POST', `/wallets/${wallet.body.id}/top-ups`, { amount: { amount, currency: 'EUR' }, funding_reference: 'REF' });
    return wallet.body.id;
  }
  const balance = async (id: string) => (await wallets('GET', `/wallets/${id}/balance`)).body;

  it('automatic capture: confirm moves the money at once; refunds reverse it in part, then in full', async () => {
    const [payer, payee] = [await walletWith(10_000), await walletWith(0)];
    const created = await payments('POST', '/payments', { amount: { amount: 4_999, currency: 'EUR' }, source_wallet_id: payer, destination_wallet_id: payee, confirm: true });
    expect(created).toMatchObject({ status: 201, body: { status: 'succeeded', amount_received: { amount: 4_999 } } });
    expect(await balance(payee)).toMatchObject({ posted: { amount: 4_999 } });

    const partial = await payments('POST', '/refunds', { payment_id: created.body.id, amount: { amount: 1_000, currency: 'EUR' } });
    expect(partial).toMatchObject({ status: 201, body: { status: 'succeeded', amount: { amount: 1_000 } } });
    const rest = await payments('POST', '/refunds', { payment_id: created.body.id });
    expect(rest.body).toMatchObject({ amount: { amount: 3_999 } });
    expect((await payments('POST', '/refunds', { payment_id: created.body.id, amount: { amount: 1, currency: 'EUR' } })).status).toBe(422);
    expect((await payments('GET', `/payments/${created.body.id}`)).body).toMatchObject({ amount_refunded: { amount: 4_999 } });
    expect(await balance(payer)).toMatchObject({ posted: { amount: 10_000 } });
    expect((await payments('GET', `/refunds?payment_id=${created.body.id}`)).body.data).toHaveLength(2);
  });

  it('manual capture: authorise holds, capture posts part and releases the rest, a second capture is refused', async () => {
    const [payer, payee] = [await walletWith(20_000), await walletWith(0)];
    const created = await payments('POST', '/payments', { amount: { amount: 15_000, currency: 'EUR' }, source_wallet_id: payer, destination_wallet_id: payee, capture_method: 'manual' });
    expect(created.body).toMatchObject({ status: 'requires_confirmation' });
    const confirmed = await payments('POST', `/payments/${created.body.id}/confirm`);
    expect(confirmed.body).toMatchObject({ status: 'requires_capture', amount_capturable: { amount: 15_000 } });
    expect(confirmed.body.capture_before).toEqual(expect.any(String));
    expect(await balance(payer)).toMatchObject({ posted: { amount: 20_000 }, pending: { amount: 15_000 }, available: { amount: 5_000 } });
    const captured = await payments('POST', `/payments/${created.body.id}/capture`, { amount: { amount: 12_000, currency: 'EUR' } });
    expect(captured.body).toMatchObject({ status: 'succeeded', amount_received: { amount: 12_000 }, amount_capturable: { amount: 0 }, capture_before: null });
    expect(await balance(payer)).toMatchObject({ posted: { amount: 8_000 }, pending: { amount: 0 } });
    expect((await payments('POST', `/payments/${created.body.id}/capture`, {})).status).toBe(409);
    expect((await payments('POST', `/payments/${created.body.id}/cancel`, {})).status).toBe(409);
  });

  it('cancel voids the authorisation; an expired authorisation is canceled by the sweep', async () => {
    const [payer, payee] = [await walletWith(1_000), await walletWith(0)];
    const first = await payments('POST', '/payments', { amount: { amount: 600, currency: 'EUR' }, source_wallet_id: payer, destination_wallet_id: payee, capture_method: 'manual', confirm: true });
    const canceled = await payments('POST', `/payments/${first.body.id}/cancel`, { cancellation_reason: 'duplicate' });
    expect(canceled.body).toMatchObject({ status: 'canceled', cancellation_reason: 'duplicate', capture_before: null });
    expect(await balance(payer)).toMatchObject({ available: { amount: 1_000 } });

    const second = await payments('POST', '/payments', { amount: { amount: 700, currency: 'EUR' }, source_wallet_id: payer, destination_wallet_id: payee, capture_method: 'manual', confirm: true });
    clock.advance(8 * 24 * 60 * 60 * 1000);
    await sandbox.ledger.expireDue();
    expect((await payments('GET', `/payments/${second.body.id}`)).body).toMatchObject({ status: 'canceled', cancellation_reason: 'authorization_expired', capture_before: null });
    expect(await balance(payer)).toMatchObject({ pending: { amount: 0 }, available: { amount: 1_000 } });
  });

  it('a payer without funds makes the payment fail, announced as an event', async () => {
    const [payer, payee] = [await walletWith(100), await walletWith(0)];
    const failed = await payments('POST', '/payments', { amount: { amount: 101, currency: 'EUR' }, source_wallet_id: payer, destination_wallet_id: payee, confirm: true });
    expect(failed.body).toMatchObject({ status: 'failed', failure_code: 'insufficient_funds' });
    const events = await payments('GET', '/events?type=payment.failed');
    expect(events.body.data.some((e: { data: { id: string } }) => e.data.id === failed.body.id)).toBe(true);
    const [event] = events.body.data;
    expect((await payments('GET', `/events/${event.id}`)).body).toMatchObject({ type: 'payment.failed' });
  });

  it('redeliverEvent honours Idempotency-Key: replay, 422 for a reused key, 409 while the first is in flight', async () => {
    const [payer, payee] = [await walletWith(300), await walletWith(0)];
    await payments('POST', '/payments', { amount: { amount: 300, currency: 'EUR' }, source_wallet_id: payer, destination_wallet_id: payee, confirm: true });
    const [newest, older] = (await payments('GET', '/events?limit=2')).body.data as Array<{ id: string }>;
    const key = { 'Idempotency-Key': 'redeliver-once' };
    const first = await payments('POST', `/events/${newest!.id}/redeliver`, undefined, key);
    expect(first).toMatchObject({ status: 202, body: { id: newest!.id } });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const replay = await payments('POST', `/events/${newest!.id}/redeliver`, undefined, key);
    expect(replay).toMatchObject({ status: 202, body: first.body });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const reused = await payments('POST', `/events/${older!.id}/redeliver`, undefined, key);
    expect(reused).toMatchObject({ status: 422, body: { type: 'https://docs.finrail.dev/problems/idempotency-key-reused' } });

    // Hold the ledger's writer so the first attempt stays in flight while its twin arrives.
    let release!: () => void;
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const writer = sandbox.ledger.transaction(() => new Promise<void>((resolve) => ((release = resolve), holding())));
    await held;
    const twinKey = { 'Idempotency-Key': 'redeliver-twins' };
    const twins = [0, 1].map(() => payments('POST', `/events/${newest!.id}/redeliver`, undefined, twinKey));
    // Whichever twin claims the key waits for the writer, so the first answer is the other one's.
    const firstAnswer = await Promise.race(twins);
    release();
    await writer;
    expect(firstAnswer).toMatchObject({ status: 409, body: { type: 'https://docs.finrail.dev/problems/idempotency-request-in-progress' } });
    expect((await Promise.all(twins)).map((answer) => answer.status).sort()).toEqual([202, 409]);
  });

  it('manages webhook endpoints: create (with secret), list, rotate, delete', async () => {
    const created = await payments('POST', '/webhook-endpoints', { url: 'https://hooks.example.com/finrail', enabled_events: ['payment.succeeded'] });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
    expect((await payments('GET', '/webhook-endpoints')).body.data.map((e: { id: string }) => e.id)).toContain(created.body.id);
    const rotated = await payments('POST', `/webhook-endpoints/${created.body.id}/rotate-secret`);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(rotated.body.previous_secret_expires_at).not.toBeNull();
    expect((await payments('DELETE', `/webhook-endpoints/${created.body.id}`)).status).toBe(204);
    expect((await payments('GET', `/webhook-endpoints/${created.body.id}`)).status).toBe(404);
  });

  it('delivers payment events as signed webhooks, signed with both secrets during a rotation', async () => {
    const received: Array<{ body: string; signature: string }> = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ body, signature: String(request.headers['finrail-signature']) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      // The API only accepts https:// endpoints; a local receiver is registered on the outbox directly.
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      const endpoint = await sandbox.ledger.outbox.createEndpoint({ url, eventTypes: ['payment.succeeded'] });
      const rotated = (await sandbox.ledger.outbox.rotateSecret(endpoint.id))!;
      const [payer, payee] = [await walletWith(500), await walletWith(0)];
      const paid = await payments('POST', '/payments', { amount: { amount: 500, currency: 'EUR' }, source_wallet_id: payer, destination_wallet_id: payee, confirm: true });
      await new DeliveryWorker({ outbox: sandbox.ledger.outbox, clock }).runOnce();
      const delivery = received.find((r) => JSON.parse(r.body).data.id === paid.body.id)!;
      expect(JSON.parse(delivery.body)).toMatchObject({ type: 'payment.succeeded', data: { status: 'succeeded' } });
      for (const secret of [endpoint.secret, rotated.secret]) {
        expect(verifySignatureHeader(delivery.signature, delivery.body, secret, { nowSeconds: clock.now() / 1000 })).toBe(true);
      }
      await sandbox.ledger.outbox.deleteEndpoint(endpoint.id);
    } finally {
      receiver.close();
    }
  });
});
