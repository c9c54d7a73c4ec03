// openapi-typescript turns every `$ref` into an indexed access type on its own output
// (`#/paths/~1a/get/responses/200/content/application~1json/schema/items` becomes
// `paths["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["items"]`),
// skipping only `properties` segments. Its output has no `schema`, `items`, `allOf/0`, ... keys,
// so a ref that points inside a schema or an operation fails `tsc --strict` (TS2339). Such refs
// are replaced by a copy of their target before openapi-typescript runs.
import { decodePointerSegment, getByRef, isRecord } from '../../model/refs.ts';
import { declaresNull } from '../../model/schema-keywords.ts';

type Obj = Record<string, unknown>;

/**
 * Refs whose indexed access type exists: a component (`#/components/schemas/Money`), or a chain of
 * properties inside a component schema (`#/components/schemas/Money/properties/currency`) through
 * required, non-nullable properties: indexing into an optional one (`X["relationships"]["owner"]`
 * where `relationships?:`) is TS2339 (twinehealth).
 */
export function isIndexableRef(ref: string, document: Obj): boolean {
  const match = /^(#\/components\/[^/]+\/[^/]+)((?:\/properties\/[^/]+)*)$/.exec(ref);
  if (!match) return false;
  const names = match[2]!.split('/properties/').slice(1);
  let parent = match[1]!;
  for (const name of names.slice(0, -1)) {
    const schema = getByRef(document, parent);
    const child = `${parent}/properties/${name}`;
    if (!isRecord(schema) || !Array.isArray(schema.required) || !schema.required.includes(decodePointerSegment(name)) || cannotIndexInto(getByRef(document, child))) return false;
    parent = child;
  }
  return true;
}

/** Null, or a `$ref` this check does not follow: indexing into it may fail. */
function cannotIndexInto(schema: unknown): boolean {
  return !isRecord(schema) || declaresNull(schema) || typeof schema.$ref === 'string';
}

/**
 * The document with every non-indexable ref replaced by its target (with the ref's sibling
 * keywords). Unchanged subtrees, and the document itself when there is nothing to replace, are
 * shared with the input; the input is never modified. A ref met again while its own target is
 * being inlined (a cycle of such refs) becomes `{}`, unknown, as `breakDirectCycles` does.
 */
export function inlineDeepRefs(document: Obj): Obj {
  const inline = (node: unknown, inlining: readonly string[]): unknown => {
    if (Array.isArray(node)) {
      const items = node.map((item) => inline(item, inlining));
      return items.some((item, index) => item !== node[index]) ? items : node;
    }
    if (!isRecord(node)) return node;
    if (typeof node.$ref === 'string' && !isIndexableRef(node.$ref, document)) {
      const { $ref: ref, ...siblings } = node;
      if (inlining.includes(ref)) return {};
      const target = getByRef(document, ref);
      // A ref to nothing (into a malformed keyword schema hygiene took out) is unknown.
      if (target === undefined) return inline(siblings, inlining);
      if (!isRecord(target)) return node;
      return { ...(inline(structuredClone(target), [...inlining, ref]) as Obj), ...(inline(siblings, inlining) as Obj) };
    }
    let copy: Obj | undefined;
    for (const [key, value] of Object.entries(node)) {
      const replaced = inline(value, inlining);
      if (replaced !== value) (copy ??= { ...node })[key] = replaced;
    }
    return copy ?? node;
  };
  return inline(document, []) as Obj;
}
