// Document rewrites applied (to a copy) before openapi-typescript runs, for the schema shapes
// whose raw output fails `tsc --strict` or produces uninhabitable types. Each fixup is small,
// documented by a fixture in generators/test/fixtures, and leaves valid schemas' meaning intact
// as far as TypeScript can express it.
import { dedupe } from '../../model/names.ts';
import { encodePointerSegment, getByRef, isRecord } from '../../model/refs.ts';
import { pinnedValues } from '../../model/schema-keywords.ts';
import type { ApiModel } from '../../model/types.ts';
import { inlineDeepRefs } from './inline-deep-refs.ts';
import { forEachSchema, refSiblingsAsAllOf, withoutDefinitions } from './schema-siblings.ts';

type Obj = Record<string, unknown>;
const SCHEMA_PREFIX = '#/components/schemas/';

function schemasOf(document: Obj): Obj {
  const components = isRecord(document.components) ? document.components : undefined;
  return components && isRecord(components.schemas) ? components.schemas : {};
}

function refName(value: unknown): string | undefined {
  return isRecord(value) && typeof value.$ref === 'string' && value.$ref.startsWith(SCHEMA_PREFIX)
    ? decodeURIComponent(value.$ref.slice(SCHEMA_PREFIX.length)).replace(/~1/g, '/').replace(/~0/g, '~')
    : undefined;
}

/**
 * The document passed to the fixups is a shallow copy whose `components.schemas` map is its own
 * but whose schemas are shared with the caller's document. A fixup that changes a schema first
 * swaps in a deep copy of it, so the caller's document is never modified.
 */
const copiedSchemas = new WeakMap<Obj, Set<string>>();
function writableSchema(schemas: Obj, name: string): Obj {
  let copied = copiedSchemas.get(schemas);
  if (!copied) copiedSchemas.set(schemas, (copied = new Set()));
  if (!copied.has(name)) {
    schemas[name] = structuredClone(schemas[name]);
    copied.add(name);
  }
  return schemas[name] as Obj;
}

function unionMembers(schema: Obj): unknown[] {
  return [...(Array.isArray(schema.oneOf) ? schema.oneOf : []), ...(Array.isArray(schema.anyOf) ? schema.anyOf : [])];
}

/** Discriminator value(s) a member schema stands for: explicit mappings anywhere, else its name. */
function discriminatorValues(document: Obj, member: string): Map<string, string[]> {
  const byProperty = new Map<string, string[]>();
  for (const schema of Object.values(schemasOf(document))) {
    if (!isRecord(schema) || !isRecord(schema.discriminator)) continue;
    const { propertyName, mapping } = schema.discriminator;
    if (typeof propertyName !== 'string' || !isRecord(mapping)) continue;
    for (const [value, target] of Object.entries(mapping)) {
      if (refName({ $ref: target }) !== member) continue;
      const values = byProperty.get(propertyName) ?? [];
      if (!values.includes(value)) values.push(value);
      byProperty.set(propertyName, values);
    }
  }
  return byProperty;
}

/** The one value a (tag) property schema allows, if it allows exactly one string. */
function singleValue(schema: unknown): string | undefined {
  const values = isRecord(schema) ? pinnedValues(schema) : undefined;
  return values?.length === 1 && typeof values[0] === 'string' ? values[0] : undefined;
}

/**
 * A schema inheriting a discriminator (`Square: allOf: [$ref Shape]`) that Shape's mapping does not
 * name gets a `kind: "Square"` property from openapi-typescript next to its own properties: when
 * it declares `kind` itself, its object type has the key twice (TS2300). Map such schemas
 * explicitly, by the one value their own tag property allows, else by name (as openapi-typescript
 * would tag them); union members keep the tags openapi-typescript infers for them.
 */
export function mapInheritingSchemas(document: Obj): void {
  const schemas = schemasOf(document);
  for (const [name, schema] of Object.entries(schemas)) {
    if (!isRecord(schema) || !Array.isArray(schema.allOf) || !isRecord(schema.properties)) continue;
    for (const part of schema.allOf) {
      const baseName = refName(part);
      const base = baseName === undefined ? undefined : schemas[baseName];
      if (!isRecord(base) || !isRecord(base.discriminator)) continue;
      const { propertyName } = base.discriminator;
      if (typeof propertyName !== 'string' || !(propertyName in schema.properties)) continue;
      if (unionMembers(base).some((member) => refName(member) === name)) continue;
      const mapping: Obj = isRecord(base.discriminator.mapping) ? base.discriminator.mapping : {};
      if (Object.values(mapping).some((target) => refName({ $ref: target }) === name)) continue;
      const value = singleValue(schema.properties[propertyName]) ?? name;
      if (value in mapping) continue;
      const mapped = { ...mapping, [value]: `${SCHEMA_PREFIX}${encodePointerSegment(name)}` };
      writableSchema(schemas, baseName!).discriminator = { ...base.discriminator, mapping: mapped };
    }
  }
}

/**
 * A discriminator without a mapping makes openapi-typescript tag every member with its schema
 * name. When another discriminator already maps a value to that member (a base schema's
 * mapping), both tags are intersected into `never`. Give such discriminators the explicit mapping
 * the other discriminators imply.
 */
export function completeDiscriminatorMappings(document: Obj): void {
  const schemas = schemasOf(document);
  for (const [schemaName, schema] of Object.entries(schemas)) {
    if (!isRecord(schema) || !isRecord(schema.discriminator)) continue;
    const { propertyName } = schema.discriminator;
    if (typeof propertyName !== 'string') continue;
    const mapping: Obj = isRecord(schema.discriminator.mapping) ? { ...schema.discriminator.mapping } : {};
    const mapped = new Set(Object.values(mapping).map((target) => refName({ $ref: target })));
    let changed = false;
    for (const member of unionMembers(schema)) {
      const name = refName(member);
      if (name === undefined || mapped.has(name)) continue;
      const values = discriminatorValues(document, name).get(propertyName);
      if (!values) continue;
      for (const value of values) if (!(value in mapping)) mapping[value] = (member as Obj).$ref;
      changed = true;
    }
    if (changed) writableSchema(schemas, schemaName).discriminator = { ...schema.discriminator, mapping };
  }
}

/**
 * The polymorphic-base pattern (`Pet: { properties, oneOf: [Cat, Dog], discriminator }` with
 * `Cat: { allOf: [Pet, {...}] }`) is a type that contains itself directly (TS2502). In each member,
 * replace the `allOf` reference to the base with the base's own properties, minus the union,
 * and with the discriminator property narrowed to the member's value(s).
 */
export function inlinePolymorphicBases(document: Obj): void {
  const schemas = schemasOf(document);
  for (const [baseName, base] of Object.entries(schemas)) {
    if (!isRecord(base) || !isRecord(base.discriminator) || unionMembers(base).length === 0) continue;
    const propertyName = typeof base.discriminator.propertyName === 'string' ? base.discriminator.propertyName : undefined;
    const mapping = isRecord(base.discriminator.mapping) ? base.discriminator.mapping : {};
    for (const member of unionMembers(base)) {
      const memberName = refName(member);
      const memberSchema = memberName === undefined ? undefined : schemas[memberName];
      if (!isRecord(memberSchema) || !Array.isArray(memberSchema.allOf)) continue;
      if (!memberSchema.allOf.some((part) => refName(part) === baseName)) continue;
      writableSchema(schemas, memberName!).allOf = memberSchema.allOf.map((part) => {
        if (refName(part) !== baseName) return part;
        const { oneOf: _oneOf, anyOf: _anyOf, discriminator: _discriminator, ...own } = base;
        if (propertyName === undefined) return own;
        const mapped = Object.entries(mapping)
          .filter(([, target]) => refName({ $ref: target }) === memberName)
          .map(([value]) => value);
        const values = mapped.length > 0 ? mapped : [memberName!];
        const properties = isRecord(own.properties) ? own.properties : {};
        const required = Array.isArray(own.required) ? own.required : [];
        return {
          ...own,
          properties: { ...properties, [propertyName]: { ...(isRecord(properties[propertyName]) ? properties[propertyName] : {}), enum: values } },
          required: required.includes(propertyName) ? required : [...required, propertyName],
        };
      });
    }
  }
}

type Path = Array<string | number>;

/**
 * Refs a schema's TypeScript type depends on eagerly (not behind an object property), with their
 * paths. Array items count: `components["schemas"]["A"][]` in A's own member is TS2502 too
 * (vercel: `EdgeConfigItemValue: string | … | EdgeConfigItemValue[]`).
 */
function directRefs(schema: unknown, path: Path = []): Array<{ path: Path; name: string }> {
  const name = refName(schema);
  if (name !== undefined) return [{ path, name }];
  if (!isRecord(schema)) return [];
  const items = isRecord(schema.items) ? directRefs(schema.items, [...path, 'items']) : [];
  return [
    ...items,
    ...(['allOf', 'oneOf', 'anyOf'] as const).flatMap((keyword) => {
      const list = schema[keyword];
      return Array.isArray(list) ? list.flatMap((part, index) => directRefs(part, [...path, keyword, index])) : [];
    }),
  ];
}

/**
 * Any remaining cycle through direct positions (`A: allOf [A, ...]`, `A: oneOf [B]`,
 * `B: allOf [A]`) is cut at its back edge, which becomes `{}` (unknown) in the types only.
 * Schemas are visited in sorted order so the cut is deterministic.
 */
export function breakDirectCycles(document: Obj): void {
  const schemas = schemasOf(document);
  const state = new Map<string, 'visiting' | 'done'>();
  const cuts: Array<{ name: string; path: Path }> = [];
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    for (const edge of directRefs(schemas[name])) {
      const seen = state.get(edge.name);
      if (seen === 'visiting') cuts.push({ name, path: edge.path });
      else if (seen === undefined && edge.name in schemas) visit(edge.name);
    }
    state.set(name, 'done');
  };
  for (const name of Object.keys(schemas).sort()) if (!state.has(name)) visit(name);
  for (const { name, path } of cuts) {
    if (path.length === 0) {
      schemas[name] = {};
      continue;
    }
    let holder: unknown = writableSchema(schemas, name);
    for (const step of path.slice(0, -1)) holder = (holder as Record<string | number, unknown>)[step];
    (holder as Record<string | number, unknown>)[path.at(-1)!] = {};
  }
}

/**
 * openapi-typescript rejects duplicate operationIds and leaves operations without one out of
 * `operations`. Give every operation the model's unique, stable id, so `operations[operationId]`
 * exists for each model operation (targets rely on it). openapi-typescript turns the id into a
 * `$ref` pointer and URI-decodes it again: a `%` (as in `fake_%_id`) throws or changes the key,
 * so it becomes `_` there (deduplicated against the other ids).
 */
export function assignOperationIds(document: Obj, model: Pick<ApiModel, 'operations' | 'webhooks'>): void {
  const operations = [...model.operations, ...model.webhooks];
  const ids = dedupe(operations.map((op) => op.operationId.replace(/%/g, '_')), '_');
  operations.forEach((op, index) => {
    // Only operations under paths/webhooks are copied; shared path items (components) stay as they are.
    if (!op.pointer.startsWith('#/paths/') && !op.pointer.startsWith('#/webhooks/')) return;
    const target = getByRef(document, op.pointer);
    if (isRecord(target)) target.operationId = ids[index];
  });
}

/**
 * A copy of the document with every fixup applied; the input is not touched. Only what a fixup
 * changes is copied (paths down to operations, the schemas map, changed schemas): deep-copying a
 * multi-megabyte document costs more than generating from it.
 */
export function prepareForTypes(document: object, model?: Pick<ApiModel, 'operations' | 'webhooks'>): Obj {
  const source = withoutDefinitions(inlineDeepRefs(refSiblingsAsAllOf(document as Obj)));
  const components = isRecord(source.components) ? source.components : undefined;
  const copy: Obj = {
    ...source,
    paths: copyOperations(source.paths),
    webhooks: copyOperations(source.webhooks),
    ...(components ? { components: { ...components, schemas: isRecord(components.schemas) ? { ...components.schemas } : components.schemas } } : {}),
  };
  if (copy.webhooks === undefined) delete copy.webhooks;
  if (copy.paths === undefined) delete copy.paths;
  if (model) assignOperationIds(copy, model);
  pointWebhookRefsAtOperations(copy);
  copySchemasOpenapiTypescriptPatches(copy);
  mapInheritingSchemas(copy);
  completeDiscriminatorMappings(copy);
  inlinePolymorphicBases(copy);
  breakDirectCycles(copy);
  return copy;
}

/**
 * openapi-typescript's discriminator handling writes into the schemas it tags (it pushes an
 * `allOf` member or adds the property): the members and mapping targets of every discriminator,
 * wherever it is (an inline response schema or a property's oneOf too), and `allOf` schemas.
 * Give the copy its own instances of those.
 */
function copySchemasOpenapiTypescriptPatches(document: Obj): void {
  const schemas = schemasOf(document);
  const patched = new Set<string>();
  for (const [name, schema] of Object.entries(schemas)) if (isRecord(schema) && Array.isArray(schema.allOf)) patched.add(name);
  forEachSchema(document, (schema) => {
    if (!isRecord(schema.discriminator)) return;
    for (const member of unionMembers(schema)) {
      const memberName = refName(member);
      if (memberName !== undefined) patched.add(memberName);
    }
    const mapping = isRecord(schema.discriminator.mapping) ? schema.discriminator.mapping : {};
    for (const target of Object.values(mapping)) {
      const targetName = refName({ $ref: target });
      if (targetName !== undefined) patched.add(targetName);
    }
  });
  for (const name of patched) if (name in schemas) writableSchema(schemas, name);
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * openapi-typescript types a `$ref` path item under `paths` as the referenced component, but under
 * `webhooks` it reads the `$ref` object as an empty path item (every method `never`). Inlining the
 * item would declare its operation twice in `operations` (TS2300); instead each method becomes a
 * `$ref` to the component's operation, which openapi-typescript types as that operation.
 */
function pointWebhookRefsAtOperations(document: Obj): void {
  if (!isRecord(document.webhooks)) return;
  for (const [name, item] of Object.entries(document.webhooks)) {
    if (!isRecord(item) || typeof item.$ref !== 'string') continue;
    let ref = item.$ref;
    let target = getByRef(document, ref);
    for (let hops = 0; isRecord(target) && typeof target.$ref === 'string' && hops < 8; hops++) target = getByRef(document, (ref = target.$ref));
    if (!isRecord(target) || typeof target.$ref === 'string') continue;
    const pointed: Obj = target.parameters !== undefined ? { parameters: target.parameters } : {};
    for (const method of METHODS) if (isRecord(target[method])) pointed[method] = { $ref: `${ref}/${method}` };
    document.webhooks[name] = pointed;
  }
}

/** Paths (or webhooks) with each path item and operation object shallow-copied. */
function copyOperations(paths: unknown): Obj | undefined {
  if (!isRecord(paths)) return undefined;
  const out: Obj = {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item)) {
      out[path] = item;
      continue;
    }
    const itemCopy: Obj = { ...item };
    for (const [key, value] of Object.entries(item)) if (isRecord(value) && 'responses' in value) itemCopy[key] = { ...value };
    out[path] = itemCopy;
  }
  return out;
}
