// A tiny in-memory stand-in for the Finrail sandbox: OAuth client credentials, wallets, top-ups and
// paginated transactions, shaped like specs/wallets/openapi.yaml. Only for this example's tests.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const CLIENT = { id: 'quickstart-client', secret: 'quickstart-secret' };

export interface FakeFinrail {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Idempotency keys seen, in order. */
  idempotencyKeys: string[];
  close(): Promise<void>;
}

export async function startFakeFinrail(): Promise<FakeFinrail> {
  const tokens = new Set<string>();
  const wallets = new Map<string, Record<string, unknown>>();
  const transactions = new Map<string, Array<Record<string, unknown>>>();
  const replays = new Map<string, { status: number; body: unknown }>();
  const idempotencyKeys: string[] = [];
  let sequence = 0;
  const nextId = (prefix: string) => `${prefix}_${String(++sequence).padStart(26, '0')}`;

  const routes: Array<[string, RegExp, (match: RegExpMatchArray, body: any, url: URL) => [number, unknown]]> = [
    ['POST', /^\/wallets\/v1\/wallets$/, (_m, body) => {
      const now = new Date().toISOString();
      const wallet = { id: nextId('wal'), status: 'active', currency: body.currency, owner_reference: body.owner_reference, display_name: body.display_name ?? null, status_reason: null, metadata: {}, created_at: now, updated_at: now, closed_at: null };
      wallets.set(wallet.id, wallet);
      transactions.set(wallet.id, []);
      return [201, wallet];
    }],
    ['POST', /^\/wallets\/v1\/wallets\/([^/]+)\/top-ups$/, ([, walletId], body) => {
      if (!wallets.has(walletId!)) return [404, problem(404, 'wallet-not-found')];
      const now = new Date().toISOString();
      const topUp = { id: nextId('tup'), wallet_id: walletId, amount: body.amount, funding_reference: body.funding_reference, transaction_id: nextId('txn'), metadata: {}, created_at: now };
      transactions.get(walletId!)!.unshift({ id: topUp.transaction_id, wallet_id: walletId, type: 'top_up', direction: 'credit', status: 'posted', amount: body.amount, description: `Top-up ${body.funding_reference}`, source_id: topUp.id, created_at: now, posted_at: now });
      return [201, topUp];
    }],
    ['GET', /^\/wallets\/v1\/wallets\/([^/]+)\/transactions$/, ([, walletId], _body, url) => {
      const all = transactions.get(walletId!);
      if (!all) return [404, problem(404, 'wallet-not-found')];
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const after = url.searchParams.get('starting_after');
      const start = after ? all.findIndex((t) => t.id === after) + 1 : 0;
      const data = all.slice(start, start + limit);
      const hasMore = start + limit < all.length;
      return [200, { data, has_more: hasMore, next_cursor: hasMore ? data.at(-1)!.id : null }];
    }],
  ];

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const raw = await readBody(req);
    if (url.pathname === '/oauth/token') return token(req, res, tokens);
    if (!tokens.has(req.headers.authorization?.replace(/^Bearer /, '') ?? '')) return send(res, 401, problem(401, 'unauthorized'));
    const key = req.headers['idempotency-key'] as string | undefined;
    if (req.method === 'POST') {
      if (!key) return send(res, 400, problem(400, 'idempotency-key-required'));
      idempotencyKeys.push(key);
      const replay = replays.get(key);
      if (replay) return send(res, replay.status, replay.body, { 'idempotent-replayed': 'true' });
    }
    for (const [method, pattern, handle] of routes) {
      const match = url.pathname.match(pattern);
      if (req.method !== method || !match) continue;
      const [status, body] = handle(match, raw ? JSON.parse(raw) : undefined, url);
      if (key) replays.set(key, { status, body });
      return send(res, status, body);
    }
    send(res, 404, problem(404, 'not-found'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    idempotencyKeys,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function token(req: IncomingMessage, res: ServerResponse, tokens: Set<string>): void {
  const expected = `Basic ${btoa(`${CLIENT.id}:${CLIENT.secret}`)}`;
  if (req.headers.authorization !== expected) return send(res, 401, problem(401, 'invalid-client'));
  const accessToken = randomUUID();
  tokens.add(accessToken);
  send(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3600 });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const contentType = status >= 400 ? 'application/problem+json' : 'application/json';
  res.writeHead(status, { 'content-type': contentType, 'x-request-id': `req_${randomUUID()}`, ...headers }).end(JSON.stringify(body));
}

function problem(status: number, type: string) {
  return { type: `https://docs.finrail.dev/problems/${type}`, title: type.replaceAll('-', ' '), status, request_id: 'req_fake' };
}
