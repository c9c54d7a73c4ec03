// The `client` target: a resource-shaped client on openapi-fetch and @finrail/runtime.
//
// Parameter shape (one rule for every method): `method(params, options?)`, where `params` is one
// object holding every path, query, header and cookie parameter as a camelCase property
// (`wallet_id` → `walletId`, `Idempotency-Key` → `idempotencyKey`; a name two locations share is
// prefixed, e.g. `queryId`), and the request body, untouched, as `params.body`. `params` may be
// omitted when nothing in it is required, and is absent for operations without parameters or body.
// `options` is the runtime's RequestOptions (idempotencyKey, signal, timeout, maxRetries, headers).
import { essence, isJsonMediaType, isJsonOrAnyMediaType } from '@finrail/server';
import { dedupe, pascalCase, pascalIdentifier } from '../../model/names.ts';
import { isSendableByFetch } from '../../model/fetch-methods.ts';
import type { ApiModel, OperationModel } from '../../model/types.ts';
import type { GeneratedFile, Target, TargetContext } from '../../generate/target.ts';
import { TYPES_FILE } from '../types/index.ts';
import { CodeWriter, jsDoc, key, str, withDeprecated } from './code-writer.ts';
import { flattenParams, isJsonContentParameter, isJsonItemsArrayParameter, isNestingQueryObjectParameter, querySerializerOptions, type FlatParam } from './params.ts';
import { allNodes, buildResourceTree, type ResourceNode } from './resource-tree.ts';

export const CLIENT_FILE = 'client.ts';

interface OperationPlan {
  op: OperationModel;
  params: FlatParam[];
  paramsType: string;
  hasInput: boolean;
  inputOptional: boolean;
  paginated: boolean;
}

interface Usage {
  params: boolean;
  body: boolean;
  data: boolean;
  formData: boolean;
  urlEncoded: boolean;
  jsonText: boolean;
  jsonItems: boolean;
  jsonFields: boolean;
}

/** Client class name: options.clientName, else from options.name / the spec title, e.g. 'WalletsClient'. */
export function clientClassName(model: ApiModel, options: Record<string, unknown>): string {
  if (typeof options.clientName === 'string' && options.clientName !== '') return options.clientName;
  const base = typeof options.name === 'string' && options.name !== '' ? options.name : model.info.title.replace(/\bapi\b/gi, '');
  const pascal = pascalCase(base) || 'Api';
  return `${/^[0-9]/.test(pascal) ? `Api${pascal}` : pascal}Client`;
}

function planOperations(model: ApiModel, reserved: Set<string>): OperationPlan[] {
  const typeNames = dedupe([...reserved].concat(model.operations.map((op) => `${pascalIdentifier(op.name)}Params`)));
  return model.operations.map((documented, i) => {
    const op = withoutUnsendableBody(documented);
    const params = flattenParams(op, model);
    const bodyRequired = op.requestBody?.required ?? false;
    const hasInput = params.length > 0 || op.requestBody !== undefined;
    const cursor = op.pagination && params.find((p) => p.param.in === 'query' && p.param.name === op.pagination!.cursorParam);
    return {
      op,
      params,
      paramsType: typeNames[reserved.size + i]!,
      hasInput,
      inputOptional: !bodyRequired && params.every((p) => !p.required),
      paginated: cursor !== undefined,
    };
  });
}

function locationObject(plan: OperationPlan, model: ApiModel, location: 'path' | 'query' | 'header' | 'cookie', usage: Usage, cursorExpr?: string): string | undefined {
  const entries = plan.params
    .filter((p) => p.param.in === location)
    .map((p) => {
      let value = `params.${p.property}`;
      // A parameter described with JSON `content` goes as its JSON text.
      if (isJsonContentParameter(p.param)) {
        value = `asJsonText(${value})`;
        usage.jsonText = true;
      } else if (isJsonItemsArrayParameter(model, p.param)) {
        value = `asJsonItems(${value})`;
        usage.jsonItems = true;
      } else if (isNestingQueryObjectParameter(model, p.param)) {
        value = `asJsonFields(${value})`;
        usage.jsonFields = true;
      }
      if (cursorExpr && location === 'query' && p.param.name === plan.op.pagination?.cursorParam) value = `${cursorExpr} ?? ${value}`;
      if (p.constant !== undefined) value = `${value} ?? ${JSON.stringify(p.constant)}`;
      // A required idempotency header is optional here: the runtime supplies one when absent.
      else if (p.param.required && !p.required) value = `${value} as string`;
      return `${key(p.param.name)}: ${value}`;
    });
  return entries.length > 0 ? `${location}: { ${entries.join(', ')} }` : undefined;
}

/**
 * Fetch cannot send a body with GET or HEAD (stripe documents an optional form body on every GET):
 * an optional one is left out of the method. A required one stays, as the types demand it.
 */
function withoutUnsendableBody(op: OperationModel): OperationModel {
  return (op.method === 'get' || op.method === 'head') && op.requestBody && !op.requestBody.required ? { ...op, requestBody: undefined } : op;
}

/** The media type the client sends: JSON when the spec offers it (spoonacular lists a nameless one first). */
function requestContentType(op: OperationModel): string | undefined {
  const contents = op.requestBody?.contents ?? [];
  return (contents.find((c) => essence(c.mediaType) === 'application/json') ?? contents.find((c) => isJsonMediaType(c.mediaType)) ?? contents[0])?.mediaType;
}

function sendInit(plan: OperationPlan, model: ApiModel, usage: Usage, cursorExpr?: string): string {
  const { op } = plan;
  const parts: string[] = [];
  const locations = (['path', 'query', 'header', 'cookie'] as const)
    .map((location) => locationObject(plan, model, location, usage, cursorExpr))
    .filter((entry): entry is string => entry !== undefined);
  if (locations.length > 0) parts.push(`params: { ${locations.join(', ')} }`);
  let contentTypeHeader: string | undefined;
  if (op.requestBody) {
    parts.push('body: params.body');
    const mediaType = requestContentType(op);
    if (mediaType !== undefined && /^multipart\/form-data/i.test(mediaType)) {
      parts.push('bodySerializer: toFormData');
      usage.formData = true;
    } else if (mediaType !== undefined && /^application\/x-www-form-urlencoded/i.test(mediaType)) {
      // openapi-fetch's own form serializer joins arrays with commas; OpenAPI repeats the field.
      const deepObjects = Object.entries(op.requestBody.contents.find((content) => content.mediaType === mediaType)!.encoding).filter(([, encoding]) => encoding.style === 'deepObject').map(([name]) => name);
      parts.push(`bodySerializer: (body) => toUrlEncoded(body${deepObjects.length > 0 ? `, ${JSON.stringify(deepObjects)}` : ''})`);
      usage.urlEncoded = true;
      contentTypeHeader = mediaType;
    } else if (mediaType !== undefined && !isJsonOrAnyMediaType(mediaType)) {
      parts.push('bodySerializer: (body) => body');
      contentTypeHeader = mediaType;
    } else if (mediaType !== undefined && mediaType !== '*/*' && !/^application\/json$/i.test(mediaType)) {
      // JSON under its own media type (application/vnd.api+json, application/merge-patch+json):
      // serialized as JSON, labelled as the spec says (openapi-fetch would say application/json).
      contentTypeHeader = mediaType;
    }
  }
  const querySerializer = querySerializerOptions(op, model);
  if (querySerializer) parts.push(`querySerializer: ${querySerializer}`);
  const parseAs = responseParseAs(op);
  if (parseAs) parts.push(`parseAs: '${parseAs}'`);
  // Always an object literal: openapi-fetch's init type carries an index signature CallInit lacks.
  parts.push('...init');
  if (contentTypeHeader) parts.push(`headers: { 'Content-Type': ${str(contentTypeHeader)}, ...init.headers }`);
  return `{ ${parts.join(', ')} }`;
}

/**
 * openapi-fetch parses JSON by default and one way for every status; binary or text bodies need
 * `parseAs`. The success response that decides is the lowest 2xx (billingo: a PDF with 200, JSON
 * with 202), else `default` when no 2xx is documented (adobe).
 */
function responseParseAs(op: OperationModel): 'blob' | 'text' | undefined {
  // '200' < '202' < '2XX' as strings too.
  const [primary] = [...op.responses.filter((r) => r.success)].sort((a, b) => a.status.localeCompare(b.status));
  const contents = (primary ?? op.responses.find((r) => r.kind === 'default'))?.contents ?? [];
  if (contents.length === 0 || contents.some((c) => isJsonOrAnyMediaType(c.mediaType))) return undefined;
  return contents.every((c) => /^text\//i.test(c.mediaType)) ? 'text' : 'blob';
}

function operationDoc(op: OperationModel): string[] {
  const lines = jsDoc([op.summary, op.description !== op.summary ? op.description : undefined, `\`${op.method.toUpperCase()} ${op.path}\``]);
  return op.deprecated ? withDeprecated(lines) : lines;
}

function metaLiteral(op: OperationModel, paginated: boolean): string {
  const parts = [`operationId: ${str(op.operationId)}`, `method: '${op.method.toUpperCase()}'`];
  if (op.idempotencyHeader) parts.push(`idempotencyHeader: ${str(op.idempotencyHeader)}`);
  if (paginated && op.pagination) {
    const p = op.pagination;
    parts.push(`pagination: { cursorParam: ${str(p.cursorParam)}, nextCursor: ${str(p.nextCursor)}, hasMore: ${str(p.hasMore)}, items: ${str(p.items)} }`);
  }
  return `{ ${parts.join(', ')} }`;
}

function writeMethod(w: CodeWriter, plan: OperationPlan, model: ApiModel, usage: Usage, raw: string): void {
  const { op } = plan;
  const pathLit = str(op.path);
  const method = op.method.toUpperCase();
  const signatureParams = plan.hasInput
    ? `params: ${plan.paramsType}${plan.inputOptional ? ' = {}' : ''}, options?: RequestOptions`
    : 'options?: RequestOptions';
  w.lines(operationDoc(op));
  if (plan.paginated) {
    usage.data = true;
    const page = `Data<${pathLit}, '${op.method}'>`;
    w.block(`${op.resource.method}(${signatureParams}): PagePromise<${page}, Items<${page}, ${str(op.pagination!.items)}>> {`, () => {
      w.block(`return this.#transport.list<${page}, Items<${page}, ${str(op.pagination!.items)}>>(`, () => {
        w.line(`(cursor, init) => ${raw}.${method}(${pathLit}, ${sendInit(plan, model, usage, 'cursor')}),`);
        w.line(`${metaLiteral(op, true)},`);
        w.line('options,');
      }, ');');
    });
    return;
  }
  w.block(`${op.resource.method}(${signatureParams}) {`, () => {
    w.block('return this.#transport.call(', () => {
      w.line(`(init) => ${raw}.${method}(${pathLit}, ${sendInit(plan, model, usage)}),`);
      w.line(`${metaLiteral(op, false)},`);
      w.line('options,');
    }, ');');
  });
}

function writeResourceClass(w: CodeWriter, node: ResourceNode, plans: Map<OperationModel, OperationPlan>, model: ApiModel, usage: Usage, isRoot: boolean): void {
  const hasMethods = node.operations.length > 0;
  const doc = isRoot
    ? jsDoc([`${model.info.title} ${model.info.version}`.trim(), model.info.summary])
    : jsDoc([`\`${node.path.join('.')}\` operations.`]);
  w.lines(doc);
  w.block(`export class ${node.className} {`, () => {
    if (isRoot) {
      w.line('/** The underlying openapi-fetch client (auth, retries and timeouts apply; errors are not thrown). */');
      w.line('readonly raw: Client<paths>;');
    }
    for (const child of node.children) w.line(`readonly ${child.path.at(-1)}: ${child.className};`);
    if (hasMethods || (!isRoot && node.children.length === 0)) {
      w.line('readonly #transport: Transport;');
      w.line('readonly #raw: Client<paths>;');
    }
    w.line();
    const init = (transport: string, raw: string) => {
      if (hasMethods || (!isRoot && node.children.length === 0)) {
        w.line(`this.#transport = ${transport};`);
        w.line(`this.#raw = ${raw};`);
      }
      for (const child of node.children) w.line(`this.${child.path.at(-1)} = new ${child.className}(${transport}, ${raw});`);
    };
    if (isRoot) {
      w.block('constructor(options: ClientOptions) {', () => {
        w.line('const transport = new Transport(options);');
        w.line('this.raw = createClient<paths>({ baseUrl: transport.baseUrl, fetch: transport.fetch });');
        init('transport', 'this.raw');
      });
    } else {
      w.block('constructor(transport: Transport, raw: Client<paths>) {', () => init('transport', 'raw'));
    }
    for (const op of node.operations) {
      w.line();
      writeMethod(w, plans.get(op)!, model, usage, 'this.#raw');
    }
  });
}

function paramType(plan: OperationPlan, p: FlatParam): string {
  return `Params<${str(plan.op.path)}, '${plan.op.method}', '${p.param.in}'>[${str(p.param.name)}]`;
}

function writeParamsInterface(w: CodeWriter, plan: OperationPlan, usage: Usage): void {
  const { op } = plan;
  w.line(`/** Parameters of \`${op.resource.path.concat(op.resource.method).join('.')}\` (\`${op.method.toUpperCase()} ${op.path}\`). */`);
  w.block(`export interface ${plan.paramsType} {`, () => {
    for (const p of plan.params) {
      usage.params = true;
      const notes = [p.param.description, p.property !== p.param.name ? `\`${p.param.name}\` (${p.param.in})` : undefined];
      if (p.constant !== undefined) notes.push(`Defaults to \`${JSON.stringify(p.constant)}\`, the only value the API takes.`);
      else if (!p.required && p.param.required) notes.push('Generated by the client when omitted.');
      const doc = jsDoc(notes);
      w.lines(p.param.deprecated ? withDeprecated(doc) : doc);
      w.line(`${p.property}${p.required ? '' : '?'}: ${paramType(plan, p)};`);
    }
    if (op.requestBody) {
      usage.body = true;
      w.lines(jsDoc([op.requestBody.description]));
      w.line(`body${op.requestBody.required ? '' : '?'}: Body<${str(op.path)}, '${op.method}'>;`);
    }
  });
}

function webhookEventType(model: ApiModel): string | undefined {
  const members = model.webhooks
    .filter((hook) => hook.requestBody?.contents.some((c) => isJsonOrAnyMediaType(c.mediaType)))
    .map((hook) => {
      const media = hook.requestBody!.contents.find((c) => isJsonOrAnyMediaType(c.mediaType))!.mediaType;
      return `NonNullable<webhooks[${str(hook.webhookName)}]['${hook.method}']['requestBody']>['content'][${str(media)}]`;
    });
  return members.length > 0 ? [...new Set(members)].join('\n  | ') : undefined;
}

export function generateClientSource(documented: ApiModel, context: TargetContext): string {
  for (const operation of documented.operations.filter((candidate) => !isSendableByFetch(candidate))) {
    context.warn(`${operation.method.toUpperCase()} ${operation.path} (${operation.operationId}): fetch refuses to send ${operation.method.toUpperCase()}: no client method`);
  }
  const model: ApiModel = { ...documented, operations: documented.operations.filter(isSendableByFetch) };
  const className = clientClassName(model, context.options);
  const reserved = new Set([className, 'WebhookEvent', 'Params', 'Body', 'Data', 'At', 'Items', 'BASE_PATH']);
  const plans = planOperations(model, reserved);
  const planByOp = new Map(model.operations.map((op, index) => [op, plans[index]!] as const));
  const tree = buildResourceTree(model.operations, className, new Set([...reserved, ...plans.map((p) => p.paramsType)]));
  const usage: Usage = { params: false, body: false, data: false, formData: false, urlEncoded: false, jsonText: false, jsonItems: false, jsonFields: false };

  const classes = new CodeWriter();
  for (const node of allNodes(tree)) {
    writeResourceClass(classes, node, planByOp, model, usage, node === tree);
    classes.line();
  }
  const interfaces = new CodeWriter();
  for (const plan of plans.filter((p) => p.hasInput)) {
    writeParamsInterface(interfaces, plan, usage);
    interfaces.line();
  }
  const webhookEvent = webhookEventType(model);

  const w = new CodeWriter();
  w.line(context.header);
  const fetchTypes = ['type Client', ...(usage.data ? ['type FetchResponse'] : []), ...(usage.body ? ['type RequestBodyOption'] : [])];
  w.line(`import createClient, { ${fetchTypes.join(', ')} } from 'openapi-fetch';`);
  const runtime = ['Transport', 'type ClientOptions', ...(usage.data ? ['type PagePromise'] : []), 'type RequestOptions'];
  w.line(`import { ${runtime.join(', ')} } from '@finrail/runtime';`);
  w.line(`import type { paths${webhookEvent ? ', webhooks' : ''} } from './${TYPES_FILE}';`);
  w.line();
  w.line(`export type { paths, components, operations, webhooks } from './${TYPES_FILE}';`);
  w.line();
  w.line('/** Path prefix of the spec\'s first server URL; append it to an environment\'s origin for `baseUrl`. */');
  w.line(`export const BASE_PATH = ${str(model.basePath)};`);
  w.line();
  if (usage.params) {
    w.line('/** Parameters of one operation in one location, as openapi-fetch types them. */');
    w.line('type Params<P extends keyof paths, M extends keyof paths[P], L extends string> = paths[P][M] extends { parameters: infer X } ? NonNullable<X[L & keyof X]> : never;');
  }
  if (usage.body) {
    w.line('/** A request body as openapi-fetch accepts it (readOnly properties removed). */');
    w.line("type Body<P extends keyof paths, M extends keyof paths[P]> = NonNullable<RequestBodyOption<paths[P][M]>['body']>;");
  }
  if (usage.data) {
    w.line('/** A success response body as openapi-fetch returns it (writeOnly properties removed). */');
    w.line("type Data<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends infer O extends Record<string | number, any> ? NonNullable<FetchResponse<O, {}, `${string}/${string}`>['data']> : never;");
    w.line('/** The value at a dot-separated property path, e.g. `Data.Account`. */');
    w.line('type At<T, Path extends string> = Path extends `${infer Head}.${infer Rest}` ? (Head extends keyof NonNullable<T> ? At<NonNullable<T>[Head], Rest> : unknown) : Path extends keyof NonNullable<T> ? NonNullable<T>[Path] : unknown;');
    w.line('/** The item type of a page\'s items array (`items` may be a dot-separated path). */');
    w.line('type Items<Page, Path extends string> = NonNullable<At<Page, Path>> extends ArrayLike<infer I> ? I : unknown;');
  }
  if (webhookEvent) {
    w.line();
    w.line('/** Every event the API sends to webhook receivers (request bodies of the spec\'s `webhooks`). */');
    w.line(`export type WebhookEvent =\n  | ${webhookEvent};`);
  }
  if (usage.formData) {
    w.line();
    w.line('/** multipart/form-data: Blobs as file parts, objects as JSON, arrays as repeated parts. */');
    w.block('function toFormData(body: unknown): FormData {', () => {
      w.line('const form = new FormData();');
      w.block('for (const [name, value] of Object.entries(body as Record<string, unknown>)) {', () => {
        w.block('for (const part of Array.isArray(value) ? value : [value]) {', () => {
          w.line('if (part === undefined || part === null) continue;');
          w.line("form.append(name, part instanceof Blob ? part : typeof part === 'object' ? JSON.stringify(part) : String(part));");
        });
      });
      w.line('return form;');
    });
  }
  if (usage.jsonText) {
    w.line();
    w.line('/** A parameter described with JSON `content`, as its JSON text (openapi-fetch would send `[object Object]`). */');
    w.block('function asJsonText<T>(value: T): T {', () => {
      w.line('return (value === undefined ? value : JSON.stringify(value)) as T;');
    });
  }
  if (usage.jsonItems) {
    w.line();
    w.line('/** An array of objects or arrays (a query\'s repeated fields, a path\'s list), as its items\' JSON text (OpenAPI defines no text for them; the runtime server reads JSON). */');
    w.block('function asJsonItems<T>(value: T): T {', () => {
      w.line("return (Array.isArray(value) ? value.map((item: unknown) => (typeof item === 'object' && item !== null ? JSON.stringify(item) : item)) : value) as T;");
    });
  }
  if (usage.jsonFields) {
    w.line();
    w.line('/** A query object\'s objects and arrays, as JSON text (OpenAPI defines no text for them; the runtime server reads JSON). */');
    w.block('function asJsonFields<T>(value: T): T {', () => {
      w.line("if (typeof value !== 'object' || value === null) return value;");
      w.line("return Object.fromEntries(Object.entries(value).map(([name, field]) => [name, typeof field === 'object' && field !== null ? JSON.stringify(field) : field])) as T;");
    });
  }
  if (usage.urlEncoded) {
    w.line();
    w.line('/**');
    w.line(' * application/x-www-form-urlencoded: arrays as repeated fields, other objects as JSON, and deepObject');
    w.line(' * fields in bracket notation at any depth (`items[0][price]=…`, as Stripe reads them).');
    w.line(' */');
    w.block('function toUrlEncoded(body: unknown, deepObjects: readonly string[] = []): string {', () => {
      w.line('const form = new URLSearchParams();');
      w.block('const appendDeep = (key: string, value: unknown): void => {', () => {
        w.line("if (value === null || typeof value !== 'object') return value === undefined ? undefined : form.append(key, String(value));");
        w.line('for (const [inner, part] of Object.entries(value)) appendDeep(`${key}[${inner}]`, part);');
      }, '};');
      w.block('for (const [name, value] of Object.entries(body as Record<string, unknown>)) {', () => {
        w.block("if (deepObjects.includes(name) && value !== null && typeof value === 'object') {", () => {
          w.line('appendDeep(name, value);');
          w.line('continue;');
        });
        w.block('for (const part of Array.isArray(value) ? value : [value]) {', () => {
          w.line('if (part === undefined || part === null) continue;');
          w.line("form.append(name, typeof part === 'object' ? JSON.stringify(part) : String(part));");
        });
      });
      w.line('return form.toString();');
    });
  }
  w.line();
  return `${w.toString()}${classes.toString()}\n${interfaces.toString()}`.replace(/\n{3,}/g, '\n\n').replace(/\n+$/, '\n');
}

export const clientTarget: Target = {
  name: 'client',
  description: 'Resource-shaped typed client on openapi-fetch and @finrail/runtime',
  requires: ['types'],
  generate(model: ApiModel, context: TargetContext): GeneratedFile[] {
    return [{ path: CLIENT_FILE, contents: generateClientSource(model, context) }];
  },
};
