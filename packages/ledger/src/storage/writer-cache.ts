// The single writer's view of the ledger (SQLite). Under one writer nobody else changes accounts
// or the chain, so balances and the chain head can live in memory as the authoritative copy, and
// a group-commit batch writes its journal, the balances of the accounts it touched (each once,
// however many of its commands moved them), and its API documents, outbox events and idempotency
// responses just before its COMMIT: the same transaction, and no savepoint for a command that
// only stages.
//
// A command works on a `WriterStage` of its own. If it succeeds its stage joins the batch; if it
// throws the stage is dropped (as the database drops the command's savepoint). A unit nested in a
// command (LedgerTransaction.nested, e.g. one transfer of a batch) works on a child stage that
// joins its parent's the same way. If the batch is rolled back as a whole (or another connection
// wrote to the file), the cache is emptied and reloaded from the database on demand.
import type { Account, Entry } from '../core/types.ts';
import type { SavedResponse } from '../idempotency/idempotency-store.ts';
import { insertEntries, insertEvents, updateAccount, upsertDocuments, upsertResponses, type DocumentRow, type EventRow } from './row-writes.ts';
import type { BatchHooks, SqlExecutor } from './sql-database.ts';

export interface ChainHead {
  seq: number;
  hash: string;
}

export class WriterCache implements BatchHooks {
  /** Accounts as of the last command that succeeded (committed, or in the batch being built). */
  readonly accounts = new Map<string, Account>();
  head: ChainHead | undefined;
  /** What the batch being built must still write. */
  readonly #dirty = new Set<string>();
  readonly #entries: Entry[] = [];
  /** Each entry's canonical postings, computed once for its hash and reused for its row. */
  readonly #postings: string[] = [];
  readonly #entriesById = new Map<string, Entry>();
  #documents: DocumentRow[] = [];
  /** The latest staged version of each document, by documentKey. */
  readonly #documentsByKey = new Map<string, DocumentRow>();
  #events: EventRow[] = [];
  #responses: SavedResponse[] = [];
  /**
   * The stored text of documents the writer has read or written, by documentKey (in the order
   * they were last remembered, so the oldest go first past the limit). The hot ones — a transfer
   * reads both wallets — are then neither read back from SQLite nor re-encoded.
   */
  readonly #stored = new Map<string, string>();

  stage(): WriterStage {
    return new WriterStage(this, undefined);
  }

  /** An entry appended by an earlier command of the batch being built. */
  batchEntry(id: string): Entry | undefined {
    return this.#entriesById.get(id);
  }

  batchEntries(): readonly Entry[] {
    return this.#entries;
  }

  /** A document written by an earlier command of the batch being built. */
  batchDocument(kind: string, id: string): DocumentRow | undefined {
    return this.#documentsByKey.get(documentKey(kind, id));
  }

  /** Called once a command's transaction body has succeeded. */
  merge(stage: WriterStage): void {
    for (const account of stage.accounts.values()) {
      this.accounts.set(account.id, account);
      if (stage.dirty.has(account.id)) this.#dirty.add(account.id);
    }
    for (let i = 0; i < stage.entries.length; i++) {
      const entry = stage.entries[i]!;
      this.#entries.push(entry);
      this.#postings.push(stage.postings[i]!);
      this.#entriesById.set(entry.id, entry);
    }
    if (stage.head) this.head = stage.head;
    for (const document of stage.documents) {
      this.#documents.push(document);
      this.#documentsByKey.set(documentKey(document.kind, document.id), document);
    }
    for (const event of stage.events) this.#events.push(event);
    for (const response of stage.responses) this.#responses.push(response);
  }

  async beforeCommit(sql: SqlExecutor): Promise<void> {
    const entries = this.#entries;
    await insertEntries(sql, entries, this.#postings);
    for (const id of this.#dirty) await updateAccount(sql, this.accounts.get(id)!);
    // In the order the commands ran, so a document written twice keeps its last version.
    await upsertDocuments(sql, this.#documents);
    await insertEvents(sql, this.#events);
    await upsertResponses(sql, this.#responses);
    if (entries.length > 0) await sql.run('UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1', [this.head!.seq, this.head!.hash]);
  }

  afterCommit(): void {
    // The documents the batch wrote are now the stored ones (in order: the last version wins).
    for (const document of this.#documents) this.#remember(documentKey(document.kind, document.id), document.body, false);
    this.#clearBatch();
  }

  discard(): void {
    this.#clearBatch();
    this.accounts.clear();
    this.head = undefined;
    this.#stored.clear();
  }

  /** A document's text as the database has it, if remembered. */
  storedDocument(kind: string, id: string): string | undefined {
    return this.#stored.get(documentKey(kind, id));
  }

  /** Remembers the text just read from the database for a document. */
  rememberDocument(kind: string, id: string, body: string): void {
    this.#remember(documentKey(kind, id), body, true);
  }

  /** Documents written but never read on the writer (most are) are not added, only kept up to date. */
  #remember(key: string, body: string, add: boolean): void {
    const stored = this.#stored;
    if (stored.has(key)) stored.delete(key);
    else if (!add) return;
    stored.set(key, body);
    if (stored.size > STORED_DOCUMENTS) stored.delete(stored.keys().next().value!);
  }

  #clearBatch(): void {
    this.#dirty.clear();
    this.#entries.length = 0;
    this.#postings.length = 0;
    this.#entriesById.clear();
    this.#documents = [];
    this.#documentsByKey.clear();
    this.#events = [];
    this.#responses = [];
  }
}

/** What a stage holds of a kind of row while it has none: shared, never written to. */
const NONE: readonly never[] = Object.freeze([]);
const NO_IDS: ReadonlySet<string> = new Set();

/**
 * One command's (or nested unit's) changes, visible to it at once and to the others only if it
 * succeeds. Every command makes one (and one per transfer of a batch), and most stage only some
 * kinds of rows: each collection is made at its first row.
 */
export class WriterStage {
  readonly cache: WriterCache;
  readonly #parent: WriterStage | undefined;
  readonly accounts = new Map<string, Account>();
  #dirty: Set<string> | undefined;
  #entries: Entry[] | undefined;
  #postings: string[] | undefined;
  #entriesById: Map<string, Entry> | undefined;
  head: ChainHead | undefined;
  #documents: DocumentRow[] | undefined;
  #events: EventRow[] | undefined;
  #responses: SavedResponse[] | undefined;

  constructor(cache: WriterCache, parent: WriterStage | undefined) {
    this.cache = cache;
    this.#parent = parent;
  }

  /** Accounts whose balances or status changed (inserted ones are already written). */
  get dirty(): ReadonlySet<string> {
    return this.#dirty ?? NO_IDS;
  }

  get entries(): readonly Entry[] {
    return this.#entries ?? NONE;
  }

  /** The canonical postings of each entry, in the same order. */
  get postings(): readonly string[] {
    return this.#postings ?? NONE;
  }

  get documents(): readonly DocumentRow[] {
    return this.#documents ?? NONE;
  }

  get events(): readonly EventRow[] {
    return this.#events ?? NONE;
  }

  get responses(): readonly SavedResponse[] {
    return this.#responses ?? NONE;
  }

  /** An account whose new balances or status must be written. */
  updated(account: Account): void {
    this.accounts.set(account.id, account);
    (this.#dirty ??= new Set()).add(account.id);
  }

  addDocument(document: DocumentRow): void {
    (this.#documents ??= []).push(document);
  }

  addEvent(event: EventRow): void {
    (this.#events ??= []).push(event);
  }

  addResponse(response: SavedResponse): void {
    (this.#responses ??= []).push(response);
  }

  /** A stage for a unit nested in this one: it sees this stage, and joins it if it succeeds. */
  child(): WriterStage {
    return new WriterStage(this.cache, this);
  }

  account(id: string): Account | undefined {
    return this.accounts.get(id) ?? (this.#parent ? this.#parent.account(id) : this.cache.accounts.get(id));
  }

  entry(id: string): Entry | undefined {
    return this.#entriesById?.get(id) ?? (this.#parent ? this.#parent.entry(id) : this.cache.batchEntry(id));
  }

  addEntry(entry: Entry, postings: string): void {
    (this.#entries ??= []).push(entry);
    (this.#postings ??= []).push(postings);
    (this.#entriesById ??= new Map()).set(entry.id, entry);
    this.head = { seq: entry.seq, hash: entry.hash };
  }

  /** The latest unwritten version of a document: this stage's, else an enclosing stage's or an earlier command's. */
  document(kind: string, id: string): DocumentRow | undefined {
    const documents = this.documents;
    for (let i = documents.length - 1; i >= 0; i--) {
      const document = documents[i]!;
      if (document.kind === kind && document.id === id) return document;
    }
    return this.#parent ? this.#parent.document(kind, id) : this.cache.batchDocument(kind, id);
  }

  /** Entries of the batch not yet in the database (earlier commands', enclosing stages' and this one's). */
  *unwrittenEntries(): Iterable<Entry> {
    if (this.#parent) yield* this.#parent.unwrittenEntries();
    else yield* this.cache.batchEntries();
    yield* this.entries;
  }

  currentHead(): ChainHead | undefined {
    return this.head ?? (this.#parent ? this.#parent.currentHead() : this.cache.head);
  }

  commit(): void {
    if (this.#parent) this.#parent.#absorb(this);
    else this.cache.merge(this);
  }

  #absorb(child: WriterStage): void {
    for (const account of child.accounts.values()) {
      if (child.dirty.has(account.id)) this.updated(account);
      else this.accounts.set(account.id, account);
    }
    for (let i = 0; i < child.entries.length; i++) this.addEntry(child.entries[i]!, child.postings[i]!);
    if (child.head) this.head = child.head;
    for (const document of child.documents) this.addDocument(document);
    for (const event of child.events) this.addEvent(event);
    for (const response of child.responses) this.addResponse(response);
  }
}

/** How many documents' texts the writer remembers (~300 bytes each for a wallet). */
const STORED_DOCUMENTS = 10_000;

function documentKey(kind: string, id: string): string {
  return `${kind}\u0000${id}`;
}
