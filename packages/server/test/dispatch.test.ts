import { describe, expect, it } from 'vitest';
import { createRouter, type RawRequest } from '../src/index.ts';
import { api, defaultHandlers } from './fixture.ts';
import { start } from './harness.ts';

function get(path: string, headers: Record<string, string> = {}): RawRequest {
  return { method: 'GET', path, rawQuery: '', header: (name) => headers[name], readBody: async () => null, native: undefined };
}

describe('dispatch', () => {
  it('answers without a promise when every stage is synchronous', () => {
    const router = createRouter(api, defaultHandlers, { logger: false });
    const response = router.dispatch!(get('/wallets/wal_1'));
    expect(response).not.toBeInstanceOf(Promise);
    expect(response).toMatchObject({ status: 200, headers: { 'content-type': 'application/json' } });
  });

  it('authenticates without a promise when the verifier answers synchronously, and with one when it does not', async () => {
    const reader = { ok: true as const, subject: 'client', scopes: ['wallets:read'] };
    const verifiers = { oauth: ({ credential }: { credential?: string }) => (credential === 'remembered' ? reader : Promise.resolve(reader)) };
    const router = createRouter(api, defaultHandlers, { logger: false, security: { verifiers } });
    const remembered = router.dispatch!(get('/wallets', { authorization: 'Bearer remembered' }));
    expect(remembered).not.toBeInstanceOf(Promise);
    expect(remembered).toMatchObject({ status: 200 });
    const fresh = router.dispatch!(get('/wallets', { authorization: 'Bearer fresh' }));
    expect(fresh).toBeInstanceOf(Promise);
    expect(await fresh).toMatchObject({ status: 200 });
    expect(router.dispatch!(get('/wallets'))).toMatchObject({ status: 401 });
  });

  it('answers with a promise when the handler is asynchronous, the same as handle', async () => {
    const router = createRouter(api, { ...defaultHandlers, getWallet: async () => ({ status: 200, body: { id: 'wal_2', currency: 'EUR', balance: 1 } }) }, { logger: false });
    const pending = router.dispatch!(get('/wallets/wal_2'));
    expect(pending).toBeInstanceOf(Promise);
    const [dispatched, handled] = await Promise.all([pending, router.handle(get('/wallets/wal_2'))]);
    expect(dispatched.status).toBe(200);
    expect(dispatched.body).toEqual(handled.body);
  });

  it('turns a synchronous handler throw into a problem', () => {
    const router = createRouter(api, { ...defaultHandlers, getWallet: () => { throw new Error('boom'); } }, { logger: false });
    const response = router.dispatch!(get('/wallets/wal_1')) as { status: number; headers: Record<string, string> };
    expect(response.status).toBe(500);
    expect(response.headers['content-type']).toBe('application/problem+json');
  });
});

describe('node adapter', () => {
  it('answers a 500 problem when node:http refuses a response header the handler set', async () => {
    const send = await start('node', api, { ...defaultHandlers, getWallet: () => ({ status: 200, body: {}, headers: { 'x-note': 'line\nbreak' } }) }, { validateResponses: false, logger: false });
    const response = await send('/wallets/wal_1');
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
