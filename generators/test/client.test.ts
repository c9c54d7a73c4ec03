// The `client` target end to end: generate a client for a fixture spec, import it, and drive it
// with the real @finrail/runtime against a local node:http server.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taggingApi } from './support/tagging-api.ts';
import { TABLE_ROWS, TABLE_ROWS_PATH, tableApi } from './support/table-api.ts';
import { NotFoundError } from '@finrail/runtime';
import { buildApiModel, clientTarget, generatedHeader, loadSpec, typesTarget, type ApiModel, type TargetContext } from '@finrail/generators';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const context: TargetContext = { specLabel: 'test/fixtures/model-features.yaml', header: generatedHeader('test/fixtures/model-features.yaml'), targets: ['types', 'client'], options: {}, warn: () => {} };

interface Seen {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}

const ACCOUNTS = Array.from({ length: 5 }, (_, i) => ({ id: `acc_${i + 1}`, name: `Account ${i + 1}` }));
const seen: Seen[] = [];
let server: Server;
let baseUrl: string;
let source: string;
let model: ApiModel;
let dir: string;
const scratch = fileURLToPath(new URL('../.generated-test/', import.meta.url));
// The generated module's exports, typed loosely: its types are checked by the corpus test.
let api: { ModelFeaturesClient: new (options: { baseUrl: string; accessToken: string; maxRetries: number }) => any; BASE_PATH: string };

function json(res: import('node:http').ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'x-request-id': `req_${seen.length}` }).end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url!, 'http://127.0.0.1');
    seen.push({ method: req.method!, url, headers: req.headers, body: Buffer.concat(chunks).toString() });
    const path = url.pathname.replace(/^\/v1\/ledger/, '');
    if (req.method === 'GET' && path === '/accounts') {
      const after = url.searchParams.get('starting_after');
      const start = after ? ACCOUNTS.findIndex((a) => a.id === after) + 1 : 0;
      const data = ACCOUNTS.slice(start, start + 2);
      const more = start + 2 < ACCOUNTS.length;
      return json(res, 200, { data, has_more: more, next_cursor: more ? data.at(-1)!.id : null });
    }
    if (req.method === 'POST' && path === '/accounts') return json(res, 201, { id: 'acc_new', ...JSON.parse(seen.at(-1)!.body) });
    if (req.method === 'GET' && path === '/accounts/acc_missing') {
      return json(res, 404, { type: 'https://errors.example/not-found', title: 'Not found', status: 404, detail: 'no such account' }, 'application/problem+json');
    }
    if (req.method === 'DELETE' && path.startsWith('/accounts/')) return void res.writeHead(204).end();
    if (req.method === 'POST' && path.endsWith('/freeze')) return json(res, 200, { frozen: true });
    json(res, 404, { title: 'unexpected route' });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/ledger`;

  model = buildApiModel(await loadSpec(fixture('model-features.yaml')));
  // Inside the workspace so '@finrail/runtime' and 'openapi-fetch' resolve as for a real consumer,
  // but outside src/ and test/ so a concurrent `tsc -p` never sees the files come and go.
  await mkdir(scratch, { recursive: true });
  dir = await mkdtemp(join(scratch, 'client-'));
  ({ source, module: api } = await importGeneratedClient(model, '.'));
});

/** Generates `spec`'s client and types into `folder` (under the scratch dir) and imports the client. */
async function importGeneratedClient(spec: ApiModel, folder: string): Promise<{ source: string; module: any }> {
  const [client] = clientTarget.generate(spec, context) as Array<{ contents: string }>;
  const [types] = await typesTarget.generate(spec, { ...context, targets: ['types'] });
  const target = join(dir, folder);
  await mkdir(target, { recursive: true });
  await writeFile(join(target, 'client.ts'), client!.contents);
  await writeFile(join(target, 'types.ts'), types!.contents);
  return { source: client!.contents, module: await import(pathToFileURL(join(target, 'client.ts')).href) };
}

afterAll(async () => {
  server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  await rmdir(scratch).catch(() => {}); // left in place while another run still uses it
});

const client = () => new api.ModelFeaturesClient({ baseUrl, accessToken: 'tok_test', maxRetries: 0 });

describe('generated client', () => {
  it('sends flattened params to the right places with auth and a generated idempotency key', async () => {
    seen.length = 0;
    const account = await client().accounts.create({ xTenant: 'tenant_1', limit: 3, body: { name: 'Cash' } });
    expect(account).toEqual({ id: 'acc_new', name: 'Cash' });
    expect(account.lastResponse.status).toBe(201);
    const [request] = seen;
    expect(request!.method).toBe('POST');
    expect(request!.url.pathname).toBe('/v1/ledger/accounts');
    expect(request!.url.searchParams.get('limit')).toBe('3');
    expect(request!.headers['x-tenant']).toBe('tenant_1');
    expect(request!.headers.authorization).toBe('Bearer tok_test');
    expect(request!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(request!.body)).toEqual({ name: 'Cash' });
  });

  it('uses an idempotency key given as a parameter', async () => {
    seen.length = 0;
    await client().accounts.create({ xTenant: 't', idempotencyKey: 'key-123', body: { name: 'A' } });
    expect(seen[0]!.headers['idempotency-key']).toBe('key-123');
  });

  it('auto-pages list operations marked with x-finrail-pagination', async () => {
    seen.length = 0;
    const ids: string[] = [];
    for await (const account of client().accounts.list({ xTenant: 't', limit: 2, ids: ['a', 'b'] })) ids.push(account.id);
    expect(ids).toEqual(ACCOUNTS.map((a) => a.id));
    expect(seen.map((s) => s.url.searchParams.get('starting_after'))).toEqual([null, 'acc_2', 'acc_4']);
    expect(seen[0]!.url.searchParams.getAll('ids')).toEqual(['a', 'b']);
  });

  it('awaiting a list gives the first page', async () => {
    const page = await client().accounts.list({ xTenant: 't' });
    expect(page.data.map((a: { id: string }) => a.id)).toEqual(['acc_1', 'acc_2']);
    expect(page.has_more).toBe(true);
  });

  it('throws typed errors built from problem+json', async () => {
    const error = await client().accounts.get({ accountId: 'acc_missing' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, title: 'Not found', detail: 'no such account' });
  });

  it('resolves a 204 to undefined and reaches action methods', async () => {
    await expect(client().accounts.removeAccount({ accountId: 'acc_1' })).resolves.toBeUndefined();
    await expect(client().accounts.freeze({ accountId: 'acc_1', xAudit: { by: 'ops' }, reason: { code: 7 } })).resolves.toEqual({ frozen: true });
    const freeze = seen.at(-1)!;
    expect(freeze.headers['x-audit']).toBe('{"by":"ops"}');
    expect(freeze.url.searchParams.get('reason')).toBe('{"code":7}');
  });

  it('keeps the openapi-fetch client reachable and exports the base path', async () => {
    const { data } = await client().raw.GET('/accounts', { params: { header: { 'X-Tenant': 't' } } });
    expect(data.data).toHaveLength(2);
    expect(api.BASE_PATH).toBe('/v1/ledger');
  });
});

describe('generated client source', () => {
  it('is headed, documented and deterministic', async () => {
    expect(source.split('\n')[0]).toBe('// generated by finrail from test/fixtures/model-features.yaml; do not edit');
    expect(source).toContain('   * Get an account\n   *\n   * `GET /accounts/{account_id}`\n   * @deprecated\n   */');
    expect(source).toContain("{ operationId: 'createAccount', method: 'POST', idempotencyHeader: 'Idempotency-Key' }");
    expect(source).toContain("pagination: { cursorParam: 'starting_after', nextCursor: 'next_cursor', hasMore: 'has_more', items: 'data' }");
    expect(source).toContain('export type WebhookEvent =');
    const [again] = clientTarget.generate(buildApiModel(await loadSpec(fixture('model-features.yaml'))), context) as Array<{ contents: string }>;
    expect(again!.contents).toBe(source);
  });

  it('indents by two spaces and never mixes', () => {
    for (const line of source.split('\n')) expect(line).toMatch(/^(  )*(\S|$)| \*/);
  });

  it('names the client class from options or the title', () => {
    const named = clientTarget.generate(model, { ...context, options: { name: 'open-banking' } }) as Array<{ contents: string }>;
    expect(named[0]!.contents).toContain('export class OpenBankingClient {');
  });

  it('emits multipart, binary and form-urlencoded handling', async () => {
    const binary = buildApiModel(await loadSpec(fixture('binary-multipart.yaml')));
    const [file] = clientTarget.generate(binary, context) as Array<{ contents: string }>;
    expect(file!.contents).toContain('bodySerializer: toFormData');
    expect(file!.contents).toContain("parseAs: 'blob'");
    expect(file!.contents).toContain("headers: { 'Content-Type': 'application/octet-stream', ...init.headers }");
  });

  it('encodes form-urlencoded bodies as OpenAPI does: arrays as repeated fields, deepObject fields as name[key] (circuitsandbox)', () => {
    const form = buildApiModel({
      path: '/virtual/form.yaml',
      openapi: '3.1',
      document: {
        openapi: '3.1.0',
        info: { title: 'Form', version: '1' },
        paths: {
          '/hooks': {
            post: {
              operationId: 'createHook',
              requestBody: {
                content: {
                  'application/x-www-form-urlencoded': {
                    schema: { type: 'object', properties: { events: { type: 'array', items: { type: 'string' } }, metadata: { type: 'object' }, config: { type: 'object' } } },
                    encoding: { metadata: { style: 'deepObject', explode: true } },
                  },
                },
              },
              responses: { '204': { description: 'Created' } },
            },
          },
        },
      },
    });
    const [file] = clientTarget.generate(form, context) as Array<{ contents: string }>;
    expect(file!.contents).toContain('bodySerializer: (body) => toUrlEncoded(body, ["metadata"])');
    const helper = /function toUrlEncoded[\s\S]*?\n}\n/.exec(file!.contents)![0];
    const toUrlEncoded = new Function(`${ts.transpileModule(helper, { compilerOptions: { module: ts.ModuleKind.ESNext } }).outputText}; return toUrlEncoded;`)() as (body: unknown, deepObjects?: string[]) => string;
    const encoded = toUrlEncoded({ events: ['a', 'b'], metadata: { order: 1 }, config: { x: 1 }, items: [{ price: 'p_1', quantity: 2 }], skipped: undefined }, ['metadata', 'items']);
    expect([...new URLSearchParams(encoded)]).toEqual([
      ['events', 'a'],
      ['events', 'b'],
      ['metadata[order]', '1'],
      ['config', '{"x":1}'],
      ['items[0][price]', 'p_1'],
      ['items[0][quantity]', '2'],
    ]);
  });

  it('parses the lowest 2xx (or default) body as documented, and sends JSON when a body offers it', () => {
    const json = { 'application/json': { schema: { type: 'object' } } };
    const mixed = buildApiModel({
      path: '/virtual/mixed.yaml',
      openapi: '3.1',
      document: {
        openapi: '3.1.0',
        info: { title: 'Mixed', version: '1' },
        paths: {
          '/documents/{id}/download': {
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
            get: { operationId: 'download', responses: { '202': { description: 'Not ready', content: json }, '200': { description: 'The PDF', content: { 'application/pdf': {} } } } },
          },
          '/logs': { get: { operationId: 'logs', responses: { default: { description: 'Lines', content: { 'text/plain': { schema: { type: 'string' } } } } } } },
          '/plans': { post: { operationId: 'addPlan', requestBody: { content: { '': { schema: { type: 'object' } }, 'application/merge-patch+json': { schema: { type: 'object' } } } }, responses: { '204': { description: 'Added' } } } },
        },
      },
    });
    const [file] = clientTarget.generate(mixed, context) as Array<{ contents: string }>;
    // The openapi-fetch call sits on the line before the operation's metadata.
    const lines = file!.contents.split('\n');
    const call = (operationId: string) => lines[lines.findIndex((line) => line.includes(`operationId: '${operationId}'`)) - 1];
    expect(call('download')).toContain("parseAs: 'blob'");
    expect(call('logs')).toContain("parseAs: 'text'");
    expect(call('addPlan')).toContain("'Content-Type': 'application/merge-patch+json'");
  });

  it('sends a required parameter with one allowed value by itself (AWS: Action=CreateQueue)', () => {
    const action = (name: string) => ({
      get: { operationId: name, parameters: [{ name: 'Action', in: 'query', required: true, schema: { type: 'string', enum: [name] } }, { name: 'QueueName', in: 'query', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok' } } },
    });
    const rpc = buildApiModel({
      path: '/virtual/rpc.yaml',
      openapi: '3.0',
      document: { openapi: '3.0.3', info: { title: 'Queues', version: '1' }, paths: { '/#Action=CreateQueue': action('CreateQueue'), '/#Action=DeleteQueue': action('DeleteQueue') } },
    });
    const [file] = clientTarget.generate(rpc, context) as Array<{ contents: string }>;
    const source = file!.contents;
    expect(source).toContain('query: { Action: params.action ?? "CreateQueue", QueueName: params.queueName }');
    expect(source).toContain('query: { Action: params.action ?? "DeleteQueue", QueueName: params.queueName }');
    expect(source).toMatch(/Defaults to `"CreateQueue"`, the only value the API takes\.[\s\S]*?action\?: Params/);
    expect(source).toMatch(/queueName: Params/);
  });

  it('sends a query array of objects as repeated fields of JSON text, and an exploded object\'s arrays and objects as JSON text (AWS query protocol)', async () => {
    const { source: tagsSource, module: { TagsClient } } = await importGeneratedClient(taggingApi(), 'tags');
    expect(tagsSource).toContain('Tags: asJsonItems(params.tags), Names: params.names, Destination: asJsonFields(params.destination)');
    const tags = [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'a&b' }];
    const destination = { Name: 'd', Types: ['send', 'bounce'], Target: { Arn: 'arn:a' } };
    await new TagsClient({ baseUrl, accessToken: 'tok_test', maxRetries: 0 }).tag({ tags, names: ['x', 'y'], destination }).catch(() => undefined);
    const sent = seen.at(-1)!.url.searchParams;
    expect(sent.getAll('Tags').map((text) => JSON.parse(text))).toEqual(tags);
    expect(sent.getAll('Names')).toEqual(['x', 'y']);
    // The exploded object's array and object properties as their JSON text.
    expect([sent.get('Name'), JSON.parse(sent.get('Types')!), JSON.parse(sent.get('Target')!)]).toEqual(['d', destination.Types, destination.Target]);
  });

  it('sends a path list of lists as its items\' JSON text, as the pact target writes it (gambitcomm)', async () => {
    const { source: tableSource, module: { TableClient } } = await importGeneratedClient(tableApi(), 'table');
    expect(tableSource).toContain('path: { rows: asJsonItems(params.rows) }');
    await new TableClient({ baseUrl, accessToken: 'tok_test', maxRetries: 0 }).cells.readCells({ rows: TABLE_ROWS }).catch(() => undefined);
    expect(seen.at(-1)!.url.pathname).toBe(new URL(baseUrl).pathname + TABLE_ROWS_PATH);
  });

  it('leaves out, and warns of, an operation whose method fetch refuses to send (TRACE: the method could only throw)', () => {
    const traced = buildApiModel({
      path: '/virtual/trace.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'Echo', version: '1' },
        paths: { '/echo': { get: { operationId: 'getEcho', responses: { '200': { description: 'ok' } } }, trace: { operationId: 'traceEcho', responses: { '200': { description: 'ok' } } } } },
      },
    });
    const warnings: string[] = [];
    const [file] = clientTarget.generate(traced, { ...context, warn: (message) => warnings.push(message) }) as Array<{ contents: string }>;
    expect(file!.contents).toContain("this.#raw.GET('/echo'");
    expect(file!.contents).not.toMatch(/traceEcho|TRACE/);
    expect(warnings).toEqual(['TRACE /echo (traceEcho): fetch refuses to send TRACE: no client method']);
  });

  it('names the types of digit-leading operations and path segments as identifiers', async () => {
    const odd = buildApiModel({
      path: '/virtual/odd.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'Odd', version: '1' },
        paths: { '/2fa/codes': { post: { operationId: '123_send', responses: { '204': { description: 'Sent' } } } } },
      },
    });
    const [file] = clientTarget.generate(odd, context) as Array<{ contents: string }>;
    const { diagnostics } = ts.transpileModule(file!.contents, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext } });
    expect((diagnostics ?? []).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))).toEqual([]);
    expect(file!.contents).not.toMatch(/\b(interface|class|type) \d/);
  });
});
