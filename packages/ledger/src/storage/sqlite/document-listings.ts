// SQLite: a document's place in the listings (its kind's, newest first, and its parent's: a
// wallet's transactions, top-ups, holds) is indexed in bulk, not as the document is written. An
// index's insertions land at the end of each kind's or parent's range, one page per range touched,
// and a WAL frame is a whole page: over HTTP the parent index was 53 of the 118 frames (8 KiB each)
// a commit of ~22 transfers wrote, for ~45 bytes of index each, and the kind index 6 of 56 once
// the parent index had gone. Merged a thousand or so at a time, each range's page is written once
// per merge instead.
//
// So the listings are tables of their own (api_document_kinds and api_document_parents, the
// columns the indexes had), filled in bulk: a batch merges every document past the watermark
// `listed_through` (a rowid: documents are never deleted, so a new one's rowid is past every
// earlier one's). A listing reads its table for merged documents and the few rows past the
// watermark for the rest. PostgreSQL keeps its plain indexes: it does not write whole pages per commit.
import type { SqlExecutor } from '../sql-database.ts';

/** Documents written (at most) between two merges: what a listing reads past its table. */
export const LISTING_MERGE_EVERY = 1024;

const PAST_WATERMARK = 'rowid > (SELECT listed_through FROM api_documents_listing)';

const MERGE_LISTING = [
  `INSERT INTO api_document_kinds (kind, created_at, id)
  SELECT kind, created_at, id FROM api_documents WHERE ${PAST_WATERMARK} ORDER BY 1, 2, 3`,
  `INSERT INTO api_document_parents (kind, parent_id, created_at, id)
  SELECT kind, parent_id, created_at, id FROM api_documents WHERE ${PAST_WATERMARK} AND parent_id IS NOT NULL ORDER BY 1, 2, 3, 4`,
  'UPDATE api_documents_listing SET listed_through = (SELECT coalesce(max(rowid), 0) FROM api_documents)',
];

/** Adds every document past the watermark to its kind's and its parent's listings (in the transaction of `sql`). */
export async function mergeListing(sql: SqlExecutor): Promise<void> {
  for (const statement of MERGE_LISTING) await sql.run(statement, [], -1);
}

/** Migration 6 (SQLite): the parent index becomes a table, holding every document written so far. */
export const DEFERRED_LISTING_MIGRATION = `
CREATE TABLE api_document_parents (
  kind TEXT NOT NULL,
  parent_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (kind, parent_id, created_at, id)
) STRICT, WITHOUT ROWID;
INSERT INTO api_document_parents (kind, parent_id, created_at, id) SELECT kind, parent_id, created_at, id FROM api_documents WHERE parent_id IS NOT NULL;
DROP INDEX api_documents_parent;
CREATE TABLE api_documents_listing (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  listed_through INTEGER NOT NULL
) STRICT;
INSERT INTO api_documents_listing (id, listed_through) VALUES (1, (SELECT coalesce(max(rowid), 0) FROM api_documents));
`;

/** Migration 7 (SQLite): the kind's creation index becomes a table, holding the documents merged so far. */
export const DEFERRED_KIND_LISTING_MIGRATION = `
CREATE TABLE api_document_kinds (
  kind TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (kind, created_at, id)
) STRICT, WITHOUT ROWID;
INSERT INTO api_document_kinds (kind, created_at, id)
  SELECT kind, created_at, id FROM api_documents WHERE rowid <= (SELECT listed_through FROM api_documents_listing);
DROP INDEX api_documents_created;
`;

/**
 * The documents matching `where` (which names the kind, and the parent when `listing` is the
 * parents', by unqualified columns that both tables have), newest or oldest first, at most `?`
 * (the last parameter; `where`'s parameters come first, then the limit, for each of the two parts):
 * those merged into the listing, and those past the watermark, read by rowid (NOT INDEXED: no
 * index may walk the whole kind for them).
 */
export function listingSql(listing: 'api_document_kinds' | 'api_document_parents', where: string, order: 'ASC' | 'DESC'): string {
  const sorted = `ORDER BY created_at ${order}, id ${order} LIMIT ?`;
  return `SELECT body FROM (
  SELECT d.body, l.created_at, l.id FROM (SELECT kind, id, created_at FROM ${listing} WHERE ${where} ${sorted}) AS l
    JOIN api_documents AS d ON d.kind = l.kind AND d.id = l.id
  UNION ALL
  SELECT * FROM (SELECT body, created_at, id FROM api_documents NOT INDEXED WHERE ${PAST_WATERMARK} AND ${where} ${sorted})
) ${sorted}`;
}
