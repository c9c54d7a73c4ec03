// `finrail mock` (the real CLI, in a child process, security on, one access log line per request)
// against bare node:http answering the same bytes, in the same run and under the same load:
//   - GET  /wallets/v1/wallets/{id}  answered from the documented example;
//   - POST /wallets/v1/wallets       with a JSON body validated against the schema.
// Prints requests/s, p99 latency and the resident memory of each server process.
//
//   npm run bench -w @finrail/mock        (BENCH_DURATION=5 BENCH_CONNECTIONS=50 BENCH_ROUNDS=2)
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const specPath = `${repo}specs/wallets/openapi.yaml`;
const cli = `${repo}cli/bin/finrail.js`;
const BASE = '/wallets/v1';

type Server = 'bare' | 'mock';
interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  /** The exact response the mock gives, which bare node:http replays. */
  status: number;
  responseBody: string;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Bare node:http: route by method and path, read and parse a POST body, answer fixed bytes. */
function serveBare(scenarios: Scenario[]): void {
  const server = createServer((req, res) => {
    const scenario = scenarios.find((candidate) => candidate.method === req.method && candidate.path === req.url);
    if (!scenario) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (chunks.length > 0) JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(scenario.status, { 'content-type': 'application/json', 'x-request-id': 'req_static', 'content-length': Buffer.byteLength(scenario.responseBody) });
      res.end(scenario.responseBody);
    });
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
}

async function start(server: Server, scenarios: Scenario[]): Promise<{ child: ChildProcess; port: number }> {
  if (server === 'bare') {
    const child = fork(fileURLToPath(import.meta.url), ['--bare', JSON.stringify(scenarios)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (message) => resolve((message as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
    });
    return { child, port };
  }
  return startMock();
}

/** `finrail mock` on the wallets spec, security on. Its access log goes to /dev/null: written, not collected. */
async function startMock(): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, [cli, 'mock', specPath, '--port', String(port)], { stdio: ['ignore', 'ignore', 'inherit'], cwd: repo });
  for (let attempt = 0; ; attempt++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return { child, port };
    } catch {
      if (attempt > 600 || child.exitCode !== null) throw new Error('finrail mock did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Resident set size and its peak, from /proc (Linux). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

interface Figures {
  requestsPerSecond: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, scenario: Scenario, headers: Record<string, string>, connections: number, duration: number): Promise<Figures> {
  // Imported here, not at the top: the bare server child runs this file too and must stay bare.
  const { default: autocannon } = await import('autocannon');
  const options = { url, method: scenario.method, body: scenario.body, headers, connections };
  await autocannon({ ...options, duration: 1 }); // warm-up: JIT, keep-alive sockets
  const result = await autocannon({ ...options, duration });
  return { requestsPerSecond: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

/** The scenarios, with the exact responses the mock gives (which bare node:http then replays). */
async function scenarios(): Promise<Scenario[]> {
  const { child, port } = await startMock();
  try {
    const base = `http://127.0.0.1:${port}`;
    const token = await fetchToken(port);
    const { buildApiModel, loadSpec } = await import('@finrail/generators');
    const model = buildApiModel(await loadSpec(specPath));
    const getWallet = model.operations.find((operation) => operation.operationId === 'getWallet');
    const walletId = (getWallet?.responses[0]?.contents[0]?.examples[0]?.value as { id: string }).id;
    const createWallet = model.operations.find((operation) => operation.operationId === 'createWallet');
    const createBody = JSON.stringify(createWallet?.requestBody?.contents[0]?.examples[0]?.value);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'bench-key-1' };
    const list: Scenario[] = [];
    for (const [name, method, path, body] of [
      ['GET from example', 'GET', `${BASE}/wallets/${walletId}`, undefined],
      ['POST validated body', 'POST', `${BASE}/wallets`, createBody],
    ] as const) {
      const response = await fetch(`${base}${path}`, { method, headers, body });
      const responseBody = await response.text();
      if (response.status >= 300) throw new Error(`${name}: the mock answered ${response.status} ${responseBody}`);
      list.push({ name, method, path, body, status: response.status, responseBody });
    }
    return list;
  } finally {
    child.kill();
  }
}

/** Each mock process signs tokens with its own in-memory key: ask the one under test. */
async function fetchToken(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=bench&client_secret=bench',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function main(): Promise<void> {
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  const duration = Number(process.env.BENCH_DURATION ?? 5);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const list = await scenarios();
  console.log(`finrail mock (security on, access log on) vs bare node:http — ${connections} connections, ${duration} s per run, ${rounds} alternating rounds, best round per server`);
  const best = new Map<string, Figures>();
  const memory: Record<Server, { rss: number; peak: number }> = { bare: { rss: 0, peak: 0 }, mock: { rss: 0, peak: 0 } };
  for (let round = 1; round <= rounds; round++) {
    for (const server of ['bare', 'mock'] as const) {
      const { child, port } = await start(server, list);
      const token = server === 'mock' ? await fetchToken(port) : 'unused';
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'bench-key-1' };
      try {
        for (const scenario of list) {
          const figures = await load(`http://127.0.0.1:${port}${scenario.path}`, scenario, headers, connections, duration);
          const key = `${scenario.name}|${server}`;
          console.log(`  round ${round} ${server.padEnd(4)} ${scenario.name.padEnd(20)} ${Math.round(figures.requestsPerSecond).toString().padStart(7)} req/s  p99 ${figures.p99} ms  non-2xx ${figures.non2xx}  errors ${figures.errors}`);
          if (figures.non2xx > 0 || figures.errors > 0) throw new Error(`${server} answered ${figures.non2xx} non-2xx responses and ${figures.errors} errors: the figures would be meaningless`);
          if (!best.has(key) || figures.requestsPerSecond > best.get(key)!.requestsPerSecond) best.set(key, figures);
        }
        const { rss, peak } = memoryOf(child.pid!);
        memory[server] = { rss: Math.max(memory[server].rss, rss), peak: Math.max(memory[server].peak, peak) };
      } finally {
        child.kill();
      }
    }
  }
  console.log('');
  for (const scenario of list) {
    const bare = best.get(`${scenario.name}|bare`)!;
    const mock = best.get(`${scenario.name}|mock`)!;
    const ratio = mock.requestsPerSecond / bare.requestsPerSecond;
    console.log(`${scenario.method} ${scenario.path}`);
    console.log(`  bare node:http  ${Math.round(bare.requestsPerSecond)} req/s, p99 ${bare.p99} ms`);
    console.log(`  finrail mock    ${Math.round(mock.requestsPerSecond)} req/s, p99 ${mock.p99} ms  (${(ratio * 100).toFixed(1)}% of bare; goal ≥ 50%, p99 < 10 ms)`);
  }
  console.log(`resident memory after load: finrail mock ${memory.mock.rss.toFixed(1)} MB (peak ${memory.mock.peak.toFixed(1)} MB; goal < 120 MB), bare node:http ${memory.bare.rss.toFixed(1)} MB`);
}

if (process.argv[2] === '--bare') serveBare(JSON.parse(process.argv[3] as string) as Scenario[]);
else await main();
