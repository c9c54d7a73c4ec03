// OpenAPI forbids templated paths that differ only in parameter names (`/countries/{code2}` and
// `/countries/{code3}`): no request can tell them apart. A generated server refuses such a spec;
// the mock serves the first and says which operations it cannot reach, as Prism does. Operations
// sharing a method and path that a request value tells apart (AWS's `Action`) are all served.
import { routeDiscriminators, type ApiModel, type OperationModel } from '@finrail/generators/model';

export interface ShadowedOperation {
  operation: OperationModel;
  /** The operation answering its requests instead. */
  servedBy: OperationModel;
}

export function withoutShadowedRoutes(model: ApiModel): { model: ApiModel; shadowed: ShadowedOperation[] } {
  const shadowed = [...routeDiscriminators(model).shadowed].map(([operation, servedBy]) => ({ operation, servedBy }));
  if (shadowed.length === 0) return { model, shadowed };
  const hidden = new Set(shadowed.map(({ operation }) => operation));
  return { model: { ...model, operations: model.operations.filter((operation) => !hidden.has(operation)) }, shadowed };
}
