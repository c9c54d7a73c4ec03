// Two JSON Schema 2020-12 shapes openapi-typescript misreads, rewritten (copy-on-write) before it runs:
// - 3.1 lets a `$ref` have sibling keywords that apply together with the target
//   (`$ref: Money` beside `required: [extra]`); openapi-typescript types only the target;
// - `$defs` holds definitions, not data, but openapi-typescript types it as a required `$defs`
//   property of the object (no value has one). Refs into `$defs` are inlined by inlineDeepRefs.
import { isRecord } from '../../model/refs.ts';
import { DATA_KEYWORDS, SCHEMA_MAPS } from '../../model/schema-keywords.ts';

type Obj = Record<string, unknown>;

/** Keywords beside a `$ref` that constrain nothing, `$defs` (refs into it point there) and `type` (see below). */
const REF_ANNOTATIONS = new Set(['$ref', '$defs', 'description', 'title', 'summary', 'deprecated', 'readOnly', 'writeOnly', 'example', 'examples', 'default', 'externalDocs', 'xml', '$comment', 'nullable', 'type']);

/**
 * `{ $ref, required, properties, ... }` → `{ allOf: [{ $ref }, { required, properties, ... }] }`,
 * annotations kept outside. A sibling `type` alone (`$ref: Money` beside `type: [object, 'null']`)
 * is left: it intersects with the target's type, so the target's type is the answer.
 */
export function refSiblingsAsAllOf(document: Obj): Obj {
  if (typeof document.openapi !== 'string' || !document.openapi.startsWith('3.1')) return document;
  return rewrite(document, (node) => {
    if (typeof node.$ref !== 'string') return node;
    const constraining = Object.keys(node).filter((key) => !REF_ANNOTATIONS.has(key) && !key.startsWith('x-'));
    if (constraining.length === 0) return node;
    const outside: Obj = {};
    const inside: Obj = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref') continue;
      if ((REF_ANNOTATIONS.has(key) && key !== 'type') || key.startsWith('x-')) outside[key] = value;
      else inside[key] = value;
    }
    return { ...outside, allOf: [{ $ref: node.$ref }, inside] };
  });
}

/** Every schema's `$defs` left out (the type of a definition is not part of its holder's values). */
export function withoutDefinitions(document: Obj): Obj {
  return rewrite(document, (node) => {
    if (!isRecord(node.$defs)) return node;
    const { $defs: _defs, ...rest } = node;
    return rest;
  });
}

/** Calls `visit` with every object of the document that may be a schema (see rewrite), children first. */
export function forEachSchema(document: Obj, visit: (node: Obj) => void): void {
  rewrite(document, (node) => {
    visit(node);
    return node;
  });
}

/**
 * The document with `change` applied to every object that may be a schema (every object outside
 * data keywords, except the name maps of `properties` and the like), children first. Unchanged
 * subtrees are shared with the input; the input is never modified.
 */
function rewrite(document: Obj, change: (node: Obj) => Obj): Obj {
  const visit = (node: unknown, isNameMap: boolean): unknown => {
    if (Array.isArray(node)) {
      const items = node.map((item) => visit(item, false));
      return items.some((item, index) => item !== node[index]) ? items : node;
    }
    if (!isRecord(node)) return node;
    let copy: Obj | undefined;
    for (const [key, value] of Object.entries(node)) {
      if (!isNameMap && DATA_KEYWORDS.has(key)) continue;
      const replaced = visit(value, !isNameMap && (SCHEMA_MAPS.has(key) || key === 'schemas'));
      if (replaced !== value) (copy ??= { ...node })[key] = replaced;
    }
    const current = copy ?? node;
    return isNameMap ? current : change(current);
  };
  return visit(document, false) as Obj;
}
