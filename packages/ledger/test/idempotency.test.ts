// The idempotency matrix of the specs, on every storage.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.ts';
import { IDEMPOTENCY_RETENTION_MS, requestFingerprint, type KeyLookup, type StoredResponse } from '../src/idempotency/idempotency-store.ts';
import type { Ledger } from '../src/ledger.ts';
import { openTestLedger, storageTargets } from './support/storages.ts';

const created: StoredResponse = { status: 201, headers: { 'content-type': 'application/json', location: '/v1/transfers/txn_1' }, body: '{"id":"txn_1","amount":500}' };
const body = { amount: 500, currency: 'EUR' };
const hash = requestFingerprint({ method: 'POST', path: '/v1/transfers', body });

describe.each(storageTargets)('idempotency keys on $name', ({ name, skip }) => {
  let ledger: Ledger;
  let clock: ManualClock;

  beforeEach(async () => {
    if (skip) return;
    clock = new ManualClock();
    ledger = await openTestLedger(name, { clock });
  });

  afterEach(async () => {
    if (!skip) await ledger.close();
  });

  it.skipIf(skip)('first use proceeds; a retry with the same request replays the whole first response', async () => {
    expect(await ledger.idempotency.begin('client_a', 'key-1', hash)).toEqual({ kind: 'proceed' });
    await ledger.idempotency.complete('client_a', 'key-1', hash, created);
    expect(await ledger.idempotency.begin('client_a', 'key-1', hash)).toEqual({ kind: 'replay', response: created });
  });

  it.skipIf(skip)('the same key with a different request is a mismatch (422), before and after completion', async () => {
    const other = requestFingerprint({ method: 'POST', path: '/v1/transfers', body: { ...body, amount: 501 } });
    expect(other).not.toBe(hash);
    await ledger.idempotency.begin('client_a', 'key-1', hash);
    expect(await ledger.idempotency.begin('client_a', 'key-1', other)).toEqual({ kind: 'mismatch' });
    await ledger.idempotency.complete('client_a', 'key-1', hash, created);
    expect(await ledger.idempotency.begin('client_a', 'key-1', other)).toEqual({ kind: 'mismatch' });
  });

  it.skipIf(skip)('a duplicate while the first is in flight is told so (409), concurrent or not', async () => {
    const decisions = await Promise.all(Array.from({ length: 5 }, () => ledger.idempotency.begin('client_a', 'key-1', hash)));
    expect(decisions.filter((d) => d.kind === 'proceed')).toHaveLength(1);
    expect(decisions.filter((d) => d.kind === 'in_flight')).toHaveLength(4);
  });

  // What the API does for work that runs in a ledger transaction: on SQLite the key is claimed in
  // memory and the transaction reads what is stored, in its batch's read snapshot.
  it.skipIf(skip)('a lookup deferred to the ledger transaction decides as begin would', async () => {
    const other = requestFingerprint({ method: 'POST', path: '/v1/transfers', body: { ...body, amount: 501 } });
    await ledger.idempotency.begin('client_a', 'key-1', hash);
    await ledger.idempotency.complete('client_a', 'key-1', hash, created);
    const savedUntil = clock.now() + IDEMPOTENCY_RETENTION_MS;
    const decision = await ledger.idempotency.begin('client_a', 'key-1', hash, { deferLookup: true });
    let lookup: KeyLookup = { scope: 'client_a', key: 'key-1' };
    if (name === 'sqlite') {
      // SQLite's table has no index on the key: the lookup carries where its rows may be.
      expect(decision).toEqual({ kind: 'proceed', deferredLookup: { ...lookup, expiries: [savedUntil] } });
      lookup = { ...lookup, expiries: [savedUntil] };
      expect(await ledger.idempotency.begin('client_a', 'key-1', hash, { deferLookup: true })).toEqual({ kind: 'in_flight' });
      expect(await ledger.transaction((tx, now) => tx.storedDecision(lookup, hash, now))).toEqual({ kind: 'replay', response: created });
      expect(await ledger.transaction((tx, now) => tx.storedDecision(lookup, other, now))).toEqual({ kind: 'mismatch' });
      // Another key whose hash would lead to the same row is not answered with it.
      expect(await ledger.transaction((tx, now) => tx.storedDecision({ ...lookup, key: 'key-2' }, hash, now))).toBeUndefined();
      ledger.idempotency.settled('client_a', 'key-1');
    } else {
      expect(decision).toEqual({ kind: 'replay', response: created });
    }
    expect(await ledger.transaction((tx, now) => tx.storedDecision({ ...lookup, key: 'key-2' }, hash, now))).toBeUndefined();
    clock.advance(IDEMPOTENCY_RETENTION_MS);
    expect(await ledger.transaction((tx, now) => tx.storedDecision(lookup, hash, now))).toBeUndefined();
  });

  it.skipIf(skip)('keys are scoped per client', async () => {
    await ledger.idempotency.begin('client_a', 'key-1', hash);
    await ledger.idempotency.complete('client_a', 'key-1', hash, created);
    expect(await ledger.idempotency.begin('client_b', 'key-1', hash)).toEqual({ kind: 'proceed' });
  });

  it.skipIf(skip)('a released key can be used again (the first attempt failed before doing anything)', async () => {
    await ledger.idempotency.begin('client_a', 'key-1', hash);
    await ledger.idempotency.release('client_a', 'key-1');
    expect(await ledger.idempotency.begin('client_a', 'key-1', hash)).toEqual({ kind: 'proceed' });
  });

  it.skipIf(skip)('responses are kept 24 hours, then the key is free again', async () => {
    await ledger.idempotency.begin('client_a', 'key-1', hash);
    await ledger.idempotency.complete('client_a', 'key-1', hash, created);
    clock.advance(IDEMPOTENCY_RETENTION_MS - 1);
    expect((await ledger.idempotency.begin('client_a', 'key-1', hash)).kind).toBe('replay');
    clock.advance(1);
    expect(await ledger.idempotency.begin('client_a', 'key-1', hash)).toEqual({ kind: 'proceed' });
  });

  it.skipIf(skip)('a key used again once its response expired stores and replays the new response', async () => {
    const other = requestFingerprint({ method: 'POST', path: '/v1/transfers', body: { ...body, amount: 501 } });
    const second: StoredResponse = { ...created, body: '{"id":"txn_2","amount":501}' };
    await ledger.idempotency.begin('client_a', 'key-1', hash);
    await ledger.idempotency.complete('client_a', 'key-1', hash, created);
    clock.advance(IDEMPOTENCY_RETENTION_MS);
    expect(await ledger.idempotency.begin('client_a', 'key-1', other)).toEqual({ kind: 'proceed' });
    await ledger.idempotency.complete('client_a', 'key-1', other, second);
    clock.advance(IDEMPOTENCY_RETENTION_MS - 1);
    expect(await ledger.idempotency.begin('client_a', 'key-1', other)).toEqual({ kind: 'replay', response: second });
    expect(await ledger.idempotency.begin('client_a', 'key-1', hash)).toEqual({ kind: 'mismatch' });
  });

  it.skipIf(skip)('purging forgets the keys past retention and only those', async () => {
    for (const key of ['old', 'new']) {
      await ledger.idempotency.begin('client_a', key, hash);
      await ledger.idempotency.complete('client_a', key, hash, created);
      clock.advance(IDEMPOTENCY_RETENTION_MS / 2);
    }
    expect(await ledger.idempotency.purgeExpired()).toBe(1);
    expect((await ledger.idempotency.begin('client_a', 'new', hash)).kind).toBe('replay');
  });

  it('fingerprints requests canonically: key order does not matter, values do', () => {
    expect(requestFingerprint({ method: 'post', path: '/p', body: { a: 1, b: [1, 2] } })).toBe(requestFingerprint({ method: 'POST', path: '/p', body: { b: [1, 2], a: 1 } }));
    expect(requestFingerprint({ method: 'POST', path: '/p', body: { a: 1 } })).not.toBe(requestFingerprint({ method: 'POST', path: '/p', body: { a: '1' } }));
    expect(requestFingerprint({ method: 'POST', path: '/p', body: {} })).not.toBe(requestFingerprint({ method: 'POST', path: '/q', body: {} }));
  });
});
