// What the JSON Schema keywords hold: subschemas (the keywords a walk over a schema descends
// through), data (never walked as schemas), the type names, and the values a schema pins.

/** Keywords whose values are data, not schemas: an example or a default may hold any key (`$ref`, `properties`). */
export const DATA_KEYWORDS: ReadonlySet<string> = new Set(['example', 'examples', 'default', 'const', 'enum']);

/** The values `type` may take. */
export const JSON_TYPES: ReadonlySet<string> = new Set(['null', 'boolean', 'object', 'array', 'number', 'integer', 'string']);

/** Keywords whose value maps names to subschemas. */
export const SCHEMA_MAPS: ReadonlySet<string> = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose value is a list of subschemas (`items` too, as a 3.0/draft-04 tuple). */
export const SCHEMA_LISTS: ReadonlySet<string> = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Keywords whose value is one subschema. */
export const SCHEMA_VALUES: ReadonlySet<string> = new Set([
  'additionalProperties',
  'unevaluatedProperties',
  'items',
  'additionalItems',
  'unevaluatedItems',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'contentSchema',
]);

/** Whether a schema's own keywords admit null: 3.0's `nullable: true`, or `null` among 3.1's types. */
export function declaresNull(schema: Record<string, unknown>): boolean {
  return schema.nullable === true || [schema.type].flat().includes('null');
}

/** The values a schema allows by `const` or `enum` (undefined when it pins none). */
export function pinnedValues(schema: Record<string, unknown>): unknown[] | undefined {
  if ('const' in schema) return [schema.const];
  return Array.isArray(schema.enum) ? schema.enum : undefined;
}
