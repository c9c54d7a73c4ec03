// Provider verification: the reference ledger (sandbox on in-memory storage) against every
// committed SDK pact, with the Pact Verifier. Interactions whose provider state the sandbox cannot
// bring about yet are listed, never dropped silently.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiModel, loadSpec, planInteractions } from '@finrail/generators';
import { CANONICAL_APIS, CONSUMER, REPO_ROOT, pactFileOf } from '../src/canonical-apis.ts';
import { recordPact, type PactInteraction } from '../src/consumer.ts';
import { callThroughSdk, finrailClass } from '../src/sdk-caller.ts';
import { ProviderUnderTest } from '../src/provider.ts';
import { providerStateHandlers } from '../src/state-handlers.ts';
import { ProviderVerificationError, verifyPacts } from '../src/verify-provider.ts';
import knownFailures from '../provider-known-failures.json' with { type: 'json' };

let provider: ProviderUnderTest;
let dir: string;
beforeAll(async () => {
  provider = await ProviderUnderTest.start();
  dir = await mkdtemp(join(tmpdir(), 'finrail-provider-'));
});
afterAll(async () => {
  await provider?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface PactJson {
  interactions: Array<{ description: string; providerStates?: Array<{ name: string }> }>;
}

describe.each(CANONICAL_APIS)('the ledger honours the $name pact', (api) => {
  const pactFile = pactFileOf(api);
  const reason = existsSync(pactFile) ? undefined : `${pactFile} is not recorded yet`;
  if (reason) console.warn(`skipping provider verification of ${api.name}: ${reason}`);

  it.skipIf(reason !== undefined)('passes the Pact Verifier for every interaction whose state the sandbox supports', async () => {
    const handlers = providerStateHandlers(provider);
    const pact = JSON.parse(await readFile(pactFile, 'utf8')) as PactJson;
    const supported = (interaction: PactJson['interactions'][number]) =>
      (interaction.providerStates ?? []).every((state) => Object.hasOwn(handlers, state.name));
    const unsupported = new Map<string, number>();
    for (const interaction of pact.interactions.filter((candidate) => !supported(candidate))) {
      for (const state of interaction.providerStates ?? []) {
        if (!Object.hasOwn(handlers, state.name)) unsupported.set(state.name, (unsupported.get(state.name) ?? 0) + 1);
      }
    }
    const verified = pact.interactions.filter(supported);
    const notVerifiable = [...unsupported].map(([state, count]) => `"${state}" (${count})`).join(', ');
    console.warn(`${api.name}: verifying ${verified.length} of ${pact.interactions.length} interactions` + (notVerifiable ? `; not verifiable yet, the sandbox cannot set up: ${notVerifiable}` : ''));
    const subset = join(dir, `${api.name}.json`);
    await writeFile(subset, JSON.stringify({ ...pact, interactions: verified }));
    const known: Record<string, string> = (knownFailures as unknown as Record<string, Record<string, string>>)[api.name] ?? {};
    const failure = await verifyPacts({ provider: api.name, providerBaseUrl: provider.url, pactFiles: [subset], stateHandlers: handlers }).then(
      () => undefined,
      (error: unknown) => error,
    );
    if (failure !== undefined && !(failure instanceof ProviderVerificationError)) throw failure;
    expect(failure?.stateFailures ?? []).toEqual([]);
    expect(failure?.missingStates ?? []).toEqual([]);
    // The verifier names an interaction "Verifying a pact between C and P Given <state> - <description>".
    const failing = (failure?.interactionFailures ?? []).map((entry) => entry.interaction.split(' - ').at(-1)!).sort();
    for (const description of failing.filter((name) => name in known)) console.warn(`${api.name}: known provider failure: ${description}: ${known[description]}`);
    expect(failing.filter((name) => !(name in known)), 'interactions the ledger fails (see the verifier output above)').toEqual([]);
    expect(Object.keys(known).filter((name) => !failing.includes(name)), 'known failures that now pass: remove them from provider-known-failures.json').toEqual([]);
    expect(verified.length).toBeGreaterThan(0);
  }, 300_000);
});

describe('a spec change the ledger does not follow', () => {
  it('fails provider verification, naming the field', async () => {
    // The wallets spec, changed as a team might change it: wallets gain a required `nickname`.
    const spec = await loadSpec(`${REPO_ROOT}specs/wallets/openapi.yaml`);
    const document = structuredClone(spec.document) as unknown as { paths: Record<string, any>; components: { schemas: Record<string, any> } };
    const ok = document.paths['/wallets/{walletId}'].get.responses['200'].content['application/json'];
    const walletRef: string = ok.schema.$ref;
    const wallet = document.components.schemas[walletRef.split('/').at(-1)!];
    wallet.properties.nickname = { type: 'string', description: 'What the customer calls the wallet.' };
    wallet.required = [...wallet.required, 'nickname'];
    const model = buildApiModel({ ...spec, document: document as never });
    const getWallet = model.operations.find((operation) => operation.operationId === 'getWallet')!;
    for (const example of getWallet.responses.find((response) => response.status === '200')!.contents[0]!.examples) {
      example.value = { ...(example.value as object), nickname: 'Holiday money' };
    }
    const interactions = planInteractions(model).filter(
      (interaction) => interaction.operationId === 'getWallet' && interaction.response.status === 200,
    );
    expect(interactions.length).toBeGreaterThan(0);
    const wallets = CANONICAL_APIS.find((api) => api.name === 'wallets')!;
    const Finrail = finrailClass();
    if (!Finrail) throw new Error('@finrail/sdk does not export Finrail');
    const { file } = await recordPact({
      consumer: CONSUMER,
      provider: 'wallets-with-nicknames',
      dir,
      interactions: interactions as unknown as PactInteraction[],
      call: callThroughSdk(wallets, Finrail),
    });

    const failure = await verifyPacts({ provider: 'wallets', providerBaseUrl: provider.url, pactFiles: [file], stateHandlers: providerStateHandlers(provider) }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ProviderVerificationError);
    const mismatches = (failure as ProviderVerificationError).interactionFailures.flatMap((entry) => entry.mismatches).join('\n');
    expect(mismatches).toMatch(/nickname/);
  }, 120_000);
});
