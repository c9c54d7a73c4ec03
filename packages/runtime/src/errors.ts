import { parseRetryAfter } from './retry.ts';

/** One entry of an RFC 9457 problem's `errors[]`. */
export interface ProblemFieldError {
  pointer?: string;
  detail?: string;
  code?: string;
}

/** An RFC 9457 problem document as Finrail APIs return it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  request_id?: string;
  errors?: ProblemFieldError[];
  [key: string]: unknown;
}

/** Base class of every error the runtime throws. */
export class FinrailError extends Error {
  override name = 'FinrailError';
}

/** The server answered with a non-2xx status. */
export class ApiError extends FinrailError {
  override name = 'ApiError';
  readonly status: number;
  readonly type: string | undefined;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  readonly errors: ProblemFieldError[];
  readonly requestId: string | undefined;
  /** The parsed body: a Problem when the server sent JSON, else the raw text. */
  readonly problem: Problem | string | undefined;
  readonly headers: Headers;

  constructor(status: number, body: unknown, headers: Headers) {
    const problem = isObject(body) ? (body as Problem) : undefined;
    const requestId = headers.get('x-request-id') ?? str(problem?.request_id);
    const title = str(problem?.title);
    const detail = str(problem?.detail);
    const text = [title, detail].filter(Boolean).join(': ') || (typeof body === 'string' && body ? body.slice(0, 200) : 'no body');
    super(`${status} ${text}${requestId ? ` (request ${requestId})` : ''}`);
    this.status = status;
    this.type = str(problem?.type);
    this.title = title;
    this.detail = detail;
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
    this.requestId = requestId;
    this.problem = problem ?? (typeof body === 'string' ? body : undefined);
    this.headers = headers;
  }
}

export class BadRequestError extends ApiError { override name = 'BadRequestError'; }
export class AuthenticationError extends ApiError { override name = 'AuthenticationError'; }
export class PermissionDeniedError extends ApiError { override name = 'PermissionDeniedError'; }
export class NotFoundError extends ApiError { override name = 'NotFoundError'; }
export class ConflictError extends ApiError { override name = 'ConflictError'; }
export class UnprocessableEntityError extends ApiError { override name = 'UnprocessableEntityError'; }
export class InternalServerError extends ApiError { override name = 'InternalServerError'; }

/**
 * The idempotency key was misused: `reused` (422, type ending in `idempotency-key-reused`: same key,
 * different body) or `in-progress` (409 whose type mentions idempotency: the first request with this
 * key is still running, and retries did not outlast it).
 */
export class IdempotencyError extends ApiError {
  override name = 'IdempotencyError';
  get reason(): 'reused' | 'in-progress' {
    return this.status === 409 ? 'in-progress' : 'reused';
  }
}

export class RateLimitError extends ApiError {
  override name = 'RateLimitError';
  /** Seconds to wait, from `Retry-After` (seconds or HTTP date), if the server sent it. */
  get retryAfter(): number | undefined {
    const ms = parseRetryAfter(this.headers.get('retry-after'));
    return ms === undefined ? undefined : ms / 1000;
  }
}

/** The request never got a response: DNS, refused connection, reset, … `cause` holds the original. */
export class ConnectionError extends FinrailError {
  override name = 'ConnectionError';
}

/** An attempt exceeded its timeout (after any retries). */
export class TimeoutError extends ConnectionError {
  override name = 'TimeoutError';
}

/** Builds the ApiError subclass for a non-2xx response. */
export function apiErrorFor(status: number, body: unknown, headers: Headers): ApiError {
  const type = isObject(body) ? str(body.type) : undefined;
  if (status === 422 && type?.endsWith('idempotency-key-reused')) return new IdempotencyError(status, body, headers);
  if (status === 409 && type?.includes('idempotency')) return new IdempotencyError(status, body, headers);
  const ErrorClass = STATUS_ERRORS[status] ?? (status >= 500 ? InternalServerError : ApiError);
  return new ErrorClass(status, body, headers);
}

const STATUS_ERRORS: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
