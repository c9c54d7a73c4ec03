// Azure's search service requires `Prefer: return=representation` on its PUTs, the header the mock
// reads its own preferences from (code, example, dynamic). Where an operation declares Prefer, the
// mock takes its preferences out of the header before the API validates it.
import { toFetchHandler } from '@finrail/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPreferencesInQuery } from '../src/responses/preferences.ts';
import { mockForSpec, type InlineMock } from './support/mock-for-spec.ts';

const spec = `openapi: 3.0.3
info: { title: Search, version: 1.0.0 }
paths:
  /datasources/{name}:
    put:
      operationId: putDataSource
      parameters:
        - { name: name, in: path, required: true, schema: { type: string } }
        - { name: Prefer, in: header, required: true, schema: { type: string, enum: [return=representation] } }
      responses: { '200': { $ref: '#/components/responses/DataSource' } }
    get:
      operationId: getDataSource
      parameters: [{ name: name, in: path, required: true, schema: { type: string } }]
      responses: { '200': { $ref: '#/components/responses/DataSource' } }
components:
  responses:
    DataSource:
      description: The data source.
      content:
        application/json:
          schema: { type: object, properties: { name: { type: string } } }
          examples:
            first: { value: { name: first } }
            second: { value: { name: second } }
`;

let mock: InlineMock;
beforeAll(async () => {
  mock = await mockForSpec(spec);
});
afterAll(() => mock.close());

describe('an operation that declares Prefer itself', () => {
  const send = (method: string, prefer: string) =>
    toFetchHandler(mock.router)(new Request('http://mock.test/datasources/ds1', { method, headers: { prefer } }));

  it("validates the API's own preference and still honours the mock's beside it", async () => {
    expect(await (await send('PUT', 'return=representation')).json()).toEqual({ name: 'first' });
    expect(await (await send('PUT', 'return=representation, example=second')).json()).toEqual({ name: 'second' });
    expect(await (await send('PUT', 'example=second; return=representation')).json()).toEqual({ name: 'second' });
  });

  it("answers 400 naming the header when only the mock's preferences are sent", async () => {
    const response = await send('PUT', 'example=second');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ detail: expect.stringContaining('/header/Prefer') });
  });

  it('leaves Prefer to the mock on operations that do not declare it', async () => {
    expect(await (await send('GET', 'example=second')).json()).toEqual({ name: 'second' });
  });

  it('moves only the mock preferences, appending them to the query as sent', () => {
    expect(withPreferencesInQuery('return=minimal', 'a=%20')).toBeUndefined();
    expect(withPreferencesInQuery('return=minimal; foo=1, code=404, dynamic=true, respond-async', 'a=%20')).toEqual({
      prefer: 'return=minimal; foo=1, respond-async',
      rawQuery: 'a=%20&__code=404&__dynamic=true',
    });
    // A bare `dynamic` is no preference the mock reads (parsePreferences wants `dynamic=…`): it stays.
    expect(withPreferencesInQuery('return=minimal, dynamic', '')).toBeUndefined();
    expect(withPreferencesInQuery('example="frozen"', '')).toEqual({ prefer: undefined, rawQuery: '__example=frozen' });
  });
});
