// Examples of every rule of the core, run on every storage.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLedger } from '../src/core/audit.ts';
import { canonicalJson } from '../src/core/canonical.ts';
import * as commands from '../src/core/commands.ts';
import { GENESIS_HASH } from '../src/core/hash-chain.ts';
import { ManualClock } from '../src/core/clock.ts';
import type { LedgerErrorCode } from '../src/core/errors.ts';
import type { Ledger } from '../src/ledger.ts';
import { openTestLedger, storageTargets } from './support/storages.ts';

async function rejection(promise: Promise<unknown>): Promise<LedgerErrorCode> {
  try {
    await promise;
  } catch (error) {
    return (error as { code: LedgerErrorCode }).code;
  }
  throw new Error('expected the command to be rejected');
}

describe.each(storageTargets)('ledger core on $name', ({ name, skip }) => {
  let ledger: Ledger;
  let clock: ManualClock;

  beforeEach(async () => {
    if (skip) return;
    clock = new ManualClock();
    ledger = await openTestLedger(name, { clock });
    await ledger.createAccount({ id: 'bank', currency: 'EUR', normalBalance: 'debit' });
    await ledger.createAccount({ id: 'alice', currency: 'EUR', normalBalance: 'credit', flags: { debitsMustNotExceedCredits: true } });
    await ledger.createAccount({ id: 'bob', currency: 'EUR', normalBalance: 'credit', flags: { debitsMustNotExceedCredits: true } });
    await ledger.createAccount({ id: 'carol.usd', currency: 'USD', normalBalance: 'credit' });
    await ledger.transfer({ id: 'top-up', debitAccountId: 'bank', creditAccountId: 'alice', amount: 10_000n, currency: 'EUR' });
  });

  afterEach(async () => {
    if (skip) return;
    expect(await ledger.audit()).toEqual([]);
    await ledger.close();
  });

  describe.skipIf(skip)('double entry', () => {
    it('moves money as balanced postings and keeps posted, pending and available', async () => {
      const entry = await ledger.transfer({ id: 't1', debitAccountId: 'alice', creditAccountId: 'bob', amount: 2_500n, currency: 'EUR' });
      expect(entry.postings).toEqual([
        { accountId: 'alice', currency: 'EUR', side: 'debit', layer: 'posted', amount: 2_500n },
        { accountId: 'bob', currency: 'EUR', side: 'credit', layer: 'posted', amount: 2_500n },
      ]);
      expect(await ledger.balance('alice')).toEqual({ currency: 'EUR', posted: 7_500n, pending: 0n, incoming: 0n, available: 7_500n });
      expect(await ledger.balance('bob')).toMatchObject({ posted: 2_500n, available: 2_500n });
      expect(await ledger.balance('bank')).toMatchObject({ posted: 10_000n });
    });

    it('refuses to overdraw an account whose flags forbid it and leaves no trace', async () => {
      expect(await rejection(ledger.transfer({ id: 't1', debitAccountId: 'alice', creditAccountId: 'bob', amount: 10_001n, currency: 'EUR' }))).toBe('insufficient_funds');
      expect(await ledger.getEntry('t1')).toBeUndefined();
      expect(await ledger.balance('bob')).toMatchObject({ posted: 0n });
    });

    it('rejects a currency mismatch, between accounts or against the request', async () => {
      expect(await rejection(ledger.transfer({ id: 'x1', debitAccountId: 'alice', creditAccountId: 'carol.usd', amount: 1n, currency: 'EUR' }))).toBe('currency_mismatch');
      expect(await rejection(ledger.transfer({ id: 'x2', debitAccountId: 'alice', creditAccountId: 'bob', amount: 1n, currency: 'USD' }))).toBe('currency_mismatch');
    });

    it('rejects bad amounts, unknown accounts and self-transfers', async () => {
      expect(await rejection(ledger.transfer({ id: 'x', debitAccountId: 'alice', creditAccountId: 'bob', amount: 0n, currency: 'EUR' }))).toBe('invalid_request');
      expect(await rejection(ledger.transfer({ id: 'x', debitAccountId: 'alice', creditAccountId: 'bob', amount: 1 as unknown as bigint, currency: 'EUR' }))).toBe('invalid_request');
      expect(await rejection(ledger.transfer({ id: 'x', debitAccountId: 'alice', creditAccountId: 'nobody', amount: 1n, currency: 'EUR' }))).toBe('account_not_found');
      expect(await rejection(ledger.transfer({ id: 'x', debitAccountId: 'alice', creditAccountId: 'alice', amount: 1n, currency: 'EUR' }))).toBe('same_account');
    });

    it('replays a command retried with the same id and refuses the id for another request', async () => {
      const first = await ledger.transfer({ id: 't1', debitAccountId: 'alice', creditAccountId: 'bob', amount: 100n, currency: 'EUR' });
      const again = await ledger.transfer({ id: 't1', debitAccountId: 'alice', creditAccountId: 'bob', amount: 100n, currency: 'EUR' });
      expect(again).toEqual(first);
      expect(await ledger.balance('bob')).toMatchObject({ posted: 100n });
      expect(await rejection(ledger.transfer({ id: 't1', debitAccountId: 'alice', creditAccountId: 'bob', amount: 101n, currency: 'EUR' }))).toBe('entry_exists_with_different_fields');
    });

    it('does not look up an id its caller minted (freshId): the journal still refuses a duplicate, and nothing moves', async () => {
      const move = (id: string, freshId: boolean) => ledger.transaction((tx, now) => commands.transfer(tx, { id, debitAccountId: 'alice', creditAccountId: 'bob', amount: 100n, currency: 'EUR' }, now, { freshId }));
      const first = await move('t1', true);
      expect(await ledger.getEntry('t1')).toEqual(first);
      // Without freshId the same call replays; with it the id is taken as new, so the insert is refused.
      expect(await move('t1', false)).toEqual(first);
      await expect(move('t1', true)).rejects.toThrow(/UNIQUE|unique|duplicate/);
      expect(await ledger.balance('bob')).toMatchObject({ posted: 100n });
      expect(await ledger.balance('alice')).toMatchObject({ posted: 9_900n });
    });

    it('blocks movements on frozen accounts and closes only empty ones', async () => {
      await ledger.setAccountStatus('bob', 'frozen');
      expect(await rejection(ledger.transfer({ id: 't1', debitAccountId: 'alice', creditAccountId: 'bob', amount: 1n, currency: 'EUR' }))).toBe('account_not_open');
      expect(await rejection(ledger.setAccountStatus('alice', 'closed'))).toBe('account_not_empty');
      await ledger.setAccountStatus('bob', 'closed');
      expect(await rejection(ledger.setAccountStatus('bob', 'open'))).toBe('account_closed');
    });

    it('creates accounts idempotently', async () => {
      const again = await ledger.createAccount({ id: 'bob', currency: 'EUR', normalBalance: 'credit', flags: { debitsMustNotExceedCredits: true } });
      expect(again.id).toBe('bob');
      expect(await rejection(ledger.createAccount({ id: 'bob', currency: 'USD', normalBalance: 'credit' }))).toBe('account_exists_with_different_fields');
    });
  });

  describe.skipIf(skip)('two-phase transfers', () => {
    const hold = (id = 'h1', amount = 3_000n, expiresAt: number | null = null) =>
      ledger.transfer({ id, debitAccountId: 'alice', creditAccountId: 'bob', amount, currency: 'EUR', pending: { expiresAt } });

    it('holds money: pending reduces available, not posted', async () => {
      await hold();
      expect(await ledger.balance('alice')).toEqual({ currency: 'EUR', posted: 10_000n, pending: 3_000n, incoming: 0n, available: 7_000n });
      expect(await ledger.balance('bob')).toEqual({ currency: 'EUR', posted: 0n, pending: 0n, incoming: 3_000n, available: 0n });
      expect(await rejection(ledger.transfer({ id: 't', debitAccountId: 'alice', creditAccountId: 'bob', amount: 7_001n, currency: 'EUR' }))).toBe('insufficient_funds');
    });

    it('posts in full exactly once', async () => {
      await hold();
      await ledger.postPending({ id: 'p1', pendingId: 'h1' });
      expect(await ledger.balance('alice')).toMatchObject({ posted: 7_000n, pending: 0n, available: 7_000n });
      expect(await ledger.getPending('h1')).toMatchObject({ status: 'posted', postedAmount: 3_000n, resolvedBy: 'p1' });
      expect(await rejection(ledger.postPending({ id: 'p2', pendingId: 'h1' }))).toBe('pending_already_resolved');
      expect(await rejection(ledger.voidPending({ id: 'v1', pendingId: 'h1' }))).toBe('pending_already_resolved');
    });

    it('posts part and releases the rest by default', async () => {
      await hold();
      await ledger.postPending({ id: 'p1', pendingId: 'h1', amount: 1_000n });
      expect(await ledger.balance('alice')).toMatchObject({ posted: 9_000n, pending: 0n, available: 9_000n });
      expect(await ledger.getPending('h1')).toMatchObject({ status: 'posted', postedAmount: 1_000n });
    });

    it('posts part, keeps the rest held, then voids the rest', async () => {
      await hold();
      await ledger.postPending({ id: 'p1', pendingId: 'h1', amount: 1_000n, final: false });
      expect(await ledger.balance('alice')).toMatchObject({ posted: 9_000n, pending: 2_000n, available: 7_000n });
      expect(await rejection(ledger.postPending({ id: 'p2', pendingId: 'h1', amount: 2_001n }))).toBe('amount_exceeds_pending');
      const voided = await ledger.voidPending({ id: 'v1', pendingId: 'h1' });
      expect(voided.amount).toBe(2_000n);
      expect(await ledger.balance('alice')).toMatchObject({ posted: 9_000n, pending: 0n, available: 9_000n });
      expect(await ledger.getPending('h1')).toMatchObject({ status: 'voided', postedAmount: 1_000n, resolvedBy: 'v1' });
    });

    it('voids exactly once and a retried void replays', async () => {
      await hold();
      const voided = await ledger.voidPending({ id: 'v1', pendingId: 'h1' });
      expect(await ledger.voidPending({ id: 'v1', pendingId: 'h1' })).toEqual(voided);
      expect(await rejection(ledger.voidPending({ id: 'v2', pendingId: 'h1' }))).toBe('pending_already_resolved');
      expect(await ledger.balance('alice')).toMatchObject({ pending: 0n, available: 10_000n });
    });

    it('expires on the injected clock: no post after expiry, the sweep releases the hold once', async () => {
      await hold('h1', 3_000n, clock.now() + 60_000);
      clock.advance(59_999);
      expect(await ledger.expireDue()).toEqual([]);
      clock.advance(1);
      expect(await rejection(ledger.postPending({ id: 'p1', pendingId: 'h1' }))).toBe('pending_expired');
      const [expiry, ...rest] = await ledger.expireDue();
      expect(rest).toEqual([]);
      expect(expiry).toMatchObject({ kind: 'expire', pendingId: 'h1', amount: 3_000n });
      expect(await ledger.expireDue()).toEqual([]);
      expect(await ledger.getPending('h1')).toMatchObject({ status: 'expired' });
      expect(await ledger.balance('alice')).toMatchObject({ pending: 0n, available: 10_000n });
    });

    it('refuses a hold that expires in the past and unknown pending transfers', async () => {
      expect(await rejection(hold('h1', 1n, clock.now()))).toBe('invalid_request');
      expect(await rejection(ledger.postPending({ id: 'p', pendingId: 'nope' }))).toBe('pending_not_found');
    });
  });

  describe.skipIf(skip)('reversals', () => {
    it('reverses in part, then the rest, never more than the original', async () => {
      await ledger.transfer({ id: 't1', debitAccountId: 'alice', creditAccountId: 'bob', amount: 1_000n, currency: 'EUR' });
      const partial = await ledger.reverse({ id: 'r1', entryId: 't1', amount: 400n });
      expect(partial).toMatchObject({ kind: 'reversal', reversesId: 't1', amount: 400n });
      expect(await ledger.balance('bob')).toMatchObject({ posted: 600n });
      expect(await rejection(ledger.reverse({ id: 'r2', entryId: 't1', amount: 601n }))).toBe('reversal_exceeds_original');
      await ledger.reverse({ id: 'r3', entryId: 't1' });
      expect(await ledger.balance('bob')).toMatchObject({ posted: 0n });
      expect(await ledger.balance('alice')).toMatchObject({ posted: 10_000n });
      expect(await rejection(ledger.reverse({ id: 'r4', entryId: 't1' }))).toBe('reversal_exceeds_original');
    });

    it('refuses to reverse what moved no posted money or took money that is gone', async () => {
      await ledger.transfer({ id: 'h1', debitAccountId: 'alice', creditAccountId: 'bob', amount: 5n, currency: 'EUR', pending: {} });
      expect(await rejection(ledger.reverse({ id: 'r1', entryId: 'h1' }))).toBe('not_reversible');
      await ledger.transfer({ id: 't1', debitAccountId: 'alice', creditAccountId: 'bob', amount: 100n, currency: 'EUR' });
      await ledger.transfer({ id: 't2', debitAccountId: 'bob', creditAccountId: 'alice', amount: 100n, currency: 'EUR' });
      expect(await rejection(ledger.reverse({ id: 'r2', entryId: 't1' }))).toBe('insufficient_funds');
    });
  });

  describe.skipIf(skip)('journal integrity', () => {
    it('chains every entry to the previous one and re-verifies from the first', async () => {
      await ledger.transfer({ id: 't1', debitAccountId: 'alice', creditAccountId: 'bob', amount: 1n, currency: 'EUR' });
      const verification = await ledger.verifyChain();
      expect(verification).toMatchObject({ ok: true, entries: 2 });
      const [first, second] = [await ledger.getEntry('top-up'), await ledger.getEntry('t1')];
      expect(second!.prevHash).toBe(first!.hash);
      // Read from the row before: a previous hash is stored only for the first entry.
      const stored = await ledger.store.database.reader.all('SELECT seq, prev_hash FROM entries ORDER BY seq');
      expect(stored.map((row) => [Number(row.seq), row.prev_hash])).toEqual([[1, GENESIS_HASH], [2, '']]);
      // Retries of both, read back together (one statement for several ids).
      const retried = await ledger.transferBatch([
        { id: 'top-up', debitAccountId: 'bank', creditAccountId: 'alice', amount: 10_000n, currency: 'EUR' },
        { id: 't1', debitAccountId: 'alice', creditAccountId: 'bob', amount: 1n, currency: 'EUR' },
      ]);
      expect(retried.map((result) => result.ok && result.entry.prevHash)).toEqual([GENESIS_HASH, first!.hash]);
    });

    it("stores no request for a plain transfer, whose row implies it, and reads every entry's request back exactly", async () => {
      const odd = 'ünïcode "quoted" \\ \u0001';
      await ledger.createAccount({ id: odd, currency: 'EUR', normalBalance: 'credit' });
      await ledger.transfer({ id: 'plain', debitAccountId: 'alice', creditAccountId: 'bob', amount: 12n, currency: 'EUR', metadata: { note: 'x', n: 1 } });
      await ledger.transfer({ id: 'odd', debitAccountId: 'alice', creditAccountId: odd, amount: 3n, currency: 'EUR', metadata: { [odd]: odd } });
      await ledger.transfer({ id: 'held', debitAccountId: 'alice', creditAccountId: 'bob', amount: 5n, currency: 'EUR', pending: { expiresAt: clock.now() + 60_000 } });
      const stored = async (id: string) => (await ledger.store.database.reader.all('SELECT request FROM entries WHERE id = ?', [id]))[0]!.request;
      expect([await stored('top-up'), await stored('plain'), await stored('odd')]).toEqual(['', '', '']);
      expect(JSON.parse((await stored('held')) as string)).toMatchObject({ kind: 'pending', debit: 'alice', credit: 'bob', amount: '5' });
      expect((await ledger.getEntry('plain'))!.request).toBe(
        canonicalJson({ amount: 12n, credit: 'bob', currency: 'EUR', debit: 'alice', expiresAt: null, kind: 'transfer', metadata: { n: 1, note: 'x' } }),
      );
      expect((await ledger.getEntry('odd'))!.request).toBe(canonicalJson({ amount: 3n, credit: odd, currency: 'EUR', debit: 'alice', expiresAt: null, kind: 'transfer', metadata: { [odd]: odd } }));
      // A retry is compared with the request read back: the same one replays, another is refused.
      expect((await ledger.transfer({ id: 'odd', debitAccountId: 'alice', creditAccountId: odd, amount: 3n, currency: 'EUR', metadata: { [odd]: odd } })).seq).toBe((await ledger.getEntry('odd'))!.seq);
      expect(await rejection(ledger.transfer({ id: 'plain', debitAccountId: 'alice', creditAccountId: 'bob', amount: 12n, currency: 'EUR' }))).toBe('entry_exists_with_different_fields');
      expect(await ledger.verifyChain()).toMatchObject({ ok: true, entries: 4 });
    });

    it('is append-only: the database refuses to update or delete entries and their postings', async () => {
      const sql = ledger.store.database;
      await expect(sql.transaction((tx) => tx.run("UPDATE entries SET amount = 1 WHERE id = 'top-up'"))).rejects.toThrow(/append-only/);
      await expect(sql.transaction((tx) => tx.run("UPDATE entries SET postings = '[]' WHERE id = 'top-up'"))).rejects.toThrow(/append-only/);
      await expect(sql.transaction((tx) => tx.run("DELETE FROM entries WHERE id = 'top-up'"))).rejects.toThrow(/append-only/);
    });

    it('detects a tampered entry and a balance that disagrees with the journal', async () => {
      const sql = ledger.store.database;
      // Tampering requires switching the guard off, as an attacker with database access could.
      if (name === 'sqlite') {
        await sql.transaction(async (tx) => {
          await tx.run('DROP TRIGGER entries_no_update');
          await tx.run("UPDATE entries SET amount = 99 WHERE id = 'top-up'");
          await tx.run("UPDATE accounts SET credits_posted = credits_posted + 1 WHERE id = 'alice'");
        });
      } else {
        await sql.transaction(async (tx) => {
          await tx.run('ALTER TABLE entries DISABLE TRIGGER entries_append_only');
          await tx.run("UPDATE entries SET amount = 99 WHERE id = 'top-up'");
          await tx.run('ALTER TABLE entries ENABLE TRIGGER entries_append_only');
          await tx.run("UPDATE accounts SET credits_posted = credits_posted + 1 WHERE id = 'alice'");
        });
      }
      expect(await ledger.verifyChain()).toMatchObject({ ok: false, brokenAt: 1 });
      const problems = await ledger.audit();
      expect(problems.some((p) => p.includes('hash chain broken'))).toBe(true);
      expect(problems.some((p) => p.includes('account alice: creditsPosted'))).toBe(true);
      // Put it back so afterEach's audit passes.
      await sql.transaction((tx) => tx.run("UPDATE accounts SET credits_posted = credits_posted - 1 WHERE id = 'alice'"));
      if (name === 'sqlite') {
        await sql.transaction((tx) => tx.run("UPDATE entries SET amount = 10000 WHERE id = 'top-up'"));
      } else {
        await sql.transaction(async (tx) => {
          await tx.run('ALTER TABLE entries DISABLE TRIGGER entries_append_only');
          await tx.run("UPDATE entries SET amount = 10000 WHERE id = 'top-up'");
          await tx.run('ALTER TABLE entries ENABLE TRIGGER entries_append_only');
        });
      }
    });

    it('reports postings to an account that does not exist (no foreign key guards an entry\'s postings)', async () => {
      const accounts = (await ledger.store.listAccounts()).filter((account) => account.id !== 'bank');
      const problems = await auditLedger({ journal: ledger.store.readJournal(), accounts, pending: await ledger.store.listPending() });
      expect(problems).toEqual(['the journal posts to account bank, which does not exist']);
    });

    it('writes outbox events in the same transaction as the money, or not at all', async () => {
      const event = (id: string) => ({ id, type: 'wallet.transaction.posted', data: { transfer: id } });
      await ledger.transfer({ id: 't1', debitAccountId: 'alice', creditAccountId: 'bob', amount: 1n, currency: 'EUR', events: [event('evt_1')] });
      await rejection(ledger.transfer({ id: 't2', debitAccountId: 'alice', creditAccountId: 'bob', amount: 1_000_000n, currency: 'EUR', events: [event('evt_2')] }));
      expect(await ledger.outbox.getEvent('evt_1')).toMatchObject({ type: 'wallet.transaction.posted', data: '{"transfer":"evt_1"}' });
      expect(await ledger.outbox.getEvent('evt_2')).toBeUndefined();
    });

    it('migrates idempotently', async () => {
      const { migrationsFor } = await import('../src/storage/migrations.ts');
      expect(await ledger.store.database.migrate(migrationsFor(ledger.dialect))).toEqual([]);
    });
  });
});
