import { createHmac } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleLogger, createMockServer, formatRouteTable, type MockServer } from '../src/index.ts';

const fixture = new URL('./fixtures/wallets-mini.yaml', import.meta.url).pathname;

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local webhook receiver recording every delivery. */
async function startReceiver(): Promise<{ url: string; deliveries: Delivery[]; server: Server }> {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, deliveries, server };
}

describe('createMockServer', () => {
  let mock: MockServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const lines: string[] = [];
  let token: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    mock = await createMockServer({ specs: [fixture], port: 0, seed: 7, webhookUrl: receiver.url, webhookSecret: 'whsec_test', logger: consoleLogger((line) => lines.push(line)), signals: false });
    const response = await fetch(`${mock.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=partner&client_secret=s3cret',
    });
    expect(response.status).toBe(200);
    const issued = (await response.json()) as { access_token: string; token_type: string; scope: string };
    expect(issued).toMatchObject({ token_type: 'Bearer', scope: 'wallets:read wallets:write' });
    token = issued.access_token;
  });
  afterAll(async () => {
    await mock?.close();
    receiver?.server.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${mock.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });

  it('serves the spec under its server base path and lists the routes', () => {
    expect(mock.routes.map((route) => `${route.method} ${route.path}`)).toEqual(['GET /v1/wallets', 'POST /v1/wallets', 'GET /v1/wallets/{wallet_id}', 'POST /v1/wallets/{wallet_id}/freeze']);
    expect(formatRouteTable(mock.routes).split('\n')[2]).toBe('GET   /v1/wallets/{wallet_id}         getWallet     test/fixtures/wallets-mini.yaml');
  });

  it('reports the invalid example at start-up and serves the first valid one', async () => {
    expect(mock.exampleProblems.map((problem) => problem.pointer)).toEqual(['#/paths/~1wallets~1{wallet_id}/get/responses/200/content/application~1json/examples/broken/value']);
    const response = await get('/v1/wallets/wal_12345678');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-finrail-mock-source')).toBe('example:main');
    expect(await response.json()).toEqual({ id: 'wal_12345678', currency: 'EUR', balance: 1500, status: 'active' });
  });

  it('answers repeated requests identically, each with its own request id, whatever was preferred in between', async () => {
    const first = await get('/v1/wallets/wal_12345678');
    expect(await get('/v1/wallets/wal_12345678?__example=frozen').then((r) => r.json())).toMatchObject({ status: 'frozen' });
    const second = await get('/v1/wallets/wal_12345678');
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(await second.text()).toBe(await first.text());
  });

  it('honours Prefer and the __ query forms', async () => {
    const notFound = await get('/v1/wallets/wal_12345678', { prefer: 'code=404' });
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('content-type')).toBe('application/problem+json');
    expect(await get('/v1/wallets/wal_12345678?__example=frozen').then((r) => r.json())).toMatchObject({ status: 'frozen' });
    const dynamic = await get('/v1/wallets/wal_abcdefgh', { prefer: 'dynamic=true' });
    expect(dynamic.headers.get('x-finrail-mock-source')).toBe('dynamic');
    const body = (await dynamic.json()) as { id: string; currency: string };
    expect(body.id).toMatch(/^wal_[A-Za-z0-9]{8,}$/);
    expect(body.currency).toMatch(/^[A-Z]{3}$/);
    const unsatisfiable = await get('/v1/wallets/wal_12345678', { prefer: 'code=418' });
    expect(unsatisfiable.status).toBe(400);
    expect(await unsatisfiable.json()).toMatchObject({ detail: 'operation getWallet documents no response with status 418 (documented: 200, 404)' });
  });

  it('validates requests exactly like the server runtime, with pointers', async () => {
    const badPath = await get('/v1/wallets/nope');
    expect(badPath.status).toBe(400);
    expect(await badPath.json()).toMatchObject({ errors: [{ pointer: '/path/wallet_id' }] });
    const badBody = await fetch(`${mock.url}/v1/wallets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ currency: 'euro', extra: 1 }),
    });
    expect(badBody.status).toBe(400);
    const problem = (await badBody.json()) as { errors: { pointer: string }[] };
    expect(problem.errors.map((error) => error.pointer).sort()).toEqual(['/body/currency', '/body/extra']);
    expect(lines.some((line) => line.startsWith('POST /v1/wallets 400 createWallet invalid: /body'))).toBe(true);
  });

  it('answers 401 without or with a foreign bearer token, 403 without the scope', async () => {
    const missing = await fetch(`${mock.url}/v1/wallets/wal_12345678`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const forged = await get('/v1/wallets/wal_12345678', { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl' });
    expect(forged.status).toBe(401);
    const readOnly = await mock.issueToken(['wallets:read']);
    const forbidden = await fetch(`${mock.url}/v1/wallets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${readOnly}`, 'content-type': 'application/json' },
      body: JSON.stringify({ currency: 'EUR' }),
    });
    expect(forbidden.status).toBe(403);
  });

  it('POSTs a signed webhook after an operation that triggers one', async () => {
    receiver.deliveries.length = 0;
    const created = await fetch(`${mock.url}/v1/wallets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ currency: 'EUR' }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBeTruthy();
    await mock.settled();
    expect(receiver.deliveries).toHaveLength(1);
    const [delivery] = receiver.deliveries as [Delivery];
    expect(JSON.parse(delivery.body)).toMatchObject({ type: 'wallet.created', data: { id: 'wal_12345678' } });
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(delivery.headers['finrail-signature'])) ?? [];
    expect(v1).toBe(createHmac('sha256', 'whsec_test').update(`${t}.${delivery.body}`).digest('hex'));
  });

  it('delivers callbacks declared by the operation', async () => {
    receiver.deliveries.length = 0;
    const frozen = await fetch(`${mock.url}/v1/wallets/wal_12345678/freeze`, { method: 'POST' });
    expect(frozen.status).toBe(204);
    await mock.settled();
    expect(receiver.deliveries.map((delivery) => [delivery.headers['finrail-event'], JSON.parse(delivery.body).status])).toEqual([['frozen', 'frozen']]);
  });

  it('answers CORS preflights and adds CORS headers', async () => {
    const preflight = await fetch(`${mock.url}/v1/wallets`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const response = await get('/v1/wallets/wal_12345678', { origin: 'http://localhost:5173' });
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('writes one access log line per request with its validation outcome', () => {
    expect(lines).toContain(lines.find((line) => /^GET \/v1\/wallets\/wal_12345678 200 getWallet valid example:main [\d.]+ms$/.test(line)));
    expect(lines.some((line) => /^GET \/v1\/wallets\/wal_12345678 401 getWallet rejected: Authentication required/.test(line))).toBe(true);
  });
});

describe('createMockServer options', () => {
  it('--no-auth serves without tokens; several specs mount deterministically on a collision', async () => {
    const mock = await createMockServer({ specs: [fixture, fixture], port: 0, auth: false, logger: false, signals: false });
    try {
      expect(new Set(mock.routes.map((route) => route.path.replace(/\/wallets(\/.*)?$/, '')))).toEqual(new Set(['/v1', '/v1/wallets-mini']));
      expect((await fetch(`${mock.url}/v1/wallets/wal_12345678`)).status).toBe(200);
      expect((await fetch(`${mock.url}/v1/wallets-mini/wallets/wal_12345678`)).status).toBe(200);
      const unknown = await fetch(`${mock.url}/elsewhere`);
      expect(unknown.status).toBe(404);
    } finally {
      await mock.close();
    }
  });

  it('serves specs OpenAPI calls invalid: templates differing only in parameter names, malformed schema keywords', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'finrail-mock-lenient-'));
    const spec = join(dir, 'spec.json');
    const country = { type: 'object', required: ['code'], properties: { code: { type: 'string', minLength: '2', pattern: '(?i)^[a-z]+$' }, name: { type: 'string', required: true } } };
    const get = (operationId: string, name: string) => ({
      get: {
        operationId,
        parameters: [{ name, in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'A country', content: { 'application/json': { schema: country } } } },
      },
    });
    // A token endpoint of its own (trakt): with auth off, the spec's answers it, not the mock's.
    const token = { post: { operationId: 'exchangeCode', responses: { '200': { description: 'A token', content: { 'application/json': { example: { access_token: 'from-spec' } } } } } } };
    const paths = { '/countries/{code2}': get('byCode2', 'code2'), '/countries/{code3}': get('byCode3', 'code3'), '/oauth/token': token };
    const document = { openapi: '3.0.3', info: { title: 'Countries', version: '1' }, paths };
    await writeFile(spec, JSON.stringify(document));
    const lines: string[] = [];
    const mock = await createMockServer({ specs: [spec], port: 0, auth: false, logger: consoleLogger((line) => lines.push(line)), signals: false });
    try {
      expect(mock.routes.map((route) => route.operationId)).toEqual(['byCode2', 'exchangeCode']);
      expect(await (await fetch(`${mock.url}/oauth/token`, { method: 'POST' })).json()).toEqual({ access_token: 'from-spec' });
      const response = await fetch(`${mock.url}/countries/fr`, { headers: { prefer: 'dynamic=true' } });
      expect(response.status).toBe(200);
      expect(typeof ((await response.json()) as { code: unknown }).code).toBe('string');
      expect(lines.some((line) => line.includes('GET /countries/{code3} is not served: GET /countries/{code2} matches the same requests'))).toBe(true);
      expect(lines.some((line) => line.includes('read 6 malformed or self-defeating schema keywords leniently'))).toBe(true);
    } finally {
      await mock.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads and validates text/json bodies as JSON (ASP.NET specs list it beside application/json)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'finrail-mock-text-json-'));
    const spec = join(dir, 'spec.json');
    const note = { type: 'object', required: ['title'], properties: { title: { type: 'string', minLength: 1 } } };
    const content = { 'application/json': { schema: note }, 'text/json': { schema: note }, 'application/*+json': { schema: note } };
    const paths = { '/notes': { post: { operationId: 'createNote', requestBody: { required: true, content }, responses: { '201': { description: 'Created', content: { 'text/json': { schema: note } } } } } } };
    await writeFile(spec, JSON.stringify({ openapi: '3.0.1', info: { title: 'Notes', version: '1' }, paths }));
    const mock = await createMockServer({ specs: [spec], port: 0, auth: false, logger: false, signals: false });
    const post = (body: string) => fetch(`${mock.url}/notes`, { method: 'POST', headers: { 'content-type': 'text/json; charset=utf-8' }, body });
    try {
      const created = await post(JSON.stringify({ title: 'groceries' }));
      expect(created.status).toBe(201);
      expect(created.headers.get('content-type')).toMatch(/^text\/json/);
      expect(typeof ((await created.json()) as { title: unknown }).title).toBe('string');
      const invalid = await post(JSON.stringify({ title: '' }));
      expect(invalid.status).toBe(400);
      expect(((await invalid.json()) as { errors: Array<{ pointer: string }> }).errors.map((error) => error.pointer)).toContain('/body/title');
      expect((await post('{not json')).status).toBe(400);
    } finally {
      await mock.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('serves every operation of an RPC-style spec, routed by the request value that tells them apart (AWS, flickr)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'finrail-mock-rpc-'));
    const spec = join(dir, 'spec.json');
    const answer = (name: string) => ({ '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' }, example: { operation: name } } } } });
    const byAction = (name: string) => ({
      get: { operationId: name, parameters: [{ name: 'Action', in: 'query', required: true, schema: { type: 'string', enum: [name] } }], responses: answer(name) },
    });
    const byTarget = (name: string) => ({
      post: {
        operationId: name,
        parameters: [{ name: 'X-Amz-Target', in: 'header', required: true, schema: { type: 'string', enum: [`Queues.${name}`] } }],
        requestBody: { required: true, content: { 'application/x-amz-json-1.1': { schema: { type: 'object' } } } },
        responses: answer(name),
      },
    });
    const paths = {
      '/#Action=CreateQueue': byAction('CreateQueue'),
      '/#Action=DeleteQueue': byAction('DeleteQueue'),
      '/#X-Amz-Target=Queues.TagQueue': byTarget('TagQueue'),
      '/#X-Amz-Target=Queues.UntagQueue': byTarget('UntagQueue'),
      '/rest?method=flickr.photos.search': { get: { operationId: 'search', responses: answer('search') } },
      '/rest?method=flickr.photos.getInfo': { get: { operationId: 'getInfo', responses: answer('getInfo') } },
      '/rest?format=json': { get: { operationId: 'unreachable', responses: answer('unreachable') } },
    };
    await writeFile(spec, JSON.stringify({ openapi: '3.0.0', info: { title: 'RPC', version: '1' }, paths }));
    const lines: string[] = [];
    const mock = await createMockServer({ specs: [spec], port: 0, auth: false, logger: consoleLogger((line) => lines.push(line)), signals: false });
    const operation = async (path: string, init?: RequestInit) => {
      const response = await fetch(`${mock.url}${path}`, init);
      return { status: response.status, body: (await response.json()) as { operation?: string; errors?: Array<{ pointer: string }> } };
    };
    const target = (name: string) => ({ method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': name }, body: '{}' });
    try {
      expect(await operation('/?Action=DeleteQueue')).toEqual({ status: 200, body: { operation: 'DeleteQueue' } });
      expect(await operation('/?Action=CreateQueue')).toEqual({ status: 200, body: { operation: 'CreateQueue' } });
      expect(lines.some((line) => /GET \/ 200 DeleteQueue\b/.test(line))).toBe(true);
      expect(await operation('/', target('Queues.UntagQueue'))).toEqual({ status: 200, body: { operation: 'UntagQueue' } });
      expect(await operation('/', target('Queues.TagQueue'))).toEqual({ status: 200, body: { operation: 'TagQueue' } });
      expect(await operation('/rest?method=flickr.photos.getInfo')).toEqual({ status: 200, body: { operation: 'getInfo' } });
      expect(await operation('/rest?method=flickr.photos.search&format=json')).toEqual({ status: 200, body: { operation: 'search' } });
      // A value no operation takes: the first one's validation names the parameter.
      const unknown = await operation('/?Action=PurgeQueue');
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors?.map((error) => error.pointer)).toEqual(['/query/Action']);
      expect(lines.some((line) => line.includes('GET /rest?format=json is not served: GET /rest?method=flickr.photos.search matches the same requests'))).toBe(true);
    } finally {
      await mock.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--watch reloads on spec change and keeps serving the old version on a broken edit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'finrail-mock-watch-'));
    const spec = join(dir, 'spec.yaml');
    await copyFile(fixture, spec);
    const mock = await createMockServer({ specs: [spec], port: 0, auth: false, watch: true, logger: false, signals: false });
    const balance = async () => ((await (await fetch(`${mock.url}/v1/wallets/wal_12345678`)).json()) as { balance: number }).balance;
    try {
      expect(await balance()).toBe(1500);
      await writeFile(spec, (await readFile(spec, 'utf8')).replace('balance: 1500', 'balance: 2500'));
      for (let attempt = 0; attempt < 50 && (await balance()) !== 2500; attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await balance()).toBe(2500);
      await writeFile(spec, 'openapi: [broken');
      await mock.reload();
      expect(await balance()).toBe(2500);
    } finally {
      await mock.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
