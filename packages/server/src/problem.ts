// RFC 9457 problem details: the one error shape the runtime answers with.
import type { HandlerOutput, ProblemKind, ProblemOptions, ValidationIssue } from './types.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json' as const;
export const DEFAULT_PROBLEM_TYPE_BASE = 'https://docs.finrail.dev/problems/';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  request_id?: string;
  errors?: ValidationIssue[];
  [extension: string]: unknown;
}

const TITLES: Record<ProblemKind, string> = {
  'invalid-request': 'Invalid request',
  'authentication-required': 'Authentication required',
  'insufficient-scope': 'Insufficient scope',
  'not-found': 'Not found',
  'method-not-allowed': 'Method not allowed',
  'not-acceptable': 'Not acceptable',
  'payload-too-large': 'Payload too large',
  'unsupported-media-type': 'Unsupported media type',
  'not-implemented': 'Not implemented',
  'internal-error': 'Internal server error',
  'response-validation-failed': 'Internal server error',
};

const STATUSES: Record<ProblemKind, number> = {
  'invalid-request': 400,
  'authentication-required': 401,
  'insufficient-scope': 403,
  'not-found': 404,
  'method-not-allowed': 405,
  'not-acceptable': 406,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'not-implemented': 501,
  'internal-error': 500,
  'response-validation-failed': 500,
};

/**
 * An off-contract response is, to the client, an internal error: it carries the documented
 * `internal-error` type (the detail and `errors[]` name the violation for the developer).
 */
const DOCUMENTED_AS: Partial<Record<ProblemKind, string>> = { 'response-validation-failed': 'internal-error' };

/** Resolves documented `type` URIs for each problem kind. */
export class ProblemTypes {
  readonly #base: string;
  readonly #overrides: Partial<Record<ProblemKind, string>>;

  constructor(options: ProblemOptions = {}) {
    const base = options.typeBase ?? DEFAULT_PROBLEM_TYPE_BASE;
    this.#base = base.endsWith('/') ? base : `${base}/`;
    this.#overrides = options.types ?? {};
  }

  uri(kind: ProblemKind | (string & {})): string {
    return this.#overrides[kind as ProblemKind] ?? `${this.#base}${DOCUMENTED_AS[kind as ProblemKind] ?? kind}`;
  }
}

export interface ProblemInit {
  detail?: string;
  errors?: ValidationIssue[];
  requestId?: string;
  instance?: string;
  title?: string;
  status?: number;
  extensions?: Record<string, unknown>;
}

/** Builds a problem body; `kind` names the documented error (`not-found`, `validation-error`, ...). */
export function buildProblem(types: ProblemTypes, kind: ProblemKind | (string & {}), init: ProblemInit = {}): Problem {
  const status = init.status ?? STATUSES[kind as ProblemKind] ?? 500;
  return problemBody(types.uri(kind), init.title ?? titleFromKind(kind), status, init);
}

function problemBody(type: string, title: string, status: number, init: ProblemInit): Problem {
  // `detail` is required by the specs' Problem schema: fall back to the title.
  const body: Problem = { type, title, status, detail: init.detail ?? title };
  if (init.instance !== undefined) body.instance = init.instance;
  if (init.requestId !== undefined) body.request_id = init.requestId;
  if (init.errors !== undefined) body.errors = init.errors;
  return init.extensions ? { ...body, ...init.extensions } : body;
}

/** A problem body as handlers return it: `request_id` is always present once the runtime sends it. */
export type ProblemBody = Problem & { request_id: string };

/**
 * A handler-side helper: a problem+json response for any status and documented kind, e.g.
 * `return problem(404, 'not-found', { detail: 'No wallet wal_123' })`. The runtime fills in
 * `request_id` (before response validation) when the handler does not set it.
 */
export function problem<S extends number>(
  status: S,
  kind: string,
  init: Omit<ProblemInit, 'status'> & { typeBase?: string } = {},
): { status: S; body: ProblemBody; contentType: typeof PROBLEM_CONTENT_TYPE } {
  const type = new ProblemTypes({ typeBase: init.typeBase }).uri(kind);
  const body = problemBody(type, init.title ?? titleFromKind(kind), status, init) as ProblemBody;
  return { status, body, contentType: PROBLEM_CONTENT_TYPE };
}

function titleFromKind(kind: string): string {
  const known = TITLES[kind as ProblemKind];
  if (known) return known;
  const words = kind.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Thrown by handlers (or middleware code they call) to answer with a problem. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly kind: string;
  readonly init: ProblemInit;
  readonly headers: Record<string, string> | undefined;

  constructor(status: number, kind: string, init: ProblemInit = {}, headers?: Record<string, string>) {
    super(init.detail ?? kind);
    this.name = 'HttpProblem';
    this.status = status;
    this.kind = kind;
    this.init = init;
    this.headers = headers;
  }
}

export function isProblemOutput(output: HandlerOutput): boolean {
  return output.contentType === PROBLEM_CONTENT_TYPE;
}
