// What the model reads differently from the letter of a spec, done once to the bundled document
// before any target reads it.
//
// Published specs carry schema keywords no JSON Schema tool can compile: Swagger 2's
// `required: true` on a property, numbers written as strings (`minLength: "3"`), `enum: x`,
// `examples` as a map where JSON Schema has a list, a schema where a type name belongs (codat:
// `type: { type: string }`), patterns in another regex dialect (`(?i)`). Validators, mock data and
// types are built from what remains instead of refusing the whole spec; `finrail lint` still
// reports the spec as it is written. Some mistakes are read as what their authors meant rather
// than dropped: see constrainsComposedProperties, basesConstrainingExtensions, nullBesideAlternatives,
// nullAmongAllOf and undeclaredRequired; an enum wins over a format its values break.
import { meetsFormat, patternRegExp } from '@finrail/server/validation';
import { encodePointerSegment, getByRef, isRecord } from './refs.ts';
import { DATA_KEYWORDS, JSON_TYPES, SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_VALUES } from './schema-keywords.ts';
import type { IgnoredSchemaKeyword } from './types.ts';

const NUMERIC = new Set(['minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'minimum', 'maximum', 'multipleOf']);

/**
 * In OpenAPI 3.0 a Reference Object's other keywords "SHALL be ignored" (britbox: `$ref` to an
 * object beside `type: string`, which no value meets). Kept: annotations, and `nullable`,
 * `readOnly` and `writeOnly`, which specs put beside a `$ref` meaning it and tools honour.
 */
const REF_SIBLINGS_KEPT = new Set(['$ref', 'nullable', 'readOnly', 'writeOnly', 'description', 'title', 'summary', 'example', 'examples', 'default', 'deprecated', 'externalDocs', 'xml']);

/**
 * Header parameters named Accept, Content-Type or Authorization, which OpenAPI says SHALL be
 * ignored (content negotiation and security schemes own them; vtex declares them as required).
 */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/**
 * Cleans `document` in place: malformed schema keywords out (returned, for a warning), ignored
 * header parameters out of every `parameters` list, media type keys made single media types.
 */
export function cleanDocument(document: object): IgnoredSchemaKeyword[] {
  const dropped: IgnoredSchemaKeyword[] = [];
  const seen = new WeakSet<object>();
  const openapi30 = isRecord(document) && typeof document.openapi === 'string' && document.openapi.startsWith('3.0');

  const visitSchema = (schema: unknown, pointer: string): void => {
    if (!isRecord(schema) || seen.has(schema)) return;
    seen.add(schema);
    if (openapi30 && typeof schema.$ref === 'string') {
      for (const keyword of Object.keys(schema)) {
        if (REF_SIBLINGS_KEPT.has(keyword) || keyword.startsWith('x-')) continue;
        delete schema[keyword];
        dropped.push({ pointer: `${pointer}/${encodePointerSegment(keyword)}`, keyword });
      }
    }
    for (const base of basesConstrainingExtensions(document, schema)) {
      for (const keyword of ['additionalProperties', 'unevaluatedProperties'] as const) {
        if (base.schema[keyword] === undefined || base.schema[keyword] === true) continue;
        delete base.schema[keyword];
        dropped.push({ pointer: `${base.pointer}/${keyword}`, keyword });
      }
    }
    if (constrainsComposedProperties(schema)) {
      schema.unevaluatedProperties = schema.additionalProperties;
      delete schema.additionalProperties;
      dropped.push({ pointer: `${pointer}/additionalProperties`, keyword: 'additionalProperties' });
    }
    // The values an enum lists win over a format they do not meet (sendgrid: `enum: [now]`, `format: date-time`).
    if (typeof schema.format === 'string' && Array.isArray(schema.enum) && schema.enum.some((value) => typeof value === 'string' && !meetsFormat(schema.format as string, value))) {
      delete schema.format;
      dropped.push({ pointer: `${pointer}/format`, keyword: 'format' });
    }
    const alternatives = nullBesideAlternatives(schema);
    if (alternatives) {
      delete schema.type;
      alternatives.push({ type: 'null' });
      dropped.push({ pointer: `${pointer}/type`, keyword: 'type' });
    }
    const nullMember = nullAmongAllOf(schema);
    if (nullMember !== undefined) {
      const members = (schema.allOf as unknown[]).filter((_, index) => index !== nullMember);
      delete schema.allOf;
      schema.anyOf = [members.length === 1 ? members[0] : { allOf: members }, { type: 'null' }];
      dropped.push({ pointer: `${pointer}/allOf/${nullMember}`, keyword: 'allOf' });
    }
    const undeclared = undeclaredRequired(schema);
    if (undeclared.length > 0) {
      const required = schema.required as string[];
      for (const name of undeclared) dropped.push({ pointer: `${pointer}/required/${required.indexOf(name)}`, keyword: 'required' });
      schema.required = required.filter((name) => !undeclared.includes(name));
    }
    for (const [keyword, value] of Object.entries(schema)) {
      const at = `${pointer}/${encodePointerSegment(keyword)}`;
      if (isMalformed(keyword, value, schema)) {
        delete schema[keyword];
        dropped.push({ pointer: at, keyword });
      } else if (SCHEMA_MAPS.has(keyword) && isRecord(value)) {
        for (const [name, entry] of Object.entries(value)) visitSchema(entry, `${at}/${encodePointerSegment(name)}`);
      } else if ((SCHEMA_LISTS.has(keyword) || keyword === 'items') && Array.isArray(value)) {
        value.forEach((entry, index) => visitSchema(entry, `${at}/${index}`));
      } else if (SCHEMA_VALUES.has(keyword)) {
        visitSchema(value, at);
      }
    }
  };

  // Outside schemas: every `schema` value and every entry of `components.schemas` is one.
  const visitDescription = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) return node.forEach((entry, index) => visitDescription(entry, `${pointer}/${index}`));
    if (!isRecord(node) || seen.has(node)) return;
    seen.add(node);
    for (const [key, value] of Object.entries(node)) {
      const at = `${pointer}/${encodePointerSegment(key)}`;
      if (DATA_KEYWORDS.has(key) || key.startsWith('x-')) continue;
      if (key === 'parameters' && Array.isArray(value)) node[key] = value.filter((entry) => !isIgnoredHeader(document, entry));
      if (key === 'content' && isRecord(value)) node[key] = mediaTypesSplit(value);
      if (key === 'schema') visitSchema(value, at);
      else if (key === 'schemas' && pointer === '/components' && isRecord(value)) {
        for (const [name, entry] of Object.entries(value)) visitSchema(entry, `${at}/${encodePointerSegment(name)}`);
      } else visitDescription(node[key], at);
    }
  };

  visitDescription(document, '');
  return dropped;
}

/**
 * Media type keys as clients send them: a list (`application/json, application/xml`; webflow's
 * `, application/json`) becomes one entry per media type, and a nameless one beside named ones
 * (spoonacular's `""`) goes. A key that names nothing else stays as written.
 */
function mediaTypesSplit(content: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(content);
  if (keys.every((key) => key !== '' && !key.includes(','))) return content;
  const split: Record<string, unknown> = {};
  for (const key of keys) {
    const names = key.split(',').map((name) => name.trim()).filter((name) => name.includes('/'));
    for (const name of names.length > 0 ? names : keys.length === 1 ? [key] : []) split[name] ??= content[key];
  }
  return split;
}

function isIgnoredHeader(document: object, entry: unknown): boolean {
  const parameter = isRecord(entry) && typeof entry.$ref === 'string' ? getByRef(document, entry.$ref) : entry;
  return isRecord(parameter) && parameter.in === 'header' && typeof parameter.name === 'string' && IGNORED_HEADERS.has(parameter.name.toLowerCase());
}

function isMalformed(keyword: string, value: unknown, schema: Record<string, unknown>): boolean {
  if (NUMERIC.has(keyword)) return typeof value !== 'number';
  if (keyword === 'required') return !Array.isArray(value) || value.some((name) => typeof name !== 'string');
  // codat: a schema's `examples` written as a map of named examples, as a media type's are.
  if (keyword === 'examples') return !Array.isArray(value);
  // dnd5eapi: `allOf: { "3": {...} }`, a list written as a map.
  if (SCHEMA_LISTS.has(keyword)) return !Array.isArray(value) || value.some((entry) => !isRecord(entry) && typeof entry !== 'boolean');
  if (keyword === 'properties') return !isRecord(value);
  // mercedes-benz: `type: object` with `properties` and `enum: [PKW, VAN]`; no value could be valid.
  if (keyword === 'enum') return !Array.isArray(value) || (value.length > 0 && !value.some((entry) => (entry === null && schema.nullable === true) || hasDeclaredType(entry, schema.type)));
  if (keyword === 'type') return !(Array.isArray(value) ? value : [value]).every((type) => type === null || JSON_TYPES.has(type as string));
  if (keyword === 'pattern') return typeof value !== 'string' || !compiles(value) || isRegexLiteral(value);
  return false;
}

/**
 * A pattern written as a JavaScript regex literal (sinao: `/^.*[a-z]+.*$/i`): read as JSON Schema
 * says, a `^` right after a `/` matches nothing, and the flags cannot be carried over.
 */
function isRegexLiteral(pattern: string): boolean {
  return /^\/\^.*\/[dgimsuvy]*$/s.test(pattern);
}

const COMPOSITIONS = ['allOf', 'anyOf', 'oneOf'] as const;

/**
 * `additionalProperties: false` beside allOf/anyOf/oneOf rejects every property the branches
 * declare and the schema itself does not, so values with them, required or not, are never valid
 * (bbc: `image_link.image`, no property of its own); a schema there (azure datafactory: `Factory`,
 * whose other properties must be objects, over a `Resource` with a string `location`) holds the
 * branches' properties to it. What the author meant is `unevaluatedProperties` with the same value,
 * which sees into the branches. Branches that only pick among the schema's own properties (GitHub:
 * `anyOf: [{ required: [state] }, { required: [assignees] }]`) are no such case.
 */
function constrainsComposedProperties(schema: Record<string, unknown>): boolean {
  if (schema.additionalProperties === undefined || schema.additionalProperties === true) return false;
  const own = isRecord(schema.properties) ? schema.properties : {};
  return COMPOSITIONS.some((keyword) => Array.isArray(schema[keyword]) && schema[keyword].some((branch) => mayDeclareOtherProperties(branch, own)));
}

/** Whether a branch declares, or may through a $ref, properties beyond `own`. */
function mayDeclareOtherProperties(branch: unknown, own: Record<string, unknown>): boolean {
  if (!isRecord(branch)) return false;
  if (typeof branch.$ref === 'string' || branch.patternProperties !== undefined) return true;
  if (isRecord(branch.properties) && Object.keys(branch.properties).some((name) => !Object.hasOwn(own, name))) return true;
  return COMPOSITIONS.some((keyword) => Array.isArray(branch[keyword]) && branch[keyword].some((inner) => mayDeclareOtherProperties(inner, own)));
}

/**
 * Schemas that `schema` extends through `allOf: [{ $ref }]` with properties of its own, and that
 * constrain every property they do not declare (`additionalProperties: false`, or a schema): as an
 * allOf member the base applies that to the extension's properties too, so no value of the
 * extended schema may be valid (azure logic: `AssemblyProperties` adds `assemblyName`, required,
 * to a closed `ArtifactContentPropertiesDefinition`; graphrbac: `UserCreateParameters` adds a
 * boolean `accountEnabled` to `UserBase`, whose other properties must be objects). The author
 * meant inheritance (autorest's reading), so the base's constraint goes; the extended schema, if
 * closed, is closed over both (constrainsComposedProperties).
 */
function basesConstrainingExtensions(document: object, schema: Record<string, unknown>): Array<{ schema: Record<string, unknown>; pointer: string }> {
  if (!Array.isArray(schema.allOf)) return [];
  const added = [...Object.keys(isRecord(schema.properties) ? schema.properties : {})];
  for (const member of schema.allOf) if (isRecord(member) && isRecord(member.properties)) added.push(...Object.keys(member.properties));
  if (added.length === 0) return [];
  const constrains = (value: unknown) => value !== undefined && value !== true;
  const bases: Array<{ schema: Record<string, unknown>; pointer: string }> = [];
  for (const member of schema.allOf) {
    if (!isRecord(member) || typeof member.$ref !== 'string' || !member.$ref.startsWith('#')) continue;
    const base = getByRef(document, member.$ref);
    if (!isRecord(base) || (!constrains(base.additionalProperties) && !constrains(base.unevaluatedProperties))) continue;
    const declared = declaredProperties(document, base);
    if (added.some((name) => !declared.has(name))) bases.push({ schema: base, pointer: member.$ref.slice(1) });
  }
  return bases;
}

/** The properties a schema declares, its allOf members' included (through $refs, a few levels deep). */
function declaredProperties(document: object, schema: unknown, depth = 0): Set<string> {
  const names = new Set<string>();
  const resolved = isRecord(schema) && typeof schema.$ref === 'string' ? getByRef(document, schema.$ref) : schema;
  if (!isRecord(resolved) || depth > 8) return names;
  if (isRecord(resolved.properties)) for (const name of Object.keys(resolved.properties)) names.add(name);
  if (Array.isArray(resolved.allOf)) for (const member of resolved.allOf) for (const name of declaredProperties(document, member, depth + 1)) names.add(name);
  return names;
}

/**
 * `type: 'null'` beside oneOf/anyOf branches of other types (vercel: `type: 'null', oneOf: [number,
 * boolean]`) admits no value at all: null fails every branch. What the author meant is "one of
 * these, or null", so null becomes one more branch. Returns the branch list to extend.
 */
function nullBesideAlternatives(schema: Record<string, unknown>): unknown[] | undefined {
  const type = Array.isArray(schema.type) && schema.type.length === 1 ? schema.type[0] : schema.type;
  if (type !== 'null') return undefined;
  const branches = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  const typed = (branch: unknown) => isRecord(branch) && (typeof branch.$ref === 'string' || (branch.type !== undefined && ![branch.type].flat().includes('null')));
  return branches && branches.length > 0 && branches.every(typed) ? branches : undefined;
}

/**
 * The index of a bare `{ type: 'null' }` among allOf members of other types (codat: `currency:
 * { allOf: [{ $ref: …/currency }, { type: 'null' }] }`): no value is both, so none would be valid
 * (and the type would be `never`). What the author meant is "that, or null". Only where the schema
 * has no anyOf/oneOf of its own, which the rewrite would have to merge with.
 */
function nullAmongAllOf(schema: Record<string, unknown>): number | undefined {
  if (!Array.isArray(schema.allOf) || schema.allOf.length < 2 || schema.anyOf !== undefined || schema.oneOf !== undefined) return undefined;
  const isBareNull = (member: unknown) =>
    isRecord(member) && (member.type === 'null' || (Array.isArray(member.type) && member.type.length === 1 && member.type[0] === 'null')) &&
    Object.keys(member).every((key) => key === 'type' || key === 'description' || key === 'title');
  const index = schema.allOf.findIndex(isBareNull);
  return index === -1 || schema.allOf.every(isBareNull) ? undefined : index;
}

/**
 * Required names a closed object does not declare (britbox: `required: [token]` beside
 * `accessToken`, with `additionalProperties: false`): no value could hold them, so none would be
 * valid. The name is taken for a slip and not required.
 */
function undeclaredRequired(schema: Record<string, unknown>): string[] {
  if (schema.additionalProperties !== false || schema.patternProperties !== undefined || !Array.isArray(schema.required)) return [];
  const properties = isRecord(schema.properties) ? schema.properties : {};
  return schema.required.filter((name): name is string => typeof name === 'string' && !Object.hasOwn(properties, name));
}

function hasDeclaredType(value: unknown, type: unknown): boolean {
  const types = Array.isArray(type) ? type : typeof type === 'string' ? [type] : [];
  if (types.length === 0 || !types.every((entry) => JSON_TYPES.has(entry as string))) return true;
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return types.some((entry) => entry === actual || (entry === 'integer' && Number.isInteger(value)));
}

function compiles(pattern: string): boolean {
  try {
    patternRegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}
