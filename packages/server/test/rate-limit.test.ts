import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/index.ts';
import { api, defaultHandlers } from './fixture.ts';
import { ADAPTERS, start } from './harness.ts';

const MINUTE = 60_000;

/** A clock the test moves by hand. */
function manualClock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const rateHeaders = (headers: Headers) => ({
  limit: headers.get('ratelimit-limit'),
  remaining: headers.get('ratelimit-remaining'),
  reset: headers.get('ratelimit-reset'),
  retryAfter: headers.get('retry-after'),
});

describe.each(ADAPTERS)('rate limiting over the %s adapter', (adapter) => {
  it('lets a burst of `limit` through with RateLimit-* headers, then answers 429 problem+json with Retry-After', async () => {
    const clock = manualClock();
    const send = await start(adapter, api, defaultHandlers, { rateLimit: { limit: 2, windowMs: MINUTE, now: clock.now } });

    const first = await send('/wallets');
    expect(first.status).toBe(200);
    // One token refills every 30 s: the bucket is full again 30 s after the first request.
    expect(rateHeaders(first.headers)).toEqual({ limit: '2', remaining: '1', reset: '30', retryAfter: null });
    const second = await send('/wallets');
    expect(rateHeaders(second.headers)).toEqual({ limit: '2', remaining: '0', reset: '60', retryAfter: null });

    const refused = await send('/wallets', { headers: { 'x-request-id': 'req-limited' } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(rateHeaders(refused.headers)).toEqual({ limit: '2', remaining: '0', reset: '60', retryAfter: '30' });
    expect(refused.json).toMatchObject({ type: 'https://docs.finrail.dev/problems/rate-limited', title: 'Too many requests', status: 429, request_id: 'req-limited' });

    clock.advance(29_000);
    expect((await send('/wallets')).headers.get('retry-after')).toBe('1');
    clock.advance(1_000);
    const refilled = await send('/wallets');
    expect(refilled.status).toBe(200);
    expect(rateHeaders(refilled.headers)).toMatchObject({ remaining: '0', retryAfter: null });
  });

  it('keeps one bucket per credential by default, or per the key function', async () => {
    const clock = manualClock();
    const send = await start(adapter, api, defaultHandlers, { rateLimit: { limit: 1, windowMs: MINUTE, now: clock.now } });
    const alice = { authorization: 'Bearer alice' };
    expect((await send('/wallets', { headers: alice })).status).toBe(200);
    expect((await send('/wallets', { headers: alice })).status).toBe(429);
    expect((await send('/wallets', { headers: { authorization: 'Bearer bob' } })).status).toBe(200);

    const byTenant = await start(adapter, api, defaultHandlers, {
      rateLimit: { limit: 1, windowMs: MINUTE, now: clock.now, key: (request) => request.header('x-tenant') ?? 'none' },
    });
    expect((await byTenant('/wallets', { headers: { 'x-tenant': 't1', authorization: 'Bearer a' } })).status).toBe(200);
    expect((await byTenant('/wallets', { headers: { 'x-tenant': 't1', authorization: 'Bearer b' } })).status).toBe(429);
    expect((await byTenant('/wallets', { headers: { 'x-tenant': 't2' } })).status).toBe(200);
  });

  it('puts the headers on every routed answer, errors included, and leaves routers without the option alone', async () => {
    const clock = manualClock();
    const limited = await start(adapter, api, defaultHandlers, { rateLimit: { limit: 5, windowMs: MINUTE, now: clock.now } });
    const invalid = await limited('/wallets?limit=not-a-number');
    expect(invalid.status).toBe(400);
    expect(rateHeaders(invalid.headers)).toMatchObject({ limit: '5', remaining: '4' });

    const unlimited = await start(adapter, api, defaultHandlers);
    expect((await unlimited('/wallets')).headers.get('ratelimit-limit')).toBeNull();
  });
});

describe('RateLimiter', () => {
  it('refuses options that cannot describe a bucket', () => {
    expect(() => new RateLimiter({ limit: 0, windowMs: 1000 })).toThrow(RangeError);
    expect(() => new RateLimiter({ limit: 1.5, windowMs: 1000 })).toThrow(RangeError);
    expect(() => new RateLimiter({ limit: 10, windowMs: 0 })).toThrow(RangeError);
  });
});
