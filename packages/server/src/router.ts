// The transport-neutral core: one compiled pipeline per operation, from raw request to raw
// response. Adapters (node:http, Fetch API) only translate to and from RawRequest/RawResponse.
import { randomUUID } from 'node:crypto';
import { createCors, type Cors } from './cors.ts';
import { resolveLogger } from './logger.ts';
import { essence, negotiate } from './media-types.ts';
import { compileParameterParser, decodeComponent, parseCookieHeader, parseQueryString, type ParameterSources, type ParsedParameters } from './parameters.ts';
import { chooseRoute, PathRouter, routeFor, routeParams, segmentPatterns, type Route } from './path-router.ts';
import { buildProblem, HttpProblem, PROBLEM_CONTENT_TYPE, ProblemTypes, type Problem } from './problem.ts';
import { RateLimiter } from './rate-limit.ts';
import { readRequestBody } from './request-body.ts';
import { RequestContext } from './request-context.ts';
import { checkResponse, findResponse, serialize, type DocumentedResponse } from './response-contract.ts';
import { compileResponseHeadersCheck, type ResponseHeadersCheck } from './response-headers.ts';
import { createAuthenticator, type Authenticator, type AuthOutcome } from './security.ts';
import type {
  ApiDefinition,
  Discriminator,
  Handler,
  HandlerInput,
  HandlerOutput,
  Logger,
  OperationDefinition,
  ProblemKind,
  RawRequest,
  RawResponse,
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
  /**
   * `handle` without the promise when the pipeline completes synchronously (adapters use it to
   * skip a microtask turn per request). Routers that do not have it are driven through `handle`.
   */
  dispatch?(request: RawRequest): RawResponse | Promise<RawResponse>;
  /** The operation a request would be routed to, if any (for an access log kept outside the router). */
  operationAt(request: RawRequest): OperationDefinition | undefined;
  readonly operations: readonly OperationDefinition[];
  readonly logger: Logger;
  readonly options: Readonly<RouterOptions>;
}

interface CompiledOperation {
  definition: OperationDefinition;
  handler: Handler<any, any>;
  parseParameters: (sources: ParameterSources) => ParsedParameters;
  readsQuery: boolean;
  readsCookies: boolean;
  /** Media types the successful responses can carry (for Accept). */
  offered: string[];
  /** Accept header value → acceptable? Clients send the same few values over and over. */
  acceptable: Map<string, boolean>;
  /** Status → the documented response it falls under (handlers answer the same few statuses). */
  documented: Map<number, DocumentedResponse | undefined>;
  /** Absent when no response documents a header. */
  checkHeaders: ResponseHeadersCheck | undefined;
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
      readsCookies: definition.parameters.some((parameter) => parameter.in === 'cookie'),
      offered: successMediaTypes(definition),
      acceptable: new Map(),
      documented: new Map(),
      checkHeaders: compileResponseHeadersCheck(definition),
    }, definition.discriminators, segmentPatterns(definition.parameters));
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

  /** Headers the router adds to every answer, whoever produced it: rate-limit state and CORS. */
  const addRouterHeaders = (raw: RawRequest, trace: RouteTrace, headers: RawResponse['headers']): void => {
    if (trace.rateLimitHeaders) Object.assign(headers, trace.rateLimitHeaders);
    if (cors) {
      const origin = raw.header('origin');
      const corsHeaders = origin !== undefined ? cors.headers(origin) : undefined;
      if (corsHeaders) Object.assign(headers, corsHeaders);
    }
  };

  const finish = (raw: RawRequest, requestId: string, trace: RouteTrace, started: number, response: RawResponse): RawResponse => {
    addRouterHeaders(raw, trace, response.headers);
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

  const unhandled = (raw: RawRequest, requestId: string, error: unknown): RawResponse => {
    logger.error({ err: error, req_id: requestId }, 'unhandled error');
    return problemResponse('internal-error', requestId, raw.path, { detail: `the request failed; quote request id ${requestId}` });
  };

  // Synchronous whenever the pipeline is: no authentication, no request body and a synchronous
  // handler answer without a single promise, which is most of a read-heavy API's traffic.
  const dispatch = (raw: RawRequest): RawResponse | Promise<RawResponse> => {
    const started = accessLog ? performance.now() : 0;
    const incomingId = raw.header('x-request-id');
    const requestId = incomingId !== undefined && REQUEST_ID.test(incomingId) ? incomingId : generateRequestId();
    const trace: RouteTrace = { operationId: undefined, rateLimitHeaders: undefined };
    let routed: RawResponse | Promise<RawResponse>;
    try {
      routed = route(raw, requestId, trace);
    } catch (error) {
      routed = unhandled(raw, requestId, error);
    }
    if (routed instanceof Promise) {
      return routed.then(
        (response) => finish(raw, requestId, trace, started, response),
        (error: unknown) => finish(raw, requestId, trace, started, unhandled(raw, requestId, error)),
      );
    }
    return finish(raw, requestId, trace, started, routed);
  };

  const handle = async (raw: RawRequest): Promise<RawResponse> => dispatch(raw);

  /** The request's path below the base path (undefined when it lies outside it). */
  const routedPath = (rawPath: string): string | undefined => {
    if (!basePath) return rawPath;
    if (rawPath !== basePath && !rawPath.startsWith(`${basePath}/`)) return undefined;
    return rawPath.slice(basePath.length) || '/';
  };

  // Most routes have no alternatives: no reader is made for them.
  const selectRoute = (methodRoute: Route<CompiledOperation>, raw: RawRequest): Route<CompiledOperation> =>
    methodRoute.alternatives.length === 0 ? methodRoute : chooseRoute(methodRoute, discriminatorReader(raw));

  const operationAt = (raw: RawRequest): OperationDefinition | undefined => {
    const path = routedPath(raw.path);
    const method = raw.method.toLowerCase();
    const match = path === undefined ? undefined : paths.find(path, method);
    const methodRoute = match && routeFor(match.routes, method);
    return methodRoute && selectRoute(methodRoute, raw).value.definition;
  };

  const route = (raw: RawRequest, requestId: string, trace: RouteTrace): RawResponse | Promise<RawResponse> => {
    const path = routedPath(raw.path);
    const method = raw.method.toLowerCase();
    const match = path === undefined ? undefined : paths.find(path, method);
    if (!match) return problemResponse('not-found', requestId, raw.path, { detail: `no route for ${raw.path}` });

    if (method === 'options' && cors && !match.routes.has('options')) {
      const origin = raw.header('origin');
      const preflight = origin !== undefined ? cors.preflight(origin, allowedMethods(match.routes), raw.header('access-control-request-headers')) : undefined;
      return { status: 204, headers: { ...preflight, 'x-request-id': requestId, allow: allowedMethods(match.routes).join(', ').toUpperCase() }, body: undefined };
    }
    const methodRoute = routeFor(match.routes, method);
    if (!methodRoute) {
      const allow = allowedMethods(match.routes).join(', ').toUpperCase();
      return problemResponse('method-not-allowed', requestId, raw.path, { detail: `${raw.method} is not allowed on ${raw.path}; allowed: ${allow}` }, { allow });
    }
    const selected = selectRoute(methodRoute, raw);
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

    const call: Call = { raw, requestId, trace, operation, request, path: routeParams(selected, match.values), auth: undefined };
    if (authenticate && definition.security && definition.security.length > 0) {
      const outcome = authenticate(definition.security, request);
      return outcome instanceof Promise ? outcome.then((settled) => authenticated(call, settled)) : authenticated(call, outcome);
    }
    return negotiateAndRead(call);
  };

  const authenticated = (call: Call, outcome: AuthOutcome): RawResponse | Promise<RawResponse> => {
    if (!outcome.ok) {
      return problemResponse(outcome.status === 401 ? 'authentication-required' : 'insufficient-scope', call.requestId, call.raw.path, { detail: outcome.detail }, {
        'www-authenticate': outcome.challenge,
      });
    }
    call.auth = outcome.auth;
    return negotiateAndRead(call);
  };

  const negotiateAndRead = (call: Call): RawResponse | Promise<RawResponse> => {
    const { raw, requestId, operation } = call;
    if (operation.offered.length > 0 && !isAcceptable(operation, raw.header('accept'))) {
      return problemResponse('not-acceptable', requestId, raw.path, {
        detail: `this operation responds with ${operation.offered.join(', ')}; the Accept header allows none of them`,
      });
    }
    const bodyDefinition = operation.definition.requestBody;
    if (!bodyDefinition) return validateAndCall(call, [], undefined);
    return readRequestBody(raw, bodyDefinition, bodyLimit).then((read) => {
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
          errors: [{ pointer: '/body', detail: read.detail, code: read.code }],
        });
      }
      const issues: ValidationIssue[] = [];
      if (read.kind === 'absent') {
        if (bodyDefinition.required) issues.push({ pointer: '/body', detail: 'is required', code: 'required' });
        return validateAndCall(call, issues, undefined);
      }
      const validate = operation.definition.validators.body?.[read.mediaType];
      if (validate && !validate(read.value)) issues.push(...toValidationIssues(validate.errors, '/body'));
      return validateAndCall(call, issues, read.value);
    });
  };

  const validateAndCall = (call: Call, issues: ValidationIssue[], body: unknown): RawResponse | Promise<RawResponse> => {
    const { raw, requestId, operation, request } = call;
    const definition = operation.definition;
    const parsed = operation.parseParameters({
      path: call.path,
      query: operation.readsQuery ? parseQueryString(raw.rawQuery) : EMPTY_QUERY,
      header: raw.header,
      cookies: operation.readsCookies ? memo(() => parseCookieHeader(raw.header('cookie'))) : noCookies,
    });
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

    let result: HandlerOutput | Promise<HandlerOutput>;
    try {
      result = operation.handler({
        params: parsed.path,
        query: parsed.query,
        headers: parsed.headers,
        cookies: parsed.cookies,
        body,
        auth: call.auth,
        request,
        operationId: definition.operationId,
      });
    } catch (error) {
      return handlerFailed(call, error);
    }
    if (result instanceof Promise) {
      return result.then(
        (output) => respond(call, output),
        (error: unknown) => handlerFailed(call, error),
      );
    }
    return respond(call, result);
  };

  const handlerFailed = ({ raw, requestId, operation, request }: Call, error: unknown): RawResponse => {
    if (error instanceof HttpProblem) {
      const problem = buildProblem(types, error.kind, { ...error.init, status: error.status, requestId, instance: error.init.instance ?? raw.path });
      return { status: error.status, headers: { ...error.headers, 'content-type': PROBLEM_CONTENT_TYPE, 'x-request-id': requestId }, body: JSON.stringify(problem) };
    }
    request.log.error({ err: error, operation: operation.definition.operationId }, 'handler failed');
    return problemResponse('internal-error', requestId, raw.path, { detail: `the request failed; quote request id ${requestId}` });
  };

  const respond = ({ operation, requestId, raw, request, trace }: Call, output: HandlerOutput): RawResponse => {
    const definition = operation.definition;
    const status = output.status;
    const documented = documentedResponse(operation, status);
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

    const headers: Record<string, string | readonly string[]> = {};
    if (output.headers) {
      for (const [name, value] of Object.entries(output.headers)) {
        if (value === undefined) continue;
        headers[name.toLowerCase()] = typeof value === 'number' ? String(value) : value;
      }
    }
    headers['x-request-id'] = requestId;

    if (validateResponses !== false) {
      const violations = checkResponse(definition, documented, status, contentType, responseBody);
      if (documented && operation.checkHeaders) {
        // Checked as sent: with the headers the router adds after the handler (`finish` adds them again).
        addRouterHeaders(raw, trace, headers);
        violations.push(...operation.checkHeaders(documented.key, (name) => joinHeader(headers[name])));
      }
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

    let payload: string | Uint8Array | undefined;
    if (responseBody !== undefined) {
      headers['content-type'] = contentType!;
      payload = serialize(responseBody, contentType!);
    }
    return { status, headers, body: payload };
  };

  return { handle, dispatch, operationAt, operations: api.operations, logger, options };
}

/** What the pipeline learnt about a request, for the access log and headers added to any answer. */
interface RouteTrace {
  operationId: string | undefined;
  rateLimitHeaders: Record<string, string> | undefined;
}

/** A request matched to its operation, carried through the pipeline's stages. */
interface Call {
  raw: RawRequest;
  requestId: string;
  trace: RouteTrace;
  operation: CompiledOperation;
  request: RequestContext;
  /** Raw path parameter values by name. */
  path: Record<string, string>;
  auth: HandlerInput['auth'];
}

const EMPTY_QUERY: Map<string, string[]> = new Map();
const ACCEPT_CACHE_SIZE = 32;

/** A request's discriminator values (for chooseRoute); its query string is parsed only if one is asked for. */
export function discriminatorReader(raw: RawRequest): (discriminator: Discriminator) => string | undefined {
  let query: Map<string, string[]> | undefined;
  return (discriminator) => {
    if (discriminator.in === 'header') return raw.header(discriminator.name.toLowerCase());
    query ??= parseQueryString(raw.rawQuery);
    const value = query.get(discriminator.name)?.[0];
    return value === undefined ? undefined : decodeComponent(value);
  };
}

function isAcceptable(operation: CompiledOperation, accept: string | undefined): boolean {
  if (accept === undefined) return true;
  let acceptable = operation.acceptable.get(accept);
  if (acceptable === undefined) {
    acceptable = negotiate(accept, operation.offered) !== undefined;
    if (operation.acceptable.size < ACCEPT_CACHE_SIZE) operation.acceptable.set(accept, acceptable);
  }
  return acceptable;
}

function documentedResponse(operation: CompiledOperation, status: number): DocumentedResponse | undefined {
  if (operation.documented.has(status)) return operation.documented.get(status);
  const documented = findResponse(operation.definition, status);
  operation.documented.set(status, documented);
  return documented;
}

function joinHeader(value: string | readonly string[] | undefined): string | undefined {
  return value === undefined || typeof value === 'string' ? value : value.join(', ');
}

function collect(issues: ValidationIssue[], validate: ValidateFunction | undefined, value: Record<string, unknown>, prefix: string): void {
  if (validate && !validate(value)) issues.push(...toValidationIssues(validate.errors, prefix));
}

const LOCATION_ORDER = ['/path', '/query', '/header', '/cookie', '/body'];
function byLocation(a: ValidationIssue, b: ValidationIssue): number {
  const rank = (pointer: string) => LOCATION_ORDER.findIndex((prefix) => pointer === prefix || pointer.startsWith(`${prefix}/`));
  return rank(a.pointer) - rank(b.pointer);
}

const NO_COOKIES: Map<string, string> = new Map();
const noCookies = (): Map<string, string> => NO_COOKIES;

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
