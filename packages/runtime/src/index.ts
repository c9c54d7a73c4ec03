export { Transport } from './transport.ts';
export { PagePromise } from './pagination.ts';
export { ClientCredentials, tokenSourceFor, type ClientCredentialsOptions } from './auth.ts';
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
  apiErrorFor,
  type Problem,
  type ProblemFieldError,
} from './errors.ts';
export {
  verifyWebhook,
  generateTestHeader,
  WebhookSignatureError,
  SIGNATURE_HEADER,
  type WebhookSignatureFailure,
  type WebhookHeaders,
  type VerifyWebhookOptions,
  type TestHeaderOptions,
} from './webhooks.ts';
export { VERSION } from './version.ts';
export type {
  AccessToken,
  CallInit,
  ClientOptions,
  FetchLike,
  FetchResult,
  LastResponse,
  OperationMeta,
  PaginationMeta,
  RequestOptions,
  TokenSource,
  WithResponse,
} from './types.ts';
