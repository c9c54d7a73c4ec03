import { bundle, loadConfig } from '@redocly/openapi-core';
import { canonicalSpecs, redoclyConfigPath, type CanonicalSpec } from '../../src/index.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface BundledSpec {
  readonly spec: CanonicalSpec;
  readonly document: JsonObject;
}

/** Bundles a spec with Redocly: external refs inlined into components, internal refs kept. */
export async function bundleSpec(path: string): Promise<JsonObject> {
  const config = await loadConfig({ configPath: redoclyConfigPath });
  const result = await bundle({ ref: path, config });
  const unresolved = result.problems.filter((p) => p.severity === 'error');
  if (unresolved.length > 0) {
    throw new Error(`bundling ${path} failed: ${unresolved.map((p) => p.message).join('; ')}`);
  }
  return result.bundle.parsed as JsonObject;
}

let cached: Promise<BundledSpec[]> | undefined;

/** The three canonical specs, bundled once per test file. */
export function bundledCanonicalSpecs(): Promise<BundledSpec[]> {
  cached ??= Promise.all(canonicalSpecs.map(async (spec) => ({ spec, document: await bundleSpec(spec.path) })));
  return cached;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resolves an internal `#/...` JSON pointer in a bundled document. */
export function resolvePointer(document: JsonObject, ref: string): Json | undefined {
  if (!ref.startsWith('#')) throw new Error(`not an internal ref: ${ref}`);
  let node: Json | undefined = document;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    node = isObject(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined;
  }
  return node;
}

/** Follows internal `$ref`s until a plain node. */
export function deref(document: JsonObject, node: Json | undefined): Json | undefined {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
    if (hops > 50) throw new Error(`ref cycle at ${current.$ref}`);
    current = resolvePointer(document, current.$ref);
  }
  return current;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface OperationEntry {
  readonly kind: 'path' | 'webhook';
  readonly path: string;
  readonly method: string;
  readonly pointer: string;
  readonly operation: JsonObject;
  readonly pathItem: JsonObject;
}

export function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Every operation under `paths` and `webhooks`. */
export function operationsOf(document: JsonObject): OperationEntry[] {
  const entries: OperationEntry[] = [];
  for (const kind of ['path', 'webhook'] as const) {
    const container = document[kind === 'path' ? 'paths' : 'webhooks'];
    if (!isObject(container)) continue;
    for (const [path, rawItem] of Object.entries(container)) {
      const pathItem = deref(document, rawItem);
      if (!isObject(pathItem)) continue;
      for (const method of HTTP_METHODS) {
        const operation = pathItem[method];
        if (!isObject(operation)) continue;
        const pointer = `#/${kind === 'path' ? 'paths' : 'webhooks'}/${escapePointer(path)}/${method}`;
        entries.push({ kind, path, method, pointer, operation, pathItem });
      }
    }
  }
  return entries;
}

/** The operation's parameters merged with its path item's, resolved. */
export function parametersOf(document: JsonObject, entry: OperationEntry): JsonObject[] {
  const byKey = new Map<string, JsonObject>();
  const all = [
    ...(Array.isArray(entry.pathItem.parameters) ? entry.pathItem.parameters : []),
    ...(Array.isArray(entry.operation.parameters) ? entry.operation.parameters : []),
  ];
  for (const raw of all) {
    const parameter = deref(document, raw);
    if (isObject(parameter)) byKey.set(`${String(parameter.in)}:${String(parameter.name)}`, parameter);
  }
  return [...byKey.values()];
}
