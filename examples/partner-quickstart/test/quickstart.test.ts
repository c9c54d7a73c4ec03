import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Finrail } from '@finrail/sdk';
import { runQuickstart } from '../src/quickstart.ts';
import { createWebhookReceiver } from '../src/webhook-receiver.ts';
import { startFakeFinrail, type FakeFinrail } from './fake-finrail.ts';

// FINRAIL_BASE_URL (with FINRAIL_CLIENT_ID / FINRAIL_CLIENT_SECRET) points the quickstart at a real
// sandbox; without it the test runs against a local stand-in.
let fake: FakeFinrail | undefined;
let finrail: Finrail;

beforeAll(async () => {
  if (process.env.FINRAIL_BASE_URL) {
    finrail = new Finrail({ environment: { baseUrl: process.env.FINRAIL_BASE_URL }, clientId: process.env.FINRAIL_CLIENT_ID, clientSecret: process.env.FINRAIL_CLIENT_SECRET });
  } else {
    fake = await startFakeFinrail();
    finrail = new Finrail({ environment: { baseUrl: fake.baseUrl }, clientId: fake.clientId, clientSecret: fake.clientSecret });
  }
});
afterAll(() => fake?.close());

describe('partner quickstart', () => {
  it('creates a wallet, tops it up three times and reads every transaction across pages', async () => {
    const lines: string[] = [];
    const { walletId, transactionIds } = await runQuickstart(finrail, (line) => lines.push(line));
    expect(walletId).toMatch(/^wal_/);
    expect(transactionIds).toHaveLength(3);
    expect(new Set(transactionIds).size).toBe(3);
    expect(lines.filter((line) => line.startsWith('topped up'))).toEqual([
      expect.stringContaining('100.00 EUR'),
      expect.stringContaining('250.00 EUR'),
      expect.stringContaining('50.00 EUR'),
    ]);
    if (fake) expect(new Set(fake.idempotencyKeys).size).toBe(4);
  });
});

describe('webhook receiver', () => {
  const secret = 'whsec_quickstart_test';
  const payload = JSON.stringify({ id: 'evt_1', type: 'wallet.transaction.posted', created_at: '2026-11-18T10:00:00Z', data: { id: 'txn_1' } });

  async function deliver(headers: Record<string, string>, body = payload) {
    const received: unknown[] = [];
    const receiver = createWebhookReceiver(finrail, secret, (event) => received.push(event));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as AddressInfo;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers, body });
      return { status: response.status, received };
    } finally {
      receiver.close();
    }
  }

  it('accepts a correctly signed event', async () => {
    const signature = await finrail.webhooks.generateTestHeader({ payload, secret });
    const { status, received } = await deliver({ 'finrail-signature': signature });
    expect(status).toBe(204);
    expect(received).toEqual([JSON.parse(payload)]);
  });

  it('rejects a tampered body with a 400 problem', async () => {
    const signature = await finrail.webhooks.generateTestHeader({ payload, secret });
    const { status, received } = await deliver({ 'finrail-signature': signature }, payload.replace('txn_1', 'txn_2'));
    expect(status).toBe(400);
    expect(received).toEqual([]);
  });

  it('rejects an event signed with another secret', async () => {
    const signature = await finrail.webhooks.generateTestHeader({ payload, secret: 'whsec_attacker' });
    expect((await deliver({ 'finrail-signature': signature })).status).toBe(400);
  });
});
