import { tokenSourceFor } from './auth.ts';
import { ApiError, apiErrorFor, ConnectionError, FinrailError, TimeoutError } from './errors.ts';
import { OutgoingRequest } from './outgoing-request.ts';
import { PagePromise } from './pagination.ts';
import { isRetryableStatus, isSafeToRetry, retryDelay, sleep } from './retry.ts';
import type { CallInit, ClientOptions, FetchLike, FetchResult, LastResponse, OperationMeta, RequestOptions, TokenSource, WithResponse } from './types.ts';
import { VERSION } from './version.ts';

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_IDEMPOTENCY_HEADER = 'Idempotency-Key';
// openapi-fetch only constructs its Request class and reads url, method, headers and body back.
const OUTGOING_REQUEST = OutgoingRequest as unknown as typeof Request;
// Browsers forbid setting User-Agent; some throw, some drop it silently.
const IS_BROWSER = 'document' in globalThis || 'importScripts' in globalThis;

interface SendPolicy {
  timeout: number;
  maxRetries: number;
  signal: AbortSignal | undefined;
  idempotencyHeader: string;
  /**
   * Whether `call` sends the request. It puts the default headers in before openapi-fetch merges
   * them, and it reads the body before it returns: the last attempt's timer and abort link are kept
   * in `release` for it to run then, so the timeout also covers the body. Otherwise (the raw client)
   * the defaults are added here and the timer ends with the headers.
   */
  viaCall: boolean;
  release: (() => void) | undefined;
}

/**
 * Everything between a generated client and the network: auth, default headers, idempotency keys,
 * retries with backoff, timeouts and cancellation, error mapping and pagination.
 */
export class Transport {
  readonly baseUrl: string;
  /** For the raw openapi-fetch client: auth, headers, retries and timeouts, but no error mapping. */
  readonly fetch: (input: Request) => Promise<Response>;
  readonly #fetch: FetchLike;
  /** Without a custom fetch, generated clients' requests go to the global fetch as a URL and an init. */
  readonly #customFetch: boolean;
  readonly #tokens: TokenSource | undefined;
  readonly #defaultHeaders: Record<string, string>;
  readonly #traceparent: (() => string | undefined) | undefined;
  readonly #timeout: number;
  readonly #maxRetries: number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#customFetch = options.fetch !== undefined;
    this.#tokens = tokenSourceFor({ ...options, fetch: this.#fetch });
    const userAgent = options.userAgent ?? `finrail-runtime/${VERSION}`;
    this.#defaultHeaders = { ...(IS_BROWSER ? {} : { 'user-agent': userAgent }), ...options.headers };
    this.#traceparent = options.traceparent;
    this.#timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
    this.#maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.#sleep = options.sleep ?? sleep;
    // The raw client passes a caller's signal inside the Request.
    this.fetch = (request) => this.#send(request, this.#policy({ signal: request.signal }, DEFAULT_IDEMPOTENCY_HEADER, false));
  }

  /** Runs one operation; resolves with its data or throws an ApiError subclass. */
  async call<T>(
    send: (init: CallInit) => Promise<FetchResult<T>>,
    meta: OperationMeta,
    options: RequestOptions = {},
  ): Promise<WithResponse<T>> {
    const idempotencyHeader = meta.idempotencyHeader ?? DEFAULT_IDEMPOTENCY_HEADER;
    // Defaults go first so the caller's headers and the operation's header parameters override them.
    const headers = { ...this.#defaultHeaders, ...options.headers };
    if ((meta.idempotencyHeader || options.idempotencyKey) && !hasHeader(headers, idempotencyHeader)) {
      headers[idempotencyHeader] = options.idempotencyKey ?? crypto.randomUUID();
    }
    const policy = this.#policy(options, idempotencyHeader, true);
    try {
      // Retries happen inside this per-call fetch, so they reuse the call's idempotency key.
      const { data, error, response } = await send({ headers, Request: OUTGOING_REQUEST, fetch: (request) => this.#send(request, policy) });
      if (!response.ok) throw apiErrorFor(response.status, error, response.headers);
      return withLastResponse(data as T, response);
    } finally {
      policy.release?.();
    }
  }

  /** Runs a cursor-paginated operation: awaitable for the first page, async-iterable over every item. */
  list<Page, Item>(
    send: (cursor: string | undefined, init: CallInit) => Promise<FetchResult<Page>>,
    meta: OperationMeta,
    options?: RequestOptions,
  ): PagePromise<Page, Item> {
    const { pagination } = meta;
    if (!pagination) throw new FinrailError(`${meta.operationId} has no pagination metadata`);
    return new PagePromise((cursor) => this.call((init) => send(cursor, init), meta, options), pagination);
  }

  #policy(options: RequestOptions, idempotencyHeader: string, viaCall: boolean): SendPolicy {
    return {
      timeout: options.timeout ?? this.#timeout,
      maxRetries: options.maxRetries ?? this.#maxRetries,
      signal: options.signal,
      idempotencyHeader,
      viaCall,
      release: undefined,
    };
  }

  async #send(request: Request | OutgoingRequest, policy: SendPolicy): Promise<Response> {
    if (request instanceof OutgoingRequest && (this.#customFetch || !request.replayable)) request = request.toRequest();
    if (!policy.viaCall) {
      for (const name in this.#defaultHeaders) if (!request.headers.has(name)) request.headers.set(name, this.#defaultHeaders[name]!);
    }
    const traceparent = this.#traceparent && !request.headers.has('traceparent') ? this.#traceparent() : undefined;
    if (traceparent) request.headers.set('traceparent', traceparent);
    const retrySafe = isSafeToRetry(request.method, request.headers, policy.idempotencyHeader);
    let retries = 0;
    let refreshedToken = false;
    for (;;) {
      const outcome = await this.#attempt(request, policy);
      if (outcome.response?.status === 401 && outcome.token !== undefined && this.#tokens?.invalidate && !refreshedToken) {
        // The token was revoked or expired early: one more try with a fresh one.
        refreshedToken = true;
        this.#tokens.invalidate(outcome.token);
        discard(outcome);
        continue;
      }
      const delay = retrySafe && retries < policy.maxRetries ? retryDelayFor(outcome, retries + 1) : undefined;
      if (delay === undefined) {
        if (outcome.error) throw outcome.error;
        if (policy.viaCall) policy.release = outcome.release;
        else outcome.release();
        return outcome.response;
      }
      retries++;
      if (outcome.response) discard(outcome);
      await this.#sleep(delay, policy.signal);
    }
  }

  /** One try: a response, or the failure that prevented one. Only a caller's abort throws. */
  async #attempt(request: Request | OutgoingRequest, policy: SendPolicy): Promise<Outcome> {
    const { signal: callerSignal } = policy;
    callerSignal?.throwIfAborted();
    // A Request's body can be read once, so every attempt sends a clone and the original stays unread.
    const attempt = request instanceof Request && request.body ? request.clone() : request;
    // A plain timer, cleared when the attempt is over: AbortSignal.timeout() would keep one live
    // timer per request for the whole timeout, which costs real CPU and memory under load.
    const controller = new AbortController();
    let timedOut = false;
    // `timeout: Infinity` means none: setTimeout would clamp it to 1 ms and fire at once.
    const timer = Number.isFinite(policy.timeout)
      ? setTimeout(() => {
          timedOut = true;
          controller.abort(new TimeoutError(`request timed out after ${policy.timeout} ms`));
        }, policy.timeout)
      : undefined;
    const onCallerAbort = () => controller.abort(callerSignal!.reason);
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    const release = () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    };
    let token: string | undefined;
    try {
      if (this.#tokens) {
        const pending = this.#tokens.getToken(controller.signal);
        token = typeof pending === 'string' ? pending : await pending;
        attempt.headers.set('authorization', `Bearer ${token}`);
      }
      const response = await (attempt instanceof OutgoingRequest
        ? globalThis.fetch(attempt.url, attempt.init(controller.signal))
        : this.#fetch(attempt, { signal: controller.signal }));
      return { response, token, release };
    } catch (cause) {
      release();
      if (callerSignal?.aborted) throw callerSignal.reason;
      return { error: toFailure(cause, timedOut) };
    }
  }
}

type Outcome =
  | { response: Response; token: string | undefined; release: () => void; error?: never }
  | { error: FinrailError; response?: never; token?: never; release?: never };

/** The wait before retrying this outcome, or undefined when it must not be retried. */
function retryDelayFor(outcome: Outcome, retry: number): number | undefined {
  const { response, error } = outcome;
  if (response) return isRetryableStatus(response.status) ? retryDelay(retry, response.headers.get('retry-after')) : undefined;
  if (error instanceof ApiError) return isRetryableStatus(error.status) ? retryDelay(retry, error.headers.get('retry-after')) : undefined;
  return error instanceof ConnectionError ? retryDelay(retry, null) : undefined;
}

function toFailure(cause: unknown, timedOut: boolean): FinrailError {
  if (timedOut) return cause instanceof TimeoutError ? cause : new TimeoutError('request timed out', { cause });
  if (cause instanceof FinrailError) return cause;
  const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
  return new ConnectionError(`connection failed: ${reason}`, { cause });
}

function withLastResponse<T>(data: T, response: Response): WithResponse<T> {
  if (typeof data === 'object' && data !== null) Object.defineProperty(data, 'lastResponse', { value: new ResponseInfo(response), enumerable: false });
  return data as WithResponse<T>;
}

/** What a result tells of its response; the request id is read from the headers only when asked for. */
class ResponseInfo implements LastResponse {
  readonly status: number;
  readonly headers: Headers;

  constructor(response: Response) {
    this.status = response.status;
    this.headers = response.headers;
  }

  get requestId(): string | undefined {
    return this.headers.get('x-request-id') ?? undefined;
  }
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.keys(headers).some((key) => key.toLowerCase() === lower);
}

/** Drops a response that will be retried: frees its connection and its timer. */
function discard(outcome: Outcome & { response: Response }): void {
  outcome.release();
  outcome.response.body?.cancel().catch(() => {});
}
