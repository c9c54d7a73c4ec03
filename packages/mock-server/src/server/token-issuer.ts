import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { BearerJwtOptions, RawRequest, RawResponse } from '@finrail/server';

/**
 * The mock's own OAuth 2.0 token endpoint (client credentials). Any client id and secret are
 * accepted — it is a mock — and the token is a JWT signed with a key that lives only in this
 * process, so the mock accepts exactly the tokens it issued.
 */
export interface TokenIssuer {
  /** Answers POST /oauth/token (form or JSON body, or HTTP Basic client authentication). */
  handle(request: RawRequest): Promise<RawResponse>;
  /** Issues a token directly (tests, the CLI's printed sample token). */
  issue(clientId: string, scopes: readonly string[]): Promise<string>;
  /** What the server runtime needs to verify the issued tokens. */
  readonly verification: BearerJwtOptions;
}

const ISSUER = 'finrail-mock';
const TOKEN_LIFETIME_SECONDS = 3600;

export function createTokenIssuer(defaultScopes: () => readonly string[]): TokenIssuer {
  const key = randomBytes(32);
  const issue = (clientId: string, scopes: readonly string[]): Promise<string> =>
    new SignJWT({ scope: scopes.join(' '), client_id: clientId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(ISSUER)
      .setSubject(clientId)
      .setIssuedAt()
      .setExpirationTime(`${TOKEN_LIFETIME_SECONDS}s`)
      .sign(key);

  const handle = async (request: RawRequest): Promise<RawResponse> => {
    if (request.method !== 'POST') return oauthError(405, 'invalid_request', 'use POST', { allow: 'POST' });
    const form = await readForm(request);
    if (!form) return oauthError(400, 'invalid_request', 'send application/x-www-form-urlencoded or application/json');
    const grantType = form.get('grant_type');
    if (grantType !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'only grant_type=client_credentials is supported');
    const basic = basicCredentials(request.header('authorization'));
    const clientId = basic?.[0] ?? form.get('client_id');
    const clientSecret = basic?.[1] ?? form.get('client_secret');
    if (!clientId || !clientSecret) return oauthError(401, 'invalid_client', 'client_id and client_secret are required', { 'www-authenticate': 'Basic realm="finrail-mock"' });
    const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const scopes = requested.length > 0 ? requested : defaultScopes();
    const body = { access_token: await issue(clientId, scopes), token_type: 'Bearer', expires_in: TOKEN_LIFETIME_SECONDS, scope: scopes.join(' ') };
    return { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(body) };
  };

  return { handle, issue, verification: { key, issuer: ISSUER, audience: ISSUER, algorithms: ['HS256'] } };
}

async function readForm(request: RawRequest): Promise<Map<string, string> | undefined> {
  const bytes = await request.readBody(64 * 1024);
  if (bytes === null) return undefined;
  const text = new TextDecoder().decode(bytes);
  const type = (request.header('content-type') ?? '').toLowerCase();
  if (type.includes('json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object') return undefined;
      return new Map(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    } catch {
      return undefined;
    }
  }
  return new Map(new URLSearchParams(text));
}

function basicCredentials(authorization: string | undefined): [string, string] | undefined {
  const match = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
}

/** RFC 6749 §5.2 error response. */
function oauthError(status: number, error: string, description: string, headers: Record<string, string> = {}): RawResponse {
  return {
    status,
    headers: { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify({ error, error_description: description }),
  };
}
