// The ledger's public face: one object per database, whatever the storage.
import { join } from 'node:path';
import { auditLedger } from './core/audit.ts';
import { balanceOf } from './core/balances.ts';
import { systemClock, type Clock } from './core/clock.ts';
import * as commands from './core/commands.ts';
import { verifyChain, type ChainVerification } from './core/hash-chain.ts';
import type { LedgerTransaction } from './core/ports.ts';
import type { Account, AccountStatus, Balance, Entry, PendingTransfer } from './core/types.ts';
import { IdempotencyStore } from './idempotency/idempotency-store.ts';
import { OutboxStore } from './outbox/outbox-store.ts';
import { LedgerStore } from './storage/ledger-store.ts';
import { migrationsFor } from './storage/migrations.ts';
import { PostgresDatabase } from './storage/postgres/database.ts';
import type { SqlDatabase } from './storage/sql-database.ts';
import { SqliteDatabase } from './storage/sqlite/database.ts';

export type StorageOptions =
  | {
      storage: 'sqlite';
      /** A file, or ':memory:'. Defaults to .finrail/ledger.sqlite. */
      path?: string;
      maxBatchSize?: number;
      walRestartBytes?: number;
      /** Documents written between two merges of the listings by kind and by parent (storage/sqlite/document-listings.ts). */
      listingMergeEvery?: number;
    }
  | { storage: 'postgres'; databaseUrl: string; schema?: string; poolSize?: number };

export type OpenLedgerOptions = StorageOptions & {
  clock?: Clock;
  /** Runs in the transaction that expires a hold (the API layer updates its resources and writes events). */
  onExpired?: (tx: LedgerTransaction, pending: PendingTransfer, expiry: Entry) => Promise<void>;
};

export type { TransferResult } from './core/commands.ts';

/**
 * The most transfers one transferBatch() call takes (TigerBeetle's limit): the batch is one job of
 * the writer, so its size bounds how long the writer is held and how much a commit carries.
 */
export const MAX_TRANSFERS_PER_BATCH = 8190;

export const DEFAULT_SQLITE_PATH = join('.finrail', 'ledger.sqlite');

export async function openDatabase(options: StorageOptions): Promise<SqlDatabase> {
  const database =
    options.storage === 'postgres'
      ? await PostgresDatabase.connect({ connectionString: options.databaseUrl, schema: options.schema, poolSize: options.poolSize })
      : new SqliteDatabase({ path: options.path ?? DEFAULT_SQLITE_PATH, maxBatchSize: options.maxBatchSize, walRestartBytes: options.walRestartBytes });
  await database.migrate(migrationsFor(database.dialect));
  return database;
}

/** Opens (and migrates) a ledger on SQLite or PostgreSQL. */
export async function openLedger(options: OpenLedgerOptions): Promise<Ledger> {
  return new Ledger(await openDatabase(options), options);
}

export class Ledger {
  readonly store: LedgerStore;
  readonly idempotency: IdempotencyStore;
  readonly outbox: OutboxStore;
  readonly clock: Clock;
  readonly #database: SqlDatabase;
  readonly #onExpired: OpenLedgerOptions['onExpired'];

  constructor(database: SqlDatabase, options: { clock?: Clock; onExpired?: OpenLedgerOptions['onExpired']; listingMergeEvery?: number } = {}) {
    this.#database = database;
    this.clock = options.clock ?? systemClock;
    this.store = new LedgerStore(database, { listingMergeEvery: options.listingMergeEvery });
    this.idempotency = new IdempotencyStore(database, this.clock, (saved) => this.store.transaction((tx) => tx.saveResponse(saved)));
    this.outbox = new OutboxStore(database, this.clock);
    this.#onExpired = options.onExpired;
  }

  get dialect(): SqlDatabase['dialect'] {
    return this.#database.dialect;
  }

  /**
   * Runs several commands and document writes as one serializable, durable transaction (what the
   * API layer does to keep its resources in step with the money). `now` is the ledger clock's time.
   */
  transaction<T>(work: (tx: LedgerTransaction, now: number) => Promise<T>): Promise<T> {
    return this.store.transaction((tx) => work(tx, this.clock.now()));
  }

  createAccount(input: commands.CreateAccountInput): Promise<Account> {
    return this.store.transaction((tx) => commands.createAccount(tx, input, this.clock.now()));
  }

  setAccountStatus(accountId: string, status: AccountStatus): Promise<Account> {
    return this.store.transaction((tx) => commands.setAccountStatus(tx, accountId, status));
  }

  /** Moves money at once, or holds it when `pending` is given. */
  transfer(input: commands.TransferInput): Promise<Entry> {
    return this.store.transaction((tx) => commands.transfer(tx, input, this.clock.now()));
  }

  /**
   * Many transfers at once (TigerBeetle's create_transfers): the same outcome as transfer() for each
   * in order, committed together and resolved once durable. A transfer that a business rule rejects
   * leaves no trace and does not stop the others; any other failure (a bug, the database) fails the
   * whole batch, which then leaves no trace either.
   */
  async transferBatch(inputs: readonly commands.TransferInput[]): Promise<commands.TransferResult[]> {
    if (inputs.length === 0) return [];
    if (inputs.length > MAX_TRANSFERS_PER_BATCH) {
      throw new RangeError(`transferBatch takes at most ${MAX_TRANSFERS_PER_BATCH} transfers, got ${inputs.length}: split the batch`);
    }
    const now = this.clock.now();
    return this.store.transaction((tx) => commands.transferBatch(tx, inputs, now), inputs.length);
  }

  postPending(input: commands.PostPendingInput): Promise<Entry> {
    return this.store.transaction((tx) => commands.postPending(tx, input, this.clock.now()));
  }

  voidPending(input: commands.VoidPendingInput): Promise<Entry> {
    return this.store.transaction((tx) => commands.voidPending(tx, input, this.clock.now()));
  }

  /** Corrects a posted movement (in full or in part) with an opposite entry. */
  reverse(input: commands.ReverseInput): Promise<Entry> {
    return this.store.transaction((tx) => commands.reverse(tx, input, this.clock.now()));
  }

  /**
   * Releases every hold whose expiry has passed on the ledger's clock, oldest first, one
   * transaction each (so the journal order is the same on every storage). Returns the expiry entries.
   */
  async expireDue(limit = 1000): Promise<Entry[]> {
    const now = this.clock.now();
    const expired: Entry[] = [];
    for (const pendingId of await this.store.findExpiredPending(now, limit)) {
      const entry = await this.store.transaction(async (tx) => {
        const expiry = await commands.expirePending(tx, pendingId, now);
        if (expiry && this.#onExpired) await this.#onExpired(tx, (await tx.lockPending(pendingId))!, expiry);
        return expiry;
      });
      if (entry) expired.push(entry);
    }
    return expired;
  }

  getAccount(id: string): Promise<Account | undefined> {
    return this.store.getAccount(id);
  }

  async balance(accountId: string): Promise<Balance | undefined> {
    const account = await this.store.getAccount(accountId);
    return account ? balanceOf(account) : undefined;
  }

  getEntry(id: string): Promise<Entry | undefined> {
    return this.store.getEntry(id);
  }

  getPending(id: string): Promise<PendingTransfer | undefined> {
    return this.store.getPending(id);
  }

  verifyChain(): Promise<ChainVerification> {
    return verifyChain(this.store.readJournal());
  }

  /** Checks every invariant against the journal; an empty list means the ledger is sound. */
  async audit(): Promise<string[]> {
    // As of one point of the journal, so commands landing meanwhile do not look like discrepancies.
    const { head, accounts, pending } = await this.store.snapshotForAudit();
    return auditLedger({ journal: this.store.readJournal(1000, head), accounts, pending });
  }

  close(): Promise<void> {
    return this.#database.close();
  }
}
