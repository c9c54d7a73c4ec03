// The in-memory filter of idempotency keys that may have a stored response (SQLite): it must never
// forget a key while its response may be stored, and it spares the read for keys it never saw.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.ts';
import { IDEMPOTENCY_RETENTION_MS, requestFingerprint, type StoredResponse } from '../src/idempotency/idempotency-store.ts';
import { KeyFilter } from '../src/idempotency/key-filter.ts';
import { openLedger, type Ledger } from '../src/ledger.ts';

const DAY = IDEMPOTENCY_RETENTION_MS;

describe('KeyFilter', () => {
  it('has every key added, as it grows past its first filter, and few it never saw', () => {
    const filter = new KeyFilter(DAY, 0);
    const added = Array.from({ length: 300_000 }, () => randomUUID());
    for (const key of added) filter.add(key, 0);
    expect(added.every((key) => filter.mayHave(key, 0))).toBe(true);
    const fresh = Array.from({ length: 100_000 }, () => randomUUID());
    const falsePositives = fresh.filter((key) => filter.mayHave(key, 0)).length;
    expect(falsePositives / fresh.length).toBeLessThan(0.02);
  });

  it('keeps a key for the retention period after it was added, and forgets it later', () => {
    const filter = new KeyFilter(DAY, 0);
    filter.add('early', 1);
    filter.add('late', DAY - 1);
    // The first generation ends at DAY: both are in the previous one until 2 DAY.
    expect(filter.mayHave('early', DAY)).toBe(true);
    expect(filter.mayHave('late', 2 * DAY - 1)).toBe(true);
    expect(filter.mayHave('late', 2 * DAY)).toBe(false);
    expect(filter.mayHave('early', 2 * DAY)).toBe(false);
  });

  it('forgets everything after a jump of the clock past two periods, and keeps what is added after it', () => {
    const filter = new KeyFilter(DAY, 0);
    filter.add('old', 10);
    filter.add('new', 5 * DAY);
    expect(filter.mayHave('old', 5 * DAY)).toBe(false);
    expect(filter.mayHave('new', 6 * DAY - 1)).toBe(true);
  });
});

describe('idempotency keys with the key filter (SQLite file)', () => {
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

  /** Claims a key nobody used, then waits until the stored keys are loaded (the loader's read is done). */
  async function loadKeys(ledger: Ledger, reads: string[]): Promise<void> {
    expect((await ledger.idempotency.begin('client_a', randomUUID(), hash)).kind).toBe('proceed');
    await expect.poll(async () => {
      const before = reads.length;
      await ledger.idempotency.begin('client_a', randomUUID(), hash);
      return reads.length === before;
    }).toBe(true);
  }

  it('after a restart, keys stored before are replayed and unseen keys are claimed without a read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finrail-key-filter-'));
    dirs.push(dir);
    const path = join(dir, 'ledger.sqlite');
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
    await loadKeys(ledger, reads);
    // Stored keys are still answered from the database.
    for (const key of [keys[0]!, keys[12_345]!, keys.at(-1)!]) {
      expect(await ledger.idempotency.begin('client_a', key, hash)).toEqual({ kind: 'replay', response });
    }
    const readsBefore = reads.length;
    for (let i = 0; i < 100; i++) expect(await ledger.idempotency.begin('client_a', randomUUID(), hash)).toEqual({ kind: 'proceed' });
    // Unseen keys: no read, but for the filter's rare false positives.
    expect(reads.length - readsBefore).toBeLessThan(5);
    // A key saved after the load is in the filter at once.
    await ledger.idempotency.begin('client_a', 'later', hash);
    await ledger.idempotency.complete('client_a', 'later', hash, response);
    expect(await ledger.idempotency.begin('client_a', 'later', hash)).toEqual({ kind: 'replay', response });
    // Once expired (and forgotten by the filter), the key is free.
    clock.advance(3 * DAY);
    expect(await ledger.idempotency.begin('client_a', 'later', hash)).toEqual({ kind: 'proceed' });
  }, 60_000);
});
