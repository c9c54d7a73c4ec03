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
 * the database paginates; with one, the parent's documents are filtered in memory (sandbox scale).
 */
export async function listDocuments<T extends { id: string }>(
  store: LedgerStore,
  kind: string,
  query: ListQuery & { parentId?: string },
  filter?: (item: T) => boolean,
): Promise<ListPage<T>> {
  const limit = query.limit ?? 20;
  const base = { parentId: query.parentId, startingAfter: query.starting_after, endingBefore: query.ending_before };
  if (!filter) {
    const page = await store.listDocuments<T>(kind, { ...base, limit });
    return envelope(page.data, page.hasMore);
  }
  const all = (await store.listDocuments<T>(kind, { parentId: query.parentId, limit: Number.MAX_SAFE_INTEGER - 1 })).data.filter(filter);
  let start = 0;
  let end = all.length;
  if (query.starting_after !== undefined) start = all.findIndex((item) => item.id === query.starting_after) + 1;
  if (query.ending_before !== undefined) end = Math.max(0, all.findIndex((item) => item.id === query.ending_before));
  const window = query.ending_before !== undefined && query.starting_after === undefined ? all.slice(Math.max(start, end - limit), end) : all.slice(start, end);
  return envelope(window.slice(0, limit), window.length > limit || (query.ending_before !== undefined && end - limit > start));
}

function envelope<T extends { id: string }>(data: T[], hasMore: boolean): ListPage<T> {
  return { data, has_more: hasMore, next_cursor: hasMore && data.length > 0 ? data[data.length - 1]!.id : null };
}
