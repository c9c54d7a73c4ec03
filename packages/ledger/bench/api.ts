// The wallets API's createTransfer in process: its handler called directly, as the router would
// after validation, by --clients concurrent callers on a SQLite file (every transfer durable before
// its call returns), among 100 wallets, each call with a fresh idempotency key. The same work as
// an HTTP transfer without HTTP (no sockets, parsing or load generator), so its CPU per transfer
// by thread is steadier than bench/http.ts's: the way to compare two trees' API paths, in
// alternating runs. It also prints the bytes written to disk per transfer (WAL and checkpoints),
// which hardly depends on the machine's speed. --wal-pages turns checkpoints off for the run and
// prints the WAL frames a commit wrote by b-tree (bench/wal-pages.ts).
//   node --conditions=source bench/api.ts [--duration 5] [--clients 50] [--profile FILE] [--wal-pages]
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { SerializedJson } from '@finrail/server';
import { createWalletHandlers } from '../src/api/wallets/handlers.ts';
import { openLedger } from '../src/ledger.ts';
import type { SqliteDatabase } from '../src/storage/sqlite/database.ts';
import { startableProfiler } from './profiler.ts';
import { walFramesByTree, walLength } from './wal-pages.ts';
import { cpuByThreadName, cpuSplit } from './thread-cpu.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    clients: { type: 'string', default: '50' },
    profile: { type: 'string' },
    'wal-pages': { type: 'boolean', default: false },
  },
});
const seconds = Number(values.duration);
const dir = await mkdtemp(join(tmpdir(), 'finrail-api-bench-'));
const path = join(dir, 'ledger.sqlite');
// With --wal-pages, a WAL limit no run reaches: no checkpoint starts the WAL over while it is read.
const ledger = await openLedger({ storage: 'sqlite', path, ...(values['wal-pages'] && { walRestartBytes: 2 ** 40 }) });
const handlers = createWalletHandlers(ledger);
// What the router hands a handler: the validated body, the token's subject, the request's headers.
const input = <Body>(path: string, body: Body) => ({
  auth: { subject: 'bench-client' },
  headers: { 'Idempotency-Key': randomUUID() },
  request: { method: 'POST', path },
  body,
});
type Input<Name extends keyof typeof handlers> = Parameters<(typeof handlers)[Name]>[0];

const wallets: string[] = [];
for (let i = 0; i < 100; i++) {
  const created = await handlers.createWallet(input('/wallets', { currency: 'EUR', owner_reference: `bench-${i}` }) as Input<'createWallet'>);
  // Created resources come back as the JSON text stored with their idempotency key.
  const { id } = JSON.parse((created.body as unknown as SerializedJson).text) as { id: string };
  const topUp = { ...input(`/wallets/${id}/top-ups`, { amount: { amount: 1_000_000_000, currency: 'EUR' }, funding_reference: 'bench' }), params: { walletId: id } };
  await handlers.createTopUp(topUp as Input<'createTopUp'>);
  wallets.push(id);
}

/** Bytes this process has had written to storage so far (Linux's /proc; elsewhere undefined). */
function bytesWritten(): number | undefined {
  try {
    return Number(/^write_bytes: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
}

const profiler = values.profile === undefined ? undefined : await startableProfiler(values.profile);
let started = 0;
let done = 0;
const end = performance.now() + seconds * 1000;
const before = cpuByThreadName();
const writtenBefore = bytesWritten();
const walBefore = walLength(path);
const database = ledger.store.database as SqliteDatabase;
const commitsBefore = database.stats.commits;
await profiler?.toggle();
await Promise.all(
  Array.from({ length: Number(values.clients) }, async () => {
    while (performance.now() < end) {
      const i = started++;
      const from = wallets[i % wallets.length]!;
      const to = wallets[(i * 7 + 1) % wallets.length]!;
      const body = { source_wallet_id: from, destination_wallet_id: from === to ? wallets[(i + 1) % wallets.length]! : to, amount: { amount: 1 + (i % 100), currency: 'EUR' } };
      await handlers.createTransfer(input('/transfers', body) as Input<'createTransfer'>);
      done++;
    }
  }),
);
await profiler?.toggle();
const after = cpuByThreadName();
const written = bytesWritten();
console.log(`API transfers in process (createTransfer called directly, SQLite file, every transfer durable), ${values.clients} callers, ${seconds} s`);
console.log(`  ${Math.round(done / seconds).toLocaleString('en')} transfers/s`);
console.log(`  CPU by thread, µs per transfer: ${cpuSplit(before, after, done)}`);
if (written !== undefined && writtenBefore !== undefined) console.log(`  ${((written - writtenBefore) / done / 1024).toFixed(1)} KiB written to disk per transfer (${values['wal-pages'] ? 'WAL only: no checkpoints' : 'WAL, checkpoints'})`);
if (values['wal-pages']) {
  const commits = database.stats.commits - commitsBefore;
  const byTree = walFramesByTree(path, walBefore);
  const frames = byTree.reduce((sum, [, count]) => sum + count, 0);
  console.log(`  WAL: ${(frames / commits).toFixed(1)} frames per commit (${(done / commits).toFixed(1)} transfers per commit), by b-tree:`);
  for (const [tree, count] of byTree.filter(([, count]) => count / commits >= 0.1)) console.log(`    ${(count / commits).toFixed(1).padStart(6)}  ${tree}`);
}
const problems = await ledger.audit();
console.log(`  audit: ${problems.length === 0 ? 'all invariants hold' : problems.slice(0, 5).join('; ')}`);
await ledger.close();
await rm(dir, { recursive: true, force: true });
