import { pino } from 'pino';
import { bufferedStdout } from './buffered-stdout.ts';
import type { Logger } from './types.ts';

const silent: Logger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child: () => silent,
};

/** The logger a router uses: the injected one, silence, or pino (silent under vitest). */
export function resolveLogger(logger: Logger | false | undefined): Logger {
  if (logger === false) return silent;
  if (logger) return logger;
  const level = process.env.FINRAIL_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info');
  return level === 'silent' ? silent : pino({ level, base: undefined }, bufferedStdout());
}

/** Writes out what default loggers have buffered, synchronously (before the process ends). */
export function flushLogs(): void {
  bufferedStdout().flush();
}
