/** A fetch implementation. The runtime always calls it as `fetch(request, { signal })`. */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

/** Where access tokens come from. `invalidate` is called with a token the server rejected (401). */
export interface TokenSource {
  /** A cached token may be returned as it is: the runtime awaits only a promise. */
  getToken(signal?: AbortSignal): string | Promise<string>;
  /** Drop `token` if it is still the cached one; the next `getToken` fetches a fresh one. */
  invalidate?(token: string): void;
}

export type AccessToken = string | (() => string | Promise<string>) | TokenSource;

export interface ClientOptions {
  /** Base URL of the API, including its server base path (e.g. `https://api.finrail.dev/wallets/v1`). */
  baseUrl: string;
  /** A static bearer token, a function returning one (called per attempt), or a shared TokenSource. */
  accessToken?: AccessToken;
  /** OAuth 2.0 client credentials; used when `accessToken` is not given. */
  clientId?: string;
  clientSecret?: string;
  /** Token endpoint; defaults to `/oauth/token` on the origin of `baseUrl`. */
  tokenUrl?: string;
  scopes?: string[];
  /** Per-attempt timeout in milliseconds (default 60 000). */
  timeout?: number;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  fetch?: FetchLike;
  /** Headers sent with every request (a per-request header of the same name wins). */
  headers?: Record<string, string>;
  /** Default `finrail-runtime/<version>`; never sent from browsers, where the header is forbidden. */
  userAgent?: string;
  /** Called per request for a W3C `traceparent` value (ignored when the request already has one). */
  traceparent?: () => string | undefined;
  /** Replaces the backoff timer (tests, custom schedulers). Must reject when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface RequestOptions {
  /** Reused across this call's retries; generated with crypto.randomUUID() when omitted. */
  idempotencyKey?: string;
  signal?: AbortSignal;
  timeout?: number;
  maxRetries?: number;
  headers?: Record<string, string>;
}

/** Page properties may be dot-separated paths into nested objects, e.g. `Meta.NextCursor`. */
export interface PaginationMeta {
  /** Query parameter carrying the cursor, e.g. `starting_after`. */
  cursorParam: string;
  /** Page property holding the next cursor, e.g. `next_cursor`. */
  nextCursor: string;
  /** Page property saying whether more pages exist, e.g. `has_more`. */
  hasMore: string;
  /** Page property holding the items array, e.g. `data`. */
  items: string;
}

export interface OperationMeta {
  operationId: string;
  method: string;
  /** Header name for the idempotency key when the operation declares one (e.g. `Idempotency-Key`). */
  idempotencyHeader?: string;
  pagination?: PaginationMeta;
}

/** Spread into openapi-fetch's per-request init. */
export interface CallInit {
  headers: Record<string, string>;
  /** openapi-fetch builds the request with this (an OutgoingRequest), and hands it to `fetch`. */
  Request: typeof Request;
  fetch: (input: Request) => Promise<Response>;
}

/** What openapi-fetch resolves to. */
export interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export interface LastResponse {
  status: number;
  headers: Headers;
  /** The `X-Request-Id` response header. */
  requestId: string | undefined;
}

/** A successful result: the body, with a non-enumerable `lastResponse` when the body is an object. */
export type WithResponse<T> = T extends object ? T & { readonly lastResponse: LastResponse } : T;
