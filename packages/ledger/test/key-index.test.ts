// The in-memory index of where idempotency keys' responses are (SQLite, whose table has no index on
// the key): it must never lose a key while its response may be stored, and it spares the read for
// keys it never saw.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.ts';
import { IDEMPOTENCY_RETENTION_MS, lookupByExpirySql, requestFingerprint, type StoredResponse } from '../src/idempotency/idempotency-store.ts';
import { KeyIndex } from '../src/idempotency/key-index.ts';
import { openLedger, type Ledger } from '../src/ledger.ts';

const DAY = IDEMPOTENCY_RETENTION_MS;

describe('KeyIndex', () => {
  it('gives every key added its expiry, as it grows past its first table, and none to keys it never saw', () => {
    const index = new KeyIndex(DAY, 0);
    const added = Array.from({ length: 300_000 }, (_, i) => [randomUUID(), DAY + i] as const);
    for (const [key, expiresAt] of added) index.add(key, expiresAt, 0);
    expect(added.every(([key, expiresAt]) => index.expiriesOf(key, 0).includes(expiresAt))).toBe(true);
    // A 64-bit hash: two of these keys colliding is a one in a billion chance.
    expect(Array.from({ length: 100_000 }, () => randomUUID()).filter((key) => index.expiriesOf(key, 0).length > 0)).toEqual([]);
  });

  it('gives keys that share a hash all their expiries (the read tells them apart), and only unexpired ones', () => {
    const index = new KeyIndex(DAY, 0, () => [7, 7]);
    index.add('a', 100, 0);
    index.add('b', 200, 0);
    index.add('a', 300, 0);
    expect(index.expiriesOf('c', 0).sort()).toEqual([100, 200, 300]);
    expect(index.expiriesOf('a', 150).sort()).toEqual([200, 300]);
    expect(index.expiriesOf('a', 300)).toEqual([]);
  });

  it('keeps a key until its response expires across the generations, and forgets it later', () => {
    const index = new KeyIndex(DAY, 0);
    index.add('early', DAY + 1, 1);
    index.add('late', 2 * DAY - 1, DAY - 1);
    // The first generation ends at DAY: both are in the previous one until 2 DAY.
    expect(index.expiriesOf('early', DAY)).toEqual([DAY + 1]);
    expect(index.expiriesOf('late', 2 * DAY - 2)).toEqual([2 * DAY - 1]);
    expect(index.expiriesOf('late', 2 * DAY)).toEqual([]);
  });

  it('forgets everything after a jump of the clock past two periods, and keeps what is added after it', () => {
    const index = new KeyIndex(DAY, 0);
    index.add('old', DAY + 10, 10);
    index.add('new', 6 * DAY, 5 * DAY);
    expect(index.expiriesOf('old', 5 * DAY)).toEqual([]);
    expect(index.expiriesOf('new', 6 * DAY - 1)).toEqual([6 * DAY]);
  });
});

describe('idempotency keys with the key index (SQLite file)', () => {
  const dirs: string[] = [];
  const ledgers: Ledger[] = [];
  afterEach(async () => {
    for (const ledger of ledgers.splice(0)) await ledger.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const response: StoredResponse = { status: 201, headers: {}, body: '{"id":"tr_1"}' };
  const hash = requestFingerprint({ method: 'POST', path: '/transfers', body: { amount: 1 } });

  async function open(path: string, clock: ManualClock): Promise<{ ledger: Ledger; reads: string[] }> {
    const ledger = await openLedger({ storage: 'sqlite', path, clock });
    ledgers.push(ledger);
    // Every query the idempotency store makes outside ledger transactions goes through the reader.
    const reads: string[] = [];
    const reader = ledger.store.database.reader;
    const all = reader.all.bind(reader);
    reader.all = (sql, params) => (reads.push(sql), all(sql, params));
    return { ledger, reads };
  }

  function temporaryFile(): string {
    const dir = mkdtempSync(join(tmpdir(), 'finrail-key-index-'));
    dirs.push(dir);
    return join(dir, 'ledger.sqlite');
  }

  it('after a restart, keys stored before are replayed and unseen keys are claimed without a read', async () => {
    const path = temporaryFile();
    const clock = new ManualClock();
    const first = await open(path, clock);
    // More than one chunk of the loader's, stored in one transaction (as a batch of requests would be).
    const keys = Array.from({ length: 25_000 }, (_, i) => `key-${i}`);
    await first.ledger.transaction(async (tx, now) => {
      for (const key of keys) await tx.saveResponse({ scope: 'client_a', key, requestHash: hash, response, expiresAt: now + DAY });
    });
    await first.ledger.close();
    ledgers.pop();

    const { ledger, reads } = await open(path, clock);
    // The first begin waits for the index to be loaded.
    for (const key of [keys[0]!, keys[12_345]!, keys.at(-1)!]) {
      expect(await ledger.idempotency.begin('client_a', key, hash)).toEqual({ kind: 'replay', response });
    }
    const readsBefore = reads.length;
    for (let i = 0; i < 100; i++) expect(await ledger.idempotency.begin('client_a', randomUUID(), hash)).toEqual({ kind: 'proceed' });
    expect(reads.length).toBe(readsBefore);
    // A key saved after the load is in the index at once.
    await ledger.idempotency.begin('client_a', 'later', hash);
    await ledger.idempotency.complete('client_a', 'later', hash, response);
    expect(await ledger.idempotency.begin('client_a', 'later', hash)).toEqual({ kind: 'replay', response });
    // Once expired, the key is free.
    clock.advance(3 * DAY);
    expect(await ledger.idempotency.begin('client_a', 'later', hash)).toEqual({ kind: 'proceed' });
  }, 60_000);

  it('concurrent first requests all wait for the one load of the index, and a twin is still told apart', async () => {
    const path = temporaryFile();
    const clock = new ManualClock();
    const first = await open(path, clock);
    await first.ledger.transaction((tx, now) => tx.saveResponse({ scope: 'client_a', key: 'stored', requestHash: hash, response, expiresAt: now + DAY }));
    await first.ledger.close();
    ledgers.pop();

    const { ledger, reads } = await open(path, clock);
    const decisions = await Promise.all([
      ledger.idempotency.begin('client_a', 'stored', hash),
      ledger.idempotency.begin('client_a', 'fresh', hash),
      ledger.idempotency.begin('client_a', 'fresh', hash),
    ]);
    expect(decisions).toEqual([{ kind: 'replay', response }, { kind: 'proceed' }, { kind: 'in_flight' }]);
    expect(reads.filter((sql) => sql.includes('rowid > ?'))).toHaveLength(1);
  });

  it('purges a backlog of expired keys a chunk at a time: all of them, and none that has not expired', async () => {
    const clock = new ManualClock();
    const { ledger } = await open(temporaryFile(), clock);
    // 25,000 responses saved a millisecond apart: the first 24,000 expire by the purge.
    await ledger.transaction(async (tx, now) => {
      for (let i = 0; i < 25_000; i++) await tx.saveResponse({ scope: 'client_a', key: `key-${i}`, requestHash: hash, response, expiresAt: now + DAY + i });
    });
    clock.advance(DAY + 24_000);
    const database = ledger.store.database;
    const transaction = database.transaction.bind(database);
    let transactions = 0;
    database.transaction = (work) => ((transactions += 1), transaction(work));
    expect(await ledger.idempotency.purgeExpired()).toBe(24_001);
    expect(transactions).toBeGreaterThanOrEqual(3);
    const left = await database.reader.all('SELECT key FROM idempotency_keys ORDER BY expires_at');
    expect(left.map((row) => row.key)).toEqual(Array.from({ length: 999 }, (_, i) => `key-${24_001 + i}`));
    expect(await ledger.idempotency.begin('client_a', 'key-24001', hash)).toEqual({ kind: 'replay', response });
    expect(await ledger.idempotency.begin('client_a', 'key-24000', hash)).toEqual({ kind: 'proceed' });
  }, 60_000);

  it('reads a key through the expiry index, never by walking the table', async () => {
    const { ledger } = await open(temporaryFile(), new ManualClock());
    const plan = await ledger.store.database.reader.all(`EXPLAIN QUERY PLAN ${lookupByExpirySql(2)}`, [1, 2, 'client_a', 'key']);
    const steps = plan.map((row) => String(row.detail));
    expect(steps.some((step) => step.startsWith('SEARCH idempotency_keys USING INDEX idempotency_keys_expiry (expires_at=?)'))).toBe(true);
    expect(steps.some((step) => step.startsWith('SCAN idempotency_keys'))).toBe(false);
  });
});
