// The Fetch standard forbids sending TRACE (and CONNECT, which OpenAPI has no operation for):
// fetch throws if asked. The generated client, msw handlers and pact interactions are all driven
// by fetch, so whatever they held for such an operation could never run; they leave it out.
import type { OperationModel } from './types.ts';

export function isSendableByFetch(operation: Pick<OperationModel, 'method'>): boolean {
  return operation.method !== 'trace';
}
