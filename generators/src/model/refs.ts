// Resolution of local JSON references ('#/components/...') inside one bundled document.

export function decodePointerSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function encodePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

const refCache = new WeakMap<object, Map<string, unknown>>();

/** Value at a local ref such as '#/components/schemas/Wallet', or undefined if it does not exist. Cached per document. */
export function getByRef(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  if (document === null || typeof document !== 'object') return ref === '#' ? document : undefined;
  let cache = refCache.get(document);
  if (!cache) refCache.set(document, (cache = new Map()));
  if (cache.has(ref)) return cache.get(ref);
  const value = lookUp(document, ref);
  cache.set(ref, value);
  return value;
}

function lookUp(document: unknown, ref: string): unknown {
  const pointer = ref.slice(1);
  if (pointer === '') return document;
  let current: unknown = document;
  for (const raw of pointer.split('/').slice(1)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[decodePointerSegment(decodeURIComponent(raw))];
  }
  return current;
}

export interface Resolved<T> {
  value: T;
  /** The first ref followed, when the input was a reference. */
  ref?: string;
}

/**
 * Follows `$ref` chains (a ref to a ref ...) until a non-reference object. Used for Parameter,
 * Response, RequestBody, Header, Example, PathItem, Callback and SecurityScheme objects — never for
 * schemas, which keep their refs. Throws on a dangling or circular chain.
 */
export function resolveObject<T = Record<string, unknown>>(document: unknown, value: unknown): Resolved<T> {
  let current = value;
  let firstRef: string | undefined;
  const seen = new Set<string>();
  while (isRecord(current) && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (seen.has(ref)) throw new Error(`circular $ref chain at ${ref}`);
    seen.add(ref);
    firstRef ??= ref;
    const target = getByRef(document, ref);
    if (target === undefined) throw new Error(`unresolved $ref ${ref}`);
    current = target;
  }
  return { value: (current ?? {}) as T, ref: firstRef };
}

/**
 * Follows a schema's `$ref` chain ('#/components/schemas/A' → A's schema, which may itself be a
 * ref) to the first non-reference schema; undefined when a ref dangles or loops.
 */
export function derefSchema(document: unknown, schema: unknown): unknown {
  let current = schema;
  for (let hops = 0; isRecord(current) && typeof current.$ref === 'string'; hops++) {
    if (hops >= 32) return undefined;
    current = getByRef(document, current.$ref);
  }
  return current;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `x-*` keys of an object, in document order. */
export function extensionsOf(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isRecord(value)) return out;
  for (const [key, entry] of Object.entries(value)) if (key.startsWith('x-')) out[key] = entry;
  return out;
}
