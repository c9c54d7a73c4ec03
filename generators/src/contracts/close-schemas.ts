// "A response may omit optional fields but never carry an undeclared one": returns a copy of an
// OpenAPI document in which every place a response value sits is closed with
// `unevaluatedProperties: false`, unless its schema explicitly allows extra properties
// (`additionalProperties` or `patternProperties`) or is a free-form object.
//
// Closing has to happen where a value sits (the response body, a property, an array item), not on
// each schema: in 2020-12 `unevaluatedProperties` sees the properties evaluated by `$ref`, `allOf`
// and the passing `oneOf`/`anyOf` branch, so `{ allOf: [{ $ref: Base }, Extra], ... }` stays valid,
// whereas closing `Base` itself would reject `Extra`'s properties.
import { getByRef, isRecord } from '../model/refs.ts';
import type { JsonSchema } from '../model/types.ts';

const SAME_PLACE_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;
const SAME_PLACE_VALUES = ['not', 'if', 'then', 'else'] as const;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export function closeResponseSchemas<T extends object>(document: T): T {
  const copy = structuredClone(document) as Record<string, unknown>;
  const closer = new Closer(document);
  const components = isRecord(copy.components) ? copy.components : undefined;
  if (components && isRecord(components.schemas)) {
    for (const [name, schema] of Object.entries(components.schemas)) {
      components.schemas[name] = closer.inner(schema as JsonSchema);
    }
  }
  const responses: unknown[] = [];
  if (components && isRecord(components.responses)) responses.push(...Object.values(components.responses));
  for (const pathItem of Object.values(isRecord(copy.paths) ? copy.paths : {})) {
    if (!isRecord(pathItem)) continue;
    for (const method of METHODS) {
      const operation = pathItem[method];
      if (isRecord(operation) && isRecord(operation.responses)) responses.push(...Object.values(operation.responses));
    }
  }
  for (const response of responses) {
    if (!isRecord(response) || !isRecord(response.content)) continue;
    for (const media of Object.values(response.content)) {
      if (isRecord(media) && media.schema !== undefined) media.schema = closer.place(media.schema as JsonSchema);
    }
  }
  return copy as T;
}

class Closer {
  readonly #document: object;
  constructor(document: object) {
    this.#document = document;
  }

  /** A schema describing the whole value at one place in the response. */
  place(schema: JsonSchema): JsonSchema {
    const inner = this.inner(schema);
    if (!isRecord(inner) || this.#declaresProperties(schema, new Set()) !== 'closed-candidate') return inner;
    const needsWrapper = '$ref' in inner || SAME_PLACE_LISTS.some((k) => k in inner);
    return needsWrapper ? { allOf: [inner], unevaluatedProperties: false } : { ...inner, unevaluatedProperties: false };
  }

  /** The schema's own keywords, with every nested place closed; the schema itself left open. */
  inner(schema: JsonSchema): JsonSchema {
    if (!isRecord(schema)) return schema;
    const out: Record<string, unknown> = { ...schema };
    if (isRecord(schema.properties)) {
      out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, this.place(v as JsonSchema)]));
    }
    if (isRecord(schema.patternProperties)) {
      out.patternProperties = Object.fromEntries(
        Object.entries(schema.patternProperties).map(([k, v]) => [k, this.place(v as JsonSchema)]),
      );
    }
    if (isRecord(schema.additionalProperties)) out.additionalProperties = this.place(schema.additionalProperties);
    if (isRecord(schema.items)) out.items = this.place(schema.items);
    else if (Array.isArray(schema.items)) out.items = schema.items.map((item) => this.place(item as JsonSchema));
    if (Array.isArray(schema.prefixItems)) out.prefixItems = schema.prefixItems.map((item) => this.place(item as JsonSchema));
    for (const keyword of SAME_PLACE_LISTS) {
      if (Array.isArray(schema[keyword])) out[keyword] = (schema[keyword] as JsonSchema[]).map((s) => this.inner(s));
    }
    for (const keyword of SAME_PLACE_VALUES) {
      if (isRecord(schema[keyword])) out[keyword] = this.inner(schema[keyword] as JsonSchema);
    }
    return out;
  }

  /**
   * 'closed-candidate' when the value may be an object whose properties are declared somewhere and
   * nothing on the way explicitly opens it. Follows refs and same-place combinators; cycles are cut.
   */
  #declaresProperties(schema: JsonSchema, seen: Set<string>): 'closed-candidate' | 'open' | 'none' {
    if (!isRecord(schema)) return schema === false ? 'none' : 'open';
    if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) return 'open';
    if (schema.unevaluatedProperties !== undefined && schema.unevaluatedProperties !== false) return 'open';
    if (isRecord(schema.patternProperties) && Object.keys(schema.patternProperties).length > 0) return 'open';
    let result: 'closed-candidate' | 'none' = isRecord(schema.properties) ? 'closed-candidate' : 'none';
    if (typeof schema.$ref === 'string' && !seen.has(schema.$ref)) {
      seen.add(schema.$ref);
      const target = getByRef(this.#document, schema.$ref);
      const inner = target === undefined ? 'open' : this.#declaresProperties(target as JsonSchema, seen);
      if (inner === 'open') return 'open';
      if (inner === 'closed-candidate') result = inner;
    }
    for (const keyword of SAME_PLACE_LISTS) {
      if (!Array.isArray(schema[keyword])) continue;
      for (const branch of schema[keyword] as JsonSchema[]) {
        const inner = this.#declaresProperties(branch, seen);
        // In allOf every branch applies, so one open branch opens the place; in oneOf/anyOf an open
        // branch is only one alternative and closing still constrains the others.
        if (inner === 'open' && keyword === 'allOf') return 'open';
        if (inner === 'closed-candidate') result = inner;
      }
    }
    return result;
  }
}
