// Building blocks shared by the provider states of every API: a fresh ledger (the specs' fixture
// world or an empty one), calls through the sandbox's public API that must succeed, and direct
// ledger writes for fixtures whose ids the API cannot produce (it derives ids from idempotency keys).
import { FIXTURES, type LedgerTransaction } from '@finrail/ledger';
import type { ProviderUnderTest } from '../provider.ts';
import type { ProviderStateHandler, StateParams } from '../verify-provider.ts';

/** The OAuth subject the provider's full-scope client authenticates as (idempotency keys are scoped by it). */
export const CLIENT_ID = 'contract-tests';

/** A string parameter of the state, as it appears in the pact. */
export function param(params: StateParams, name: string): string {
  const value = params[name];
  if (typeof value !== 'string') throw new Error(`the state needs a string "${name}" parameter, got ${JSON.stringify(value)}`);
  return value;
}

/** A path-safe string parameter. */
export const id = (params: StateParams, name: string): string => encodeURIComponent(param(params, name));

/** Calls the sandbox's API; anything but a 2xx fails the state. */
export async function expectOk(provider: ProviderUnderTest, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<unknown> {
  const answer = await provider.call(method, path, body, headers);
  if (answer.status >= 300) throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Writes to the ledger in one transaction, for fixtures the API cannot create under their fixture ids. */
export function write<T>(provider: ProviderUnderTest, work: (tx: LedgerTransaction, now: number) => Promise<T>): Promise<T> {
  return provider.sandbox.ledger.transaction(work);
}

/** A fresh ledger holding the specs' fixture world, plus whatever `then` adds. */
export function seeded(provider: ProviderUnderTest, then?: (params: StateParams) => Promise<void>): ProviderStateHandler {
  return {
    setup: async (params) => {
      await provider.reset({ seed: true });
      await then?.(params);
    },
  };
}

/** An empty ledger: whatever the state names does not exist. */
export function empty(provider: ProviderUnderTest): ProviderStateHandler {
  return { setup: () => provider.reset({ seed: false }) };
}

export function credentials(provider: ProviderUnderTest, mode: ProviderUnderTest['credentials']): ProviderStateHandler {
  return {
    setup: async () => {
      await provider.reset({ seed: true });
      provider.credentials = mode;
    },
    teardown: () => {
      provider.credentials = 'valid';
    },
  };
}

/**
 * The fixture world where the key was already used, by this client, for another request (a
 * webhook endpoint creation): the interaction's request with the same key is a reuse.
 */
export function idempotencyKeyUsed(provider: ProviderUnderTest): ProviderStateHandler {
  return seeded(provider, async (params) => {
    const key = param(params, 'idempotencyKey');
    await expectOk(provider, 'POST', '/payments/v1/webhook-endpoints', { url: 'https://hooks.example.com/provider-state', enabled_events: ['payment.succeeded'] }, { 'idempotency-key': key });
  });
}

/** One request per API base path the sandbox serves: each API's router keeps its own buckets. */
const API_PROBES = ['/wallets/v1/wallets', '/payments/v1/payments', '/open-banking/v4.0/aisp/accounts'];

/**
 * The fixture world behind a rate limit of one request an hour, already spent by this client on
 * every API: the interaction's request (same access token, so the same bucket) gets the 429.
 */
export function rateLimitExhausted(provider: ProviderUnderTest): ProviderStateHandler {
  return {
    setup: async () => {
      await provider.reset({ seed: true, rateLimit: { limit: 1, windowMs: 60 * 60 * 1000 } });
      for (const path of API_PROBES) {
        await provider.call('GET', path);
        const refused = await provider.call('GET', path);
        if (refused.status !== 429) throw new Error(`GET ${path} answered ${refused.status} with the rate limit spent, not 429`);
      }
    },
  };
}

/** The fixture world, whose storage fails under the next request. */
export function internalFailure(provider: ProviderUnderTest): ProviderStateHandler {
  return seeded(provider, () => provider.failStorage());
}

/** The fixture world where a request with the key is still being processed when the interaction's arrives. */
export function idempotentRequestInFlight(provider: ProviderUnderTest): ProviderStateHandler {
  return {
    setup: async (params) => {
      await provider.reset({ seed: true });
      provider.inFlightKey = param(params, 'idempotencyKey');
    },
    teardown: () => {
      provider.inFlightKey = undefined;
    },
  };
}

/**
 * Leaves `available` minor units available in a fixture wallet by transferring the rest to
 * another fixture wallet through the API.
 */
export async function drainWallet(provider: ProviderUnderTest, walletId: string, available: number): Promise<void> {
  const balance = (await expectOk(provider, 'GET', `/wallets/v1/wallets/${encodeURIComponent(walletId)}/balance`)) as { available: { amount: number; currency: string } };
  const excess = balance.available.amount - available;
  if (excess < 0) throw new Error(`${walletId} has only ${balance.available.amount} available, less than ${available}`);
  if (excess === 0) return;
  const destination = [FIXTURES.alice, FIXTURES.bob].find((candidate) => candidate !== walletId)!;
  await expectOk(provider, 'POST', '/wallets/v1/transfers', {
    source_wallet_id: walletId,
    destination_wallet_id: destination,
    amount: { amount: excess, currency: balance.available.currency },
    description: 'drained by a provider state',
  });
}
