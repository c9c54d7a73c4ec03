// Durable transfers over HTTP: the sandbox on a SQLite file (WAL, every batch fsync'd before it is
// acknowledged, group commit),
// autocannon with 50 connections POSTing /transfers with fresh idempotency keys among 100 wallets.
// The sandbox runs in a child process (--server child, the default) or in this one (--server
// same, load generator and server on one event loop).
// With the server in its own process, --profile FILE writes a CPU profile of it over the measured
// window, and --access-log has it log every request as the CLI's sandbox does (output discarded).
// Then, as the baseline of the same run, the same requests for --floor-duration seconds against a
// bare node:http server (bench/http-floor-server.ts; 0 skips it): the most this machine gives any
// Node HTTP API right now, so the sandbox's figure reads as a share of it in fast and slow phases alike.
//   node --conditions=source bench/http.ts [--duration 10] [--connections 50] [--server child|same] [--profile FILE] [--access-log] [--floor-duration 5]
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createSandbox } from '../src/sandbox/sandbox.ts';
import { cpuByThreadName, cpuSplit } from './thread-cpu.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    server: { type: 'string', default: 'child' },
    profile: { type: 'string' },
    'access-log': { type: 'boolean', default: false },
    'floor-duration': { type: 'string', default: '5' },
  },
});
const dir = await mkdtemp(join(tmpdir(), 'finrail-http-bench-'));
const path = join(dir, 'ledger.sqlite');

interface Measure {
  cpu: NodeJS.CpuUsage;
  /** The event loop's thread alone. */
  thread: NodeJS.CpuUsage;
  /** The server's event loop (cumulative; the difference of two gives the share it was busy). */
  loop: EventLoopUtilization;
  stats: { commits: number; transactions: number };
  /** Microseconds of CPU so far by thread name (cpuByThreadName, as entries: it crosses IPC). */
  threads: Array<[string, number]>;
}

/** The server under test, wherever it runs. */
interface Target {
  url: string;
  client: { clientId: string; clientSecret: string };
  measure(): Promise<Measure>;
  /** Audits the ledger, then stops the server. */
  close(): Promise<string[]>;
}

/** The next message a child process sends over IPC (it rejects if the child cannot be started). */
function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise<T>((resolve, reject) => (child.once('message', (message) => resolve(message as T)), child.once('error', reject)));
}

function exited(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve) => child.once('exit', resolve));
}

async function childTarget(): Promise<Target> {
  const args = [path, ...(values.profile === undefined ? [] : ['--profile', values.profile]), ...(values['access-log'] ? ['--access-log'] : [])];
  const child: ChildProcess = fork(new URL('./http-server.ts', import.meta.url), args, {
    execArgv: ['--conditions=source'],
    stdio: ['ignore', values['access-log'] ? 'ignore' : 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>() => nextMessage<T>(child);
  const { url, client } = await next<{ url: string; client: Target['client'] }>();
  return {
    url,
    client,
    measure: async () => (child.send({ command: 'measure' }), next<Measure>()),
    close: async () => {
      child.send({ command: 'close' });
      const { problems } = await next<{ problems: string[] }>();
      await exited(child);
      return problems;
    },
  };
}

async function sameProcessTarget(): Promise<Target> {
  const sandbox = await createSandbox({ port: 0, storage: 'sqlite', path, logger: false, seed: false, intervalMs: 0, validateResponses: false });
  const database = sandbox.ledger.store.database as unknown as { stats: Measure['stats'] };
  return {
    url: sandbox.url,
    client: sandbox.clients[0]!,
    measure: async () => ({ cpu: process.cpuUsage(), thread: process.threadCpuUsage(), loop: performance.eventLoopUtilization(), stats: { ...database.stats }, threads: [...cpuByThreadName()] }),
    close: async () => {
      const problems = await sandbox.ledger.audit();
      await sandbox.close();
      return problems;
    },
  };
}

/**
 * autocannon with --connections connections POSTing /wallets/v1/transfers for `seconds`, each with
 * a fresh idempotency key, between the `wallets` (a wallet never pays itself).
 */
function postTransfers(url: string, seconds: number, wallets: readonly string[], headers: Record<string, string>) {
  let n = 0;
  return autocannon({
    url,
    connections: Number(values.connections),
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/wallets/v1/transfers',
        setupRequest: (request) => {
          const i = n++;
          const from = wallets[i % wallets.length]!;
          const to = wallets[(i * 7 + 1) % wallets.length]!;
          return {
            ...request,
            headers: { ...headers, 'idempotency-key': randomUUID() },
            body: JSON.stringify({ source_wallet_id: from, destination_wallet_id: from === to ? wallets[(i + 1) % wallets.length] : to, amount: { amount: 1 + (i % 100), currency: 'EUR' } }),
          };
        },
      },
    ],
  });
}

/** The same requests against a bare node:http server (bench/http-floor-server.ts) in a process of its own: requests/s. */
async function floorRequestsPerSecond(seconds: number, wallets: readonly string[], headers: Record<string, string>): Promise<number> {
  const child = fork(new URL('./http-floor-server.ts', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { url } = await nextMessage<{ url: string }>(child);
  try {
    const result = await postTransfers(url, seconds, wallets, headers);
    return result['2xx'] / seconds;
  } finally {
    child.send('close');
    await exited(child);
  }
}

const sandbox = values.server === 'same' ? await sameProcessTarget() : await childTarget();
/** What the floor run repeats once the sandbox is stopped (so that the two never compete). */
let measured: { wallets: string[]; headers: Record<string, string>; perSecond: number } | undefined;
try {
  const client = sandbox.client;
  const token = (await (await fetch(`${sandbox.url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }),
  })).json()) as { access_token: string };
  const headers = { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' };
  const post = async (path: string, body: unknown) => (await (await fetch(`${sandbox.url}/wallets/v1${path}`, { method: 'POST', headers: { ...headers, 'idempotency-key': randomUUID() }, body: JSON.stringify(body) })).json()) as { id: string };
  const wallets: string[] = [];
  for (let i = 0; i < 100; i++) {
    const wallet = await post('/wallets', { currency: 'EUR', owner_reference: `bench-${i}` });
    await post(`/wallets/${wallet.id}/top-ups`, { amount: { amount: 1_000_000_000, currency: 'EUR' }, funding_reference: 'bench' });
    wallets.push(wallet.id);
  }

  const before = await sandbox.measure();
  const cpuBefore = process.cpuUsage();
  const result = await postTransfers(sandbox.url, Number(values.duration), wallets, headers);
  const cpu = process.cpuUsage(cpuBefore);
  const after = await sandbox.measure();
  const ok = result['2xx'];
  const perTransfer = (usage: NodeJS.CpuUsage) => `${((usage.user + usage.system) / Math.max(1, ok) / 1000).toFixed(2)} ms`;
  console.log(`HTTP transfers (sandbox ${values.server === 'same' ? 'in the load generator\'s process' : 'in its own process'}, SQLite file, every 201 durable), ${values.connections} connections, ${values.duration} s`);
  console.log(`  ${Math.round(ok / Number(values.duration)).toLocaleString('en')} transfers/s acknowledged   p50 ${result.latency.p50} ms   p99 ${result.latency.p99} ms`);
  if (values.server === 'same') {
    console.log(`  CPU ${perTransfer(cpu)} per acknowledged transfer, server and load generator together (one process)`);
  } else {
    const server = { user: after.cpu.user - before.cpu.user, system: after.cpu.system - before.cpu.system };
    const serverLoop = { user: after.thread.user - before.thread.user, system: after.thread.system - before.thread.system };
    const loop = performance.eventLoopUtilization(after.loop, before.loop);
    console.log(`  CPU per acknowledged transfer: server ${perTransfer(server)} (all threads; ${perTransfer(serverLoop)} on its event loop's thread, busy ${(loop.utilization * 100).toFixed(0)}%), load generator ${perTransfer(cpu)}`);
    const split = cpuSplit(new Map(before.threads), new Map(after.threads), Math.max(1, ok));
    if (split) console.log(`  server's CPU by thread, µs per transfer: ${split}`);
  }
  console.log(`  ${ok} 2xx, ${result.non2xx} non-2xx, ${result.errors} errors`);
  const commits = after.stats.commits - before.stats.commits;
  const transactions = after.stats.transactions - before.stats.transactions;
  console.log(`  ${transactions} transactions in ${commits} commits, each fsync'd (${(transactions / commits).toFixed(1)} per commit)`);
  measured = { wallets, headers, perSecond: ok / Number(values.duration) };
} finally {
  const problems = await sandbox.close();
  console.log(`  audit: ${problems.length === 0 ? 'all invariants hold' : problems.slice(0, 5).join('; ')}`);
  await rm(dir, { recursive: true, force: true });
}

const floorSeconds = Number(values['floor-duration']);
if (measured && floorSeconds > 0) {
  const floor = await floorRequestsPerSecond(floorSeconds, measured.wallets, measured.headers);
  console.log(`Baseline, same run: the same POSTs to a bare node:http server (no ledger, no disk), ${values.connections} connections, ${floorSeconds} s`);
  console.log(`  ${Math.round(floor).toLocaleString('en')} requests/s: the sandbox ran at ${((100 * measured.perSecond) / floor).toFixed(0)}% of what this machine gives node:http alone right now`);
}
