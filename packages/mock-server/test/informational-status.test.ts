// docker's engine API documents `101 Switching Protocols` beside its 200s. No final response can
// carry a 1xx (a Fetch API Response refuses one), so the mock never answers one: by default it
// picks a final response, and a request asking for a 1xx gets a problem naming why.
import { toFetchHandler } from '@finrail/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockForSpec, type InlineMock } from './support/mock-for-spec.ts';

const spec = `openapi: 3.0.3
info: { title: Upgrades, version: 1.0.0 }
paths:
  /containers/{id}/attach:
    post:
      operationId: attach
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        '101': { description: Switching protocols to a raw stream. }
        '200': { description: Attached., content: { application/json: { schema: { type: object, properties: { ok: { type: boolean } } } } } }
  /session:
    post:
      operationId: session
      responses:
        default: { description: Anything., content: { application/json: { schema: { type: object } } } }
`;

let mock: InlineMock;
beforeAll(async () => {
  mock = await mockForSpec(spec);
});
afterAll(() => mock.close());

describe('informational statuses', () => {
  it('answers a final response by default, and a problem when asked for a 1xx, documented or through default', async () => {
    const handle = toFetchHandler(mock.router);
    expect((await handle(new Request('http://mock.test/containers/c1/attach', { method: 'POST' }))).status).toBe(200);
    for (const [path, code] of [['/containers/c1/attach', '101'], ['/session', '100']] as const) {
      const response = await handle(new Request(`http://mock.test${path}`, { method: 'POST', headers: { prefer: `code=${code}` } }));
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ detail: `the mock answers with final responses only, and ${code} is informational (it performs no protocol switch)` });
    }
  });
});
