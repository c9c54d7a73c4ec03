import { bufferedStdout, type Logger, type RawResponse } from '@finrail/server';
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
 * Given no `write`, lines go to stdout (see stdoutLines).
 */
export function consoleLogger(write?: (line: string) => void): Logger {
  const out = write ? { request: write, event: write } : stdoutLines();
  const event = (level: string) => (object: object, message?: string) => {
    if (message === 'request') out.request(requestLine(object as Record<string, unknown>));
    else out.event(eventLine(level, object as Record<string, unknown>, message));
  };
  const logger: Logger = { info: event('info'), warn: event('warn'), error: event('error'), debug: () => {}, child: () => logger };
  return logger;
}

function requestLine(fields: Record<string, unknown>): string {
  let line = `${fields.method} ${fields.path} ${fields.status} ${fields.operation ?? '-'}`;
  for (const part of [fields.outcome, fields.source]) if (part !== undefined && part !== '') line += ` ${part}`;
  return `${line} ${fields.duration_ms}ms`;
}

function eventLine(level: string, fields: Record<string, unknown>, message: string | undefined): string {
  const details = Object.entries(fields)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value instanceof Error ? value.message : value)}`)
    .join(' ');
  return `${level === 'info' ? '' : `${level}: `}${message ?? ''}${details ? ` ${details}` : ''}`;
}

/**
 * stdout for the access log: request lines share the process's buffered stdout (one write per
 * event-loop turn, not a system call per request); any other line (start-up, reload, webhook,
 * shutdown) is written at once, after the request lines before it.
 */
function stdoutLines(): { request(line: string): void; event(line: string): void } {
  const stdout = bufferedStdout();
  return {
    request: (line) => stdout.write(`${line}\n`),
    event: (line) => {
      stdout.write(`${line}\n`);
      stdout.flush();
    },
  };
}
