export { pactTarget, generatePactSource, PACT_FILE } from './generate-pact.ts';
export { planInteractions, STATE_EXTENSION, REQUEST_EXTENSION, type InteractionDefinition, type ProviderState } from './interactions.ts';
export { MatcherBuilder, anchoredPattern, isMatcher, type Matcher } from './matchers.ts';
