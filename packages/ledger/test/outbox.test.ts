// Webhook delivery from the outbox: signed, retried with exponential backoff, dead after N
// attempts, redeliverable. Runs against a local HTTP receiver on every storage.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.ts';
import type { Ledger } from '../src/ledger.ts';
import { DeliveryWorker } from '../src/outbox/delivery-worker.ts';
import { SIGNATURE_HEADER, signatureHeader, verifySignatureHeader } from '../src/outbox/signature.ts';
import { openTestLedger, storageTargets } from './support/storages.ts';

interface Received {
  body: string;
  signature: string;
}

async function receiver(): Promise<{ url: string; received: Received[]; answer: { status: number }; close: () => Promise<void> }> {
  const received: Received[] = [];
  const answer = { status: 200 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: String(request.headers[SIGNATURE_HEADER.toLowerCase()]) });
      response.writeHead(answer.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, received, answer, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('webhook signatures', () => {
  const body = '{"id":"evt_1"}';
  it('verifies a valid header and rejects tampering, wrong secrets and stale timestamps', () => {
    const header = signatureHeader(['whsec_a'], 1_700_000_000, body);
    expect(verifySignatureHeader(header, body, 'whsec_a', { nowSeconds: 1_700_000_100 })).toBe(true);
    expect(verifySignatureHeader(header, `${body} `, 'whsec_a', { nowSeconds: 1_700_000_100 })).toBe(false);
    expect(verifySignatureHeader(header, body, 'whsec_b', { nowSeconds: 1_700_000_100 })).toBe(false);
    expect(verifySignatureHeader(header, body, 'whsec_a', { nowSeconds: 1_700_000_301 })).toBe(false);
  });

  it('accepts any of several v1 signatures during a rotation', () => {
    const header = signatureHeader(['whsec_old', 'whsec_new'], 1_700_000_000, body);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verifySignatureHeader(header, body, 'whsec_new', { nowSeconds: 1_700_000_000 })).toBe(true);
  });
});

describe.each(storageTargets)('outbox delivery on $name', ({ name, skip }) => {
  let ledger: Ledger;
  let clock: ManualClock;
  let hooks: Awaited<ReturnType<typeof receiver>>;

  beforeEach(async () => {
    if (skip) return;
    clock = new ManualClock();
    ledger = await openTestLedger(name, { clock });
    hooks = await receiver();
    await ledger.createAccount({ id: 'bank', currency: 'EUR', normalBalance: 'debit' });
    await ledger.createAccount({ id: 'alice', currency: 'EUR', normalBalance: 'credit' });
  });

  afterEach(async () => {
    if (skip) return;
    await hooks.close();
    await ledger.close();
  });

  const move = (id: string, type = 'wallet.transaction.posted') =>
    ledger.transfer({ id, debitAccountId: 'bank', creditAccountId: 'alice', amount: 1n, currency: 'EUR', events: [{ id: `evt_${id}`, type, data: { transaction: id, amount: 1n } }] });

  it.skipIf(skip)('delivers the event envelope signed with the endpoint secret', async () => {
    const endpoint = await ledger.outbox.createEndpoint({ url: hooks.url });
    await move('t1');
    const worker = new DeliveryWorker({ outbox: ledger.outbox, clock });
    expect(await worker.runOnce()).toBe(1);
    const [delivery] = hooks.received;
    expect(JSON.parse(delivery!.body)).toEqual({ id: 'evt_t1', type: 'wallet.transaction.posted', created_at: new Date(clock.now()).toISOString(), data: { amount: '1', transaction: 't1' } });
    expect(verifySignatureHeader(delivery!.signature, delivery!.body, endpoint.secret, { nowSeconds: clock.now() / 1000 })).toBe(true);
    expect(await ledger.outbox.listDeliveries({ eventId: 'evt_t1' })).toMatchObject([{ status: 'delivered', attempts: 1, lastStatus: 200 }]);
    expect(await worker.runOnce()).toBe(0);
  });

  it.skipIf(skip)("an event whose data is an API resource carries the resource's own JSON text (the text its document stores)", async () => {
    await ledger.outbox.createEndpoint({ url: hooks.url });
    const resource = { id: 'txn_1', status: 'posted', amount: { amount: 5, currency: 'EUR' }, description: null };
    await ledger.transfer({ id: 't1', debitAccountId: 'bank', creditAccountId: 'alice', amount: 5n, currency: 'EUR', events: [{ id: 'evt_t1', type: 'wallet.transaction.posted', data: resource }] });
    expect(await new DeliveryWorker({ outbox: ledger.outbox, clock }).runOnce()).toBe(1);
    expect(hooks.received[0]!.body).toContain(`"data":${JSON.stringify(resource)}}`);
  });

  it.skipIf(skip)('backs off exponentially, marks the delivery dead after N attempts, and redelivers on request', async () => {
    await ledger.outbox.createEndpoint({ url: hooks.url });
    await move('t1');
    hooks.answer.status = 500;
    const worker = new DeliveryWorker({ outbox: ledger.outbox, clock, maxAttempts: 3, baseDelayMs: 1_000, random: () => 0 });
    const start = clock.now();

    expect(await worker.runOnce()).toBe(1);
    let [delivery] = await ledger.outbox.listDeliveries();
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500, nextAttemptAt: start + 1_000 });
    clock.advance(999);
    expect(await worker.runOnce()).toBe(0);
    clock.advance(1);
    expect(await worker.runOnce()).toBe(1);
    [delivery] = await ledger.outbox.listDeliveries();
    expect(delivery).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: clock.now() + 2_000 });
    clock.advance(2_000);
    expect(await worker.runOnce()).toBe(1);
    [delivery] = await ledger.outbox.listDeliveries();
    expect(delivery).toMatchObject({ status: 'dead', attempts: 3, lastError: 'endpoint answered 500' });
    clock.advance(60_000);
    expect(await worker.runOnce()).toBe(0);

    hooks.answer.status = 204;
    await ledger.outbox.redeliver(delivery!.id);
    expect(await worker.runOnce()).toBe(1);
    expect(await ledger.outbox.listDeliveries()).toMatchObject([{ status: 'delivered', lastStatus: 204 }]);
    expect(hooks.received).toHaveLength(4);
  });

  it.skipIf(skip)('records network failures as failed attempts', async () => {
    await ledger.outbox.createEndpoint({ url: 'http://127.0.0.1:1/unreachable' });
    await move('t1');
    await new DeliveryWorker({ outbox: ledger.outbox, clock, random: () => 0 }).runOnce();
    expect(await ledger.outbox.listDeliveries()).toMatchObject([{ status: 'pending', attempts: 1, lastStatus: null }]);
  });

  it.skipIf(skip)('routes events by type and never sends one attempt twice', async () => {
    await ledger.outbox.createEndpoint({ url: hooks.url, eventTypes: ['payment.succeeded'] });
    await move('t1', 'wallet.transaction.posted');
    await move('t2', 'payment.succeeded');
    const worker = new DeliveryWorker({ outbox: ledger.outbox, clock });
    const counts = await Promise.all([worker.runOnce(), worker.runOnce(), worker.runOnce()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(hooks.received.map((r) => JSON.parse(r.body).id)).toEqual(['evt_t2']);
  });

  it.skipIf(skip)('rotates secrets and stops delivering to deleted endpoints', async () => {
    const endpoint = await ledger.outbox.createEndpoint({ url: hooks.url });
    const rotated = await ledger.outbox.rotateSecret(endpoint.id);
    expect(rotated!.secret).not.toBe(endpoint.secret);
    await move('t1');
    expect(await ledger.outbox.deleteEndpoint(endpoint.id)).toBe(true);
    expect(await new DeliveryWorker({ outbox: ledger.outbox, clock }).runOnce()).toBe(0);
    expect(await ledger.outbox.listDeliveries()).toMatchObject([{ status: 'dead', lastError: 'endpoint deleted' }]);
  });
});
