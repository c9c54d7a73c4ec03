// The flattened parameter shape of a generated method: every path, query, header and cookie
// parameter becomes a camelCase property of one `params` object; the request body is `params.body`.
import { isJsonMediaType } from '@finrail/server';
import { camelCase, identifier } from '../../model/names.ts';
import { onlyValue } from '../../model/discriminators.ts';
import { derefSchema, isRecord } from '../../model/refs.ts';
import type { ApiModel, JsonSchema, OperationModel, ParameterModel } from '../../model/types.ts';

export interface FlatParam {
  /** Property name in the flattened params object. */
  property: string;
  param: ParameterModel;
  /** False for the idempotency header (the runtime generates one) and for a parameter with one allowed value. */
  required: boolean;
  /**
   * The one value a required query or header parameter allows (AWS's `Action: CreateQueue`): sent
   * when the caller leaves the parameter out.
   */
  constant?: string | number | boolean;
}

/** A parameter described by JSON `content` goes as its JSON text (and the server reads it back so); any other as its style writes it. */
export function isJsonContentParameter(param: ParameterModel): boolean {
  return param.contentType !== undefined && isJsonMediaType(param.contentType);
}

/**
 * An array parameter whose items are objects or arrays: a query one sent as repeated fields (form,
 * exploded: AWS's query-protocol `Tags`), or a path one (a list of lists). OpenAPI defines no text
 * for such items; Finrail sends each as its JSON text (`Tags={"Key":"env","Value":"prod"}`), which
 * the runtime server reads back, as it does for a form body's object fields.
 */
export function isJsonItemsArrayParameter(model: ApiModel, param: ParameterModel): boolean {
  const schema = param.in === 'path' ? pathSchema(model, param) : explodedFormQuerySchema(model, param);
  return schema !== undefined && schemaKind(schema, model) === 'array' && schemaKind(schema.items as JsonSchema | undefined, model) !== 'primitive';
}

/** The (dereferenced) schema of a path parameter written by its style, else undefined. */
function pathSchema(model: ApiModel, param: ParameterModel): Record<string, unknown> | undefined {
  if (param.contentType !== undefined) return undefined;
  const schema = derefSchema(model.document, param.schema);
  return isRecord(schema) ? schema : undefined;
}

/** The (dereferenced) schema of a query parameter sent form-exploded from its schema, else undefined. */
function explodedFormQuerySchema(model: ApiModel, param: ParameterModel): Record<string, unknown> | undefined {
  if (param.in !== 'query' || param.contentType !== undefined || param.style !== 'form' || !param.explode) return undefined;
  const schema = derefSchema(model.document, param.schema);
  return isRecord(schema) ? schema : undefined;
}

/**
 * A form-exploded query object with objects or arrays among its properties (AWS query protocol:
 * `EventDestination.MatchingEventTypes`): OpenAPI defines no text for those, so the client sends
 * each as its JSON text (asJsonFields), which the runtime server reads.
 */
export function isNestingQueryObjectParameter(model: ApiModel, param: ParameterModel): boolean {
  const schema = explodedFormQuerySchema(model, param);
  if (schema === undefined || schemaKind(schema, model) !== 'object' || !isRecord(schema.properties)) return false;
  return Object.values(schema.properties).some((property) => schemaKind(property as JsonSchema, model) !== 'primitive');
}

const LOCATION_PREFIX = { path: 'path', query: 'query', header: 'header', cookie: 'cookie' } as const;

/** Flattened properties, camelCase; a name two parameters (or `body`) would share is prefixed by location. */
export function flattenParams(op: OperationModel, model: ApiModel): FlatParam[] {
  const base = op.parameters.map((param) => identifier(param.name, 'param'));
  const counts = new Map<string, number>();
  for (const name of base) counts.set(name, (counts.get(name) ?? 0) + 1);
  const taken = new Set<string>(['body']);
  return op.parameters.map((param, i) => {
    let property = base[i]!;
    if ((counts.get(property) ?? 0) > 1 || taken.has(property)) property = camelCase(`${LOCATION_PREFIX[param.in]} ${param.name}`) || property;
    while (taken.has(property)) property = `${property}_`;
    taken.add(property);
    const isIdempotency = param.in === 'header' && param.name === op.idempotencyHeader;
    const constant = param.required && (param.in === 'query' || param.in === 'header') ? onlyValue(model, param.schema) : undefined;
    return { property, param, required: param.required && !isIdempotency && constant === undefined, ...(constant !== undefined && { constant }) };
  });
}

function schemaKind(schema: JsonSchema | undefined, model: ApiModel, depth = 0): 'array' | 'object' | 'primitive' {
  const resolved = derefSchema(model.document, schema);
  if (!isRecord(resolved)) return 'primitive';
  const types = Array.isArray(resolved.type) ? resolved.type : [resolved.type];
  if (types.includes('array') || 'items' in resolved) return 'array';
  if (types.includes('object') || 'properties' in resolved || 'additionalProperties' in resolved) return 'object';
  // AWS wraps every property: `allOf: [{ $ref }, { description }]`.
  if (Array.isArray(resolved.allOf) && depth < 8) {
    for (const member of resolved.allOf) {
      const kind = schemaKind(member as JsonSchema, model, depth + 1);
      if (kind !== 'primitive') return kind;
    }
  }
  return 'primitive';
}

/**
 * openapi-fetch's per-request `querySerializer` options when the operation's query parameters
 * are not serialized the way openapi-fetch does by default (arrays: form+explode; objects:
 * deepObject). OpenAPI's own default for objects is form+explode, so plain object parameters
 * need this too. undefined when the defaults fit.
 */
export function querySerializerOptions(op: OperationModel, model: ApiModel): string | undefined {
  const parts: string[] = [];
  const query = op.parameters.filter((p) => p.in === 'query' && p.contentType === undefined);
  const array = query.find((p) => schemaKind(p.schema, model) === 'array');
  if (array && (array.style !== 'form' || !array.explode)) {
    const style = array.style === 'spaceDelimited' || array.style === 'pipeDelimited' ? array.style : 'form';
    parts.push(`array: { style: '${style}', explode: ${array.explode} }`);
  }
  const object = query.find((p) => schemaKind(p.schema, model) === 'object');
  if (object && object.style !== 'deepObject') parts.push(`object: { style: 'form', explode: ${object.explode} }`);
  if (query.some((p) => p.allowReserved)) parts.push('allowReserved: true');
  return parts.length > 0 ? `{ ${parts.join(', ')} }` : undefined;
}
