import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  FinrailError,
  IdempotencyError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from '@finrail/runtime';
import { WalletsClient } from './fixtures/wallets-client.ts';
import { problem, sendJson, startServer, type TestServer } from './fixtures/test-server.ts';

let server: TestServer;
afterEach(() => server?.close());

async function failWith(status: number, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  server = await startServer((_req, res) => {
    if (typeof body === 'string') return void res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(body);
    sendJson(res, status, body, { 'x-request-id': 'req_abc', ...headers });
  });
  const client = new WalletsClient({ baseUrl: server.url, accessToken: 'tok', maxRetries: 0 });
  return client.wallets.get({ walletId: 'wal_1' }).then(
    () => expect.unreachable('the call should fail'),
    (error: unknown) => error,
  );
}

describe('error mapping', () => {
  it.each([
    [400, 'validation-failed', BadRequestError],
    [401, 'unauthenticated', AuthenticationError],
    [403, 'insufficient-scope', PermissionDeniedError],
    [404, 'not-found', NotFoundError],
    [409, 'wallet-frozen', ConflictError],
    [422, 'insufficient-funds', UnprocessableEntityError],
    [429, 'rate-limited', RateLimitError],
    [500, 'internal', InternalServerError],
    [502, 'bad-gateway', InternalServerError],
    [503, 'unavailable', InternalServerError],
    [418, 'teapot', ApiError],
  ])('maps %i to its class', async (status, type, ErrorClass) => {
    const body = problem(status, type, { errors: [{ pointer: '/body/amount', detail: 'must be positive', code: 'minimum' }] });
    const error = await failWith(status, body);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(FinrailError);
    expect(error).not.toBeInstanceOf(IdempotencyError);
    expect(error).toMatchObject({
      name: ErrorClass.name,
      status,
      type: `https://docs.finrail.dev/problems/${type}`,
      title: type.replaceAll('-', ' '),
      detail: `detail of ${type}`,
      errors: [{ pointer: '/body/amount', detail: 'must be positive', code: 'minimum' }],
      requestId: 'req_abc',
      problem: body,
    });
    expect((error as ApiError).headers.get('content-type')).toBe('application/problem+json');
    expect((error as Error).message).toBe(`${status} ${type.replaceAll('-', ' ')}: detail of ${type} (request req_abc)`);
  });

  it('maps a 422 idempotency-key-reused to IdempotencyError (reason reused)', async () => {
    const error = await failWith(422, problem(422, 'idempotency-key-reused'));
    expect(error).toBeInstanceOf(IdempotencyError);
    expect(error).toMatchObject({ status: 422, reason: 'reused' });
  });

  it('maps a 409 idempotency conflict to IdempotencyError (reason in-progress)', async () => {
    const error = await failWith(409, problem(409, 'idempotency-request-in-progress'));
    expect(error).toBeInstanceOf(IdempotencyError);
    expect(error).toMatchObject({ status: 409, reason: 'in-progress' });
  });

  it('exposes Retry-After on RateLimitError', async () => {
    const error = await failWith(429, problem(429, 'rate-limited'), { 'retry-after': '7' });
    expect((error as RateLimitError).retryAfter).toBe(7);
  });

  it('falls back to the problem request_id without an X-Request-Id header', async () => {
    server = await startServer((_req, res) => sendJson(res, 404, problem(404, 'not-found', { request_id: 'req_body' })));
    const client = new WalletsClient({ baseUrl: server.url, accessToken: 'tok' });
    await expect(client.wallets.get({ walletId: 'x' })).rejects.toMatchObject({ requestId: 'req_body' });
  });

  it('keeps a non-JSON body as text', async () => {
    const error = await failWith(502, 'upstream exploded');
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ problem: 'upstream exploded', type: undefined, errors: [] });
    expect((error as Error).message).toBe('502 upstream exploded');
  });
});
