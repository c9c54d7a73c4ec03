// In-process engine throughput: transfers submitted by many concurrent callers, committed in
// group-commit batches. Prints transfers/s and acknowledgement latency (p50/p99).
//   node bench/in-process.ts [--transfers 100000] [--concurrency 2000] [--storage file|memory]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openLedger } from '../src/ledger.ts';
import type { SqliteDatabase } from '../src/storage/sqlite/database.ts';

const { values } = parseArgs({
  options: {
    transfers: { type: 'string', default: '100000' },
    concurrency: { type: 'string', default: '2000' },
    accounts: { type: 'string', default: '1000' },
    storage: { type: 'string', default: 'file' },
  },
});
const transfers = Number(values.transfers);
const concurrency = Number(values.concurrency);
const accountCount = Number(values.accounts);

const dir = await mkdtemp(join(tmpdir(), 'finrail-bench-'));
const path = values.storage === 'memory' ? ':memory:' : join(dir, 'ledger.sqlite');
const ledger = await openLedger({ storage: 'sqlite', path });
try {
  await ledger.createAccount({ id: 'bank', currency: 'EUR', normalBalance: 'debit' });
  await Promise.all(
    Array.from({ length: accountCount }, (_, i) =>
      ledger.createAccount({ id: `acc.${i}`, currency: 'EUR', normalBalance: 'credit', flags: { debitsMustNotExceedCredits: true } }),
    ),
  );
  await Promise.all(
    Array.from({ length: accountCount }, (_, i) => ledger.transfer({ id: `fund.${i}`, debitAccountId: 'bank', creditAccountId: `acc.${i}`, amount: 1_000_000_000n, currency: 'EUR' })),
  );

  const latencies = new Float64Array(transfers);
  let next = 0;
  const stats = (ledger.store.database as SqliteDatabase).stats;
  const commitsBefore = stats.commits;
  const syncsBefore = stats.syncs;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const loopBefore = performance.eventLoopUtilization();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < transfers) {
        const n = next++;
        const from = n % accountCount;
        const to = (from + 1 + ((n * 7919) % (accountCount - 1))) % accountCount;
        const t0 = performance.now();
        await ledger.transfer({ id: `t.${n}`, debitAccountId: `acc.${from}`, creditAccountId: `acc.${to}`, amount: BigInt(1 + (n % 1000)), currency: 'EUR' });
        latencies[n] = performance.now() - t0;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const loop = performance.eventLoopUtilization(loopBefore);
  latencies.sort();
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(2);
  const commits = stats.commits - commitsBefore;
  console.log(`in-process ledger (${values.storage === 'memory' ? 'SQLite :memory:' : 'SQLite file, WAL, fsync before every acknowledgement'})`);
  console.log(`  ${transfers} transfers among ${accountCount} accounts, ${concurrency} concurrent callers`);
  console.log(`  ${Math.round(transfers / seconds).toLocaleString('en')} transfers/s   p50 ${at(0.5)} ms   p99 ${at(0.99)} ms`);
  console.log(`  CPU ${((cpu.user + cpu.system) / transfers).toFixed(1)} µs per transfer (user ${(cpu.user / 1e6).toFixed(2)} s, system ${(cpu.system / 1e6).toFixed(2)} s, all threads); event loop busy ${(loop.utilization * 100).toFixed(0)}%`);
  const syncs = stats.syncs - syncsBefore;
  console.log(`  ${commits} commits, ${(transfers / commits).toFixed(0)} transfers per commit, ${syncs} fsyncs`);
  const problems = await ledger.audit();
  console.log(`  audit: ${problems.length === 0 ? 'all invariants hold' : problems.slice(0, 5).join('; ')}`);
} finally {
  await ledger.close();
  await rm(dir, { recursive: true, force: true });
}
