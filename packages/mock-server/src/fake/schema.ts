/**
 * The slice of JSON Schema / OpenAPI Schema Object the generator reads. Schemas come straight from
 * a bundled OpenAPI document (3.0 or 3.1), so every keyword is optional and loosely typed.
 */
export interface SchemaObject {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  items?: Schema | Schema[];
  prefixItems?: Schema[];
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  contains?: Schema;
  minContains?: number;
  maxContains?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema;
  minProperties?: number;
  maxProperties?: number;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  discriminator?: Discriminator;
  readOnly?: boolean;
  writeOnly?: boolean;
  [keyword: string]: unknown;
}

export type Schema = SchemaObject | boolean;

export interface Discriminator {
  propertyName: string;
  mapping?: Record<string, string>;
}

export function isSchemaObject(schema: unknown): schema is SchemaObject {
  return schema !== null && typeof schema === 'object' && !Array.isArray(schema);
}

/**
 * The schema a local `$ref` ('#/components/schemas/Pet') points at; `true` (anything) when the
 * target does not exist. This module imports nothing from other workspaces so the msw generator
 * target can embed it (see generators/src/targets/msw).
 */
export function resolveSchemaRef(document: unknown, ref: string): Schema {
  if (!ref.startsWith('#')) return true;
  let node: unknown = document;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return true;
    node = (node as Record<string, unknown>)[decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node === undefined ? true : (node as Schema);
}

/** The `$ref` a discriminator's mapping value stands for: it is a reference, or a bare component name. */
export function mappingRef(value: string): string {
  return value.includes('/') ? value : `#/components/schemas/${value}`;
}

/** The tag a discriminator's mapping gives the schema at `ref`, when the mapping lists it. */
export function mappedTag(discriminator: Discriminator, ref: string): string | undefined {
  for (const [tag, value] of Object.entries(discriminator.mapping ?? {})) if (mappingRef(value) === ref) return tag;
  return undefined;
}
