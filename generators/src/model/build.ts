// buildApiModel: bundled OpenAPI document → the normalized ApiModel every target reads.
import { dedupe, deriveOperationId, identifier } from './names.ts';
import { cleanDocument } from './document-hygiene.ts';
import { mergeParameters, requestBodyOf, responsesOf } from './operation-parts.ts';
import { paginationOf } from './pagination.ts';
import { encodePointerSegment, extensionsOf, isRecord, resolveObject } from './refs.ts';
import { resourceNames } from './resources.ts';
import { securityRequirementsOf, securitySchemesOf } from './security.ts';
import type {
  ApiModel,
  CallbackModel,
  HttpMethod,
  JsonSchema,
  BundledDocument,
  OperationModel,
  SecurityRequirement,
  ServerModel,
  SpecSource,
  TagModel,
  WebhookModel,
} from './types.ts';

export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const IDEMPOTENCY_HEADERS = new Set(['idempotency-key', 'x-idempotency-key']);

type Obj = Record<string, unknown>;

interface RawOperation {
  method: HttpMethod;
  path: string;
  pointer: string;
  pathItem: Obj;
  operation: Obj;
}

export function buildApiModel(source: SpecSource): ApiModel {
  const document = source.document as BundledDocument;
  const ignoredSchemaKeywords = cleanDocument(document);
  const info = isRecord(document.info) ? document.info : {};
  const components = isRecord(document.components) ? document.components : {};
  const servers = serversOf(document.servers);
  const defaultSecurity = securityRequirementsOf(document.security) ?? [];

  const rawOperations = collectOperations(document, document.paths, '#/paths');
  const operations = finishOperations(document, rawOperations, defaultSecurity);

  const webhookEntries = collectOperations(document, document.webhooks, '#/webhooks');
  const webhookOps = finishOperations(document, webhookEntries, defaultSecurity);
  const webhooks: WebhookModel[] = webhookOps.map((op) => ({
    ...op,
    webhookName: op.path,
    resource: { path: [], method: op.name },
  }));

  return {
    specPath: source.path,
    openapi: source.openapi,
    openapiVersion: String(document.openapi),
    info: {
      title: typeof info.title === 'string' ? info.title : 'API',
      version: typeof info.version === 'string' ? info.version : '',
      summary: typeof info.summary === 'string' ? info.summary : undefined,
      description: typeof info.description === 'string' ? info.description : undefined,
    },
    servers,
    basePath: servers[0]?.basePath ?? '',
    tags: tagsOf(document.tags, operations),
    operations,
    webhooks,
    securitySchemes: securitySchemesOf(document),
    security: defaultSecurity,
    schemas: (isRecord(components.schemas) ? components.schemas : {}) as Record<string, JsonSchema>,
    document,
    ignoredSchemaKeywords,
  };
}

function collectOperations(document: Obj, paths: unknown, pointerRoot: string): RawOperation[] {
  const out: RawOperation[] = [];
  if (!isRecord(paths)) return out;
  for (const [path, rawItem] of Object.entries(paths)) {
    if (path.startsWith('x-')) continue;
    // A path item may be a $ref (3.1 components.pathItems): point into the object that holds the operations.
    const { value: pathItem, ref } = resolveObject(document, rawItem);
    const itemPointer = ref ?? `${pointerRoot}/${encodePointerSegment(path)}`;
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!isRecord(operation)) continue;
      out.push({ method, path, pointer: `${itemPointer}/${method}`, pathItem, operation });
    }
  }
  return out;
}

/** Stable operationIds (derived when missing, suffixed when duplicated) and unique method-safe names. */
function assignIds(raw: RawOperation[]): Array<{ operationId: string; source: OperationModel['operationIdSource']; name: string }> {
  const declared = raw.map((r) => (typeof r.operation.operationId === 'string' && r.operation.operationId.trim() !== '' ? r.operation.operationId : undefined));
  const ids = raw.map((r, i) => declared[i] ?? deriveOperationId(r.method, r.path));
  const uniqueIds = dedupe(ids, '_');
  const names = dedupe(uniqueIds.map((id) => identifier(id)));
  return raw.map((_, i) => ({
    operationId: uniqueIds[i]!,
    source: uniqueIds[i] !== ids[i] ? 'deduplicated' : declared[i] === undefined ? 'derived' : 'spec',
    name: names[i]!,
  }));
}

function finishOperations(document: Obj, raw: RawOperation[], defaultSecurity: SecurityRequirement[]): OperationModel[] {
  const ids = assignIds(raw);
  const resources = resourceNames(raw.map((r, i) => ({ method: r.method, path: r.path, operationId: ids[i]!.operationId, operationIdSource: ids[i]!.source, name: ids[i]!.name })));
  return raw.map((r, i) => {
    const { operation, pathItem } = r;
    const parameters = mergeParameters(document, pathItem.parameters, operation.parameters);
    const responses = responsesOf(document, operation.responses);
    const idempotency = parameters.find((p) => p.in === 'header' && IDEMPOTENCY_HEADERS.has(p.name.toLowerCase()));
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    return {
      operationId: ids[i]!.operationId,
      operationIdSource: ids[i]!.source,
      name: ids[i]!.name,
      method: r.method,
      path: r.path,
      pointer: r.pointer,
      tags: Array.isArray(operation.tags) ? operation.tags.filter((t): t is string => typeof t === 'string') : [],
      summary: text(operation.summary) ?? text(pathItem.summary),
      description: text(operation.description) ?? text(pathItem.description),
      deprecated: operation.deprecated === true,
      parameters,
      requestBody: requestBodyOf(document, operation.requestBody),
      responses,
      security: securityRequirementsOf(operation.security) ?? defaultSecurity,
      pagination: paginationOf(operation, r.method, parameters, responses, document),
      idempotencyHeader: idempotency?.name,
      callbacks: callbacksOf(document, operation.callbacks, r.pointer, defaultSecurity),
      resource: resources[i]!,
      extensions: extensionsOf(operation),
    };
  });
}

function callbacksOf(document: Obj, callbacks: unknown, pointer: string, defaultSecurity: SecurityRequirement[]): CallbackModel[] {
  if (!isRecord(callbacks)) return [];
  return Object.entries(callbacks).map(([name, raw]) => {
    const { value: callback } = resolveObject(document, raw);
    const base = `${pointer}/callbacks/${encodePointerSegment(name)}`;
    const expressions = Object.keys(callback).filter((key) => !key.startsWith('x-'));
    // Callback "paths" are runtime expressions, not resource paths: name them by operation only.
    const operations = finishOperations(document, collectOperations(document, callback, base), defaultSecurity).map((op) => ({
      ...op,
      resource: { path: [], method: op.name },
    }));
    return { name, expression: expressions[0] ?? '', operations };
  });
}

function serversOf(value: unknown): ServerModel[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((server) => {
    const url = typeof server.url === 'string' ? server.url : '/';
    const variables: ServerModel['variables'] = {};
    if (isRecord(server.variables)) {
      for (const [name, raw] of Object.entries(server.variables)) {
        if (!isRecord(raw)) continue;
        variables[name] = {
          default: String(raw.default ?? ''),
          enum: Array.isArray(raw.enum) ? raw.enum.map(String) : undefined,
          description: typeof raw.description === 'string' ? raw.description : undefined,
        };
      }
    }
    return {
      url,
      description: typeof server.description === 'string' ? server.description : undefined,
      variables,
      basePath: basePathOf(url, variables),
    };
  });
}

export function basePathOf(url: string, variables: ServerModel['variables'] = {}): string {
  const expanded = url.replace(/\{([^}]+)\}/g, (_, name: string) => variables[name]?.default ?? '');
  let path: string;
  try {
    path = new URL(expanded, 'http://finrail.invalid').pathname;
  } catch {
    path = '/';
  }
  return decodeURI(path).replace(/\/+$/, '');
}

function tagsOf(value: unknown, operations: OperationModel[]): TagModel[] {
  const tags: TagModel[] = [];
  const seen = new Set<string>();
  if (Array.isArray(value)) {
    for (const tag of value) {
      if (!isRecord(tag) || typeof tag.name !== 'string' || seen.has(tag.name)) continue;
      seen.add(tag.name);
      tags.push({ name: tag.name, description: typeof tag.description === 'string' ? tag.description : undefined });
    }
  }
  const undeclared = [...new Set(operations.flatMap((op) => op.tags))].filter((t) => !seen.has(t)).sort();
  return [...tags, ...undeclared.map((name) => ({ name }))];
}
