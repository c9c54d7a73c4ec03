import { describe, expect, it } from 'vitest';
import { SerializedJson, type ApiDefinition } from '../src/index.ts';
import { compile } from './fixture.ts';
import { ADAPTERS, start } from './harness.ts';

const api: ApiDefinition = {
  operations: [
    {
      operationId: 'getWallet',
      method: 'get',
      path: '/wallets/{id}',
      parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }],
      responses: { '200': { contentTypes: ['application/json'] } },
      validators: { responses: { '200': { 'application/json': compile({ type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^wal_' } } }) } } },
    },
  ],
};

describe.each(ADAPTERS)('a body serialised ahead of time, over the %s adapter', (adapter) => {
  it('is sent verbatim as the documented JSON', async () => {
    const text = '{"id":"wal_1", "note":"spacing kept"}';
    const send = await start(adapter, api, { getWallet: () => ({ status: 200, body: new SerializedJson(text) }) }, { validateResponses: true });
    const response = await send('/wallets/wal_1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.text).toBe(text);
  });

  it('is validated against the response schema like any body', async () => {
    const send = await start(adapter, api, { getWallet: () => ({ status: 200, body: new SerializedJson('{"id":"acc_1"}') }) }, { validateResponses: true });
    const response = await send('/wallets/wal_1');
    expect(response.status).toBe(500);
    expect(response.json.errors).toEqual([expect.objectContaining({ pointer: '/body/id' })]);
  });
});
