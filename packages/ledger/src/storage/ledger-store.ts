// The ledger's SQL, written once for SQLite and PostgreSQL.
import { sealEntry } from '../core/hash-chain.ts';
import { saveResponse, storedDecision, type KeyLookup, type RefusedKey, type SavedResponse } from '../idempotency/idempotency-store.ts';
import type { ApiDocument, LedgerTransaction, MovementView } from '../core/ports.ts';
import type { Account, Entry, EntryDraft, OutboxEventDraft, PendingTransfer } from '../core/types.ts';
import { encodedJson, eventDataJson } from '../core/canonical.ts';
import { insertAccount, insertEntries, insertEvents, updateAccounts, updateChainHead, upsertDocuments, upsertPending, type DocumentRow, type EventRow } from './row-writes.ts';
import { big, entryTexts, num, SELECT_ENTRIES, toAccount, toEntry, toPending, type EntryTexts } from './rows.ts';
import { listingSql } from './sqlite/document-listings.ts';
import { placeholders, type SqlDatabase, type SqlExecutor, type SqlTransaction } from './sql-database.ts';
import { WriterCache, type ChainHead, type WriterStage } from './writer-cache.ts';

const SELECT_DOCUMENT = 'SELECT body FROM api_documents WHERE kind = ? AND id = ?';

export interface DocumentPage<T> {
  data: T[];
  hasMore: boolean;
}

export interface DocumentQuery {
  parentId?: string;
  limit: number;
  /** Cursor: documents created before (older than) this id. */
  startingAfter?: string;
  /** Cursor: documents created after (newer than) this id. */
  endingBefore?: string;
}

export class LedgerStore {
  readonly database: SqlDatabase;
  /** On a single-writer database: balances and the chain head in memory, the journal written per batch. */
  readonly #cache: WriterCache | undefined;

  /** `listingMergeEvery`: on a single-writer database, documents written between merges of the listings (sqlite/document-listings.ts). */
  constructor(database: SqlDatabase, options: { listingMergeEvery?: number } = {}) {
    this.database = database;
    if (database.onBatch) {
      this.#cache = new WriterCache(options);
      database.onBatch(this.#cache);
    }
  }

  /** `weight`: how many commands `work` carries (a batch of transfers), for the group commit's batch size. */
  transaction<T>(work: (tx: LedgerTransaction) => Promise<T>, weight = 1): Promise<T> {
    const cache = this.#cache;
    if (!cache) return this.database.transaction((sql) => work(new SqlLedgerTransaction(sql, this.database.forUpdate)));
    return this.database.stagedTransaction!(async (reads) => {
      const stage = cache.stage();
      const result = await work(new CachedLedgerTransaction(reads, stage));
      stage.commit();
      return result;
    }, weight);
  }

  async getAccount(id: string): Promise<Account | undefined> {
    const [row] = await this.database.reader.all('SELECT * FROM accounts WHERE id = ?', [id]);
    return row ? toAccount(row) : undefined;
  }

  async listAccounts(): Promise<Account[]> {
    return (await this.database.reader.all('SELECT * FROM accounts ORDER BY id')).map(toAccount);
  }

  async getEntry(id: string): Promise<Entry | undefined> {
    return findEntry(this.database.reader, id);
  }

  async getPending(id: string): Promise<PendingTransfer | undefined> {
    const [row] = await this.database.reader.all('SELECT * FROM pending_transfers WHERE id = ?', [id]);
    return row ? toPending(row) : undefined;
  }

  async listPending(): Promise<PendingTransfer[]> {
    return (await this.database.reader.all('SELECT * FROM pending_transfers ORDER BY id')).map(toPending);
  }

  async findExpiredPending(now: number, limit: number): Promise<string[]> {
    const rows = await this.database.reader.all(
      "SELECT id FROM pending_transfers WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at, id LIMIT ?",
      [now, limit],
    );
    return rows.map((row) => row.id as string);
  }

  async getDocument<T>(kind: string, id: string): Promise<T | undefined> {
    const [row] = await this.database.reader.all(SELECT_DOCUMENT, [kind, id]);
    return row ? (JSON.parse(row.body as string) as T) : undefined;
  }

  /** Documents of a kind, newest first; a document's id is the cursor for the next or previous page. */
  async listDocuments<T>(kind: string, query: DocumentQuery): Promise<DocumentPage<T>> {
    const conditions = ['kind = ?'];
    const params: (string | number)[] = [kind];
    if (query.parentId !== undefined) (conditions.push('parent_id = ?'), params.push(query.parentId));
    const cursor = '(SELECT created_at, id FROM api_documents WHERE kind = ? AND id = ?)';
    if (query.startingAfter !== undefined) (conditions.push(`(created_at, id) < ${cursor}`), params.push(kind, query.startingAfter));
    if (query.endingBefore !== undefined) (conditions.push(`(created_at, id) > ${cursor}`), params.push(kind, query.endingBefore));
    // ending_before pages backwards: read the oldest ones after the cursor, then flip.
    const order = query.endingBefore !== undefined && query.startingAfter === undefined ? 'ASC' : 'DESC';
    const where = conditions.join(' AND ');
    const limit = query.limit + 1;
    const listing = query.parentId === undefined ? 'api_document_kinds' : 'api_document_parents';
    const rows =
      this.database.dialect === 'sqlite'
        ? await this.database.reader.all(listingSql(listing, where, order), [...params, limit, ...params, limit, limit])
        : await this.database.reader.all(`SELECT body FROM api_documents WHERE ${where} ORDER BY created_at ${order}, id ${order} LIMIT ?`, [...params, limit]);
    const data = rows.slice(0, query.limit).map((row) => JSON.parse(row.body as string) as T);
    if (order === 'ASC') data.reverse();
    return { data, hasMore: rows.length > query.limit };
  }

  /** The whole journal in chain order (or up to `upTo`), read a page at a time. */
  async *readJournal(pageSize = 1000, upTo = Infinity): AsyncGenerator<Entry> {
    let after = 0;
    for (;;) {
      const page = await this.#entriesAfter(after, pageSize);
      for (const entry of page) {
        if (entry.seq > upTo) return;
        yield entry;
      }
      if (page.length < pageSize) return;
      after = page[page.length - 1]!.seq;
    }
  }

  /**
   * Accounts and pending transfers as of one point of the journal, and that point (the chain
   * head's seq): what an audit compares with the journal up to it while commands keep landing.
   * Balances and pending transfers change only with an entry, in its transaction, as the chain
   * head does; each list is read with the head in one statement (one snapshot on either database),
   * and read again until both saw the same head.
   */
  async snapshotForAudit(attempts = 100): Promise<{ head: number; accounts: Account[]; pending: PendingTransfer[] }> {
    const withHead = async (table: string) => {
      const rows = await this.database.reader.all(
        `SELECT h.seq AS audit_head, t.* FROM chain_head h LEFT JOIN ${table} t ON 1 = 1 WHERE h.id = 1 ORDER BY t.id`,
      );
      return { head: num(rows[0]!.audit_head), rows: rows.filter((row) => row.id !== null) };
    };
    for (let attempt = 1; ; attempt++) {
      const accounts = await withHead('accounts');
      const pending = await withHead('pending_transfers');
      if (accounts.head === pending.head || attempt >= attempts) {
        return { head: Math.min(accounts.head, pending.head), accounts: accounts.rows.map(toAccount), pending: pending.rows.map(toPending) };
      }
    }
  }

  async #entriesAfter(after: number, limit: number): Promise<Entry[]> {
    return (await this.database.reader.all(`${SELECT_ENTRIES} WHERE e.seq > ? ORDER BY e.seq LIMIT ?`, [after, limit])).map(toEntry);
  }
}

/** The chain head: the last entry's seq and hash (`forUpdate` locks it). */
async function readChainHead(sql: SqlExecutor, forUpdate = ''): Promise<ChainHead> {
  const [row] = await sql.all(`SELECT seq, hash FROM chain_head WHERE id = 1${forUpdate}`);
  return { seq: num(row!.seq), hash: row!.hash as string };
}

async function findEntry(sql: SqlExecutor, id: string): Promise<Entry | undefined> {
  const [row] = await sql.all(`${SELECT_ENTRIES} WHERE e.id = ?`, [id]);
  return row ? toEntry(row) : undefined;
}

class SqlLedgerTransaction implements LedgerTransaction {
  readonly #sql: SqlTransaction;
  readonly #forUpdate: string;

  constructor(sql: SqlTransaction, forUpdate: string) {
    this.#sql = sql;
    this.#forUpdate = forUpdate;
  }

  async lockAccounts(ids: readonly string[]): Promise<Map<string, Account>> {
    const sorted = [...new Set(ids)].sort();
    if (sorted.length === 0) return new Map();
    const rows = await this.#sql.all(`SELECT * FROM accounts WHERE id IN (${placeholders(sorted.length)}) ORDER BY id${this.#forUpdate}`, sorted);
    return new Map(rows.map((row) => [row.id as string, toAccount(row)]));
  }

  async lockPending(id: string): Promise<PendingTransfer | undefined> {
    const [row] = await this.#sql.all(`SELECT * FROM pending_transfers WHERE id = ?${this.#forUpdate}`, [id]);
    return row ? toPending(row) : undefined;
  }

  findEntry(id: string): Promise<Entry | undefined> {
    return findEntry(this.#sql, id);
  }

  async prefetch(accountIds: readonly string[], entryIds: readonly string[]): Promise<MovementView> {
    const accounts = await this.lockAccounts(accountIds);
    const entries = new Map<string, Entry>();
    await readEntries(this.#sql, entryIds, entries);
    // Locked after the accounts, as every writer does; only if something may be appended.
    const mayAppend = entryIds.length === 0 || entries.size < new Set(entryIds).size;
    const head = mayAppend ? await readChainHead(this.#sql, this.#forUpdate) : undefined;
    return new SqlMovementView(this.#sql, { accountIds, entryIds: new Set(entryIds) }, accounts, entries, head);
  }

  nested<T>(work: (tx: LedgerTransaction) => Promise<T>): Promise<T> {
    return this.#sql.savepoint(() => work(this));
  }

  async reversedAmount(entryId: string): Promise<bigint> {
    const [row] = await this.#sql.all('SELECT COALESCE(SUM(amount), 0) AS total FROM entries WHERE reverses_id = ?', [entryId]);
    return big(row?.total ?? 0);
  }

  insertAccount(account: Account): Promise<void> {
    return insertAccount(this.#sql, account);
  }

  updateAccount(account: Account): Promise<void> {
    return updateAccounts(this.#sql, [account]);
  }

  protected get sql(): SqlTransaction {
    return this.#sql;
  }

  async getDocument<T>(kind: string, id: string): Promise<T | undefined> {
    const [row] = await this.#sql.all(`${SELECT_DOCUMENT}${this.#forUpdate}`, [kind, id]);
    return row ? (JSON.parse(row.body as string) as T) : undefined;
  }

  putDocument(document: ApiDocument): Promise<void> {
    return this.putDocuments([document]);
  }

  putDocuments(documents: readonly ApiDocument[]): Promise<void> {
    return upsertDocuments(this.#sql, documents.map(documentRow));
  }

  saveResponse(saved: SavedResponse): Promise<void> {
    return saveResponse(this.#sql, saved);
  }

  storedDecision(lookup: KeyLookup, requestHash: string, now: number): Promise<RefusedKey | undefined> {
    return storedDecision(this.#sql, lookup, requestHash, now);
  }

  /** Two statements however many events: the events, then a delivery per event and matching endpoint. */
  insertEvents(events: readonly OutboxEventDraft[], createdAt: number): Promise<void> {
    return insertEvents(this.#sql, events.map((event) => eventRow(event, createdAt)));
  }
}

function documentRow(document: ApiDocument): DocumentRow {
  return { kind: document.kind, id: document.id, parentId: document.parentId, body: encodedJson(document.body), now: document.now };
}

function eventRow(event: OutboxEventDraft, createdAt: number): EventRow {
  return { id: event.id, type: event.type, data: eventDataJson(event.data), createdAt };
}

/**
 * A movement's view on a transaction of its own (PostgreSQL): the accounts it locked and the
 * entries it read, with its writes held until flush() runs them in the transaction.
 */
class SqlMovementView implements MovementView {
  readonly #sql: SqlTransaction;
  readonly #asked: { accountIds: readonly string[]; entryIds: ReadonlySet<string> };
  readonly #accounts: Map<string, Account>;
  readonly #entries: Map<string, Entry>;
  #head: ChainHead | undefined;
  #appended: Entry[] = [];
  #texts: EntryTexts[] = [];
  readonly #changed = new Map<string, Account>();
  readonly #pending = new Map<string, PendingTransfer>();
  #events: EventRow[] = [];

  constructor(
    sql: SqlTransaction,
    asked: { accountIds: readonly string[]; entryIds: ReadonlySet<string> },
    accounts: Map<string, Account>,
    entries: Map<string, Entry>,
    head: ChainHead | undefined,
  ) {
    this.#sql = sql;
    this.#asked = asked;
    this.#accounts = accounts;
    this.#entries = entries;
    this.#head = head;
  }

  account(id: string): Account | undefined {
    const account = this.#accounts.get(id);
    if (!account) requirePrefetched(this.#asked.accountIds.includes(id), 'account', id);
    return account;
  }

  entry(id: string): Entry | undefined {
    const entry = this.#entries.get(id);
    if (!entry) requirePrefetched(this.#asked.entryIds.has(id), 'entry', id);
    return entry;
  }

  appendEntry(draft: EntryDraft): Entry {
    if (!this.#head) throw new Error('the chain head was not locked: prefetch found every entry asked for');
    const texts = entryTexts(draft);
    const entry = sealEntry(draft, this.#head.seq + 1, this.#head.hash, texts.postings, texts.metadata);
    this.#head = { seq: entry.seq, hash: entry.hash };
    this.#entries.set(entry.id, entry);
    this.#appended.push(entry);
    this.#texts.push(texts);
    return entry;
  }

  updateAccount(account: Account): void {
    this.#accounts.set(account.id, account);
    this.#changed.set(account.id, account);
  }

  savePending(pending: PendingTransfer): void {
    this.#pending.set(pending.id, pending);
  }

  insertEvents(events: readonly OutboxEventDraft[], createdAt: number): void {
    for (const event of events) this.#events.push(eventRow(event, createdAt));
  }

  async flush(): Promise<void> {
    const [entries, texts, events] = [this.#appended, this.#texts, this.#events];
    [this.#appended, this.#texts, this.#events] = [[], [], []];
    if (entries.length > 0) {
      await insertEntries(this.#sql, entries, texts);
      await updateChainHead(this.#sql, this.#head!);
    }
    await updateAccounts(this.#sql, [...this.#changed.values()]);
    this.#changed.clear();
    for (const pending of this.#pending.values()) await upsertPending(this.#sql, pending);
    this.#pending.clear();
    await insertEvents(this.#sql, events);
  }
}

/**
 * The single writer's transaction: accounts and the chain head come from the writer cache, reads
 * see what earlier commands staged (batches not durable yet included) before the database, and
 * every write is staged, to be written with the batch (see writer-cache.ts). `sql` only reads.
 */
class CachedLedgerTransaction extends SqlLedgerTransaction {
  readonly #stage: WriterStage;

  constructor(sql: SqlTransaction, stage: WriterStage) {
    super(sql, '');
    this.#stage = stage;
  }

  override async nested<T>(work: (tx: LedgerTransaction) => Promise<T>): Promise<T> {
    const stage = this.#stage.child();
    const value = await work(new CachedLedgerTransaction(this.sql, stage));
    stage.commit();
    return value;
  }

  override async lockAccounts(ids: readonly string[]): Promise<Map<string, Account>> {
    await this.#stageAccounts(ids);
    const found = new Map<string, Account>();
    for (const id of ids) {
      const account = this.#stage.account(id);
      if (account) found.set(id, account);
    }
    return found;
  }

  /** Reads into the stage the accounts neither it nor the cache holds yet. */
  async #stageAccounts(ids: readonly string[]): Promise<void> {
    const missing = ids.filter((id) => !this.#stage.account(id));
    if (missing.length === 0) return;
    for (const account of (await super.lockAccounts(missing)).values()) this.#stage.accounts.set(account.id, account);
  }

  override async findEntry(id: string): Promise<Entry | undefined> {
    return this.#stage.entry(id) ?? super.findEntry(id);
  }

  /** Accounts into the stage (from the cache, else the database); entries neither staged nor unwritten, from the database. */
  override async prefetch(accountIds: readonly string[], entryIds: readonly string[]): Promise<MovementView> {
    await this.#stageAccounts(accountIds);
    const stored = new Map<string, Entry>();
    const wanted = entryIds.filter((id) => !this.#stage.entry(id));
    await readEntries(this.sql, wanted, stored);
    const absent = new Set(wanted.filter((id) => !stored.has(id)));
    if (!this.#stage.currentHead()) this.#stage.cache.head = await readChainHead(this.sql);
    return new StagedMovementView(this.#stage, accountIds, stored, absent);
  }

  override async reversedAmount(entryId: string): Promise<bigint> {
    let total = await super.reversedAmount(entryId);
    for (const entry of this.#stage.unwrittenEntries()) if (entry.reversesId === entryId) total += entry.amount;
    return total;
  }

  override async insertAccount(account: Account): Promise<void> {
    this.#stage.addAccount(account);
  }

  override async lockPending(id: string): Promise<PendingTransfer | undefined> {
    return this.#stage.pendingTransfer(id) ?? super.lockPending(id);
  }

  override async updateAccount(account: Account): Promise<void> {
    this.#stage.updated(account);
  }

  override async getDocument<T>(kind: string, id: string): Promise<T | undefined> {
    const staged = this.#stage.document(kind, id);
    if (staged) return JSON.parse(staged.body) as T;
    const cache = this.#stage.cache;
    const stored = cache.storedDocument(kind, id);
    if (stored !== undefined) return stored as T;
    const [row] = await this.sql.all(SELECT_DOCUMENT, [kind, id]);
    return row ? (cache.rememberDocument(kind, id, row.body as string) as T) : undefined;
  }

  override async putDocuments(documents: readonly ApiDocument[]): Promise<void> {
    for (const document of documents) this.#stage.addDocument(documentRow(document));
  }

  override async insertEvents(events: readonly OutboxEventDraft[], createdAt: number): Promise<void> {
    stageEvents(this.#stage, events, createdAt);
  }

  override async saveResponse(saved: SavedResponse): Promise<void> {
    this.#stage.addResponse(saved);
  }
}

/**
 * A movement's view on the single writer: reads from its stage (which sees earlier commands' and
 * the cache's), writes staged. Sound while the command runs: no one else writes meanwhile (the
 * writer runs one command at a time), and entries are never changed or deleted.
 */
class StagedMovementView implements MovementView {
  readonly #stage: WriterStage;
  readonly #accountIds: readonly string[];
  /** The entries asked for that were neither staged nor unwritten: those the database had, and those it had not. */
  readonly #stored: Map<string, Entry>;
  readonly #absent: ReadonlySet<string>;

  constructor(stage: WriterStage, accountIds: readonly string[], stored: Map<string, Entry>, absent: ReadonlySet<string>) {
    this.#stage = stage;
    this.#accountIds = accountIds;
    this.#stored = stored;
    this.#absent = absent;
  }

  account(id: string): Account | undefined {
    const account = this.#stage.account(id);
    if (!account) requirePrefetched(this.#accountIds.includes(id), 'account', id);
    return account;
  }

  entry(id: string): Entry | undefined {
    const entry = this.#stage.entry(id) ?? this.#stored.get(id);
    if (!entry) requirePrefetched(this.#absent.has(id), 'entry', id);
    return entry;
  }

  appendEntry(draft: EntryDraft): Entry {
    const head = this.#stage.currentHead()!;
    const texts = entryTexts(draft);
    const entry = sealEntry(draft, head.seq + 1, head.hash, texts.postings, texts.metadata);
    this.#stage.addEntry(entry, texts);
    return entry;
  }

  updateAccount(account: Account): void {
    this.#stage.updated(account);
  }

  savePending(pending: PendingTransfer): void {
    this.#stage.savePending(pending);
  }

  insertEvents(events: readonly OutboxEventDraft[], createdAt: number): void {
    stageEvents(this.#stage, events, createdAt);
  }

  async flush(): Promise<void> {
    // Staged already: written with the batch.
  }
}

function stageEvents(stage: WriterStage, events: readonly OutboxEventDraft[], createdAt: number): void {
  for (const event of events) stage.addEvent(eventRow(event, createdAt));
}

/** A view reads only what was prefetched: anything else is a bug in the command, not a missing row. */
function requirePrefetched(prefetched: boolean, kind: 'account' | 'entry', id: string): void {
  if (!prefetched) throw new Error(`${kind} ${id} was not prefetched for this movement`);
}

const ENTRY_CHUNK = 100;
const SELECT_ENTRY_CHUNK = `${SELECT_ENTRIES} WHERE e.id IN (${placeholders(ENTRY_CHUNK)})`;

/**
 * Reads the entries with these ids into `into`: one alone by findEntry's statement, more in chunks
 * of ENTRY_CHUNK, the last padded with its last id, so that one prepared statement serves them all.
 */
async function readEntries(sql: SqlExecutor, ids: readonly string[], into: Map<string, Entry>): Promise<void> {
  if (ids.length === 1) {
    const entry = await findEntry(sql, ids[0]!);
    if (entry) into.set(entry.id, entry);
    return;
  }
  for (let i = 0; i < ids.length; i += ENTRY_CHUNK) {
    const chunk = ids.slice(i, i + ENTRY_CHUNK);
    while (chunk.length < ENTRY_CHUNK) chunk.push(chunk[chunk.length - 1]!);
    for (const row of await sql.all(SELECT_ENTRY_CHUNK, chunk)) into.set(row.id as string, toEntry(row));
  }
}
