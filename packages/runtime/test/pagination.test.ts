import { afterEach, describe, expect, it } from 'vitest';
import { FinrailError, NotFoundError, Transport } from '@finrail/runtime';
import { WalletsClient } from './fixtures/wallets-client.ts';
import { problem, sendJson, startServer, type TestServer } from './fixtures/test-server.ts';

let server: TestServer;
afterEach(() => server?.close());

const wallets = Array.from({ length: 7 }, (_, i) => ({ id: `wal_${i + 1}`, currency: 'EUR', balance: i }));

/** Serves `wallets` in pages of `limit`, cursor = id of the last item of the previous page. */
async function pagedServer(options: { withNextCursor?: boolean; failOnPage?: number } = {}) {
  server = await startServer((req, res) => {
    const limit = Number(req.url.searchParams.get('limit') ?? 3);
    const after = req.url.searchParams.get('starting_after');
    const start = after ? wallets.findIndex((w) => w.id === after) + 1 : 0;
    if (options.failOnPage === server.requests.length) return sendJson(res, 404, problem(404, 'gone'));
    const data = wallets.slice(start, start + limit);
    const hasMore = start + limit < wallets.length;
    const nextCursor = hasMore && options.withNextCursor !== false ? data.at(-1)!.id : null;
    sendJson(res, 200, { data, has_more: hasMore, next_cursor: nextCursor }, { 'x-request-id': `req_page_${server.requests.length}` });
  });
  return new WalletsClient({ baseUrl: server.url, accessToken: 'tok' });
}

describe('PagePromise', () => {
  it('awaits to the first page only', async () => {
    const client = await pagedServer();
    const page = await client.wallets.list({ limit: 3 });
    expect(page.data.map((w) => w.id)).toEqual(['wal_1', 'wal_2', 'wal_3']);
    expect(page.has_more).toBe(true);
    expect(page.lastResponse.requestId).toBe('req_page_1');
    expect(server.requests).toHaveLength(1);
  });

  it('iterates every item across pages, following the cursor', async () => {
    const client = await pagedServer();
    const ids: string[] = [];
    for await (const wallet of client.wallets.list({ limit: 3 })) ids.push(wallet.id);
    expect(ids).toEqual(wallets.map((w) => w.id));
    expect(server.requests.map((r) => r.url.search)).toEqual(['?limit=3', '?limit=3&starting_after=wal_3', '?limit=3&starting_after=wal_6']);
  });

  it('yields whole pages from pages()', async () => {
    const client = await pagedServer();
    const sizes: number[] = [];
    for await (const page of client.wallets.list({ limit: 3 }).pages()) sizes.push(page.data.length);
    expect(sizes).toEqual([3, 3, 1]);
  });

  it('falls back to the last item id when has_more is true without next_cursor', async () => {
    const client = await pagedServer({ withNextCursor: false });
    const ids: string[] = [];
    for await (const wallet of client.wallets.list({ limit: 4 })) ids.push(wallet.id);
    expect(ids).toEqual(wallets.map((w) => w.id));
  });

  it('fetches the first page once when awaited and then iterated', async () => {
    const client = await pagedServer();
    const list = client.wallets.list({ limit: 5 });
    await list;
    const ids: string[] = [];
    for await (const wallet of list) ids.push(wallet.id);
    expect(ids).toHaveLength(7);
    expect(server.requests).toHaveLength(2);
  });

  it('sends nothing until awaited or iterated', async () => {
    const client = await pagedServer();
    client.wallets.list();
    await new Promise((r) => setTimeout(r, 20));
    expect(server.requests).toHaveLength(0);
  });

  it('propagates an error from a later page', async () => {
    const client = await pagedServer({ failOnPage: 2 });
    const ids: string[] = [];
    const iterate = async () => {
      for await (const wallet of client.wallets.list({ limit: 3 })) ids.push(wallet.id);
    };
    await expect(iterate()).rejects.toBeInstanceOf(NotFoundError);
    expect(ids).toEqual(['wal_1', 'wal_2', 'wal_3']);
  });

  it('stops instead of looping when the server repeats a cursor', async () => {
    server = await startServer((_req, res) => sendJson(res, 200, { data: [{ id: 'wal_1', currency: 'EUR', balance: 0 }], has_more: true, next_cursor: 'same' }));
    const client = new WalletsClient({ baseUrl: server.url, accessToken: 'tok' });
    let count = 0;
    for await (const _ of client.wallets.list()) count++;
    expect(count).toBe(2);
  });

  it('follows dot-separated paths into nested page envelopes (UK Open Banking)', async () => {
    server = await startServer((req, res) => {
      const second = req.url.searchParams.get('starting_after') === 'acc_2';
      const Account = second ? [{ AccountId: 'acc_3' }] : [{ AccountId: 'acc_1' }, { AccountId: 'acc_2' }];
      sendJson(res, 200, { Data: { Account }, Links: {}, Meta: { HasMore: !second, NextCursor: second ? null : 'acc_2' } });
    });
    const transport = new Transport({ baseUrl: server.url });
    const pagination = { cursorParam: 'starting_after', nextCursor: 'Meta.NextCursor', hasMore: 'Meta.HasMore', items: 'Data.Account' };
    const accounts = transport.list<unknown, { AccountId: string }>(
      async (cursor, init) => {
        const response = await init.fetch(new Request(`${server.url}/aisp/accounts${cursor ? `?starting_after=${cursor}` : ''}`, { headers: init.headers }));
        return { data: await response.json(), response };
      },
      { operationId: 'listAccounts', method: 'GET', pagination },
    );
    const ids: string[] = [];
    for await (const account of accounts) ids.push(account.AccountId);
    expect(ids).toEqual(['acc_1', 'acc_2', 'acc_3']);
  });

  it('refuses to list an operation without pagination metadata', () => {
    const transport = new Transport({ baseUrl: 'http://127.0.0.1:1' });
    expect(() => transport.list(async () => ({ response: new Response() }), { operationId: 'listThings', method: 'GET' })).toThrow(FinrailError);
  });
});
