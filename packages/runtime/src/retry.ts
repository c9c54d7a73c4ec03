const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
/** A server asking for a longer wait gets no retry: the call fails rather than hang. */
const MAX_RETRY_AFTER_MS = 60_000;

/** POST and PATCH may only be retried when they carry an idempotency key. */
export function isSafeToRetry(method: string, headers: Headers, idempotencyHeader: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase()) || headers.has(idempotencyHeader);
}

/** 408 timeout, 409 request in progress, 429 rate limited, any 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * How long to wait before retry number `retry` (1-based): the server's Retry-After when it sent
 * one, else exponential backoff with full jitter. undefined when the server asks for more than a
 * minute, which is not worth retrying for.
 */
export function retryDelay(retry: number, retryAfter: string | null | undefined, random = Math.random): number | undefined {
  const fromServer = parseRetryAfter(retryAfter ?? null);
  if (fromServer !== undefined) return fromServer <= MAX_RETRY_AFTER_MS ? fromServer : undefined;
  return random() * Math.min(MAX_DELAY_MS, INITIAL_DELAY_MS * 2 ** (retry - 1));
}

/** `Retry-After` as milliseconds from now (delay-seconds or HTTP-date), or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
