import { createRequestValidator } from '@finrail/mock';
import { createHandlers, handlers, wallets } from '@finrail/mock/msw';
import { HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney, loadWalletOverview } from '../src/wallet-overview.ts';

const server = setupServer(...handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const config = { baseUrl: wallets.defaultBaseUrl, accessToken: 'test-token' };
const walletId = wallets.examples.getWallet.id;

describe('loadWalletOverview', () => {
  it('shapes the wallet, balance and recent transactions for display', async () => {
    server.use(
      wallets.getWalletBalanceHandler({ ...wallets.examples.getWalletBalance, available: { amount: 123456, currency: 'EUR' }, pending: { amount: 0, currency: 'EUR' } }),
      wallets.listWalletTransactionsHandler({
        data: [{ ...wallets.examples.listWalletTransactions.data[0]!, description: 'Coffee', direction: 'debit', amount: { amount: 350, currency: 'EUR' }, created_at: '2026-11-20T09:30:00Z' }],
        has_more: false,
        next_cursor: null,
      }),
    );
    const result = await loadWalletOverview(walletId, config);
    expect(result).toEqual({
      ok: true,
      overview: {
        title: wallets.examples.getWallet.display_name,
        status: wallets.examples.getWallet.status,
        available: '€1,234.56',
        pending: '€0.00',
        recent: [{ id: wallets.examples.listWalletTransactions.data[0]!.id, label: 'Coffee', amount: '−€3.50', date: '2026-11-20' }],
        hasMore: false,
      },
    });
  });

  it('works on the documented examples out of the box', async () => {
    const result = await loadWalletOverview(walletId, config);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.overview.recent).toHaveLength(wallets.examples.listWalletTransactions.data.length);
  });

  it('turns a 404 problem into a not-found state', async () => {
    server.use(
      wallets.getWalletHandler(({ params }) =>
        HttpResponse.json(
          { type: 'https://docs.finrail.dev/problems/not-found', title: 'Not found', status: 404, detail: `No wallet ${params.walletId}`, request_id: 'req_test' },
          { status: 404 },
        ),
      ),
    );
    expect(await loadWalletOverview('wal_01JDFBTHPHGBTACNJHH7TYWPSZ', config)).toEqual({ ok: false, error: 'not-found', detail: 'No wallet wal_01JDFBTHPHGBTACNJHH7TYWPSZ' });
  });

  it('sends requests the real server accepts (validated with the server runtime)', async () => {
    const spec = new URL('../../../specs/wallets/openapi.yaml', import.meta.url).pathname;
    server.use(...createHandlers({ validateRequest: await createRequestValidator([spec]) }));
    expect((await loadWalletOverview(walletId, config)).ok).toBe(true);
    // The same handlers reject what the contract forbids, so the check above can fail.
    expect((await loadWalletOverview('not-a-wallet', config)).ok).toBe(false);
  });
});

describe('formatMoney', () => {
  it('formats minor units per currency exponent', () => {
    expect(formatMoney({ amount: 123456, currency: 'EUR' })).toBe('€1,234.56');
    expect(formatMoney({ amount: 1500, currency: 'JPY' })).toBe('JP¥1,500');
  });
});
