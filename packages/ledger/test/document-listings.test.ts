// Listing documents by kind and by parent. On SQLite a document joins the listings only when a
// batch merges the documents written since the last merge (storage/sqlite/document-listings.ts),
// so these suites merge every few documents and check that every page, walked either way, is the
// same whether the documents on it were merged or not, and the same as on PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedger, type Ledger } from '../src/ledger.ts';
import { listingSql } from '../src/storage/sqlite/document-listings.ts';
import { openTestLedger, storageTargets } from './support/storages.ts';

interface Doc {
  id: string;
  parent: string;
  createdAt: number;
  version: number;
}

/** A note with no parent, created among the others. */
const ORPHAN: Doc = { id: 'orphan', parent: '', createdAt: 1_010, version: 1 };

/** Newest first: created_at, then id, both descending (what listDocuments promises). */
const newestFirst = (a: Doc, b: Doc) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

describe.each(storageTargets)('documents listed by kind and by parent on $name', ({ name, skip }) => {
  let ledger: Ledger;
  const written = new Map<string, Doc>();

  beforeEach(async () => {
    if (skip) return;
    written.clear();
    ledger = name === 'sqlite' ? await openLedger({ storage: 'sqlite', path: ':memory:', listingMergeEvery: 7 }) : await openTestLedger(name);
  });

  afterEach(async () => {
    if (!skip) await ledger.close();
  });

  /** Writes documents in transactions of 1 to 4, some created in the same millisecond (the id breaks the tie). */
  async function writeDocuments(count: number): Promise<void> {
    for (let i = 0; i < count; ) {
      const size = 1 + (i % 4);
      const batch: Doc[] = [];
      for (let k = 0; k < size && i < count; k++, i++) {
        batch.push({ id: `doc_${String((i * 37) % 101).padStart(3, '0')}_${i}`, parent: i % 3 === 0 ? 'wallet_b' : 'wallet_a', createdAt: 1_000 + Math.floor(i / 3), version: 1 });
      }
      await ledger.transaction((tx) => tx.putDocuments(batch.map((doc) => ({ kind: 'note', id: doc.id, parentId: doc.parent, body: doc, now: doc.createdAt }))));
      for (const doc of batch) written.set(doc.id, doc);
    }
    // Another kind under the same parent (in no listing of notes), and a note with no parent (in the kind's only).
    await ledger.transaction((tx) =>
      tx.putDocuments([
        { kind: 'other', id: 'other_1', parentId: 'wallet_a', body: {}, now: 1_050 },
        { kind: 'note', id: ORPHAN.id, parentId: null, body: ORPHAN, now: ORPHAN.createdAt },
      ]),
    );
  }

  /**
   * On SQLite, both sources of a listing are in play: notes merged into its table, and some
   * (matching `listed`) written since.
   */
  async function expectPartlyMerged(listing: 'api_document_kinds' | 'api_document_parents', listed: string): Promise<void> {
    if (name !== 'sqlite') return;
    const [{ merged, total }] = (await ledger.store.database.reader.all(
      `SELECT (SELECT count(*) FROM ${listing} WHERE kind = 'note') AS merged, (SELECT count(*) FROM api_documents WHERE kind = 'note' AND ${listed}) AS total`,
    )) as [{ merged: bigint; total: bigint }];
    expect(Number(merged)).toBeGreaterThan(0);
    expect(Number(merged)).toBeLessThan(Number(total));
  }

  /** A listing walked page by page: a parent's, or the kind's when `parent` is undefined. */
  async function pagesOf(parent: string | undefined, limit: number, direction: 'forward' | 'backward'): Promise<Doc[]> {
    const seen: Doc[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 200; pages++) {
      const page = await ledger.store.listDocuments<Doc>('note', {
        parentId: parent,
        limit,
        ...(cursor === undefined ? {} : direction === 'forward' ? { startingAfter: cursor } : { endingBefore: cursor }),
      });
      expect(page.data.length).toBeLessThanOrEqual(limit);
      if (direction === 'forward') seen.push(...page.data);
      else seen.unshift(...page.data);
      if (!page.hasMore) return seen;
      cursor = direction === 'forward' ? page.data.at(-1)!.id : page.data[0]!.id;
    }
    throw new Error('the listing did not end');
  }

  it.skipIf(skip !== undefined)('pages through every document of a parent, newest first, forwards and backwards', async () => {
    await writeDocuments(60);
    await expectPartlyMerged('api_document_parents', 'parent_id IS NOT NULL');
    for (const parent of ['wallet_a', 'wallet_b']) {
      const expected = [...written.values()].filter((doc) => doc.parent === parent).sort(newestFirst);
      expect((await ledger.store.listDocuments<Doc>('note', { parentId: parent, limit: 1000 })).data).toEqual(expected);
      for (const limit of [1, 3, 8]) {
        expect(await pagesOf(parent, limit, 'forward')).toEqual(expected);
      }
      // Backwards from the oldest: ending_before the last document seen, until the newest.
      const oldest = expected.at(-1)!;
      const backwards = await ledger.store.listDocuments<Doc>('note', { parentId: parent, limit: 5, endingBefore: oldest.id });
      expect(backwards.data).toEqual(expected.slice(-6, -1));
      expect(backwards.hasMore).toBe(true);
    }
  });

  it.skipIf(skip !== undefined)('pages through every document of a kind, newest first, forwards and backwards', async () => {
    await writeDocuments(60);
    await expectPartlyMerged('api_document_kinds', '1 = 1');
    const expected = [...written.values(), ORPHAN].sort(newestFirst);
    expect((await ledger.store.listDocuments<Doc>('note', { limit: 1000 })).data).toEqual(expected);
    for (const limit of [1, 4]) expect(await pagesOf(undefined, limit, 'forward')).toEqual(expected);
    const backwards = await ledger.store.listDocuments<Doc>('note', { limit: 5, endingBefore: expected.at(-1)!.id });
    expect(backwards.data).toEqual(expected.slice(-6, -1));
  });

  it.skipIf(skip !== undefined)('lists a document rewritten after it was merged once, in its first place, with its new body', async () => {
    await writeDocuments(20);
    const target = [...written.values()][2]!;
    const updated = { ...target, version: 2 };
    await ledger.transaction((tx) => tx.putDocument({ kind: 'note', id: target.id, parentId: target.parent, body: updated, now: 5_000 }));
    written.set(target.id, updated);
    await writeDocuments(10);
    const expected = [...written.values()].filter((doc) => doc.parent === target.parent).sort(newestFirst);
    expect(await pagesOf(target.parent, 4, 'forward')).toEqual(expected);
    expect(await pagesOf(undefined, 4, 'forward')).toEqual([...written.values(), ORPHAN].sort(newestFirst));
  });
});

describe('the listings on sqlite', () => {
  it('read merged documents by their kind (and parent) and the rest by rowid past the watermark, never by walking the kind', async () => {
    const ledger = await openLedger({ storage: 'sqlite', path: ':memory:' });
    try {
      const cursor = '(created_at, id) < (SELECT created_at, id FROM api_documents WHERE kind = ? AND id = ?)';
      const parents = listingSql('api_document_parents', `kind = ? AND parent_id = ? AND ${cursor}`, 'DESC');
      const parentsPlan = (await ledger.store.database.reader.all(`EXPLAIN QUERY PLAN ${parents}`, ['note', 'w', 'note', 'x', 10, 'note', 'w', 'note', 'x', 10, 10])).map((row) => String(row.detail));
      expect(parentsPlan).toContainEqual(expect.stringMatching(/^SEARCH api_document_parents USING PRIMARY KEY \(kind=\? AND parent_id=\? AND created_at/));
      const kinds = listingSql('api_document_kinds', `kind = ? AND ${cursor}`, 'DESC');
      const kindsPlan = (await ledger.store.database.reader.all(`EXPLAIN QUERY PLAN ${kinds}`, ['note', 'note', 'x', 10, 'note', 'note', 'x', 10, 10])).map((row) => String(row.detail));
      expect(kindsPlan).toContainEqual(expect.stringMatching(/^SEARCH api_document_kinds USING PRIMARY KEY \(kind=\? AND created_at/));
      for (const plan of [parentsPlan, kindsPlan]) {
        expect(plan).toContainEqual(expect.stringMatching(/^SEARCH api_documents USING INTEGER PRIMARY KEY \(rowid>\?\)/));
        expect(plan.filter((detail) => /^SCAN api_documents\b/.test(detail))).toEqual([]);
      }
    } finally {
      await ledger.close();
    }
  });
});
