// The one seam between the ledger's SQL and a database driver. Queries are written once with `?`
// placeholders in the subset of SQL both SQLite and PostgreSQL understand; the drivers differ
// only in how they run transactions (group commit vs. row locks with retries).

export type SqlValue = string | number | bigint | null;
export type Row = Record<string, unknown>;

export interface SqlExecutor {
  all(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /**
   * Returns the number of rows changed. `expectChanges`: how many it must change, for an executor
   * that runs the statement later (the SQLite writer thread checks it then, and a recording
   * answers `expectChanges ?? 1`); callers of one that runs it at once check the answer instead.
   */
  run(sql: string, params?: readonly SqlValue[], expectChanges?: number): Promise<number>;
}

/** The executor a transaction's work is given. */
export interface SqlTransaction extends SqlExecutor {
  /**
   * Runs `work` inside a savepoint of this transaction: if it throws, what it wrote is undone and
   * the rest of the transaction stays. Units run one at a time (they may nest).
   */
  savepoint<T>(work: () => Promise<T>): Promise<T>;
}

export interface Migration {
  version: number;
  name: string;
  /** A script of one or more statements, run in one transaction. */
  sql: string;
  /**
   * SQLite only, after `sql` in the same transaction: CHECK constraints replaced in place by ones
   * that accept exactly the same values (SQLite cannot alter a constraint, and rebuilding a table
   * would copy the whole journal). See sqlite/check-rewrites.ts.
   */
  checkRewrites?: readonly CheckRewrite[];
}

/** In `table`'s CREATE TABLE text, the constraint expression `from` becomes `to`. */
export interface CheckRewrite {
  table: string;
  from: string;
  to: string;
}

/**
 * What a single-writer database lets a cache above it do around each group-commit batch. Staged
 * jobs run one after another against the cache; the hooks bracket the batch's journey to disk.
 * Batches are sealed in order and become durable in the same order.
 */
export interface BatchHooks {
  /** After the batch's last job: write what the jobs staged (the writes are recorded, and run by the writer). A throw fails the batch. */
  beforeCommit(writes: SqlExecutor): Promise<void>;
  /** The oldest sealed batch is durable. */
  afterCommit(): void;
  /** Every batch not yet durable is dropped (one failed, or another connection wrote to the file): forget what was cached. */
  discard(): void;
}

export interface SqlDatabase {
  readonly dialect: 'sqlite' | 'postgres';
  /** `FOR UPDATE` where the database has row locks; SQLite's single writer makes it unnecessary. */
  readonly forUpdate: string;
  /**
   * Runs `work` in a serializable transaction and resolves once it is durable. If `work` throws,
   * nothing it wrote is kept and the promise rejects with its error.
   */
  transaction<T>(work: (sql: SqlTransaction) => Promise<T>): Promise<T>;
  /** Reads outside any transaction; they see committed data. */
  readonly reader: SqlExecutor;
  /**
   * Only databases with one writer (SQLite) offer these: the ledger then keeps balances and the
   * chain head in memory and stages every write of a command, which the hooks write once per batch.
   */
  onBatch?(hooks: BatchHooks): void;
  /**
   * A job of the next group-commit batch that only reads (committed data, through `reads`) and
   * stages its writes for the batch hooks. It resolves once its batch is durable, and is run again
   * if an earlier batch it was built on fails; if it throws, what it staged is dropped. `weight` is
   * how many commands it carries (a batch closes at maxBatchSize of them).
   */
  stagedTransaction?<T>(work: (reads: SqlTransaction) => Promise<T>, weight?: number): Promise<T>;
  /** Applies the migrations not applied yet (safe to call from several processes at once). */
  migrate(migrations: readonly Migration[]): Promise<number[]>;
  close(): Promise<void>;
}

export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
