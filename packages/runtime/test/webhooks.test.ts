import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateTestHeader, verifyWebhook, WebhookSignatureError } from '@finrail/runtime';

const secret = 'whsec_test_secret';
const body = JSON.stringify({ id: 'evt_1', type: 'wallet.transaction.posted', created_at: '2026-01-01T00:00:00Z', data: { id: 'txn_1' } });
const now = 1_767_225_600;

/** An independent signer (node:crypto) so the runtime's Web Crypto code is checked against it. */
function sign(payload: string, key: string, timestamp: number): string {
  return createHmac('sha256', key).update(`${timestamp}.${payload}`).digest('hex');
}

async function failure(promise: Promise<unknown>): Promise<WebhookSignatureError> {
  const error = await promise.then(() => expect.unreachable('verification should fail'), (e: unknown) => e);
  expect(error).toBeInstanceOf(WebhookSignatureError);
  return error as WebhookSignatureError;
}

describe('verifyWebhook', () => {
  it('accepts a valid signature and returns the parsed event', async () => {
    const headers = { 'finrail-signature': `t=${now},v1=${sign(body, secret, now)}` };
    await expect(verifyWebhook(body, headers, secret, { now })).resolves.toEqual(JSON.parse(body));
  });

  it('accepts a Uint8Array body and a Headers object', async () => {
    const headers = new Headers({ 'Finrail-Signature': `t=${now},v1=${sign(body, secret, now)}` });
    await expect(verifyWebhook(new TextEncoder().encode(body), headers, secret, { now })).resolves.toMatchObject({ id: 'evt_1' });
  });

  it('rejects a tampered body', async () => {
    const headers = { 'finrail-signature': `t=${now},v1=${sign(body, secret, now)}` };
    const error = await failure(verifyWebhook(body.replace('txn_1', 'txn_2'), headers, secret, { now }));
    expect(error.reason).toBe('signature-mismatch');
  });

  it('rejects the wrong secret', async () => {
    const headers = { 'finrail-signature': `t=${now},v1=${sign(body, 'whsec_other', now)}` };
    expect((await failure(verifyWebhook(body, headers, secret, { now }))).reason).toBe('signature-mismatch');
  });

  it('rejects a signature whose timestamp was changed', async () => {
    const headers = { 'finrail-signature': `t=${now + 1},v1=${sign(body, secret, now)}` };
    expect((await failure(verifyWebhook(body, headers, secret, { now }))).reason).toBe('signature-mismatch');
  });

  it.each([
    ['too old', now - 301, undefined],
    ['from the future', now + 301, undefined],
    ['older than a custom tolerance', now - 11, 10],
  ])('rejects a timestamp %s', async (_label, timestamp, tolerance) => {
    const headers = { 'finrail-signature': `t=${timestamp},v1=${sign(body, secret, timestamp)}` };
    expect((await failure(verifyWebhook(body, headers, secret, { now, tolerance }))).reason).toBe('timestamp-outside-tolerance');
  });

  it('accepts a timestamp at the edge of the tolerance', async () => {
    const timestamp = now - 300;
    const headers = { 'finrail-signature': `t=${timestamp},v1=${sign(body, secret, timestamp)}` };
    await expect(verifyWebhook(body, headers, secret, { now })).resolves.toBeDefined();
  });

  it('uses the real clock by default', async () => {
    const timestamp = Math.floor(Date.now() / 1000) - 3600;
    const headers = { 'finrail-signature': `t=${timestamp},v1=${sign(body, secret, timestamp)}` };
    expect((await failure(verifyWebhook(body, headers, secret))).reason).toBe('timestamp-outside-tolerance');
  });

  it('accepts any of several v1 signatures (sender rotating secrets)', async () => {
    const headers = { 'finrail-signature': `t=${now},v1=${sign(body, 'whsec_old', now)},v1=${sign(body, secret, now)}` };
    await expect(verifyWebhook(body, headers, secret, { now })).resolves.toBeDefined();
  });

  it('accepts any of several secrets (receiver rotating secrets)', async () => {
    const headers = { 'finrail-signature': `t=${now},v1=${sign(body, 'whsec_new', now)}` };
    await expect(verifyWebhook(body, headers, [secret, 'whsec_new'], { now })).resolves.toBeDefined();
    expect((await failure(verifyWebhook(body, headers, [secret, 'whsec_older'], { now }))).reason).toBe('signature-mismatch');
  });

  it.each([
    ['missing-header', {}],
    ['malformed-header', { 'finrail-signature': 'v1=abcd' }],
    ['malformed-header', { 'finrail-signature': `t=${now}` }],
    ['malformed-header', { 'finrail-signature': `t=${now},v1=not-hex` }],
    ['malformed-header', { 'finrail-signature': `t=soon,v1=abcd` }],
  ])('reports %s', async (reason, headers) => {
    expect((await failure(verifyWebhook(body, headers, secret, { now }))).reason).toBe(reason);
  });

  it('reports a correctly signed payload that is not JSON', async () => {
    const headers = { 'finrail-signature': `t=${now},v1=${sign('not json', secret, now)}` };
    expect((await failure(verifyWebhook('not json', headers, secret, { now }))).reason).toBe('invalid-payload');
  });
});

describe('generateTestHeader', () => {
  it('produces the same signature as an independent HMAC', async () => {
    await expect(generateTestHeader({ payload: body, secret, timestamp: now })).resolves.toBe(`t=${now},v1=${sign(body, secret, now)}`);
  });

  it('produces one v1 per secret and round-trips through verifyWebhook', async () => {
    const header = await generateTestHeader({ payload: body, secret: ['whsec_a', 'whsec_b'] });
    expect(header.match(/v1=/g)).toHaveLength(2);
    await expect(verifyWebhook(body, { 'Finrail-Signature': header }, 'whsec_b')).resolves.toMatchObject({ id: 'evt_1' });
  });
});
