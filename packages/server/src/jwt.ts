// Bearer JWT verification with jose: signature (JWKS, remote JWKS or one key), issuer,
// audience, expiry with clock skew; scopes read from `scope` (space-separated) or `scp`.
import { createLocalJWKSet, createRemoteJWKSet, errors, importJWK, jwtVerify, type JWK, type JWTVerifyGetKey } from 'jose';
import type { AuthResult, BearerJwtOptions } from './types.ts';

type KeyResolver = JWTVerifyGetKey | CryptoKey | Uint8Array | import('node:crypto').KeyObject;

export function createJwtVerifier(options: BearerJwtOptions): (token: string) => Promise<AuthResult> {
  let resolver: Promise<KeyResolver> | undefined;
  const resolve = (): Promise<KeyResolver> => (resolver ??= resolveKey(options));
  const verifyOptions = {
    issuer: options.issuer as string | string[] | undefined,
    audience: options.audience as string | string[] | undefined,
    clockTolerance: options.clockTolerance ?? 30,
    algorithms: options.algorithms as string[] | undefined,
  };
  const scopeClaim = options.scopeClaim;
  return async (token) => {
    try {
      const key = await resolve();
      const { payload } = await jwtVerify(token, key as JWTVerifyGetKey, verifyOptions);
      return { ok: true, subject: payload.sub, scopes: readScopes(payload, scopeClaim), claims: payload };
    } catch (error) {
      return { ok: false, reason: 'invalid', detail: describeJoseError(error) };
    }
  };
}

async function resolveKey(options: BearerJwtOptions): Promise<KeyResolver> {
  if (options.jwksUrl !== undefined) return createRemoteJWKSet(new URL(options.jwksUrl));
  if (options.jwks !== undefined) return createLocalJWKSet(options.jwks as { keys: JWK[] });
  const key = options.key;
  if (typeof key === 'string') return new TextEncoder().encode(key);
  if (key instanceof Uint8Array) return key;
  if (isJwk(key)) return importJWK(key, (key as { alg?: string }).alg ?? options.algorithms?.[0]) as Promise<KeyResolver>;
  if (key !== undefined && key !== null) return key as KeyResolver;
  throw new Error('bearer JWT verification needs one of jwksUrl, jwks or key');
}

function isJwk(key: unknown): key is JWK {
  return typeof key === 'object' && key !== null && 'kty' in key;
}

function readScopes(payload: Record<string, unknown>, claim: string | undefined): string[] {
  const value = claim !== undefined ? payload[claim] : (payload.scope ?? payload.scp);
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((scope): scope is string => typeof scope === 'string');
  return [];
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key matches the token';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token algorithm is not allowed';
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) return 'the token is malformed';
  if (error instanceof errors.JOSEError) return 'the token could not be verified';
  return 'the token could not be verified';
}
