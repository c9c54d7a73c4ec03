export { Finrail, FINRAIL_APIS, type WebhookEvent } from './finrail.ts';
// Each API's generated client (usable alone) and its schema types: `Wallets.components['schemas']['Wallet']`.
export { WalletsClient } from './generated/wallets/client.ts';
export { PaymentsClient } from './generated/payments/client.ts';
export { OpenBankingClient } from './generated/open-banking/client.ts';
export type * as Wallets from './generated/wallets/types.ts';
export type * as Payments from './generated/payments/types.ts';
export type * as OpenBanking from './generated/open-banking/types.ts';
export { createApis, type ApiDefinition, type ApiSurface, type Apis } from './apis.ts';
export { API_BASE_PATHS, ENVIRONMENTS, type Environment } from './environments.ts';
export type { FinrailOptions } from './options.ts';
export { Webhooks } from './webhooks.ts';
export { VERSION } from './version.ts';
export {
  FinrailError,
  ApiError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  IdempotencyError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  ConnectionError,
  TimeoutError,
  WebhookSignatureError,
  ClientCredentials,
  PagePromise,
  type Problem,
  type ProblemFieldError,
  type RequestOptions,
  type LastResponse,
  type WithResponse,
  type AccessToken,
  type TokenSource,
  type FetchLike,
  type WebhookHeaders,
  type WebhookSignatureFailure,
} from '@finrail/runtime';
