import { generateTestHeader, verifyWebhook, type TestHeaderOptions, type WebhookHeaders } from '@finrail/runtime';

export class Webhooks<Event> {
  /**
   * Verifies the `Finrail-Signature` of a webhook request and returns its typed event. Pass the raw
   * body exactly as received (not re-serialized JSON). Throws WebhookSignatureError.
   */
  verify(rawBody: string | Uint8Array, headers: WebhookHeaders, secret: string | string[], options?: { tolerance?: number }): Promise<Event> {
    return verifyWebhook<Event>(rawBody, headers, secret, options);
  }

  /** A valid `Finrail-Signature` header for `payload`, for your own tests. */
  generateTestHeader(options: TestHeaderOptions): Promise<string> {
    return generateTestHeader(options);
  }
}
