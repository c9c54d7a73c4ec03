// `finrail mock` (the real CLI in a child process, serving the canonical specs as it does with no
// arguments, security on, one access log line per request) against bare node:http answering the
// same bytes, in the same run and under the same load:
//   - GET  /wallets/v1/wallets/{id}  answered from the documented example;
//   - POST /wallets/v1/wallets       with a JSON body validated against the schema.
// Prints, per server: requests/s, p99 latency, CPU time per request (robust when other processes
// compete for the cores), and resident memory right after start and at its peak under load.
//
// It measures the CLI as published: built with tsup (turbo builds `finrail` and the packages it
// imports first; unchanged builds come from turbo's cache). In a checkout `finrail` runs from its
// TypeScript sources instead, whose type stripping (a wasm module and its source) costs ~18 MB of
// resident memory; the bench prints that figure too. BENCH_CLI=<entry> measures another entry.
//
//   npm run bench -w @finrail/mock        (BENCH_DURATION=5 BENCH_CONNECTIONS=50 BENCH_ROUNDS=2 BENCH_CLI=...)
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const walletsSpec = `${repo}specs/wallets/openapi.yaml`;
const sourceCli = `${repo}cli/bin/finrail.js`;
const builtCli = `${repo}cli/dist/main.js`;
const cli = process.env.BENCH_CLI ? resolve(process.env.BENCH_CLI) : builtCli;
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

/** `finrail mock` on the canonical specs, security on. Its access log goes to /dev/null: written, not collected. */
async function startMock(entry = cli): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, [entry, 'mock', '--port', String(port)], { stdio: ['ignore', 'ignore', 'inherit'], cwd: repo });
  for (let attempt = 0; ; attempt++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      // Listening comes a moment before start-up is over (route table, sample token, heap tidy-up).
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return { child, port };
    } catch {
      if (attempt > 600 || child.exitCode !== null) throw new Error('finrail mock did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Resident set size in MB, from /proc (Linux). */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * The highest resident set size seen while `work` runs, sampled every 100 ms (VmHWM would also
 * count the start-up transient, which is not what serving costs).
 */
async function peakRssDuring<T>(pid: number, work: Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = rssOf(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 100);
  try {
    const result = await work;
    return { result, peak: Math.max(peak, rssOf(pid)) };
  } finally {
    clearInterval(sampler);
  }
}

/** CPU time (user + system) the process has used so far, in microseconds, from /proc (Linux). */
function cpuMicrosOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  const ticksPerSecond = 100; // USER_HZ, 100 on Linux
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSecond;
}

interface Figures {
  requestsPerSecond: number;
  p99: number;
  /** Server CPU time per request served, in microseconds. */
  cpuPerRequest: number;
  /** Highest resident set size of the server during the measured run, in MB. */
  peakRss: number;
  non2xx: number;
  errors: number;
}

async function load(pid: number, url: string, scenario: Scenario, headers: Record<string, string>, connections: number, duration: number): Promise<Figures> {
  // Imported here, not at the top: the bare server child runs this file too and must stay bare.
  const { default: autocannon } = await import('autocannon');
  const options = { url, method: scenario.method, body: scenario.body, headers, connections };
  await autocannon({ ...options, duration: 1 }); // warm-up: JIT, keep-alive sockets
  const cpuBefore = cpuMicrosOf(pid);
  const { result, peak } = await peakRssDuring(pid, autocannon({ ...options, duration }));
  const cpuPerRequest = (cpuMicrosOf(pid) - cpuBefore) / Math.max(1, result.requests.total);
  return { requestsPerSecond: result.requests.average, p99: result.latency.p99, cpuPerRequest, peakRss: peak, non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

/** The scenarios, with the exact responses the mock gives (which bare node:http then replays). */
async function scenarios(): Promise<Scenario[]> {
  const { child, port } = await startMock();
  try {
    const base = `http://127.0.0.1:${port}`;
    const token = await fetchToken(port);
    const { buildApiModel, loadSpec } = await import('@finrail/generators');
    const model = buildApiModel(await loadSpec(walletsSpec));
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

/** Builds the published CLI and the workspace packages it imports. */
function buildCli(): void {
  execFileSync('npx', ['turbo', 'run', 'build', '--filter=finrail...', '--output-logs=errors-only'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Resident memory of a mock started from `entry`, once start-up is over. */
async function rssAfterStart(entry: string): Promise<number> {
  const { child } = await startMock(entry);
  try {
    return rssOf(child.pid!);
  } finally {
    child.kill();
  }
}

async function main(): Promise<void> {
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  const duration = Number(process.env.BENCH_DURATION ?? 5);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  if (!process.env.BENCH_CLI) buildCli();
  const list = await scenarios();
  console.log(`finrail mock (canonical specs, security on, access log on) vs bare node:http — ${connections} connections, ${duration} s per run, ${rounds} alternating rounds, best round per server`);
  const best = new Map<string, Figures>();
  const memory: Record<Server, { started: number; peak: number }> = { bare: { started: 0, peak: 0 }, mock: { started: 0, peak: 0 } };
  for (let round = 1; round <= rounds; round++) {
    for (const server of ['bare', 'mock'] as const) {
      const { child, port } = await start(server, list);
      const token = server === 'mock' ? await fetchToken(port) : 'unused';
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'bench-key-1' };
      const started = rssOf(child.pid!);
      let peak = started;
      try {
        for (const scenario of list) {
          const figures = await load(child.pid!, `http://127.0.0.1:${port}${scenario.path}`, scenario, headers, connections, duration);
          const key = `${scenario.name}|${server}`;
          console.log(
            `  round ${round} ${server.padEnd(4)} ${scenario.name.padEnd(20)} ${Math.round(figures.requestsPerSecond).toString().padStart(7)} req/s  p99 ${figures.p99} ms  ${figures.cpuPerRequest.toFixed(1)} µs CPU/req  non-2xx ${figures.non2xx}  errors ${figures.errors}`,
          );
          if (figures.non2xx > 0 || figures.errors > 0) throw new Error(`${server} answered ${figures.non2xx} non-2xx responses and ${figures.errors} errors: the figures would be meaningless`);
          if (!best.has(key) || figures.requestsPerSecond > best.get(key)!.requestsPerSecond) best.set(key, figures);
          peak = Math.max(peak, figures.peakRss);
        }
        memory[server] = { started: Math.max(memory[server].started, started), peak: Math.max(memory[server].peak, peak) };
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
    console.log(`  bare node:http  ${Math.round(bare.requestsPerSecond)} req/s, p99 ${bare.p99} ms, ${bare.cpuPerRequest.toFixed(1)} µs CPU/req`);
    console.log(
      `  finrail mock    ${Math.round(mock.requestsPerSecond)} req/s, p99 ${mock.p99} ms, ${mock.cpuPerRequest.toFixed(1)} µs CPU/req  (${(ratio * 100).toFixed(1)}% of bare by req/s, ${((bare.cpuPerRequest / mock.cpuPerRequest) * 100).toFixed(1)}% by CPU/req; goal ≥ 50%, p99 < 10 ms)`,
    );
  }
  const mb = (figure: number): string => `${figure.toFixed(1)} MB`;
  console.log(`resident memory: finrail mock ${mb(memory.mock.started)} after start, ${mb(memory.mock.peak)} peak under load (goal < 120 MB); bare node:http ${mb(memory.bare.started)} after start, ${mb(memory.bare.peak)} peak`);
  console.log(`  measured: ${relative(repo, cli)}; the same mock run from the TypeScript sources (a checkout's npx finrail): ${mb(await rssAfterStart(sourceCli))} after start`);
}

if (process.argv[2] === '--bare') serveBare(JSON.parse(process.argv[3] as string) as Scenario[]);
else await main();
