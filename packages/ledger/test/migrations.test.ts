// Migrations run on databases that already hold a journal. Version 4 moves each entry's postings
// from the postings table into a column of the entry: existing entries must keep hashes that
// verify and balances that equal the fold of the journal, and rows written whole (before the
// journal left implied requests and previous hashes out) must read, replay and chain as before.
// Version 5 (SQLite) rewrites CHECK value lists in place: the rules must still hold, and a rewrite
// the rows do not satisfy must change nothing. Version 6 (SQLite) moves the parent index into a
// table filled in bulk: documents written before must list as they did. Version 8 (SQLite) copies
// the idempotency table without its key's unique index: stored responses must still replay.
import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson, canonicalTransferRequest } from '../src/core/canonical.ts';
import { ManualClock } from '../src/core/clock.ts';
import { canonicalPostings, GENESIS_HASH, sealEntry } from '../src/core/hash-chain.ts';
import type { Entry, EntryDraft } from '../src/core/types.ts';
import { requestFingerprint, type StoredResponse } from '../src/idempotency/idempotency-store.ts';
import { openLedger, type StorageOptions } from '../src/ledger.ts';
import { migrationsFor } from '../src/storage/migrations.ts';
import { PostgresDatabase } from '../src/storage/postgres/database.ts';
import type { SqlDatabase, SqlExecutor } from '../src/storage/sql-database.ts';
import { rewriteChecks } from '../src/storage/sqlite/check-rewrites.ts';
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

/** A plain transfer back, whose request is the one its fields imply, stored whole as the journal did before 7 December 2026. */
const plainTransfer: EntryDraft = {
  id: 'tr_2',
  kind: 'transfer',
  amount: 100n,
  currency: 'EUR',
  pendingId: null,
  reversesId: null,
  request: canonicalTransferRequest({ kind: 'transfer', debit: 'acc_alice', credit: 'acc_funding', amount: 100n, currency: 'EUR', expiresAt: null, metadata: {} }),
  metadata: {},
  createdAt: Date.UTC(2026, 10, 21),
  postings: [
    { accountId: 'acc_alice', currency: 'EUR', side: 'debit', layer: 'posted', amount: 100n },
    { accountId: 'acc_funding', currency: 'EUR', side: 'credit', layer: 'posted', amount: 100n },
  ],
};

/** A journal of two transfers, written in the layout of versions 1 to 3 (postings in their own table, every text stored). */
async function writeVersion3Journal(database: SqlDatabase): Promise<Entry[]> {
  await database.migrate(migrationsFor(database.dialect).filter((migration) => migration.version <= 3));
  const first = sealEntry(transfer, 1, GENESIS_HASH);
  const second = sealEntry(plainTransfer, 2, first.hash);
  await database.transaction(async (sql) => {
    for (const [id, normal, debits, credits] of [['acc_funding', 'debit', 500, 100], ['acc_alice', 'credit', 100, 500]] as const) {
      await sql.run(
        `INSERT INTO accounts (id, currency, normal_balance, debits_must_not_exceed_credits, credits_must_not_exceed_debits, code, status, metadata, created_at, debits_posted, credits_posted)
         VALUES (?, 'EUR', ?, 0, 0, NULL, 'open', '{}', ?, ?, ?)`,
        [id, normal, first.createdAt, debits, credits],
      );
    }
    for (const entry of [first, second]) {
      await sql.run(
        `INSERT INTO entries (seq, id, kind, amount, currency, pending_id, reverses_id, request, metadata, created_at, prev_hash, hash)
         VALUES (?, ?, 'transfer', ?, 'EUR', NULL, NULL, ?, ?, ?, ?, ?)`,
        [entry.seq, entry.id, Number(entry.amount), entry.request, canonicalJson(entry.metadata), entry.createdAt, entry.prevHash, entry.hash],
      );
      for (const [idx, posting] of entry.postings.entries()) {
        await sql.run('INSERT INTO postings (entry_seq, idx, account_id, currency, side, layer, amount) VALUES (?, ?, ?, ?, ?, ?, ?)', [
          entry.seq, idx, posting.accountId, posting.currency, posting.side, posting.layer, Number(posting.amount),
        ]);
      }
    }
    await sql.run('UPDATE chain_head SET seq = 2, hash = ? WHERE id = 1', [second.hash]);
  });
  return [first, second];
}

describe.each(storageTargets)('migration 4 (postings inline) on $name', ({ name, skip }) => {
  it.skipIf(skip !== undefined)('moves existing postings into their entry as the text the hash covers; the chain still verifies', async () => {
    const schema = freshSchemaName();
    const options: StorageOptions =
      name === 'postgres' ? { storage: 'postgres', databaseUrl: DATABASE_URL!, schema } : { storage: 'sqlite', path: join(directory, `${schema}.sqlite`) };
    const old = name === 'postgres' ? await PostgresDatabase.connect({ connectionString: DATABASE_URL!, schema }) : new SqliteDatabase({ path: (options as { path: string }).path });
    let written: Entry[];
    try {
      written = await writeVersion3Journal(old);
    } finally {
      await old.close();
    }

    const ledger = await openLedger(options);
    try {
      const [row] = await ledger.store.database.reader.all('SELECT postings FROM entries WHERE seq = 1');
      expect(row?.postings).toBe(canonicalPostings(transfer.postings));
      await expect(ledger.store.database.reader.all('SELECT * FROM postings')).rejects.toThrow();
      expect(await ledger.audit()).toEqual([]);
      // Rows written whole read as they are (the implied request and the previous hash too), a retry
      // replays against them, and the next entry, written without either, chains onto them.
      expect(await ledger.getEntry('tr_2')).toEqual(written[1]);
      const retried = await ledger.transfer({ id: 'tr_2', debitAccountId: 'acc_alice', creditAccountId: 'acc_funding', amount: 100n, currency: 'EUR' });
      expect(retried.hash).toBe(written[1]!.hash);
      const next = await ledger.transfer({ id: 'tr_3', debitAccountId: 'acc_alice', creditAccountId: 'acc_funding', amount: 1n, currency: 'EUR' });
      expect(next.prevHash).toBe(written[1]!.hash);
      const [stored] = await ledger.store.database.reader.all("SELECT request, prev_hash FROM entries WHERE id = 'tr_3'");
      expect(stored).toEqual({ request: '', prev_hash: '' });
      expect(await ledger.verifyChain()).toMatchObject({ ok: true, entries: 3 });
      expect(await ledger.audit()).toEqual([]);
    } finally {
      await ledger.close();
      if (name === 'postgres') await dropSchema(schema);
    }
  });
});

describe('migration 5 (CHECK value lists as equalities) on sqlite', () => {
  it('rewrites the lists of a database that holds a journal; the same values are refused and the chain still verifies', async () => {
    const path = join(directory, 'version4.sqlite');
    const old = new SqliteDatabase({ path });
    try {
      await writeVersion3Journal(old);
      await old.migrate(migrationsFor('sqlite').filter((migration) => migration.version <= 4));
    } finally {
      await old.close();
    }

    const ledger = await openLedger({ storage: 'sqlite', path });
    try {
      const { reader } = ledger.store.database;
      const tables = await reader.all("SELECT name, sql FROM sqlite_schema WHERE name IN ('accounts', 'entries', 'pending_transfers', 'webhook_deliveries')");
      expect(tables).toHaveLength(4);
      for (const { name, sql } of tables) expect(sql, String(name)).not.toMatch(/\b(status|kind) IN \(/);
      expect(String(tables.find((table) => table.name === 'entries')!.sql)).toContain("kind = 'transfer' OR kind = 'pending' OR kind = 'post' OR kind = 'void' OR kind = 'expire' OR kind = 'reversal'");
      // The point of the rewrite: inserting a journal row builds no temporary index of the list.
      const program = await reader.all("EXPLAIN INSERT INTO entries (seq, id, kind, amount, currency, request, metadata, created_at, prev_hash, hash) VALUES (?, ?, ?, ?, 'EUR', '{}', '{}', 0, '', '')");
      expect(program.map((step) => step.opcode)).not.toContain('OpenEphemeral');

      const write = (sql: string) => ledger.store.database.transaction((tx) => tx.run(sql));
      await expect(write("INSERT INTO entries (seq, id, kind, amount, currency, request, metadata, created_at, prev_hash, hash) VALUES (2, 'e2', 'bogus', 1, 'EUR', '{}', '{}', 0, '', '')")).rejects.toThrow(/CHECK constraint failed/);
      await expect(write("UPDATE accounts SET status = 'bogus' WHERE id = 'acc_alice'")).rejects.toThrow(/CHECK constraint failed/);
      await ledger.setAccountStatus('acc_alice', 'frozen');
      expect((await ledger.getAccount('acc_alice'))?.status).toBe('frozen');
      expect(await ledger.audit()).toEqual([]);
    } finally {
      await ledger.close();
    }
  });

  it('leaves the schema as it was when the rows do not satisfy a rewritten constraint, or the constraint is not there', () => {
    const db = new DatabaseSync(':memory:');
    db.exec("CREATE TABLE t (k TEXT CHECK (k IN ('a', 'b', 'c'))) STRICT; INSERT INTO t VALUES ('c')");
    const original = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 't'").get()!.sql;
    for (const [rewrite, error] of [
      [{ table: 't', from: "k IN ('a', 'b', 'c')", to: "k = 'a' OR k = 'b'" }, /fails its rewritten constraints/],
      [{ table: 't', from: "k IN ('x')", to: "k = 'x'" }, /has no constraint k IN \('x'\)/],
    ] as const) {
      db.exec('BEGIN');
      expect(() => rewriteChecks(db, [rewrite])).toThrow(error);
      db.exec('ROLLBACK');
      expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 't'").get()!.sql).toBe(original);
    }
    expect(() => db.exec("INSERT INTO t VALUES ('d')")).toThrow(/CHECK constraint failed/);
    if (typeof db.enableDefensive === 'function') {
      // Defensive mode (Node 24.12+) is back on: even with writable_schema asked for, SQL cannot write the schema.
      db.exec('PRAGMA writable_schema = ON');
      expect(() => db.exec("UPDATE sqlite_schema SET sql = sql WHERE name = 't'")).toThrow();
    }
    db.close();
  });
});

/** Writes notes as documents straight into the table, as an earlier version's rows. */
/** A SQLite file migrated up to `version` only, holding what `fill` writes. */
async function writeSqliteAtVersion(path: string, version: number, fill: (sql: SqlExecutor) => Promise<void>): Promise<void> {
  const old = new SqliteDatabase({ path });
  try {
    await old.migrate(migrationsFor('sqlite').filter((migration) => migration.version <= version));
    await old.transaction(fill);
  } finally {
    await old.close();
  }
}

async function insertNotes(sql: SqlExecutor, notes: ReadonlyArray<{ id: string; parent: string | null; createdAt: number }>): Promise<void> {
  for (const doc of notes) {
    await sql.run('INSERT INTO api_documents (kind, id, parent_id, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [
      'note', doc.id, doc.parent, JSON.stringify(doc), doc.createdAt, doc.createdAt,
    ]);
  }
}

describe('migration 6 (parent listing indexed in bulk) on sqlite', () => {
  it('moves the parent index of a database that holds documents into the listing table, and lists old and new documents alike', async () => {
    const path = join(directory, 'version5.sqlite');
    const note = (id: string, parent: string | null, createdAt: number) => ({ id, parent, createdAt });
    const before = [note('n1', 'w1', 10), note('n2', 'w2', 11), note('n3', 'w1', 12), note('n4', null, 13)];
    await writeSqliteAtVersion(path, 5, (sql) => insertNotes(sql, before));

    // The first batch of a process merges what an earlier one left; then only every 1,000 documents.
    const ledger = await openLedger({ storage: 'sqlite', path, listingMergeEvery: 1000 });
    try {
      const { reader } = ledger.store.database;
      expect(await reader.all("SELECT name FROM sqlite_schema WHERE name = 'api_documents_parent'")).toEqual([]);
      expect(await reader.all('SELECT kind, parent_id, created_at, id FROM api_document_parents ORDER BY id')).toEqual([
        { kind: 'note', parent_id: 'w1', created_at: 10n, id: 'n1' },
        { kind: 'note', parent_id: 'w2', created_at: 11n, id: 'n2' },
        { kind: 'note', parent_id: 'w1', created_at: 12n, id: 'n3' },
      ]);
      expect(await reader.all('SELECT listed_through FROM api_documents_listing')).toEqual([{ listed_through: 4n }]);

      const after = [note('n5', 'w1', 14), note('n6', 'w1', 15)];
      for (const doc of after) await ledger.transaction((tx) => tx.putDocument({ kind: 'note', id: doc.id, parentId: doc.parent, body: doc, now: doc.createdAt }));
      expect(await reader.all("SELECT id FROM api_document_parents WHERE id IN ('n5', 'n6')")).toEqual([{ id: 'n5' }]);
      expect(await reader.all('SELECT listed_through FROM api_documents_listing')).toEqual([{ listed_through: 5n }]);
      expect(await ledger.store.listDocuments('note', { parentId: 'w1', limit: 10 })).toEqual({ data: [after[1], after[0], before[2], before[0]], hasMore: false });
      expect(await ledger.store.listDocuments('note', { parentId: 'w1', limit: 2, startingAfter: 'n6' })).toEqual({ data: [after[0], before[2]], hasMore: true });
    } finally {
      await ledger.close();
    }
  });
});

describe('migration 7 (kind listing indexed in bulk) on sqlite', () => {
  it('moves the merged documents of the creation index into the kind listing table, and lists them with the unmerged ones', async () => {
    const path = join(directory, 'version6.sqlite');
    const note = (id: string, parent: string | null, createdAt: number) => ({ id, parent, createdAt });
    const merged = [note('n1', 'w1', 10), note('n2', null, 11)];
    const unmerged = [note('n3', null, 12)];
    await writeSqliteAtVersion(path, 6, async (sql) => {
      await insertNotes(sql, [...merged, ...unmerged]);
      // As a merge after the first two documents would have left it.
      await sql.run("INSERT INTO api_document_parents (kind, parent_id, created_at, id) VALUES ('note', 'w1', 10, 'n1')");
      await sql.run('UPDATE api_documents_listing SET listed_through = 2');
    });

    const ledger = await openLedger({ storage: 'sqlite', path, listingMergeEvery: 1000 });
    try {
      const { reader } = ledger.store.database;
      expect(await reader.all("SELECT name FROM sqlite_schema WHERE name = 'api_documents_created'")).toEqual([]);
      expect(await reader.all('SELECT kind, created_at, id FROM api_document_kinds ORDER BY id')).toEqual([
        { kind: 'note', created_at: 10n, id: 'n1' },
        { kind: 'note', created_at: 11n, id: 'n2' },
      ]);
      expect(await ledger.store.listDocuments('note', { limit: 10 })).toEqual({ data: [unmerged[0], merged[1], merged[0]], hasMore: false });
      // The first batch of the process merges the rest, its own document included.
      await ledger.transaction((tx) => tx.putDocument({ kind: 'note', id: 'n4', parentId: null, body: note('n4', null, 13), now: 13 }));
      expect(await reader.all("SELECT id FROM api_document_kinds WHERE id IN ('n3', 'n4') ORDER BY id")).toEqual([{ id: 'n3' }, { id: 'n4' }]);
      expect(await ledger.store.listDocuments('note', { limit: 2, startingAfter: 'n4' })).toEqual({ data: [unmerged[0], merged[1]], hasMore: true });
    } finally {
      await ledger.close();
    }
  });
});

describe('migration 8 (idempotency keys found by their expiry) on sqlite', () => {
  it('copies the stored responses into a table with no index on the key; they replay, and expired keys are free', async () => {
    const path = join(directory, 'version7.sqlite');
    const clock = new ManualClock(Date.UTC(2026, 11, 1));
    const hash = requestFingerprint({ method: 'POST', path: '/transfers', body: { amount: 1 } });
    const response = (id: string): StoredResponse => ({ status: 201, headers: { location: `/transfers/${id}` }, body: `{"id":"${id}"}` });
    const rows: Array<[scope: string, key: string, expiresAt: number]> = [
      ['client_a', 'k1', clock.now() + 1000],
      ['client_b', 'k1', clock.now() + 2000],
      ['client_a', 'expired', clock.now()],
    ];
    await writeSqliteAtVersion(path, 7, async (sql) => {
      for (const [scope, key, expiresAt] of rows) {
        const { status, headers, body } = response(`${scope}-${key}`);
        await sql.run(
          `INSERT INTO idempotency_keys (scope, key, request_hash, status, response_status, response_headers, response_body, locked_until, expires_at)
           VALUES (?, ?, ?, 'completed', ?, ?, ?, 0, ?)`,
          [scope, key, hash, status, JSON.stringify(headers), body, expiresAt],
        );
      }
    });

    const ledger = await openLedger({ storage: 'sqlite', path, clock });
    try {
      const { reader } = ledger.store.database;
      expect(await reader.all("SELECT name FROM sqlite_schema WHERE tbl_name = 'idempotency_keys' AND type = 'index' ORDER BY name")).toEqual([{ name: 'idempotency_keys_expiry' }]);
      expect((await reader.all('SELECT scope, key, expires_at FROM idempotency_keys ORDER BY rowid')).map((row) => [row.scope, row.key, Number(row.expires_at)])).toEqual(rows);
      expect(await ledger.idempotency.begin('client_a', 'k1', hash)).toEqual({ kind: 'replay', response: response('client_a-k1') });
      expect(await ledger.idempotency.begin('client_b', 'k1', hash)).toEqual({ kind: 'replay', response: response('client_b-k1') });
      expect(await ledger.idempotency.begin('client_a', 'expired', hash)).toEqual({ kind: 'proceed' });
    } finally {
      await ledger.close();
    }
  });
});
