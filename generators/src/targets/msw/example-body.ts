// The body an msw handler answers by default, chosen like the standalone mock server chooses it.
// The schema-driven generator lives with the mock server (packages/mock-server/src/fake); it is a
// dependency-free module, so this target embeds it through a relative import rather than making
// @finrail/generators depend on @finrail/mock (which depends on it).
import { generateValue, hashString, isSchemaObject, resolveSchemaRef } from '../../../../packages/mock-server/src/fake/index.ts';
import type { ApiModel, MediaTypeModel, OperationModel, ResponseModel } from '../../model/types.ts';
import type { BranchValidators } from '../../validation/branch-validators.ts';

/** True when `value` is valid for the response's media type (the server runtime's validators). */
export type ExampleValidator = (operation: OperationModel, response: ResponseModel, media: MediaTypeModel, value: unknown) => boolean;

export interface ChosenBody {
  value: unknown;
  /** For the handler's doc comment: 'the example "main"', 'the schema example', 'generated data'. */
  source: string;
}

/**
 * The first valid documented example, else a valid schema example, else data generated from the
 * schema (fixed seed; with `branchValidators`, matching exactly one branch of each oneOf).
 */
export function exampleBody(
  model: ApiModel,
  operation: OperationModel,
  response: ResponseModel,
  media: MediaTypeModel,
  validator?: ExampleValidator,
  branchValidators?: BranchValidators,
): ChosenBody {
  const valid = (value: unknown): boolean => !validator || validator(operation, response, media, value);
  for (const example of media.examples) {
    if ('value' in example && example.externalValue === undefined && valid(example.value)) return { value: example.value, source: `the example "${example.name}"` };
  }
  const schema = isSchemaObject(media.schema) && typeof media.schema.$ref === 'string' ? resolveSchemaRef(model.document, media.schema.$ref) : media.schema;
  if (isSchemaObject(schema)) {
    const candidates = [...(Array.isArray(schema.examples) ? schema.examples : []), ...('example' in schema ? [schema.example] : [])];
    const found = candidates.find(valid);
    if (found !== undefined) return { value: found, source: 'the schema example' };
  }
  if (media.schema === undefined) return { value: undefined, source: 'no body' };
  const seed = hashString(`msw|${operation.operationId}|${response.status}|${media.mediaType}`);
  return { value: generateValue(media.schema, { seed, document: model.document, direction: 'response', branchValidators }), source: 'data generated from the schema' };
}
