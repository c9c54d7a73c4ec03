// openapi-typescript turns every `$ref` into an indexed access type on its own output
// (`#/paths/~1a/get/responses/200/content/application~1json/schema/items` becomes
// `paths["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["items"]`),
// skipping only `properties` segments. Its output has no `schema`, `items`, `allOf/0`, ... keys,
// so a ref that points inside a schema or an operation fails `tsc --strict` (TS2339). Such refs
// are replaced by a copy of their target before openapi-typescript runs.
import { getByRef, isRecord } from '../../model/refs.ts';

type Obj = Record<string, unknown>;

/**
 * Refs whose indexed access type exists: a component (`#/components/schemas/Money`), or a chain of
 * properties inside a component schema (`#/components/schemas/Money/properties/currency`).
 */
export function isIndexableRef(ref: string): boolean {
  return /^#\/components\/[^/]+\/[^/]+(\/properties\/[^/]+)*$/.test(ref);
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
    if (typeof node.$ref === 'string' && !isIndexableRef(node.$ref)) {
      const { $ref: ref, ...siblings } = node;
      if (inlining.includes(ref)) return {};
      const target = getByRef(document, ref);
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
