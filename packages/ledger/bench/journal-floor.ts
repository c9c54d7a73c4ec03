// The baseline bench/in-process.ts measures the ledger against, in the same run: a bare
// hash-chained journal on one thread and nothing else (no accounts, balances, checks, cache or
// writer thread). Per transfer it builds the row's text, SHA-256s it after the previous hash and
// inserts the row with a prepared node:sqlite statement, a durable transaction (WAL,
// synchronous=FULL, 8 KiB pages, as the ledger's file) per 1,000 rows. It moves with the
// machine's speed as the ledger does, so the ledger's figure reads as a share of it in fast and
// slow phases alike.
import { hash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** Rows per second that the bare journal appends, `rows` of them, `perCommit` to a durable transaction. */
export async function journalFloor(rows: number, perCommit: number, inMemory: boolean): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'finrail-journal-floor-'));
  const db = new DatabaseSync(inMemory ? ':memory:' : join(dir, 'journal.sqlite'));
  try {
    db.exec(`PRAGMA page_size = 8192; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
      CREATE TABLE journal (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`);
    const insert = db.prepare('INSERT INTO journal (seq, id, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?)');
    let head = '0'.repeat(64);
    const started = performance.now();
    for (let seq = 1; seq <= rows; ) {
      db.exec('BEGIN IMMEDIATE');
      for (const end = Math.min(rows, seq + perCommit - 1); seq <= end; seq++) {
        const body = `["t.${seq}","acc.${seq % 1000}","acc.${(seq * 7919) % 1000}","${1 + (seq % 1000)}","EUR"]`;
        const next = hash('sha256', `${head}${body}`, 'hex');
        insert.run(seq, `t.${seq}`, body, head, next);
        head = next;
      }
      db.exec('COMMIT');
    }
    return rows / ((performance.now() - started) / 1000);
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
