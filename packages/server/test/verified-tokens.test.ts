import { describe, expect, it } from 'vitest';
import { rememberVerifiedTokens, type AuthResult, type SecurityVerifierInput } from '../src/index.ts';

const input = (credential: string | undefined) => ({ credential }) as SecurityVerifierInput;

function countingVerifier(results: Record<string, AuthResult>) {
  const calls: string[] = [];
  const verify = async (token: string): Promise<AuthResult> => {
    calls.push(token);
    return results[token] ?? { ok: false, reason: 'invalid', detail: 'the token signature is invalid' };
  };
  return { calls, verify };
}

describe('rememberVerifiedTokens', () => {
  const granted: AuthResult = { ok: true, subject: 'client', scopes: ['wallets:write'], claims: { exp: 2_000 } };

  it('verifies a token once and answers its grant until the token expires', async () => {
    let now = 1_000_000;
    const { calls, verify } = countingVerifier({ good: granted });
    const verifier = rememberVerifiedTokens(verify, { now: () => now });
    expect(await verifier(input('good'))).toEqual(granted);
    // Remembered: answered synchronously, without a promise.
    expect(verifier(input('good'))).toEqual(granted);
    expect(calls).toEqual(['good']);
    now = 2_000_000; // exp is in seconds: the token has just expired
    await verifier(input('good'));
    expect(calls).toEqual(['good', 'good']);
  });

  it('never remembers a rejected token, nor one without an expiry', async () => {
    const forever: AuthResult = { ok: true, subject: 'client', claims: {} };
    const { calls, verify } = countingVerifier({ forever });
    const verifier = rememberVerifiedTokens(verify, { now: () => 0 });
    expect(await verifier(input('forged'))).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await verifier(input('forged'))).toMatchObject({ ok: false, reason: 'invalid' });
    await verifier(input('forever'));
    await verifier(input('forever'));
    expect(calls).toEqual(['forged', 'forged', 'forever', 'forever']);
  });

  it('reports a missing credential without verifying anything', async () => {
    const { calls, verify } = countingVerifier({});
    expect(await rememberVerifiedTokens(verify)(input(undefined))).toEqual({ ok: false, reason: 'missing' });
    expect(calls).toEqual([]);
  });
});
