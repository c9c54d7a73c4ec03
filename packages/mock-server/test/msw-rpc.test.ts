// Generated msw handlers for an RPC-style spec (AWS): operations sharing a method and path are
// each answered, told apart by the request value only they take.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildApiModel, generateMswSource } from '@finrail/generators';
import type { HttpHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const answer = (name: string) => ({ '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' }, example: { operation: name } } } } });
const byAction = (name: string) => ({
  get: { operationId: name, parameters: [{ name: 'Action', in: 'query', required: true, schema: { type: 'string', enum: [name] } }], responses: answer(name) },
});
const byTarget = (name: string) => ({
  post: { operationId: name, parameters: [{ name: 'X-Amz-Target', in: 'header', required: true, schema: { type: 'string', enum: [`Queues.${name}`] } }], responses: answer(name) },
});
const document = {
  openapi: '3.0.0',
  info: { title: 'Queues', version: '1' },
  servers: [{ url: 'https://queues.example.test' }],
  paths: {
    '/#Action=CreateQueue': byAction('CreateQueue'),
    '/#Action=DeleteQueue': byAction('DeleteQueue'),
    '/#X-Amz-Target=Queues.TagQueue': byTarget('TagQueue'),
    '/#X-Amz-Target=Queues.UntagQueue': byTarget('UntagQueue'),
  },
};

// Inside the package, so the generated module resolves msw as a project's would.
const dir = new URL('./.generated-msw-rpc/', import.meta.url).pathname;

describe('generated msw handlers for operations sharing a method and path', () => {
  let server: ReturnType<typeof setupServer>;
  beforeAll(async () => {
    const source = await generateMswSource(buildApiModel({ path: '/virtual/queues.json', document, openapi: '3.0' }), '// test');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'msw.ts'), source);
    const { handlers } = (await import(join(dir, 'msw.ts'))) as { handlers: HttpHandler[] };
    server = setupServer(...handlers);
    server.listen({ onUnhandledFrame: 'error' });
  });
  afterAll(async () => {
    server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answer each with its own example', async () => {
    const call = async (path: string, init?: RequestInit) => (await (await fetch(`https://queues.example.test${path}`, init)).json()) as unknown;
    expect(await call('/?Action=DeleteQueue')).toEqual({ operation: 'DeleteQueue' });
    expect(await call('/?Action=CreateQueue')).toEqual({ operation: 'CreateQueue' });
    expect(await call('/', { method: 'POST', headers: { 'x-amz-target': 'Queues.UntagQueue' } })).toEqual({ operation: 'UntagQueue' });
    expect(await call('/', { method: 'POST', headers: { 'x-amz-target': 'Queues.TagQueue' } })).toEqual({ operation: 'TagQueue' });
  });
});
