// The API layer's idempotent(): what a first request answers and what its retries are replayed.
import { SerializedJson } from '@finrail/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { idempotent, type IdempotentRequest } from '../src/api/idempotent.ts';
import { openLedger, type Ledger } from '../src/ledger.ts';

const request = (key: string): IdempotentRequest => ({
  auth: { subject: 'client_a' },
  headers: { 'Idempotency-Key': key },
  request: { method: 'POST', path: '/v1/things' },
  body: { name: 'thing' },
});

describe('idempotent()', () => {
  let ledger: Ledger;
  beforeEach(async () => {
    ledger = await openLedger({ storage: 'sqlite', path: ':memory:' });
  });
  afterEach(() => ledger.close());

  it('answers with the very JSON it stored, and replays it to a retry', async () => {
    const work = async () => ({ status: 201 as const, headers: { Location: '/v1/things/1' }, body: { id: 'thing_1', tags: ['a'], note: null } });
    const first = await idempotent(ledger, request('key-1'), work);
    expect(first.status).toBe(201);
    expect(first.headers).toEqual({ Location: '/v1/things/1' });
    expect(first.body).toBeInstanceOf(SerializedJson);
    const text = (first.body as unknown as SerializedJson).text;
    expect(JSON.parse(text)).toEqual({ id: 'thing_1', tags: ['a'], note: null });

    const replay = await idempotent(ledger, request('key-1'), async (): Promise<Awaited<ReturnType<typeof work>>> => {
      throw new Error('a replay must not run the work again');
    });
    expect(replay).toMatchObject({ status: 201, headers: { Location: '/v1/things/1', 'Idempotent-Replayed': 'true' } });
    expect(JSON.stringify(replay.body)).toBe(text);
  });

  it('leaves an answer without a body without one', async () => {
    const answer = await idempotent(ledger, request('key-2'), async () => ({ status: 204 as const }));
    expect(answer).toEqual({ status: 204 });
  });

  it('does the same for work that manages its own transactions', async () => {
    const answer = await idempotent(ledger, request('key-3'), async () => ({ status: 202 as const, body: { queued: true } }), { atomic: false });
    expect((answer.body as unknown as SerializedJson).text).toBe('{"queued":true}');
  });
});
