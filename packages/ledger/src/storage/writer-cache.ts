// The single writer's view of the ledger (SQLite). Under one writer nobody else changes accounts
// or the chain, so balances and the chain head can live in memory as the authoritative copy, and
// a group-commit batch writes its journal and the balances of the accounts it touched in a few
// multi-row statements just before its COMMIT: the same transaction, far fewer statements.
//
// A command works on a `WriterStage` of its own. If it succeeds its stage joins the batch; if it
// throws the stage is dropped (as the database drops the command's savepoint). If the batch is
// rolled back as a whole (or another connection wrote to the file), the cache is emptied and reloaded from the database on demand.
import type { Account, Entry } from '../core/types.ts';
import { entryValues } from './rows.ts';
import { placeholders, type BatchHooks, type SqlExecutor, type SqlValue } from './sql-database.ts';

export interface ChainHead {
  seq: number;
  hash: string;
}

/** Rows per multi-row INSERT: well under SQLite's 32,766 bound parameters. */
const ENTRY_ROWS = 200;
const POSTING_ROWS = 400;
const ENTRY_COLUMNS = '(seq, id, kind, amount, currency, pending_id, reverses_id, request, metadata, created_at, prev_hash, hash)';
const POSTING_COLUMNS = '(entry_seq, idx, account_id, currency, side, layer, amount)';
const UPDATE_ACCOUNT = 'UPDATE accounts SET debits_pending = ?, credits_pending = ?, debits_posted = ?, credits_posted = ?, status = ? WHERE id = ?';

export class WriterCache implements BatchHooks {
  /** Accounts as of the last command that succeeded (committed, or in the batch being built). */
  readonly accounts = new Map<string, Account>();
  head: ChainHead | undefined;
  /** What the batch being built must still write. */
  readonly #dirty = new Set<string>();
  readonly #entries: Entry[] = [];
  readonly #entriesById = new Map<string, Entry>();

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
  }

  async beforeCommit(sql: SqlExecutor): Promise<void> {
    const entries = this.#entries;
    for (let i = 0; i < entries.length; i += ENTRY_ROWS) {
      const chunk = entries.slice(i, i + ENTRY_ROWS);
      await sql.run(`INSERT INTO entries ${ENTRY_COLUMNS} VALUES ${rows(chunk.length, 12)}`, chunk.flatMap(entryValues));
    }
    const postings: SqlValue[][] = [];
    for (const entry of entries) entry.postings.forEach((p, idx) => postings.push([entry.seq, idx, p.accountId, p.currency, p.side, p.layer, p.amount]));
    for (let i = 0; i < postings.length; i += POSTING_ROWS) {
      const chunk = postings.slice(i, i + POSTING_ROWS);
      await sql.run(`INSERT INTO postings ${POSTING_COLUMNS} VALUES ${rows(chunk.length, 7)}`, chunk.flat());
    }
    for (const id of this.#dirty) {
      const a = this.accounts.get(id)!;
      await sql.run(UPDATE_ACCOUNT, [a.debitsPending, a.creditsPending, a.debitsPosted, a.creditsPosted, a.status, a.id]);
    }
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

  constructor(cache: WriterCache) {
    this.cache = cache;
  }

  account(id: string): Account | undefined {
    return this.accounts.get(id) ?? this.cache.accounts.get(id);
  }

  entry(id: string): Entry | undefined {
    return this.entries.find((entry) => entry.id === id) ?? this.cache.batchEntry(id);
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

const valuesLists = new Map<string, string>();
function rows(count: number, columns: number): string {
  const key = `${count}x${columns}`;
  let text = valuesLists.get(key);
  if (text === undefined) {
    const row = `(${placeholders(columns)})`;
    text = Array.from({ length: count }, () => row).join(', ');
    valuesLists.set(key, text);
  }
  return text;
}

