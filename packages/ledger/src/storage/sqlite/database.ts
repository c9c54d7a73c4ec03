import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { BatchHooks, Migration, Row, SqlDatabase, SqlExecutor, SqlTransaction, SqlValue } from '../sql-database.ts';
import { rewriteChecks } from './check-rewrites.ts';
import { Checkpointer } from './checkpointer.ts';
import { WalSync } from './wal-sync.ts';

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
  /** WAL size in bytes past which it is checkpointed in full and started over (default 40 MiB). */
  walRestartBytes?: number;
}

interface Job {
  work: (sql: SqlTransaction) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * node:sqlite with one writer and group commit: transactions submitted while the previous batch
 * commits are run together in one `BEGIN IMMEDIATE … COMMIT`, each inside its own SAVEPOINT so a
 * failing one is rolled back alone. Nobody is answered before the batch's WAL frames are fsync'd
 * (see wal-sync.ts: the fsync runs off the event loop, so the next batch is built meanwhile).
 * The savepoint is opened at a job's first write, so a job that only reads (or defers its writes
 * to the batch hooks) costs no savepoint statements; so are the savepoints a job nests inside its own.
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  readonly forUpdate = '';
  readonly reader: SqlExecutor;
  readonly writerReader: SqlExecutor;
  readonly #writer: DatabaseSync;
  readonly #writerExecutor: SqlTransaction;
  /** Savepoint statements by depth: the job's own, then those nested inside it. */
  readonly #savepoints: Array<Record<'begin' | 'release' | 'rollback', StatementSync>> = [];
  readonly #readerDb: DatabaseSync | undefined;
  readonly #maxBatchSize: number;
  readonly #commitDelayMs: number;
  #queue: Job[] = [];
  #flushing = false;
  /**
   * While a job runs: how deep its savepoints nest (1 for the job's own), and how many of them
   * are open. A write opens those not open yet, outermost first.
   */
  #job: { depth: number; open: number } | undefined;
  readonly #hooks: BatchHooks[] = [];
  readonly #dataVersion: StatementSync;
  /** PRAGMA data_version after our last batch: it changes only when another connection commits. */
  #lastDataVersion: unknown;
  /**
   * Commits made, transactions they carried, the fsyncs that made them durable, and the batches
   * that first waited for the checkpoint worker to catch up with a WAL grown past walRestartBytes.
   */
  readonly stats = { commits: 0, transactions: 0, syncs: 0, walCatchUps: 0 };
  /** WAL pages past which the next batch first waits for a full checkpoint (then the WAL starts over). */
  readonly #walRestartPages: number = Infinity;
  /** Undefined in memory, where there is nothing to make durable. */
  readonly #walSync: WalSync | undefined;
  readonly #checkpointer: Checkpointer | undefined;
  #closed = false;

  constructor(options: SqliteOptions) {
    const inMemory = options.path === ':memory:';
    if (!inMemory) mkdirSync(dirname(options.path), { recursive: true });
    this.#writer = open(options.path);
    this.#walSync = inMemory ? undefined : new WalSync(options.path, () => (this.stats.syncs += 1));
    if (!inMemory) {
      // The worker keeps the WAL backfilled, but only a checkpoint that catches up with the last
      // commit lets the next one start the WAL over; under steady load the worker always lags a few
      // commits behind. So once the WAL is past walRestartBytes, the next batch first waits (off the
      // event loop) for the worker to copy those last commits, and its first write starts the WAL
      // over, which keeps the file bounded. SQLite's own checkpoint inside COMMIT (which would block
      // the event loop) is left as a backstop at twice that size.
      const pageSize = Number(this.#writer.prepare('PRAGMA page_size').get()!.page_size);
      this.#walRestartPages = Math.max(1, Math.ceil((options.walRestartBytes ?? WAL_RESTART_BYTES) / pageSize));
      this.#writer.exec(`PRAGMA wal_autocheckpoint = ${Math.max(1000, 2 * this.#walRestartPages)}`);
      this.#checkpointer = new Checkpointer(options.path, () => {
        if (this.#writer.isOpen) this.#writer.exec('PRAGMA wal_autocheckpoint = 1000');
      });
    }
    const writes = executor(this.#writer, () => {
      const job = this.#job;
      if (job) for (; job.open < job.depth; job.open++) this.#savepoint(job.open).begin.run();
    });
    this.#writerExecutor = { ...writes, savepoint: (work) => this.#nested(work) };
    this.#dataVersion = this.#writer.prepare('PRAGMA data_version');
    // A second connection reads the last committed state while a batch is being written.
    // An in-memory database cannot be shared, so there reads use the writer's connection.
    this.#readerDb = inMemory ? undefined : open(options.path);
    this.writerReader = selectsOnly(executor(this.#writer));
    this.reader = this.#readerDb ? durableReads(executor(this.#readerDb), this.#walSync!) : this.#writerExecutor;
    this.#maxBatchSize = options.maxBatchSize ?? 1000;
    this.#commitDelayMs = options.commitDelayMs ?? (inMemory ? 0 : 1);
  }

  onBatch(hooks: BatchHooks): void {
    this.#hooks.push(hooks);
  }

  transaction<T>(work: (sql: SqlTransaction) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the ledger database is closed'));
    const failure = this.#walSync?.failure;
    if (failure) return Promise.reject(new Error('the ledger database could not be made durable', { cause: failure }));
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
      // While the previous batch is being fsync'd, let more commands arrive: a COMMIT costs about
      // the same for one command as for fifty (the same b-tree pages), so fuller batches are cheaper.
      if (this.#walSync?.running && this.#queue.length < this.#maxBatchSize) await this.#walSync.drain();
      const checkpointer = this.#checkpointer;
      if (checkpointer && checkpointer.walFrames >= this.#walRestartPages) {
        this.stats.walCatchUps += 1;
        await checkpointer.catchUp();
      }
      const batch = this.#queue.splice(0, this.#maxBatchSize);
      const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
      try {
        this.#writer.exec('BEGIN IMMEDIATE');
        const version = this.#dataVersion.get()!.data_version;
        if (version !== this.#lastDataVersion) for (const hooks of this.#hooks) hooks.discard();
        this.#lastDataVersion = version;
        for (const job of batch) {
          const state = (this.#job = { depth: 1, open: 0 });
          try {
            const value = await job.work(this.#writerExecutor);
            this.#leave(state, true);
            outcomes.push({ ok: true, value });
          } catch (error) {
            this.#leave(state, false);
            outcomes.push({ ok: false, error });
          } finally {
            this.#job = undefined;
          }
        }
        for (const hooks of this.#hooks) await hooks.beforeCommit(this.#writerExecutor);
        this.#writer.exec('COMMIT');
        this.stats.commits += 1;
        this.stats.transactions += batch.length;
        this.#checkpointer?.committed();
      } catch (error) {
        if (this.#writer.isTransaction) this.#writer.exec('ROLLBACK');
        for (const hooks of this.#hooks) hooks.discard();
        for (const job of batch) job.reject(error);
        continue;
      }
      // The next batch may build on this one at once (a crash loses the WAL's tail, never a hole in
      // it), but nobody hears of it before it is on disk.
      for (const hooks of this.#hooks) hooks.afterCommit();
      const acknowledge = (error: Error | null) =>
        batch.forEach((job, index) => {
          const outcome = outcomes[index]!;
          if (error) job.reject(error);
          else if (outcome.ok) job.resolve(outcome.value);
          else job.reject(outcome.error);
        });
      if (this.#walSync) this.#walSync.afterCommit(acknowledge);
      else acknowledge(null);
    }
    this.#flushing = false;
  }

  async #nested<T>(work: () => Promise<T>): Promise<T> {
    const state = this.#job;
    if (!state) throw new Error('a savepoint needs a running transaction');
    state.depth += 1;
    let value: T;
    try {
      value = await work();
    } catch (error) {
      this.#leave(state, false);
      throw error;
    }
    this.#leave(state, true);
    return value;
  }

  /** Ends the innermost savepoint level: keeps or undoes its writes (if it wrote any). */
  #leave(state: { depth: number; open: number }, keep: boolean): void {
    const level = state.depth - 1;
    state.depth = level;
    if (state.open <= level) return;
    state.open = level;
    const savepoint = this.#savepoint(level);
    if (!keep) savepoint.rollback.run();
    savepoint.release.run();
  }

  #savepoint(level: number): Record<'begin' | 'release' | 'rollback', StatementSync> {
    let statements = this.#savepoints[level];
    if (!statements) {
      const name = level === 0 ? 'command' : `command_${level}`;
      statements = {
        begin: this.#writer.prepare(`SAVEPOINT ${name}`),
        release: this.#writer.prepare(`RELEASE ${name}`),
        rollback: this.#writer.prepare(`ROLLBACK TO ${name}`),
      };
      this.#savepoints[level] = statements;
    }
    return statements;
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
        if (migration.checkRewrites) rewriteChecks(db, migration.checkRewrites);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, Date.now());
        applied.push(migration.version);
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    const walSync = this.#walSync;
    if (walSync) await new Promise<void>((resolve, reject) => walSync.afterCommit((error) => (error ? reject(error) : resolve())));
    return applied;
  }

  async close(): Promise<void> {
    this.#closed = true;
    while (this.#flushing) await new Promise((resolve) => setImmediate(resolve));
    await this.#walSync?.drain();
    this.#walSync?.close();
    await this.#checkpointer?.close();
    this.#readerDb?.close();
    this.#writer.close();
  }
}

/** Default WAL size past which the next batch waits for a full checkpoint, so the WAL starts over (in bytes, whatever the page size). */
const WAL_RESTART_BYTES = 40 * 1024 * 1024;

/**
 * Page size of new databases (an existing file keeps its own). A transfer touches ~10 b-tree pages
 * at random places (ids derived from idempotency keys), each written whole to the WAL; 8 KiB pages
 * hold twice the keys of the default 4 KiB, so the trees are shallower and fewer distinct pages are
 * touched per batch: COMMIT ~157 → ~114 µs per HTTP transfer. (1–2 KiB and 16 KiB were slower.)
 */
const PAGE_SIZE = 8192;

function open(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  // Before anything creates the file's first page: a no-op on an existing database.
  db.exec(`PRAGMA page_size = ${PAGE_SIZE}`);
  // WAL + synchronous=NORMAL: COMMIT writes the WAL without an fsync (WalSync does it before anyone
  // is answered); checkpoints still sync. A large page cache and in-memory savepoint journals keep
  // a batch of a thousand commands from spilling to disk mid-way.
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;
    PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;`);
  return db;
}

/**
 * Reads that never see a commit before it is on disk (as with synchronous=FULL, where SQLite
 * publishes a commit to readers only after its fsync): while a commit awaits its fsync, a read
 * waits for it. The check and the read run in one synchronous step, so no commit slips between.
 */
function durableReads(reads: SqlExecutor, walSync: WalSync): SqlExecutor {
  return {
    all: async (sql, params) => {
      while (walSync.running) await walSync.drain();
      return reads.all(sql, params);
    },
    run: async (sql, params) => {
      while (walSync.running) await walSync.drain();
      return reads.run(sql, params);
    },
  };
}

function selectsOnly(reads: SqlExecutor): SqlExecutor {
  return {
    all: (sql, params) => reads.all(sql, params),
    run: () => Promise.reject(new Error('the writer reader only reads')),
  };
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
