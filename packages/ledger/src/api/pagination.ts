// The specs' list envelope `{ data, has_more, next_cursor }` over documents, newest first.
import type { LedgerStore } from '../storage/ledger-store.ts';

export interface ListQuery {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
}

export interface ListPage<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/**
 * Lists documents of a kind (optionally one parent's), applying `filter` on top. Without a filter
 * the database paginates; with one, the documents are read in listing order from the cursor a
 * chunk at a time and filtered, until a page and one more are found (or the documents run out).
 */
export async function listDocuments<T extends { id: string }>(
  store: LedgerStore,
  kind: string,
  query: ListQuery & { parentId?: string },
  filter?: (item: T) => boolean,
): Promise<ListPage<T>> {
  const limit = query.limit ?? 20;
  if (!filter) {
    const page = await store.listDocuments<T>(kind, { parentId: query.parentId, startingAfter: query.starting_after, endingBefore: query.ending_before, limit });
    return envelope(page.data, page.hasMore);
  }
  const idOf = (document: T) => document.id;
  if (query.ending_before !== undefined && query.starting_after === undefined) {
    // Backwards: the matches nearest the cursor among newer documents, returned newest first.
    const matches: T[] = [];
    for await (const item of fromCursor<T>(store, kind, query.parentId, idOf, { endingBefore: query.ending_before })) {
      if (filter(item) && matches.push(item) > limit) break;
    }
    return envelope(matches.slice(0, limit).reverse(), matches.length > limit);
  }
  // Forwards from the cursor (or the newest), stopping at ending_before when both are given.
  const matches: T[] = [];
  for await (const item of fromCursor<T>(store, kind, query.parentId, idOf, { startingAfter: query.starting_after })) {
    if (item.id === query.ending_before || (filter(item) && matches.push(item) > limit)) break;
  }
  return envelope(matches.slice(0, limit), matches.length > limit);
}

/**
 * Every document of a kind (optionally one parent's), newest first, read a chunk at a time.
 * `idOf` gives a document's id (its cursor) from its body.
 */
export async function everyDocument<T>(store: LedgerStore, kind: string, parentId: string | undefined, idOf: (document: T) => string): Promise<T[]> {
  const all: T[] = [];
  for await (const document of fromCursor(store, kind, parentId, idOf, {})) all.push(document);
  return all;
}

/** Documents read per query while walking a listing. */
const FILTER_CHUNK = 200;

/**
 * The documents of a kind (optionally one parent's), nearest the cursor first, read FILTER_CHUNK
 * at a time: older than `startingAfter` newest first (every document without it), or newer than
 * `endingBefore` oldest first.
 */
async function* fromCursor<T>(
  store: LedgerStore,
  kind: string,
  parentId: string | undefined,
  idOf: (document: T) => string,
  cursor: { startingAfter?: string | undefined } | { endingBefore: string },
): AsyncGenerator<T> {
  const backwards = 'endingBefore' in cursor;
  for (let at = backwards ? cursor.endingBefore : cursor.startingAfter, more = true; more; ) {
    const { data, hasMore } = await store.listDocuments<T>(kind, { parentId, ...(backwards ? { endingBefore: at } : { startingAfter: at }), limit: FILTER_CHUNK });
    const nearestFirst = backwards ? data.reverse() : data;
    yield* nearestFirst;
    more = hasMore && data.length > 0;
    if (more) at = idOf(nearestFirst.at(-1)!);
  }
}

function envelope<T extends { id: string }>(data: T[], hasMore: boolean): ListPage<T> {
  return { data, has_more: hasMore, next_cursor: hasMore && data.length > 0 ? data[data.length - 1]!.id : null };
}
