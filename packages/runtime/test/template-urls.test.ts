// Path templates of RPC-style specs carry a fragment or a query string; the request must not.
import createClient from 'openapi-fetch';
import { afterEach, describe, expect, it } from 'vitest';
import { Transport } from '@finrail/runtime';
import { requestUrl } from '../src/outgoing-request.ts';
import { sendJson, startServer, type TestServer } from './fixtures/test-server.ts';

interface Paths {
  '/#Action=CreateQueue': { get: { parameters: { query: { Action: 'CreateQueue'; QueueName: string } }; responses: { 200: { content: { 'application/json': { ok: boolean } } } } } };
  '/rest?method=flickr.photos.search': { get: { parameters: { query?: { format?: string } }; responses: { 200: { content: { 'application/json': { ok: boolean } } } } } };
}

let server: TestServer;
afterEach(() => server?.close());

describe('request URLs from path templates', () => {
  it('drop a fragment and join a template query with the appended one', () => {
    expect(requestUrl('https://h/#Action=CreateQueue?Action=CreateQueue&QueueName=q')).toBe('https://h/?Action=CreateQueue&QueueName=q');
    expect(requestUrl('https://h/#X-Amz-Target=Svc.Op')).toBe('https://h/');
    expect(requestUrl('https://h/rest?method=flickr.photos.search?format=json')).toBe('https://h/rest?method=flickr.photos.search&format=json');
    expect(requestUrl('https://h/wallets/wal_1?limit=2')).toBe('https://h/wallets/wal_1?limit=2');
  });

  it('reach the server with every query parameter through a generated client', async () => {
    server = await startServer((req, res) => sendJson(res, 200, { ok: true }));
    const transport = new Transport({ baseUrl: server.url, accessToken: 'tok' });
    const raw = createClient<Paths>({ baseUrl: transport.baseUrl });
    await transport.call((init) => raw.GET('/#Action=CreateQueue', { params: { query: { Action: 'CreateQueue', QueueName: 'orders' } }, ...init }), { operationId: 'createQueue', method: 'GET' });
    await transport.call((init) => raw.GET('/rest?method=flickr.photos.search', { params: { query: { format: 'json' } }, ...init }), { operationId: 'search', method: 'GET' });
    const [queue, search] = server.requests;
    expect([queue!.path, Object.fromEntries(queue!.url.searchParams)]).toEqual(['/', { Action: 'CreateQueue', QueueName: 'orders' }]);
    expect([search!.path, Object.fromEntries(search!.url.searchParams)]).toEqual(['/rest', { method: 'flickr.photos.search', format: 'json' }]);
  });
});
