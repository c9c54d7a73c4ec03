import { buildApiModel, loadSpec, type ApiModel } from '@finrail/generators';
import type { HandlerInput } from '@finrail/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateExpression, webhookTriggers } from '../src/index.ts';

const fixture = new URL('./fixtures/wallets-mini.yaml', import.meta.url).pathname;
let model: ApiModel;
beforeAll(async () => {
  model = buildApiModel(await loadSpec(fixture));
});
const operation = (id: string) => model.operations.find((candidate) => candidate.operationId === id)!;

describe('webhookTriggers', () => {
  it('reads x-finrail-webhooks and callbacks, with their request examples as bodies', () => {
    expect(webhookTriggers(model, operation('createWallet'), 1)).toEqual([
      { event: 'wallet.created', kind: 'webhook', method: 'POST', body: { id: 'evt_1', type: 'wallet.created', data: { id: 'wal_12345678', currency: 'EUR', balance: 0, status: 'active' } } },
    ]);
    expect(webhookTriggers(model, operation('freezeWallet'), 1)).toMatchObject([{ event: 'frozen', kind: 'callback', expression: '{$request.body#/callback_url}', method: 'POST' }]);
    expect(webhookTriggers(model, operation('getWallet'), 1)).toEqual([]);
  });

  it('falls back to webhooks named as code spans in the description', () => {
    const described = { ...operation('getWallet'), description: 'Sends the `wallet.created` webhook, never `wallet.deleted`.' };
    expect(webhookTriggers(model, described, 1).map((trigger) => trigger.event)).toEqual(['wallet.created']);
  });
});

describe('evaluateExpression', () => {
  const input = {
    body: { callback_url: 'https://client.example/hooks', nested: { 'a/b': 7 } },
    query: { id: 'q1' },
    params: { wallet_id: 'wal_1' },
    request: { method: 'POST', path: '/v1/wallets', header: (name: string) => (name === 'x-callback' ? 'https://h.example' : undefined) },
  } as unknown as HandlerInput;

  it('resolves OpenAPI runtime expressions against the request', () => {
    expect(evaluateExpression('{$request.body#/callback_url}', input)).toBe('https://client.example/hooks');
    expect(evaluateExpression('https://x.example/{$request.path.wallet_id}?q={$request.query.id}&n={$request.body#/nested/a~1b}', input)).toBe('https://x.example/wal_1?q=q1&n=7');
    expect(evaluateExpression('{$request.header.X-Callback}', input)).toBe('https://h.example');
    expect(evaluateExpression('{$request.body#/missing}', input)).toBeUndefined();
  });
});
