// RPC-style APIs put many operations on one method and path and tell them apart by one request
// value: AWS by its `Action` query parameter or `X-Amz-Target` header (documented as a required
// parameter with a single allowed value, the path made unique with a fragment: `/#Action=CreateQueue`),
// flickr by a literal query string in the template (`/rest?method=flickr.photos.search`).
// The server router and the mock route such operations by these values.
import { distinguishable, routeShape, type Discriminator } from '@finrail/server';
import { derefSchema, isRecord } from './refs.ts';
import { pinnedValues } from './schema-keywords.ts';
import type { ApiModel, OperationModel } from './types.ts';

/** The values only this operation's requests carry: required query or header parameters with one allowed value, and the template's literal query. */
export function requestDiscriminators(model: ApiModel, operation: OperationModel): Discriminator[] {
  const found: Discriminator[] = [];
  for (const parameter of operation.parameters) {
    if (!parameter.required || (parameter.in !== 'query' && parameter.in !== 'header')) continue;
    const value = onlyValue(model, parameter.schema);
    if (value !== undefined) found.push({ in: parameter.in, name: parameter.name, value: String(value) });
  }
  for (const [name, value] of templateQuery(operation.path)) {
    if (!found.some((known) => known.in === 'query' && known.name === name)) found.push({ in: 'query', name, value });
  }
  return found;
}

/**
 * The discriminators of each operation that shares its method and path with another (most
 * operations share with none and have none), and the operations no request can reach because an
 * earlier one on the same method and path cannot be told from them.
 */
export function routeDiscriminators(model: ApiModel): { discriminators: Map<OperationModel, Discriminator[]>; shadowed: Map<OperationModel, OperationModel> } {
  const byRoute = new Map<string, OperationModel[]>();
  for (const operation of model.operations) {
    const key = `${operation.method} ${routeShape(operation.path)}`;
    const group = byRoute.get(key);
    if (group) group.push(operation);
    else byRoute.set(key, [operation]);
  }
  const discriminators = new Map<OperationModel, Discriminator[]>();
  const shadowed = new Map<OperationModel, OperationModel>();
  for (const group of byRoute.values()) {
    if (group.length === 1) continue;
    const served: OperationModel[] = [];
    for (const operation of group) {
      const own = requestDiscriminators(model, operation);
      const clash = served.find((other) => !distinguishable(discriminators.get(other)!, own));
      if (clash) {
        shadowed.set(operation, clash);
        continue;
      }
      discriminators.set(operation, own);
      served.push(operation);
    }
  }
  return { discriminators, shadowed };
}

/** The one scalar value a schema allows (`const`, or an `enum` of one), if so. */
export function onlyValue(model: ApiModel, schema: unknown): string | number | boolean | undefined {
  const resolved = derefSchema(model.document, schema);
  if (!isRecord(resolved)) return undefined;
  const values = pinnedValues(resolved);
  const only = values?.length === 1 ? values[0] : undefined;
  return typeof only === 'string' || typeof only === 'number' || typeof only === 'boolean' ? only : undefined;
}

/** The literal `name=value` pairs of a query string in a path template. */
function templateQuery(path: string): Array<[string, string]> {
  const start = path.indexOf('?');
  if (start === -1) return [];
  const end = path.indexOf('#', start);
  return path
    .slice(start + 1, end === -1 ? undefined : end)
    .split('&')
    .flatMap((pair): Array<[string, string]> => {
      const equals = pair.indexOf('=');
      if (equals <= 0 || pair.includes('{')) return [];
      try {
        return [[decodeURIComponent(pair.slice(0, equals)), decodeURIComponent(pair.slice(equals + 1))]];
      } catch {
        return [];
      }
    });
}
