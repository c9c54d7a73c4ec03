// CORS: preflight answers and the headers added to actual responses.
import type { CorsOptions } from './types.ts';

export interface Cors {
  /** Headers for a response to a request carrying `Origin`, or undefined when the origin is not allowed. */
  headers(origin: string): Record<string, string> | undefined;
  preflight(origin: string, allowedMethods: readonly string[], requestedHeaders: string | undefined): Record<string, string> | undefined;
}

/** Response headers the specs document that a browser client needs to read. */
const DOCUMENTED_RESPONSE_HEADERS = [
  'X-Request-Id',
  'Idempotent-Replayed',
  'Retry-After',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Location',
];

export function createCors(options: CorsOptions): Cors {
  const origin = options.origin ?? true;
  const allows = (candidate: string): boolean => {
    if (origin === true || origin === '*') return true;
    if (typeof origin === 'string') return origin === candidate;
    if (typeof origin === 'function') return origin(candidate);
    return origin.includes(candidate);
  };
  const exposed = [...DOCUMENTED_RESPONSE_HEADERS, ...(options.exposedHeaders ?? [])].join(', ');
  const base = (candidate: string): Record<string, string> => {
    const headers: Record<string, string> = {
      'access-control-allow-origin': origin === '*' && !options.credentials ? '*' : candidate,
      'access-control-expose-headers': exposed,
    };
    if (origin !== '*') headers.vary = 'Origin';
    if (options.credentials) headers['access-control-allow-credentials'] = 'true';
    return headers;
  };
  return {
    headers: (candidate) => (allows(candidate) ? base(candidate) : undefined),
    preflight(candidate, allowedMethods, requestedHeaders) {
      if (!allows(candidate)) return undefined;
      const headers = base(candidate);
      headers['access-control-allow-methods'] = allowedMethods.map((method) => method.toUpperCase()).join(', ');
      const allowHeaders = options.allowedHeaders?.join(', ') ?? requestedHeaders;
      if (allowHeaders) headers['access-control-allow-headers'] = allowHeaders;
      headers['access-control-max-age'] = String(options.maxAge ?? 600);
      return headers;
    },
  };
}
