// In-process engine throughput: transfers committed in group-commit batches, driven two ways on a
// fresh ledger each: many concurrent callers of transfer(), one transfer per call; and a few
// callers of transferBatch(), a batch of transfers per call (as TigerBeetle's clients submit them).
// Prints transfers/s, acknowledgement latency (p50/p99: of a call, or of a whole batch), CPU per
// transfer and the audit of the ledger afterwards.
//   node bench/in-process.ts [--transfers 100000] [--concurrency 2000] [--batch 1000] [--batch-callers 4]
//                            [--mode both|call|batch] [--storage file|memory] [--profile FILE] [--floor true|false]
// --profile CPU-profiles the measured window of the last mode run into FILE. Last, as the baseline of
// the same run, a bare hash-chained journal appends as many rows on one thread (bench/journal-floor.ts;
// --floor false skips it). Run under
// `node --max-semi-space-size=8` for the young generation the README recommends for the ledger in
// process (npm run bench runs the batches both ways, V8's default first as the baseline).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { TransferInput } from '../src/core/commands.ts';
import { openLedger, type Ledger } from '../src/ledger.ts';
import type { SqliteDatabase } from '../src/storage/sqlite/database.ts';
import { countGcPauses } from './gc-pauses.ts';
import { journalFloor } from './journal-floor.ts';
import { startableProfiler } from './profiler.ts';
import { cpuByThreadName, cpuSplit } from './thread-cpu.ts';

const { values } = parseArgs({
  options: {
    transfers: { type: 'string', default: '100000' },
    concurrency: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '1000' },
    'batch-callers': { type: 'string', default: '4' },
    accounts: { type: 'string', default: '1000' },
    mode: { type: 'string', default: 'both' },
    storage: { type: 'string', default: 'file' },
    profile: { type: 'string' },
    floor: { type: 'string', default: 'true' },
  },
});
const transfers = Number(values.transfers);
const accountCount = Number(values.accounts);
const inMemory = values.storage === 'memory';

/** The accounts' ids, made once: a client holds the ids of its accounts, it does not spell them anew for every transfer. */
const accountIds = Array.from({ length: accountCount }, (_, i) => `acc.${i}`);

/** The n-th transfer: from one funded account to another, spread over all of them. */
function nth(n: number): TransferInput {
  const from = n % accountCount;
  const to = (from + 1 + ((n * 7919) % (accountCount - 1))) % accountCount;
  return { id: `t.${n}`, debitAccountId: accountIds[from]!, creditAccountId: accountIds[to]!, amount: BigInt(1 + (n % 1000)), currency: 'EUR' };
}

/** Each caller takes the next transfer (or batch of transfers) once its previous one is acknowledged; returns each call's latency. */
async function perCall(ledger: Ledger, concurrency: number): Promise<Float64Array> {
  const latencies = new Float64Array(transfers);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < transfers) {
        const n = next++;
        const t0 = performance.now();
        await ledger.transfer(nth(n));
        latencies[n] = performance.now() - t0;
      }
    }),
  );
  return latencies;
}

async function batched(ledger: Ledger, size: number, callers: number): Promise<Float64Array> {
  const latencies = new Float64Array(Math.ceil(transfers / size));
  let next = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < transfers) {
        const first = next;
        next = Math.min(transfers, first + size);
        const inputs = Array.from({ length: next - first }, (_, k) => nth(first + k));
        const t0 = performance.now();
        const results = await ledger.transferBatch(inputs);
        latencies[first / size] = performance.now() - t0;
        const failed = results.find((result) => !result.ok);
        if (failed && !failed.ok) throw failed.error;
      }
    }),
  );
  return latencies;
}

/** Runs one mode on a fresh ledger and prints its figures; returns its transfers/s. */
async function run(mode: 'call' | 'batch'): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'finrail-bench-'));
  const ledger = await openLedger({ storage: 'sqlite', path: inMemory ? ':memory:' : join(dir, 'ledger.sqlite') });
  try {
    await ledger.createAccount({ id: 'bank', currency: 'EUR', normalBalance: 'debit' });
    await Promise.all(
      accountIds.map((id) =>
        ledger.createAccount({ id, currency: 'EUR', normalBalance: 'credit', flags: { debitsMustNotExceedCredits: true } }),
      ),
    );
    await Promise.all(
      accountIds.map((id) => ledger.transfer({ id: `fund.${id}`, debitAccountId: 'bank', creditAccountId: id, amount: 1_000_000_000n, currency: 'EUR' })),
    );

    const profiler = values.profile === undefined ? undefined : await startableProfiler(values.profile);
    await profiler?.toggle();
    const stats = (ledger.store.database as SqliteDatabase).stats;
    const before = { ...stats };
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const threadsBefore = cpuByThreadName();
    const threadBefore = process.threadCpuUsage();
    const loopBefore = performance.eventLoopUtilization();
    const gcPauses = countGcPauses();
    const concurrency = Number(values.concurrency);
    const [size, callers] = [Number(values.batch), Number(values['batch-callers'])];
    const latencies = mode === 'call' ? await perCall(ledger, concurrency) : await batched(ledger, size, callers);
    const seconds = (performance.now() - started) / 1000;
    await profiler?.toggle();
    const cpu = process.cpuUsage(cpuBefore);
    const split = cpuSplit(threadsBefore, cpuByThreadName(), transfers);
    const thread = process.threadCpuUsage(threadBefore);
    const loop = performance.eventLoopUtilization(loopBefore);
    const gc = await gcPauses.stop();
    latencies.sort();
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(2);
    const commits = stats.commits - before.commits;
    console.log(
      mode === 'call'
        ? `transfer(): ${transfers} transfers among ${accountCount} accounts, ${concurrency} concurrent callers, one transfer per call`
        : `transferBatch(): ${transfers} transfers among ${accountCount} accounts, ${callers} concurrent callers, ${size} transfers per call`,
    );
    console.log(`  ${Math.round(transfers / seconds).toLocaleString('en')} transfers/s   acknowledgement of a ${mode === 'call' ? 'call' : 'batch'}: p50 ${at(0.5)} ms   p99 ${at(0.99)} ms`);
    console.log(`  CPU ${((cpu.user + cpu.system) / transfers).toFixed(1)} µs per transfer (user ${(cpu.user / 1e6).toFixed(2)} s, system ${(cpu.system / 1e6).toFixed(2)} s, all threads), ${((thread.user + thread.system) / transfers).toFixed(1)} µs of it on the event loop's thread (busy ${(loop.utilization * 100).toFixed(0)}%)`);
    // MainThread: the event loop; WorkerThread: the SQLite writer; V8Worker: V8's GC and compiler helpers.
    if (split) console.log(`  by thread, µs per transfer: ${split}`);
    console.log(`  GC pauses on the event loop: ${((gc.ms * 1000) / transfers).toFixed(1)} µs per transfer (${gc.count} pauses)`);
    console.log(`  ${commits} commits (each fsync'd), ${(transfers / commits).toFixed(0)} transfers per commit`);
    const problems = await ledger.audit();
    console.log(`  audit: ${problems.length === 0 ? 'all invariants hold' : problems.slice(0, 5).join('; ')}`);
    return transfers / seconds;
  } finally {
    await ledger.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The V8 young-generation setting this process runs with (npm run bench runs the batches with both). */
const youngGeneration = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].find((flag) => flag.startsWith('--max-semi-space-size')) ?? "V8's default young generation";
console.log(`in-process ledger (${inMemory ? 'SQLite :memory:' : 'SQLite file, WAL, fsync before every acknowledgement'}; ${youngGeneration})`);
const perSecond = new Map<string, number>();
if (values.mode !== 'batch') perSecond.set('transfer()', await run('call'));
if (values.mode !== 'call') perSecond.set('transferBatch()', await run('batch'));
if (values.floor !== 'false') {
  const floor = await journalFloor(transfers, Number(values.batch), inMemory);
  console.log(`Baseline, same run: a bare hash-chained journal on one thread (SHA-256 then a node:sqlite INSERT per row, ${values.batch} rows per durable transaction)`);
  const shares = [...perSecond].map(([name, rate]) => `${name} ran at ${((100 * rate) / floor).toFixed(0)}% of it`).join(', ');
  console.log(`  ${Math.round(floor).toLocaleString('en')} rows/s: ${shares}`);
}
