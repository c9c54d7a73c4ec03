import { pino, type DestinationStream } from 'pino';
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
  return level === 'silent' ? silent : pino({ level, base: undefined }, stdoutDestination());
}

// One write(2) per log line would cost about as much as answering the request, so default loggers
// share one buffered stdout: lines go out in batches, at least every FLUSH_INTERVAL_MS, and
// synchronously when the process exits or serve() re-raises a shutdown signal. Batches of
// ordinary lines stay within PIPE_BUF (4 KiB), which a pipe shared by several processes (cluster
// workers) writes atomically, so ordinary lines do not interleave.
const BATCH_BYTES = 3072;
const FLUSH_INTERVAL_MS = 1000;
let sharedStdout: ReturnType<typeof pino.destination> | undefined;

function stdoutDestination(): DestinationStream {
  if (!sharedStdout) {
    const destination = pino.destination({ dest: 1, minLength: BATCH_BYTES, sync: true });
    const flush = setInterval(() => destination.flush(), FLUSH_INTERVAL_MS);
    flush.unref();
    destination.on('close', () => clearInterval(flush));
    process.on('exit', flushLogs);
    sharedStdout = destination;
  }
  return sharedStdout;
}

/** Writes out what default loggers have buffered, synchronously (before the process ends). */
export function flushLogs(): void {
  try {
    sharedStdout?.flushSync();
  } catch {
    // stdout already closed: nothing left to write to.
  }
}
