// SQLite specifics: one writer thread, group commit of staged commands, durable acknowledgements.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { balanceOf } from '../src/core/balances.ts';
import * as commands from '../src/core/commands.ts';
import { openLedger, type Ledger } from '../src/ledger.ts';
import type { SqliteDatabase } from '../src/storage/sqlite/database.ts';
import type { SqlValue } from '../src/storage/sql-database.ts';
import { RecordedWrites, unpackBatch, WriterThread } from '../src/storage/sqlite/writer-thread.ts';

describe('SQLite group commit', () => {
  let dir: string;
  let ledger: Ledger;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'finrail-ledger-'));
    ledger = await openLedger({ storage: 'sqlite', path: join(dir, 'ledger.sqlite') });
    await ledger.createAccount({ id: 'bank', currency: 'EUR', normalBalance: 'debit' });
    await ledger.createAccount({ id: 'alice', currency: 'EUR', normalBalance: 'credit', flags: { debitsMustNotExceedCredits: true } });
    await ledger.createAccount({ id: 'bob', currency: 'EUR', normalBalance: 'credit' });
    await ledger.transfer({ id: 'fund', debitAccountId: 'bank', creditAccountId: 'alice', amount: 100n, currency: 'EUR' });
  });

  afterEach(async () => {
    await ledger.close();
    await rm(dir, { recursive: true, force: true });
  });

  const database = () => ledger.store.database as SqliteDatabase;

  it('commits concurrent commands together, and a failing one does not poison its batch', async () => {
    const before = { ...database().stats };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        // Every 10th transfer asks for more than alice has and must fail alone.
        ledger.transfer({ id: `t${i}`, debitAccountId: 'alice', creditAccountId: 'bob', amount: i % 10 === 5 ? 1_000n : 1n, currency: 'EUR' }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(10);
    expect(database().stats.transactions - before.transactions).toBe(100);
    expect(database().stats.commits - before.commits).toBeLessThan(10);
    expect(await ledger.balance('bob')).toMatchObject({ posted: 90n });
    expect(await ledger.audit()).toEqual([]);
  });

  it('rolls back only the writes of the direct transaction that threw, even mid-way, and commits the others together', async () => {
    const sql = database();
    const before = { ...sql.stats };
    const results = await Promise.allSettled([
      sql.transaction((tx) => tx.run("UPDATE accounts SET metadata = '{\"a\":1}' WHERE id = 'bob'")),
      sql.transaction(async (tx) => {
        await tx.run("UPDATE accounts SET metadata = '{\"b\":1}' WHERE id = 'alice'");
        throw new Error('boom');
      }),
      sql.transaction((tx) => tx.run("UPDATE accounts SET metadata = '{\"c\":1}' WHERE id = 'bank'")),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(sql.stats.commits - before.commits).toBe(1);
    expect((await ledger.getAccount('bob'))!.metadata).toEqual({ a: 1 });
    expect((await ledger.getAccount('alice'))!.metadata).toEqual({});
    expect((await ledger.getAccount('bank'))!.metadata).toEqual({ c: 1 });
  });

  it('acknowledges a transfer only once another connection can read it from disk', async () => {
    await ledger.transfer({ id: 'durable', debitAccountId: 'alice', creditAccountId: 'bob', amount: 1n, currency: 'EUR' });
    const other = new DatabaseSync(join(dir, 'ledger.sqlite'), { readOnly: true });
    try {
      expect(other.prepare("SELECT id FROM entries WHERE id = 'durable'").get()).toEqual({ id: 'durable' });
      expect(other.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    } finally {
      other.close();
    }
  });

  // The single writer keeps balances and the chain head in memory and writes the batch's journal
  // just before COMMIT (storage/writer-cache.ts). These check that the cache never drifts from
  // the database.
  const transfer = (id: string, amount = 1n) => ledger.transfer({ id, debitAccountId: 'alice', creditAccountId: 'bob', amount, currency: 'EUR' });

  it('drops the staged entry and balances of a command that throws after moving money, alone', async () => {
    const before = { ...database().stats };
    const outcomes = await Promise.allSettled([
      transfer('first'),
      ledger.transaction(async (tx, now) => {
        await commands.transfer(tx, { id: 'doomed', debitAccountId: 'alice', creditAccountId: 'bob', amount: 50n, currency: 'EUR' }, now);
        throw new Error('boom after the entry was staged');
      }),
      transfer('second'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(database().stats.commits - before.commits).toBe(1);
    expect(await ledger.getEntry('doomed')).toBeUndefined();
    expect((await ledger.getEntry('second'))!.seq).toBe((await ledger.getEntry('first'))!.seq + 1);
    expect(await ledger.balance('alice')).toMatchObject({ posted: 98n });
    expect(await ledger.verifyChain()).toMatchObject({ ok: true, entries: 3 });
    expect(await ledger.audit()).toEqual([]);
  });

  it('starts from the balances and chain head on disk after a restart', async () => {
    await transfer('before-restart', 10n);
    await ledger.close();
    ledger = await openLedger({ storage: 'sqlite', path: join(dir, 'ledger.sqlite') });
    await transfer('after-restart', 5n);
    expect(await ledger.balance('alice')).toMatchObject({ posted: 85n });
    expect(await ledger.verifyChain()).toMatchObject({ ok: true, entries: 3 });
    expect(await ledger.audit()).toEqual([]);
  });

  it('reloads what it cached when another connection has written to the file', async () => {
    await transfer('mine-1');
    const other = await openLedger({ storage: 'sqlite', path: join(dir, 'ledger.sqlite') });
    try {
      await other.transfer({ id: 'theirs', debitAccountId: 'alice', creditAccountId: 'bob', amount: 7n, currency: 'EUR' });
    } finally {
      await other.close();
    }
    await transfer('mine-2');
    expect(await ledger.balance('alice')).toMatchObject({ posted: 91n });
    expect(await ledger.verifyChain()).toMatchObject({ ok: true, entries: 4 });
    expect(await ledger.audit()).toEqual([]);
  });

  it('shows a document staged by an earlier command of the batch, and drops those of a command that throws', async () => {
    const before = { ...database().stats };
    const put = (id: string, body: unknown, fail = false) =>
      ledger.transaction(async (tx, now) => {
        await tx.putDocument({ kind: 'note', id, parentId: null, body, now });
        await tx.insertEvents([{ id: `evt.${id}.${JSON.stringify(body)}`, type: 'note.written', data: body }], now);
        await tx.saveResponse({ scope: 's', key: `${id}.${JSON.stringify(body)}`, requestHash: 'h', response: { status: 201, headers: {}, body: '{}' }, expiresAt: now + 1000 });
        if (fail) throw new Error('boom after staging');
        return tx.getDocument<{ v: number }>('note', id);
      });
    const outcomes = await Promise.allSettled([
      put('a', { v: 1 }),
      put('a', { v: 2 }),
      put('a', { v: 3 }, true),
      ledger.transaction((tx) => tx.getDocument<{ v: number }>('note', 'a')),
    ]);
    expect(database().stats.commits - before.commits).toBe(1);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'rejected'))).toEqual([{ v: 1 }, { v: 2 }, 'rejected', { v: 2 }]);
    expect(await ledger.store.getDocument('note', 'a')).toEqual({ v: 2 });
    const other = new DatabaseSync(join(dir, 'ledger.sqlite'), { readOnly: true });
    try {
      expect(other.prepare("SELECT id FROM outbox_events WHERE type = 'note.written' ORDER BY seq").all().map((row) => row.id)).toEqual(['evt.a.{"v":1}', 'evt.a.{"v":2}']);
      expect(other.prepare("SELECT key FROM idempotency_keys WHERE scope = 's' ORDER BY key").all().map((row) => row.key)).toEqual(['a.{"v":1}', 'a.{"v":2}']);
    } finally {
      other.close();
    }
  });

  it('answers a command only after its batch has been committed (and fsync\'d) by the writer thread', async () => {
    const before = { ...database().stats };
    // The number of commits completed at the moment each acknowledgement arrives.
    const seen = await Promise.all([transfer('synced-1'), transfer('synced-2')].map((done) => done.then(() => database().stats.commits)));
    expect(seen.every((commits) => commits > before.commits)).toBe(true);
  });

  it('runs a transfer batch as one job of the group commit and answers once it is on disk', async () => {
    const before = { ...database().stats };
    const inputs = Array.from({ length: 50 }, (_, i) => ({ id: `b${i}`, debitAccountId: 'alice', creditAccountId: 'bob', amount: i === 7 ? 1_000n : 1n, currency: 'EUR' }));
    const results = await ledger.transferBatch(inputs);
    const commits = database().stats.commits;
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(['insufficient_funds']);
    expect(database().stats.transactions - before.transactions).toBe(1);
    expect(commits).toBeGreaterThan(before.commits);
    const other = new DatabaseSync(join(dir, 'ledger.sqlite'), { readOnly: true });
    try {
      expect(other.prepare("SELECT count(*) AS n FROM entries WHERE id LIKE 'b%'").get()).toEqual({ n: 49 });
    } finally {
      other.close();
    }
    expect(await ledger.balance('alice')).toMatchObject({ posted: 51n });
  });

  /**
   * A ledger with one command per batch (so the commands after a refused one travel in batches of
   * their own, sent while it is still being written), alice funded with 100, and a trigger that
   * makes the database refuse the entry 'doomed'.
   */
  async function withRefusingLedger(test: (single: Ledger) => Promise<void>): Promise<void> {
    const single = await openLedger({ storage: 'sqlite', path: join(dir, 'refusing.sqlite'), maxBatchSize: 1 });
    try {
      await single.createAccount({ id: 'bank', currency: 'EUR', normalBalance: 'debit' });
      await single.createAccount({ id: 'alice', currency: 'EUR', normalBalance: 'credit', flags: { debitsMustNotExceedCredits: true } });
      await single.transfer({ id: 'fund', debitAccountId: 'bank', creditAccountId: 'alice', amount: 100n, currency: 'EUR' });
      await single.store.database.transaction((sql) =>
        sql.run("CREATE TRIGGER refuse_doomed BEFORE INSERT ON entries WHEN NEW.id = 'doomed' BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END"),
      );
      await test(single);
      expect(await single.getEntry('doomed')).toBeUndefined();
      expect(await single.audit()).toEqual([]);
    } finally {
      await single.close();
    }
  }

  it('fails the batch the database refuses, runs the batches built on it again from fresh state, and carries on', () =>
    withRefusingLedger(async (single) => {
      const move = (id: string, amount: bigint) => single.transfer({ id, debitAccountId: 'alice', creditAccountId: 'bank', amount, currency: 'EUR' });
      const outcomes = await Promise.allSettled([move('doomed', 60n), ...Array.from({ length: 8 }, (_, i) => move(`after-${i}`, 10n))]);
      expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: { message: expect.stringContaining('refused by a trigger') } });
      // Built on a balance that counted the doomed 60, they would have been refused past 40; run
      // again from what is on disk, all eight fit.
      expect(outcomes.slice(1).map((o) => o.status)).toEqual(Array(8).fill('fulfilled'));
      expect(await single.balance('alice')).toMatchObject({ posted: 20n });
      expect(await single.verifyChain()).toMatchObject({ ok: true, entries: 9 });
    }));

  it('runs a batch again when the batch before it fails while it is being built', () =>
    withRefusingLedger(async (single) => {
      let runs = 0;
      const doomed = single.transfer({ id: 'doomed', debitAccountId: 'alice', creditAccountId: 'bank', amount: 60n, currency: 'EUR' });
      // Still running (on a cache that counts the doomed 60) when the refusal comes back.
      const slow = single.transaction(async (tx, now) => {
        runs += 1;
        const { posted } = balanceOf((await tx.lockAccounts(['alice'])).get('alice')!);
        await new Promise((resolve) => setTimeout(resolve, 200));
        return { posted, entry: await commands.transfer(tx, { id: 'slow', debitAccountId: 'alice', creditAccountId: 'bank', amount: 50n, currency: 'EUR' }, now) };
      });
      await expect(doomed).rejects.toThrow('refused by a trigger');
      expect(await slow).toMatchObject({ posted: 100n, entry: { id: 'slow' } });
      expect(runs).toBe(2);
      expect(await single.balance('alice')).toMatchObject({ posted: 50n });
      expect(await single.verifyChain()).toMatchObject({ ok: true, entries: 2 });
    }));

  it('fails every batch, and says so, once the writer thread is gone', async () => {
    const thread = new WriterThread({ path: join(dir, 'ledger.sqlite'), durable: true, pageSize: 8192, cacheKib: 2048, walLimitBytes: 1 << 20 });
    expect(await thread.write(new RecordedWrites().message(thread))).toMatchObject({ outcome: 'committed' });
    expect(thread.lost).toBeUndefined();
    await thread.close();
    expect(thread.lost).toBeInstanceOf(Error);
    expect(await thread.write(new RecordedWrites().message(thread))).toMatchObject({ outcome: 'failed', error: { message: expect.stringContaining('writer thread exited') } });
  });

  /** A writer thread on a new file of `dir` whose schema (and rows) `setup` makes first. */
  const writerThreadOn = (file: string, setup: string) => {
    const path = join(dir, file);
    const db = new DatabaseSync(path);
    db.exec(setup);
    db.close();
    return { path, thread: new WriterThread({ path, durable: true, pageSize: 8192, cacheKib: 2048, walLimitBytes: 1 << 20 }) };
  };

  /** What `read` finds in the file, opened read-only. */
  const readBack = <T>(path: string, read: (db: DatabaseSync) => T): T => {
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  };

  it('hands every kind of parameter to the writer thread intact', async () => {
    const { path, thread } = writerThreadOn('packed.sqlite', 'CREATE TABLE packed (n INTEGER PRIMARY KEY, a, b, c, d)');
    const rows: SqlValue[][] = [
      ['', 0, 0n, null],
      ['plain ascii', -1.5, -(2n ** 63n), 'after a null'],
      ['€ and 🦆, then a "quote"\u0000 and a NUL', Number.MAX_SAFE_INTEGER, 2n ** 63n - 1n, 1_765_000_000_000],
    ];
    const writes = new RecordedWrites();
    for (const [n, row] of rows.entries()) await writes.run('INSERT INTO packed (n, a, b, c, d) VALUES (?, ?, ?, ?, ?)', [n, ...row]);
    expect(await thread.write(writes.message(thread))).toMatchObject({ outcome: 'committed' });
    await thread.close();
    const stored = readBack(path, (db) => {
      const read = db.prepare('SELECT a, b, c, d FROM packed ORDER BY n');
      read.setReadBigInts(true);
      return read.all().map((row) => Object.values(row));
    });
    // node:sqlite binds every number as a REAL, so untyped columns give back numbers.
    expect(stored).toEqual(rows);
  });

  it('packs and unpacks parameters exactly, whatever their text (ASCII, other text, lone surrogates)', () => {
    const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
    // Short texts and long ones are copied differently (writeAscii's SHORT_TEXT): both, of every kind.
    const anyText = fc.oneof(
      ...[{ maxLength: 16 }, { minLength: 17, maxLength: 80 }].flatMap((length) => [fc.string(length), fc.string({ ...length, unit: anyCodeUnit }), fc.string({ ...length, unit: 'grapheme' })]),
    );
    const param = fc.oneof(anyText, fc.double(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.constant(null));
    const statements = fc.array(fc.record({ sql: fc.constantFrom('A', 'B', 'C'), params: fc.array(param, { maxLength: 6 }), expect: fc.option(fc.nat(), { nil: undefined }) }), { maxLength: 40 });
    fc.assert(
      fc.property(statements, (recorded) => {
        const writes = new RecordedWrites();
        for (const { sql, params, expect: changes } of recorded) void writes.run(sql, params, changes);
        const ids = new Map<string, number>();
        const message = writes.message({ statement: (sql) => ({ id: ids.get(sql) ?? ids.set(sql, ids.size).get(sql)!, isNew: false }) });
        const unpacked: Array<{ sql: string; params: SqlValue[]; expect: number | undefined }> = [];
        const sqlOf = [...ids.keys()];
        unpackBatch(message, (id, changes, params) => unpacked.push({ sql: sqlOf[id]!, params, expect: changes === -1 ? undefined : changes }));
        expect(unpacked).toEqual(recorded);
      }),
      { numRuns: 300 },
    );
  });

  it('packs later batches into the buffers earlier ones brought back', async () => {
    const { thread } = writerThreadOn('recycled.sqlite', 'CREATE TABLE t (a)');
    const big = new RecordedWrites();
    // Past every buffer's first size: the tape, the bigints, the ASCII and the other texts.
    for (let i = 0; i < 2000; i++) await big.run('INSERT INTO t (a) VALUES (?), (?), (?)', ['x'.repeat(100), BigInt(i), `é${i}`]);
    const sent = big.message(thread);
    const grownTo = { tape: sent.buffers.tape.length, bigints: sent.buffers.bigints.length, ascii: sent.buffers.ascii.length, utf16: sent.buffers.utf16.length };
    expect(await thread.write(sent)).toMatchObject({ outcome: 'committed' });
    const next = thread.record().message(thread).buffers;
    expect({ tape: next.tape.length, bigints: next.bigints.length, ascii: next.ascii.length, utf16: next.utf16.length }).toEqual(grownTo);
    expect(new RecordedWrites().message(thread).buffers.ascii.length).toBeLessThan(grownTo.ascii);
    await thread.close();
  });

  it('fails a batch whose update changes another number of rows than it was recorded to', async () => {
    const { path, thread } = writerThreadOn('expect.sqlite', "CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER); INSERT INTO t VALUES ('a', 0), ('b', 0)");
    const matching = new RecordedWrites();
    expect(await matching.run("UPDATE t SET n = n + 1 WHERE id IN ('a', 'b')", [], 2)).toBe(2);
    expect(await thread.write(matching.message(thread))).toMatchObject({ outcome: 'committed' });
    await thread.reset();
    const stale = new RecordedWrites();
    await stale.run("UPDATE t SET n = n + 1 WHERE id = 'a'", []);
    await stale.run("UPDATE t SET n = n + 1 WHERE id IN ('b', 'gone')", [], 2);
    expect(await thread.write(stale.message(thread))).toMatchObject({ outcome: 'failed', error: { message: expect.stringContaining('changed 1 rows instead of 2') } });
    await thread.close();
    // The failed batch left nothing: its first update, which matched, was rolled back with it.
    expect(readBack(path, (db) => db.prepare('SELECT id, n FROM t ORDER BY id').all().map((row) => [row.id, row.n]))).toEqual([['a', 1], ['b', 1]]);
  });

  it('creates new files with 8 KiB pages and leaves an existing file its own page size', async () => {
    const pageSize = (path: string) => readBack(path, (db) => db.prepare('PRAGMA page_size').get()!.page_size);
    expect(pageSize(join(dir, 'ledger.sqlite'))).toBe(8192);
    const oldPath = join(dir, 'old.sqlite');
    const old = new DatabaseSync(oldPath);
    old.exec('PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t (x)');
    old.close();
    const reopened = await openLedger({ storage: 'sqlite', path: oldPath });
    try {
      await reopened.createAccount({ id: 'bank', currency: 'EUR', normalBalance: 'debit' });
      expect(pageSize(oldPath)).toBe(4096);
    } finally {
      await reopened.close();
    }
  });

  it('keeps the WAL bounded: past walRestartBytes it is checkpointed and truncated', async () => {
    const path = join(dir, 'small-wal.sqlite');
    const small = await openLedger({ storage: 'sqlite', path, walRestartBytes: 256 * 1024 });
    try {
      await small.createAccount({ id: 'bank', currency: 'EUR', normalBalance: 'debit' });
      await small.createAccount({ id: 'alice', currency: 'EUR', normalBalance: 'credit' });
      for (let round = 0; round < 120; round++) {
        await Promise.all(Array.from({ length: 200 }, (_, i) => small.transfer({ id: `w${round}.${i}`, debitAccountId: 'bank', creditAccountId: 'alice', amount: 1n, currency: 'EUR' })));
      }
      // The same run with the default limit grows the WAL past 7 MB.
      expect(statSync(`${path}-wal`).size).toBeLessThan(2 * 1024 * 1024);
      expect(await small.balance('alice')).toMatchObject({ posted: 24000n });
      expect(await small.verifyChain()).toMatchObject({ ok: true, entries: 24000 });
      expect(await small.audit()).toEqual([]);
    } finally {
      await small.close();
    }
    // What the checkpoints copied back is all there for a fresh connection.
    const reopened = await openLedger({ storage: 'sqlite', path });
    try {
      expect(await reopened.verifyChain()).toMatchObject({ ok: true, entries: 24000 });
    } finally {
      await reopened.close();
    }
  });

  it('remembers the documents it read or wrote, keeps them up to date, and forgets them when another connection writes', async () => {
    // Count the document reads of staged commands that reach SQLite.
    let reads = 0;
    const sqlite = database();
    const stagedTransaction = sqlite.stagedTransaction.bind(sqlite);
    sqlite.stagedTransaction = (work, weight) =>
      stagedTransaction((sql) => work({ ...sql, all: (text, params) => ((reads += /FROM api_documents/.test(text) ? 1 : 0), sql.all(text, params)) }), weight);
    const get = () => ledger.transaction((tx) => tx.getDocument<{ v: number }>('wallet', 'w1'));
    const put = (v: number) => ledger.transaction((tx, now) => tx.putDocument({ kind: 'wallet', id: 'w1', parentId: null, body: { v }, now }));

    await put(1);
    expect(await get()).toEqual({ v: 1 });
    expect(reads).toBe(1); // written but never read yet: read once, then remembered
    expect(await get()).toEqual({ v: 1 });
    await put(2);
    expect(await get()).toEqual({ v: 2 });
    expect(reads).toBe(1);
    // Reads share one value, parsed once and frozen: no reader can change what another reads.
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).toBe(b);
    expect(() => Object.assign(a!, { v: 9 })).toThrow(TypeError);
    expect(await get()).toEqual({ v: 2 });

    const other = new DatabaseSync(join(dir, 'ledger.sqlite'));
    try {
      other.exec('PRAGMA busy_timeout = 5000');
      other.prepare("UPDATE api_documents SET body = '{\"v\":3}' WHERE kind = 'wallet' AND id = 'w1'").run();
    } finally {
      other.close();
    }
    expect(await get()).toEqual({ v: 3 });
    expect(reads).toBe(2);
  });

  it('stores the response of a resource written as a document as the very text of the document', async () => {
    const { encodedJson } = await import('../src/core/canonical.ts');
    const resource = { id: 'r1', amount: { amount: 5, currency: 'EUR' } };
    const text = encodedJson(resource);
    expect(text).toBe(JSON.stringify(resource));
    expect(encodedJson(resource)).toBe(text);
    expect(encodedJson({ ...resource })).toBe(text);
    expect(encodedJson(null)).toBe('null');
  });

  it('audits as of one point of the journal while transfers keep landing', async () => {
    // A transfer lands after the audit has read the accounts and before it reads the journal.
    const readJournal = ledger.store.readJournal.bind(ledger.store);
    let landed = 0;
    ledger.store.readJournal = async function* (...args) {
      await transfer(`lands-meanwhile-${landed++}`);
      yield* readJournal(...args);
    };
    expect(await ledger.audit()).toEqual([]);
    expect(landed).toBe(1);
    expect(await ledger.balance('bob')).toMatchObject({ posted: 1n });
  });
});
