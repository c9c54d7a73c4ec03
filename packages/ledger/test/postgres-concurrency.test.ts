// Two ledger processes (two pools) on one PostgreSQL database, moving money among 10 hot
// accounts at once: no lost update, no overdraft, one unbroken hash chain.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf } from '../src/core/balances.ts';
import { openLedger, type Ledger } from '../src/ledger.ts';
import { DATABASE_URL, dropSchema, freshSchemaName, storageTargets } from './support/storages.ts';

const WORKER = new URL('./fixtures/postgres-worker.ts', import.meta.url).pathname;
const skip = storageTargets.find((t) => t.name === 'postgres')!.skip;
const run = promisify(execFile);

describe.skipIf(skip)('PostgreSQL: two ledger processes on one database', () => {
  const schema = freshSchemaName();
  let ledger: Ledger;

  beforeAll(async () => {
    ledger = await openLedger({ storage: 'postgres', databaseUrl: DATABASE_URL!, schema });
    await ledger.createAccount({ id: 'bank', currency: 'EUR', normalBalance: 'debit' });
    for (let i = 0; i < 10; i++) {
      await ledger.createAccount({ id: `hot.${i}`, currency: 'EUR', normalBalance: 'credit', flags: { debitsMustNotExceedCredits: true } });
      await ledger.transfer({ id: `fund.${i}`, debitAccountId: 'bank', creditAccountId: `hot.${i}`, amount: 500n, currency: 'EUR' });
    }
  });

  afterAll(async () => {
    await ledger?.close();
    await dropSchema(schema);
  });

  it('keeps every invariant under concurrent load from both', async () => {
    const workers = ['p1', 'p2'].map((name) => run(process.execPath, [WORKER, DATABASE_URL!, schema, name, '250'], { timeout: 90_000 }));
    const summaries = (await Promise.all(workers)).map(({ stdout }) => JSON.parse(stdout) as Record<string, number>);
    console.log('[postgres concurrency] outcomes per process:', summaries);
    for (const summary of summaries) expect(summary.ok).toBeGreaterThan(50);

    expect(await ledger.audit()).toEqual([]);
    const accounts = await ledger.store.listAccounts();
    const wallets = accounts.filter((a) => a.id.startsWith('hot.'));
    for (const wallet of wallets) expect(balanceOf(wallet).available >= 0n, `${wallet.id} not overdrawn`).toBe(true);
    const total = wallets.reduce((sum, w) => sum + balanceOf(w).posted, 0n);
    expect(total).toBe(5_000n);
    const verification = await ledger.verifyChain();
    expect(verification.ok).toBe(true);
    // Every successful command appended exactly one entry (plus the 10 fundings).
    expect(verification.entries).toBe(10 + summaries.reduce((sum, s) => sum + s.ok!, 0));
  }, 120_000);
});
