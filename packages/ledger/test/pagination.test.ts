// Filtered listings (GET /transfers?wallet_id=, GET /wallets?status=, ...) page through the
// documents a chunk at a time: every page equals the same page cut from the whole filtered list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.ts';
import { everyDocument, listDocuments, type ListPage } from '../src/api/pagination.ts';
import type { Ledger } from '../src/ledger.ts';
import { openTestLedger, storageTargets } from './support/storages.ts';

interface Doc {
  id: string;
  wallet: string;
}

/** More documents than one chunk of the filtered listing reads (200), in two parents. */
const COUNT = 530;
const docId = (i: number) => `doc_${String(i).padStart(4, '0')}`;
/** The last documents of the chunks read forwards from the newest (330, 130) and backwards from the oldest (200, 400). */
const CHUNK_EDGES = [330, 130, 200, 400];

describe.each(storageTargets)('filtered listings on $name', ({ name, skip }) => {
  let ledger: Ledger;

  beforeAll(async () => {
    if (skip) return;
    const clock = new ManualClock();
    ledger = await openTestLedger(name, { clock });
    await ledger.transaction(async (tx, now) => {
      const documents = Array.from({ length: COUNT }, (_, i) => ({
        kind: 'transfer',
        id: docId(i),
        parentId: `parent_${i % 2}`,
        body: { id: docId(i), wallet: i % 97 === 0 || CHUNK_EDGES.includes(i) ? 'sparse' : i % 7 === 0 ? 'rare' : `w${i % 3}` },
        // Some share a creation time: the id orders those.
        now: now + Math.floor(i / 2),
      }));
      await tx.putDocuments(documents);
    });
  });

  afterAll(async () => {
    if (!skip) await ledger.close();
  });

  /** Every document (of the parent), newest first, that passes the filter: the oracle. */
  async function expected(filter: (doc: Doc) => boolean, parentId?: string): Promise<Doc[]> {
    return (await ledger.store.listDocuments<Doc>('transfer', { parentId, limit: COUNT + 1 })).data.filter(filter);
  }

  const cases = [
    { label: 'common matches', filter: (doc: Doc) => doc.wallet === 'w1' },
    { label: 'rare matches', filter: (doc: Doc) => doc.wallet === 'rare' },
    // Fewer than a page in all: every page reads every chunk.
    { label: 'sparse matches', filter: (doc: Doc) => doc.wallet === 'sparse' },
    { label: 'no match', filter: (doc: Doc) => doc.wallet === 'nobody' },
  ];

  it.skipIf(skip).each(cases)('pages forward through $label, with and without a parent', async ({ filter }) => {
    for (const parentId of [undefined, 'parent_1']) {
      const all = await expected(filter, parentId);
      const seen: Doc[] = [];
      let page: ListPage<Doc> | undefined;
      do {
        page = await listDocuments<Doc>(ledger.store, 'transfer', { limit: 10, parentId, starting_after: page?.next_cursor ?? undefined }, filter);
        seen.push(...page.data);
        expect(page.data.length).toBeLessThanOrEqual(10);
        expect(page.has_more).toBe(seen.length < all.length);
      } while (page.has_more);
      expect(seen.map((doc) => doc.id)).toEqual(all.map((doc) => doc.id));
    }
  });

  it.skipIf(skip).each(cases)('pages backward through $label from the oldest match', async ({ filter }) => {
    const all = await expected(filter);
    if (all.length === 0) {
      expect(await listDocuments<Doc>(ledger.store, 'transfer', { limit: 10, ending_before: docId(0) }, filter)).toEqual({ data: [], has_more: false, next_cursor: null });
      return;
    }
    const seen: Doc[] = [];
    let before = all.at(-1)!.id;
    for (;;) {
      const page = await listDocuments<Doc>(ledger.store, 'transfer', { limit: 10, ending_before: before }, filter);
      expect(page.data.map((doc) => doc.id)).toEqual(all.slice(Math.max(0, all.length - 1 - seen.length - 10), all.length - 1 - seen.length).map((doc) => doc.id));
      seen.unshift(...page.data);
      expect(page.has_more).toBe(seen.length < all.length - 1);
      if (!page.has_more) break;
      before = page.data[0]!.id;
    }
    expect(seen.length).toBe(all.length - 1);
  });

  it.skipIf(skip)('reads every document, more than a chunk, newest first (everyDocument)', async () => {
    for (const parentId of [undefined, 'parent_0']) {
      const all = await everyDocument<Doc>(ledger.store, 'transfer', parentId, (doc) => doc.id);
      expect(all.map((doc) => doc.id)).toEqual((await expected(() => true, parentId)).map((doc) => doc.id));
      expect(all).toHaveLength(parentId ? COUNT / 2 : COUNT);
    }
    // A listing with nothing in it (a client with no consents yet): no document, and nothing to read an id from.
    expect(await everyDocument<Doc>(ledger.store, 'transfer', 'nobody', (doc) => doc.id)).toEqual([]);
  });

  it.skipIf(skip)('stops at ending_before when both cursors are given', async () => {
    const filter = cases[0]!.filter;
    const all = await expected(filter);
    const [from, to] = [all[3]!.id, all[40]!.id];
    const page = await listDocuments<Doc>(ledger.store, 'transfer', { limit: 50, starting_after: from, ending_before: to }, filter);
    expect(page.data.map((doc) => doc.id)).toEqual(all.slice(4, 40).map((doc) => doc.id));
    expect(page.has_more).toBe(false);
    const short = await listDocuments<Doc>(ledger.store, 'transfer', { limit: 5, starting_after: from, ending_before: to }, filter);
    expect(short).toMatchObject({ has_more: true, next_cursor: all[8]!.id });
  });
});
