// Every request of a client carries the same bearer token, and verifying its signature (jose
// over WebCrypto) costs more than the rest of a small request. A token is verified once and its
// grant remembered until the token expires; a token that fails is never remembered. A remembered
// grant is answered synchronously, so the request it authenticates needs no promise for it.
import type { AuthResult, SecurityVerifier } from './types.ts';

export interface VerifiedTokensOptions {
  /** Most tokens remembered; when full the memo starts over. */
  maxEntries?: number;
  /** Wall-clock milliseconds (token expiry is wall-clock time). */
  now?: () => number;
}

export function rememberVerifiedTokens(verify: (token: string) => Promise<AuthResult>, options: VerifiedTokensOptions = {}): SecurityVerifier {
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const granted = new Map<string, { result: AuthResult; expiresAt: number }>();
  const verifyAndRemember = async (credential: string): Promise<AuthResult> => {
    const result = await verify(credential);
    const exp = result.ok ? result.claims?.exp : undefined;
    // Only tokens that expire are remembered, and never past their expiry.
    if (result.ok && typeof exp === 'number') {
      if (granted.size >= maxEntries) granted.clear();
      granted.set(credential, { result, expiresAt: exp * 1000 });
    }
    return result;
  };
  return ({ credential }) => {
    if (credential === undefined) return { ok: false, reason: 'missing' };
    const known = granted.get(credential);
    if (known && now() < known.expiresAt) return known.result;
    granted.delete(credential);
    return verifyAndRemember(credential);
  };
}
