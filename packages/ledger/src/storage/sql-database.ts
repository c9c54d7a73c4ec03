// The one seam between the ledger's SQL and a database driver. Queries are written once with `?`
// placeholders in the subset of SQL both SQLite and PostgreSQL understand; the drivers differ
// only in how they run transactions (group commit vs. row locks with retries).

export type SqlValue = string | number | bigint | null;
export type Row = Record<string, unknown>;

export interface SqlExecutor {
  all(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
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
 * What a single-writer database lets a cache above it do around each group-commit batch. Jobs run
 * one after another inside one database transaction; the hooks bracket its COMMIT.
 */
export interface BatchHooks {
  /** After the batch's last job, inside its transaction: write what was deferred. A throw fails the batch. */
  beforeCommit(sql: SqlExecutor): Promise<void>;
  /** The batch is durable. */
  afterCommit(): void;
  /** The database may differ from what was cached (the batch rolled back, or another connection wrote). */
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
   * Single-writer databases (SQLite) only: reads on the writer's own connection, at once. They see
   * every commit, even one whose fsync is still running (and the open batch's writes so far), so
   * they are only for rows whose callers know otherwise what is not yet durable (the idempotency
   * keys in flight); in exchange they never wait for an fsync, and the writer's page cache is warm.
   */
  readonly writerReader?: SqlExecutor;
  /**
   * Only databases with one writer (SQLite) offer this: the ledger then keeps balances and the
   * chain head in memory and writes them, with the batch's journal, once per commit.
   */
  onBatch?(hooks: BatchHooks): void;
  /** Applies the migrations not applied yet (safe to call from several processes at once). */
  migrate(migrations: readonly Migration[]): Promise<number[]>;
  close(): Promise<void>;
}

export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
