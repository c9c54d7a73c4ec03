import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { BatchHooks, Migration, Row, SqlDatabase, SqlExecutor, SqlTransaction, SqlValue } from '../sql-database.ts';
import { rewriteChecks } from './check-rewrites.ts';
import { WriterThread, type BatchOutcome, type RecordedWrites } from './writer-thread.ts';

export interface SqliteOptions {
  /** A file path, or ':memory:' (a scratch file, removed on close). */
  path: string;
  /** Most commands one batch carries (a staged transaction counts as its weight). */
  maxBatchSize?: number;
  /**
   * How long the first command of a batch waits for others before the batch starts. Default 0:
   * the batch starts once the event loop has taken what is queued, and while the writer thread is
   * busy with earlier batches, concurrent requests gather anyway. A 1 ms wait added 1.3 ms to
   * every request of a lone client and, under load, gained nothing over HTTP and lost 20-30% with
   * 50 callers in process (bench/api.ts).
   */
  commitDelayMs?: number;
  /** WAL size in bytes past which it is checkpointed and truncated (default 40 MiB). */
  walRestartBytes?: number;
}

interface Job {
  /** Staged: a job of a group-commit batch. Direct: a transaction of its own on the event loop's connection. */
  staged: boolean;
  weight: number;
  work: (sql: SqlTransaction) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A batch sent to the writer thread and not yet dealt with. */
interface SentBatch {
  jobs: Job[];
  outcomes: Outcome[];
  /** Set when an earlier batch failed: its jobs are queued again, and its outcome is ignored. */
  requeued: boolean;
  /** The writer thread's reply, once it has come. */
  reply: BatchOutcome | undefined;
  /** Resolved once the reply has been dealt with. */
  settled: Promise<void>;
  settle: () => void;
}

/**
 * node:sqlite with one writer and group commit, split over two threads. On the event loop, staged
 * jobs (the ledger's commands) run one after another against the writer cache and record what they
 * write; the writer thread (writer-thread.ts) writes each batch in one durable transaction while
 * the event loop builds the next. Nobody is answered before their batch is on disk. A job that
 * throws leaves nothing behind (it only staged); a batch the database refuses fails as a whole,
 * and the batches built on top of it are run again from fresh state.
 *
 * Direct transactions (outbox bookkeeping, tests) run on the event loop's own connection once every
 * batch sent is durable: those queued together commit together, each in a savepoint of its own.
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  readonly forUpdate = '';
  readonly reader: SqlExecutor;
  readonly #path: string;
  /** For a scratch database: the folder to remove on close. */
  readonly #scratchDir: string | undefined;
  readonly #durable: boolean;
  readonly #walRestartBytes: number;
  /** Reads: the committed (durable) state, for staged jobs and for readers outside transactions. */
  readonly #readsDb: DatabaseSync;
  readonly #reads: SqlTransaction;
  /** Direct transactions and migrations. */
  readonly #directDb: DatabaseSync;
  readonly #direct: SqlTransaction;
  /** What the direct connection has changed so far: rows, and the schema's version (DDL changes no rows). */
  readonly #writesSoFar: StatementSync;
  /** How deep the direct transaction's savepoints nest (one per job, and those a job opens). */
  #directSavepoints = 0;
  #thread: WriterThread | undefined;
  readonly #maxBatchSize: number;
  readonly #commitDelayMs: number;
  #queue: Job[] = [];
  #flushing = false;
  /** Batches sent to the writer thread, oldest first; their acknowledgements come back in order. */
  readonly #sent: SentBatch[] = [];
  /** True while staged jobs run on the cache: replies that would discard it wait until they are done. */
  #building = false;
  /** The writer thread's reset after a failed or stale batch, until it has answered. */
  #resetting: Promise<void> | undefined;
  /** Counts the discards of the cache, so a batch built across one is run again. */
  #epoch = 0;
  readonly #hooks: BatchHooks[] = [];
  /** Commits made and the jobs they carried. */
  readonly stats = { commits: 0, transactions: 0 };
  #failure: Error | undefined;
  #closed = false;

  constructor(options: SqliteOptions) {
    this.#scratchDir = options.path === ':memory:' ? mkdtempSync(join(tmpdir(), 'finrail-ledger-')) : undefined;
    this.#path = this.#scratchDir ? join(this.#scratchDir, 'ledger.sqlite') : options.path;
    this.#durable = !this.#scratchDir;
    if (!this.#scratchDir) mkdirSync(dirname(this.#path), { recursive: true });
    this.#walRestartBytes = options.walRestartBytes ?? WAL_RESTART_BYTES;
    this.#directDb = open(this.#path, this.#durable);
    this.#direct = { ...executor(this.#directDb), savepoint: (work) => this.#directSavepoint(work) };
    this.#writesSoFar = this.#directDb.prepare('SELECT total_changes() AS rows, (SELECT schema_version FROM pragma_schema_version) AS schema');
    this.#readsDb = open(this.#path, this.#durable);
    this.#reads = {
      ...executor(this.#readsDb),
      run: () => Promise.reject(new Error('a staged transaction only reads: its writes are staged for the batch')),
      savepoint: () => Promise.reject(new Error('a staged transaction has no savepoints: a unit that fails drops what it staged')),
    };
    this.reader = this.#reads;
    this.#maxBatchSize = options.maxBatchSize ?? 1000;
    this.#commitDelayMs = options.commitDelayMs ?? 0;
  }

  onBatch(hooks: BatchHooks): void {
    this.#hooks.push(hooks);
  }

  transaction<T>(work: (sql: SqlTransaction) => Promise<T>): Promise<T> {
    return this.#enqueue(false, 1, work);
  }

  stagedTransaction<T>(work: (reads: SqlTransaction) => Promise<T>, weight = 1): Promise<T> {
    return this.#enqueue(true, weight, work);
  }

  #enqueue<T>(staged: boolean, weight: number, work: (sql: SqlTransaction) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the ledger database is closed'));
    if (this.#failure) return Promise.reject(new Error('the ledger database could not be written', { cause: this.#failure }));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ staged, weight, work, resolve: resolve as (value: unknown) => void, reject });
      this.#scheduleFlush(this.#commitDelayMs);
    });
  }

  /** Starts the flush loop in `delayMs` unless it is running. */
  #scheduleFlush(delayMs: number): void {
    if (this.#flushing) return;
    this.#flushing = true;
    if (delayMs > 0) setTimeout(() => void this.#flush(), delayMs);
    else setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      if (!this.#queue[0]!.staged) {
        await this.#drain();
        await this.#runDirect(this.#take(false));
        continue;
      }
      // While the writer thread has batches to write, let more commands arrive: fuller batches
      // cost less per command, and the event loop is not needed meanwhile.
      while (this.#sent.length >= MAX_BATCHES_IN_FLIGHT) await this.#sent[0]!.settled;
      await this.#resetting;
      const batch = this.#take(true);
      if (batch.length === 0) continue;
      const epoch = this.#epoch;
      this.#building = true;
      const outcomes = await this.#inOneReadSnapshot(() => runEach(batch, (job) => job.work(this.#reads)));
      this.#building = false;
      this.#settleReplies();
      if (this.#epoch !== epoch) {
        // An earlier batch failed meanwhile: this one was built on what it would have written.
        this.#queue.push(...batch);
        continue;
      }
      const writes = this.#writer().record();
      try {
        for (const hooks of this.#hooks) await hooks.beforeCommit(writes);
      } catch (error) {
        this.#discard();
        for (const job of batch) job.reject(error);
        continue;
      }
      this.#send(batch, outcomes, writes);
    }
    this.#flushing = false;
  }

  /**
   * Runs a batch's jobs with their reads in one read transaction. Each statement would otherwise
   * start its own, and in WAL mode that takes locks (fcntl on the -shm file): ~3 µs of a 4.5 µs
   * lookup of an entry by id. One snapshot for the whole build is sound: what batches committed
   * after it began wrote is still in the writer cache, whose replies are settled only afterwards.
   */
  async #inOneReadSnapshot<T>(work: () => Promise<T>): Promise<T> {
    this.#readsDb.exec('BEGIN');
    try {
      return await work();
    } finally {
      this.#readsDb.exec('COMMIT');
    }
  }

  /** The jobs of one kind at the head of the queue, up to maxBatchSize commands (at least one job). */
  #take(staged: boolean): Job[] {
    let weight = 0;
    let count = 0;
    for (const job of this.#queue) {
      if (job.staged !== staged || (count > 0 && weight + job.weight > this.#maxBatchSize)) break;
      weight += job.weight;
      count += 1;
    }
    return this.#queue.splice(0, count);
  }

  #send(jobs: Job[], outcomes: Outcome[], writes: RecordedWrites): void {
    const thread = this.#writer();
    let settle!: () => void;
    const batch: SentBatch = { jobs, outcomes, requeued: false, settled: new Promise((resolve) => (settle = resolve)), settle, reply: undefined };
    this.#sent.push(batch);
    void thread.write(writes.message(thread)).then((reply) => {
      batch.reply = reply;
      if (!this.#building) this.#settleReplies();
    });
  }

  #writer(): WriterThread {
    return (this.#thread ??= new WriterThread({ path: this.#path, durable: this.#durable, pageSize: PAGE_SIZE, cacheKib: CACHE_KIB, walLimitBytes: this.#walRestartBytes }));
  }

  /** Deals with the replies come back so far, oldest batch first (never while a batch is being built on the cache). */
  #settleReplies(): void {
    while (this.#sent.length > 0 && this.#sent[0]!.reply) {
      const batch = this.#sent.shift()!;
      const reply = batch.reply!;
      if (batch.requeued) {
        batch.settle();
        continue;
      }
      if (reply.outcome === 'committed') {
        this.stats.commits += 1;
        this.stats.transactions += batch.jobs.length;
        for (const hooks of this.#hooks) hooks.afterCommit();
        answer(batch.jobs, batch.outcomes);
        batch.settle();
        continue;
      }
      // Everything staged after this batch was built on it: drop the cache and run those jobs again
      // (a stale batch's own jobs too: they were built on data another connection has changed).
      const rerun = [...(reply.outcome === 'stale' ? batch.jobs : []), ...this.#sent.flatMap((later) => ((later.requeued = true), later.jobs))];
      this.#discard();
      if (reply.outcome === 'failed') for (const job of batch.jobs) job.reject(reply.error);
      if (reply.outcome === 'failed' && this.#thread!.lost) {
        // Nothing can be written any more: fail what waits rather than run it again.
        this.#failure = reply.error;
        for (const job of [...rerun, ...this.#queue.splice(0)]) job.reject(reply.error);
        batch.settle();
        continue;
      }
      this.#queue.unshift(...rerun);
      // The thread judges staleness from its reset on: nothing is read into the cache before that.
      this.#resetting = this.#thread!.reset().then(() => batch.settle());
      if (this.#queue.length > 0) this.#scheduleFlush(0);
    }
  }

  /** Waits until every batch sent is durable (or dealt with). */
  async #drain(): Promise<void> {
    while (this.#sent.length > 0) await this.#sent[this.#sent.length - 1]!.settled;
  }

  #discard(): void {
    this.#epoch += 1;
    for (const hooks of this.#hooks) hooks.discard();
  }

  /** Consecutive direct transactions, committed together (one fsync), each in a savepoint of its own. */
  async #runDirect(jobs: Job[]): Promise<void> {
    const db = this.#directDb;
    const before = this.#writesSoFar.get()!;
    let outcomes: Outcome[];
    db.exec('BEGIN IMMEDIATE');
    try {
      outcomes = await runEach(jobs, (job) => this.#directSavepoint(() => job.work(this.#direct)));
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      for (const job of jobs) job.reject(error);
      return;
    }
    this.stats.commits += 1;
    this.stats.transactions += jobs.length;
    // Another connection's commit, as the writer thread sees it: the next batch would be judged stale.
    const after = this.#writesSoFar.get()!;
    if (after.rows !== before.rows || after.schema !== before.schema) await this.#thread?.reset();
    answer(jobs, outcomes);
  }

  async #directSavepoint<T>(work: () => Promise<T>): Promise<T> {
    const name = `direct_${this.#directSavepoints++}`;
    this.#directDb.exec(`SAVEPOINT ${name}`);
    try {
      const value = await work();
      this.#directDb.exec(`RELEASE ${name}`);
      return value;
    } catch (error) {
      this.#directDb.exec(`ROLLBACK TO ${name}`);
      this.#directDb.exec(`RELEASE ${name}`);
      throw error;
    } finally {
      this.#directSavepoints -= 1;
    }
  }

  async migrate(migrations: readonly Migration[]): Promise<number[]> {
    const db = this.#directDb;
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
    await this.#thread?.reset();
    return applied;
  }

  async close(): Promise<void> {
    this.#closed = true;
    while (this.#flushing) await new Promise((resolve) => setImmediate(resolve));
    await this.#drain();
    await this.#thread?.close();
    this.#readsDb.close();
    this.#directDb.close();
    if (this.#scratchDir) rmSync(this.#scratchDir, { recursive: true, force: true });
  }
}

/** Runs the jobs one after another, each to its own outcome (one failing does not stop the rest). */
async function runEach(jobs: readonly Job[], run: (job: Job) => Promise<unknown>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const job of jobs) {
    try {
      outcomes.push({ ok: true, value: await run(job) });
    } catch (error) {
      outcomes.push({ ok: false, error });
    }
  }
  return outcomes;
}

/** Settles each job with its outcome. */
function answer(jobs: readonly Job[], outcomes: readonly Outcome[]): void {
  jobs.forEach((job, index) => {
    const outcome = outcomes[index]!;
    if (outcome.ok) job.resolve(outcome.value);
    else job.reject(outcome.error);
  });
}

/** How many batches may be on their way to disk while the next is built. */
const MAX_BATCHES_IN_FLIGHT = 2;

/** Default WAL size past which it is checkpointed and truncated (in bytes, whatever the page size). */
const WAL_RESTART_BYTES = 40 * 1024 * 1024;

/**
 * Page size of new databases (an existing file keeps its own). A transfer touches ~10 b-tree pages
 * at random places (ids derived from idempotency keys), each written whole to the WAL; 8 KiB pages
 * hold twice the keys of the default 4 KiB, so the trees are shallower and fewer distinct pages are
 * touched per batch: COMMIT ~157 → ~114 µs per HTTP transfer. (1–2 KiB and 16 KiB were slower.)
 */
const PAGE_SIZE = 8192;

/**
 * Page cache per connection, in KiB. 16 MiB rather than 64: the writer thread needed 11-29% less
 * CPU per API transfer (alternating runs of bench/api.ts), the pages it touches packed in less
 * memory (SQLite's walk of its cache at every COMMIT, pcache1TruncateUnsafe, took 5.7% of the
 * writer's samples for a few hundred instructions a call: cache misses). The event loop's reading
 * connection starts over after every commit anyway (SQLite drops a WAL reader's cache when another
 * connection has committed).
 */
const CACHE_KIB = 16384;

function open(path: string, durable: boolean): DatabaseSync {
  const db = new DatabaseSync(path);
  // Before anything creates the file's first page: a no-op on an existing database.
  db.exec(`PRAGMA page_size = ${PAGE_SIZE}`);
  // WAL, and synchronous=FULL for the direct transactions (the writer thread sets its own).
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${durable ? 'FULL' : 'OFF'}; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;
    PRAGMA cache_size = -${CACHE_KIB}; PRAGMA temp_store = MEMORY;`);
  return db;
}

function executor(db: DatabaseSync): SqlExecutor {
  const statements = new Map<string, StatementSync>();
  const prepare = (sql: string): StatementSync => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statement.setReadBigInts(true);
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    all: async (sql: string, params: readonly SqlValue[] = []) => prepare(sql).all(...params) as Row[],
    run: async (sql: string, params: readonly SqlValue[] = []) => Number(prepare(sql).run(...params).changes),
  };
}
