// OpenAPI forbids templated paths that differ only in parameter names (`/countries/{code2}` and
// `/countries/{code3}`): no request can tell them apart. A generated server refuses such a spec;
// the mock serves the first and says which operations it cannot reach, as Prism does.
import type { ApiModel, OperationModel } from '@finrail/generators/model';
import { routeShape } from '@finrail/server';

export interface ShadowedOperation {
  operation: OperationModel;
  /** The operation answering its requests instead. */
  servedBy: OperationModel;
}

export function withoutShadowedRoutes(model: ApiModel): { model: ApiModel; shadowed: ShadowedOperation[] } {
  const first = new Map<string, OperationModel>();
  const shadowed: ShadowedOperation[] = [];
  for (const operation of model.operations) {
    const key = `${operation.method} ${routeShape(operation.path)}`;
    const servedBy = first.get(key);
    if (servedBy) shadowed.push({ operation, servedBy });
    else first.set(key, operation);
  }
  if (shadowed.length === 0) return { model, shadowed };
  const hidden = new Set(shadowed.map(({ operation }) => operation));
  return { model: { ...model, operations: model.operations.filter((operation) => !hidden.has(operation)) }, shadowed };
}
