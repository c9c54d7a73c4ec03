/** Where each environment serves the APIs; each API is mounted under its spec's server base path. */
export const ENVIRONMENTS = {
  sandbox: 'http://localhost:4010',
  production: 'https://api.finrail.dev',
} as const;

export type Environment = keyof typeof ENVIRONMENTS | { baseUrl: string };

export function environmentOrigin(environment: Environment = 'sandbox'): string {
  const baseUrl = typeof environment === 'string' ? ENVIRONMENTS[environment] : environment.baseUrl;
  if (!baseUrl) throw new TypeError(`unknown environment ${JSON.stringify(environment)}; use 'sandbox', 'production' or { baseUrl }`);
  return baseUrl.replace(/\/+$/, '');
}

/** Each API's server base path, as in the `servers` of specs/<api>/openapi.yaml (a test checks). */
export const API_BASE_PATHS = {
  wallets: '/wallets/v1',
  payments: '/payments/v1',
  openBanking: '/open-banking/v4.0',
} as const;
