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

/** Synchronous whenever every verifier it consults answers synchronously (a remembered token). */
export type Authenticator = (requirements: readonly SecurityRequirement[], request: RequestInfo) => AuthOutcome | Promise<AuthOutcome>;

const NO_AUTH: AuthOutcome = { ok: true, auth: undefined };

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

  const verify = (name: string, scopes: readonly string[], request: RequestInfo): AuthResult | Promise<AuthResult> => {
    const scheme = schemes[name];
    const verifier = verifiers.get(name);
    if (!scheme || !verifier) return { ok: false, reason: 'invalid', detail: `security scheme ${name} is not configured on this server` };
    const credential = extractCredential(scheme, request);
    if (credential === undefined && scheme.type !== 'mutualTLS') return { ok: false, reason: 'missing' };
    return verifier({ schemeName: name, scheme, credential, requiredScopes: scopes, request });
  };

  // Requirements are alternatives (OR) of schemes (AND), tried in order; each scheme is verified
  // at most once per request. The walk restarts from the top with what is known whenever a
  // verifier answers with a promise, so it stays synchronous for synchronous verifiers.
  return (requirements, request) => {
    if (requirements.length === 0) return NO_AUTH;
    const results = new Map<string, AuthResult>();
    const decide = (): AuthOutcome | Promise<AuthOutcome> => {
      let invalid: string | undefined;
      let insufficient: { scopes: readonly string[] } | undefined;
      for (const requirement of requirements) {
        const names = Object.keys(requirement);
        if (names.length === 0) return NO_AUTH;
        const granted: Record<string, AuthResultGranted> = {};
        let satisfied = true;
        for (const name of names) {
          const scopes = requirement[name] ?? [];
          let result = results.get(name);
          if (!result) {
            const answer = verify(name, scopes, request);
            if (answer instanceof Promise) {
              return answer.then((settled) => {
                results.set(name, settled);
                return decide();
              });
            }
            results.set(name, (result = answer));
          }
          if (!result.ok) {
            satisfied = false;
            if (result.reason === 'invalid') invalid ??= result.detail ?? 'the credentials are invalid';
            break;
          }
          if (!hasScopes(result, scopes)) {
            satisfied = false;
            insufficient ??= { scopes };
            break;
          }
          granted[name] = result;
        }
        if (satisfied) return { ok: true, auth: toAuthContext(names, granted) };
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
    return decide();
  };
}

function hasScopes(result: AuthResultGranted, required: readonly string[]): boolean {
  if (required.length === 0) return true;
  const granted = result.scopes ?? [];
  return required.every((scope) => granted.includes(scope));
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

/**
 * A single scheme's context, per verdict: a remembered token's verdict is the same object on every
 * request, so its context is built once.
 */
const singleSchemeContexts = new WeakMap<AuthResultGranted, AuthContext>();

function toAuthContext(names: readonly string[], granted: Record<string, AuthResultGranted>): AuthContext {
  const first = names[0]!;
  const primary = granted[first]!;
  if (names.length === 1) {
    const known = singleSchemeContexts.get(primary);
    if (known?.scheme === first) return known;
  }
  const context: AuthContext = {
    scheme: first,
    subject: primary.subject,
    scopes: [...new Set(Object.values(granted).flatMap((result) => result.scopes ?? []))],
    claims: primary.claims ?? {},
    schemes: granted,
  };
  if (names.length === 1) singleSchemeContexts.set(primary, context);
  return context;
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
