// Throughput of a generated router (validation on: path parameter, response body; access log on, as
// in production) against bare node:http serializing the same response, in the same run, with the
// same load. Each server runs in its own child process; autocannon drives it from this one.
//
//   npm run bench -w @finrail/server        (BENCH_DURATION=5 BENCH_CONNECTIONS=50 BENCH_ROUNDS=3 by default;
//                                            BENCH_ACCESS_LOG=0 runs the router without its access log)
import { fork, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';

const WALLET_ID = 'wal_01JDFQ7ZK3M9V2T8W4N6P0R5SX';
const PATH = `/wallets/v1/wallets/${WALLET_ID}`;
const here = fileURLToPath(new URL('.', import.meta.url));
const specPath = fileURLToPath(new URL('../../../specs/wallets/openapi.yaml', import.meta.url));

type Mode = 'bare' | 'finrail';

/** What a hand-written node:http JSON endpoint does: match the route, serialize the resource. */
async function serveBare(body: string): Promise<number> {
  const wallet = JSON.parse(body);
  const prefix = '/wallets/v1/wallets/';
  const server = createServer((req, res) => {
    const url = req.url ?? '';
    if (req.method !== 'GET' || !url.startsWith(prefix)) {
      res.writeHead(404).end();
      return;
    }
    const json = JSON.stringify({ ...wallet, id: url.slice(prefix.length) });
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_static', 'content-length': Buffer.byteLength(json) });
    res.end(json);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function serveFinrail(generatedDir: string, body: string): Promise<number> {
  const { serve } = await import('@finrail/server');
  const { api, createRouter } = await import(pathToFileURL(join(generatedDir, 'server.ts')).href);
  const wallet = JSON.parse(body);
  const handlers = Object.fromEntries(api.operations.map((operation: { operationId: string }) => [operation.operationId, () => ({ status: 501 })]));
  handlers.getWallet = ({ params }: { params: { walletId: string } }) => ({ status: 200, body: { ...wallet, id: params.walletId } });
  // The default logger: pino JSON lines on stdout, which the parent points at a file.
  const accessLog = process.env.BENCH_ACCESS_LOG !== '0';
  const router = createRouter(handlers, { security: false, validateResponses: true, ...(accessLog ? {} : { logger: false }) });
  const handle = await serve(router, { signals: false });
  return handle.port;
}

async function child(): Promise<void> {
  const [mode, generatedDir, body] = process.argv.slice(3) as [Mode, string, string];
  const port = mode === 'bare' ? await serveBare(body) : await serveFinrail(generatedDir, body);
  // CPU time per request is robust to other load on the machine, unlike requests/s.
  let mark = process.cpuUsage();
  process.on('message', (message) => {
    if (message === 'mark') mark = process.cpuUsage();
    if (message === 'usage') {
      const used = process.cpuUsage(mark);
      process.send!({ cpuMicros: used.user + used.system });
    }
  });
  process.send!({ port });
}

function ask<T>(server: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    server.once('message', (reply) => resolve(reply as T));
    server.send(message);
  });
}

async function exampleWallet(): Promise<string> {
  const { buildApiModel, loadSpec } = await import('@finrail/generators');
  const model = buildApiModel(await loadSpec(specPath));
  const operation = model.operations.find((candidate) => candidate.operationId === 'getWallet');
  const example = operation?.responses.find((response) => response.status === '200')?.contents[0]?.examples[0]?.value;
  if (!example) throw new Error('the wallets spec has no 200 example for getWallet');
  return JSON.stringify({ ...(example as object), id: WALLET_ID });
}

async function generate(directory: string): Promise<void> {
  const { planGeneration, writePlan } = await import('@finrail/generators');
  await writePlan(await planGeneration([{ spec: specPath, specLabel: 'specs/wallets/openapi.yaml', out: directory, targets: ['server'] }]));
}

function start(mode: Mode, generatedDir: string, body: string, logFile: number): Promise<{ process: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const server = fork(fileURLToPath(import.meta.url), ['--serve', mode, generatedDir, body], {
      execArgv: ['--conditions=source'],
      env: { ...process.env, FINRAIL_LOG_LEVEL: 'info' },
      stdio: ['ignore', logFile, 'inherit', 'ipc'],
    });
    server.once('message', (message) => resolve({ process: server, port: (message as { port: number }).port }));
    server.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

interface Figures {
  mode: Mode;
  requestsPerSecond: number;
  p99: number;
  /** Server CPU time (user + system) per request, in microseconds. */
  cpuPerRequest: number;
  non2xx: number;
  errors: number;
}

async function measure(mode: Mode, generatedDir: string, body: string, connections: number, duration: number, logFile: number): Promise<Figures> {
  const server = await start(mode, generatedDir, body, logFile);
  try {
    const url = `http://127.0.0.1:${server.port}${PATH}`;
    const check = await fetch(url);
    if (check.status !== 200) throw new Error(`${mode} answered ${check.status}: ${await check.text()}`);
    await autocannon({ url, connections, duration: 2 }); // warm-up: JIT tiers, keep-alive sockets
    server.process.send('mark');
    const result = await autocannon({ url, connections, duration });
    const { cpuMicros } = await ask<{ cpuMicros: number }>(server.process, 'usage');
    return {
      mode,
      requestsPerSecond: result.requests.average,
      p99: result.latency.p99,
      cpuPerRequest: cpuMicros / Math.max(1, result.requests.total),
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    };
  } finally {
    server.process.removeAllListeners('exit');
    server.process.kill();
  }
}

async function main(): Promise<void> {
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  const duration = Number(process.env.BENCH_DURATION ?? 5);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const accessLog = process.env.BENCH_ACCESS_LOG !== '0';
  const generatedDir = await mkdtemp(join(here, '.generated-'));
  const logPath = join(generatedDir, 'access.log');
  const logFile = openSync(logPath, 'a');
  try {
    await generate(generatedDir);
    const body = await exampleWallet();
    console.log(`GET ${PATH} — ${connections} connections, ${duration} s per run, ${rounds} alternating rounds, best round per server`);
    console.log(
      `finrail router: response validation on, security off, ` +
        (accessLog ? 'access log ON (default pino logger, JSON lines to a file)' : 'access log OFF (BENCH_ACCESS_LOG=0)'),
    );
    const best: Record<Mode, Figures | undefined> = { bare: undefined, finrail: undefined };
    const leastCpu: Record<Mode, number> = { bare: Infinity, finrail: Infinity };
    for (let round = 1; round <= rounds; round++) {
      for (const mode of ['bare', 'finrail'] as const) {
        const figures = await measure(mode, generatedDir, body, connections, duration, logFile);
        console.log(
          `  round ${round} ${mode.padEnd(7)} ${Math.round(figures.requestsPerSecond).toString().padStart(7)} req/s  p99 ${figures.p99} ms  ` +
            `${figures.cpuPerRequest.toFixed(1)} µs CPU/request  non-2xx ${figures.non2xx}  errors ${figures.errors}`,
        );
        if (!best[mode] || figures.requestsPerSecond > best[mode].requestsPerSecond) best[mode] = figures;
        leastCpu[mode] = Math.min(leastCpu[mode], figures.cpuPerRequest);
      }
    }
    const bare = best.bare!;
    const finrail = best.finrail!;
    const ratio = finrail.requestsPerSecond / bare.requestsPerSecond;
    console.log('');
    console.log(`bare node:http          best ${Math.round(bare.requestsPerSecond)} req/s (p99 ${bare.p99} ms), least ${leastCpu.bare.toFixed(1)} µs CPU/request`);
    console.log(`finrail router          best ${Math.round(finrail.requestsPerSecond)} req/s (p99 ${finrail.p99} ms), least ${leastCpu.finrail.toFixed(1)} µs CPU/request`);
    console.log(`throughput ratio ${(ratio * 100).toFixed(1)}% of bare node:http (goal >= 70%): ${ratio >= 0.7 ? 'met' : 'NOT met'}`);
    // On a shared machine requests/s swing with other load; CPU per request does not.
    console.log(`CPU-efficiency ratio ${((leastCpu.bare / leastCpu.finrail) * 100).toFixed(1)}% of bare node:http`);
    if (accessLog) console.log(`access log written: ${(statSync(logPath).size / 1e6).toFixed(1)} MB`);
  } finally {
    closeSync(logFile);
    await rm(generatedDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') await child();
else await main();
