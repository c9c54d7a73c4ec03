import { HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRequestValidator } from '../src/index.ts';
import { createHandlers, handlers, wallets } from '../src/msw.ts';
import { canonicalSpecs } from './support/corpus.ts';

const walletsSpec = canonicalSpecs().find((path) => path.includes('/wallets/'));
const base = wallets.defaultBaseUrl;
const walletId = wallets.examples.getWallet.id;

describe.skipIf(!walletsSpec)('generated msw handlers (canonical specs) with setupServer', () => {
  const server = setupServer(...handlers);
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  it('answer every operation with its documented example', async () => {
    const response = await fetch(`${base}/wallets/${walletId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual(wallets.examples.getWallet);
    const created = await fetch(`${base}/wallets`, { method: 'POST', body: JSON.stringify({ currency: 'EUR' }) });
    expect(created.status).toBe(201);
  });

  it('take a typed body or a resolver as override', async () => {
    server.use(wallets.getWalletHandler({ ...wallets.examples.getWallet, display_name: 'Override' }));
    expect(await fetch(`${base}/wallets/${walletId}`).then((r) => r.json())).toMatchObject({ display_name: 'Override' });
    server.use(wallets.getWalletHandler(({ params }) => HttpResponse.json({ type: 'https://docs.finrail.dev/problems/not-found', title: 'Not found', status: 404, detail: `no wallet ${params.walletId}`, request_id: 'req_test' }, { status: 404 })));
    const missing = await fetch(`${base}/wallets/wal_missing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ detail: 'no wallet wal_missing' });
  });

  it('validate requests with the server runtime when asked', async () => {
    const validateRequest = await createRequestValidator([walletsSpec!]);
    server.use(...createHandlers({ validateRequest }));
    const invalid = await fetch(`${base}/wallets/not-a-wallet-id`);
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ errors: [{ pointer: '/path/walletId' }] });
    const badBody = await fetch(`${base}/wallets`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'k-1' }, body: JSON.stringify({ currency: 12 }) });
    expect(badBody.status).toBe(400);
    const valid = await fetch(`${base}/wallets/${walletId}`);
    expect(valid.status).toBe(200);
    expect(await valid.json()).toEqual(wallets.examples.getWallet);
  });
});
