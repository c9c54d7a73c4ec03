import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthenticationError, ClientCredentials } from '@finrail/runtime';
import { WalletsClient } from './fixtures/wallets-client.ts';
import { problem, sendJson, startServer, type RecordedRequest, type TestServer } from './fixtures/test-server.ts';

const wallet = { id: 'wal_1', currency: 'EUR', balance: 0 };
let server: TestServer;
afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
});

/** Issues tok_1, tok_2, … from /oauth/token; API calls succeed only with a token in `valid`. */
async function authServer(valid: (token: string) => boolean = () => true, expiresIn = 3600) {
  let issued = 0;
  server = await startServer(async (req, res) => {
    if (req.path === '/oauth/token') {
      await new Promise((r) => setTimeout(r, 20)); // keep the token request in flight while others queue
      issued++;
      return sendJson(res, 200, { access_token: `tok_${issued}`, token_type: 'Bearer', expires_in: expiresIn });
    }
    const token = req.headers.authorization?.replace('Bearer ', '') ?? '';
    if (!valid(token)) return sendJson(res, 401, problem(401, 'unauthenticated'));
    sendJson(res, 200, wallet);
  });
  const tokenRequests = () => server.requests.filter((r) => r.path === '/oauth/token');
  const apiRequests = () => server.requests.filter((r) => r.path !== '/oauth/token');
  return { tokenRequests, apiRequests };
}

const credentials = { clientId: 'client id', clientSecret: 's3cr:et', scopes: ['wallets:read', 'wallets:write'] };

describe('OAuth client credentials', () => {
  it('fetches a token with HTTP Basic client authentication and the scopes', async () => {
    const { tokenRequests, apiRequests } = await authServer();
    const client = new WalletsClient({ baseUrl: `${server.url}/wallets/v1`, ...credentials });
    await client.wallets.get({ walletId: 'wal_1' });
    const [tokenRequest] = tokenRequests() as [RecordedRequest];
    expect(tokenRequest.method).toBe('POST');
    expect(tokenRequest.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(Object.fromEntries(new URLSearchParams(tokenRequest.body))).toEqual({ grant_type: 'client_credentials', scope: 'wallets:read wallets:write' });
    expect(Buffer.from(tokenRequest.headers.authorization!.slice('Basic '.length), 'base64').toString()).toBe('client%20id:s3cr%3Aet');
    expect(apiRequests()[0]!.headers.authorization).toBe('Bearer tok_1');
    expect(apiRequests()[0]!.path).toBe('/wallets/v1/wallets/wal_1');
  });

  it('sends one token request however many calls wait for it', async () => {
    const { tokenRequests, apiRequests } = await authServer();
    const client = new WalletsClient({ baseUrl: server.url, ...credentials });
    await Promise.all(Array.from({ length: 25 }, () => client.wallets.get({ walletId: 'wal_1' })));
    expect(tokenRequests()).toHaveLength(1);
    expect(apiRequests()).toHaveLength(25);
    expect(new Set(apiRequests().map((r) => r.headers.authorization))).toEqual(new Set(['Bearer tok_1']));
  });

  it('caches the token and refreshes it shortly before it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { tokenRequests, apiRequests } = await authServer();
    const client = new WalletsClient({ baseUrl: server.url, ...credentials });
    await client.wallets.get({ walletId: 'wal_1' });
    vi.setSystemTime(Date.now() + 3500_000); // 100 s left: still outside the 60 s refresh margin
    await client.wallets.get({ walletId: 'wal_1' });
    expect(tokenRequests()).toHaveLength(1);
    vi.setSystemTime(Date.now() + 50_000); // 50 s left: refresh before it expires
    await client.wallets.get({ walletId: 'wal_1' });
    expect(tokenRequests()).toHaveLength(2);
    expect(apiRequests().map((r) => r.headers.authorization)).toEqual(['Bearer tok_1', 'Bearer tok_1', 'Bearer tok_2']);
  });

  it('retries once with a fresh token after a 401', async () => {
    const { tokenRequests, apiRequests } = await authServer((token) => token !== 'tok_1');
    const client = new WalletsClient({ baseUrl: server.url, ...credentials });
    await expect(client.wallets.get({ walletId: 'wal_1' })).resolves.toEqual(wallet);
    expect(tokenRequests()).toHaveLength(2);
    expect(apiRequests().map((r) => r.headers.authorization)).toEqual(['Bearer tok_1', 'Bearer tok_2']);
  });

  it('refreshes once for many concurrent calls that all hit a 401', async () => {
    const { tokenRequests } = await authServer((token) => token !== 'tok_1');
    const client = new WalletsClient({ baseUrl: server.url, ...credentials });
    await Promise.all(Array.from({ length: 10 }, () => client.wallets.get({ walletId: 'wal_1' })));
    expect(tokenRequests()).toHaveLength(2);
  });

  it('retries a 401 only once, then throws AuthenticationError', async () => {
    const { tokenRequests, apiRequests } = await authServer(() => false);
    const client = new WalletsClient({ baseUrl: server.url, ...credentials });
    await expect(client.wallets.create({ body: { currency: 'EUR' } }, { maxRetries: 5 })).rejects.toBeInstanceOf(AuthenticationError);
    expect(apiRequests()).toHaveLength(2);
    expect(tokenRequests()).toHaveLength(2);
  });

  it('surfaces a rejected client as AuthenticationError from the token endpoint', async () => {
    server = await startServer((_req, res) => sendJson(res, 401, problem(401, 'invalid-client')));
    const client = new WalletsClient({ baseUrl: server.url, ...credentials });
    await expect(client.wallets.get({ walletId: 'wal_1' })).rejects.toMatchObject({ name: 'AuthenticationError', type: 'https://docs.finrail.dev/problems/invalid-client' });
    expect(server.requests).toHaveLength(1);
  });

  it('uses a custom tokenUrl and shares one ClientCredentials between clients', async () => {
    const { tokenRequests } = await authServer();
    const tokens = new ClientCredentials({ tokenUrl: `${server.url}/oauth/token`, clientId: 'a', clientSecret: 'b' });
    const first = new WalletsClient({ baseUrl: `${server.url}/one`, accessToken: tokens });
    const second = new WalletsClient({ baseUrl: `${server.url}/two`, accessToken: tokens });
    await Promise.all([first.wallets.get({ walletId: 'w' }), second.wallets.get({ walletId: 'w' })]);
    expect(tokenRequests()).toHaveLength(1);
  });

  it('rejects a clientId without a clientSecret', () => {
    expect(() => new WalletsClient({ baseUrl: 'http://127.0.0.1:1', clientId: 'x' })).toThrow('clientId and clientSecret must be given together');
  });
});

describe('static and function tokens', () => {
  it('sends a static token and does not retry its 401', async () => {
    const { apiRequests } = await authServer(() => false);
    const client = new WalletsClient({ baseUrl: server.url, accessToken: 'static' });
    await expect(client.wallets.get({ walletId: 'wal_1' })).rejects.toBeInstanceOf(AuthenticationError);
    expect(apiRequests().map((r) => r.headers.authorization)).toEqual(['Bearer static']);
  });

  it('calls a token function for each request', async () => {
    const { apiRequests } = await authServer();
    let n = 0;
    const client = new WalletsClient({ baseUrl: server.url, accessToken: async () => `fn_${++n}` });
    await client.wallets.get({ walletId: 'wal_1' });
    await client.wallets.get({ walletId: 'wal_1' });
    expect(apiRequests().map((r) => r.headers.authorization)).toEqual(['Bearer fn_1', 'Bearer fn_2']);
  });

  it('accepts a synchronous token function and a TokenSource that answers synchronously or with a promise', async () => {
    const { apiRequests } = await authServer();
    let n = 0;
    await new WalletsClient({ baseUrl: server.url, accessToken: () => `sync_${++n}` }).wallets.get({ walletId: 'wal_1' });
    await new WalletsClient({ baseUrl: server.url, accessToken: { getToken: () => 'cached' } }).wallets.get({ walletId: 'wal_1' });
    await new WalletsClient({ baseUrl: server.url, accessToken: { getToken: async () => 'awaited' } }).wallets.get({ walletId: 'wal_1' });
    expect(apiRequests().map((r) => r.headers.authorization)).toEqual(['Bearer sync_1', 'Bearer cached', 'Bearer awaited']);
  });

  it('sends no Authorization header without credentials', async () => {
    const { apiRequests } = await authServer();
    await new WalletsClient({ baseUrl: server.url }).wallets.get({ walletId: 'wal_1' });
    expect(apiRequests()[0]!.headers.authorization).toBeUndefined();
  });
});
