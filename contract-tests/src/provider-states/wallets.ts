// Provider states of the wallets spec: the sandbox's seed is the specs' fixture world, so most
// states are that world as is; lifecycle states (frozen, closed, settled, voided, drained) are
// reached through the wallets API.
import { FIXTURES } from '@finrail/ledger';
import type { ProviderUnderTest } from '../provider.ts';
import type { ProviderStateHandler, StateParams } from '../verify-provider.ts';
import { drainWallet, empty, expectOk, id, param, seeded } from './support.ts';

const WALLETS = '/wallets/v1';
const SEEDED_IDS = new Set<string>(Object.values(FIXTURES));

/** A fixture-world state: reset to the seed and check the wallets the state names are part of it. */
function seededWallets(provider: ProviderUnderTest): ProviderStateHandler {
  return seeded(provider, async (params) => {
    for (const walletId of idsIn(params).filter((candidate) => candidate.startsWith('wal_'))) {
      if (!SEEDED_IDS.has(walletId)) throw new Error(`${walletId} is not one of the sandbox's fixture wallets`);
    }
  });
}

/** The fixture world, then one API call that must succeed. */
function afterCall(provider: ProviderUnderTest, call: (params: StateParams) => [method: string, path: string, body?: unknown]): ProviderStateHandler {
  return seeded(provider, async (params) => {
    const [method, path, body] = call(params);
    await expectOk(provider, method, path, body);
  });
}

/** Wallets states by name. */
export function walletStates(provider: ProviderUnderTest): Record<string, ProviderStateHandler> {
  return {
    baseline: seededWallets(provider),
    'no wallets exist': empty(provider),
    'wallets exist': seededWallets(provider),
    'wallet exists': walletExists(provider),
    'wallet has no funds': seededWallets(provider),
    'wallet has a top-up': seededWallets(provider),
    'wallet has insufficient funds': seeded(provider, (params) => drainWallet(provider, param(params, 'walletId'), 1_000)),
    'wallet has another currency': anotherCurrency(provider),
    'wallet is closed': closedWallet(provider),
    'wallet has a pending withdrawal': seededWallets(provider),
    'wallet has an active hold': seededWallets(provider),
    'wallet has transactions': seededWallets(provider),
    'transfer exists': seededWallets(provider),
    'wallet does not exist': empty(provider),
    'top-up does not exist': empty(provider),
    'withdrawal does not exist': empty(provider),
    'transfer does not exist': empty(provider),
    'hold does not exist': empty(provider),
    'transaction does not exist': empty(provider),
    'wallet is frozen': afterCall(provider, (p) => ['POST', `${WALLETS}/wallets/${id(p, 'walletId')}/freeze`, { reason: 'frozen by a provider state' }]),
    'withdrawal is settled': afterCall(provider, (p) => ['POST', `${WALLETS}/wallets/${id(p, 'walletId')}/withdrawals/${id(p, 'withdrawalId')}/settle`, {}]),
    'hold is voided': afterCall(provider, (p) => ['POST', `${WALLETS}/wallets/${id(p, 'walletId')}/holds/${id(p, 'holdId')}/void`, {}]),
  };
}

/** The fixture world; with `postedAmount`, the named wallet is topped up to that posted balance. */
function walletExists(provider: ProviderUnderTest): ProviderStateHandler {
  const fixtureWorld = seededWallets(provider);
  return {
    setup: async (params) => {
      await fixtureWorld.setup?.(params);
      if (params.postedAmount === undefined) return;
      const walletId = param(params, 'walletId');
      const wanted = params.postedAmount;
      if (typeof wanted !== 'number' || !Number.isSafeInteger(wanted)) throw new Error(`postedAmount must be an integer of minor units, got ${JSON.stringify(wanted)}`);
      const balance = (await expectOk(provider, 'GET', `${WALLETS}/wallets/${encodeURIComponent(walletId)}/balance`)) as { posted: { amount: number; currency: string } };
      const missing = wanted - balance.posted.amount;
      if (missing < 0) throw new Error(`fixture wallet ${walletId} already holds ${balance.posted.amount}, more than postedAmount ${wanted}`);
      if (missing === 0) return;
      await expectOk(provider, 'POST', `${WALLETS}/wallets/${encodeURIComponent(walletId)}/top-ups`, {
        amount: { amount: missing, currency: balance.posted.currency },
        funding_reference: 'provider-state',
      });
    },
  };
}

/** The fixture world, where the named fixture wallet holds the given currency (wallets never change currency). */
function anotherCurrency(provider: ProviderUnderTest): ProviderStateHandler {
  return seeded(provider, async (params) => {
    const walletId = param(params, 'walletId');
    const wallet = (await expectOk(provider, 'GET', `${WALLETS}/wallets/${encodeURIComponent(walletId)}`)) as { currency: string };
    const currency = param(params, 'currency');
    if (wallet.currency !== currency) throw new Error(`fixture wallet ${walletId} holds ${wallet.currency}, not ${currency}; name a fixture wallet in ${currency}`);
  });
}

/**
 * The fixture world with the wallet emptied and closed: its hold voided, its pending withdrawal
 * failed, the rest transferred away, then closed through the API.
 */
function closedWallet(provider: ProviderUnderTest): ProviderStateHandler {
  return seeded(provider, async (params) => {
    const walletId = param(params, 'walletId');
    if (walletId === FIXTURES.alice) {
      await expectOk(provider, 'POST', `${WALLETS}/wallets/${walletId}/holds/${FIXTURES.hold}/void`, {});
      await expectOk(provider, 'POST', `${WALLETS}/wallets/${walletId}/withdrawals/${FIXTURES.withdrawal}/fail`, { failure_code: 'account_closed' });
    }
    const balance = (await expectOk(provider, 'GET', `${WALLETS}/wallets/${walletId}/balance`)) as { posted: { amount: number; currency: string } };
    if (balance.posted.amount > 0) {
      const destination = [FIXTURES.alice, FIXTURES.bob].find((candidate) => candidate !== walletId)!;
      await expectOk(provider, 'POST', `${WALLETS}/transfers`, {
        source_wallet_id: walletId,
        destination_wallet_id: destination,
        amount: balance.posted,
      });
    }
    await expectOk(provider, 'POST', `${WALLETS}/wallets/${walletId}/close`);
  });
}

/** String ids among the params (`walletId`, `walletIds: [...]`). */
function idsIn(params: StateParams): string[] {
  return Object.entries(params)
    .filter(([name]) => /Ids?$/.test(name))
    .flatMap(([, value]) => (Array.isArray(value) ? value : [value]))
    .filter((value): value is string => typeof value === 'string');
}
