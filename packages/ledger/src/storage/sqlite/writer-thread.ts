// The SQLite writer's own thread. The event loop runs the ledger's commands against the writer
// cache and records each group-commit batch's rows as statements; this thread runs them in one
// `BEGIN IMMEDIATE … COMMIT` (synchronous=FULL: the COMMIT returns once the WAL is fsync'd, and
// readers see a commit only from then on) and reports back. Batches are sent while earlier ones
// are still being written, and are written in the order sent.
//
// The thread's code is the function below, started from its source text (`eval`), so it needs no
// file of its own in the built package: it must not refer to anything outside itself.
import type { StatementSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import type { SqlValue } from '../sql-database.ts';

export interface WriterThreadOptions {
  path: string;
  /** false for a scratch database (':memory:'): no fsync. */
  durable: boolean;
  pageSize: number;
  /** WAL size in bytes past which it is checkpointed and truncated to this size. */
  walLimitBytes: number;
}

/** A batch's statements: each new SQL text once (`defs`, numbered in order), then `ops` as `[statement, paramCount, ...params]`. */
export interface BatchMessage {
  kind: 'batch';
  defs: string[];
  ops: SqlValue[];
}

/**
 * What became of a batch: on disk; refused by the database (nothing of it kept); not attempted
 * because another connection wrote to the file since the writer cache was loaded (`stale`); or not
 * attempted because an earlier batch failed or was stale (`skipped`, until `reset`).
 */
export type BatchOutcome = { outcome: 'committed' } | { outcome: 'failed'; error: Error } | { outcome: 'stale' } | { outcome: 'skipped' };

type Reply = { outcome: 'committed' | 'stale' | 'skipped' | 'done' } | { outcome: 'failed'; message: string; code?: string; errstr?: string };

export class WriterThread {
  readonly #worker: Worker;
  /** Replies come back in the order the messages were sent. */
  readonly #waiting: Array<(reply: Reply) => void> = [];
  #exited: Error | undefined;
  /** Statement texts already sent, by id. */
  readonly #ids = new Map<string, number>();

  constructor(options: WriterThreadOptions) {
    this.#worker = new Worker(`(${writerThreadMain.toString()})()`, { eval: true, workerData: options });
    // Held only while it owes a reply, so an idle ledger does not keep the process alive.
    this.#worker.unref();
    this.#worker.on('message', (reply: Reply) => {
      this.#waiting.shift()?.(reply);
      if (this.#waiting.length === 0) this.#worker.unref();
    });
    const fail = (error: Error) => {
      this.#exited = error;
      for (const waiting of this.#waiting.splice(0)) waiting({ outcome: 'failed', message: error.message });
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`the SQLite writer thread exited (code ${code})`)));
  }

  /** The id of a statement, and whether this is its first use (its text must then go with the batch). */
  statement(sql: string): { id: number; isNew: boolean } {
    const known = this.#ids.get(sql);
    if (known !== undefined) return { id: known, isNew: false };
    const id = this.#ids.size;
    this.#ids.set(sql, id);
    return { id, isNew: true };
  }

  async write(batch: BatchMessage): Promise<BatchOutcome> {
    const reply = await this.#send(batch);
    if (reply.outcome !== 'failed') return reply as BatchOutcome;
    return { outcome: 'failed', error: Object.assign(new Error(reply.message), reply.code === undefined ? {} : { code: reply.code, errstr: reply.errstr }) };
  }

  /** Set once the thread is gone (it crashed or was closed): nothing can be written any more. */
  get lost(): Error | undefined {
    return this.#exited;
  }

  /**
   * The thread takes batches again (after a failed or stale one) and judges staleness from now on
   * (after a commit by another connection of this process).
   */
  async reset(): Promise<void> {
    await this.#send({ kind: 'reset' });
  }

  async close(): Promise<void> {
    if (!this.#exited) await this.#send({ kind: 'close' });
    await this.#worker.terminate();
  }

  #send(message: BatchMessage | { kind: 'reset' | 'close' }): Promise<Reply> {
    if (this.#exited) return Promise.resolve({ outcome: 'failed', message: this.#exited.message });
    return new Promise((resolve) => {
      if (this.#waiting.length === 0) this.#worker.ref();
      this.#waiting.push(resolve);
      this.#worker.postMessage(message);
    });
  }
}

/** Runs on the writer thread. Self-contained: see the file's comment. */
function writerThreadMain(): void {
  const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
  const { statSync } = process.getBuiltinModule('node:fs');
  const options = workerData as WriterThreadOptions;
  const port = parentPort!;
  const db = new DatabaseSync(options.path);
  db.exec(`PRAGMA page_size = ${options.pageSize}; PRAGMA journal_mode = WAL; PRAGMA synchronous = ${options.durable ? 'FULL' : 'OFF'};
    PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;
    PRAGMA journal_size_limit = ${options.walLimitBytes};`);
  // SQLite checkpoints (here, off the event loop) once the WAL holds this many pages.
  const walPages = Math.max(100, Math.floor(options.walLimitBytes / options.pageSize / 2));
  db.exec(`PRAGMA wal_autocheckpoint = ${walPages}`);
  const statements: Array<{ prepared: StatementSync; isUpdate: boolean }> = [];
  const dataVersion = db.prepare('PRAGMA data_version');
  // data_version changes when another connection commits: the writer cache may then be out of date.
  let baseline = dataVersion.get()!.data_version;
  let poisoned = false;

  const write = (message: BatchMessage): Reply => {
    for (const sql of message.defs) statements.push({ prepared: db.prepare(sql), isUpdate: /^\s*UPDATE\b/i.test(sql) });
    if (poisoned) return { outcome: 'skipped' };
    db.exec('BEGIN IMMEDIATE');
    try {
      if (dataVersion.get()!.data_version !== baseline) {
        db.exec('ROLLBACK');
        poisoned = true;
        return { outcome: 'stale' };
      }
      const ops = message.ops;
      for (let i = 0; i < ops.length; ) {
        const target = statements[ops[i] as number]!;
        const count = ops[i + 1] as number;
        const changes = Number(target.prepared.run(...ops.slice(i + 2, i + 2 + count)).changes);
        // Staged UPDATEs are of rows the writer cache holds (an account, the chain head): exactly one.
        if (target.isUpdate && changes !== 1) throw new Error(`a staged update changed ${changes} rows instead of one: the writer cache was out of date`);
        i += 2 + count;
      }
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      poisoned = true;
      const { message, code, errstr } = error as { message: string; code?: string; errstr?: string };
      return { outcome: 'failed', message, code, errstr };
    }
    if (options.durable && statSync(`${options.path}-wal`, { throwIfNoEntry: false })?.size! > options.walLimitBytes) {
      // The automatic checkpoints lag behind readers; this one waits for them, so the WAL starts over.
      db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    }
    return { outcome: 'committed' };
  };

  port.on('message', (message: BatchMessage | { kind: 'reset' | 'close' }) => {
    if (message.kind === 'batch') return port.postMessage(write(message));
    if (message.kind === 'reset') {
      poisoned = false;
      baseline = dataVersion.get()!.data_version;
    } else {
      db.close();
    }
    port.postMessage({ outcome: 'done' });
  });
}
