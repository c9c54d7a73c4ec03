import { apiErrorFor, FinrailError } from './errors.ts';
import type { ClientOptions, FetchLike, TokenSource } from './types.ts';

/** Refresh this long before expiry, so a token never expires in flight. */
const REFRESH_MARGIN_MS = 60_000;
const TOKEN_TIMEOUT_MS = 30_000;

export interface ClientCredentialsOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scopes?: string[];
  fetch?: FetchLike;
}

/**
 * OAuth 2.0 client-credentials grant (RFC 6749 §4.4) with `client_secret_basic` authentication.
 * Caches the token, refreshes it before expiry, and keeps one token request in flight however many
 * calls wait on it. Share one instance between clients to share the token.
 */
export class ClientCredentials implements TokenSource {
  readonly #options: ClientCredentialsOptions;
  #token: { value: string; refreshAt: number } | undefined;
  #inFlight: Promise<string> | undefined;

  constructor(options: ClientCredentialsOptions) {
    this.#options = options;
  }

  getToken(signal?: AbortSignal): string | Promise<string> {
    if (this.#token && Date.now() < this.#token.refreshAt) return this.#token.value;
    this.#inFlight ??= this.#fetchToken().finally(() => {
      this.#inFlight = undefined;
    });
    // The shared request is not tied to any one caller's signal; each caller stops waiting on its own.
    return abortable(this.#inFlight, signal);
  }

  invalidate(token: string): void {
    if (this.#token?.value === token) this.#token = undefined;
  }

  async #fetchToken(): Promise<string> {
    const { tokenUrl, clientId, clientSecret, scopes, fetch = globalThis.fetch } = this.#options;
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scopes?.length) body.set('scope', scopes.join(' '));
    const credentials = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
    const request = new Request(tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${btoa(credentials)}`, accept: 'application/json' },
      body,
    });
    const response = await fetch(request, { signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS) });
    const text = await response.text();
    const json = parseJson(text);
    if (!response.ok) throw apiErrorFor(response.status, json ?? text, response.headers);
    const accessToken = json?.access_token;
    if (typeof accessToken !== 'string') throw new FinrailError(`token endpoint ${tokenUrl} returned no access_token`);
    const lifetimeMs = typeof json?.expires_in === 'number' ? json.expires_in * 1000 : 3_600_000;
    const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs / 10);
    this.#token = { value: accessToken, refreshAt: Date.now() + lifetimeMs - margin };
    return accessToken;
  }
}

/** The TokenSource the options ask for: `accessToken` in any form, else client credentials, else none. */
export function tokenSourceFor(options: ClientOptions): TokenSource | undefined {
  const { accessToken, clientId, clientSecret } = options;
  if (typeof accessToken === 'string') return { getToken: () => accessToken };
  if (typeof accessToken === 'function') return { getToken: accessToken };
  if (accessToken) return accessToken;
  if (clientId === undefined && clientSecret === undefined) return undefined;
  if (!clientId || !clientSecret) throw new FinrailError('clientId and clientSecret must be given together');
  return new ClientCredentials({
    // The token endpoint lives at the origin's root, not under the API's base path.
    tokenUrl: options.tokenUrl ?? new URL('/oauth/token', options.baseUrl).href,
    clientId,
    clientSecret,
    scopes: options.scopes,
    fetch: options.fetch,
  });
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
