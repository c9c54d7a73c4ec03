// The normalized API model: every generator target (types, client, server, msw, pact) reads this,
// never the raw OpenAPI document. It is plain data (JSON-serializable apart from `document`
// being large), deterministic for a given document, and stable: change it additively only.
//
// Schemas are NOT converted into an IR: they stay JSON Schema objects exactly as in the bundled
// document, with `$ref`s such as '#/components/schemas/Wallet' left in place. Everything else that
// OpenAPI allows to be a `$ref` (parameters, request bodies, responses, headers, examples, path
// items, callbacks, security schemes) is resolved, so targets never chase those refs themselves.

/** HTTP methods OpenAPI path items can carry, lower case as in the document. */
export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

/** A JSON Schema (OpenAPI 3.1) or OpenAPI 3.0 Schema Object, untouched. */
export type JsonSchema = boolean | JsonSchemaObject;
export interface JsonSchemaObject {
  $ref?: string;
  type?: string | string[];
  [keyword: string]: unknown;
}

/** The bundled OpenAPI document (one object, internal refs only). */
export type BundledDocument = { openapi: string; [key: string]: unknown };

/** What `buildApiModel` needs; the CLI helper's `LoadedSpec` satisfies it. */
export interface SpecSource {
  /** Absolute path of the root spec file. */
  path: string;
  document: object;
  openapi: '3.0' | '3.1';
}

export interface ApiModel {
  /** Absolute path of the root spec file the model was built from. */
  specPath: string;
  openapi: '3.0' | '3.1';
  /** The exact `openapi` field, e.g. '3.1.0'. */
  openapiVersion: string;
  info: ApiInfo;
  servers: ServerModel[];
  /** Path prefix of the first server URL ('/v1', or '' when there is none); operation paths exclude it. */
  basePath: string;
  /** Top-level tags in document order (plus tags used by operations but not declared, sorted). */
  tags: TagModel[];
  /** Every operation under `paths`, in document order (paths in order, methods in HttpMethod order). */
  operations: OperationModel[];
  /** OpenAPI 3.1 top-level `webhooks`, one entry per (webhook, method). */
  webhooks: WebhookModel[];
  /** Security schemes by name (`components.securitySchemes`), refs resolved. */
  securitySchemes: Record<string, SecuritySchemeModel>;
  /** The document-level default security requirement (alternatives); [] when none is declared. */
  security: SecurityRequirement[];
  /** `components.schemas`, untouched (refs are '#/components/schemas/X'). */
  schemas: Record<string, JsonSchema>;
  /** The bundled document itself, for anything the model does not cover. Do not mutate. */
  document: BundledDocument;
  /** Malformed schema keywords taken out of `document` before anything read it (see document-hygiene.ts). */
  ignoredSchemaKeywords: IgnoredSchemaKeyword[];
}

export interface IgnoredSchemaKeyword {
  /** JSON pointer of the keyword in the bundled document. */
  pointer: string;
  keyword: string;
}

export interface ApiInfo {
  title: string;
  version: string;
  summary?: string;
  description?: string;
}

export interface ServerModel {
  url: string;
  description?: string;
  variables: Record<string, { default: string; enum?: string[]; description?: string }>;
  /** Path part of `url` with variables substituted by their defaults, no trailing slash ('' for root). */
  basePath: string;
}

export interface TagModel {
  name: string;
  description?: string;
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';
export type ParameterStyle =
  | 'matrix'
  | 'label'
  | 'simple'
  | 'form'
  | 'spaceDelimited'
  | 'pipeDelimited'
  | 'deepObject';

export interface ExampleModel {
  /** Key under `examples`; a lone `example` is named 'default'. */
  name: string;
  summary?: string;
  description?: string;
  value?: unknown;
  externalValue?: string;
  /** `x-*` keys of the Example Object, e.g. { 'x-finrail-state': ... }. */
  extensions: Record<string, unknown>;
}

export interface ParameterModel {
  name: string;
  in: ParameterLocation;
  /** Always true for path parameters. */
  required: boolean;
  /** Explicit or the OpenAPI default for the location (form for query/cookie, simple for path/header). */
  style: ParameterStyle;
  /** Explicit or the OpenAPI default (true for style form, false otherwise). */
  explode: boolean;
  allowReserved: boolean;
  allowEmptyValue: boolean;
  deprecated: boolean;
  description?: string;
  /** The parameter's schema; for `content`-style parameters, the schema of its single media type. */
  schema?: JsonSchema;
  /** Media type when the parameter uses `content` instead of `schema` (e.g. 'application/json'). */
  contentType?: string;
  examples: ExampleModel[];
  /** '#/components/parameters/X' when the parameter came from a component. */
  ref?: string;
  extensions: Record<string, unknown>;
}

export interface EncodingModel {
  contentType?: string;
  style?: ParameterStyle;
  explode?: boolean;
  allowReserved?: boolean;
  headers: HeaderModel[];
}

export interface MediaTypeModel {
  /** As written in the document, e.g. 'application/json', 'application/problem+json', '*\/*'. */
  mediaType: string;
  schema?: JsonSchema;
  examples: ExampleModel[];
  /** multipart / form-urlencoded per-property encoding. */
  encoding: Record<string, EncodingModel>;
}

export interface RequestBodyModel {
  required: boolean;
  description?: string;
  contents: MediaTypeModel[];
  ref?: string;
  extensions: Record<string, unknown>;
}

export interface HeaderModel {
  name: string;
  required: boolean;
  deprecated: boolean;
  description?: string;
  schema?: JsonSchema;
  examples: ExampleModel[];
  ref?: string;
}

export interface ResponseModel {
  /** '200', '201', '4XX', 'default' — exactly as the key in `responses`. */
  status: string;
  /** 'code' for '200', 'range' for '4XX', 'default' for 'default'. */
  kind: 'code' | 'range' | 'default';
  /** True for 2XX codes and the '2XX' range. */
  success: boolean;
  description: string;
  headers: HeaderModel[];
  /** Empty for responses without a body (e.g. 204). */
  contents: MediaTypeModel[];
  links: Record<string, unknown>;
  ref?: string;
  extensions: Record<string, unknown>;
}

/** One security scheme requirement: scheme name (key of securitySchemes) plus required scopes. */
export interface SecuritySchemeRequirement {
  scheme: string;
  scopes: string[];
}
/**
 * One alternative of a security requirement list: ALL of its schemes must be satisfied.
 * An empty array means "anonymous allowed". An operation's `security` is a list of alternatives,
 * any one of which suffices; an empty list means no security at all.
 */
export type SecurityRequirement = SecuritySchemeRequirement[];

export type SecuritySchemeModel =
  | { name: string; type: 'apiKey'; in: 'query' | 'header' | 'cookie'; parameterName: string; description?: string }
  | { name: string; type: 'http'; scheme: string; bearerFormat?: string; description?: string }
  | { name: string; type: 'oauth2'; flows: OAuthFlowsModel; description?: string }
  | { name: string; type: 'openIdConnect'; openIdConnectUrl: string; description?: string }
  | { name: string; type: 'mutualTLS'; description?: string };

export interface OAuthFlowModel {
  authorizationUrl?: string;
  tokenUrl?: string;
  refreshUrl?: string;
  scopes: Record<string, string>;
}
export interface OAuthFlowsModel {
  implicit?: OAuthFlowModel;
  password?: OAuthFlowModel;
  clientCredentials?: OAuthFlowModel;
  authorizationCode?: OAuthFlowModel;
}

/**
 * Cursor pagination: names of the cursor query parameter and of the page envelope's fields. The
 * envelope fields may be dot-separated paths into the page (open banking: 'Data.Account', 'Meta.NextCursor').
 */
export interface PaginationModel {
  /** Query parameter carrying the cursor, e.g. 'starting_after'. */
  cursorParam: string;
  /** Response field holding the next cursor, e.g. 'next_cursor'. */
  nextCursor: string;
  /** Response field telling whether more pages exist, e.g. 'has_more' ('' when the API has none). */
  hasMore: string;
  /** Response field holding the page's items, e.g. 'data'. */
  items: string;
  /** 'extension' when read from x-finrail-pagination, 'heuristic' when inferred from the schema. */
  source: 'extension' | 'heuristic';
}

/** Where an operation lives in a resource-shaped SDK: `client.wallets.transactions.list(...)`. */
export interface ResourceName {
  /** camelCase property names from the root, e.g. ['wallets', 'transactions']; [] = the client itself. */
  path: string[];
  /** camelCase method name within the resource, unique within it, e.g. 'list', 'create', 'freeze'. */
  method: string;
}

export interface CallbackModel {
  /** Key under `callbacks`. */
  name: string;
  /** Runtime expression key, e.g. '{$request.body#/callbackUrl}'. */
  expression: string;
  operations: OperationModel[];
}

export interface OperationModel {
  /** From the spec, or derived from method + path when missing; unique within the model. */
  operationId: string;
  /** 'spec' when the document declares it, 'derived' when generated, 'deduplicated' when suffixed. */
  operationIdSource: 'spec' | 'derived' | 'deduplicated';
  /** camelCase identifier derived from operationId, valid as a JS identifier and not a reserved word; unique. */
  name: string;
  method: HttpMethod;
  /** Path template as the key in `paths`, e.g. '/wallets/{wallet_id}' (for webhooks: the webhook name). */
  path: string;
  /** JSON pointer to the operation object in `document`, e.g. '#/paths/~1wallets/post' (into components.pathItems when the path item is a $ref). */
  pointer: string;
  tags: string[];
  summary?: string;
  description?: string;
  deprecated: boolean;
  /** Path-item and operation parameters merged (operation wins on same name + in), in declaration order. */
  parameters: ParameterModel[];
  requestBody?: RequestBodyModel;
  /** In document order. */
  responses: ResponseModel[];
  /** Effective requirement: the operation's `security`, else the document's; see SecurityRequirement. */
  security: SecurityRequirement[];
  pagination?: PaginationModel;
  /** Name of the idempotency header parameter as declared (e.g. 'Idempotency-Key', 'x-idempotency-key'). */
  idempotencyHeader?: string;
  callbacks: CallbackModel[];
  resource: ResourceName;
  /** `x-*` keys of the Operation Object. */
  extensions: Record<string, unknown>;
}

export interface WebhookModel extends OperationModel {
  /** Key under the top-level `webhooks`, e.g. 'wallet.transaction.posted'. */
  webhookName: string;
}
