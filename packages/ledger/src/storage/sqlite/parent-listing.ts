// SQLite: a document's place in its parent's listing (a wallet's transactions, top-ups, holds) is
// indexed in bulk, not as the document is written. The parent index's insertions land at the end
// of each parent's range, one page per parent, and a WAL frame is a whole page: over HTTP they were
// 53 of the 118 frames (8 KiB each) a commit of ~22 transfers wrote, for ~45 bytes of index each.
// Merged a thousand or so at a time, each parent's page is written once per merge instead.
//
// So the parent listing is a table of its own (api_document_parents, the columns the index had),
// filled in bulk: a batch merges every document past the watermark `listed_through` (a rowid:
// documents are never deleted, so a new one's rowid is past every earlier one's). A listing by
// parent reads that table for merged documents and the few rows past the watermark for the rest.
// PostgreSQL keeps its plain index: it does not write whole pages per commit.
import type { SqlExecutor } from '../sql-database.ts';

/** Documents written (at most) between two merges: what a listing by parent reads past the index. */
export const LISTING_MERGE_EVERY = 1024;

const MERGE_LISTING = [
  `INSERT INTO api_document_parents (kind, parent_id, created_at, id)
  SELECT kind, parent_id, created_at, id FROM api_documents
  WHERE rowid > (SELECT listed_through FROM api_documents_listing) AND parent_id IS NOT NULL ORDER BY 1, 2, 3, 4`,
  'UPDATE api_documents_listing SET listed_through = (SELECT coalesce(max(rowid), 0) FROM api_documents)',
];

/** Adds every document past the watermark to its parent's listing (in the transaction of `sql`). */
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

/**
 * The documents matching `where` (which names the kind and the parent, by unqualified columns that
 * both tables have), newest or oldest first, at most `?` (the last parameter; `where`'s parameters
 * come first, then the limit, for each of the two parts): those merged into the listing, and those
 * past the watermark. The second part reads by rowid only (NOT INDEXED): the kind's creation index
 * would also satisfy its ORDER BY, and walk the whole kind.
 */
export function parentListingSql(where: string, order: 'ASC' | 'DESC'): string {
  const sorted = `ORDER BY created_at ${order}, id ${order} LIMIT ?`;
  return `SELECT body FROM (
  SELECT d.body, p.created_at, p.id FROM (SELECT kind, id, created_at FROM api_document_parents WHERE ${where} ${sorted}) AS p
    JOIN api_documents AS d ON d.kind = p.kind AND d.id = p.id
  UNION ALL
  SELECT * FROM (SELECT body, created_at, id FROM api_documents NOT INDEXED WHERE rowid > (SELECT listed_through FROM api_documents_listing) AND ${where} ${sorted})
) ${sorted}`;
}
