// @finrail/mock: the standalone mock server for any OpenAPI 3.0/3.1 spec and schema-driven fake data.
// The msw handlers for the canonical Finrail APIs are a separate, browser-safe entry point
// (`@finrail/mock/msw`) so the server never loads msw and front ends never load the server.
export { createMockServer, createMockRouter, createMockFetchHandler, DEFAULT_MOCK_PORT, DEFAULT_WEBHOOK_SECRET } from './server/mock-server.ts';
export { loadSpecsApart } from './server/spec-loader.ts';
export type { MockServer, MockServerOptions, MockRouter } from './server/mock-server.ts';
export { MOCK_SOURCE_HEADER, type MockApi, type RouteEntry } from './server/mock-api.ts';
export { formatRouteTable } from './server/route-table.ts';
export { consoleLogger, describeOutcome } from './server/access-log.ts';
export { signWebhook } from './server/webhook-signature.ts';
export { evaluateExpression, webhookTriggers, type WebhookTrigger } from './server/webhooks.ts';
export { parsePreferences, type ResponsePreferences } from './responses/preferences.ts';
export { selectResponse, type SelectedResponse, type Selection } from './responses/select.ts';
export { planOperation, type ExampleProblem, type OperationPlan } from './responses/plan.ts';
export * from './fake/index.ts';
export { createRequestValidator, type RequestValidator } from './server/request-validator.ts';
