import { unescapePointerFragment } from '@redocly/openapi-core';
import type { LoadedSpec } from './load-spec.ts';

export interface ApiSummary {
  title: string;
  version: string;
  openapi: LoadedSpec['openapi'];
  /** Operations under `paths` (one per path and HTTP method). */
  operations: number;
  /** Entries of `webhooks` (3.1) or `x-webhooks` (3.0). */
  webhooks: number;
  /** Every OAuth 2.0 scope the security schemes declare, sorted. */
  scopes: string[];
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The at-a-glance figures `finrail start` prints for an API. */
export function summarizeSpec(spec: LoadedSpec): ApiSummary {
  const document = objectAt(spec.document);
  const info = objectAt(document.info);
  const paths = objectAt(document.paths);
  let operations = 0;
  for (const item of Object.values(paths)) {
    const pathItem = objectAt(followInternalRef(document, item));
    operations += methods.filter((method) => method in pathItem).length;
  }
  const webhooks = Object.keys(objectAt(document.webhooks ?? document['x-webhooks'])).length;
  const scopes = new Set<string>();
  const schemes = objectAt(objectAt(document.components).securitySchemes);
  for (const scheme of Object.values(schemes)) {
    for (const flow of Object.values(objectAt(objectAt(followInternalRef(document, scheme)).flows))) {
      for (const scope of Object.keys(objectAt(objectAt(flow).scopes))) scopes.add(scope);
    }
  }
  return {
    title: String(info.title ?? ''),
    version: String(info.version ?? ''),
    openapi: spec.openapi,
    operations,
    webhooks,
    scopes: [...scopes].sort(),
  };
}

function objectAt(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Bundled documents keep internal refs (`#/components/pathItems/...`): follow one hop. */
function followInternalRef(document: unknown, node: unknown): unknown {
  const ref = objectAt(node).$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
  return ref
    .slice(2)
    .split('/')
    .map(unescapePointerFragment)
    .reduce<unknown>((current, key) => objectAt(current)[key], document);
}
