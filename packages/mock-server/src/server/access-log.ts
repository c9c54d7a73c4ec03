import type { Logger, RawResponse } from '@finrail/server';
import { MOCK_SOURCE_HEADER } from './mock-api.ts';

/**
 * The validation outcome of a request, for its access log line: `valid` when the request passed
 * the runtime's checks and a mock response was served, otherwise what the problem said
 * (`invalid: /body/currency must match pattern "^[A-Z]{3}$"`, `rejected: Authentication required`).
 */
export function describeOutcome(response: RawResponse): string {
  if (response.headers[MOCK_SOURCE_HEADER] !== undefined) return 'valid';
  const type = response.headers['content-type'];
  if (typeof type !== 'string' || !type.includes('problem+json') || typeof response.body !== 'string') return response.status < 400 ? 'ok' : 'rejected';
  try {
    const problem = JSON.parse(response.body) as { title?: string; detail?: string; errors?: { pointer: string; detail: string }[] };
    if (problem.errors && problem.errors.length > 0) return `invalid: ${problem.errors.map((error) => `${error.pointer} ${error.detail}`).join('; ')}`;
    return `rejected: ${problem.title ?? 'problem'}${problem.detail && problem.detail !== problem.title ? ` (${problem.detail})` : ''}`;
  } catch {
    return 'rejected';
  }
}

/** The injected logger, silence, or the default: readable lines on stdout (silent under vitest). */
export function resolveMockLogger(logger: Logger | false | undefined): Logger {
  if (logger === false || (logger === undefined && process.env.VITEST)) return silentLogger;
  return logger ?? consoleLogger();
}

const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {}, child: () => silentLogger };

/**
 * One human-readable line per event, e.g.
 * `GET /v1/wallets/wal_1 200 getWallet valid example:main 0.41ms`.
 */
export function consoleLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  const format = (level: string, object: object, message?: string): string => {
    const fields = object as Record<string, unknown>;
    if (message === 'request') {
      const parts = [fields.method, fields.path, fields.status, fields.operation ?? '-', fields.outcome, fields.source, `${fields.duration_ms}ms`];
      return parts.filter((part) => part !== undefined && part !== '').join(' ');
    }
    const details = Object.entries(fields)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value instanceof Error ? value.message : value)}`)
      .join(' ');
    return `${level === 'info' ? '' : `${level}: `}${message ?? ''}${details ? ` ${details}` : ''}`;
  };
  const logger: Logger = {
    info: (object, message) => write(format('info', object, message)),
    warn: (object, message) => write(format('warn', object, message)),
    error: (object, message) => write(format('error', object, message)),
    debug: () => {},
    child: () => logger,
  };
  return logger;
}
