// transferBatch(): many transfers as one job of the writer, with a result per transfer, exactly as
// if transfer() had been called for each in order. Run on every storage.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.ts';
import * as commands from '../src/core/commands.ts';
import { LedgerError } from '../src/core/errors.ts';
import type { TransferInput } from '../src/core/commands.ts';
import { MAX_TRANSFERS_PER_BATCH, type Ledger, type TransferResult } from '../src/ledger.ts';
import { testSeed } from './support/seed.ts';
import { openTestLedger, storageTargets } from './support/storages.ts';

const outcome = (result: TransferResult) => (result.ok ? 'ok' : result.error.code);
const entryOf = (result: TransferResult | undefined) => {
  if (!result?.ok) throw new Error(`expected an entry, got ${result && outcome(result)}`);
  return result.entry;
};

async function setUp(ledger: Ledger): Promise<void> {
  await ledger.createAccount({ id: 'bank', currency: 'EUR', normalBalance: 'debit' });
  await ledger.createAccount({ id: 'alice', currency: 'EUR', normalBalance: 'credit', flags: { debitsMustNotExceedCredits: true } });
  await ledger.createAccount({ id: 'bob', currency: 'EUR', normalBalance: 'credit', flags: { debitsMustNotExceedCredits: true } });
  await ledger.createAccount({ id: 'frozen', currency: 'EUR', normalBalance: 'credit' });
  await ledger.createAccount({ id: 'carol.usd', currency: 'USD', normalBalance: 'credit' });
  await ledger.setAccountStatus('frozen', 'frozen');
  await ledger.transfer({ id: 'fund', debitAccountId: 'bank', creditAccountId: 'alice', amount: 100n, currency: 'EUR' });
}

describe.each(storageTargets)('transferBatch on $name', ({ name, skip }) => {
  let ledger: Ledger;
  let clock: ManualClock;

  beforeEach(async () => {
    if (skip) return;
    clock = new ManualClock();
    ledger = await openTestLedger(name, { clock });
    await setUp(ledger);
  });

  afterEach(async () => {
    if (skip) return;
    expect(await ledger.audit()).toEqual([]);
    await ledger.close();
  });

  const move = (id: string, amount: bigint, more: Partial<TransferInput> = {}): TransferInput => ({
    id,
    debitAccountId: 'alice',
    creditAccountId: 'bob',
    amount,
    currency: 'EUR',
    ...more,
  });

  it.skipIf(skip)('gives each transfer its own result: valid ones commit, rejected ones leave no trace', async () => {
    const fund = (await ledger.getEntry('fund'))!;
    const results = await ledger.transferBatch([
      move('t1', 30n),
      move('zero', 0n),
      move('too-much', 1_000n),
      move('t1', 30n), // a retry of the first: its entry again
      move('t1', 31n), // the same id for another transfer
      move('fund', 100n, { debitAccountId: 'bank', creditAccountId: 'alice' }), // a retry of an entry committed before the batch
      move('fund', 5n, { debitAccountId: 'bank', creditAccountId: 'alice' }),
      move('usd', 1n, { creditAccountId: 'carol.usd' }),
      move('to-frozen', 1n, { creditAccountId: 'frozen' }),
      move('self', 1n, { creditAccountId: 'alice' }),
      move('hold', 20n, { pending: { expiresAt: clock.now() + 60_000 } }),
      move('stale-hold', 1n, { pending: { expiresAt: clock.now() } }),
      move('t2', 51n), // 100 - 30 - 20 held leaves 50
      move('t3', 50n),
      move('empty', 1n),
    ]);
    expect(results.map(outcome)).toEqual([
      'ok',
      'invalid_request',
      'insufficient_funds',
      'ok',
      'entry_exists_with_different_fields',
      'ok',
      'entry_exists_with_different_fields',
      'currency_mismatch',
      'account_not_open',
      'same_account',
      'ok',
      'invalid_request',
      'insufficient_funds',
      'ok',
      'insufficient_funds',
    ]);
    const entry = (i: number) => entryOf(results[i]);
    expect(entry(3)).toEqual(entry(0));
    expect(entry(5)).toEqual(fund);
    expect([entry(0).seq, entry(10).seq, entry(13).seq]).toEqual([fund.seq + 1, fund.seq + 2, fund.seq + 3]);
    for (const id of ['zero', 'too-much', 'usd', 'to-frozen', 'self', 'stale-hold', 't2', 'empty']) expect(await ledger.getEntry(id), id).toBeUndefined();
    expect(await ledger.getPending('stale-hold')).toBeUndefined();
    expect(await ledger.getPending('hold')).toMatchObject({ status: 'pending', amount: 20n });
    expect(await ledger.balance('alice')).toMatchObject({ posted: 20n, pending: 20n, available: 0n });
    expect(await ledger.balance('bob')).toMatchObject({ posted: 80n, incoming: 20n });
    expect(await ledger.verifyChain()).toMatchObject({ ok: true, entries: fund.seq + 3 });
    const rejected = results[2]!;
    expect(!rejected.ok && rejected.error).toBeInstanceOf(LedgerError);
  });

  it.skipIf(skip)('is all or nothing when an item fails for a reason that is not a business rule', async () => {
    const exploding = move('boom', 1n, {
      metadata: {
        get note(): string {
          throw new Error('metadata getter failed');
        },
      },
    });
    await expect(ledger.transferBatch([move('before', 1n), move('before-hold', 1n, { pending: {} }), exploding, move('after', 1n)])).rejects.toThrow(
      'metadata getter failed',
    );
    for (const id of ['before', 'before-hold', 'boom', 'after']) expect(await ledger.getEntry(id), id).toBeUndefined();
    expect(await ledger.getPending('before-hold')).toBeUndefined();
    expect(await ledger.balance('alice')).toMatchObject({ posted: 100n, pending: 0n });
    // The writer carries on from where it was.
    expect((await ledger.transferBatch([move('later', 1n)])).map(outcome)).toEqual(['ok']);
    expect(await ledger.verifyChain()).toMatchObject({ ok: true, entries: 2 });
  });

  it.skipIf(skip)('refuses a batch over the limit before touching the ledger', async () => {
    const inputs = Array.from({ length: MAX_TRANSFERS_PER_BATCH + 1 }, (_, i) => move(`over-${i}`, 1n));
    await expect(ledger.transferBatch(inputs)).rejects.toThrow(/at most 8190 transfers, got 8191/);
    expect(await ledger.getEntry('over-0')).toBeUndefined();
  });

  it.skipIf(skip)('moves money among more accounts than one balance statement updates', async () => {
    const ring = Array.from({ length: 150 }, (_, i) => `ring.${i}`);
    for (const id of ring) await ledger.createAccount({ id, currency: 'EUR', normalBalance: 'credit', flags: { debitsMustNotExceedCredits: true } });
    const funded = await ledger.transferBatch(ring.map((id) => ({ id: `fund.${id}`, debitAccountId: 'bank', creditAccountId: id, amount: 1_000n, currency: 'EUR' })));
    expect(funded.every((result) => result.ok)).toBe(true);
    // Each ring account pays the next i + 1: it ends with 1,000 - (i + 1) + i (or + 150 for the first).
    const moved = await ledger.transferBatch(ring.map((id, i) => ({ id: `pay.${id}`, debitAccountId: id, creditAccountId: ring[(i + 1) % ring.length]!, amount: BigInt(i + 1), currency: 'EUR' })));
    expect(moved.every((result) => result.ok)).toBe(true);
    for (const [i, id] of ring.entries()) {
      expect((await ledger.balance(id))?.posted, id).toBe(1_000n - BigInt(i + 1) + (i === 0 ? 150n : BigInt(i)));
    }
    expect(await ledger.balance('bank')).toMatchObject({ posted: 150_100n });
  });

  it.skipIf(skip)('gives a movement what it prefetched, and refuses to guess about anything else', async () => {
    await ledger.transaction(async (tx) => {
      const view = await tx.prefetch(['alice', 'nobody'], ['fund', 'unknown']);
      expect(view.account('alice')).toMatchObject({ id: 'alice', creditsPosted: 100n });
      expect(view.account('nobody')).toBeUndefined();
      expect(view.entry('fund')).toMatchObject({ id: 'fund', amount: 100n });
      expect(view.entry('unknown')).toBeUndefined();
      // Absent or not asked for? The view cannot tell, so it throws rather than answer "absent".
      expect(() => view.account('someone-else')).toThrow('account someone-else was not prefetched for this movement');
      expect(() => view.entry('another')).toThrow('entry another was not prefetched for this movement');
    });
  });

  it.skipIf(skip)('undoes the writes of a nested unit that throws, and keeps the rest of the transaction', async () => {
    const outcomes = await ledger.transaction(async (tx, now) => {
      await commands.transfer(tx, move('kept', 10n), now);
      const failed = await tx
        .nested(async (item) => {
          // A hold writes its pending transfer row at once; the throw must take it back.
          await commands.transfer(item, move('dropped-hold', 5n, { pending: {} }), now);
          await item.putDocument({ kind: 'note', id: 'dropped', parentId: null, body: {}, now });
          throw new LedgerError('invalid_request', 'rejected after writing');
        })
        .catch((error: LedgerError) => error.code);
      const kept = await tx.nested((item) => commands.transfer(item, move('kept-hold', 7n, { pending: {} }), now));
      return [failed, kept.id, (await tx.findEntry('dropped-hold'))?.id ?? null, await tx.getDocument('note', 'dropped')];
    });
    expect(outcomes).toEqual(['invalid_request', 'kept-hold', null, undefined]);
    expect(await ledger.getEntry('dropped-hold')).toBeUndefined();
    expect(await ledger.getPending('dropped-hold')).toBeUndefined();
    expect(await ledger.store.getDocument('note', 'dropped')).toBeUndefined();
    expect(await ledger.getPending('kept-hold')).toMatchObject({ status: 'pending', amount: 7n });
    expect(await ledger.balance('alice')).toMatchObject({ posted: 90n, pending: 7n });
  });

  it.skipIf(skip)('ends in the same ledger as transfer() called for each in order, entry for entry', async () => {
    const accounts = ['bank', 'alice', 'bob', 'frozen', 'carol.usd', 'nobody'];
    const input = fc.record({
      id: fc.integer({ min: 0, max: 15 }).map((n) => `x${n}`),
      debitAccountId: fc.constantFrom(...accounts),
      creditAccountId: fc.constantFrom(...accounts),
      amount: fc.oneof(fc.bigInt(1n, 60n), fc.constant(0n)),
      currency: fc.constantFrom('EUR', 'EUR', 'EUR', 'USD'),
      pending: fc.option(fc.record({ expiresAt: fc.option(fc.integer({ min: -10, max: 1000 }), { nil: null }) }), { nil: undefined }),
    });
    const seed = testSeed(`transfer-batch/${name}`);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(input, { maxLength: 12 }), { minLength: 1, maxLength: 4 }), async (batches) => {
        const sequentialClock = new ManualClock();
        const batchedClock = new ManualClock();
        const sequential = await openTestLedger(name, { clock: sequentialClock });
        const batched = await openTestLedger(name, { clock: batchedClock });
        try {
          await setUp(sequential);
          await setUp(batched);
          for (const transfers of batches) {
            const inputs = transfers.map((t) => ({ ...t, pending: t.pending && { expiresAt: t.pending.expiresAt === null ? null : sequentialClock.now() + t.pending.expiresAt } }));
            const one: TransferResult[] = [];
            for (const t of inputs) {
              one.push(await sequential.transfer(t).then((entry) => ({ ok: true as const, entry }), (error: LedgerError) => ({ ok: false as const, error })));
            }
            const many = await batched.transferBatch(inputs);
            expect(many.map(outcome)).toEqual(one.map(outcome));
            expect(many.map((r) => r.ok && r.entry)).toEqual(one.map((r) => r.ok && r.entry));
            sequentialClock.advance(100);
            batchedClock.advance(100);
          }
          expect(await batched.store.listAccounts()).toEqual(await sequential.store.listAccounts());
          expect(await batched.store.listPending()).toEqual(await sequential.store.listPending());
          expect(await batched.verifyChain()).toEqual(await sequential.verifyChain());
          expect(await batched.audit()).toEqual([]);
        } finally {
          await sequential.close();
          await batched.close();
        }
      }),
      { seed, numRuns: name === 'sqlite' ? 40 : 5 },
    );
  }, 60_000);
});
