import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PactPublishError, publishPacts } from '../src/contracts/index.ts';

// A stand-in for the broker's publish endpoint that records what it receives.
const received: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders; body: any }> = [];
let status = 200;
const broker = createServer((req, res) => {
  let raw = '';
  req.on('data', (chunk) => (raw += chunk));
  req.on('end', () => {
    received.push({ method: req.method, url: req.url, headers: req.headers, body: JSON.parse(raw) });
    res.writeHead(status, { 'content-type': 'application/hal+json' }).end(JSON.stringify({ notices: [{ type: 'success', text: 'Created pact' }] }));
  });
});
let brokerUrl: string;
let dir: string;
const pact = { consumer: { name: 'finrail-sdk' }, provider: { name: 'wallets' }, interactions: [], metadata: { pactSpecification: { version: '4.0' } } };

beforeAll(async () => {
  await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', resolve));
  brokerUrl = `http://127.0.0.1:${(broker.address() as AddressInfo).port}/`;
  dir = await mkdtemp(join(tmpdir(), 'finrail-publish-'));
  await writeFile(join(dir, 'wallets.json'), JSON.stringify(pact));
  await writeFile(join(dir, 'other.json'), JSON.stringify({ ...pact, consumer: { name: 'someone-else' } }));
});
afterAll(async () => {
  broker.close();
  await rm(dir, { recursive: true, force: true });
});

describe('publishPacts', () => {
  it('POSTs every pact to /contracts/publish with the version, branch, tags and token', async () => {
    const result = await publishPacts({ brokerUrl, pactFiles: [join(dir, 'wallets.json')], consumerVersion: 'abc123', branch: 'main', tags: ['prod'], token: 's3cret' });
    expect(result).toEqual({ consumer: 'finrail-sdk', providers: ['wallets'], notices: ['Created pact'] });
    const request = received.at(-1)!;
    expect([request.method, request.url, request.headers.authorization]).toEqual(['POST', '/contracts/publish', 'Bearer s3cret']);
    expect(request.body).toMatchObject({ pacticipantName: 'finrail-sdk', pacticipantVersionNumber: 'abc123', branch: 'main', tags: ['prod'] });
    expect(request.body.contracts).toHaveLength(1);
    expect(request.body.contracts[0]).toMatchObject({ consumerName: 'finrail-sdk', providerName: 'wallets', specification: 'pact', contentType: 'application/json' });
    expect(JSON.parse(Buffer.from(request.body.contracts[0].content, 'base64').toString('utf8'))).toEqual(pact);
  });

  it('refuses pacts of different consumers and reports a broker error with its status', async () => {
    await expect(publishPacts({ brokerUrl, pactFiles: [join(dir, 'wallets.json'), join(dir, 'other.json')], consumerVersion: '1' })).rejects.toThrow(/publish one consumer at a time/);
    status = 401;
    const error = await publishPacts({ brokerUrl, pactFiles: [join(dir, 'wallets.json')], consumerVersion: '1' }).catch((e: unknown) => e);
    status = 200;
    expect(error).toBeInstanceOf(PactPublishError);
    expect((error as PactPublishError).status).toBe(401);
  });
});
