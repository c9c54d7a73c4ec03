import { watch, type FSWatcher } from 'node:fs';
import { buildApiModel, type ApiModel, type LoadedSpec } from '@finrail/generators/model';
import { createJwtVerifier, rememberVerifiedTokens, serve, toFetchHandler, type FetchHandler, type Logger, type OperationDefinition, type RawRequest, type RawResponse, type Router, type SecurityOptions, type SecurityVerifier } from '@finrail/server';
import type { ExampleProblem } from '../responses/plan.ts';
import { describeOutcome, resolveMockLogger } from './access-log.ts';
import { withPreferencesInQuery } from '../responses/preferences.ts';
import { createMockApi, MOCK_SOURCE_HEADER, type MockApi, type RouteEntry } from './mock-api.ts';
import { assignBasePaths, findMount } from './mounts.ts';
import { withoutShadowedRoutes } from './shadowed-routes.ts';
import { createTokenIssuer, type TokenIssuer } from './token-issuer.ts';

export interface MockServerOptions {
  /** OpenAPI 3.0/3.1 files (YAML or JSON, multi-file specs included). */
  specs: readonly string[];
  /** Default 4010; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Seed for generated (dynamic) data. Default 1. */
  seed?: number;
  /** Enforce each operation's security (bearer tokens from the mock's /oauth/token). Default true. */
  auth?: boolean;
  /** Where webhooks and callbacks are POSTed. */
  webhookUrl?: string;
  /** HMAC secret for the Finrail-Signature header. Default `whsec_finrail_mock`. */
  webhookSecret?: string;
  /** CORS for browser front ends. Default true. */
  cors?: boolean;
  /** Reload when a spec file changes. Default false. */
  watch?: boolean;
  /** A pino-compatible logger, false for silence; default: one readable line per request on stdout. */
  logger?: Logger | false;
  /** Signals that shut the server down gracefully. Default SIGTERM and SIGINT; false for none. */
  signals?: readonly NodeJS.Signals[] | false;
  /**
   * Reads and bundles the specs (at start and on every reload). Default: in this process, loading
   * Redocly on first use; `loadSpecsApart` keeps it out of a long-running one.
   */
  loadSpecs?: (paths: readonly string[]) => Promise<LoadedSpec[]>;
}

export interface MockServer {
  url: string;
  port: number;
  routes: readonly RouteEntry[];
  /** Invalid examples found at start-up (never served). */
  exampleProblems: readonly ExampleProblem[];
  /** A token the mock accepts, as /oauth/token would issue it. */
  issueToken(scopes?: readonly string[], clientId?: string): Promise<string>;
  /** Reloads every spec now (what --watch does on change). */
  reload(): Promise<void>;
  /** Resolves when every webhook delivery started so far has finished. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_MOCK_PORT = 4010;
export const DEFAULT_WEBHOOK_SECRET = 'whsec_finrail_mock';
const TOKEN_PATH = '/oauth/token';

/** The request router behind the mock, without a listening socket (also usable as a Fetch handler). */
export interface MockRouter extends Router {
  apis(): readonly MockApi[];
  readonly tokens: TokenIssuer;
  reload(): Promise<void>;
  settled(): Promise<void>;
  close(): void;
}

export async function createMockRouter(options: Omit<MockServerOptions, 'port' | 'host' | 'signals'>): Promise<MockRouter> {
  if (options.specs.length === 0) throw new Error('createMockServer needs at least one spec');
  const logger = resolveMockLogger(options.logger);
  const seed = options.seed ?? 1;
  const pending = new Set<Promise<void>>();
  const track = (delivery: Promise<void>): void => {
    pending.add(delivery);
    void delivery.finally(() => pending.delete(delivery));
  };
  let apis: MockApi[] = [];
  // One issuer (one signing key) for the process: tokens stay valid across --watch reloads.
  const issuer = createTokenIssuer(() => allScopes(apis));
  const verifyBearer = rememberVerifiedTokens(createJwtVerifier(issuer.verification));

  const build = async (): Promise<MockApi[]> => {
    const loaded = await (options.loadSpecs ?? loadSpecsHere)(options.specs);
    const models = loaded.map((spec) => servableModel(buildApiModel(spec), logger));
    const basePaths = assignBasePaths(models.map((model) => ({ basePath: model.basePath, title: model.info.title })));
    return models.map((model, index) =>
      createMockApi(model, (loaded[index] as LoadedSpec).files, {
        basePath: basePaths[index] as string,
        seed,
        security: options.auth === false ? false : mockSecurity(model, issuer.verification, verifyBearer),
        cors: options.cors ?? true,
        logger,
        webhooks: { url: options.webhookUrl, secret: options.webhookSecret ?? DEFAULT_WEBHOOK_SECRET },
        track,
      }),
    );
  };

  apis = await build();

  const handle = async (raw: RawRequest): Promise<RawResponse> => {
    const started = performance.now();
    let response: RawResponse;
    let operation: string | undefined;
    // The mock's own token endpoint, unless auth is off and the spec documents one (trakt).
    if (raw.path === TOKEN_PATH && (options.auth !== false || !findMount(apis, raw.path)?.router.operationAt(raw))) {
      response = await issuer.handle(raw);
      operation = 'oauth/token';
    } else {
      const mount = findMount(apis, raw.path);
      const definition = mount?.router.operationAt(raw);
      if (definition) raw = withMockPreferencesApart(raw, definition);
      response = mount
        ? await mount.router.handle(raw)
        : {
            status: 404,
            headers: { 'content-type': 'application/problem+json' },
            body: JSON.stringify({ type: 'https://docs.finrail.dev/problems/not-found', title: 'Not found', status: 404, detail: `no mocked API is mounted at ${raw.path}; mounted: ${apis.map((api) => api.basePath || '/').join(', ')}` }),
          };
      operation = definition?.operationId;
    }
    logger.info(
      {
        method: raw.method,
        path: raw.path,
        status: response.status,
        operation,
        outcome: describeOutcome(response),
        source: response.headers[MOCK_SOURCE_HEADER],
        duration_ms: Math.round((performance.now() - started) * 100) / 100,
      },
      'request',
    );
    return response;
  };

  const watchers: FSWatcher[] = [];
  const reload = async (): Promise<void> => {
    try {
      apis = await build();
      logger.info({ specs: apis.map((api) => api.spec), routes: apis.reduce((sum, api) => sum + api.routes.length, 0) }, 'reloaded');
    } catch (error) {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, 'reload failed; still serving the previous version');
    }
  };
  if (options.watch) {
    let timer: NodeJS.Timeout | undefined;
    const schedule = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), 100);
    };
    for (const file of new Set(apis.flatMap((api) => api.files))) watchers.push(watch(file, schedule));
  }

  return {
    handle,
    operationAt: (raw) => findMount(apis, raw.path)?.router.operationAt(raw),
    get operations() {
      return apis.flatMap((api) => api.router.operations);
    },
    logger,
    options: {},
    apis: () => apis,
    tokens: issuer,
    reload,
    settled: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close: () => {
      for (const watcher of watchers) watcher.close();
    },
  };
}

/** Starts the standalone mock server: every spec under its base path, plus /oauth/token. */
export async function createMockServer(options: MockServerOptions): Promise<MockServer> {
  const router = await createMockRouter(options);
  const handle = await serve(router, {
    port: options.port ?? DEFAULT_MOCK_PORT,
    host: options.host,
    signals: options.signals,
    onShutdown: () => router.close(),
  });
  return {
    url: handle.url,
    port: handle.port,
    get routes() {
      return router.apis().flatMap((api) => api.routes);
    },
    get exampleProblems() {
      return router.apis().flatMap((api) => api.exampleProblems);
    },
    issueToken: (scopes, clientId = 'mock-client') => router.tokens.issue(clientId, scopes ?? allScopes(router.apis())),
    reload: router.reload,
    settled: router.settled,
    close: async () => {
      await router.settled();
      await handle.close();
      router.close();
    },
  };
}

/** The mock as a Fetch API handler `(Request) => Promise<Response>` (edge runtimes, msw passthrough). */
export async function createMockFetchHandler(options: Omit<MockServerOptions, 'port' | 'host' | 'signals'>): Promise<FetchHandler> {
  return toFetchHandler(await createMockRouter(options));
}

/** The model with the operations no request can reach left out; what the spec gets wrong, logged. */
function servableModel(built: ApiModel, logger: Logger): ApiModel {
  const ignored = built.ignoredSchemaKeywords;
  if (ignored.length > 0) logger.warn({ spec: built.specPath, pointers: ignored.map(({ pointer }) => `#${pointer}`) }, `read ${ignored.length} malformed or self-defeating schema keywords leniently (left out or reinterpreted)`);
  const { model, shadowed } = withoutShadowedRoutes(built);
  for (const { operation, servedBy } of shadowed) {
    logger.warn({ spec: built.specPath, operationId: operation.operationId, servedBy: servedBy.operationId }, `${operation.method.toUpperCase()} ${operation.path} is not served: ${servedBy.method.toUpperCase()} ${servedBy.path} matches the same requests`);
  }
  return model;
}

/**
 * Security as the mock enforces it: bearer-like schemes (oauth2, openIdConnect, http bearer)
 * accept only tokens from the mock's /oauth/token; API keys and other HTTP schemes accept any
 * value that is present (a missing one is still a 401).
 */
function mockSecurity(model: ApiModel, bearer: TokenIssuer['verification'], verifyBearer: SecurityVerifier): SecurityOptions {
  const verifiers: Record<string, SecurityVerifier> = {};
  for (const [name, scheme] of Object.entries(model.securitySchemes)) {
    const bearerLike = scheme.type === 'oauth2' || scheme.type === 'openIdConnect' || (scheme.type === 'http' && scheme.scheme.toLowerCase() === 'bearer');
    if (bearerLike) verifiers[name] = verifyBearer;
    else if (scheme.type !== 'apiKey') verifiers[name] = () => ({ ok: true, scopes: [] });
  }
  return { bearer, apiKey: () => true, verifiers, realm: 'finrail-mock' };
}

async function loadSpecsHere(paths: readonly string[]): Promise<LoadedSpec[]> {
  const { loadSpec } = await import('@finrail/generators/load');
  return Promise.all(paths.map((path) => loadSpec(path)));
}

/** Every OAuth scope the served specs declare: what a token request without `scope` is granted. */
function allScopes(apis: readonly MockApi[]): string[] {
  const scopes = new Set<string>();
  for (const api of apis) {
    for (const scheme of Object.values(api.model.securitySchemes)) {
      if (scheme.type !== 'oauth2') continue;
      for (const flow of Object.values(scheme.flows)) for (const scope of Object.keys(flow?.scopes ?? {})) scopes.add(scope);
    }
  }
  return [...scopes].sort();
}

/**
 * A request whose operation declares a `Prefer` header of its own (Azure's required
 * `Prefer: return=representation`), with the mock's preferences (code, example, dynamic) moved into
 * their query form, so the header is validated as the API's. Other requests are left as they are.
 */
function withMockPreferencesApart(raw: RawRequest, definition: OperationDefinition): RawRequest {
  const prefer = raw.header('prefer');
  if (prefer === undefined) return raw;
  const declares = definition.parameters.some((parameter) => parameter.in === 'header' && parameter.name.toLowerCase() === 'prefer');
  const apart = declares ? withPreferencesInQuery(prefer, raw.rawQuery) : undefined;
  if (!apart) return raw;
  return {
    method: raw.method,
    path: raw.path,
    rawQuery: apart.rawQuery,
    header: (name) => (name === 'prefer' ? apart.prefer : raw.header(name)),
    readBody: (limit) => raw.readBody(limit),
    hasBody: raw.hasBody,
    native: raw.native,
  };
}
