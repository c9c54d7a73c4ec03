// The mock synthesises documented response headers (examples, else generated from the schema) so
// that its answers pass the server runtime's response-header validation.
import { buildApiModel, createApiDefinition, loadSpec } from '@finrail/generators';
import { compileResponseHeadersCheck, toFetchHandler } from '@finrail/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockForSpec, type InlineMock } from './support/mock-for-spec.ts';

const spec = `openapi: 3.1.0
info: { title: Header synthesis, version: 1.0.0 }
paths:
  /limits:
    get:
      operationId: getLimits
      responses:
        '200':
          description: Limits.
          headers:
            RateLimit-Limit: { required: true, schema: { type: integer, minimum: 100, maximum: 200 } }
            X-Tags: { required: true, schema: { type: array, minItems: 1, items: { type: integer } } }
            X-Shape: { required: true, schema: { type: object, required: [w], properties: { w: { type: integer } } } }
            X-Mode:
              required: true
              schema: { type: string, enum: [fast, slow] }
              examples: { first: { value: slow } }
            Idempotent-Replayed: { schema: { type: string, enum: ['true'] }, example: 'false' }
            Content-Type: { required: true, schema: { type: string, enum: [text/csv] } }
          content:
            application/json:
              schema: { type: object }
`;

let mock: InlineMock;
beforeAll(async () => {
  mock = await mockForSpec(spec);
});
afterAll(() => mock.close());

describe('mock response headers', () => {
  it('sends every required header, valid after coercion, and the example of a header that has one', async () => {
    const response = await toFetchHandler(mock.router)(new Request('http://mock.test/limits'));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-mode')).toBe('slow');
    expect(Number(response.headers.get('ratelimit-limit'))).toBeGreaterThanOrEqual(100);
    expect(response.headers.get('x-shape')).toMatch(/^w,-?\d+$/);
    expect(response.headers.get('content-type')).toBe('application/json');

    const model = buildApiModel(await loadSpec(mock.specPath));
    const check = compileResponseHeadersCheck(createApiDefinition(model).definition.operations[0]!)!;
    expect(check('200', (name) => response.headers.get(name) ?? undefined)).toEqual([]);
  });

  it('never sends an invalid header example, and reports it at start-up', async () => {
    const response = await toFetchHandler(mock.router)(new Request('http://mock.test/limits'));
    expect(response.headers.has('idempotent-replayed')).toBe(false);
    expect(mock.router.apis()[0]!.exampleProblems).toEqual([
      expect.objectContaining({ operationId: 'getLimits', pointer: '#/paths/~1limits/get/responses/200/headers/Idempotent-Replayed/example' }),
    ]);
  });
});
