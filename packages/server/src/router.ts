// The transport-neutral core: one compiled pipeline per operation, from raw request to raw
// response. Adapters (node:http, Fetch API) only translate to and from RawRequest/RawResponse.
import { randomUUID } from 'node:crypto';
import { createCors, type Cors } from './cors.ts';
import { resolveLogger } from './logger.ts';
import { essence, negotiate } from './media-types.ts';
import { compileParameterParser, parseCookieHeader, parseQueryString, type ParameterSources, type ParsedParameters } from './parameters.ts';
import { PathRouter, routeParams } from './path-router.ts';
import { buildProblem, HttpProblem, PROBLEM_CONTENT_TYPE, ProblemTypes, type Problem } from './problem.ts';
import { RateLimiter } from './rate-limit.ts';
import { readRequestBody } from './request-body.ts';
import { RequestContext } from './request-context.ts';
import { checkResponse, findResponse, serialize } from './response-contract.ts';
import { createAuthenticator, type Authenticator } from './security.ts';
import type {
  ApiDefinition,
  Handler,
  HandlerInput,
  HandlerOutput,
  Logger,
  OperationDefinition,
  ProblemKind,
  RawRequest,
  RawResponse,
  RequestInfo,
  RouterOptions,
  ValidateFunction,
  ValidationIssue,
} from './types.ts';
import { toValidationIssues } from './validation-errors.ts';

/**
 * A handler placeholder for operations not built yet: answers 501 problem+json. It accepts any
 * input and never returns, so it fits every generated handler slot.
 */
export const notImplemented = (_input?: unknown): never => {
  throw new HttpProblem(501, 'not-implemented', { detail: 'this operation is not implemented yet' });
};

export type NotImplemented = typeof notImplemented;

/** Handlers by operationId, as the runtime sees them (generated routers add precise types). */
export type HandlerMap = Readonly<Record<string, Handler<any, any>>>;

export interface Router {
  handle(request: RawRequest): Promise<RawResponse>;
  readonly operations: readonly OperationDefinition[];
  readonly logger: Logger;
  readonly options: Readonly<RouterOptions>;
}

interface CompiledOperation {
  definition: OperationDefinition;
  handler: Handler<any, any>;
  parseParameters: (sources: ParameterSources) => ParsedParameters;
  readsQuery: boolean;
  /** Media types the successful responses can carry (for Accept). */
  offered: string[];
  /** Accept header value → acceptable? Clients send the same few values over and over. */
  acceptable: Map<string, boolean>;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;
const REQUEST_ID = /^[\x21-\x7e]{1,200}$/;

export function createRouter(api: ApiDefinition, handlers: HandlerMap, options: RouterOptions = {}): Router {
  const logger = resolveLogger(options.logger);
  const types = new ProblemTypes(options.problems);
  const basePath = normalizeBasePath(options.basePath);
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const validateResponses = options.validateResponses ?? process.env.NODE_ENV !== 'production';
  const accessLog = options.logger !== false && (options.accessLog ?? true);
  const generateRequestId = options.generateRequestId ?? defaultRequestId;
  const cors: Cors | undefined = options.cors ? createCors(options.cors === true ? {} : options.cors) : undefined;
  const rateLimiter = options.rateLimit ? new RateLimiter(options.rateLimit) : undefined;
  const authenticate: Authenticator | undefined =
    options.security === false ? undefined : createAuthenticator(api.securitySchemes ?? {}, options.security ?? {}, logger);

  const paths = new PathRouter<CompiledOperation>();
  const missing: string[] = [];
  for (const definition of api.operations) {
    const handler = handlers[definition.operationId];
    if (typeof handler !== 'function') {
      missing.push(definition.operationId);
      continue;
    }
    paths.add(definition.path, definition.method, {
      definition,
      handler,
      parseParameters: compileParameterParser(definition.parameters),
      readsQuery: definition.parameters.some((parameter) => parameter.in === 'query'),
      offered: successMediaTypes(definition),
      acceptable: new Map(),
    });
  }
  if (missing.length > 0) throw new Error(`no handler for operation(s): ${missing.join(', ')}`);

  const problemResponse = (
    kind: ProblemKind | 'rate-limited',
    requestId: string,
    instance: string,
    init: { detail?: string; errors?: ValidationIssue[]; status?: number; title?: string } = {},
    headers: Record<string, string> = {},
  ): RawResponse => {
    const body = buildProblem(types, kind, { ...init, requestId, instance });
    return {
      status: body.status,
      headers: { ...headers, 'content-type': PROBLEM_CONTENT_TYPE, 'x-request-id': requestId },
      body: JSON.stringify(body),
    };
  };

  const handle = async (raw: RawRequest): Promise<RawResponse> => {
    const started = accessLog ? performance.now() : 0;
    const incomingId = raw.header('x-request-id');
    const requestId = incomingId !== undefined && REQUEST_ID.test(incomingId) ? incomingId : generateRequestId();
    const origin = cors ? raw.header('origin') : undefined;
    const trace: RouteTrace = {};
    let response: RawResponse;
    try {
      response = await route(raw, requestId, trace);
    } catch (error) {
      logger.error({ err: error, req_id: requestId }, 'unhandled error');
      response = problemResponse('internal-error', requestId, raw.path, { detail: `the request failed; quote request id ${requestId}` });
    }
    if (trace.rateLimitHeaders) Object.assign(response.headers, trace.rateLimitHeaders);
    if (origin !== undefined && cors) {
      const corsHeaders = cors.headers(origin);
      if (corsHeaders) Object.assign(response.headers, corsHeaders);
    }
    if (raw.method === 'HEAD') response.body = undefined;
    if (accessLog) {
      logger.info(
        {
          req_id: requestId,
          method: raw.method,
          path: raw.path,
          operation: trace.operationId,
          status: response.status,
          duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
        },
        'request',
      );
    }
    return response;
  };

  const route = async (raw: RawRequest, requestId: string, trace: RouteTrace): Promise<RawResponse> => {
    let path = raw.path;
    if (basePath) {
      if (path !== basePath && !path.startsWith(`${basePath}/`)) {
        return problemResponse('not-found', requestId, raw.path, { detail: `no route for ${raw.path}` });
      }
      path = path.slice(basePath.length) || '/';
    }
    const match = paths.find(path);
    if (!match) return problemResponse('not-found', requestId, raw.path, { detail: `no route for ${raw.path}` });

    const method = raw.method.toLowerCase();
    if (method === 'options' && cors && !match.routes.has('options')) {
      const origin = raw.header('origin');
      const preflight = origin !== undefined ? cors.preflight(origin, allowedMethods(match.routes), raw.header('access-control-request-headers')) : undefined;
      return { status: 204, headers: { ...preflight, 'x-request-id': requestId, allow: allowedMethods(match.routes).join(', ').toUpperCase() }, body: undefined };
    }
    const selected = match.routes.get(method) ?? (method === 'head' ? match.routes.get('get') : undefined);
    if (!selected) {
      const allow = allowedMethods(match.routes).join(', ').toUpperCase();
      return problemResponse('method-not-allowed', requestId, raw.path, { detail: `${raw.method} is not allowed on ${raw.path}; allowed: ${allow}` }, { allow });
    }
    const operation = selected.value;
    const definition = operation.definition;
    trace.operationId = definition.operationId;
    const request = new RequestContext(raw, requestId, logger, definition.operationId);

    if (rateLimiter) {
      const limit = rateLimiter.take(request);
      trace.rateLimitHeaders = limit.headers;
      if (!limit.allowed) {
        return problemResponse('rate-limited', requestId, raw.path, {
          status: 429,
          title: 'Too many requests',
          detail: `the limit of ${limit.headers['ratelimit-limit']} requests per window was reached; retry in ${limit.headers['retry-after']} seconds`,
        });
      }
    }

    let auth: HandlerInput['auth'];
    if (authenticate && definition.security && definition.security.length > 0) {
      const outcome = await authenticate(definition.security, request);
      if (!outcome.ok) {
        return problemResponse(outcome.status === 401 ? 'authentication-required' : 'insufficient-scope', requestId, raw.path, { detail: outcome.detail }, {
          'www-authenticate': outcome.challenge,
        });
      }
      auth = outcome.auth;
    }

    if (operation.offered.length > 0 && !isAcceptable(operation, raw.header('accept'))) {
      return problemResponse('not-acceptable', requestId, raw.path, {
        detail: `this operation responds with ${operation.offered.join(', ')}; the Accept header allows none of them`,
      });
    }

    const issues: ValidationIssue[] = [];
    let body: unknown;
    const bodyDefinition = definition.requestBody;
    if (bodyDefinition) {
      const read = await readRequestBody(raw, bodyDefinition.contentTypes, bodyLimit);
      if (read.kind === 'unsupported') {
        return problemResponse('unsupported-media-type', requestId, raw.path, {
          detail: `Content-Type ${read.contentType || '(none)'} is not accepted; use ${bodyDefinition.contentTypes.join(', ')}`,
        });
      }
      if (read.kind === 'too-large') {
        return problemResponse('payload-too-large', requestId, raw.path, { detail: `the request body exceeds ${bodyLimit} bytes` });
      }
      if (read.kind === 'malformed') {
        return problemResponse('invalid-request', requestId, raw.path, {
          detail: read.detail,
          errors: [{ pointer: '/body', detail: read.detail, code: 'malformed_json' }],
        });
      }
      if (read.kind === 'absent') {
        if (bodyDefinition.required) issues.push({ pointer: '/body', detail: 'is required', code: 'required' });
      } else {
        body = read.value;
        const validate = definition.validators.body?.[read.mediaType];
        if (validate && !validate(body)) issues.push(...toValidationIssues(validate.errors, '/body'));
      }
    }

    const sources: ParameterSources = {
      path: routeParams(selected, match.values),
      query: operation.readsQuery ? parseQueryString(raw.rawQuery) : EMPTY_QUERY,
      header: raw.header,
      cookies: memo(() => parseCookieHeader(raw.header('cookie'))),
    };
    const parsed = operation.parseParameters(sources);
    const validators = definition.validators;
    collect(issues, validators.path, parsed.path, '/path');
    collect(issues, validators.query, parsed.query, '/query');
    collect(issues, validators.headers, parsed.headers, '/header');
    collect(issues, validators.cookies, parsed.cookies, '/cookie');
    if (issues.length > 0) {
      issues.sort(byLocation);
      return problemResponse('invalid-request', requestId, raw.path, {
        detail: issues.length === 1 ? `${issues[0]!.pointer} ${issues[0]!.detail}` : `${issues.length} problems in the request`,
        errors: issues,
      });
    }

    let output: HandlerOutput;
    try {
      const result = operation.handler({
        params: parsed.path,
        query: parsed.query,
        headers: parsed.headers,
        cookies: parsed.cookies,
        body,
        auth,
        request,
        operationId: definition.operationId,
      });
      // Most handlers of a fast path are synchronous: skip the extra microtask turn for them.
      output = result instanceof Promise ? await result : result;
    } catch (error) {
      if (error instanceof HttpProblem) {
        const problem = buildProblem(types, error.kind, { ...error.init, status: error.status, requestId, instance: error.init.instance ?? raw.path });
        return { status: error.status, headers: { ...error.headers, 'content-type': PROBLEM_CONTENT_TYPE, 'x-request-id': requestId }, body: JSON.stringify(problem) };
      }
      request.log.error({ err: error, operation: definition.operationId }, 'handler failed');
      return problemResponse('internal-error', requestId, raw.path, { detail: `the request failed; quote request id ${requestId}` });
    }
    return respond(definition, output, requestId, raw, request);
  };

  const respond = (definition: OperationDefinition, output: HandlerOutput, requestId: string, raw: RawRequest, request: RequestInfo): RawResponse => {
    const status = output.status;
    const documented = findResponse(definition, status);
    const declaredTypes = documented?.definition.contentTypes ?? [];
    const contentType =
      output.contentType ??
      (output.body === undefined
        ? undefined
        : declaredTypes.length === 1
          ? declaredTypes[0]
          : (negotiate(raw.header('accept'), declaredTypes) ?? declaredTypes[0] ?? 'application/json'));
    let responseBody = output.body;
    if (contentType !== undefined && essence(contentType) === PROBLEM_CONTENT_TYPE && isPlainObject(responseBody) && responseBody.request_id === undefined) {
      responseBody = { ...responseBody, request_id: requestId };
    }

    if (validateResponses !== false) {
      const violations = checkResponse(definition, documented, status, contentType, responseBody);
      if (violations.length > 0) {
        request.log.error({ operation: definition.operationId, status, violations }, 'response does not match the contract');
        if (validateResponses === true) {
          return problemResponse('response-validation-failed', requestId, raw.path, {
            detail: `${definition.operationId} answered ${status} off contract: ${violations.map((issue) => `${issue.pointer} ${issue.detail}`).join('; ')}`,
            errors: violations,
          });
        }
      }
    }

    const headers: Record<string, string | readonly string[]> = {};
    if (output.headers) {
      for (const [name, value] of Object.entries(output.headers)) {
        if (value === undefined) continue;
        headers[name.toLowerCase()] = typeof value === 'number' ? String(value) : value;
      }
    }
    headers['x-request-id'] = requestId;
    let payload: string | Uint8Array | undefined;
    if (responseBody !== undefined) {
      headers['content-type'] = contentType!;
      payload = serialize(responseBody, contentType!);
    }
    return { status, headers, body: payload };
  };

  return { handle, operations: api.operations, logger, options };
}

/** What the pipeline learnt about a request, for the access log and headers added to any answer. */
interface RouteTrace {
  operationId?: string;
  rateLimitHeaders?: Record<string, string>;
}

const EMPTY_QUERY: Map<string, string[]> = new Map();
const ACCEPT_CACHE_SIZE = 32;

function isAcceptable(operation: CompiledOperation, accept: string | undefined): boolean {
  if (accept === undefined) return true;
  let acceptable = operation.acceptable.get(accept);
  if (acceptable === undefined) {
    acceptable = negotiate(accept, operation.offered) !== undefined;
    if (operation.acceptable.size < ACCEPT_CACHE_SIZE) operation.acceptable.set(accept, acceptable);
  }
  return acceptable;
}

function collect(issues: ValidationIssue[], validate: ValidateFunction | undefined, value: Record<string, unknown>, prefix: string): void {
  if (validate && !validate(value)) issues.push(...toValidationIssues(validate.errors, prefix));
}

const LOCATION_ORDER = ['/path', '/query', '/header', '/cookie', '/body'];
function byLocation(a: ValidationIssue, b: ValidationIssue): number {
  const rank = (pointer: string) => LOCATION_ORDER.findIndex((prefix) => pointer === prefix || pointer.startsWith(`${prefix}/`));
  return rank(a.pointer) - rank(b.pointer);
}

function memo<T>(compute: () => T): () => T {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value as T;
  };
}

function normalizeBasePath(basePath: string | undefined): string {
  if (!basePath || basePath === '/') return '';
  const withSlash = basePath.startsWith('/') ? basePath : `/${basePath}`;
  return withSlash.endsWith('/') ? withSlash.slice(0, -1) : withSlash;
}

function allowedMethods(routes: ReadonlyMap<string, unknown>): string[] {
  const methods = [...routes.keys()];
  if (routes.has('get') && !routes.has('head')) methods.push('head');
  return methods;
}

function successMediaTypes(definition: OperationDefinition): string[] {
  const types = new Set<string>();
  for (const [status, response] of Object.entries(definition.responses)) {
    if (status.startsWith('2')) for (const type of response.contentTypes) types.add(type);
  }
  return [...types];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Request ids need to be unique, not secret: a random per-process prefix and a counter give
// `req_` + 32 hex digits without drawing entropy on every request.
const REQUEST_ID_PREFIX = `req_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
let requestCounter = 0;
function defaultRequestId(): string {
  requestCounter = (requestCounter + 1) % Number.MAX_SAFE_INTEGER;
  return REQUEST_ID_PREFIX + requestCounter.toString(16).padStart(16, '0');
}

export type { Problem };
