// A token-bucket rate limiter per client key. Each key's bucket holds `limit` tokens and refills
// continuously at `limit` per `windowMs`, so bursts up to `limit` pass and the sustained rate is
// `limit / windowMs`. Answers carry the RateLimit-* headers the specs document (429 adds
// Retry-After).
import type { RequestInfo } from './types.ts';

export interface RateLimitOptions {
  /** Requests allowed per window (the bucket's capacity). */
  limit: number;
  /** The window in milliseconds in which a drained bucket refills completely. */
  windowMs: number;
  /** The bucket a request draws from. Default: its `Authorization` header (one bucket per credential), else one shared anonymous bucket. */
  key?: (request: RequestInfo) => string;
  /** Milliseconds since the epoch; injectable for tests. Default `Date.now`. */
  now?: () => number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Response headers: RateLimit-Limit / -Remaining / -Reset (seconds), and Retry-After when refused. */
  headers: Record<string, string>;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Idle buckets are full buckets: they are dropped once this many keys are tracked. */
const SWEEP_AT = 10_000;

export const defaultRateLimitKey = (request: RequestInfo): string => request.header('authorization') ?? 'anonymous';

export class RateLimiter {
  readonly #limit: number;
  readonly #perMs: number;
  readonly #key: (request: RequestInfo) => string;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: RateLimitOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError(`rateLimit.limit must be a positive integer, got ${options.limit}`);
    if (!(options.windowMs > 0)) throw new RangeError(`rateLimit.windowMs must be positive, got ${options.windowMs}`);
    this.#limit = options.limit;
    this.#perMs = options.limit / options.windowMs;
    this.#key = options.key ?? defaultRateLimitKey;
    this.#now = options.now ?? Date.now;
  }

  /** Takes one token from the request's bucket, if there is one. */
  take(request: RequestInfo): RateLimitDecision {
    const now = this.#now();
    const key = this.#key(request);
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      if (this.#buckets.size >= SWEEP_AT) this.#sweep(now);
      bucket = { tokens: this.#limit, updatedAt: now };
      this.#buckets.set(key, bucket);
    } else {
      bucket.tokens = this.#refilled(bucket, now);
      bucket.updatedAt = now;
    }
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    const headers: Record<string, string> = {
      'ratelimit-limit': String(this.#limit),
      'ratelimit-remaining': String(Math.floor(bucket.tokens)),
      'ratelimit-reset': String(this.#secondsUntil(this.#limit - bucket.tokens)),
    };
    if (!allowed) headers['retry-after'] = String(Math.max(1, this.#secondsUntil(1 - bucket.tokens)));
    return { allowed, headers };
  }

  #refilled(bucket: Bucket, now: number): number {
    return Math.min(this.#limit, bucket.tokens + Math.max(0, now - bucket.updatedAt) * this.#perMs);
  }

  /** Whole seconds until `tokens` more have been added. */
  #secondsUntil(tokens: number): number {
    return Math.ceil(tokens / this.#perMs / 1000);
  }

  #sweep(now: number): void {
    for (const [key, bucket] of this.#buckets) if (this.#refilled(bucket, now) >= this.#limit) this.#buckets.delete(key);
  }
}
