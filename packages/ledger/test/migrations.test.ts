// Migrations run on databases that already hold a journal. Version 4 moves each entry's postings
// from the postings table into a column of the entry: existing entries must keep hashes that
// verify and balances that equal the fold of the journal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/core/canonical.ts';
import { canonicalPostings, entryHash, GENESIS_HASH } from '../src/core/hash-chain.ts';
import type { EntryDraft } from '../src/core/types.ts';
import { openLedger, type StorageOptions } from '../src/ledger.ts';
import { migrationsFor } from '../src/storage/migrations.ts';
import { PostgresDatabase } from '../src/storage/postgres/database.ts';
import type { SqlDatabase } from '../src/storage/sql-database.ts';
import { SqliteDatabase } from '../src/storage/sqlite/database.ts';
import { DATABASE_URL, dropSchema, freshSchemaName, storageTargets } from './support/storages.ts';

const directory = mkdtempSync(join(tmpdir(), 'finrail-migrations-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const transfer: EntryDraft = {
  id: 'tr_1',
  kind: 'transfer',
  amount: 500n,
  currency: 'EUR',
  pendingId: null,
  reversesId: null,
  request: canonicalJson({ from: 'acc_funding', to: 'acc_alice', note: 'say "hi"' }),
  metadata: { reference: 'ünïcode' },
  createdAt: Date.UTC(2026, 10, 20),
  postings: [
    { accountId: 'acc_funding', currency: 'EUR', side: 'debit', layer: 'posted', amount: 500n },
    { accountId: 'acc_alice', currency: 'EUR', side: 'credit', layer: 'posted', amount: 500n },
  ],
};

/** A journal of one transfer, written in the layout of versions 1 to 3 (postings in their own table). */
async function writeVersion3Journal(database: SqlDatabase): Promise<void> {
  await database.migrate(migrationsFor(database.dialect).filter((migration) => migration.version <= 3));
  const entry = { ...transfer, seq: 1 };
  const hash = entryHash(GENESIS_HASH, entry);
  await database.transaction(async (sql) => {
    for (const [id, normal, debits, credits] of [['acc_funding', 'debit', 500, 0], ['acc_alice', 'credit', 0, 500]] as const) {
      await sql.run(
        `INSERT INTO accounts (id, currency, normal_balance, debits_must_not_exceed_credits, credits_must_not_exceed_debits, code, status, metadata, created_at, debits_posted, credits_posted)
         VALUES (?, 'EUR', ?, 0, 0, NULL, 'open', '{}', ?, ?, ?)`,
        [id, normal, entry.createdAt, debits, credits],
      );
    }
    await sql.run(
      `INSERT INTO entries (seq, id, kind, amount, currency, pending_id, reverses_id, request, metadata, created_at, prev_hash, hash)
       VALUES (1, ?, 'transfer', 500, 'EUR', NULL, NULL, ?, ?, ?, ?, ?)`,
      [entry.id, entry.request, canonicalJson(entry.metadata), entry.createdAt, GENESIS_HASH, hash],
    );
    for (const [idx, posting] of entry.postings.entries()) {
      await sql.run('INSERT INTO postings (entry_seq, idx, account_id, currency, side, layer, amount) VALUES (1, ?, ?, ?, ?, ?, ?)', [
        idx, posting.accountId, posting.currency, posting.side, posting.layer, Number(posting.amount),
      ]);
    }
    await sql.run('UPDATE chain_head SET seq = 1, hash = ? WHERE id = 1', [hash]);
  });
}

describe.each(storageTargets)('migration 4 (postings inline) on $name', ({ name, skip }) => {
  it.skipIf(skip !== undefined)('moves existing postings into their entry as the text the hash covers; the chain still verifies', async () => {
    const schema = freshSchemaName();
    const options: StorageOptions =
      name === 'postgres' ? { storage: 'postgres', databaseUrl: DATABASE_URL!, schema } : { storage: 'sqlite', path: join(directory, `${schema}.sqlite`) };
    const old = name === 'postgres' ? await PostgresDatabase.connect({ connectionString: DATABASE_URL!, schema }) : new SqliteDatabase({ path: (options as { path: string }).path });
    try {
      await writeVersion3Journal(old);
    } finally {
      await old.close();
    }

    const ledger = await openLedger(options);
    try {
      const [row] = await ledger.store.database.reader.all('SELECT postings FROM entries WHERE seq = 1');
      expect(row?.postings).toBe(canonicalPostings(transfer.postings));
      await expect(ledger.store.database.reader.all('SELECT * FROM postings')).rejects.toThrow();
      expect(await ledger.audit()).toEqual([]);
    } finally {
      await ledger.close();
      if (name === 'postgres') await dropSchema(schema);
    }
  });
});
