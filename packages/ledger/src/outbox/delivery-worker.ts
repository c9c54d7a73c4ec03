// Sends the outbox's webhooks: signed POSTs, exponential backoff with jitter, dead after
// `maxAttempts`. Delivery is at least once; receivers deduplicate by event id.
import type { Clock } from '../core/clock.ts';
import type { ClaimedDelivery, OutboxStore } from './outbox-store.ts';
import { SIGNATURE_HEADER, signatureHeader } from './signature.ts';

export interface DeliveryWorkerOptions {
  outbox: OutboxStore;
  clock: Clock;
  maxAttempts?: number;
  /** Delay before the second attempt; each further attempt doubles it (up to maxDelayMs). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  batchSize?: number;
  fetch?: typeof fetch;
  /** Returns a number in [0, 1) for jitter; injectable so tests are deterministic. */
  random?: () => number;
}

export function webhookBody(event: ClaimedDelivery['event']): string {
  // `data` is stored as JSON text and embedded as is, so the bytes signed are the bytes stored.
  return `{"id":${JSON.stringify(event.id)},"type":${JSON.stringify(event.type)},"created_at":${JSON.stringify(new Date(event.createdAt).toISOString())},"data":${event.data}}`;
}

export class DeliveryWorker {
  readonly #options: Required<Omit<DeliveryWorkerOptions, 'fetch'>> & { fetch: typeof fetch };
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(options: DeliveryWorkerOptions) {
    this.#options = {
      maxAttempts: 8,
      baseDelayMs: 1000,
      maxDelayMs: 60 * 60 * 1000,
      timeoutMs: 10_000,
      batchSize: 50,
      random: Math.random,
      fetch: globalThis.fetch,
      ...options,
    };
  }

  /** Delay before attempt number `attempt + 1`, with up to 20% jitter subtracted. */
  backoff(attempt: number): number {
    const { baseDelayMs, maxDelayMs, random } = this.#options;
    const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return Math.round(delay * (1 - 0.2 * random()));
  }

  /** Sends every delivery that is due once; returns how many were attempted. */
  async runOnce(): Promise<number> {
    const claimed = await this.#options.outbox.claimDue(this.#options.batchSize, this.#options.timeoutMs * 2);
    await Promise.all(claimed.map((delivery) => this.#deliver(delivery)));
    return claimed.length;
  }

  start(intervalMs = 1000): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.#running ??= this.runOnce().finally(() => (this.#running = undefined));
    }, intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  async #deliver(delivery: ClaimedDelivery): Promise<void> {
    const { outbox, clock, fetch, timeoutMs, maxAttempts } = this.#options;
    const body = webhookBody(delivery.event);
    const timestamp = Math.floor(clock.now() / 1000);
    let status: number | null = null;
    let error: string;
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signatureHeader(delivery.secrets, timestamp, body), 'user-agent': 'finrail-webhooks/1' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
      status = response.status;
      await response.body?.cancel();
      if (status >= 200 && status < 300) return await outbox.recordSuccess(delivery.id, status);
      error = `endpoint answered ${status}`;
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
    const attempt = delivery.attempts + 1;
    const retryAt = attempt >= maxAttempts ? null : clock.now() + this.backoff(attempt);
    await outbox.recordFailure(delivery.id, { status, error, retryAt });
  }
}
