// The stateful sandbox: the ledger behind the three APIs on one HTTP server, with an OAuth token
// endpoint, health, docs, a webhook delivery worker and a hold-expiry sweeper.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createJwtVerifier, rememberVerifiedTokens, toNodeListener, type Logger, type NodeListener, type RateLimitOptions, type Router, type RouterOptions } from '@finrail/server';
import { createOpenBankingHandlers } from '../api/open-banking/handlers.ts';
import { createPaymentHandlers, onAuthorizationExpired } from '../api/payments/handlers.ts';
import { createWalletHandlers, onHoldExpired } from '../api/wallets/handlers.ts';
import type { Clock } from '../core/clock.ts';
import * as openBanking from '../generated/open-banking/server.ts';
import * as payments from '../generated/payments/server.ts';
import * as wallets from '../generated/wallets/server.ts';
import { openLedger, DEFAULT_SQLITE_PATH, type Ledger } from '../ledger.ts';
import { DeliveryWorker } from '../outbox/delivery-worker.ts';
import { clientsFromEnvironment, issueToken, newSandboxClient, TOKEN_AUDIENCE, TOKEN_ISSUER, type SandboxClient } from './oauth.ts';
import { seedFixtures } from './seed.ts';

export interface SandboxOptions {
  /** Default 4010; 0 picks a free port. */
  port?: number;
  host?: string;
  /** 'sqlite' (default: a file under .finrail/), 'memory', or 'postgres' (needs databaseUrl). */
  storage?: 'sqlite' | 'memory' | 'postgres';
  /** SQLite file path. */
  path?: string;
  databaseUrl?: string;
  /** PostgreSQL schema (default: the connection's search_path). */
  schema?: string;
  /** Sandbox clients; default FINRAIL_SANDBOX_CLIENTS, else one generated client. */
  clients?: SandboxClient[];
  /** Seed the specs' fixture world (default true). */
  seed?: boolean;
  clock?: Clock;
  /** Response validation (default on outside production). */
  validateResponses?: RouterOptions['validateResponses'];
  logger?: Logger | false;
  /** Builds the HTML API reference served at /docs/<api> (the CLI passes Redocly's); built once. */
  docs?: (api: SandboxApi) => Promise<string>;
  /**
   * Background work: webhook delivery and hold expiry every `intervalMs` (default 1000; 0
   * disables), and expired idempotency keys purged every minute of the ledger's clock.
   */
  intervalMs?: number;
  /** Rate limit per API and per access token (default `SANDBOX_RATE_LIMIT`); `false` turns it off. */
  rateLimit?: RateLimitOptions | false;
}

/** Generous enough for load tests and benchmarks; the point is that 429 and the RateLimit-* headers are real. */
export const SANDBOX_RATE_LIMIT: RateLimitOptions = { limit: 10_000, windowMs: 1_000 };

export const SANDBOX_APIS = ['wallets', 'payments', 'open-banking'] as const;
export type SandboxApi = (typeof SANDBOX_APIS)[number];

/** How often, on the ledger's clock, the background work purges expired idempotency keys. */
const IDEMPOTENCY_PURGE_EVERY_MS = 60_000;

export interface Sandbox {
  url: string;
  port: number;
  ledger: Ledger;
  clients: SandboxClient[];
  server: Server;
  close(): Promise<void>;
}

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const storage = options.storage ?? 'sqlite';
  const ledger = await openLedger({
    ...(storage === 'postgres'
      ? { storage: 'postgres' as const, databaseUrl: options.databaseUrl ?? process.env.DATABASE_URL ?? '', schema: options.schema }
      : { storage: 'sqlite' as const, path: storage === 'memory' ? ':memory:' : (options.path ?? DEFAULT_SQLITE_PATH) }),
    clock: options.clock,
    onExpired: (tx, pending, expiry) =>
      pending.id.startsWith('pay_') ? onAuthorizationExpired(tx, pending, expiry.createdAt) : onHoldExpired(tx, pending, expiry.createdAt),
  });
  if (options.seed ?? true) await seedFixtures(ledger);

  const clients = options.clients ?? (clientsFromEnvironment().length > 0 ? clientsFromEnvironment() : [newSandboxClient()]);
  const signingKey = randomBytes(32);
  // Imported once: given raw bytes, jose would import the HMAC key again for every request.
  const verificationKey = await crypto.subtle.importKey('raw', signingKey, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const bearer = { key: verificationKey, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, algorithms: ['HS256'] };
  // The three specs name their one scheme `oauth2`.
  const oauth2 = rememberVerifiedTokens(createJwtVerifier(bearer));
  const routerOptions: RouterOptions = {
    security: { bearer, verifiers: { oauth2 } },
    validateResponses: options.validateResponses,
    logger: options.logger,
    cors: true,
    ...(options.rateLimit !== false && { rateLimit: options.rateLimit ?? SANDBOX_RATE_LIMIT }),
  };
  const routers: Array<[prefix: string, router: Router]> = [
    [wallets.basePath, wallets.createRouter(createWalletHandlers(ledger), routerOptions)],
    [payments.basePath, payments.createRouter(createPaymentHandlers(ledger), routerOptions)],
    [openBanking.basePath, openBanking.createRouter(createOpenBankingHandlers(ledger), routerOptions)],
  ];
  const listeners: Array<[string, NodeListener]> = routers.map(([prefix, router]) => [prefix, toNodeListener(router)]);

  const docsCache: Partial<Record<SandboxApi, Promise<string>>> = {};
  const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const api = listeners.find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`));
    if (api) return api[1](req, res);
    if (path === '/oauth/token' && req.method === 'POST') return void tokenEndpoint(req, res, clients, signingKey);
    if (path === '/health') return json(res, 200, { status: 'ok', storage: ledger.dialect });
    if (path === '/docs' && options.docs) {
      const links = SANDBOX_APIS.map((name) => `<li><a href="/docs/${name}">${name}</a></li>`).join('');
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>Finrail sandbox API reference</title><h1>Finrail sandbox</h1><ul>${links}</ul>`);
    }
    const docsApi = SANDBOX_APIS.find((name) => path === `/docs/${name}`);
    if (docsApi && options.docs) {
      const html = (docsCache[docsApi] ??= options.docs(docsApi));
      return void html.then(
        (text) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(text),
        () => json(res, 500, { type: 'https://docs.finrail.dev/problems/internal-error', title: 'Internal server error', status: 500, detail: 'the API reference could not be built' }, 'application/problem+json'),
      );
    }
    json(res, 404, { type: 'https://docs.finrail.dev/problems/not-found', title: 'Not found', status: 404, detail: `no route ${path}` }, 'application/problem+json');
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 4010, options.host ?? '127.0.0.1', () => resolve());
    });
  } catch (error) {
    // The port is taken, say: nothing may be left open behind the error.
    await ledger.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;

  const worker = new DeliveryWorker({ outbox: ledger.outbox, clock: ledger.clock });
  const interval = options.intervalMs ?? 1000;
  let timer: NodeJS.Timeout | undefined;
  if (interval > 0) {
    worker.start(interval);
    let nextPurge = ledger.clock.now();
    timer = setInterval(() => {
      void ledger.expireDue().catch(() => undefined);
      if (ledger.clock.now() < nextPurge) return;
      nextPurge = ledger.clock.now() + IDEMPOTENCY_PURGE_EVERY_MS;
      void ledger.idempotency.purgeExpired().catch(() => undefined);
    }, interval);
    timer.unref();
  }

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    ledger,
    clients,
    server,
    async close() {
      clearInterval(timer);
      await worker.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await ledger.close();
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' }).end(text);
}

function tokenEndpoint(req: IncomingMessage, res: ServerResponse, clients: readonly SandboxClient[], signingKey: Uint8Array): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= 16_384) chunks.push(chunk);
  });
  req.on('end', () => {
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    issueToken(clients, signingKey, form, req.headers.authorization).then(
      ({ status, body }) => json(res, status, body),
      () => json(res, 500, { error: 'server_error' }),
    );
  });
}
