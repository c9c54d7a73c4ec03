// The SQLite writer's own thread. The event loop runs the ledger's commands against the writer
// cache and records each group-commit batch's rows as statements; this thread runs them in one
// `BEGIN IMMEDIATE … COMMIT` (synchronous=FULL: the COMMIT returns once the WAL is fsync'd, and
// readers see a commit only from then on) and reports back. Batches are sent while earlier ones
// are still being written, and are written in the order sent.
//
// The thread's code is writerThreadMain and unpackBatch below, started from their source text
// (`eval`), so it needs no file of its own in the built package: they must not refer to anything
// outside themselves.
import type { StatementSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { writeAscii } from '../../core/ascii-text.ts';
import type { Row, SqlExecutor, SqlValue } from '../sql-database.ts';

export interface WriterThreadOptions {
  path: string;
  /** false for a scratch database (':memory:'): no fsync. */
  durable: boolean;
  pageSize: number;
  /** Page cache per connection, in KiB. */
  cacheKib: number;
  /** WAL size in bytes past which it is checkpointed and truncated to this size. */
  walLimitBytes: number;
}

/**
 * A batch's statements, packed so that it crosses to the thread as a few buffers rather than a
 * value per parameter (structured clone costs per value: a tenth of the event loop's time when
 * each went as its own): each new SQL text once (`defs`, numbered in order), the statements' ids,
 * and per statement its parameter count, the rows it must change (-1: unchecked), then a
 * `[kind, value]` pair per parameter on `tape`. A text's value is its length: an ASCII text's
 * characters are next in `ascii` (one byte each), any other text's in `utf16` (its code units,
 * exactly, lone surrogates too); a bigint's value is its place in `bigints`.
 *
 * Texts go as bytes rather than as one string because a string built by appending is a rope of a
 * piece per parameter, which postMessage must flatten: ~2 µs per transfer, the biggest single cost
 * of the event loop after GC. The buffers are transferred, not copied, and come back with the
 * thread's reply to be filled again (`BatchBuffers`), so a batch allocates none.
 */
export interface BatchMessage {
  kind: 'batch';
  defs: string[];
  statements: Uint32Array<ArrayBuffer>;
  buffers: BatchBuffers;
  asciiLength: number;
  utf16Length: number;
}

/** What a batch is packed into (see BatchMessage); the writer thread hands them back with its reply. */
export interface BatchBuffers {
  tape: Float64Array<ArrayBuffer>;
  bigints: BigInt64Array<ArrayBuffer>;
  ascii: Uint8Array<ArrayBuffer>;
  utf16: Uint8Array<ArrayBuffer>;
}

/** The kinds of parameter on a BatchMessage's tape (spelled out again in unpackBatch, which can refer to nothing outside). */
const PARAM = { ascii: 0, number: 1, bigint: 2, null: 3, utf16: 4 } as const;

/**
 * What became of a batch: on disk; refused by the database (nothing of it kept); not attempted
 * because another connection wrote to the file since the writer cache was loaded (`stale`); or not
 * attempted because an earlier batch failed or was stale (`skipped`, until `reset`).
 */
export type BatchOutcome = { outcome: 'committed' } | { outcome: 'failed'; error: Error } | { outcome: 'stale' } | { outcome: 'skipped' };

/**
 * A batch's writes as the writer thread takes them: statements recorded in order, each SQL text
 * sent once per thread, their parameters packed (see BatchMessage). Recorded, not run: `run`
 * answers the changes it is told to expect (1 by default), which the writer thread then checks.
 */
export class RecordedWrites implements SqlExecutor {
  readonly #statements: string[] = [];
  /** Typed arrays: a plain array of mixed integers and doubles costs five times as much to fill. */
  #tape: Float64Array<ArrayBuffer>;
  #length = 0;
  #bigints: BigInt64Array<ArrayBuffer>;
  #bigintCount = 0;
  #ascii: Buffer<ArrayBuffer>;
  #asciiLength = 0;
  #utf16: Buffer<ArrayBuffer>;
  #utf16Length = 0;

  /** Packs into `buffers` (handed back by a writer thread's reply), or new ones. */
  constructor(buffers?: BatchBuffers) {
    this.#tape = buffers?.tape ?? new Float64Array(4096);
    this.#bigints = buffers?.bigints ?? new BigInt64Array(1024);
    this.#ascii = bytesOf(buffers?.ascii ?? new Uint8Array(1 << 16));
    this.#utf16 = bytesOf(buffers?.utf16 ?? new Uint8Array(1024));
  }

  all(): Promise<Row[]> {
    return Promise.reject(new Error('batch writes do not read'));
  }

  run(sql: string, params: readonly SqlValue[] = [], expectChanges?: number): Promise<number> {
    this.#statements.push(sql);
    const tape = this.#room(2 + 2 * params.length);
    let at = this.#length;
    tape[at++] = params.length;
    tape[at++] = expectChanges ?? -1;
    for (let i = 0; i < params.length; i++) {
      const value = params[i];
      if (typeof value === 'string') {
        tape[at++] = this.#text(value);
        tape[at++] = value.length;
      } else if (typeof value === 'number') {
        tape[at++] = PARAM.number;
        tape[at++] = value;
      } else if (typeof value === 'bigint') {
        tape[at++] = PARAM.bigint;
        tape[at++] = this.#bigintCount;
        if (this.#bigintCount === this.#bigints.length) this.#bigints = grown(this.#bigints, this.#bigintCount, this.#bigintCount + 1);
        this.#bigints[this.#bigintCount++] = value;
      } else if (value === null) {
        tape[at++] = PARAM.null;
        tape[at++] = 0;
      } else {
        // The batch fails as a whole (its recording is then thrown away half written).
        return Promise.reject(new TypeError(`cannot bind ${typeof value} as an SQL parameter`));
      }
    }
    this.#length = at;
    return expectChanges === undefined || expectChanges === 1 ? RECORDED : Promise.resolve(expectChanges);
  }

  /** Appends a text's characters to `ascii` or, when any is not ASCII, to `utf16`; returns which. */
  #text(value: string): number {
    // Room for writeAscii: up to three bytes per UTF-16 code unit.
    if (this.#asciiLength + 3 * value.length > this.#ascii.length) this.#ascii = grown(this.#ascii, this.#asciiLength, this.#asciiLength + 3 * value.length);
    if (writeAscii(this.#ascii, this.#asciiLength, value)) {
      this.#asciiLength += value.length;
      return PARAM.ascii;
    }
    // Not ASCII: what was just written is overwritten by the next text.
    if (this.#utf16Length + 2 * value.length > this.#utf16.length) this.#utf16 = grown(this.#utf16, this.#utf16Length, this.#utf16Length + 2 * value.length);
    this.#utf16Length += this.#utf16.write(value, this.#utf16Length, 'utf16le');
    return PARAM.utf16;
  }

  /** The tape with room for `more` values. */
  #room(more: number): Float64Array<ArrayBuffer> {
    if (this.#length + more > this.#tape.length) this.#tape = grown(this.#tape, this.#length, this.#length + more);
    return this.#tape;
  }

  message(thread: StatementIds): BatchMessage {
    const defs: string[] = [];
    const statements = new Uint32Array(this.#statements.length);
    for (let i = 0; i < statements.length; i++) {
      const sql = this.#statements[i]!;
      const { id, isNew } = thread.statement(sql);
      if (isNew) defs.push(sql);
      statements[i] = id;
    }
    // Their buffers are transferred (not copied), so a recording is sent once.
    return {
      kind: 'batch',
      defs,
      statements,
      buffers: { tape: this.#tape, bigints: this.#bigints, ascii: this.#ascii, utf16: this.#utf16 },
      asciiLength: this.#asciiLength,
      utf16Length: this.#utf16Length,
    };
  }
}

/** A Buffer over the whole of `bytes`'s memory (no copy), for its native text writes. */
function bytesOf(bytes: Uint8Array<ArrayBuffer>): Buffer<ArrayBuffer> {
  return Buffer.from(bytes.buffer, 0, bytes.buffer.byteLength);
}

/**
 * A copy of `array`'s first `used` items with room for `size` items at least (twice as many, so
 * that filling it costs amortised O(1)).
 */
function grown<T extends Float64Array<ArrayBuffer> | BigInt64Array<ArrayBuffer> | Buffer<ArrayBuffer>>(array: T, used: number, size: number): T {
  const length = Math.max(array.length * 2, size);
  const copy = (Buffer.isBuffer(array) ? Buffer.allocUnsafeSlow(length) : new (array.constructor as new (length: number) => T)(length)) as T;
  copy.set(array.subarray(0, used) as never);
  return copy;
}

/** What a recorded statement answers unless told otherwise: one row changed (the writer thread checks what it was told). */
const RECORDED = Promise.resolve(1);

/** A batch's reply carries its buffers back (they are packed again by a later batch). */
type Reply = ({ outcome: 'committed' | 'stale' | 'skipped' | 'done' } | { outcome: 'failed'; message: string; code?: string; errstr?: string }) & { buffers?: BatchBuffers };

/** How many sets of batch buffers a thread keeps for reuse: one per batch in flight is plenty. */
const SPARE_BUFFERS = 4;

/** Numbers the statements of a batch (WriterThread: each SQL text is sent to the thread once). */
export interface StatementIds {
  statement(sql: string): { id: number; isNew: boolean };
}

export class WriterThread implements StatementIds {
  readonly #worker: Worker;
  /** Replies come back in the order the messages were sent. */
  readonly #waiting: Array<(reply: Reply) => void> = [];
  #exited: Error | undefined;
  /** Statement texts already sent, by id. */
  readonly #ids = new Map<string, number>();
  /** Buffers that batches' replies brought back. */
  readonly #spare: BatchBuffers[] = [];

  constructor(options: WriterThreadOptions) {
    this.#worker = new Worker(`${unpackBatch.toString()}\n(${writerThreadMain.toString()})()`, { eval: true, workerData: options });
    // Held only while it owes a reply, so an idle ledger does not keep the process alive.
    this.#worker.unref();
    this.#worker.on('message', (reply: Reply) => {
      if (reply.buffers && this.#spare.length < SPARE_BUFFERS) this.#spare.push(reply.buffers);
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

  /** A new batch's recording, packed into buffers an earlier batch brought back when there are any. */
  record(): RecordedWrites {
    return new RecordedWrites(this.#spare.pop());
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
    if (reply.outcome !== 'failed') return { outcome: reply.outcome } as BatchOutcome;
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
      this.#worker.postMessage(message, message.kind === 'batch' ? [message.statements.buffer, ...transferable(message.buffers)] : []);
    });
  }
}

function transferable({ tape, bigints, ascii, utf16 }: BatchBuffers): ArrayBuffer[] {
  return [tape.buffer, bigints.buffer, ascii.buffer, utf16.buffer];
}

/**
 * Reads a batch's statements back (see BatchMessage), each with its id, the rows it must change
 * (-1: unchecked) and its parameters. Runs on the writer thread, and so is self-contained.
 */
export function unpackBatch(message: BatchMessage, each: (id: number, expectChanges: number, params: SqlValue[]) => void): void {
  const { tape, bigints, ascii, utf16 } = message.buffers;
  // One string of all the ASCII texts and one of the others: each parameter is a slice of one.
  const asciiTexts = Buffer.from(ascii.buffer, 0, message.asciiLength).toString('latin1');
  const utf16Texts = message.utf16Length === 0 ? '' : Buffer.from(utf16.buffer, 0, message.utf16Length).toString('utf16le');
  let [at, asciiAt, utf16At] = [0, 0, 0];
  for (const id of message.statements) {
    const params: SqlValue[] = new Array(tape[at++]!);
    const expectChanges = tape[at++]!;
    for (let k = 0; k < params.length; k++, at += 2) {
      const kind = tape[at]!;
      const value = tape[at + 1]!;
      // PARAM: ascii 0, number 1, bigint 2, null 3, utf16 4.
      params[k] =
        kind === 0 ? asciiTexts.slice(asciiAt, (asciiAt += value)) : kind === 1 ? value : kind === 2 ? bigints[value]! : kind === 4 ? utf16Texts.slice(utf16At, (utf16At += value)) : null;
    }
    each(id, expectChanges, params);
  }
}

/** Runs on the writer thread. Self-contained (but for unpackBatch, sent with it): see the file's comment. */
function writerThreadMain(): void {
  const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
  const { statSync } = process.getBuiltinModule('node:fs');
  const options = workerData as WriterThreadOptions;
  const port = parentPort!;
  const db = new DatabaseSync(options.path);
  db.exec(`PRAGMA page_size = ${options.pageSize}; PRAGMA journal_mode = WAL; PRAGMA synchronous = ${options.durable ? 'FULL' : 'OFF'};
    PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -${options.cacheKib}; PRAGMA temp_store = MEMORY;
    PRAGMA journal_size_limit = ${options.walLimitBytes};`);
  // SQLite checkpoints (here, off the event loop) once the WAL holds this many pages.
  const walPages = Math.max(100, Math.floor(options.walLimitBytes / options.pageSize / 2));
  db.exec(`PRAGMA wal_autocheckpoint = ${walPages}`);
  const statements: StatementSync[] = [];
  const dataVersion = db.prepare('PRAGMA data_version');
  // data_version changes when another connection commits: the writer cache may then be out of date.
  let baseline = dataVersion.get()!.data_version;
  let poisoned = false;

  const write = (message: BatchMessage): Reply => {
    for (const sql of message.defs) statements.push(db.prepare(sql));
    if (poisoned) return { outcome: 'skipped' };
    db.exec('BEGIN IMMEDIATE');
    try {
      if (dataVersion.get()!.data_version !== baseline) {
        db.exec('ROLLBACK');
        poisoned = true;
        return { outcome: 'stale' };
      }
      unpackBatch(message, (id, expected, params) => {
        const changes = Number(statements[id]!.run(...params).changes);
        // Staged UPDATEs are of rows the writer cache holds (accounts, the chain head): as many as it said.
        if (expected >= 0 && changes !== expected) throw new Error(`a staged update changed ${changes} rows instead of ${expected}: the writer cache was out of date`);
      });
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
    if (message.kind === 'batch') {
      const { tape, bigints, ascii, utf16 } = message.buffers;
      return port.postMessage({ ...write(message), buffers: message.buffers }, [tape.buffer, bigints.buffer, ascii.buffer, utf16.buffer]);
    }
    if (message.kind === 'reset') {
      poisoned = false;
      baseline = dataVersion.get()!.data_version;
    } else {
      db.close();
    }
    port.postMessage({ outcome: 'done' });
  });
}
