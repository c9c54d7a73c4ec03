// The single writer's view of the ledger (SQLite). Under one writer nobody else changes accounts
// or the chain, so balances and the chain head can live in memory as the authoritative copy, and
// a group-commit batch writes its journal, the balances of the accounts it touched (each once,
// however many of its commands moved them), and its API documents, outbox events and idempotency
// responses just before its COMMIT: the same transaction, and no savepoint for a command that
// only stages.
//
// A command works on a `WriterStage` of its own. If it succeeds its stage joins the batch; if it
// throws the stage is dropped (as the database drops the command's savepoint). If the batch is
// rolled back as a whole (or another connection wrote to the file), the cache is emptied and reloaded from the database on demand.
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
  readonly #entriesById = new Map<string, Entry>();
  #documents: DocumentRow[] = [];
  /** The latest staged version of each document, by documentKey. */
  readonly #documentsByKey = new Map<string, DocumentRow>();
  #events: EventRow[] = [];
  #responses: SavedResponse[] = [];

  stage(): WriterStage {
    return new WriterStage(this);
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
    for (const entry of stage.entries) {
      this.#entries.push(entry);
      this.#entriesById.set(entry.id, entry);
    }
    if (stage.head) this.head = stage.head;
    for (const document of stage.documents) {
      this.#documents.push(document);
      this.#documentsByKey.set(documentKey(document.kind, document.id), document);
    }
    this.#events.push(...stage.events);
    this.#responses.push(...stage.responses);
  }

  async beforeCommit(sql: SqlExecutor): Promise<void> {
    const entries = this.#entries;
    await insertEntries(sql, entries);
    for (const id of this.#dirty) await updateAccount(sql, this.accounts.get(id)!);
    // In the order the commands ran, so a document written twice keeps its last version.
    await upsertDocuments(sql, this.#documents);
    await insertEvents(sql, this.#events);
    await upsertResponses(sql, this.#responses);
    if (entries.length > 0) await sql.run('UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1', [this.head!.seq, this.head!.hash]);
  }

  afterCommit(): void {
    this.#clearBatch();
  }

  discard(): void {
    this.#clearBatch();
    this.accounts.clear();
    this.head = undefined;
  }

  #clearBatch(): void {
    this.#dirty.clear();
    this.#entries.length = 0;
    this.#entriesById.clear();
    this.#documents = [];
    this.#documentsByKey.clear();
    this.#events = [];
    this.#responses = [];
  }
}

/** One command's changes, visible to it at once and to the others only if it succeeds. */
export class WriterStage {
  readonly cache: WriterCache;
  readonly accounts = new Map<string, Account>();
  /** Accounts whose balances or status changed (inserted ones are already written). */
  readonly dirty = new Set<string>();
  readonly entries: Entry[] = [];
  head: ChainHead | undefined;
  readonly documents: DocumentRow[] = [];
  readonly events: EventRow[] = [];
  readonly responses: SavedResponse[] = [];

  constructor(cache: WriterCache) {
    this.cache = cache;
  }

  account(id: string): Account | undefined {
    return this.accounts.get(id) ?? this.cache.accounts.get(id);
  }

  entry(id: string): Entry | undefined {
    return this.entries.find((entry) => entry.id === id) ?? this.cache.batchEntry(id);
  }

  /** The latest unwritten version of a document: this command's, else an earlier command's. */
  document(kind: string, id: string): DocumentRow | undefined {
    for (let i = this.documents.length - 1; i >= 0; i--) {
      const document = this.documents[i]!;
      if (document.kind === kind && document.id === id) return document;
    }
    return this.cache.batchDocument(kind, id);
  }

  /** Entries of the batch not yet in the database (earlier commands' and this one's). */
  *unwrittenEntries(): Iterable<Entry> {
    yield* this.cache.batchEntries();
    yield* this.entries;
  }

  currentHead(): ChainHead | undefined {
    return this.head ?? this.cache.head;
  }

  commit(): void {
    this.cache.merge(this);
  }
}

function documentKey(kind: string, id: string): string {
  return `${kind}\u0000${id}`;
}
