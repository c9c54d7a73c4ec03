// Cursor-pagination detection: the x-finrail-pagination marker, else a conservative heuristic.
import { isJsonMediaType } from '@finrail/server';
import { derefSchema, isRecord } from './refs.ts';
import type { JsonSchema, PaginationModel, ParameterModel, ResponseModel } from './types.ts';

export const PAGINATION_EXTENSION = 'x-finrail-pagination';

const CURSOR_PARAMS = ['starting_after', 'cursor', 'after', 'page_token', 'pageToken', 'next_token', 'nextToken', 'continuation_token', 'continuationToken'];
const NEXT_CURSOR_FIELDS = ['next_cursor', 'nextCursor', 'next_page_token', 'nextPageToken', 'next_token', 'nextToken', 'cursor', 'continuation_token', 'continuationToken'];
const HAS_MORE_FIELDS = ['has_more', 'hasMore', 'has_next', 'hasNext'];
const ITEMS_FIELDS = ['data', 'items', 'results', 'entries', 'records'];

export function paginationOf(
  operation: Record<string, unknown>,
  method: string,
  parameters: ParameterModel[],
  responses: ResponseModel[],
  document: unknown,
): PaginationModel | undefined {
  const marker = operation[PAGINATION_EXTENSION];
  if (isRecord(marker)) {
    const field = (key: string, fallback: string) => (typeof marker[key] === 'string' ? (marker[key] as string) : fallback);
    return {
      cursorParam: field('cursorParam', 'starting_after'),
      nextCursor: field('nextCursor', 'next_cursor'),
      hasMore: field('hasMore', ''),
      items: field('items', 'data'),
      source: 'extension',
    };
  }
  if (method !== 'get') return undefined;
  const cursorParam = parameters.find((p) => p.in === 'query' && CURSOR_PARAMS.includes(p.name));
  if (!cursorParam) return undefined;
  const success = responses.find((r) => r.success);
  const json = success?.contents.find((c) => isJsonMediaType(c.mediaType));
  const properties = json?.schema === undefined ? undefined : topLevelProperties(json.schema, document);
  if (!properties) return undefined;
  const items = ITEMS_FIELDS.find((name) => isArraySchema(properties[name], document));
  const nextCursor = NEXT_CURSOR_FIELDS.find((name) => name in properties);
  if (!items || !nextCursor) return undefined;
  return {
    cursorParam: cursorParam.name,
    nextCursor,
    hasMore: HAS_MORE_FIELDS.find((name) => name in properties) ?? '',
    items,
    source: 'heuristic',
  };
}

/** Properties of an object schema, following refs and flattening one level of allOf. */
function topLevelProperties(schema: JsonSchema, document: unknown): Record<string, unknown> | undefined {
  const resolved = derefSchema(document, schema);
  if (!isRecord(resolved)) return undefined;
  const properties: Record<string, unknown> = {};
  const parts = [resolved, ...(Array.isArray(resolved.allOf) ? resolved.allOf.map((part) => derefSchema(document, part)) : [])];
  for (const part of parts) if (isRecord(part) && isRecord(part.properties)) Object.assign(properties, part.properties);
  return Object.keys(properties).length > 0 ? properties : undefined;
}

function isArraySchema(schema: unknown, document: unknown): boolean {
  const resolved = derefSchema(document, schema);
  if (!isRecord(resolved)) return false;
  return resolved.type === 'array' || (Array.isArray(resolved.type) && resolved.type.includes('array'));
}
