// OpenAPI 3.1 schemas may name themselves (`$id`, `$anchor`, `$dynamicAnchor`) and refer to each
// other by those names (`$ref: https://example.com/schemas/tree`, `$ref: '#address'`,
// `$dynamicRef: '#node'`). Redocly's bundler only follows files and JSON pointers: it would fetch
// the `$id` URL. Before bundling, every reference to a schema resource of the document itself
// becomes a local JSON pointer, and the identifiers (now unused) are taken out, so every later
// reader (ajv, openapi-typescript, the mock) sees plain pointers.
//
// `$dynamicRef` is resolved statically, with one refinement for the generic pattern of JSON
// Schema 2020-12 (a schema that `$ref`s a generic resource and declares the `$dynamicAnchor` it
// binds): the generic is copied into the binding schema's `$defs` with its dynamic references
// pointing at the binding's anchor. Deeper dynamic scopes resolve as the generic itself does.
import { encodePointerSegment } from '../model/refs.ts';
import { DATA_KEYWORDS } from '../model/schema-keywords.ts';

type Obj = Record<string, unknown>;

const IDENTIFIERS = ['$id', '$anchor', '$dynamicAnchor'] as const;
/** `$defs` key of a generic's copy bound to the schema that holds it. */
const BOUND_COPY = 'finrail-bound';

interface Resource {
  uri: string;
  pointer: string;
  node: Obj;
  /** `$dynamicAnchor` names declared in this resource (not in resources nested in it). */
  dynamicAnchors: Map<string, string>;
}

interface DynamicRef {
  /** The object that held `$dynamicRef`, now holding `$ref`. */
  node: Obj;
  anchor: string;
}

interface Index {
  resources: Map<string, Resource>;
  anchors: Map<string, string>;
}

const isObj = (value: unknown): value is Obj => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Whether the document uses any schema identifier (most do not: they are left untouched). */
function usesIdentifiers(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(usesIdentifiers);
  if (!isObj(node)) return false;
  if (IDENTIFIERS.some((keyword) => typeof node[keyword] === 'string') || typeof node.$dynamicRef === 'string') return true;
  return Object.entries(node).some(([key, value]) => !DATA_KEYWORDS.has(key) && usesIdentifiers(value));
}

/** Rewrites `document` in place; returns whether anything changed. */
export function localizeSchemaReferences(document: unknown): boolean {
  if (!isObj(document) || !usesIdentifiers(document)) return false;
  const root: Resource = { uri: '', pointer: '', node: document, dynamicAnchors: new Map() };
  const index: Index = { resources: new Map([['', root]]), anchors: new Map() };
  const scopeOf = new Map<Obj, Resource>();
  // Pass 1: the resources and anchors, each with its base URI.
  walkResources(document, '', root, (node, pointer, resource) => {
    scopeOf.set(node, resource);
    for (const keyword of ['$anchor', '$dynamicAnchor'] as const) {
      const name = node[keyword];
      if (typeof name !== 'string') continue;
      index.anchors.set(`${resource.uri}#${name}`, pointer);
      if (keyword === '$dynamicAnchor') resource.dynamicAnchors.set(name, pointer);
    }
  }, index);
  // Pass 2: references to them as pointers.
  const dynamicRefs = new Map<Resource, DynamicRef[]>();
  for (const [node, resource] of scopeOf) {
    if (typeof node.$ref === 'string') {
      const pointer = localPointer(node.$ref, resource, index, document);
      if (pointer !== undefined) node.$ref = pointer;
    }
    if (typeof node.$dynamicRef === 'string') {
      const reference = node.$dynamicRef;
      const pointer = localPointer(reference, resource, index, document);
      if (pointer === undefined) continue;
      delete node.$dynamicRef;
      // Beside a `$ref` of its own, the reference applies as well: an allOf member.
      const holder: Obj = typeof node.$ref === 'string' ? { $ref: pointer } : node;
      if (holder === node) node.$ref = pointer;
      else node.allOf = [...(Array.isArray(node.allOf) ? node.allOf : []), holder];
      const anchor = reference.includes('#') ? reference.slice(reference.indexOf('#') + 1) : '';
      const target = lookUp(document, pointer.slice(1));
      // Dynamic only when the initial target declares the same dynamic anchor (2020-12 §8.2.3.2).
      if (anchor !== '' && isObj(target) && target.$dynamicAnchor === anchor) {
        dynamicRefs.set(resource, [...(dynamicRefs.get(resource) ?? []), { node: holder, anchor }]);
      }
    }
  }
  bindGenerics(index, dynamicRefs);
  for (const node of scopeOf.keys()) for (const keyword of IDENTIFIERS) delete node[keyword];
  return true;
}

/**
 * A resource that `$ref`s a generic resource and declares a dynamic anchor the generic refers to
 * dynamically gets its own copy of the generic, those references bound to its own anchors.
 */
function bindGenerics(index: Index, dynamicRefs: Map<Resource, DynamicRef[]>): void {
  const byPointer = new Map([...index.resources.values()].map((resource) => [`#${resource.pointer}`, resource]));
  for (const binder of index.resources.values()) {
    const generic = typeof binder.node.$ref === 'string' ? byPointer.get(binder.node.$ref) : undefined;
    const references = generic && generic !== binder ? (dynamicRefs.get(generic) ?? []) : [];
    const bound = new Map(references.filter((ref) => binder.dynamicAnchors.has(ref.anchor)).map((ref) => [ref.node, binder.dynamicAnchors.get(ref.anchor)!]));
    if (!generic || bound.size === 0) continue;
    const copy = copyBinding(generic.node, bound) as Obj;
    for (const keyword of IDENTIFIERS) delete copy[keyword];
    const defs = isObj(binder.node.$defs) ? binder.node.$defs : (binder.node.$defs = {});
    defs[BOUND_COPY] = copy;
    binder.node.$ref = `#${binder.pointer}/$defs/${BOUND_COPY}`;
  }
}

function copyBinding(value: unknown, bound: Map<Obj, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => copyBinding(item, bound));
  if (!isObj(value)) return value;
  const copy = Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, DATA_KEYWORDS.has(key) ? structuredClone(entry) : copyBinding(entry, bound)]));
  const target = bound.get(value);
  if (target !== undefined) copy.$ref = `#${target}`;
  return copy;
}

/** The local pointer (`#/...`) a reference made in `resource` names, when it names a part of the document. */
function localPointer(reference: string, resource: Resource, index: Index, document: Obj): string | undefined {
  // The usual case, `#/components/...` outside any `$id`: already a pointer.
  if (reference.startsWith('#/') && resource.uri === '') return undefined;
  const absolute = resolveUri(reference, resource.uri);
  const hash = absolute.indexOf('#');
  const uri = hash === -1 ? absolute : absolute.slice(0, hash);
  const fragment = hash === -1 ? '' : absolute.slice(hash + 1);
  const target = index.resources.get(uri);
  if (!target) return undefined;
  if (fragment === '') return `#${target.pointer}`;
  if (fragment.startsWith('/')) {
    // Relative to the resource by the letter of JSON Schema; OpenAPI authors mean the document
    // when the resource has no such location (`#/components/schemas/X` inside a schema with `$id`).
    const pointer = `${target.pointer}${fragment}`;
    return lookUp(document, pointer) !== undefined ? `#${pointer}` : undefined;
  }
  // An anchor the resource lacks is looked for in the document too (the same generous reading).
  const name = safeDecode(fragment);
  const anchored = index.anchors.get(`${uri}#${name}`) ?? (reference.startsWith('#') ? index.anchors.get(`#${name}`) : undefined);
  return anchored === undefined ? undefined : `#${anchored}`;
}

function resolveUri(reference: string, base: string): string {
  try {
    return new URL(reference, base === '' ? undefined : base).href;
  } catch {
    // No absolute base: `#anchor` stays in the document; a relative `$id` is its own name.
    return reference.startsWith('#') ? `${base}${reference}` : reference;
  }
}

/** Visits every object outside data keywords, tracking the schema resource it is in. */
function walkResources(node: unknown, pointer: string, resource: Resource, visit: (node: Obj, pointer: string, resource: Resource) => void, index: Index): void {
  if (Array.isArray(node)) {
    node.forEach((item, position) => walkResources(item, `${pointer}/${position}`, resource, visit, index));
    return;
  }
  if (!isObj(node)) return;
  let current = resource;
  if (typeof node.$id === 'string' && pointer !== '') {
    const uri = resolveUri(node.$id.replace(/#.*$/s, ''), resource.uri);
    current = { uri, pointer, node, dynamicAnchors: new Map() };
    index.resources.set(uri, current);
  }
  visit(node, pointer, current);
  for (const [key, value] of Object.entries(node)) {
    if (!DATA_KEYWORDS.has(key)) walkResources(value, `${pointer}/${encodePointerSegment(key)}`, current, visit, index);
  }
}

function lookUp(document: Obj, pointer: string): unknown {
  let node: unknown = document;
  for (const raw of pointer.split('/').slice(1)) {
    if (!isObj(node) && !Array.isArray(node)) return undefined;
    node = (node as Obj)[safeDecode(raw).replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
