// The single writer's view of the ledger (SQLite). Under one writer nobody else changes accounts
// or the chain, so balances and the chain head can live in memory as the authoritative copy, and
// every write of a command is staged: a group-commit batch writes its journal, the balances of the
// accounts it touched (each once, however many of its commands moved them), new accounts, pending
// transfers, API documents, outbox events and idempotency responses as one transaction, on the
// writer thread (sqlite/database.ts), while the next batch is built here.
//
// A command works on a `WriterStage` of its own. If it succeeds its stage joins the batch; if it
// throws the stage is dropped. A unit nested in a command (LedgerTransaction.nested, e.g. one
// transfer of a batch) works on a child stage that joins its parent's the same way. Until a batch
// is durable, what it wrote is read from here (the database does not have it yet). If a batch
// fails (or another connection wrote to the file), the cache is emptied and reloaded on demand.
import type { Account, Entry, PendingTransfer } from '../core/types.ts';
import type { SavedResponse } from '../idempotency/idempotency-store.ts';
import { insertAccount, insertEntries, insertEvents, updateAccounts, updateChainHead, upsertDocuments, upsertPending, insertResponses, type DocumentRow, type EventRow } from './row-writes.ts';
import type { EntryTexts } from './rows.ts';
import type { BatchHooks, SqlExecutor } from './sql-database.ts';
import { LISTING_MERGE_EVERY, mergeListing } from './sqlite/document-listings.ts';

export interface ChainHead {
  seq: number;
  hash: string;
}

/** What one batch writes, kept readable until it is durable. */
class BatchRows {
  /** Accounts created, then those whose balances or status changed. */
  readonly created = new Set<string>();
  dirty = new Set<string>();
  entries: Entry[] = [];
  /** Each entry's row texts, made once for its hash and reused for its row. */
  texts: EntryTexts[] = [];
  entriesById = new Map<string, Entry>();
  /** The latest version of each pending transfer it saved. */
  readonly pending = new Map<string, PendingTransfer>();
  readonly documents: DocumentRow[] = [];
  /** The latest version of each document, by documentKey. */
  readonly documentsByKey = new Map<string, DocumentRow>();
  readonly events: EventRow[] = [];
  readonly responses: SavedResponse[] = [];
  head: ChainHead | undefined;
}

export class WriterCache implements BatchHooks {
  /** Accounts as of the last command that succeeded (durable, or in a batch on its way). */
  readonly accounts = new Map<string, Account>();
  head: ChainHead | undefined;
  /** The batch being built. */
  #building = new BatchRows();
  /** Batches sent to be written and not durable yet, oldest first. */
  readonly #sealed: BatchRows[] = [];
  /**
   * Documents the writer has read or written, as stored, by documentKey (in the order they were
   * last remembered, so the oldest go first past the limit): their text, and once read their
   * value, deeply frozen since every reader shares it. The hot ones — a transfer reads both
   * wallets — are then neither read back from SQLite nor parsed again.
   */
  readonly #stored = new Map<string, { body: string; value?: unknown }>();
  readonly #listingMergeEvery: number;
  /** Documents written since the listings were last merged; the first batch merges what an earlier process left. */
  #unlisted: number;

  constructor(options: { listingMergeEvery?: number } = {}) {
    this.#listingMergeEvery = options.listingMergeEvery ?? LISTING_MERGE_EVERY;
    this.#unlisted = this.#listingMergeEvery;
  }

  stage(): WriterStage {
    return new WriterStage(this, undefined);
  }

  /** An entry appended by a command whose batch is not durable yet. */
  batchEntry(id: string): Entry | undefined {
    // Looked up for every transfer: spelled out rather than through #newest's callback.
    const found = this.#building.entriesById.get(id);
    if (found !== undefined) return found;
    for (let i = this.#sealed.length - 1; i >= 0; i--) {
      const sealed = this.#sealed[i]!.entriesById.get(id);
      if (sealed !== undefined) return sealed;
    }
    return undefined;
  }

  /** Entries not durable yet, in journal order. */
  *batchEntries(): Iterable<Entry> {
    for (const rows of this.#sealed) yield* rows.entries;
    yield* this.#building.entries;
  }

  /** The latest version of a document written by a command whose batch is not durable yet. */
  batchDocument(kind: string, id: string): DocumentRow | undefined {
    const key = documentKey(kind, id);
    return this.#newest((rows) => rows.documentsByKey.get(key));
  }

  /** The latest version of a pending transfer saved by a command whose batch is not durable yet. */
  batchPending(id: string): PendingTransfer | undefined {
    return this.#newest((rows) => rows.pending.get(id));
  }

  #newest<T>(find: (rows: BatchRows) => T | undefined): T | undefined {
    const found = find(this.#building);
    if (found !== undefined) return found;
    for (let i = this.#sealed.length - 1; i >= 0; i--) {
      const sealed = find(this.#sealed[i]!);
      if (sealed !== undefined) return sealed;
    }
    return undefined;
  }

  /** Called once a command's transaction body has succeeded. */
  merge(stage: WriterStage): void {
    const rows = this.#building;
    for (const account of stage.accounts.values()) this.accounts.set(account.id, account);
    // The first command of a batch hands over its collections (a batch of transfers is one command
    // that makes a thousand entries); later ones are copied in.
    if (rows.dirty.size === 0) rows.dirty = stage.takeDirty();
    else for (const id of stage.dirty) rows.dirty.add(id);
    for (const id of stage.created) rows.created.add(id);
    if (rows.entries.length === 0) {
      ({ entries: rows.entries, texts: rows.texts, byId: rows.entriesById } = stage.takeEntries());
    } else {
      for (let i = 0; i < stage.entries.length; i++) {
        const entry = stage.entries[i]!;
        rows.entries.push(entry);
        rows.texts.push(stage.texts[i]!);
        rows.entriesById.set(entry.id, entry);
      }
    }
    if (stage.head) this.head = rows.head = stage.head;
    for (const pending of stage.pending.values()) rows.pending.set(pending.id, pending);
    for (const document of stage.documents) {
      rows.documents.push(document);
      rows.documentsByKey.set(documentKey(document.kind, document.id), document);
    }
    for (const event of stage.events) rows.events.push(event);
    for (const response of stage.responses) rows.responses.push(response);
  }

  async beforeCommit(sql: SqlExecutor): Promise<void> {
    const rows = this.#building;
    // Accounts as they stand now, so one created and moved in the same batch is written once.
    for (const id of rows.created) await insertAccount(sql, this.accounts.get(id)!);
    for (const pending of rows.pending.values()) await upsertPending(sql, pending);
    await insertEntries(sql, rows.entries, rows.texts);
    await updateAccounts(sql, this.#updatedAccounts(rows));
    // In the order the commands ran, so a document written twice keeps its last version.
    await upsertDocuments(sql, rows.documents);
    this.#unlisted += rows.documents.length;
    if (this.#unlisted >= this.#listingMergeEvery) {
      await mergeListing(sql);
      this.#unlisted = 0;
    }
    await insertEvents(sql, rows.events);
    await insertResponses(sql, rows.responses);
    if (rows.head) await updateChainHead(sql, rows.head);
    // Recorded: the texts are not read again, and should not outlive the recording (GC copies what lives on).
    rows.texts.length = 0;
    this.#sealed.push(rows);
    this.#building = new BatchRows();
  }

  /** Accounts whose balances or status the batch changed, as they stand now (those it created are inserted as they stand). */
  #updatedAccounts(rows: BatchRows): Account[] {
    const updated: Account[] = [];
    for (const id of rows.dirty) if (!rows.created.has(id)) updated.push(this.accounts.get(id)!);
    return updated;
  }

  afterCommit(): void {
    const rows = this.#sealed.shift();
    // The documents the batch wrote are now the stored ones (in order: the last version wins).
    if (rows) for (const document of rows.documents) this.#remember(documentKey(document.kind, document.id), document.body, false);
  }

  discard(): void {
    // A batch that merged the listings may be among those dropped: the next one merges.
    this.#unlisted = this.#listingMergeEvery;
    this.#building = new BatchRows();
    this.#sealed.length = 0;
    this.accounts.clear();
    this.head = undefined;
    this.#stored.clear();
  }

  /** A document as the database has it (frozen), if remembered. */
  storedDocument(kind: string, id: string): unknown {
    const stored = this.#stored.get(documentKey(kind, id));
    return stored && (stored.value ??= deepFreeze(JSON.parse(stored.body)));
  }

  /** Remembers the text just read from the database for a document; returns its value (frozen). */
  rememberDocument(kind: string, id: string, body: string): unknown {
    this.#remember(documentKey(kind, id), body, true);
    return this.storedDocument(kind, id);
  }

  /** Documents written but never read on the writer (most are) are not added, only kept up to date. */
  #remember(key: string, body: string, add: boolean): void {
    const stored = this.#stored;
    if (stored.has(key)) stored.delete(key);
    else if (!add) return;
    stored.set(key, { body });
    if (stored.size > STORED_DOCUMENTS) stored.delete(stored.keys().next().value!);
  }
}

/** What a stage holds of a kind of row while it has none: shared, never written to. */
const NONE: readonly never[] = Object.freeze([]);
const NO_IDS: ReadonlySet<string> = new Set();
const NO_PENDING: ReadonlyMap<string, PendingTransfer> = new Map();

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
  #created: string[] | undefined;
  #pending: Map<string, PendingTransfer> | undefined;
  #entries: Entry[] | undefined;
  #texts: EntryTexts[] | undefined;
  #entriesById: Map<string, Entry> | undefined;
  head: ChainHead | undefined;
  #documents: DocumentRow[] | undefined;
  #events: EventRow[] | undefined;
  #responses: SavedResponse[] | undefined;

  constructor(cache: WriterCache, parent: WriterStage | undefined) {
    this.cache = cache;
    this.#parent = parent;
  }

  /** Accounts whose balances or status changed. */
  get dirty(): ReadonlySet<string> {
    return this.#dirty ?? NO_IDS;
  }

  /** Accounts created. */
  get created(): readonly string[] {
    return this.#created ?? NONE;
  }

  /** Pending transfers saved (their latest version each). */
  get pending(): ReadonlyMap<string, PendingTransfer> {
    return this.#pending ?? NO_PENDING;
  }

  get entries(): readonly Entry[] {
    return this.#entries ?? NONE;
  }

  /** The row texts of each entry, in the same order. */
  get texts(): readonly EntryTexts[] {
    return this.#texts ?? NONE;
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

  /** Hands this stage's dirty accounts over to the batch it is merged into (the stage is done with). */
  takeDirty(): Set<string> {
    return this.#dirty ?? new Set();
  }

  /** Hands this stage's entries, their row texts and their index by id over to the batch it is merged into. */
  takeEntries(): { entries: Entry[]; texts: EntryTexts[]; byId: Map<string, Entry> } {
    return { entries: this.#entries ?? [], texts: this.#texts ?? [], byId: this.#entriesById ?? new Map() };
  }

  /** An account whose new balances or status must be written. */
  updated(account: Account): void {
    this.accounts.set(account.id, account);
    (this.#dirty ??= new Set()).add(account.id);
  }

  /** A new account (written with the batch). */
  addAccount(account: Account): void {
    this.accounts.set(account.id, account);
    (this.#created ??= []).push(account.id);
  }

  savePending(pending: PendingTransfer): void {
    (this.#pending ??= new Map()).set(pending.id, pending);
  }

  /** The latest unwritten version of a pending transfer: this stage's, else an enclosing stage's or an unwritten batch's. */
  pendingTransfer(id: string): PendingTransfer | undefined {
    return this.#pending?.get(id) ?? (this.#parent ? this.#parent.pendingTransfer(id) : this.cache.batchPending(id));
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

  addEntry(entry: Entry, texts: EntryTexts): void {
    (this.#entries ??= []).push(entry);
    (this.#texts ??= []).push(texts);
    (this.#entriesById ??= new Map()).set(entry.id, entry);
    // The entry is the new head (it has its seq and hash): no object made per entry.
    this.head = entry;
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
    for (const id of child.created) (this.#created ??= []).push(id);
    for (const pending of child.pending.values()) this.savePending(pending);
    for (let i = 0; i < child.entries.length; i++) this.addEntry(child.entries[i]!, child.texts[i]!);
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

/** Freezes a parsed JSON value and everything in it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
