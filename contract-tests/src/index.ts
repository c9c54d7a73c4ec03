// @finrail/contract-tests: the harness behind Finrail's own contract tests, reusable for a team's
// generated interactions: record pacts through a real client, verify them strictly.
export { recordPact, type PactInteraction, type CallThroughClient, type RecordPactOptions, type RecordedInteraction } from './consumer.ts';
export {
  verifyPacts,
  providerStatesOf,
  ProviderVerificationError,
  type ProviderStateHandler,
  type StateParams,
  type VerifyPactsOptions,
  type StateFailure,
  type InteractionFailure,
} from './verify-provider.ts';
export { CANONICAL_APIS, CONSUMER, PACTS_DIR, pactFileOf, type CanonicalApi } from './canonical-apis.ts';
