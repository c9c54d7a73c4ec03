// Converts OpenAPI Schema Objects into JSON Schema 2020-12 for ajv:
// - 3.0 semantics: `nullable`, boolean `exclusiveMinimum`/`exclusiveMaximum`; `nullable: true`
//   in a 3.1 document too (specs converted from 3.0 keep it, and the generated types and values
//   read it as null allowed: a typed client could otherwise send what the server refuses);
// - `discriminator` kept for ajv's `discriminator: true` where ajv supports it (oneOf of
//   branches with a const/enum tag, no mapping), otherwise rewritten to if/then per mapping entry;
// - `readOnly` properties are not required in requests, `writeOnly` ones not in responses;
// - `default` kept for requests (ajv `useDefaults` fills it in, as the generated types promise)
//   and dropped for responses, which validation must never modify, and for the schemas ajv only
//   tries (oneOf/anyOf branches, `not`, `if`): see `ConvertContext.tentative`;
// - annotations ajv does not know (`example`, `xml`, `externalDocs`, `x-*`) dropped;
// - local refs rewritten to the id each component schema is registered under, so ajv compiles a
//   component once and shares it: `#/components/schemas/X/properties/y` → `<base>X#/properties/y`;
//   refs to anywhere else in the document are inlined.
import { meetsFormat, patternRegExp } from '@finrail/server/validation';
import { getByRef, isRecord } from '../model/refs.ts';
import { declaresNull, pinnedValues, SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_VALUES } from '../model/schema-keywords.ts';
import type { JsonSchema } from '../model/types.ts';

export type SchemaDirection = 'request' | 'response';

export interface ConvertContext {
  openapi: '3.0' | '3.1';
  /** `undefined` converts for both directions (no readOnly/writeOnly filtering). */
  direction: SchemaDirection | undefined;
  /** The bundled document refs resolve against. */
  document: object;
  /** Component `X` is registered with ajv as `<componentIdBase>X`. */
  componentIdBase: string;
  /** Refs being inlined (guards against cycles outside components). */
  inlining?: Set<string>;
  /** Drop `default` keywords (the response view always does). */
  withoutDefaults?: boolean;
  /**
   * The context for schemas ajv only tries (oneOf/anyOf branches, `not`, `if`), when it differs.
   * ajv skips defaults written inline there, but a referenced component runs its own code, which
   * fills them in even when the branch then fails: the value that reaches the matching branch
   * carries a stranger's property, and `additionalProperties: false` rejects a valid request.
   */
  tentative?: ConvertContext;
}

const COMPONENT_REF = /^#\/components\/schemas\/([^/]+)(\/.*)?$/;

/** The ajv schema id of a component schema. */
export function componentId(context: Pick<ConvertContext, 'componentIdBase'>, name: string): string {
  return `${context.componentIdBase}${encodeURIComponent(name)}`;
}

const DROPPED = new Set(['example', 'xml', 'externalDocs', 'discriminator', 'nullable']);
const TENTATIVE = new Set(['anyOf', 'oneOf', 'not', 'if']);

export function convertSchema(schema: JsonSchema | undefined, context: ConvertContext): JsonSchema {
  if (schema === undefined) return true;
  if (typeof schema === 'boolean' || !isRecord(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (DROPPED.has(keyword) || keyword.startsWith('x-')) continue;
    if (keyword === 'default' && (context.direction === 'response' || context.withoutDefaults || !isFillable(value, schema, context))) continue;
    const inner = TENTATIVE.has(keyword) ? (context.tentative ?? context) : context;
    if (keyword === '$ref' && typeof value === 'string') {
      // A ref into a malformed keyword schema hygiene took out (dnd5eapi) constrains nothing.
      if (value.startsWith('#') && getByRef(context.document, value) === undefined) return true;
      const inlined = inlineForeignRef(value, context);
      if (inlined !== undefined) return inlined;
      out.$ref = rewriteRef(value, context);
    }
    else if (SCHEMA_MAPS.has(keyword) && isRecord(value)) out[keyword] = mapValues(value, (entry) => convertSchema(entry as JsonSchema, context));
    else if (SCHEMA_LISTS.has(keyword) && Array.isArray(value)) out[keyword] = value.map((entry) => convertSchema(entry as JsonSchema, inner));
    else if (keyword === 'type') out.type = normalizeType(value);
    else if (keyword === 'items' && Array.isArray(value)) out.prefixItems = value.map((entry) => convertSchema(entry as JsonSchema, context));
    else if (SCHEMA_VALUES.has(keyword) && (isRecord(value) || typeof value === 'boolean')) out[keyword] = convertSchema(value as JsonSchema, inner);
    else out[keyword] = value;
  }
  if (context.openapi === '3.0') convertExclusiveBounds(out);
  filterRequired(schema, out, context);
  const discriminated = applyDiscriminator(schema, out, context);
  return schema.nullable === true ? makeNullable(discriminated) : discriminated;
}

/**
 * Whether a `default` is valid by its own schema's rules, as it must be to be filled in. ajv fills
 * defaults in without checking them: `{ type: boolean, default: "true" }` on an optional query
 * parameter would turn every request that leaves it out into a 400 about a value the client never sent.
 */
function isFillable(value: unknown, schema: Record<string, unknown>, context: ConvertContext): boolean {
  return appliedSchemas(schema, context).every(
    (applied) => fitsType(value, applied) && isListed(value, applied) && meetsStringRules(value, applied) && meetsNumberRules(value, applied),
  );
}

/**
 * The schema and what it applies whole through `$ref` and `allOf`: a default must meet them all
 * (shipengine: `insured_value: { allOf: [$ref: monetary_value], default: [{ amount: 0 }] }`, an
 * array where the object the ref describes is required).
 */
function appliedSchemas(schema: Record<string, unknown>, context: ConvertContext, depth = 0): Array<Record<string, unknown>> {
  const applied = [schema];
  if (depth >= 8) return applied;
  const target = typeof schema.$ref === 'string' ? getByRef(context.document, schema.$ref) : undefined;
  const members = [...(isRecord(target) ? [target] : []), ...(Array.isArray(schema.allOf) ? schema.allOf.filter(isRecord) : [])];
  for (const member of members) applied.push(...appliedSchemas(member, context, depth + 1));
  return applied;
}

function fitsType(value: unknown, schema: Record<string, unknown>): boolean {
  const declared = normalizeType(schema.type);
  if (declared === undefined) return true;
  const types: unknown[] = Array.isArray(declared) ? [...declared] : [declared];
  if (declaresNull(schema)) types.push('null');
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return types.some((type) => type === actual || (type === 'integer' && Number.isInteger(value)));
}

/** Whether a `default` is one of the schema's `enum` values (rubrik: `default: Name`, `enum: [name, …]`), as it must be to be filled in. */
function isListed(value: unknown, schema: Record<string, unknown>): boolean {
  if (!Array.isArray(schema.enum)) return true;
  const key = JSON.stringify(value);
  return schema.enum.some((entry) => JSON.stringify(entry) === key);
}

/** Whether a string `default` meets its schema's length, pattern and format (optimade: `default: ""` with `format: email`). */
function meetsStringRules(value: unknown, schema: Record<string, unknown>): boolean {
  if (typeof value !== 'string') return true;
  const length = [...value].length;
  if ((typeof schema.minLength === 'number' && length < schema.minLength) || (typeof schema.maxLength === 'number' && length > schema.maxLength)) return false;
  if (typeof schema.format === 'string' && !meetsFormat(schema.format, value)) return false;
  return typeof schema.pattern !== 'string' || patternRegExp(schema.pattern, 'u').test(value);
}

/**
 * Whether a number `default` meets its schema's bounds and `multipleOf` (cloudrf: `mod: { minimum:
 * 1, default: 0 }`), the exclusive ones in their 3.0 (boolean) and 3.1 (numeric) forms.
 */
function meetsNumberRules(value: unknown, schema: Record<string, unknown>): boolean {
  if (typeof value !== 'number') return true;
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = schema;
  if (typeof minimum === 'number' && (exclusiveMinimum === true ? value <= minimum : value < minimum)) return false;
  if (typeof maximum === 'number' && (exclusiveMaximum === true ? value >= maximum : value > maximum)) return false;
  if (typeof exclusiveMinimum === 'number' && value <= exclusiveMinimum) return false;
  if (typeof exclusiveMaximum === 'number' && value >= exclusiveMaximum) return false;
  return typeof multipleOf !== 'number' || multipleOf <= 0 || Number.isInteger(value / multipleOf);
}

/** YAML `type: [string, null]` parses to a real null where JSON Schema means the type name 'null'. */
function normalizeType(type: unknown): unknown {
  if (type === null) return 'null';
  return Array.isArray(type) ? type.map((entry) => (entry === null ? 'null' : entry)) : type;
}

/** `Object.fromEntries` defines every key as an own property, `__proto__` included (assignment would set the prototype). */
function mapValues(record: Record<string, unknown>, convert: (value: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, convert(value)]));
}

export function rewriteRef(ref: string, context: ConvertContext): string {
  const match = COMPONENT_REF.exec(ref);
  if (!match) return ref;
  const id = componentId(context, decodePointer(match[1]!));
  return match[2] ? `${id}#${match[2]}` : id;
}

function decodePointer(segment: string): string {
  return decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A local ref outside `#/components/schemas` is replaced by the converted schema it points at. */
function inlineForeignRef(ref: string, context: ConvertContext): JsonSchema | undefined {
  if (!ref.startsWith('#') || COMPONENT_REF.test(ref)) return undefined;
  const inlining = context.inlining ?? new Set<string>();
  if (inlining.has(ref)) return true;
  const target = getByRef(context.document, ref);
  if (target === undefined) return undefined;
  inlining.add(ref);
  try {
    return convertSchema(target as JsonSchema, { ...context, inlining });
  } finally {
    inlining.delete(ref);
  }
}

/** 3.0 (JSON Schema draft 4) booleans → 2020-12 numbers. */
function convertExclusiveBounds(out: Record<string, unknown>): void {
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[exclusive] !== 'boolean') continue;
    if (out[exclusive] === true && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      delete out[bound];
    } else {
      delete out[exclusive];
    }
  }
}

function makeNullable(out: JsonSchema): JsonSchema {
  if (!isRecord(out)) return out;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
  if (Array.isArray(out.type)) return out.type.includes('null') ? out : { ...out, type: [...out.type, 'null'] };
  const constrained = ['$ref', 'allOf', 'anyOf', 'oneOf', 'enum', 'const', 'not'].some((keyword) => keyword in out);
  return constrained ? { anyOf: [out, { type: 'null' }] } : out;
}

/** readOnly properties are never sent by clients, writeOnly ones never returned by servers. */
function filterRequired(schema: Record<string, unknown>, out: Record<string, unknown>, context: ConvertContext): void {
  if (context.direction === undefined || !Array.isArray(out.required) || !isRecord(schema.properties)) return;
  const flag = context.direction === 'request' ? 'readOnly' : 'writeOnly';
  const properties = schema.properties;
  const kept = (out.required as unknown[]).filter((name) => {
    const property = properties[name as string];
    return !(isRecord(property) && resolveSchema(property, context)[flag] === true);
  });
  if (kept.length === (out.required as unknown[]).length) return;
  if (kept.length === 0) delete out.required;
  else out.required = kept;
}

function resolveSchema(schema: Record<string, unknown>, context: ConvertContext): Record<string, unknown> {
  let current: unknown = schema;
  for (let depth = 0; depth < 16 && isRecord(current) && typeof current.$ref === 'string' && Object.keys(current).length === 1; depth++) {
    current = getByRef(context.document, current.$ref);
  }
  return isRecord(current) ? current : {};
}

function applyDiscriminator(schema: Record<string, unknown>, out: Record<string, unknown>, context: ConvertContext): JsonSchema {
  const discriminator = schema.discriminator;
  if (!isRecord(discriminator) || typeof discriminator.propertyName !== 'string') return out;
  const tag = discriminator.propertyName;
  const combinator = Array.isArray(schema.oneOf) ? 'oneOf' : Array.isArray(schema.anyOf) ? 'anyOf' : undefined;
  // A discriminator without oneOf/anyOf (allOf inheritance) only hints at code generation.
  if (!combinator) return out;
  const branches = schema[combinator] as unknown[];
  if (combinator === 'oneOf' && discriminator.mapping === undefined && ajvSupports(schema, branches, tag, context)) {
    out.discriminator = { propertyName: tag };
    // ajv's discriminator runs the tagged branch alone: its defaults are safe to fill in.
    out.oneOf = branches.map((branch) => convertSchema(branch as JsonSchema, context));
    return out;
  }
  const mapping = discriminatorMapping(discriminator, branches, tag, context);
  if (!mapping) return out;
  const { [combinator]: _branches, ...rest } = out;
  const allOf = Array.isArray(rest.allOf) ? [...rest.allOf] : [];
  allOf.push({ required: [tag], properties: { [tag]: { enum: [...mapping.keys()] } } });
  for (const [value, ref] of mapping) {
    allOf.push({ if: { properties: { [tag]: { const: value } }, required: [tag] }, then: branchSchema(ref, schema, context) });
  }
  return { ...rest, allOf };
}

/**
 * A mapped branch, normally by reference. A branch that inherits from the discriminating schema
 * (`Cat: allOf: [$ref Pet, ...]` under `Pet: oneOf: [Cat, ...]`) is inlined without that
 * back-reference: following it would validate Pet → Cat → Pet → … forever.
 */
function branchSchema(ref: string, parent: Record<string, unknown>, context: ConvertContext): JsonSchema {
  const target = getByRef(context.document, ref);
  if (!isRecord(target) || !Array.isArray(target.allOf) || !target.allOf.some((part) => refersTo(part, parent, context))) {
    return { $ref: rewriteRef(ref, context) };
  }
  return convertSchema({ ...target, allOf: target.allOf.filter((part) => !refersTo(part, parent, context)) }, context);
}

function refersTo(part: unknown, schema: Record<string, unknown>, context: ConvertContext): boolean {
  return isRecord(part) && typeof part.$ref === 'string' && getByRef(context.document, part.$ref) === schema;
}

/** ajv's discriminator needs each branch to pin the tag with const/enum and to require it. */
function ajvSupports(schema: Record<string, unknown>, branches: unknown[], tag: string, context: ConvertContext): boolean {
  const requiredAtTop = Array.isArray(schema.required) && schema.required.includes(tag);
  const seen = new Set<unknown>();
  for (const branch of branches) {
    if (!isRecord(branch)) return false;
    const resolved = typeof branch.$ref === 'string' ? getByRef(context.document, branch.$ref) : branch;
    if (!isRecord(resolved)) return false;
    if (Array.isArray(resolved.allOf) && resolved.allOf.some((part) => refersTo(part, schema, context))) return false;
    const values = ownTagValues(resolved, tag);
    if (!values || values.some((value) => seen.has(value))) return false;
    values.forEach((value) => seen.add(value));
    if (!requiredAtTop && !(Array.isArray(resolved.required) && resolved.required.includes(tag))) return false;
  }
  return true;
}

/**
 * Tag value → schema ref, from the explicit mapping, then for each branch left the tag values it
 * pins itself (const/enum) or else its component name (OpenAPI's implicit mapping). Specs that pin
 * `type: enum: [track]` in TrackObject without a mapping (spotify) send "track", not "TrackObject".
 */
function discriminatorMapping(discriminator: Record<string, unknown>, branches: unknown[], tag: string, context: ConvertContext): Map<string, string> | undefined {
  const mapping = new Map<string, string>();
  if (isRecord(discriminator.mapping)) {
    for (const [value, target] of Object.entries(discriminator.mapping)) {
      if (typeof target !== 'string') continue;
      mapping.set(value, target.startsWith('#') || target.includes('/') ? target : `#/components/schemas/${target}`);
    }
  }
  const targets = new Set(mapping.values());
  for (const branch of branches) {
    // Inline branches cannot be selected by tag value: keep the plain combinator.
    if (!isRecord(branch) || typeof branch.$ref !== 'string') return undefined;
    if (targets.has(branch.$ref)) continue;
    const pinned = pinnedTagValues(branch, tag, context.document);
    for (const value of pinned ?? [branch.$ref.slice(branch.$ref.lastIndexOf('/') + 1)]) if (!mapping.has(value)) mapping.set(value, branch.$ref);
  }
  return mapping.size > 0 ? mapping : undefined;
}

/** The string values a schema's own `properties` allow its tag (`const` or `enum`), if they pin them. */
function ownTagValues(schema: unknown, tag: string): string[] | undefined {
  const property = isRecord(schema) && isRecord(schema.properties) ? schema.properties[tag] : undefined;
  if (!isRecord(property)) return undefined;
  const values = pinnedValues(property);
  return values && values.length > 0 && values.every((value) => typeof value === 'string') ? (values as string[]) : undefined;
}

/** The tag values a schema pins, in its own properties or in what it inherits through `$ref` and `allOf`. */
function pinnedTagValues(schema: unknown, tag: string, document: unknown, depth = 0): string[] | undefined {
  if (!isRecord(schema) || depth > 16) return undefined;
  if (typeof schema.$ref === 'string') return pinnedTagValues(getByRef(document, schema.$ref), tag, document, depth + 1);
  const own = ownTagValues(schema, tag);
  if (own || !Array.isArray(schema.allOf)) return own;
  for (const part of schema.allOf) {
    const inherited = pinnedTagValues(part, tag, document, depth + 1);
    if (inherited) return inherited;
  }
  return undefined;
}
