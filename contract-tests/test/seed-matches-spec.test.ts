// The sandbox's seed is the specs' fixture world: what the documented examples show for a fixture
// resource is what the sandbox answers, value for value (the pacts only pin types and patterns).
import { createSandbox, FIXTURES, ManualClock, type Sandbox } from '@finrail/ledger';
import { loadSpec } from '@finrail/generators';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/canonical-apis.ts';

/** Follows a local `#/components/...` reference of the bundled document. */
function resolve(document: unknown, node: unknown): unknown {
  const ref = (node as { $ref?: unknown } | undefined)?.$ref;
  if (typeof ref !== 'string') return node;
  const target = ref
    .slice(2)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((value, segment) => (value as Record<string, unknown>)[segment], document);
  return resolve(document, target);
}

/** The named example of an operation's JSON response, from the bundled spec. */
async function responseExample(spec: string, path: string, status: string, name: string): Promise<Record<string, unknown>> {
  const { document } = await loadSpec(join(REPO_ROOT, spec));
  const operation = (document as { paths: Record<string, { get: unknown }> }).paths[path]!.get;
  const response = resolve(document, (operation as { responses: Record<string, unknown> }).responses[status]) as { content: Record<string, { examples: Record<string, unknown> }> };
  const example = resolve(document, response.content['application/json']!.examples[name]) as { value: Record<string, unknown> };
  return example.value;
}

describe("the sandbox's seed matches the specs' examples", () => {
  let sandbox: Sandbox;
  let aliceBalance: Record<string, unknown>;

  beforeAll(async () => {
    aliceBalance = await responseExample('specs/wallets/openapi.yaml', '/wallets/{walletId}/balance', '200', 'aliceBalance');
    // The clock stands at the example's `as_of`, so the whole body can be compared.
    const clock = new ManualClock(Date.parse(aliceBalance.as_of as string));
    sandbox = await createSandbox({ port: 0, storage: 'memory', logger: false, intervalMs: 0, validateResponses: true, clock });
  });
  afterAll(() => sandbox?.close());

  it("getWalletBalance answers the spec's aliceBalance example for Alice", async () => {
    expect(aliceBalance.wallet_id).toBe(FIXTURES.alice);
    const client = sandbox.clients[0]!;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret });
    const { access_token: token } = (await (await fetch(`${sandbox.url}/oauth/token`, { method: 'POST', body: form })).json()) as { access_token: string };
    const response = await fetch(`${sandbox.url}/wallets/v1/wallets/${FIXTURES.alice}/balance`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const balance = (await response.json()) as Record<string, unknown>;
    // `as_of` is an instant: compare it as one, whatever its fractional-second digits.
    const instant = (body: Record<string, unknown>) => ({ ...body, as_of: Date.parse(body.as_of as string) });
    expect(instant(balance)).toEqual(instant(aliceBalance));
  });
});
