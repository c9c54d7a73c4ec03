// `npm run bench`: requests/s of a runtime-based client against raw fetch on the same local server
// in the same run, and the minified + gzipped size of the runtime.
import { gzipSync } from 'node:zlib';
import { fork } from 'node:child_process';
import { build } from 'esbuild';
import createClient from 'openapi-fetch';
import { Transport } from '../src/index.ts';

// The machine is shared, so load drifts: both paths run in many short interleaved slices and the
// totals are compared, rather than one long run each.
const SLICE_MS = 250;
const SLICES = Number(process.env.BENCH_SLICES ?? 16);
const CONCURRENCY = 16;

interface Paths {
  '/wallets/{walletId}': {
    get: {
      parameters: { path: { walletId: string } };
      responses: { 200: { content: { 'application/json': { id: string; currency: string; balance: number } } } };
    };
  };
}

interface Totals {
  count: number;
  ms: number;
  cpuUs: number;
}

/** Requests completed in one slice, its real duration, and this process's CPU time (the client's). */
async function slice(send: () => Promise<unknown>): Promise<Totals> {
  let count = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const deadline = start + SLICE_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        await send();
        count++;
      }
    }),
  );
  const { user, system } = process.cpuUsage(cpu);
  return { count, ms: performance.now() - start, cpuUs: user + system };
}

async function runtimeSize(): Promise<{ min: number; gzip: number }> {
  const result = await build({
    entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
  });
  const code = result.outputFiles[0]!.contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

const server = fork(new URL('./server.ts', import.meta.url), { execArgv: [] });
const port = await new Promise<number>((resolve) => server.once('message', (message) => resolve(message as number)));
const baseUrl = `http://127.0.0.1:${port}`;

const transport = new Transport({ baseUrl, accessToken: 'bench-token' });
const raw = createClient<Paths>({ baseUrl: transport.baseUrl, fetch: transport.fetch });
const viaRuntime = () =>
  transport.call(
    (init) => raw.GET('/wallets/{walletId}', { params: { path: { walletId: 'wal_1' } }, ...init }),
    { operationId: 'getWallet', method: 'GET' },
  );
const bare = createClient<Paths>({ baseUrl });
const viaOpenapiFetch = async () => {
  const { data, error } = await bare.GET('/wallets/{walletId}', { params: { path: { walletId: 'wal_1' } }, headers: { authorization: 'Bearer bench-token' } });
  if (error) throw new Error('request failed');
  return data;
};
const viaFetch = async () => {
  const response = await fetch(`${baseUrl}/wallets/wal_1`, { headers: { authorization: 'Bearer bench-token' } });
  if (!response.ok) throw new Error(`status ${response.status}`);
  return response.json();
};

// What the runtime does for a timeout, by hand: the per-request signal is most of undici's extra cost.
const viaFetchWithTimeout = async () => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 60_000);
  try {
    const response = await fetch(`${baseUrl}/wallets/wal_1`, { headers: { authorization: 'Bearer bench-token' }, signal: controller.signal });
    if (!response.ok) throw new Error(`status ${response.status}`);
    return await response.json();
  } finally {
    clearTimeout(timer);
  }
};

const paths = { fetch: viaFetch, fetchWithTimeout: viaFetchWithTimeout, openapiFetch: viaOpenapiFetch, runtime: viaRuntime };
type PathName = keyof typeof paths;
// Warm up every path (JIT, keep-alive sockets), then rotate which goes first in each round.
for (const send of Object.values(paths)) await slice(send);
const names = Object.keys(paths) as PathName[];
const totals = Object.fromEntries(names.map((name) => [name, { count: 0, ms: 0, cpuUs: 0 }])) as Record<PathName, Totals>;
for (let i = 0; i < SLICES; i++) {
  for (let j = 0; j < names.length; j++) {
    const name = names[(i + j) % names.length]!;
    const part = await slice(paths[name]);
    totals[name].count += part.count;
    totals[name].ms += part.ms;
    totals[name].cpuUs += part.cpuUs;
  }
}
server.disconnect();

const rate = (name: PathName) => (totals[name].count * 1000) / totals[name].ms;
// Client CPU per request does not depend on how busy the (shared) machine is.
const cpuPerRequest = (name: PathName) => totals[name].cpuUs / totals[name].count;
const size = await runtimeSize();
const ratio = rate('runtime') / rate('fetch');
const line = (label: string, name: PathName) =>
  console.log(`  ${label.padEnd(36)} ${rate(name).toFixed(0).padStart(7)} req/s  ${cpuPerRequest(name).toFixed(0).padStart(5)} µs client CPU/req`);

console.log(`client runtime vs raw fetch (GET, ${CONCURRENCY} in flight, ${SLICES} rotated ${SLICE_MS} ms slices each, keep-alive, local node:http server process)`);
line('raw fetch', 'fetch');
line('raw fetch + a timeout signal', 'fetchWithTimeout');
line('openapi-fetch alone', 'openapiFetch');
line('openapi-fetch + @finrail/runtime', 'runtime');
console.log(`  SDK path / raw fetch                 ${(ratio * 100).toFixed(1).padStart(6)} %  (goal ≥ 90 %: ${ratio >= 0.9 ? 'met' : 'NOT met'})`);
console.log(`  SDK path / raw fetch with the same timeout signal ${((rate('runtime') / rate('fetchWithTimeout')) * 100).toFixed(1)} %`);
console.log(`  runtime's own share: SDK path / openapi-fetch alone ${((rate('runtime') / rate('openapiFetch')) * 100).toFixed(1)} %, CPU/req ×${(cpuPerRequest('runtime') / cpuPerRequest('openapiFetch')).toFixed(2)}`);
console.log(`@finrail/runtime size: ${(size.min / 1024).toFixed(2)} kB min, ${(size.gzip / 1024).toFixed(2)} kB min+gz  (goal < 8 kB: ${size.gzip < 8192 ? 'met' : 'NOT met'})`);
