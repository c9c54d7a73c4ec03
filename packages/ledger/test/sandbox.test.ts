// The wallets API over HTTP on the sandbox, with response validation on: every answer must match
// the spec or the router turns it into a 500 (which these tests would catch).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.ts';
import { IDEMPOTENCY_RETENTION_MS } from '../src/idempotency/idempotency-store.ts';
import { createSandbox, SANDBOX_RATE_LIMIT, type Sandbox } from '../src/sandbox/sandbox.ts';
import { FIXTURES } from '../src/sandbox/seed.ts';
import { accessToken, apiClient } from './support/http.ts';
import { DATABASE_URL, dropSchema, freshSchemaName, storageTargets } from './support/storages.ts';

describe.each(storageTargets)('sandbox: wallets API on $name', ({ name, skip }) => {
  let sandbox: Sandbox;
  let call: ReturnType<typeof apiClient>;
  const schema = freshSchemaName();

  beforeAll(async () => {
    if (skip) return;
    const storage = name === 'postgres' ? { storage: 'postgres' as const, databaseUrl: DATABASE_URL, schema } : { storage: 'memory' as const };
    sandbox = await createSandbox({ port: 0, ...storage, logger: false, intervalMs: 0, validateResponses: true });
    call = apiClient(sandbox, await accessToken(sandbox));
  });
  afterAll(async () => {
    if (skip) return;
    expect(await sandbox.ledger.audit()).toEqual([]);
    await sandbox.close();
    if (name === 'postgres') await dropSchema(schema);
  });

  const newWallet = async (currency = 'EUR') => (await call('POST', '/wallets', { currency, owner_reference: 'test-owner' })).body.id as string;
  const topUp = (walletId: string, amount: number) => call('POST', `/wallets/${walletId}/top-ups`, { amount: { amount, currency: 'EUR' }, funding_reference: 'REF-1' });

  it.skipIf(skip)('answers health and token requests, and refuses bad credentials or missing tokens', async () => {
    expect(await (await fetch(`${sandbox.url}/health`)).json()).toEqual({ status: 'ok', storage: name });
    const bad = await fetch(`${sandbox.url}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' }) });
    expect(bad.status).toBe(401);
    const anonymous = await fetch(`${sandbox.url}/wallets/v1/wallets`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toBe('application/problem+json');
  });

  it.skipIf(skip)('enforces scopes: a read-only token cannot move money (403)', async () => {
    const readOnly = apiClient(sandbox, await accessToken(sandbox, 'wallets:read'));
    expect((await readOnly('GET', `/wallets/${FIXTURES.alice}`)).status).toBe(200);
    expect((await readOnly('POST', '/wallets', { currency: 'EUR', owner_reference: 'x' })).status).toBe(403);
  });

  it.skipIf(skip)('serves the seeded fixture world with the documented balances', async () => {
    const alice = await call('GET', `/wallets/${FIXTURES.alice}`);
    expect(alice.body).toMatchObject({ id: FIXTURES.alice, owner_reference: 'customer-1042', currency: 'EUR', status: 'active' });
    // Alice's balance is the fold of her fixture history (the values themselves are checked against
    // the spec's example in contract-tests/test/seed-matches-spec.test.ts).
    const amountOf = async (path: string) => (await call('GET', path)).body.amount.amount as number;
    const posted = (await amountOf(`/wallets/${FIXTURES.alice}/top-ups/${FIXTURES.topUp}`)) - (await amountOf(`/transfers/${FIXTURES.transfer}`));
    const pending = (await amountOf(`/wallets/${FIXTURES.alice}/holds/${FIXTURES.hold}`)) + (await amountOf(`/wallets/${FIXTURES.alice}/withdrawals/${FIXTURES.withdrawal}`));
    const balance = await call('GET', `/wallets/${FIXTURES.alice}/balance`);
    expect(balance.body).toMatchObject({ posted: { amount: posted }, pending: { amount: pending }, available: { amount: posted - pending } });
    expect((await call('GET', `/wallets/${FIXTURES.alice}/holds/${FIXTURES.hold}`)).body).toMatchObject({ status: 'active', amount: { amount: 5000 } });
    expect((await call('GET', `/transfers/${FIXTURES.transfer}`)).body).toMatchObject({ source_wallet_id: FIXTURES.alice, destination_wallet_id: FIXTURES.bob });
  });

  it.skipIf(skip)('refuses to close a wallet that still holds money (409 invalid-state), closes it once empty', async () => {
    const wallet = await newWallet();
    await topUp(wallet, 1_500);
    const refused = await call('POST', `/wallets/${wallet}/close`);
    expect(refused).toMatchObject({ status: 409, body: { type: 'https://docs.finrail.dev/problems/invalid-state' } });
    expect((await call('GET', `/wallets/${wallet}`)).body).toMatchObject({ status: 'active', closed_at: null });
    const aliceRefused = await call('POST', `/wallets/${FIXTURES.alice}/close`);
    expect(aliceRefused.status).toBe(409);
    await call('POST', '/transfers', { source_wallet_id: wallet, destination_wallet_id: FIXTURES.bob, amount: { amount: 1_500, currency: 'EUR' } });
    expect((await call('POST', `/wallets/${wallet}/close`)).body).toMatchObject({ status: 'closed' });
  });

  it.skipIf(skip)('tops up, transfers and lists transactions with cursor pagination', async () => {
    const [a, b] = [await newWallet(), await newWallet()];
    expect((await topUp(a, 10_000)).status).toBe(201);
    const transfer = await call('POST', '/transfers', { source_wallet_id: a, destination_wallet_id: b, amount: { amount: 2_500, currency: 'EUR' }, description: 'rent share' });
    expect(transfer.status).toBe(201);
    expect((await call('GET', `/wallets/${a}/balance`)).body).toMatchObject({ posted: { amount: 7_500 }, available: { amount: 7_500 } });
    expect((await call('GET', `/wallets/${b}/balance`)).body).toMatchObject({ posted: { amount: 2_500 } });

    const first = await call('GET', `/wallets/${a}/transactions?limit=1`);
    expect(first.body).toMatchObject({ has_more: true, data: [{ type: 'transfer', direction: 'debit' }] });
    const second = await call('GET', `/wallets/${a}/transactions?limit=1&starting_after=${first.body.next_cursor}`);
    expect(second.body).toMatchObject({ has_more: false, next_cursor: null, data: [{ type: 'top_up', direction: 'credit' }] });
    expect((await call('GET', `/wallets/${a}/transactions/${second.body.data[0].id}`)).status).toBe(200);
  });

  it.skipIf(skip)('rejects overdrafts, currency mismatches and unknown wallets with the documented problems', async () => {
    const [a, b] = [await newWallet(), await newWallet()];
    await topUp(a, 100);
    const overdraft = await call('POST', '/transfers', { source_wallet_id: a, destination_wallet_id: b, amount: { amount: 101, currency: 'EUR' } });
    expect(overdraft).toMatchObject({ status: 422, body: { type: 'https://docs.finrail.dev/problems/insufficient-funds' } });
    const mismatch = await call('POST', '/transfers', { source_wallet_id: a, destination_wallet_id: b, amount: { amount: 1, currency: 'GBP' } });
    expect(mismatch).toMatchObject({ status: 422, body: { type: 'https://docs.finrail.dev/problems/currency-mismatch' } });
    const unknown = await call('POST', '/transfers', { source_wallet_id: a, destination_wallet_id: 'wal_00000000000000000000000000', amount: { amount: 1, currency: 'EUR' } });
    expect(unknown).toMatchObject({ status: 422, body: { type: 'https://docs.finrail.dev/problems/unknown-resource' } });
    expect((await call('GET', '/wallets/wal_00000000000000000000000000')).status).toBe(404);
    const malformed = await call('POST', '/transfers', { source_wallet_id: a, amount: { amount: -1, currency: 'EUR' } });
    expect(malformed.status).toBe(400);
  });

  it.skipIf(skip)('replays a retried request, refuses a reused key with another body, and never moves money twice', async () => {
    const [a, b] = [await newWallet(), await newWallet()];
    await topUp(a, 1_000);
    const headers = { 'Idempotency-Key': 'retry-me-1' };
    const body = { source_wallet_id: a, destination_wallet_id: b, amount: { amount: 300, currency: 'EUR' } };
    const first = await call('POST', '/transfers', body, headers);
    const again = await call('POST', '/transfers', body, headers);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const reused = await call('POST', '/transfers', { ...body, amount: { amount: 301, currency: 'EUR' } }, headers);
    expect(reused).toMatchObject({ status: 422, body: { type: 'https://docs.finrail.dev/problems/idempotency-key-reused' } });
    expect((await call('GET', `/wallets/${b}/balance`)).body).toMatchObject({ posted: { amount: 300 } });
  });

  it.skipIf(skip)('holds, captures in part, and refuses a second capture or a void', async () => {
    const a = await newWallet();
    await topUp(a, 1_000);
    const hold = await call('POST', `/wallets/${a}/holds`, { amount: { amount: 600, currency: 'EUR' }, description: 'deposit' });
    expect(hold).toMatchObject({ status: 201, body: { status: 'active' } });
    expect((await call('GET', `/wallets/${a}/balance`)).body).toMatchObject({ posted: { amount: 1_000 }, pending: { amount: 600 }, available: { amount: 400 } });
    const captured = await call('POST', `/wallets/${a}/holds/${hold.body.id}/capture`, { amount: { amount: 250, currency: 'EUR' } });
    expect(captured).toMatchObject({ status: 200, body: { status: 'captured', captured_amount: { amount: 250 } } });
    expect((await call('GET', `/wallets/${a}/balance`)).body).toMatchObject({ posted: { amount: 750 }, pending: { amount: 0 }, available: { amount: 750 } });
    expect((await call('POST', `/wallets/${a}/holds/${hold.body.id}/capture`, {})).status).toBe(409);
    expect((await call('POST', `/wallets/${a}/holds/${hold.body.id}/void`)).status).toBe(409);
  });

  it.skipIf(skip)('withdraws (held), then settles or fails; freezes and closes wallets', async () => {
    const a = await newWallet();
    await topUp(a, 1_000);
    const destination = { type: 'iban', iban: 'FR7630006000011234567890189', account_holder_name: 'Test Owner' };
    const w1 = await call('POST', `/wallets/${a}/withdrawals`, { amount: { amount: 400, currency: 'EUR' }, destination, reference: 'out 1' });
    const w2 = await call('POST', `/wallets/${a}/withdrawals`, { amount: { amount: 600, currency: 'EUR' }, destination, reference: 'out 2' });
    expect((await call('GET', `/wallets/${a}/balance`)).body).toMatchObject({ pending: { amount: 1_000 }, available: { amount: 0 } });
    expect((await call('POST', `/wallets/${a}/withdrawals/${w1.body.id}/settle`)).body).toMatchObject({ status: 'settled' });
    expect((await call('POST', `/wallets/${a}/withdrawals/${w2.body.id}/fail`, { failure_code: 'invalid_account' })).body).toMatchObject({ status: 'failed', failure_code: 'invalid_account' });
    expect((await call('GET', `/wallets/${a}/balance`)).body).toMatchObject({ posted: { amount: 600 }, pending: { amount: 0 } });

    expect((await call('POST', `/wallets/${a}/freeze`, { reason: 'fraud review' })).body).toMatchObject({ status: 'frozen', status_reason: 'fraud review' });
    expect((await topUp(a, 1)).status).toBe(409);
    expect((await call('POST', `/wallets/${a}/unfreeze`)).body).toMatchObject({ status: 'active' });
    expect((await call('POST', `/wallets/${a}/close`)).status).toBe(409);
    const empty = await newWallet();
    expect((await call('POST', `/wallets/${empty}/close`)).body).toMatchObject({ status: 'closed' });
  });
});

describe('sandbox: rate limit', () => {
  it('answers RateLimit-* headers by default, and the documented 429 problem once a configured limit is spent', async () => {
    const generous = await createSandbox({ port: 0, storage: 'memory', logger: false, intervalMs: 0 });
    try {
      const ok = await apiClient(generous, await accessToken(generous))('GET', `/wallets/${FIXTURES.alice}`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('ratelimit-limit')).toBe(String(SANDBOX_RATE_LIMIT.limit));
    } finally {
      await generous.close();
    }

    const tiny = await createSandbox({ port: 0, storage: 'memory', logger: false, intervalMs: 0, validateResponses: true, rateLimit: { limit: 1, windowMs: 60_000 } });
    try {
      const call = apiClient(tiny, await accessToken(tiny));
      expect((await call('GET', `/wallets/${FIXTURES.alice}`)).status).toBe(200);
      const refused = await call('GET', `/wallets/${FIXTURES.alice}`);
      expect(refused).toMatchObject({ status: 429, body: { type: 'https://docs.finrail.dev/problems/rate-limited', status: 429 } });
      expect(refused.headers.get('retry-after')).toBe('60');
      expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    } finally {
      await tiny.close();
    }
  });
});

describe('sandbox on the real clock', () => {
  it("seeds the fixture hold still capturable, whatever today's date", async () => {
    const sandbox = await createSandbox({ port: 0, storage: 'memory', logger: false, intervalMs: 0, validateResponses: true });
    try {
      const call = apiClient(sandbox, await accessToken(sandbox));
      const hold = await call('GET', `/wallets/${FIXTURES.alice}/holds/${FIXTURES.hold}`);
      expect(Date.parse(hold.body.expires_at)).toBeGreaterThan(Date.now());
      const captured = await call('POST', `/wallets/${FIXTURES.alice}/holds/${FIXTURES.hold}/capture`, { amount: { amount: 1_000, currency: 'EUR' } });
      expect(captured).toMatchObject({ status: 200, body: { status: 'captured', captured_amount: { amount: 1_000 } } });
    } finally {
      await sandbox.close();
    }
  });
});

describe('sandbox background work and start-up', () => {
  it('purges idempotency keys once their 24 hours are over, on the ledger clock', async () => {
    const clock = new ManualClock();
    const sandbox = await createSandbox({ port: 0, storage: 'memory', logger: false, intervalMs: 5, seed: false, clock });
    try {
      const call = apiClient(sandbox, await accessToken(sandbox));
      expect((await call('POST', '/wallets', { currency: 'EUR', owner_reference: 'purge' })).status).toBe(201);
      const stored = async () => Number((await sandbox.ledger.store.database.reader.all('SELECT count(*) AS n FROM idempotency_keys'))[0]!.n);
      expect(await stored()).toBe(1);
      clock.advance(IDEMPOTENCY_RETENTION_MS);
      await expect.poll(stored, { timeout: 5_000 }).toBe(0);
    } finally {
      await sandbox.close();
    }
  });

  it('leaves nothing open when its port is taken: the error is thrown and the storage file can be opened again', async () => {
    const first = await createSandbox({ port: 0, storage: 'memory', logger: false, intervalMs: 0 });
    const dir = await mkdtemp(join(tmpdir(), 'finrail-sandbox-port-'));
    try {
      const path = join(dir, 'ledger.sqlite');
      await expect(createSandbox({ port: first.port, path, logger: false })).rejects.toMatchObject({ code: 'EADDRINUSE' });
      const again = await createSandbox({ port: 0, path, logger: false, intervalMs: 0 });
      expect((await fetch(`${again.url}/health`)).status).toBe(200);
      await again.close();
    } finally {
      await first.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
