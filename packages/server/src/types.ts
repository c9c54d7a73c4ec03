// Public types of the server runtime. Generated stubs (any spec) describe their API as an
// `ApiDefinition`; the runtime routes, parses, authenticates and validates from it.
import type { RateLimitOptions } from './rate-limit.ts';

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

/** The shape of an ajv validate function, standalone or compiled in memory. */
export interface ValidateFunction {
  (data: unknown): boolean;
  errors?: readonly AjvErrorLike[] | null;
}

/** The fields of an ajv `ErrorObject` the runtime reads. */
export interface AjvErrorLike {
  keyword: string;
  instancePath: string;
  schemaPath?: string;
  params: Record<string, unknown>;
  message?: string;
}

/**
 * One entry of a problem's `errors[]`: a JSON pointer into the request rooted at its part
 * (`/body/amount`, `/query/limit`, `/path/walletId`, `/header/Idempotency-Key`), a sentence, and
 * the failing JSON Schema keyword as `code`.
 */
export interface ValidationIssue {
  pointer: string;
  detail: string;
  code: string;
}

/** The JSON type a parameter value is coerced to before validation. */
/** 'scalar': a number or a boolean, whichever the text spells (an enum of both: nexmo's `[true, false, 0, 1]`). */
export type TypeHint = 'string' | 'number' | 'integer' | 'boolean' | 'scalar' | 'array' | 'object' | 'null' | 'unknown';

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export type ParameterStyle =
  | 'simple'
  | 'label'
  | 'matrix'
  | 'form'
  | 'spaceDelimited'
  | 'pipeDelimited'
  | 'deepObject';

export interface ParameterDefinition {
  name: string;
  in: ParameterLocation;
  required: boolean;
  /** Defaults per location: path/header `simple`, query/cookie `form`. */
  style?: ParameterStyle;
  /** Defaults to true for `form`, false otherwise. */
  explode?: boolean;
  /** Coercion target; `unknown` leaves the raw string. */
  type: TypeHint;
  /** Element type for arrays. */
  items?: TypeHint;
  /** Property types for objects (form-exploded and deepObject objects collect these names). */
  properties?: Readonly<Record<string, TypeHint>>;
  /** Parameter described with `content` (e.g. application/json) instead of `schema`. */
  contentType?: string;
  /**
   * A path parameter's values when its schema lists them (`enum`, `const`): a path segment it
   * shares with another parameter (`{pageName}{mediaTypeExtension}`) is split where they fit.
   */
  values?: readonly string[];
}

/** How one field of a form body (urlencoded or multipart) is coerced from its string or file parts. */
export interface FormFieldDefinition {
  /** Coercion target of each value; arrays collect repeated fields. */
  type: TypeHint;
  /** Element type for arrays. */
  items?: TypeHint;
  /** Values are JSON documents (an `encoding` contentType of JSON, or a multipart object part). */
  json?: boolean;
  /** File parts (`format: binary`, `contentMediaType`): handed over as Blobs, never coerced. */
  binary?: boolean;
  /** An urlencoded object sent as `field[property]=value` (`encoding` style deepObject). */
  deepObject?: boolean;
  /** Property types of a deepObject field. */
  properties?: Readonly<Record<string, TypeHint>>;
  /**
   * Types of the values deeper in a deepObject field, by path (`dob.day`, `*.quantity`: `*` for
   * any index or map key), where they are not text: Stripe nests numbers and booleans in brackets.
   */
  leaves?: Readonly<Record<string, TypeHint>>;
  /**
   * The schema allows the empty string beside the array (`anyOf: [array, enum: ['']]`, Stripe's
   * way to clear a list): a lone empty value is that string, not a list of one.
   */
  emptyString?: boolean;
  /**
   * The field is a number or a boolean that may be null (3.0 `nullable`, a 3.1 `null` type or
   * branch): an empty value, as an HTML form sends a blank input, or `null` reads as null.
   */
  nullable?: boolean;
}

export interface RequestBodyDefinition {
  required: boolean;
  /** Declared media types, possibly with wildcards (`application/*`, `*\/*`). */
  contentTypes: readonly string[];
  /** Form media types (`application/x-www-form-urlencoded`, `multipart/form-data`) → their fields by name. */
  forms?: Readonly<Record<string, Readonly<Record<string, FormFieldDefinition>>>>;
}

export interface ResponseDefinition {
  /** Declared media types; empty for responses without a body. */
  contentTypes: readonly string[];
  /** Documented response headers (except Content-Type and Content-Length), read as header parameters are. */
  headers?: readonly ParameterDefinition[];
}

/** One alternative of an operation's `security`: scheme name → required scopes. */
export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

export type SecuritySchemeDefinition =
  | { type: 'http'; scheme: string; bearerFormat?: string }
  | { type: 'apiKey'; in: 'header' | 'query' | 'cookie'; name: string }
  | { type: 'oauth2' }
  | { type: 'openIdConnect' }
  | { type: 'mutualTLS' };

export interface OperationValidators {
  /** Validates the coerced path parameters object (`{ walletId: ... }`). */
  path?: ValidateFunction;
  query?: ValidateFunction;
  /** Validates header parameters keyed by their declared name (`Idempotency-Key`). */
  headers?: ValidateFunction;
  cookies?: ValidateFunction;
  /** Request body validators keyed by declared media type. */
  body?: Readonly<Record<string, ValidateFunction>>;
  /** Response body validators keyed by declared status (`200`, `4XX`, `default`) then media type. */
  responses?: Readonly<Record<string, Readonly<Record<string, ValidateFunction>>>>;
  /** Validates a response's documented headers, keyed by their declared name, by declared status. */
  responseHeaders?: Readonly<Record<string, ValidateFunction>>;
}

export interface OperationDefinition {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI path template, e.g. `/wallets/{walletId}`. */
  path: string;
  parameters: readonly ParameterDefinition[];
  requestBody?: RequestBodyDefinition;
  /** Keyed by status code, range (`4XX`) or `default`. */
  responses: Readonly<Record<string, ResponseDefinition>>;
  /** Alternatives (OR) of requirements (AND). Absent or empty: no authentication. */
  security?: readonly SecurityRequirement[];
  /** What tells this operation's requests apart from others' on the same method and path. */
  discriminators?: readonly Discriminator[];
  validators: OperationValidators;
}

/**
 * A request value only one of several operations sharing a method and path accepts: AWS's
 * `Action=CreateQueue` query parameter and `X-Amz-Target` header, flickr's `/rest?method=...`.
 */
export interface Discriminator {
  in: 'query' | 'header';
  name: string;
  value: string;
}

export interface ApiDefinition {
  operations: readonly OperationDefinition[];
  securitySchemes?: Readonly<Record<string, SecuritySchemeDefinition>>;
}

/** Who made the request, as established by a security scheme. */
export interface AuthContext {
  /** The security scheme that authenticated the request (the first one of the requirement). */
  scheme: string;
  /** The principal: a JWT's `sub`, an API key's owner, ... */
  subject: string | undefined;
  scopes: readonly string[];
  /** JWT claims or verifier-supplied attributes. */
  claims: Readonly<Record<string, unknown>>;
  /** Every scheme of the satisfied requirement, by name. */
  schemes: Readonly<Record<string, AuthResultGranted>>;
}

export interface AuthResultGranted {
  ok: true;
  subject?: string;
  scopes?: readonly string[];
  claims?: Readonly<Record<string, unknown>>;
}

export interface AuthResultDenied {
  ok: false;
  /** `missing`: no credential presented (401 without error code); `invalid`: presented but rejected. */
  reason: 'missing' | 'invalid';
  detail?: string;
}

export type AuthResult = AuthResultGranted | AuthResultDenied;

export interface SecurityVerifierInput {
  schemeName: string;
  scheme: SecuritySchemeDefinition;
  /** The credential extracted for the scheme (bearer token, API key, basic credentials), if any. */
  credential: string | undefined;
  requiredScopes: readonly string[];
  request: RequestInfo;
}

export type SecurityVerifier = (input: SecurityVerifierInput) => AuthResult | Promise<AuthResult>;

/** A raw header value as adapters see it. */
export type HeaderValue = string | readonly string[] | undefined;

/** What handlers and verifiers learn about the transport request. */
export interface RequestInfo {
  id: string;
  method: string;
  /** Path without query string, as received (percent-encoded). */
  path: string;
  /** Raw query string without the leading `?`. */
  rawQuery: string;
  header(name: string): string | undefined;
  /** The adapter's native request object (`IncomingMessage` or `Request`). */
  native: unknown;
  log: Logger;
}

export interface HandlerInput<
  Params = Record<string, unknown>,
  Query = Record<string, unknown>,
  Headers = Record<string, unknown>,
  Body = unknown,
> {
  params: Params;
  query: Query;
  headers: Headers;
  cookies: Record<string, unknown>;
  body: Body;
  /** Present when the operation requires authentication. */
  auth: AuthContext | undefined;
  request: RequestInfo;
  operationId: string;
}

export interface HandlerOutput {
  status: number;
  body?: unknown;
  headers?: Readonly<Record<string, string | number | readonly string[] | undefined>>;
  /** Response media type; defaults to the first documented one for the status. */
  contentType?: string;
}

export type Handler<Input = HandlerInput, Output extends HandlerOutput = HandlerOutput> = (
  input: Input,
) => Output | Promise<Output>;

/** Minimal logger interface; a pino logger satisfies it. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface BearerJwtOptions {
  /** A remote JWKS endpoint (fetched and cached by jose). */
  jwksUrl?: string | URL;
  /** A local JWKS. */
  jwks?: { keys: readonly Record<string, unknown>[] };
  /** A single verification key: KeyObject, CryptoKey, JWK or an HMAC secret. */
  key?: unknown;
  issuer?: string | readonly string[];
  audience?: string | readonly string[];
  /** Accepted clock skew, in seconds or as a jose duration string (`'30s'`). Default 30 s. */
  clockTolerance?: number | string;
  algorithms?: readonly string[];
  /** Claim holding scopes: space-separated `scope` (default) or array `scp`. */
  scopeClaim?: string;
}

export interface SecurityOptions {
  /** Verifies bearer JWTs for `http bearer`, `oauth2` and `openIdConnect` schemes. */
  bearer?: BearerJwtOptions;
  /** Verifies API keys for every `apiKey` scheme; return false/undefined to reject. */
  apiKey?: (
    key: string,
    input: SecurityVerifierInput,
  ) =>
    | AuthResultGranted
    | Omit<AuthResultGranted, 'ok'>
    | boolean
    | undefined
    | Promise<AuthResultGranted | Omit<AuthResultGranted, 'ok'> | boolean | undefined>;
  /** Per scheme name, overriding the built-in verifiers. */
  verifiers?: Readonly<Record<string, SecurityVerifier>>;
  /** Realm advertised in `WWW-Authenticate`. */
  realm?: string;
}

export interface CorsOptions {
  /** Allowed origins: `true` reflects any origin, `'*'` answers `*`. Default `true`. */
  origin?: true | '*' | string | readonly string[] | ((origin: string) => boolean);
  credentials?: boolean;
  allowedHeaders?: readonly string[];
  exposedHeaders?: readonly string[];
  maxAge?: number;
}

/** Problem kinds the runtime answers with; the `type` URI is `<typeBase><kind>`. */
export type ProblemKind =
  | 'invalid-request'
  | 'authentication-required'
  | 'insufficient-scope'
  | 'not-found'
  | 'method-not-allowed'
  | 'not-acceptable'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'not-implemented'
  | 'internal-error'
  | 'response-validation-failed';

export interface ProblemOptions {
  /** Base of documented `type` URIs. Default `https://docs.finrail.dev/problems/`. */
  typeBase?: string;
  /** Per-kind overrides of the full `type` URI. */
  types?: Partial<Record<ProblemKind, string>>;
}

export interface RouterOptions {
  /** Mount point prefixed to every path template (e.g. the spec's server base path `/v1`). */
  basePath?: string;
  /** `true` (default outside production): an off-contract response becomes a 500; `'log'`: logged only. */
  validateResponses?: boolean | 'log';
  /** Maximum request body in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** `false` disables authentication entirely (mocks with --no-auth). */
  security?: SecurityOptions | false;
  cors?: CorsOptions | boolean;
  problems?: ProblemOptions;
  /** A pino (or compatible) logger, or false for silence. Default: pino, silent under vitest. */
  logger?: Logger | false;
  /** Emit one access log line per request. Default true. */
  accessLog?: boolean;
  /** Generates request ids when no `X-Request-Id` arrives. Default `req_` + random. */
  generateRequestId?: () => string;
  /** Token-bucket rate limiting per client key: 429 `rate-limited` with Retry-After; RateLimit-* headers on every routed answer. Off by default. */
  rateLimit?: RateLimitOptions;
}

/** A transport-neutral request, as adapters hand it to the core. */
export interface RawRequest {
  method: string;
  /** Path without query, percent-encoded as received. */
  path: string;
  rawQuery: string;
  /** Header lookup by lower-cased name; repeated headers joined with `, `. */
  header(name: string): string | undefined;
  /** Reads the body, resolving `null` when it exceeds `limit` bytes. */
  readBody(limit: number): Promise<Uint8Array | null>;
  /** Whether a body was sent; when omitted, inferred from Content-Length / Transfer-Encoding. */
  hasBody?: boolean;
  native: unknown;
}

/** A transport-neutral response, as the core hands it to adapters. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | readonly string[]>;
  body: string | Uint8Array | undefined;
}
