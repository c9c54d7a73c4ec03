// Enforces an operation's security requirements: alternatives (OR) of schemes (AND), each
// scheme's credential verified once per request, scopes checked; 401 vs 403 with WWW-Authenticate.
import { createJwtVerifier } from './jwt.ts';
import { parseCookieHeader, parseQueryString, decodeComponent } from './parameters.ts';
import type {
  AuthContext,
  AuthResult,
  AuthResultGranted,
  Logger,
  RequestInfo,
  SecurityOptions,
  SecurityRequirement,
  SecuritySchemeDefinition,
  SecurityVerifier,
} from './types.ts';

export type AuthOutcome =
  | { ok: true; auth: AuthContext | undefined }
  | { ok: false; status: 401 | 403; challenge: string; detail: string };

export type Authenticator = (requirements: readonly SecurityRequirement[], request: RequestInfo) => Promise<AuthOutcome>;

export function createAuthenticator(
  schemes: Readonly<Record<string, SecuritySchemeDefinition>>,
  options: SecurityOptions,
  logger: Logger,
): Authenticator {
  const realm = options.realm ?? 'finrail';
  const verifiers = new Map<string, SecurityVerifier>();
  const bearer = options.bearer ? createJwtVerifier(options.bearer) : undefined;
  for (const [name, scheme] of Object.entries(schemes)) {
    const verifier = options.verifiers?.[name] ?? builtInVerifier(scheme, bearer, options.apiKey);
    if (verifier) verifiers.set(name, verifier);
    else logger.warn({ scheme: name, type: scheme.type }, 'no verifier configured for security scheme; requests needing it are rejected');
  }

  return async (requirements, request) => {
    if (requirements.length === 0) return { ok: true, auth: undefined };
    const results = new Map<string, AuthResult>();
    const verify = async (name: string, scopes: readonly string[]): Promise<AuthResult> => {
      let result = results.get(name);
      if (result) return result;
      const scheme = schemes[name];
      const verifier = verifiers.get(name);
      if (!scheme || !verifier) {
        result = { ok: false, reason: 'invalid', detail: `security scheme ${name} is not configured on this server` };
      } else {
        const credential = extractCredential(scheme, request);
        result =
          credential === undefined && scheme.type !== 'mutualTLS'
            ? { ok: false, reason: 'missing' }
            : await verifier({ schemeName: name, scheme, credential, requiredScopes: scopes, request });
      }
      results.set(name, result);
      return result;
    };

    let invalid: string | undefined;
    let insufficient: { scopes: readonly string[] } | undefined;
    for (const requirement of requirements) {
      const names = Object.keys(requirement);
      if (names.length === 0) return { ok: true, auth: undefined };
      const granted: Record<string, AuthResultGranted> = {};
      let satisfied = true;
      for (const name of names) {
        const scopes = requirement[name] ?? [];
        const result = await verify(name, scopes);
        if (!result.ok) {
          satisfied = false;
          if (result.reason === 'invalid') invalid ??= result.detail ?? 'the credentials are invalid';
          break;
        }
        const missing = scopes.filter((scope) => !(result.scopes ?? []).includes(scope));
        if (missing.length > 0) {
          satisfied = false;
          insufficient ??= { scopes };
          break;
        }
        granted[name] = result;
      }
      if (satisfied) return { ok: true, auth: toAuthContext(names[0]!, granted) };
    }

    const challengeScheme = challengeSchemeFor(requirements, schemes);
    if (insufficient) {
      return {
        ok: false,
        status: 403,
        challenge: challenge(challengeScheme, realm, { error: 'insufficient_scope', scope: insufficient.scopes.join(' ') }),
        detail: `this operation requires the scopes: ${insufficient.scopes.join(', ')}`,
      };
    }
    if (invalid !== undefined) {
      return {
        ok: false,
        status: 401,
        challenge: challenge(challengeScheme, realm, { error: 'invalid_token', error_description: invalid }),
        detail: invalid,
      };
    }
    return { ok: false, status: 401, challenge: challenge(challengeScheme, realm, {}), detail: 'credentials are required' };
  };
}

function builtInVerifier(
  scheme: SecuritySchemeDefinition,
  bearer: ((token: string) => Promise<AuthResult>) | undefined,
  apiKey: SecurityOptions['apiKey'],
): SecurityVerifier | undefined {
  const bearerLike = scheme.type === 'oauth2' || scheme.type === 'openIdConnect' || (scheme.type === 'http' && scheme.scheme.toLowerCase() === 'bearer');
  if (bearerLike && bearer) return ({ credential }) => bearer(credential!);
  if (scheme.type === 'apiKey' && apiKey) {
    return async (input) => {
      const verdict = await apiKey(input.credential!, input);
      if (verdict === true) return { ok: true, scopes: [] };
      if (!verdict) return { ok: false, reason: 'invalid', detail: 'the API key is not valid' };
      return { ...verdict, ok: true };
    };
  }
  return undefined;
}

/** The credential a scheme carries: bearer token, basic credentials or API key. */
export function extractCredential(scheme: SecuritySchemeDefinition, request: RequestInfo): string | undefined {
  switch (scheme.type) {
    case 'apiKey': {
      if (scheme.in === 'header') return request.header(scheme.name.toLowerCase()) || undefined;
      if (scheme.in === 'cookie') return parseCookieHeader(request.header('cookie')).get(scheme.name) || undefined;
      const raw = parseQueryString(request.rawQuery).get(scheme.name)?.[0];
      return raw ? decodeComponent(raw) : undefined;
    }
    case 'http':
      return authorizationCredential(request, scheme.scheme);
    case 'oauth2':
    case 'openIdConnect':
      return authorizationCredential(request, 'bearer');
    case 'mutualTLS':
      return undefined;
  }
}

function authorizationCredential(request: RequestInfo, expected: string): string | undefined {
  const header = request.header('authorization');
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space === -1 || header.slice(0, space).toLowerCase() !== expected.toLowerCase()) return undefined;
  const credential = header.slice(space + 1).trim();
  return credential === '' ? undefined : credential;
}

function toAuthContext(first: string, granted: Record<string, AuthResultGranted>): AuthContext {
  const primary = granted[first]!;
  return {
    scheme: first,
    subject: primary.subject,
    scopes: [...new Set(Object.values(granted).flatMap((result) => result.scopes ?? []))],
    claims: primary.claims ?? {},
    schemes: granted,
  };
}

function challengeSchemeFor(requirements: readonly SecurityRequirement[], schemes: Readonly<Record<string, SecuritySchemeDefinition>>): string {
  for (const requirement of requirements) {
    for (const name of Object.keys(requirement)) {
      const scheme = schemes[name];
      if (!scheme) continue;
      if (scheme.type === 'http') return capitalize(scheme.scheme);
      if (scheme.type === 'oauth2' || scheme.type === 'openIdConnect') return 'Bearer';
      if (scheme.type === 'apiKey') return 'ApiKey';
    }
  }
  return 'Bearer';
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

function challenge(scheme: string, realm: string, params: Record<string, string>): string {
  const parts = [`realm="${realm}"`, ...Object.entries(params).map(([key, value]) => `${key}="${value.replace(/["\\]/g, '')}"`)];
  return `${scheme} ${parts.join(', ')}`;
}
