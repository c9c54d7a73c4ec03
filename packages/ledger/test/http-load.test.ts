// Money over HTTP under load, on a durable SQLite file: 50 concurrent clients among 10 hot wallets
// conserve the total and never overdraw; and a server killed with SIGKILL under load keeps every
// transfer it acknowledged with a 2xx, and after the restart a retry of any request sent before the
// kill moves no money twice.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { accessToken, apiClient } from './support/http.ts';

const CHILD = new URL('./fixtures/sandbox-child.ts', import.meta.url).pathname;

async function hotWallets(call: ReturnType<typeof apiClient>, count: number, funds: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const wallet = await call('POST', '/wallets', { currency: 'EUR', owner_reference: `hot-${i}` });
    await call('POST', `/wallets/${wallet.body.id}/top-ups`, { amount: { amount: funds, currency: 'EUR' }, funding_reference: 'seed' });
    ids.push(wallet.body.id);
  }
  return ids;
}

describe('HTTP under load', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'finrail-http-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('50 concurrent clients among 10 hot wallets: totals conserved, no overdraft', async () => {
    const sandbox: Sandbox = await createSandbox({ port: 0, storage: 'sqlite', path: join(dir, 'load.sqlite'), logger: false, intervalMs: 0, seed: false });
    try {
      const call = apiClient(sandbox, await accessToken(sandbox));
      const wallets = await hotWallets(call, 10, 1_000);
      const statuses: number[] = [];
      await Promise.all(
        Array.from({ length: 50 }, async (_, client) => {
          for (let i = 0; i < 20; i++) {
            const from = wallets[(client + i) % 10]!;
            const to = wallets[(client * 3 + i * 7 + 1) % 10]!;
            if (from === to) continue;
            const response = await call('POST', '/transfers', { source_wallet_id: from, destination_wallet_id: to, amount: { amount: 1 + ((client * 31 + i * 17) % 300), currency: 'EUR' } });
            statuses.push(response.status);
          }
        }),
      );
      expect(statuses.every((status) => status === 201 || status === 422)).toBe(true);
      expect(statuses.filter((status) => status === 201).length).toBeGreaterThan(100);
      let total = 0;
      for (const id of wallets) {
        const { body } = await call('GET', `/wallets/${id}/balance`);
        expect(body.available.amount).toBeGreaterThanOrEqual(0);
        total += body.posted.amount;
      }
      expect(total).toBe(10_000);
      expect(await sandbox.ledger.audit()).toEqual([]);
    } finally {
      await sandbox.close();
    }
  }, 120_000);

  // On a file the key is claimed in memory, and its stored response is read by the group-commit
  // batch the request joins (in that batch's read snapshot): the same answers as a lookup of its own.
  it('idempotency keys on a SQLite file: concurrent twins get one 201 and 409s, a replay the stored response, another body 422', async () => {
    const sandbox: Sandbox = await createSandbox({ port: 0, storage: 'sqlite', path: join(dir, 'keys.sqlite'), logger: false, intervalMs: 0, seed: false });
    try {
      const call = apiClient(sandbox, await accessToken(sandbox));
      const [from, to] = await hotWallets(call, 2, 1_000);
      const body = { source_wallet_id: from, destination_wallet_id: to, amount: { amount: 5, currency: 'EUR' } };
      const key = { 'Idempotency-Key': randomUUID() };
      // Hold the writer so that the first request stays in flight while its twins arrive.
      let release!: () => void;
      const writerHeld = sandbox.ledger.store.database.transaction(() => new Promise<void>((resolve) => (release = resolve)));
      let claimed!: () => void;
      const firstClaimed = new Promise<void>((resolve) => (claimed = resolve));
      const begin = sandbox.ledger.idempotency.begin.bind(sandbox.ledger.idempotency);
      sandbox.ledger.idempotency.begin = async (...args) => {
        const decision = await begin(...args);
        if (decision.kind === 'proceed') claimed();
        return decision;
      };
      const first = call('POST', '/transfers', body, key);
      await firstClaimed;
      const twins = await Promise.all(Array.from({ length: 4 }, () => call('POST', '/transfers', body, key)));
      release();
      await writerHeld;
      for (const twin of twins) {
        expect(twin).toMatchObject({ status: 409, body: { type: 'https://docs.finrail.dev/problems/idempotency-request-in-progress' } });
      }
      const created = [await first];
      expect(created[0]!.status).toBe(201);
      const replay = await call('POST', '/transfers', body, key);
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.headers.get('location')).toBe(created[0]!.headers.get('location'));
      expect(replay.body).toEqual(created[0]!.body);
      expect(created[0]!.headers.get('idempotent-replayed')).toBeNull();
      const reused = await call('POST', '/transfers', { ...body, amount: { amount: 6, currency: 'EUR' } }, key);
      expect(reused).toMatchObject({ status: 422, body: { type: 'https://docs.finrail.dev/problems/idempotency-key-reused' } });
      const { body: balance } = await call('GET', `/wallets/${to}/balance`);
      expect(balance.posted.amount).toBe(1_005);
      expect(await sandbox.ledger.audit()).toEqual([]);
    } finally {
      await sandbox.close();
    }
  }, 60_000);

  it('keeps every acknowledged transfer when the server is killed with SIGKILL under load; retries after the restart move no money twice', async () => {
    const path = join(dir, 'crash.sqlite');
    const client = { clientId: 'crash', clientSecret: 'crash-secret', scopes: ['wallets:read', 'wallets:write'] };
    // --conditions=source resolves workspace packages to their TypeScript sources, as in tests.
    const child = spawn(process.execPath, ['--conditions=source', CHILD, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the sandbox exited early (${code})`)));
    });
    const { url } = JSON.parse(firstLine) as { url: string };
    const fake = { url, clients: [client] } as unknown as Sandbox;
    const call = apiClient(fake, await accessToken(fake));
    const wallets = await hotWallets(call, 10, 100_000);

    const acknowledged: string[] = [];
    /** Every transfer request sent, with the id it was acknowledged with, if it was. */
    const sent: Array<{ key: string; body: object; id?: string }> = [];
    let killed = false;
    await Promise.all(
      Array.from({ length: 20 }, async (_, caller) => {
        for (let i = 0; !killed; i++) {
          const body = { source_wallet_id: wallets[(caller + i) % 10]!, destination_wallet_id: wallets[(caller + i + 1) % 10]!, amount: { amount: 1, currency: 'EUR' } };
          const request: (typeof sent)[number] = { key: randomUUID(), body };
          sent.push(request);
          try {
            const response = await call('POST', '/transfers', body, { 'Idempotency-Key': request.key });
            if (response.status === 201) acknowledged.push((request.id = response.body.id));
          } catch {
            return; // the connection died with the server
          }
          if (acknowledged.length >= 300 && !killed) {
            killed = true;
            child.kill('SIGKILL');
          }
        }
      }),
    );
    await exited;

    const restarted = await createSandbox({ port: 0, storage: 'sqlite', path, logger: false, intervalMs: 0, seed: false, clients: [client] });
    try {
      for (const id of acknowledged) expect(await restarted.ledger.getEntry(id), `acknowledged ${id} survived`).toBeDefined();
      expect(await restarted.ledger.audit()).toEqual([]);
      // Every request sent is retried twice: an acknowledged one is replayed as it was answered; one
      // cut off by the kill is replayed if it was committed, else runs now, once.
      const retry = apiClient(restarted, await accessToken(restarted));
      const journalLength = async () => (await restarted.ledger.store.database.reader.all('SELECT count(*) AS n FROM entries'))[0]!.n;
      const before = await journalLength();
      let ranNow = 0;
      for (const request of sent) {
        const first = await retry('POST', '/transfers', request.body, { 'Idempotency-Key': request.key });
        expect(first.status).toBe(201);
        if (request.id !== undefined) expect([first.body.id, first.headers.get('idempotent-replayed')]).toEqual([request.id, 'true']);
        if (first.headers.get('idempotent-replayed') === null) ranNow += 1;
        const second = await retry('POST', '/transfers', request.body, { 'Idempotency-Key': request.key });
        expect([second.body.id, second.headers.get('idempotent-replayed')]).toEqual([first.body.id, 'true']);
      }
      expect(ranNow).toBeLessThan(sent.length - acknowledged.length + 1);
      expect(Number(await journalLength()) - Number(before)).toBe(ranNow);
      expect(await restarted.ledger.audit()).toEqual([]);
    } finally {
      await restarted.close();
    }
  }, 120_000);
});
