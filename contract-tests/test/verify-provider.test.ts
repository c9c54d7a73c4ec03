import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MatchersV3 as M, PactV4 } from '@pact-foundation/pact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderVerificationError, verifyPacts, type ProviderStateHandler } from '../src/verify-provider.ts';

// A tiny stateful provider: GET /wallets/:id answers 200 only if a state handler seeded the wallet.
const wallets = new Map<string, { id: string; balance: number }>();
let provider: Server;
let providerBaseUrl: string;
let dir: string;
let pactFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finrail-verify-'));
  const pact = new PactV4({ consumer: 'test-consumer', provider: 'test-provider', dir, logLevel: 'error' });
  await pact
    .addInteraction()
    .given('a wallet exists', { walletId: 'wal_1', balance: 500 })
    .uponReceiving('a request for a wallet')
    .withRequest('GET', '/wallets/wal_1')
    .willRespondWith(200, (b) => b.jsonBody({ id: M.regex('^wal_[0-9]+$', 'wal_1'), balance: M.integer(500) }))
    .executeTest(async (mock) => {
      expect((await fetch(`${mock.url}/wallets/wal_1`)).status).toBe(200);
    });
  pactFile = join(dir, 'test-consumer-test-provider.json');

  provider = createServer((req, res) => {
    const wallet = wallets.get(req.url?.split('/').pop() ?? '');
    res.writeHead(wallet ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(wallet ?? { title: 'not found' }));
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  const address = provider.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  providerBaseUrl = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  provider?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const seedWallet: ProviderStateHandler = {
  setup: (params) => {
    wallets.set(String(params.walletId), { id: String(params.walletId), balance: Number(params.balance) });
  },
  teardown: (params) => {
    wallets.delete(String(params.walletId));
  },
};

describe('verifyPacts', () => {
  it('passes when the state handler seeds the provider, and tears the state down with its params', async () => {
    const calls: Array<[string, unknown]> = [];
    await verifyPacts({
      provider: 'test-provider',
      providerBaseUrl,
      pactFiles: [pactFile],
      stateHandlers: {
        'a wallet exists': {
          setup: (p) => {
            calls.push(['setup', p]);
            return seedWallet.setup?.(p);
          },
          teardown: (p) => {
            calls.push(['teardown', p]);
            return seedWallet.teardown?.(p);
          },
        },
      },
    });
    expect(calls).toEqual([
      ['setup', { walletId: 'wal_1', balance: 500 }],
      ['teardown', { walletId: 'wal_1', balance: 500 }],
    ]);
    expect(wallets.size).toBe(0);
  });

  it('fails when the provider does not honour the state', async () => {
    const error = await verifyPacts({
      provider: 'test-provider',
      providerBaseUrl,
      pactFiles: [pactFile],
      stateHandlers: { 'a wallet exists': {} },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderVerificationError);
    expect((error as ProviderVerificationError).interactionFailures[0]?.interaction).toContain('a request for a wallet');
  });

  it('fails when a state handler throws, even though the provider response would have matched', async () => {
    const error = await verifyPacts({
      provider: 'test-provider',
      providerBaseUrl,
      pactFiles: [pactFile],
      stateHandlers: {
        'a wallet exists': {
          setup: async (p) => {
            await seedWallet.setup?.(p);
            throw new Error('seed data is inconsistent');
          },
          teardown: seedWallet.teardown,
        },
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderVerificationError);
    const failure = error as ProviderVerificationError;
    expect(failure.interactionFailures).toEqual([]);
    expect(failure.stateFailures).toEqual([
      { state: 'a wallet exists', action: 'setup', params: { walletId: 'wal_1', balance: 500 }, message: 'seed data is inconsistent' },
    ]);
    expect(failure.message).toContain('provider state "a wallet exists" failed on setup');
  });

  it('refuses to start when a provider state has no handler', async () => {
    const error = await verifyPacts({ provider: 'test-provider', providerBaseUrl, pactFiles: [pactFile], stateHandlers: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderVerificationError);
    expect((error as ProviderVerificationError).missingStates).toEqual(['a wallet exists']);
  });
});
