// The provider under verification: the reference ledger's sandbox on in-memory storage, behind
// a small proxy that gives each interaction the credentials its provider state asks for (the
// pact only pins the shape of the Authorization header; the sandbox wants a token it signed),
// and that can keep a twin of a request in flight (the idempotency 409).
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type RequestOptions, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ALL_SCOPES, createSandbox, type Clock, type Sandbox, type SandboxClient } from '@finrail/ledger';
import type { RateLimitOptions } from '@finrail/server';

export type Credentials = 'valid' | 'invalid' | 'missing-scope';

const FULL: SandboxClient = { clientId: 'contract-tests', clientSecret: 'sk_contract_tests_full', scopes: ALL_SCOPES };
const SCOPELESS: SandboxClient = { clientId: 'contract-tests-scopeless', clientSecret: 'sk_contract_tests_none', scopes: [] };

export class ProviderUnderTest {
  /** The URL the Pact Verifier talks to (the proxy). */
  readonly url: string;
  /** What the next requests authenticate as. */
  credentials: Credentials = 'valid';
  /** Requests with this idempotency key arrive while a twin of theirs is still being processed. */
  inFlightKey: string | undefined;
  readonly #proxy: Server;
  #sandbox: Sandbox;
  #storageFailed = false;
  #tokens = new Map<Credentials, string>();

  private constructor(proxy: Server, sandbox: Sandbox) {
    this.#proxy = proxy;
    this.#sandbox = sandbox;
    this.url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  }

  static async start(): Promise<ProviderUnderTest> {
    const sandbox = await newSandbox(true);
    const proxy = createServer();
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const provider = new ProviderUnderTest(proxy, sandbox);
    proxy.on('request', (req, res) => {
      provider.#forward(req, res).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`provider proxy: ${message}`);
      });
    });
    return provider;
  }

  async #forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const authorization = await this.#authorization(req.headers.authorization);
    const target = new URL(this.#sandbox.url);
    const headers = { ...req.headers, host: target.host, ...(authorization !== undefined && { authorization }) };
    const options: RequestOptions = { host: target.hostname, port: target.port, method: req.method, path: req.url, headers };
    const key = req.headers['idempotency-key'] ?? req.headers['x-idempotency-key'];
    if (this.inFlightKey === undefined || key !== this.inFlightKey) {
      const upstream = httpRequest(options, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', (error) => res.writeHead(502, { 'content-type': 'text/plain' }).end(`provider proxy: ${error.message}`));
      req.pipe(upstream);
      return;
    }
    const body = await readAll(req);
    const answer = await this.#whileTwinInFlight(() => send(options, body));
    res.writeHead(answer.status, answer.headers).end(answer.body);
  }

  /**
   * Sends a request twice while the ledger's single writer is held: whichever twin claims the
   * idempotency key first waits for the writer, still in flight, so the other one is answered
   * (409) without it. That answer is returned; then the writer is released and both complete.
   */
  async #whileTwinInFlight(request: () => Promise<Answer>): Promise<Answer> {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const writer = this.#sandbox.ledger.transaction(async () => {
      holding();
      await gate;
    });
    await held;
    // Should neither twin get an answer without the writer, let them through rather than hang.
    const safety = setTimeout(release, 5_000);
    const twins = [request(), request()];
    try {
      return await Promise.race(twins);
    } finally {
      clearTimeout(safety);
      release();
      await Promise.allSettled([writer, ...twins]);
    }
  }

  get sandbox(): Sandbox {
    return this.#sandbox;
  }

  /** A fresh in-memory ledger for the next interaction: the specs' fixture world, or nothing; optionally another rate limit. */
  async reset(options: { seed: boolean; rateLimit?: RateLimitOptions }): Promise<void> {
    const previous = this.#sandbox;
    this.#sandbox = await newSandbox(options.seed, options.rateLimit);
    this.#tokens.clear();
    this.credentials = 'valid';
    this.inFlightKey = undefined;
    await this.#close(previous);
  }

  /** Closes a sandbox; one whose storage was made to fail cannot close it a second time. */
  async #close(sandbox: Sandbox): Promise<void> {
    const storageFailed = this.#storageFailed;
    this.#storageFailed = false;
    await sandbox.close().catch((error: unknown) => {
      if (!storageFailed) throw error;
    });
  }

  /**
   * Injects an unexpected failure: the ledger's database goes away under the running sandbox,
   * so every request that reaches storage fails until the next reset.
   */
  async failStorage(): Promise<void> {
    this.#storageFailed = true;
    await this.#sandbox.ledger.close();
  }

  /** Calls the sandbox directly with full credentials, for state handlers that act through the API. */
  async call(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.#token('valid')}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method === 'POST') {
      // Wallets and payments read Idempotency-Key; open banking reads the standard's x-idempotency-key.
      const key = extraHeaders['idempotency-key'] ?? `provider-state-${crypto.randomUUID()}`;
      headers[path.startsWith('/open-banking/') ? 'x-idempotency-key' : 'idempotency-key'] = key;
    }
    for (const [name, value] of Object.entries(extraHeaders)) if (name !== 'idempotency-key') headers[name] = value;
    const response = await fetch(`${this.#sandbox.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.#proxy.close(resolve));
    await this.#close(this.#sandbox);
  }

  async #authorization(incoming: string | undefined): Promise<string | undefined> {
    if (incoming === undefined) return undefined;
    return this.credentials === 'invalid' ? 'Bearer not-a-token-the-sandbox-signed' : `Bearer ${await this.#token(this.credentials)}`;
  }

  async #token(credentials: Credentials): Promise<string> {
    const cached = this.#tokens.get(credentials);
    if (cached) return cached;
    const client = credentials === 'missing-scope' ? SCOPELESS : FULL;
    const response = await fetch(`${this.#sandbox.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${btoa(`${client.clientId}:${client.clientSecret}`)}` },
      body: 'grant_type=client_credentials',
    });
    const body = (await response.json()) as { access_token?: string };
    if (!response.ok || !body.access_token) throw new Error(`the sandbox refused a token for ${client.clientId}: ${JSON.stringify(body)}`);
    this.#tokens.set(credentials, body.access_token);
    return body.access_token;
  }
}

/**
 * The fixture world's present (specs/README.md): after everything its examples record and before the
 * deposit hold expires on 2026-11-27. The provider's clock starts there and then moves with real time,
 * so provider states that capture or void that hold work whatever today's date is.
 */
const FIXTURE_WORLD_PRESENT = Date.parse('2026-11-22T00:00:00Z');

function fixtureWorldClock(): Clock {
  const offset = FIXTURE_WORLD_PRESENT - Date.now();
  return { now: () => Date.now() + offset };
}

function newSandbox(seed: boolean, rateLimit?: RateLimitOptions): Promise<Sandbox> {
  const clock = fixtureWorldClock();
  return createSandbox({ port: 0, storage: 'memory', seed, clock, clients: [FULL, SCOPELESS], intervalMs: 0, logger: false, validateResponses: true, ...(rateLimit && { rateLimit }) });
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function send(options: RequestOptions, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(options, (answer) => {
      readAll(answer).then((content) => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: content }), reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}
