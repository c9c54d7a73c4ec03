import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiDefinition, HandlerMap, SecurityOptions } from '../src/index.ts';
import { ADAPTERS, start } from './harness.ts';

const api: ApiDefinition = {
  securitySchemes: {
    oauth: { type: 'oauth2' },
    bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    queryKey: { type: 'apiKey', in: 'query', name: 'api_key' },
    cookieKey: { type: 'apiKey', in: 'cookie', name: 'session' },
    basic: { type: 'http', scheme: 'basic' },
  },
  operations: [
    { operationId: 'read', method: 'get', path: '/read', parameters: [], responses: { '200': { contentTypes: ['application/json'] } }, security: [{ oauth: ['wallets:read'] }], validators: {} },
    {
      operationId: 'write',
      method: 'post',
      path: '/write',
      parameters: [],
      responses: { '200': { contentTypes: ['application/json'] } },
      security: [{ bearer: ['wallets:write', 'wallets:read'] }],
      validators: {},
    },
    {
      operationId: 'keyed',
      method: 'get',
      path: '/keyed',
      parameters: [],
      responses: { '200': { contentTypes: ['application/json'] } },
      security: [{ headerKey: [] }, { queryKey: [] }, { cookieKey: [] }],
      validators: {},
    },
    { operationId: 'open', method: 'get', path: '/open', parameters: [], responses: { '200': { contentTypes: ['application/json'] } }, security: [{}, { oauth: [] }], validators: {} },
    { operationId: 'basic', method: 'get', path: '/basic', parameters: [], responses: { '200': { contentTypes: ['application/json'] } }, security: [{ basic: [] }], validators: {} },
  ],
};

const echo: HandlerMap = Object.fromEntries(api.operations.map((operation) => [operation.operationId, ({ auth }) => ({ status: 200, body: { auth: auth ?? null } })]));

const ISSUER = 'https://auth.finrail.test';
const AUDIENCE = 'finrail-api';
let privateKey: CryptoKey;
let security: SecurityOptions;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
  security = {
    bearer: { jwks: { keys: [jwk] }, issuer: ISSUER, audience: AUDIENCE, clockTolerance: 30 },
    apiKey: (key) => (key === 'secret-key' ? { subject: 'partner-7', scopes: [] } : false),
    verifiers: {
      basic: ({ credential }) => (credential === Buffer.from('ada:lovelace').toString('base64') ? { ok: true, subject: 'ada' } : { ok: false, reason: 'invalid', detail: 'bad password' }),
    },
  };
});

async function token(claims: Record<string, unknown>, options: { expiresIn?: string | number; issuer?: string; audience?: string } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setSubject('client_42')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(privateKey);
}

describe.each(ADAPTERS)('security over the %s adapter', (adapter) => {
  const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

  it('hands the principal and scopes to the handler', async () => {
    const send = await start(adapter, api, echo, { security });
    const response = await send('/read', { headers: bearer(await token({ scope: 'wallets:read payments:read' })) });
    expect(response.status).toBe(200);
    expect(response.json.auth).toMatchObject({ scheme: 'oauth', subject: 'client_42', scopes: ['wallets:read', 'payments:read'] });
    expect(response.json.auth.claims.iss).toBe(ISSUER);
  });

  it('answers 401 without an error code when no credential is sent', async () => {
    const send = await start(adapter, api, echo, { security });
    const response = await send('/read');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="finrail"');
    expect(response.json.type).toBe('https://docs.finrail.dev/problems/authentication-required');
  });

  it('answers 401 invalid_token for a bad signature, an expired token, a wrong issuer or audience', async () => {
    const send = await start(adapter, api, echo, { security });
    const valid = await token({ scope: 'wallets:read' });
    const tampered = `${valid.slice(0, -4)}AAAA`;
    const cases = [
      [tampered, 'signature'],
      [await token({ scope: 'wallets:read' }, { expiresIn: Math.floor(Date.now() / 1000) - 120 }), 'expired'],
      [await token({ scope: 'wallets:read' }, { issuer: 'https://evil.test' }), 'iss'],
      [await token({ scope: 'wallets:read' }, { audience: 'other-api' }), 'aud'],
      ['not.a.jwt', 'malformed'],
    ] as const;
    for (const [credential, reason] of cases) {
      const response = await send('/read', { headers: bearer(credential) });
      expect(response.status, reason).toBe(401);
      expect(response.headers.get('www-authenticate'), reason).toMatch(/^Bearer realm="finrail", error="invalid_token", error_description="[^"]+"$/);
    }
  });

  it('accepts a token expired within the clock tolerance', async () => {
    const send = await start(adapter, api, echo, { security });
    const justExpired = await token({ scope: 'wallets:read' }, { expiresIn: Math.floor(Date.now() / 1000) - 10 });
    expect((await send('/read', { headers: bearer(justExpired) })).status).toBe(200);
  });

  it('answers 403 insufficient_scope naming the required scopes', async () => {
    const send = await start(adapter, api, echo, { security });
    const response = await send('/write', { method: 'POST', headers: bearer(await token({ scp: ['wallets:read'] })) });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="finrail", error="insufficient_scope", scope="wallets:write wallets:read"');
    expect(response.json.type).toBe('https://docs.finrail.dev/problems/insufficient-scope');
    const granted = await send('/write', { method: 'POST', headers: bearer(await token({ scp: ['wallets:read', 'wallets:write'] })) });
    expect(granted.status).toBe(200);
  });

  it('accepts API keys from a header, the query or a cookie', async () => {
    const send = await start(adapter, api, echo, { security });
    const inits: Array<{ headers: Record<string, string> }> = [{ headers: { 'x-api-key': 'secret-key' } }, { headers: { cookie: 'theme=dark; session=secret-key' } }];
    for (const init of inits) {
      const response = await send('/keyed', init);
      expect(response.status).toBe(200);
      expect(response.json.auth.subject).toBe('partner-7');
    }
    expect((await send('/keyed?api_key=secret-key')).status).toBe(200);
    const wrong = await send('/keyed', { headers: { 'x-api-key': 'guess' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('ApiKey realm="finrail", error="invalid_token"');
  });

  it('lets an empty requirement through anonymously and still authenticates when it can', async () => {
    const send = await start(adapter, api, echo, { security });
    expect((await send('/open')).json.auth).toBeNull();
  });

  it('uses pluggable verifiers per scheme', async () => {
    const send = await start(adapter, api, echo, { security });
    const ok = await send('/basic', { headers: { authorization: `Basic ${Buffer.from('ada:lovelace').toString('base64')}` } });
    expect(ok.json.auth.subject).toBe('ada');
    const bad = await send('/basic', { headers: { authorization: `Basic ${Buffer.from('ada:guess').toString('base64')}` } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe('Basic realm="finrail", error="invalid_token", error_description="bad password"');
  });

  it('fails closed when a scheme has no verifier configured', async () => {
    const send = await start(adapter, api, echo, { security: {} });
    expect((await send('/read', { headers: bearer('anything') })).status).toBe(401);
    expect((await send('/keyed', { headers: { 'x-api-key': 'secret-key' } })).status).toBe(401);
  });

  it('skips authentication entirely with security: false', async () => {
    const send = await start(adapter, api, echo, { security: false });
    expect((await send('/read')).status).toBe(200);
  });
});
