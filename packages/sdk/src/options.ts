import type { AccessToken, ClientOptions } from '@finrail/runtime';
import type { Environment } from './environments.ts';

/** Transport options are the runtime's own: `timeout`, `maxRetries`, `fetch`. */
export interface FinrailOptions extends Pick<ClientOptions, 'timeout' | 'maxRetries' | 'fetch'> {
  /** `'sandbox'` (default, http://localhost:4010), `'production'`, or `{ baseUrl }` for any other host. */
  environment?: Environment;
  /** OAuth 2.0 client credentials; the token is fetched, cached and refreshed for you. */
  clientId?: string;
  clientSecret?: string;
  /** Scopes to request; by default the server grants the client's configured scopes. */
  scopes?: string[];
  /** Token endpoint; default `<environment>/oauth/token`. */
  tokenUrl?: string;
  /** Instead of client credentials: a bearer token, or a function returning one. */
  accessToken?: AccessToken;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Default `finrail-sdk/<version>`. */
  userAgent?: string;
  /** Returns the W3C `traceparent` for the current request, for distributed tracing. */
  traceparent?: () => string | undefined;
}
