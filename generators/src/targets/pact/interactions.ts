// One Pact interaction per documented response example of every operation: the provider state
// from the example's `x-finrail-state` (or derived from the path), the request from the
// operation's examples, the response body as matchers derived from the schema.
import { isJsonMediaType } from '@finrail/server';
import { words } from '../../model/names.ts';
import { isSendableByFetch } from '../../model/fetch-methods.ts';
import { isHeaderName } from '../../model/operation-parts.ts';
import { getByRef, isRecord } from '../../model/refs.ts';
import type { ApiModel, ExampleModel, JsonSchema, MediaTypeModel, OperationModel, ParameterModel, ResponseModel } from '../../model/types.ts';
import { createApiDefinition, type ValidatedApi } from '../../validation/api-definition.ts';
import type { BranchValidators } from '../../validation/branch-validators.ts';
import { flattenParams, isJsonContentParameter } from '../client/params.ts';
import { exampleBody, type ExampleValidator } from '../msw/example-body.ts';
import { exampleValidatorOf } from '../msw/generate-msw.ts';
import { isInformationalStatus, mockStatusOf } from '../msw/preferred-response.ts';
// Schema-driven sample data lives with the mock server; like the msw target, embed it by path
// rather than depend on @finrail/mock (which depends on this package).
import { generateValue, hashString } from '../../../../packages/mock-server/src/fake/index.ts';
import { anchoredPattern, escapeRegex, MatcherBuilder, regex, type Matcher } from './matchers.ts';

export const STATE_EXTENSION = 'x-finrail-state';
/**
 * On a response example: the request that provokes it, where the operation's own examples would
 * not (a 400 needs a malformed request): `{ path?, query?, headers?, body? }`, each replacing the
 * derived part (path/query/headers merge by name).
 */
export const REQUEST_EXTENSION = 'x-finrail-request';

export interface ProviderState {
  name: string;
  params: Record<string, unknown>;
}

export interface InteractionDefinition {
  /** Unique within the API: `<operationId> <status> <example name>`. */
  description: string;
  operationId: string;
  /** How a generated client calls the operation: `client.<resource...>.<method>(params)`. */
  sdk: { resource: string[]; method: string; params: Record<string, unknown> };
  providerState?: ProviderState;
  request: {
    method: string;
    path: string;
    query?: Record<string, string | string[]>;
    headers?: Record<string, string | Matcher>;
    body?: unknown;
  };
  response: {
    status: number;
    headers?: Record<string, string | Matcher>;
    body?: unknown;
  };
}

const NO_STATE: ProviderState | undefined = undefined;

/**
 * `warn` hears of parameters and request bodies for which no valid value could be found (their
 * schema may admit none, e.g. `format: uuid` with `minLength: 64`, or `format: byte` with a
 * pattern that demands spaces): the interactions then carry a value every provider refuses, and
 * the spec is what needs fixing. Once per operation and parameter or body. It also hears of
 * operations left out because no fetch can send their method (TRACE).
 */
export function planInteractions(model: ApiModel, warn: (message: string) => void = () => {}): InteractionDefinition[] {
  const matchers = new MatcherBuilder(model.document);
  const checks = exampleChecks(createApiDefinition(model));
  const warned = new Set<string>();
  const warnOnce: OperationWarning = (operation, subject, message) => {
    const key = `${operation.operationId}\u0000${subject}`;
    if (warned.has(key)) return;
    warned.add(key);
    warn(`${operation.method.toUpperCase()} ${operation.path} (${operation.operationId}): ${message}`);
  };
  const out: InteractionDefinition[] = [];
  for (const operation of model.operations) {
    if (!isSendableByFetch(operation)) {
      warnOnce(operation, 'method', `fetch refuses to send ${operation.method.toUpperCase()} (the generated client cannot call it either): no interactions`);
      continue;
    }
    for (const response of operation.responses) {
      const status = statusCode(response, operation);
      if (status === undefined) continue;
      const media = response.contents.find((content) => isJsonMediaType(content.mediaType)) ?? response.contents[0];
      const examples = exampleSet(model, operation, response, media, checks);
      for (const example of examples) {
        out.push(planOne(model, matchers, checks, warnOnce, operation, response, status, media, example));
      }
    }
  }
  return out;
}

/**
 * The server runtime's validators (those `finrail mock` serves with): an interaction never carries
 * a documented example that a correct provider would refuse or never send.
 */
interface ExampleChecks {
  /** Generated bodies match exactly one branch of each oneOf, as the runtime's validators require. */
  branchValidators: BranchValidators;
  response: ExampleValidator;
  /** What the request body validator says is wrong with `value` (its first error), or undefined when it accepts it. */
  requestProblem: (operation: OperationModel, media: MediaTypeModel, value: unknown) => string | undefined;
  /** The names of the parameters whose values the location's validator rejects. */
  invalidParameters: (operation: OperationModel, location: ParameterModel['in'], values: Record<string, unknown>) => Set<string>;
}

const VALIDATOR_OF_LOCATION = { path: 'path', query: 'query', header: 'headers', cookie: 'cookies' } as const;

function exampleChecks(api: ValidatedApi): ExampleChecks {
  const byId = new Map(api.definition.operations.map((operation) => [operation.operationId, operation.validators]));
  return {
    branchValidators: api.branchValidators,
    response: exampleValidatorOf(api),
    requestProblem: (operation, media, value) => {
      const validate = byId.get(operation.operationId)?.body?.[media.mediaType];
      // Request validators fill in defaults: they check a copy.
      if (!validate || validate(structuredClone(value))) return undefined;
      const [first] = validate.errors ?? [];
      return first === undefined ? 'rejected' : `${first.instancePath || '/'} ${first.message ?? 'is invalid'}`;
    },
    invalidParameters: (operation, location, values) => {
      const validate = byId.get(operation.operationId)?.[VALIDATOR_OF_LOCATION[location]];
      if (!validate || validate(structuredClone(values))) return new Set();
      // `/walletId/0` names walletId; errors at the root (a required header left to the consumer) name none.
      const names = (validate.errors ?? []).map((error) => error.instancePath.split('/')[1]).filter((name) => name !== undefined);
      return new Set(names.map((name) => name.replaceAll('~1', '/').replaceAll('~0', '~')));
    },
  };
}

interface ChosenExample {
  name: string;
  value: unknown;
  state: ProviderState | undefined;
  request?: RequestOverride;
}

interface RequestOverride {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  body?: unknown;
}

function exampleSet(model: ApiModel, operation: OperationModel, response: ResponseModel, media: MediaTypeModel | undefined, checks: ExampleChecks): ChosenExample[] {
  if (!media) return [{ name: 'default', value: undefined, state: NO_STATE }];
  const documented = media.examples.filter(
    (example) => 'value' in example && example.externalValue === undefined && checks.response(operation, response, media, example.value),
  );
  if (documented.length > 0) {
    return documented.map((example) => {
      const request = example.extensions[REQUEST_EXTENSION];
      return { name: example.name, value: example.value, state: stateOf(example), ...(isRecord(request) && { request: request as RequestOverride }) };
    });
  }
  const chosen = exampleBody(model, operation, response, media, checks.response, checks.branchValidators);
  return [{ name: 'default', value: chosen.value, state: NO_STATE }];
}

function stateOf(example: ExampleModel): ProviderState | undefined {
  const raw = example.extensions[STATE_EXTENSION];
  if (typeof raw === 'string') return { name: raw, params: {} };
  if (!isRecord(raw) || typeof raw.name !== 'string') return undefined;
  return { name: raw.name, params: isRecord(raw.params) ? raw.params : {} };
}

/** Warns of something in an operation the spec should fix, once per operation and `subject` (a parameter, the body, a header). */
type OperationWarning = (operation: OperationModel, subject: string, message: string) => void;

/** A parameter or body (`subject`) whose value, generated from its schema, that schema still rejects. */
function unsatisfiable(warn: OperationWarning, operation: OperationModel, subject: string, problem?: string): void {
  const detail = problem === undefined ? operation.pointer : `${operation.pointer}; ${problem}`;
  warn(operation, subject, `no value found for ${subject} that its own schema accepts (${detail}); its interactions carry one every provider will refuse`);
}

function planOne(
  model: ApiModel,
  matchers: MatcherBuilder,
  checks: ExampleChecks,
  warn: OperationWarning,
  operation: OperationModel,
  response: ResponseModel,
  status: number,
  media: MediaTypeModel | undefined,
  example: ChosenExample,
): InteractionDefinition {
  const values = parameterValues(model, checks, warn, operation, example.state);
  const override = example.request ?? (status === 400 ? malformedRequest(model, operation) : {});
  Object.assign(values.path, override.path);
  Object.assign(values.query, override.query);
  Object.assign(values.header, override.headers);
  const state = example.state ?? derivedState(operation, status, values);
  const requestMedia = operation.requestBody?.contents.find((content) => isJsonMediaType(content.mediaType)) ?? operation.requestBody?.contents[0];
  const usable = requestMedia?.examples.filter((candidate) => 'value' in candidate && checks.requestProblem(operation, requestMedia, candidate.value) === undefined) ?? [];
  const requestExample = usable.find((candidate) => candidate.name === example.name) ?? usable[0];

  const byName = (location: ParameterModel['in'], name: string) => operation.parameters.find((param) => param.in === location && param.name === name);
  const filled = operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const param = byName('path', name);
    return param && name in values.path ? pathText(param, values.path[name]) : encodeURIComponent(name);
  });
  // RPC-style templates (flickr's `/rest?method=flickr.photos.search`, AWS's `/#Action=CreateQueue`):
  // a fragment is no part of a request, and a query string is the interaction's query, not its path.
  const [path, templateQuery] = splitTemplate(model.basePath + filled);
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(values.query)) {
    const param = byName('query', name);
    for (const [key, text] of param ? queryEntries(param, value) : [[name, String(value)] as const]) {
      const before = query[key];
      query[key] = before === undefined ? text : [before, text].flat();
    }
  }
  // The template's own fields, unless a parameter (the same `method`, say) already gave them.
  for (const [key, text] of new URLSearchParams(templateQuery)) query[key] ??= text;
  const headers: Record<string, string | Matcher> = { ...authorizationHeader(model, operation, warn) };
  for (const [name, value] of Object.entries(values.header)) headers[name] = parameterText(byName('header', name), value, ',');
  const cookies = Object.entries(values.cookie).map(([name, value]) => `${name}=${encodeURIComponent(parameterText(byName('cookie', name), value, ','))}`);
  if (cookies.length > 0) headers.Cookie = cookies.join('; ');
  const idempotency = operation.parameters.find((param) => param.in === 'header' && param.name === operation.idempotencyHeader);
  if (idempotency) headers[idempotency.name] = headerMatcher(idempotency, example.name);
  const requestBody = 'body' in override ? override.body : requestExample ? requestExample.value : requestBodyFromSchema(model, operation, requestMedia, checks.branchValidators);
  if (requestMedia && requestBody !== undefined && !('body' in override) && !requestExample) {
    const problem = checks.requestProblem(operation, requestMedia, requestBody);
    if (problem !== undefined) unsatisfiable(warn, operation, `the ${requestMedia.mediaType} request body`, problem);
  }
  if (requestMedia && requestBody !== undefined) headers['Content-Type'] = regex(`^${escapeRegex(requestMedia.mediaType)}(;.*)?$`, requestMedia.mediaType);

  const responseHeaders: Record<string, string | Matcher> = {};
  if (media) responseHeaders['Content-Type'] = regex(`^${escapeRegex(media.mediaType)}(;.*)?$`, media.mediaType);
  const requestId = response.headers.find((header) => header.name.toLowerCase() === 'x-request-id');
  if (requestId) responseHeaders[requestId.name] = headerMatcher(requestId, example.name);

  const sdkParams: Record<string, unknown> = {};
  for (const flat of flattenParams(operation, model)) {
    if (flat.param.in === 'header' && flat.param.name === operation.idempotencyHeader) continue;
    const value = values[flat.param.in][flat.param.name];
    if (value !== undefined) sdkParams[flat.property] = value;
  }
  if (requestBody !== undefined) sdkParams.body = requestBody;

  return {
    description: `${operation.operationId} ${response.status} ${example.name}`,
    operationId: operation.operationId,
    sdk: { resource: operation.resource.path, method: operation.resource.method, params: sdkParams },
    ...(state && { providerState: state }),
    request: {
      method: operation.method.toUpperCase(),
      path,
      ...(Object.keys(query).length > 0 && { query }),
      ...(Object.keys(headers).length > 0 && { headers }),
      ...(requestBody !== undefined && { body: requestMedia ? wireBody(requestMedia, requestBody) : requestBody }),
    },
    response: {
      status,
      ...(Object.keys(responseHeaders).length > 0 && { headers: responseHeaders }),
      ...(example.value !== undefined && { body: matchers.build(media?.schema, example.value) }),
    },
  };
}

/**
 * Without `x-finrail-request`, a 400 example still needs a request the provider rejects: a JSON
 * body of the wrong type, else a non-numeric or out-of-enum query parameter, else a path
 * parameter that breaks its pattern. Chosen from the schema, so the same for every run.
 */
function malformedRequest(model: ApiModel, operation: OperationModel): RequestOverride {
  const body = operation.requestBody?.contents.find((content) => isJsonMediaType(content.mediaType));
  if (body) return { body: schemaTypes(model, body.schema).has('array') ? {} : [] };
  for (const location of ['query', 'path'] as const) {
    for (const param of operation.parameters.filter((candidate) => candidate.in === location)) {
      const schema = resolveSchema(model, param.schema);
      const types = schemaTypes(model, param.schema);
      const invalid =
        types.has('integer') || types.has('number') ? 'not-a-number'
        : Array.isArray(schema.enum) || typeof schema.pattern === 'string' ? 'not a valid value'
        : undefined;
      if (invalid !== undefined) return { [location]: { [param.name]: invalid } };
    }
  }
  return {};
}

function resolveSchema(model: ApiModel, schema: JsonSchema | undefined): Record<string, unknown> {
  let current: unknown = schema;
  for (let hops = 0; hops < 32 && isRecord(current) && typeof current.$ref === 'string'; hops++) current = getByRef(model.document, current.$ref);
  return isRecord(current) ? current : {};
}

function schemaTypes(model: ApiModel, schema: JsonSchema | undefined): Set<string> {
  const resolved = resolveSchema(model, schema);
  const type = resolved.type;
  return new Set(Array.isArray(type) ? type.map(String) : typeof type === 'string' ? [type] : isRecord(resolved.items) ? ['array'] : []);
}

/**
 * A required body without examples: data generated from its schema, fixed seed per operation. A
 * multipart body has none: its parts and boundary are the consumer's to build. A body that is not
 * JSON is never empty (an empty body is a missing one) and needs no schema (`application/octet-stream: {}`
 * takes any bytes).
 */
function requestBodyFromSchema(model: ApiModel, operation: OperationModel, media: MediaTypeModel | undefined, branchValidators: BranchValidators): unknown {
  if (!media || !operation.requestBody?.required || /^multipart\//i.test(media.mediaType)) return undefined;
  const json = isJsonMediaType(media.mediaType);
  if (media.schema === undefined && json) return undefined;
  // An urlencoded form without fields is as empty as an empty text: it needs one.
  const schema = json ? media.schema : { allOf: [media.schema ?? { type: 'string' }, { minLength: 1, minProperties: 1 }] };
  const seed = hashString(`pact|${operation.operationId}|${media.mediaType}`);
  return generateValue(schema as never, { seed, document: model.document, direction: 'request', branchValidators });
}

/**
 * The body as it crosses the wire: a form's fields URL-encoded as the generated client encodes
 * them (arrays as repeated fields, deepObject fields in brackets, other objects as JSON); other
 * bodies as they are (the SDK call takes the same value).
 */
function wireBody(media: MediaTypeModel, body: unknown): unknown {
  if (!/^application\/x-www-form-urlencoded/i.test(media.mediaType) || !isRecord(body)) return body;
  const form = new URLSearchParams();
  const appendDeep = (key: string, value: unknown): void => {
    if (isRecord(value) || Array.isArray(value)) for (const [inner, part] of Object.entries(value)) appendDeep(`${key}[${inner}]`, part);
    else if (value !== undefined && value !== null) form.append(key, String(value));
  };
  for (const [name, value] of Object.entries(body)) {
    if (media.encoding[name]?.style === 'deepObject' && typeof value === 'object' && value !== null) appendDeep(name, value);
    else for (const part of Array.isArray(value) ? value : [value]) if (part !== undefined && part !== null) form.append(name, typeof part === 'object' ? JSON.stringify(part) : String(part));
  }
  return form.toString();
}

type ParameterValues = Record<ParameterModel['in'], Record<string, unknown>>;

/**
 * Values for the path parameters and the required query, header and cookie parameters: a
 * provider-state parameter of the same name wins (so a 404 example names the missing resource),
 * then the parameter's example, then its schema's, then a value generated from its schema (a
 * request missing a required parameter would fail every correct provider's verification). An
 * example the runtime's validators reject (an id that is not the uuid its schema says) is
 * replaced by generated data too.
 */
function parameterValues(model: ApiModel, checks: ExampleChecks, warn: OperationWarning, operation: OperationModel, state: ProviderState | undefined): ParameterValues {
  const values: ParameterValues = { path: {}, query: {}, header: {}, cookie: {} };
  const documented: ParameterModel[] = [];
  const generated: ParameterModel[] = [];
  for (const param of operation.parameters) {
    if (param.in === 'header' && (param.name === operation.idempotencyHeader || param.name.toLowerCase() === 'authorization')) continue;
    const fromState = state?.params[param.name];
    if (!param.required && fromState === undefined) continue;
    const example = fromState === undefined ? usableExample(param, parameterExample(param)) : undefined;
    if (example !== undefined) documented.push(param);
    else if (fromState === undefined) generated.push(param);
    const value = fromState ?? example ?? generatedParameter(model, checks.branchValidators, operation, param);
    if (value !== undefined) values[param.in][param.name] = value;
  }
  const exampleRejected = rejectedBy(checks, operation, values);
  for (const param of documented) {
    if (!exampleRejected(param)) continue;
    values[param.in][param.name] = generatedParameter(model, checks.branchValidators, operation, param);
    generated.push(param);
  }
  // A value drawn from the schema that the schema rejects: the schema admits none (or none we can draw).
  const drawRejected = rejectedBy(checks, operation, values);
  for (const param of generated) if (drawRejected(param)) unsatisfiable(warn, operation, `${param.in} parameter ${param.name}`);
  return values;
}

/** Whether the validators reject a parameter's value in `values` as they stand now (one validation per location). */
function rejectedBy(checks: ExampleChecks, operation: OperationModel, values: ParameterValues): (param: ParameterModel) => boolean {
  const rejected = new Map<ParameterModel['in'], Set<string>>();
  return (param) => {
    let names = rejected.get(param.in);
    if (names === undefined) rejected.set(param.in, (names = checks.invalidParameters(operation, param.in, values[param.in])));
    return names.has(param.name);
  };
}

/** The path and the query string of a filled-in template, its fragment dropped (as the runtime's requestUrl drops it). */
function splitTemplate(url: string): [path: string, query: string] {
  const fragment = url.indexOf('#');
  if (fragment !== -1) {
    const query = url.indexOf('?', fragment);
    url = url.slice(0, fragment) + (query === -1 ? '' : url.slice(query));
  }
  const start = url.indexOf('?');
  return start === -1 ? [url, ''] : [url.slice(0, start), url.slice(start + 1)];
}

/**
 * A value as OpenAPI's styles write it (`simple` and `form` without explode): JSON text for a JSON
 * `content` parameter, and for an item or property that is itself an object or array (fieldText).
 * `encode` escapes each piece on its own, so that only the separators delimit.
 */
function parameterText(param: ParameterModel | undefined, value: unknown, separator: string, encode = (text: string) => text): string {
  if (param !== undefined && isJsonContentParameter(param)) return encode(JSON.stringify(value));
  if (Array.isArray(value)) return value.map((item) => encode(fieldText(item))).join(separator);
  if (isRecord(value)) {
    const pieces = Object.entries(value).map(([key, part]) => [encode(key), encode(fieldText(part))]);
    return pieces.flatMap(([key, part]) => (param?.explode ? [`${key}=${part}`] : [key, part])).join(separator);
  }
  return encode(String(value));
}

function pathText(param: ParameterModel, value: unknown): string {
  if (param.style === 'label') return `.${parameterText(param, value, param.explode ? '.' : ',', encodeURIComponent)}`;
  if (param.style === 'matrix') {
    if (Array.isArray(value) && param.explode) return value.map((item) => `;${param.name}=${encodeURIComponent(fieldText(item))}`).join('');
    return `;${param.name}=${parameterText(param, value, ',', encodeURIComponent)}`;
  }
  return parameterText(param, value, ',', encodeURIComponent);
}

/** The query fields a parameter's value becomes, by its style and explode. */
function queryEntries(param: ParameterModel, value: unknown): Array<readonly [string, string]> {
  if (isJsonContentParameter(param)) return [[param.name, JSON.stringify(value)]];
  if (param.style === 'deepObject' && isRecord(value)) return Object.entries(value).map(([key, part]) => [`${param.name}[${key}]`, fieldText(part)]);
  if (Array.isArray(value)) {
    // Objects and arrays as JSON text, as the generated client sends them (isJsonItemsArrayParameter).
    if (param.explode) return value.map((item) => [param.name, fieldText(item)]);
    const separator = param.style === 'spaceDelimited' ? ' ' : param.style === 'pipeDelimited' ? '|' : ',';
    return [[param.name, value.map(String).join(separator)]];
  }
  // Objects and arrays among an exploded object's properties as JSON text, as the client sends them (asJsonFields).
  if (isRecord(value)) return param.explode ? Object.entries(value).map(([key, part]) => [key, fieldText(part)]) : [[param.name, parameterText(param, value, ',')]];
  return [[param.name, String(value)]];
}

/** A query object's property, or a query array's item, as a field: its JSON text when it is an object or array. */
function fieldText(part: unknown): string {
  return isRecord(part) || Array.isArray(part) ? JSON.stringify(part) : String(part);
}

function generatedParameter(model: ApiModel, branchValidators: BranchValidators, operation: OperationModel, param: ParameterModel): unknown {
  if (param.schema === undefined) return undefined;
  // A path segment is never empty: no empty string, array (tfl's `/Road/{ids}/Status`) or object.
  const schema = param.in === 'path' ? { allOf: [param.schema, { minLength: 1, minItems: 1, minProperties: 1 }] } : param.schema;
  const draw = (round: number) =>
    generateValue(schema as never, {
      seed: hashString(`pact|${operation.operationId}|${param.in}|${param.name}${round === 0 ? '' : `|${round}`}`),
      document: model.document,
      direction: 'request',
      branchValidators,
    });
  let value = draw(0);
  // Nor empty items only (tfl: `[""]`), nor a dot segment (internetmonitor: `{MonitorName}` matching `[a-zA-Z0-9_.-]+`).
  for (let round = 1; param.in === 'path' && isUnusableSegment(param, value) && round <= 8; round++) value = draw(round);
  return value;
}

/** An example that would leave a path segment empty (kompany's `dataset` enum starts with "") or a dot segment is no path value. */
function usableExample(param: ParameterModel, example: unknown): unknown {
  if (param.in !== 'path' || example === undefined || example === null) return example;
  return isUnusableSegment(param, example) ? undefined : example;
}

/** Whether a path parameter's value, as the path carries it, is empty or `.` or `..` (which a URL's path resolves away). */
function isUnusableSegment(param: ParameterModel, value: unknown): boolean {
  const text = pathText(param, value);
  return text === '' || text === '.' || text === '..';
}

function parameterExample(param: ParameterModel): unknown {
  const example = param.examples.find((candidate) => 'value' in candidate);
  if (example) return example.value;
  const schema = param.schema;
  if (!isRecord(schema)) return undefined;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  return schema.example ?? schema.default ?? (Array.isArray(schema.enum) ? schema.enum[0] : undefined);
}

/** Without `x-finrail-state`: "wallet exists" (or "… does not exist" for a 404) from the last path parameter. */
function derivedState(operation: OperationModel, status: number, values: ParameterValues): ProviderState | undefined {
  const last = operation.parameters.filter((param) => param.in === 'path').at(-1);
  if (!last) return undefined;
  const noun = words(last.name.replace(/_?id$/i, '')).join(' ').toLowerCase() || 'resource';
  return { name: status === 404 ? `${noun} does not exist` : `${noun} exists`, params: { ...values.path } };
}

/**
 * The credentials header of the operation's first scheme that has one. Header parameters whose
 * name no request can carry never reach the model (operation-parts.ts); an API key scheme's header
 * name comes from the security scheme, and is checked here.
 */
function authorizationHeader(model: ApiModel, operation: OperationModel, warn: OperationWarning): Record<string, Matcher> {
  const schemes = new Set(operation.security.flat().map((requirement) => model.securitySchemes[requirement.scheme]));
  for (const scheme of schemes) {
    if (!scheme) continue;
    if (scheme.type === 'oauth2' || scheme.type === 'openIdConnect' || (scheme.type === 'http' && scheme.scheme.toLowerCase() === 'bearer')) {
      return { Authorization: regex('^Bearer \\S+$', 'Bearer sandbox-access-token') };
    }
    if (scheme.type === 'http' && scheme.scheme.toLowerCase() === 'basic') {
      return { Authorization: regex('^Basic \\S+$', 'Basic c2FuZGJveDpzZWNyZXQ=') };
    }
    if (scheme.type === 'apiKey' && scheme.in === 'header') {
      const name = scheme.parameterName;
      if (isHeaderName(name)) return { [name]: regex('^.+$', 'sandbox-api-key') };
      // rapidapi's `ADVICEment API Key`: a name with spaces is no header any request can carry.
      warn(operation, `header ${name}`, `"${name}" is not a valid HTTP header name (${operation.pointer}), so no request can carry it; its interactions leave it out`);
      return {};
    }
  }
  return {};
}

/** A regex matcher for a header whose value varies per request (idempotency key, request id). */
function headerMatcher(header: { schema?: JsonSchema; examples: ExampleModel[] }, seed: string): Matcher {
  const schema = isRecord(header.schema) ? header.schema : {};
  const example =
    header.examples.find((candidate) => typeof candidate.value === 'string')?.value ??
    (Array.isArray(schema.examples) ? schema.examples.find((value) => typeof value === 'string') : undefined) ??
    (typeof schema.example === 'string' ? schema.example : undefined);
  const pattern = typeof schema.pattern === 'string' ? anchoredPattern(schema.pattern) : undefined;
  if (pattern !== undefined && typeof example === 'string') return regex(pattern, example);
  const min = typeof schema.minLength === 'number' ? schema.minLength : 1;
  const max = typeof schema.maxLength === 'number' ? String(schema.maxLength) : '';
  return regex(`^.{${min},${max}}$`, typeof example === 'string' ? example : `${seed}-0001`);
}

function statusCode(response: ResponseModel, operation: OperationModel): number | undefined {
  // docker's `101 Switching Protocols`: a protocol upgrade, not a response a contract can hold.
  if (isInformationalStatus(response.status)) return undefined;
  if (response.kind === 'code') return Number(response.status);
  // A range still deserves an interaction: use its most typical code.
  if (response.kind === 'range') return Number(response.status[0]) * 100;
  // `default` is the success where nothing else is (fec.gov documents every operation so), and the
  // mock answers it with 200; beside a documented success it is the errors' shape, with no status.
  return operation.responses.some((other) => other.success) ? undefined : mockStatusOf(response);
}
