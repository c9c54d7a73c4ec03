import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VERSION } from '@finrail/runtime';
import { WalletsClient } from './fixtures/wallets-client.ts';
import { problem, sendJson, startServer, type TestServer } from './fixtures/test-server.ts';

const wallet = { id: 'wal_1', currency: 'EUR', balance: 0 };
let server: TestServer;
afterEach(() => server?.close());

async function okServer() {
  server = await startServer((req, res) => {
    if (req.method === 'DELETE') return void res.writeHead(204, { 'x-request-id': 'req_del' }).end();
    if (req.path === '/wallets/missing') return sendJson(res, 404, problem(404, 'not-found'), { 'x-request-id': 'req_404' });
    sendJson(res, 200, wallet, { 'x-request-id': 'req_ok' });
  });
}

describe('request headers', () => {
  it('sends User-Agent finrail-runtime/<version> by default, and an override when given', async () => {
    await okServer();
    await new WalletsClient({ baseUrl: server.url }).wallets.get({ walletId: 'wal_1' });
    await new WalletsClient({ baseUrl: server.url, userAgent: 'finrail-sdk/9.9.9' }).wallets.get({ walletId: 'wal_1' });
    expect(server.requests.map((r) => r.headers['user-agent'])).toEqual([`finrail-runtime/${VERSION}`, 'finrail-sdk/9.9.9']);
  });

  it('does not set User-Agent in a browser', async () => {
    await okServer();
    vi.resetModules();
    vi.stubGlobal('document', {});
    try {
      const { Transport } = await import('../src/transport.ts');
      const transport = new Transport({ baseUrl: server.url });
      await transport.fetch(new Request(`${server.url}/wallets/wal_1`));
    } finally {
      vi.unstubAllGlobals();
    }
    // Node's fetch fills in its own default, never ours.
    expect(server.requests[0]!.headers['user-agent']).not.toContain('finrail');
  });

  it('passes traceparent through from request headers or a getter; per-request headers win', async () => {
    await okServer();
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const client = new WalletsClient({
      baseUrl: server.url,
      headers: { 'x-client': 'default', 'x-tenant': 'acme' },
      traceparent: () => `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`,
    });
    await client.wallets.get({ walletId: 'wal_1' }, { headers: { traceparent, 'x-client': 'per-call' } });
    await client.wallets.get({ walletId: 'wal_1' });
    const [first, second] = server.requests;
    expect(first!.headers).toMatchObject({ traceparent, 'x-client': 'per-call', 'x-tenant': 'acme' });
    expect(second!.headers).toMatchObject({ traceparent: `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`, 'x-client': 'default' });
  });

  it('accepts a relative base URL (same-origin browser apps) when no token URL is needed', () => {
    expect(() => new WalletsClient({ baseUrl: '/api/wallets/v1', accessToken: 'tok' })).not.toThrow();
  });

  it('keeps a trailing slash out of the base URL', async () => {
    await okServer();
    await new WalletsClient({ baseUrl: `${server.url}/wallets/v1/` }).wallets.get({ walletId: 'wal_1' });
    expect(server.requests[0]!.path).toBe('/wallets/v1/wallets/wal_1');
  });
});

describe('results', () => {
  it('exposes X-Request-Id and status on results without making them enumerable', async () => {
    await okServer();
    const result = await new WalletsClient({ baseUrl: server.url }).wallets.get({ walletId: 'wal_1' });
    expect(result.lastResponse).toMatchObject({ status: 200, requestId: 'req_ok' });
    expect(Object.keys(result)).toEqual(['id', 'currency', 'balance']);
    expect(JSON.stringify(result)).toBe(JSON.stringify(wallet));
  });

  it('exposes X-Request-Id on errors', async () => {
    await okServer();
    await expect(new WalletsClient({ baseUrl: server.url }).wallets.get({ walletId: 'missing' })).rejects.toMatchObject({ requestId: 'req_404' });
  });

  it('resolves a 204 to undefined', async () => {
    await okServer();
    await expect(new WalletsClient({ baseUrl: server.url }).wallets.delete({ walletId: 'wal_1' })).resolves.toBeUndefined();
  });

  it('leaves the raw openapi-fetch client usable, with auth applied and errors returned', async () => {
    await okServer();
    const client = new WalletsClient({ baseUrl: server.url, accessToken: 'tok' });
    const { data, error, response } = await client.raw.GET('/wallets/{walletId}', { params: { path: { walletId: 'missing' } } });
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ status: 404 });
    expect(response.status).toBe(404);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer tok');
  });
});

describe('package', () => {
  it('keeps VERSION equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });

  it('has no node: imports in src (it runs in browsers, Deno and Bun)', () => {
    const dir = new URL('../src/', import.meta.url);
    const offenders = readdirSync(dir).filter((file) => /from ['"]node:|require\(['"]node:/.test(readFileSync(new URL(file, dir), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
