import { fork } from 'node:child_process';
import createClient from 'openapi-fetch';
import { Transport } from '../src/index.ts';
const server = fork(new URL('./server.ts', import.meta.url), { execArgv: [] });
const port = await new Promise<number>((resolve) => server.once('message', (m) => resolve(m as number)));
const baseUrl = `http://127.0.0.1:${port}`;
const transport = new Transport({ baseUrl, accessToken: 'bench-token' });
const raw = createClient<any>({ baseUrl: transport.baseUrl, fetch: transport.fetch });
const which = process.argv[2];
const send = which === 'fetch' ? async () => { const r = await fetch(`${baseUrl}/wallets/wal_1`, { headers: { authorization: 'Bearer bench-token' } }); return r.json(); }
  : () => transport.call((init) => raw.GET('/wallets/{walletId}', { params: { path: { walletId: 'wal_1' } }, ...init }), { operationId: 'getWallet', method: 'GET' });
const deadline = performance.now() + 4000; let n = 0; const cpu = process.cpuUsage();
await Promise.all(Array.from({ length: 16 }, async () => { while (performance.now() < deadline) { await send(); n++; } }));
const c = process.cpuUsage(cpu); console.log(which, n / 4, 'req/s', ((c.user + c.system) / n).toFixed(0), 'µs/req');
server.disconnect();
