import { encodePointerSegment, getByRef, type ApiModel, type HeaderModel, type JsonSchema, type OperationModel } from '@finrail/generators';
import { isSchemaObject, resolveSchemaRef } from '../fake/index.ts';

/** An ajv validate function, in memory or standalone (the server runtime's validators fit). */
export interface Validate {
  (data: unknown): boolean;
  errors?: readonly { instancePath: string; message?: string; params?: Record<string, unknown> }[] | null;
}

/** Looks up the compiled response validator for a documented status and media type. */
export type ResponseValidatorLookup = (operation: OperationModel, status: string, mediaType: string) => Validate | undefined;

export interface ServableExample {
  name: string;
  value: unknown;
  /** JSON pointer of the example in the bundled document. */
  pointer: string;
}

export interface ContentPlan {
  mediaType: string;
  schema?: JsonSchema;
  /** Media-type examples that validated, in document order. */
  examples: ServableExample[];
  /** `example`/`examples` of the schema itself that validated: the fallback before generating. */
  schemaExamples: ServableExample[];
  validate?: Validate;
}

export interface ResponsePlan {
  status: string;
  kind: 'code' | 'range' | 'default';
  success: boolean;
  contents: ContentPlan[];
  headers: HeaderModel[];
}

export interface OperationPlan {
  operation: OperationModel;
  responses: ResponsePlan[];
}

/** An example that does not match its schema: reported at start-up, never served. */
export interface ExampleProblem {
  file: string;
  pointer: string;
  operationId: string;
  violations: string[];
}

/**
 * Prepares, once at start-up, everything the mock needs to answer an operation: its documented
 * responses with the examples that pass the same validators the server runtime uses.
 */
export function planOperation(model: ApiModel, operation: OperationModel, validatorFor: ResponseValidatorLookup, problems: ExampleProblem[]): OperationPlan {
  const responses = operation.responses.map((response): ResponsePlan => {
    const base = response.ref ?? `${operation.pointer}/responses/${encodePointerSegment(response.status)}`;
    const contents = response.contents.map((content): ContentPlan => {
      const contentPointer = `${base}/content/${encodePointerSegment(content.mediaType)}`;
      const validate = validatorFor(operation, response.status, content.mediaType);
      const keep = (example: ServableExample): boolean => {
        if (!validate || validate(example.value)) return true;
        problems.push({ file: model.specPath, pointer: example.pointer, operationId: operation.operationId, violations: describeErrors(validate) });
        return false;
      };
      const raw = getByRef(model.document, contentPointer) as { example?: unknown } | undefined;
      const examples = content.examples
        .filter((example) => 'value' in example && example.externalValue === undefined)
        .map((example) => ({
          name: example.name,
          value: example.value,
          pointer: raw && 'example' in raw && example.name === 'default' ? `${contentPointer}/example` : `${contentPointer}/examples/${encodePointerSegment(example.name)}/value`,
        }));
      return {
        mediaType: content.mediaType,
        schema: content.schema,
        examples: examples.filter(keep),
        schemaExamples: schemaExamplesOf(model.document, content.schema, `${contentPointer}/schema`).filter(keep),
        validate,
      };
    });
    return { status: response.status, kind: response.kind, success: response.success, contents, headers: response.headers };
  });
  return { operation, responses };
}

function schemaExamplesOf(document: unknown, schema: JsonSchema | undefined, pointer: string): ServableExample[] {
  let target: unknown = schema;
  let at = pointer;
  for (let hops = 0; isSchemaObject(target) && typeof target.$ref === 'string' && hops < 8; hops++) {
    at = target.$ref;
    target = resolveSchemaRef(document, target.$ref);
  }
  if (!isSchemaObject(target)) return [];
  const found: ServableExample[] = [];
  if (Array.isArray(target.examples)) {
    target.examples.forEach((value, index) => found.push({ name: `schema-example-${index + 1}`, value, pointer: `${at}/examples/${index}` }));
  }
  if ('example' in target) found.push({ name: 'schema-example', value: target.example, pointer: `${at}/example` });
  return found;
}

export function describeErrors(validate: Validate): string[] {
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
}
