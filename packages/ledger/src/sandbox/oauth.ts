// The sandbox's OAuth 2.0 token endpoint: client credentials in, a signed JWT carrying the
// client's scopes out (HS256 with a per-sandbox key the routers verify against).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { SignJWT } from 'jose';

export interface SandboxClient {
  clientId: string;
  clientSecret: string;
  /** Scopes the client may ask for; all of them when the request names none. */
  scopes: string[];
}

export const ALL_SCOPES = ['wallets:read', 'wallets:write', 'payments:read', 'payments:write', 'webhooks:manage', 'accounts:read', 'payments:initiate', 'fundsconfirmations:read', 'sandbox:simulate'];

export const TOKEN_ISSUER = 'https://sandbox.finrail.dev';
export const TOKEN_AUDIENCE = 'finrail-api';
const TOKEN_SECONDS = 3600;

export function newSandboxClient(scopes = ALL_SCOPES): SandboxClient {
  return { clientId: `sandbox_${randomBytes(8).toString('hex')}`, clientSecret: `sk_sandbox_${randomBytes(24).toString('base64url')}`, scopes };
}

/** Reads clients from FINRAIL_SANDBOX_CLIENTS: `id:secret[:scope scope ...]` separated by commas. */
export function clientsFromEnvironment(value = process.env.FINRAIL_SANDBOX_CLIENTS): SandboxClient[] {
  if (!value) return [];
  return value.split(',').map((entry) => {
    const [clientId, clientSecret, scopes] = entry.trim().split(':');
    if (!clientId || !clientSecret) throw new Error(`FINRAIL_SANDBOX_CLIENTS: "${entry}" is not id:secret[:scopes]`);
    return { clientId, clientSecret, scopes: scopes ? scopes.split(' ').filter(Boolean) : ALL_SCOPES };
  });
}

export interface TokenResponse {
  status: number;
  body: Record<string, unknown>;
}

/** Handles a token request body (form-encoded) and optional Basic credentials. */
export async function issueToken(clients: readonly SandboxClient[], signingKey: Uint8Array, form: URLSearchParams, authorization: string | undefined): Promise<TokenResponse> {
  const error = (status: number, code: string, description: string): TokenResponse => ({ status, body: { error: code, error_description: description } });
  if (form.get('grant_type') !== 'client_credentials') return error(400, 'unsupported_grant_type', 'only client_credentials is supported');
  let clientId = form.get('client_id') ?? undefined;
  let clientSecret = form.get('client_secret') ?? undefined;
  if (authorization?.startsWith('Basic ')) {
    const [id, secret] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
    clientId = decodeURIComponent(id ?? '');
    clientSecret = decodeURIComponent(secret ?? '');
  }
  const client = clients.find((c) => c.clientId === clientId);
  if (!client || clientSecret === undefined || !sameSecret(client.clientSecret, clientSecret)) return error(401, 'invalid_client', 'unknown client or wrong secret');
  const requested = form.get('scope')?.split(' ').filter(Boolean) ?? client.scopes;
  const denied = requested.filter((scope) => !client.scopes.includes(scope));
  if (denied.length > 0) return error(400, 'invalid_scope', `not allowed: ${denied.join(' ')}`);
  const scope = requested.join(' ');
  const accessToken = await new SignJWT({ scope })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(client.clientId)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${TOKEN_SECONDS}s`)
    .sign(signingKey);
  return { status: 200, body: { access_token: accessToken, token_type: 'Bearer', expires_in: TOKEN_SECONDS, scope } };
}

function sameSecret(expected: string, actual: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(actual);
  return a.length === b.length && timingSafeEqual(a, b);
}
