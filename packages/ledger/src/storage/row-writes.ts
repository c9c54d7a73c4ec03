// Multi-row writes shared by the per-command transaction (PostgreSQL, and SQLite's raw path) and
// the single writer's batch (writer-cache.ts): journal entries with their postings, documents,
// outbox events with their deliveries, and idempotency responses, each as few statements as the
// bound-parameter limit allows.
import type { Entry } from '../core/types.ts';
import type { SavedResponse } from '../idempotency/idempotency-store.ts';
import { entryValues } from './rows.ts';
import { placeholders, type SqlExecutor, type SqlValue } from './sql-database.ts';

/** An API document with its body already encoded (so later changes to the object are not written). */
export interface DocumentRow {
  kind: string;
  id: string;
  parentId: string | null;
  body: string;
  now: number;
}

/** An outbox event with its data already canonically encoded. */
export interface EventRow {
  id: string;
  type: string;
  data: string;
  createdAt: number;
}

/** Rows per statement: far below the 32,766 parameters SQLite binds (PostgreSQL allows 65,535). */
const MAX_PARAMETERS = 3000;

/** Entries (already sealed into the hash chain, in sequence order) and their postings. */
export async function insertEntries(sql: SqlExecutor, entries: readonly Entry[]): Promise<void> {
  await inChunks(sql, entries, 12, (count) => `INSERT INTO entries (seq, id, kind, amount, currency, pending_id, reverses_id, request, metadata, created_at, prev_hash, hash)
    VALUES ${valueRows(count, 12)}`, entryValues);
  const postings: SqlValue[][] = [];
  for (const entry of entries) entry.postings.forEach((p, idx) => postings.push([entry.seq, idx, p.accountId, p.currency, p.side, p.layer, p.amount]));
  await inChunks(sql, postings, 7, (count) => `INSERT INTO postings (entry_seq, idx, account_id, currency, side, layer, amount) VALUES ${valueRows(count, 7)}`, (row) => row);
}

/** Later rows for the same (kind, id) win, as if each had been written by a statement of its own. */
export async function upsertDocuments(sql: SqlExecutor, documents: readonly DocumentRow[]): Promise<void> {
  await inChunks(sql, documents, 6, (count) => `INSERT INTO api_documents (kind, id, parent_id, body, created_at, updated_at) VALUES ${valueRows(count, 6)}
    ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`, (d) => [d.kind, d.id, d.parentId, d.body, d.now, d.now]);
}

/** The events, then a delivery per event and matching enabled endpoint, due at the event's creation. */
export async function insertEvents(sql: SqlExecutor, events: readonly EventRow[]): Promise<void> {
  await inChunks(sql, events, 4, (count) => `INSERT INTO outbox_events (id, type, data, created_at) VALUES ${valueRows(count, 4)}`, (e) => [e.id, e.type, e.data, e.createdAt]);
  await inChunks(sql, events, 1, (count) => `INSERT INTO webhook_deliveries (event_id, endpoint_id, status, attempts, next_attempt_at)
    SELECT e.id, w.id, 'pending', 0, e.created_at FROM outbox_events e JOIN webhook_endpoints w
      ON w.enabled = 1 AND (w.event_types = '*' OR w.event_types LIKE '%,' || e.type || ',%')
    WHERE e.id IN (${placeholders(count)}) ORDER BY e.seq, w.id`, (e) => [e.id]);
}

/** Stores keys' completed responses (a key claimed in flight keeps its request hash and expiry). */
export async function upsertResponses(sql: SqlExecutor, responses: readonly SavedResponse[]): Promise<void> {
  await inChunks(sql, responses, 7, (count) => `INSERT INTO idempotency_keys (scope, key, request_hash, status, response_status, response_headers, response_body, locked_until, expires_at)
    VALUES ${valueRows(count, 7, "(?, ?, ?, 'completed', ?, ?, ?, 0, ?)")}
    ON CONFLICT (scope, key) DO UPDATE SET status = 'completed', response_status = excluded.response_status,
      response_headers = excluded.response_headers, response_body = excluded.response_body, locked_until = 0`,
    (s) => [s.scope, s.key, s.requestHash, s.response.status, JSON.stringify(s.response.headers), s.response.body, s.expiresAt]);
}

export async function inChunks<T>(sql: SqlExecutor, items: readonly T[], columns: number, statement: (count: number) => string, values: (item: T) => SqlValue[]): Promise<void> {
  const perStatement = Math.floor(MAX_PARAMETERS / columns);
  for (let i = 0; i < items.length; i += perStatement) {
    const chunk = items.slice(i, i + perStatement);
    const params: SqlValue[] = [];
    for (const item of chunk) params.push(...values(item));
    await sql.run(statement(chunk.length), params);
  }
}

const valuesLists = new Map<string, string>();

/** `(?, ?), (?, ?), …`: `count` rows of `columns` placeholders (or of `row`), cached by shape. */
export function valueRows(count: number, columns: number, row = `(${placeholders(columns)})`): string {
  const key = `${count}\u0000${row}`;
  let text = valuesLists.get(key);
  if (text === undefined) {
    text = Array.from({ length: count }, () => row).join(', ');
    valuesLists.set(key, text);
  }
  return text;
}
