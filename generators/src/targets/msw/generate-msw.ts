// The `msw` target: typed msw request handlers answering every operation with its example.
import { isJsonMediaType, isJsonOrAnyMediaType, type Discriminator } from '@finrail/server';
import { routeDiscriminators } from '../../model/discriminators.ts';
import { isSendableByFetch } from '../../model/fetch-methods.ts';
import type { GeneratedFile, Target, TargetContext } from '../../generate/target.ts';
import { pascalIdentifier } from '../../model/names.ts';
import type { ApiModel, MediaTypeModel, OperationModel, ResponseModel } from '../../model/types.ts';
import { TYPES_FILE } from '../types/index.ts';
import { createApiDefinition, type BranchValidators, type ValidatedApi } from '../../validation/index.ts';
import { exampleBody, type ExampleValidator } from './example-body.ts';
import { toMswPath } from './msw-path.ts';
import { byMockPreference, mockStatusOf } from './preferred-response.ts';

export const MSW_FILE = 'msw.ts';

interface HandlerPlan {
  operation: OperationModel;
  pattern: string;
  /** Identifier stem: `getWallet` → GetWallet. */
  typeName: string;
  status: number;
  mediaType: string | undefined;
  body: unknown;
  bodySource: string;
  /** What tells this operation's requests from others' on its method and path (see model/discriminators.ts). */
  discriminators: Discriminator[] | undefined;
  /** TypeScript types (as source text). */
  paramsType: string;
  requestBodyType: string;
  defaultBodyType: string;
  responseBodiesType: string;
}

export async function generateMswSource(model: ApiModel, header: string, validator?: ExampleValidator, branchValidators?: BranchValidators): Promise<string> {
  const { discriminators } = routeDiscriminators(model);
  const plans = model.operations
    // msw has no TRACE handler either.
    .filter(isSendableByFetch)
    .map((operation) => planHandler(model, operation, validator, branchValidators, discriminators.get(operation)));
  const lines: string[] = [header, '/* eslint-disable */', ''];
  lines.push(
    "import { http, HttpResponse, type DefaultBodyType, type HttpHandler, type HttpResponseResolver, type JsonBodyType } from 'msw';",
    `import type { paths, Readable, Writable } from './${TYPES_FILE}';`,
    '',
    runtime(model, plans.some((plan) => plan.discriminators !== undefined)),
  );
  for (const plan of plans) lines.push(...handlerSource(plan));
  lines.push(
    '/** The body each handler answers by default: its documented example (or one generated from the schema). */',
    'export const examples = {',
    ...plans.map((plan) => `  ${plan.operation.name}: ${indent(JSON.stringify(plan.body, null, 2) ?? 'undefined', '  ')} as unknown as ${plan.typeName}ResponseBody,`),
    '};',
    '',
    '/** Every handler with its default answer, most specific paths first so `/pets/mine` wins over `/pets/{id}`. */',
    'export function createHandlers(options?: HandlerOptions): HttpHandler[] {',
    '  return [',
    ...bySpecificity(plans).map((plan) => `    ${plan.operation.name}Handler(undefined, options),`),
    '  ];',
    '}',
    '',
    'export const handlers: HttpHandler[] = createHandlers();',
    '',
  );
  return lines.join('\n');
}

function planHandler(
  model: ApiModel,
  operation: OperationModel,
  validator: ExampleValidator | undefined,
  branchValidators: BranchValidators | undefined,
  discriminators: Discriminator[] | undefined,
): HandlerPlan {
  const { pattern, params } = toMswPath(operation.path);
  const typeName = pascalIdentifier(operation.name);
  const pathKey = JSON.stringify(operation.path);
  const operationType = `paths[${pathKey}][${JSON.stringify(operation.method)}]`;
  const response = byMockPreference(operation.responses)[0];
  const content = response ? preferredContent(response.contents) : undefined;
  const example = response && content ? exampleBody(model, operation, response, content, validator, branchValidators) : { value: undefined, source: 'none' };
  const responseType = (candidate: ResponseModel, media: MediaTypeModel): string =>
    `Readable<${operationType}['responses'][${JSON.stringify(candidate.status)}]['content'][${JSON.stringify(media.mediaType)}]>`;
  const jsonResponses = operation.responses.flatMap((candidate) => candidate.contents.filter((media) => isJsonOrAnyMediaType(media.mediaType)).map((media) => responseType(candidate, media)));
  const requestContent = operation.requestBody?.contents.find((media) => isJsonOrAnyMediaType(media.mediaType));
  return {
    operation,
    pattern,
    typeName,
    status: response ? mockStatusOf(response) : 200,
    mediaType: content?.mediaType,
    body: example.value,
    bodySource: example.source,
    discriminators,
    paramsType: params.length === 0 ? 'Record<string, never>' : `{ ${params.map((param) => `${param.key}: string`).join('; ')} }`,
    requestBodyType: requestContent ? `Writable<NonNullable<${operationType}['requestBody']>['content'][${JSON.stringify(requestContent.mediaType)}]>` : 'DefaultBodyType',
    defaultBodyType: response && content && isJsonOrAnyMediaType(content.mediaType) ? responseType(response, content) : content ? 'string' : 'undefined',
    responseBodiesType: jsonResponses.length > 0 ? [...new Set(jsonResponses)].join(' | ') : 'DefaultBodyType',
  };
}

/** JSON first (it is what the examples are), else the first documented media type. */
function preferredContent(contents: readonly MediaTypeModel[]): MediaTypeModel | undefined {
  return contents.find((media) => isJsonMediaType(media.mediaType)) ?? contents.find((media) => isJsonOrAnyMediaType(media.mediaType)) ?? contents[0];
}

function handlerSource(plan: HandlerPlan): string[] {
  const { operation, typeName } = plan;
  const summary = commentText((operation.summary ?? operation.description ?? '').split('\n')[0] ?? '').trim();
  // Media types such as `*/*` would close the comment.
  const answer = commentText(plan.mediaType === undefined ? `${plan.status} without a body` : `${plan.status} ${plan.mediaType} with ${plan.bodySource}`);
  return [
    `export type ${typeName}Params = ${plan.paramsType};`,
    `export type ${typeName}RequestBody = ${plan.requestBodyType};`,
    `export type ${typeName}ResponseBody = ${plan.defaultBodyType};`,
    `export type ${typeName}ResponseBodies = ${plan.responseBodiesType};`,
    '',
    '/**',
    ` * ${operation.method.toUpperCase()} ${commentText(operation.path)}${summary ? ` — ${summary}` : ''}`,
    ` * Answers ${answer}; pass a body to answer it instead, or a resolver for full control.`,
    ' */',
    `export function ${operation.name}Handler(`,
    `  override?: Override<${typeName}Params, ${typeName}RequestBody, ${typeName}ResponseBody, ${typeName}ResponseBodies>,`,
    '  options?: HandlerOptions,',
    '): HttpHandler {',
    `  return mock(${JSON.stringify(operation.method)}, ${JSON.stringify(plan.pattern)}, ${JSON.stringify(operation.operationId)}, ${plan.status}, ${JSON.stringify(plan.mediaType)}, examples.${operation.name}, override, options${discriminatorsArgument(plan)});`,
    '}',
    '',
  ];
}

function discriminatorsArgument(plan: HandlerPlan): string {
  const list = plan.discriminators?.map((discriminator) => [discriminator.in, discriminator.name, discriminator.value]);
  return list && list.length > 0 ? `, ${JSON.stringify(list)}` : '';
}

/** Text safe inside a block comment. */
function commentText(text: string): string {
  return text.replace(/\*\//g, '*\\/');
}

function defaultBaseUrl(model: ApiModel): string {
  const server = model.servers[0];
  if (!server) return '*';
  const url = server.url.replace(/\{([^}]+)\}/g, (match, name: string) => server.variables[name]?.default ?? match).replace(/\/+$/, '');
  return /^[a-z][a-z\d+.-]*:\/\//i.test(url) ? url : `*${server.basePath}`;
}

/** Literal segments before parameters, segment by segment; ties keep document order. */
function bySpecificity(plans: readonly HandlerPlan[]): HandlerPlan[] {
  const key = (plan: HandlerPlan): string[] => plan.operation.path.split('/').map((segment) => (segment.includes('{') ? '1' : '0'));
  return [...plans].sort((a, b) => {
    const left = key(a);
    const right = key(b);
    for (let index = 0; index < Math.min(left.length, right.length); index++) {
      if (left[index] !== right[index]) return (left[index] as string).localeCompare(right[index] as string);
    }
    return 0;
  });
}

function indent(text: string, prefix: string): string {
  return text.replace(/\n/g, `\n${prefix}`);
}

/** Examples are checked with the validators the server runtime (and `finrail mock`) use. */
export function runtimeExampleValidator(model: ApiModel): ExampleValidator {
  return exampleValidatorOf(createApiDefinition(model));
}

export function exampleValidatorOf({ definition }: ValidatedApi): ExampleValidator {
  const byId = new Map(definition.operations.map((operation) => [operation.operationId, operation]));
  return (operation, response, media, value) => {
    const validate = byId.get(operation.operationId)?.validators.responses?.[response.status]?.[media.mediaType];
    return !validate || validate(value);
  };
}

const RUNTIME = `/** Options every handler factory accepts. */
export interface HandlerOptions {
  /** Origin and base path the handlers answer under. Default: the spec's first server URL. */
  baseUrl?: string;
  /**
   * Checks each request before it is answered; a returned Response (a 400 problem, say) is sent
   * instead. \`createRequestValidator\` from @finrail/mock validates with the server runtime's validators.
   */
  validateRequest?: RequestValidator;
}

export type RequestValidator = (request: Request, operationId: string) => Response | undefined | Promise<Response | undefined>;

type Body<T> = [T] extends [DefaultBodyType] ? T : DefaultBodyType;

/** A handler override: the response body to answer with, or an msw resolver. */
export type Override<Params, RequestBody, ResponseBody, ResponseBodies> =
  | ResponseBody
  | HttpResponseResolver<Params & Record<string, string>, Body<RequestBody>, Body<ResponseBodies>>;

export const defaultBaseUrl = %BASE_URL%;

function answer(status: number, contentType: string | undefined, body: unknown): Response {
  if (body === undefined || contentType === undefined) return new HttpResponse(null, { status });
  if (/json/i.test(contentType)) return HttpResponse.json(body as JsonBodyType, { status, headers: { 'content-type': contentType } });
  return new HttpResponse(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': contentType } });
}

%DISCRIMINATORS%function mock(
  method: 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch',
  path: string,
  operationId: string,
  status: number,
  contentType: string | undefined,
  example: unknown,
  override: unknown,
  options: HandlerOptions | undefined,%DISCRIMINATOR_PARAMETER%
): HttpHandler {
  const base = (options?.baseUrl ?? defaultBaseUrl).replace(/\\/+$/, '');
  const resolve: HttpResponseResolver =
    typeof override === 'function'
      ? (override as HttpResponseResolver)
      : () => answer(status, contentType, override === undefined ? example : override);
  return http[method](base + path, async (info) => {%DISCRIMINATOR_CHECK%
    const rejected = await options?.validateRequest?.(info.request.clone(), operationId);
    return rejected ?? resolve(info);
  });
}
`;

/** Only for specs whose operations share a method and path (RPC style): what tells them apart. */
const DISCRIMINATORS = `/** Request values that tell operations sharing a method and path apart (AWS's \`Action\`): where, name, value. */
type Discriminators = ReadonlyArray<readonly ['query' | 'header', string, string]>;

/** Whether a request carries every value (if not, its handler passes and msw tries the next one). */
function carries(request: Request, discriminators: Discriminators): boolean {
  const query = new URL(request.url).searchParams;
  return discriminators.every(([where, name, value]) => (where === 'query' ? query.get(name) : request.headers.get(name)) === value);
}

`;

function runtime(model: ApiModel, discriminated: boolean): string {
  return RUNTIME.replace('%BASE_URL%', JSON.stringify(defaultBaseUrl(model)))
    .replace('%DISCRIMINATORS%', discriminated ? DISCRIMINATORS : '')
    .replace('%DISCRIMINATOR_PARAMETER%', discriminated ? '\n  discriminators?: Discriminators,' : '')
    .replace('%DISCRIMINATOR_CHECK%', discriminated ? '\n    if (discriminators && !carries(info.request, discriminators)) return undefined;' : '');
}

export const mswTarget: Target = {
  name: 'msw',
  description: 'typed msw request handlers answering every operation with its example (setupServer and setupWorker)',
  requires: ['types'],
  async generate(model: ApiModel, context: TargetContext): Promise<GeneratedFile[]> {
    const api = createApiDefinition(model);
    return [{ path: MSW_FILE, contents: await generateMswSource(model, context.header, exampleValidatorOf(api), api.branchValidators) }];
  },
};
