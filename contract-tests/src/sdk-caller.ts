// Drives the real @finrail/sdk for an interaction: the method the generated client exposes for
// the operation, with the interaction's flattened parameters. No retries, so the pact records
// exactly one request per interaction.
import * as sdk from '@finrail/sdk';
import type { CanonicalApi } from './canonical-apis.ts';
import type { CallThroughClient, PactInteraction } from './consumer.ts';

/** The token the consumer sends; the pact only pins its shape (`Bearer <token>`). */
export const CONSUMER_ACCESS_TOKEN = 'sandbox-access-token';

type FinrailConstructor = new (options: { environment: { baseUrl: string }; accessToken: string; maxRetries: number }) => Record<string, unknown>;

/** `Finrail` from @finrail/sdk, or undefined while the SDK does not export it yet. */
export function finrailClass(): FinrailConstructor | undefined {
  return (sdk as unknown as { Finrail?: FinrailConstructor }).Finrail;
}

export function callThroughSdk(api: CanonicalApi, Finrail: FinrailConstructor): CallThroughClient {
  return async (baseUrl: string, interaction: PactInteraction) => {
    const finrail = new Finrail({ environment: { baseUrl }, accessToken: CONSUMER_ACCESS_TOKEN, maxRetries: 0 });
    const method = sdkMethod(finrail[api.sdkProperty], interaction);
    try {
      const result = (await method(interaction.sdk.params)) as { lastResponse?: { status: number } } | undefined;
      // A 204 resolves to undefined: no lastResponse to read the status from.
      return result?.lastResponse?.status ?? 204;
    } catch (error) {
      if (error instanceof sdk.ApiError) return error.status;
      throw error;
    }
  };
}

function sdkMethod(client: unknown, interaction: PactInteraction): (params: unknown) => Promise<unknown> {
  let target = client as Record<string, unknown>;
  for (const property of interaction.sdk.resource) {
    const next = target[property];
    if (typeof next !== 'object' || next === null) throw new Error(`the SDK has no resource ${interaction.sdk.resource.join('.')} for ${interaction.operationId}`);
    target = next as Record<string, unknown>;
  }
  const method = target[interaction.sdk.method];
  if (typeof method !== 'function') throw new Error(`the SDK has no method ${[...interaction.sdk.resource, interaction.sdk.method].join('.')} for ${interaction.operationId}`);
  return (params) => method.call(target, params) as Promise<unknown>;
}
