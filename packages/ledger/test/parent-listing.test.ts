// Listing documents by parent. On SQLite a document joins its parent's listing only when a batch
// merges the documents written since the last merge (storage/sqlite/parent-listing.ts), so these
// suites merge every few documents and check that every page, walked either way, is the same
// whether the documents on it were merged or not, and the same as on PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedger, type Ledger } from '../src/ledger.ts';
import { parentListingSql } from '../src/storage/sqlite/parent-listing.ts';
import { openTestLedger, storageTargets } from './support/storages.ts';

interface Doc {
  id: string;
  parent: string;
  createdAt: number;
  version: number;
}

/** Newest first: created_at, then id, both descending (what listDocuments promises). */
const newestFirst = (a: Doc, b: Doc) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

describe.each(storageTargets)('documents listed by parent on $name', ({ name, skip }) => {
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
    // Another kind under the same parent, and a document with no parent: neither may show.
    await ledger.transaction((tx) =>
      tx.putDocuments([
        { kind: 'other', id: 'other_1', parentId: 'wallet_a', body: {}, now: 1_050 },
        { kind: 'note', id: 'orphan', parentId: null, body: {}, now: 1_050 },
      ]),
    );
  }

  async function pagesOf(parent: string, limit: number, direction: 'forward' | 'backward'): Promise<Doc[]> {
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
    if (name === 'sqlite') {
      // Both sources of the listing are in play: merged documents, and some written since.
      const [{ merged, total }] = (await ledger.store.database.reader.all(
        "SELECT (SELECT count(*) FROM api_document_parents WHERE kind = 'note') AS merged, (SELECT count(*) FROM api_documents WHERE kind = 'note' AND parent_id IS NOT NULL) AS total",
      )) as [{ merged: bigint; total: bigint }];
      expect(Number(merged)).toBeGreaterThan(0);
      expect(Number(merged)).toBeLessThan(Number(total));
    }
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

  it.skipIf(skip !== undefined)('lists a document rewritten after it was merged once, in its first place, with its new body', async () => {
    await writeDocuments(20);
    const target = [...written.values()][2]!;
    const updated = { ...target, version: 2 };
    await ledger.transaction((tx) => tx.putDocument({ kind: 'note', id: target.id, parentId: target.parent, body: updated, now: 5_000 }));
    written.set(target.id, updated);
    await writeDocuments(10);
    const expected = [...written.values()].filter((doc) => doc.parent === target.parent).sort(newestFirst);
    expect(await pagesOf(target.parent, 4, 'forward')).toEqual(expected);
  });
});

describe('the parent listing on sqlite', () => {
  it('reads merged documents by their parent and the rest by rowid past the watermark, never by walking the kind', async () => {
    const ledger = await openLedger({ storage: 'sqlite', path: ':memory:' });
    try {
      const sql = parentListingSql('kind = ? AND parent_id = ? AND (created_at, id) < (SELECT created_at, id FROM api_documents WHERE kind = ? AND id = ?)', 'DESC');
      const plan = (await ledger.store.database.reader.all(`EXPLAIN QUERY PLAN ${sql}`, ['note', 'w', 'note', 'x', 10, 'note', 'w', 'note', 'x', 10, 10])).map((row) => String(row.detail));
      expect(plan).toContainEqual(expect.stringMatching(/^SEARCH api_document_parents USING PRIMARY KEY \(kind=\? AND parent_id=\? AND created_at/));
      expect(plan).toContainEqual(expect.stringMatching(/^SEARCH api_documents USING INTEGER PRIMARY KEY \(rowid>\?\)/));
      expect(plan.filter((detail) => /^SCAN api_documents\b/.test(detail))).toEqual([]);
    } finally {
      await ledger.close();
    }
  });
});
