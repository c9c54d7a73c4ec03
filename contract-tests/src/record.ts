// Records the SDK's pact for one canonical API: the generated interactions, replayed through
// the real @finrail/sdk against the Pact mock server.
import { existsSync } from 'node:fs';
import { CONSUMER, REPO_ROOT, type CanonicalApi } from './canonical-apis.ts';
import { recordPact, type PactInteraction, type RecordedInteraction } from './consumer.ts';
import { callThroughSdk, finrailClass } from './sdk-caller.ts';

/** Why the pact of `api` cannot be recorded in this checkout, or undefined when it can. */
export function unavailableReason(api: CanonicalApi): string | undefined {
  if (!existsSync(`${REPO_ROOT}${api.spec}`)) return `${api.spec} does not exist yet`;
  if (!existsSync(generatedModule(api))) return `${generatedModule(api)} has not been generated (finrail generate --targets pact)`;
  if (!finrailClass()) return '@finrail/sdk does not export the Finrail client yet';
  return undefined;
}

export function generatedModule(api: CanonicalApi): string {
  return `${REPO_ROOT}contract-tests/src/generated/${api.name}/pact-interactions.ts`;
}

export async function interactionsOf(api: CanonicalApi): Promise<PactInteraction[]> {
  const module = (await import(generatedModule(api))) as { interactions: PactInteraction[] };
  return module.interactions;
}

export async function recordSdkPact(api: CanonicalApi, dir: string): Promise<{ file: string; recorded: RecordedInteraction[]; interactions: PactInteraction[] }> {
  const Finrail = finrailClass();
  if (!Finrail) throw new Error(unavailableReason(api));
  const interactions = await interactionsOf(api);
  const result = await recordPact({ consumer: CONSUMER, provider: api.name, dir, interactions, call: callThroughSdk(api, Finrail) });
  return { ...result, interactions };
}
