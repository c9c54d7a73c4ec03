// Row writes shared by the per-command transaction (PostgreSQL) and the single writer's batch
// (writer-cache.ts): accounts, pending transfers, journal entries, documents, outbox events with
// their deliveries, and idempotency responses.
//
// One prepared single-row statement per row rather than multi-row VALUES lists: on SQLite a
// hundred-row VALUES insert of documents costs twice as much per row (measured with node:sqlite
// 3.54: ~26 µs against ~13 µs per 400-byte document), and for small rows it is no faster.
import type { Account, Entry, PendingTransfer } from '../core/types.ts';
import type { SavedResponse } from '../idempotency/idempotency-store.ts';
import { accountValues, entryTexts, FULL_ROW, isPlainTransferRow, PLAIN_TRANSFER_ROW, type EntryRowShape, type EntryTexts } from './rows.ts';
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

const INSERT_ACCOUNT = `INSERT INTO accounts (id, currency, normal_balance, debits_must_not_exceed_credits, credits_must_not_exceed_debits,
  code, status, metadata, created_at, debits_pending, credits_pending, debits_posted, credits_posted) VALUES (${placeholders(13)})`;
const UPSERT_PENDING = `INSERT INTO pending_transfers (id, debit_account_id, credit_account_id, currency, amount, posted_amount, status,
  expires_at, created_at, resolved_at, resolved_by) VALUES (${placeholders(11)})
  ON CONFLICT (id) DO UPDATE SET posted_amount = excluded.posted_amount, status = excluded.status,
  resolved_at = excluded.resolved_at, resolved_by = excluded.resolved_by`;
/**
 * Journal rows are the exception to one row per statement: sixteen per INSERT cost a quarter less
 * per entry than one (node:sqlite, 100,000 transfer entries in batches of 1000).
 */
const ENTRIES_PER_STATEMENT = 16;
/** Per row shape: its INSERT of one row and of ENTRIES_PER_STATEMENT rows. */
const INSERT_ENTRIES = new Map([FULL_ROW, PLAIN_TRANSFER_ROW].map((shape) => [shape, { one: insertEntriesSql(shape, 1), group: insertEntriesSql(shape, ENTRIES_PER_STATEMENT) }]));
const UPSERT_DOCUMENT = `INSERT INTO api_documents (kind, id, parent_id, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`;
const ACCOUNTS_PER_UPDATE = 64;
const UPDATE_ACCOUNT = updateAccountsSql(1);
const UPDATE_ACCOUNT_GROUP = updateAccountsSql(ACCOUNTS_PER_UPDATE);
const INSERT_EVENT = 'INSERT INTO outbox_events (id, type, data, created_at) VALUES (?, ?, ?, ?)';
const INSERT_RESPONSE = `INSERT INTO idempotency_keys (scope, key, request_hash, status, response_status, response_headers, response_body, locked_until, expires_at)
  VALUES (?, ?, ?, 'completed', ?, ?, ?, 0, ?)`;
const UPSERT_RESPONSE = `${INSERT_RESPONSE}
  ON CONFLICT (scope, key) DO UPDATE SET status = 'completed', response_status = excluded.response_status,
    response_headers = excluded.response_headers, response_body = excluded.response_body, locked_until = 0`;
/** Event ids per delivery statement: far below the 32,766 parameters SQLite binds (PostgreSQL allows 65,535). */
const EVENTS_PER_DELIVERY_STATEMENT = 1000;

/**
 * Entries, already sealed into the hash chain, in sequence order (with their row's texts,
 * entryTexts(), when they are at hand): each run of rows of one shape in statements of
 * ENTRIES_PER_STATEMENT rows while that many are left, then one at a time.
 */
export async function insertEntries(sql: SqlExecutor, entries: readonly Entry[], texts: readonly EntryTexts[] = entries.map(entryTexts)): Promise<void> {
  const shapes = entries.map((entry, i) => (isPlainTransferRow(entry, texts[i]!) ? PLAIN_TRANSFER_ROW : FULL_ROW));
  for (let start = 0; start < entries.length; ) {
    const shape = shapes[start]!;
    let run = 1;
    while (run < ENTRIES_PER_STATEMENT && shapes[start + run] === shape) run++;
    const rows = run === ENTRIES_PER_STATEMENT ? run : 1;
    const width = shape.columns.length;
    const values = new Array<SqlValue>(rows * width);
    for (let k = 0; k < rows; k++) shape.put(values, k * width, entries[start + k]!, texts[start + k]!);
    const statements = INSERT_ENTRIES.get(shape)!;
    await sql.run(rows === 1 ? statements.one : statements.group, values);
    start += rows;
  }
}

/** An INSERT of `rows` journal rows of a shape: its bound columns, then its literals. */
function insertEntriesSql(shape: EntryRowShape, rows: number): string {
  const literals = Object.entries(shape.literals);
  const columns = [...shape.columns, ...literals.map(([column]) => column)];
  const row = `(${[...shape.columns.map(() => '?'), ...literals.map(([, literal]) => literal)].join(', ')})`;
  return `INSERT INTO entries (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => row).join(', ')}`;
}

export async function insertAccount(sql: SqlExecutor, account: Account): Promise<void> {
  await sql.run(INSERT_ACCOUNT, accountValues(account));
}

/** Moves the chain head to the last entry appended. */
export async function updateChainHead(sql: SqlExecutor, head: { seq: number; hash: string }): Promise<void> {
  const updated = await sql.run('UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1', [head.seq, head.hash], 1);
  if (updated !== 1) throw new Error('the chain head row is missing');
}

/** Inserts a pending transfer, or records how it was resolved. */
export async function upsertPending(sql: SqlExecutor, p: PendingTransfer): Promise<void> {
  await sql.run(UPSERT_PENDING, [p.id, p.debitAccountId, p.creditAccountId, p.currency, p.amount, p.postedAmount, p.status, p.expiresAt, p.createdAt, p.resolvedAt, p.resolvedBy]);
}

/** Persists accounts' balances and status (never their identity, currency or flags). */
export async function updateAccounts(sql: SqlExecutor, accounts: readonly Account[]): Promise<void> {
  // Many rows to a statement: a batched transfer updates about one account, and one statement per
  // row cost SQLite ~30% more per row (node:sqlite, 1,000 accounts a batch).
  for (const { start, rows } of rowGroups(accounts.length, ACCOUNTS_PER_UPDATE)) {
    const values = new Array<SqlValue>(6 * rows);
    for (let k = 0; k < rows; k++) {
      const a = accounts[start + k]!;
      values[6 * k] = a.id;
      values[6 * k + 1] = a.debitsPending;
      values[6 * k + 2] = a.creditsPending;
      values[6 * k + 3] = a.debitsPosted;
      values[6 * k + 4] = a.creditsPosted;
      values[6 * k + 5] = a.status;
    }
    const updated = await sql.run(rows === 1 ? UPDATE_ACCOUNT : UPDATE_ACCOUNT_GROUP, values, rows);
    if (updated !== rows) throw new Error(`expected to update ${rows === 1 ? `account ${accounts[start]!.id}` : `${rows} accounts`}, updated ${updated} rows`);
  }
}

/**
 * Rows in statements of `size` while that many are left, then one at a time: two prepared
 * statements (one row, `size` rows) serve any number of rows.
 */
function* rowGroups(total: number, size: number): Iterable<{ start: number; rows: number }> {
  for (let start = 0; start < total; ) {
    const rows = total - start >= size ? size : 1;
    yield { start, rows };
    start += rows;
  }
}

/**
 * Balances and status of `rows` accounts from a VALUES list of `(id, four balances, status)`. Both
 * databases name a VALUES list's columns column1, column2, …; PostgreSQL needs the casts (its
 * parameters there are text).
 */
function updateAccountsSql(rows: number): string {
  return `UPDATE accounts SET debits_pending = CAST(v.column2 AS BIGINT), credits_pending = CAST(v.column3 AS BIGINT),
  debits_posted = CAST(v.column4 AS BIGINT), credits_posted = CAST(v.column5 AS BIGINT), status = v.column6
  FROM (VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?)').join(', ')}) AS v WHERE accounts.id = v.column1`;
}

/** In order, so a later row for the same (kind, id) wins. */
export async function upsertDocuments(sql: SqlExecutor, documents: readonly DocumentRow[]): Promise<void> {
  for (const d of documents) await sql.run(UPSERT_DOCUMENT, [d.kind, d.id, d.parentId, d.body, d.now, d.now]);
}

/** The events, then a delivery per event and matching enabled endpoint, due at the event's creation. */
export async function insertEvents(sql: SqlExecutor, events: readonly EventRow[]): Promise<void> {
  for (const e of events) await sql.run(INSERT_EVENT, [e.id, e.type, e.data, e.createdAt]);
  for (let i = 0; i < events.length; i += EVENTS_PER_DELIVERY_STATEMENT) {
    const ids = events.slice(i, i + EVENTS_PER_DELIVERY_STATEMENT).map((e) => e.id);
    await sql.run(
      `INSERT INTO webhook_deliveries (event_id, endpoint_id, status, attempts, next_attempt_at)
      SELECT e.id, w.id, 'pending', 0, e.created_at FROM outbox_events e JOIN webhook_endpoints w
        ON w.enabled = 1 AND (w.event_types = '*' OR w.event_types LIKE '%,' || e.type || ',%')
      WHERE e.id IN (${placeholders(ids.length)}) ORDER BY e.seq, w.id`,
      ids,
    );
  }
}

/** PostgreSQL: stores keys' completed responses (a key claimed in flight keeps its request hash and expiry). */
export function upsertResponses(sql: SqlExecutor, responses: readonly SavedResponse[]): Promise<void> {
  return writeResponses(sql, UPSERT_RESPONSE, responses);
}

/**
 * SQLite: a row per response, with no unique key to conflict on (idempotency/key-index.ts). A key
 * used again once its response expired gets a row of its own; the old one waits for the purge.
 */
export function insertResponses(sql: SqlExecutor, responses: readonly SavedResponse[]): Promise<void> {
  return writeResponses(sql, INSERT_RESPONSE, responses);
}

async function writeResponses(sql: SqlExecutor, statement: string, responses: readonly SavedResponse[]): Promise<void> {
  for (const s of responses) {
    await sql.run(statement, [s.scope, s.key, s.requestHash, s.response.status, JSON.stringify(s.response.headers), s.response.body, s.expiresAt]);
  }
}
