import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { BatchHooks, Migration, Row, SqlDatabase, SqlExecutor, SqlValue } from '../sql-database.ts';

export interface SqliteOptions {
  /** A file path, or ':memory:'. */
  path: string;
  /** Most commands committed by one fsync. */
  maxBatchSize?: number;
  /**
   * How long the first command of a batch waits for others before the batch starts. An fsync
   * costs milliseconds, so waiting a little gathers concurrent requests into one. Default 1 ms
   * for files, 0 for ':memory:'.
   */
  commitDelayMs?: number;
}

interface Job {
  work: (sql: SqlExecutor) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * node:sqlite with one writer and group commit: transactions submitted while the previous batch
 * commits are run together in one `BEGIN IMMEDIATE … COMMIT`, each inside its own SAVEPOINT so a
 * failing one is rolled back alone. Nobody is answered before the COMMIT (fsync'd: WAL with
 * synchronous=FULL) has returned. The savepoint is opened at a job's first write, so a job that
 * only reads (or defers its writes to the batch hooks) costs no savepoint statements.
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  readonly forUpdate = '';
  readonly reader: SqlExecutor;
  readonly #writer: DatabaseSync;
  readonly #writerExecutor: SqlExecutor;
  readonly #savepoint: Record<'begin' | 'release' | 'rollback', StatementSync>;
  readonly #readerDb: DatabaseSync | undefined;
  readonly #maxBatchSize: number;
  readonly #commitDelayMs: number;
  #queue: Job[] = [];
  #flushing = false;
  /** Set while a job runs; a job's first write opens its savepoint. */
  #job: { savepoint: boolean } | undefined;
  readonly #hooks: BatchHooks[] = [];
  readonly #dataVersion: StatementSync;
  /** PRAGMA data_version after our last batch: it changes only when another connection commits. */
  #lastDataVersion: unknown;
  /** Durable commits made and transactions they carried (transactions / commits = batching factor). */
  readonly stats = { commits: 0, transactions: 0 };
  #closed = false;

  constructor(options: SqliteOptions) {
    const inMemory = options.path === ':memory:';
    if (!inMemory) mkdirSync(dirname(options.path), { recursive: true });
    this.#writer = open(options.path);
    this.#writerExecutor = executor(this.#writer, () => {
      if (this.#job && !this.#job.savepoint) {
        this.#savepoint.begin.run();
        this.#job.savepoint = true;
      }
    });
    this.#savepoint = {
      begin: this.#writer.prepare('SAVEPOINT command'),
      release: this.#writer.prepare('RELEASE command'),
      rollback: this.#writer.prepare('ROLLBACK TO command'),
    };
    this.#dataVersion = this.#writer.prepare('PRAGMA data_version');
    // A second connection reads the last committed state while a batch is being written.
    // An in-memory database cannot be shared, so there reads use the writer's connection.
    this.#readerDb = inMemory ? undefined : open(options.path);
    this.reader = this.#readerDb ? executor(this.#readerDb) : this.#writerExecutor;
    this.#maxBatchSize = options.maxBatchSize ?? 1000;
    this.#commitDelayMs = options.commitDelayMs ?? (inMemory ? 0 : 1);
  }

  onBatch(hooks: BatchHooks): void {
    this.#hooks.push(hooks);
  }

  transaction<T>(work: (sql: SqlExecutor) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the ledger database is closed'));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#flushing) {
        this.#flushing = true;
        if (this.#commitDelayMs > 0) setTimeout(() => void this.#flush(), this.#commitDelayMs);
        else setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatchSize);
      const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
      try {
        this.#writer.exec('BEGIN IMMEDIATE');
        const version = this.#dataVersion.get()!.data_version;
        if (version !== this.#lastDataVersion) for (const hooks of this.#hooks) hooks.discard();
        this.#lastDataVersion = version;
        for (const job of batch) {
          const state = (this.#job = { savepoint: false });
          try {
            const value = await job.work(this.#writerExecutor);
            if (state.savepoint) this.#savepoint.release.run();
            outcomes.push({ ok: true, value });
          } catch (error) {
            if (state.savepoint) {
              this.#savepoint.rollback.run();
              this.#savepoint.release.run();
            }
            outcomes.push({ ok: false, error });
          } finally {
            this.#job = undefined;
          }
        }
        for (const hooks of this.#hooks) await hooks.beforeCommit(this.#writerExecutor);
        this.#writer.exec('COMMIT');
        this.stats.commits += 1;
        this.stats.transactions += batch.length;
      } catch (error) {
        if (this.#writer.isTransaction) this.#writer.exec('ROLLBACK');
        for (const hooks of this.#hooks) hooks.discard();
        for (const job of batch) job.reject(error);
        continue;
      }
      for (const hooks of this.#hooks) hooks.afterCommit();
      batch.forEach((job, index) => {
        const outcome = outcomes[index]!;
        if (outcome.ok) job.resolve(outcome.value);
        else job.reject(outcome.error);
      });
    }
    this.#flushing = false;
  }

  async migrate(migrations: readonly Migration[]): Promise<number[]> {
    const db = this.#writer;
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    const applied: number[] = [];
    db.exec('BEGIN IMMEDIATE');
    try {
      const done = new Set(db.prepare('SELECT version FROM schema_migrations').all().map((row) => Number(row.version)));
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        db.exec(migration.sql);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, Date.now());
        applied.push(migration.version);
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    return applied;
  }

  async close(): Promise<void> {
    this.#closed = true;
    while (this.#flushing) await new Promise((resolve) => setImmediate(resolve));
    this.#readerDb?.close();
    this.#writer.close();
  }
}

function open(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  // WAL + synchronous=FULL: a COMMIT returns only once it is fsync'd. A large page cache and
  // in-memory savepoint journals keep a batch of a thousand commands from spilling to disk mid-way.
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;
    PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;`);
  return db;
}

/** `beforeWrite` runs before any statement that may write (everything but a plain SELECT). */
function executor(db: DatabaseSync, beforeWrite: () => void = () => {}): SqlExecutor {
  const statements = new Map<string, { statement: StatementSync; writes: boolean }>();
  const prepare = (sql: string): StatementSync => {
    let prepared = statements.get(sql);
    if (!prepared) {
      const statement = db.prepare(sql);
      statement.setReadBigInts(true);
      prepared = { statement, writes: !/^\s*SELECT\b/i.test(sql) || /\bRETURNING\b/i.test(sql) };
      statements.set(sql, prepared);
    }
    if (prepared.writes) beforeWrite();
    return prepared.statement;
  };
  return {
    all: async (sql: string, params: readonly SqlValue[] = []) => prepare(sql).all(...params) as Row[],
    run: async (sql: string, params: readonly SqlValue[] = []) => Number(prepare(sql).run(...params).changes),
  };
}
