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
 * Given no `write`, lines go to stdout with request lines coalesced (see stdoutLines).
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

interface LineSink {
  /** A request line: may wait for the end of the current event-loop turn. */
  request(line: string): void;
  /** Any other line (start-up, reload, webhook, shutdown): written at once, after pending request lines. */
  event(line: string): void;
}

let stdoutSink: LineSink | undefined;

/**
 * stdout for the access log. One write per request line is a system call per request (~9% of the
 * mock's time under load in a profile): request lines are collected and written once per event-loop turn
 * (setImmediate), and at exit. Other lines flush them first, so the order is kept and nothing is
 * lost when a shutdown re-raises its signal right after logging.
 */
function stdoutLines(): LineSink {
  if (stdoutSink) return stdoutSink;
  let pending = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    process.stdout.write(text);
  };
  process.on('exit', flush);
  stdoutSink = {
    request: (line) => {
      pending += `${line}\n`;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    event: (line) => {
      flush();
      process.stdout.write(`${line}\n`);
    },
  };
  return stdoutSink;
}
