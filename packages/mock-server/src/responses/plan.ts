import { documentedHeaders, encodePointerSegment, getByRef, type ApiModel, type ExampleModel, type HeaderModel, type JsonSchema, type OperationModel } from '@finrail/generators/model';
import { compileResponseHeadersCheck, escapePointerToken, type OperationDefinition, type ResponseHeadersCheck, type ValidateFunction } from '@finrail/server';
import { isSchemaObject, resolveSchemaRef } from '../fake/index.ts';
import { serializeHeader } from './header-values.ts';

/** An ajv validate function, in memory or standalone: the server runtime's validators. */
export type Validate = ValidateFunction;

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

export interface HeaderPlan {
  header: HeaderModel;
  /** Header examples that validated, serialised as sent. */
  examples: string[];
  /** Whether a value passes the compiled validator the server runtime checks responses with. */
  accepts?: (value: string) => boolean;
}

export interface ResponsePlan {
  status: string;
  kind: 'code' | 'range' | 'default';
  success: boolean;
  contents: ContentPlan[];
  /** Documented headers, except Content-Type and Content-Length. */
  headers: HeaderPlan[];
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
 * responses with the examples that pass the same validators the server runtime uses. With the
 * operation's runtime `definition`, header examples are checked too and generated headers can be.
 */
export function planOperation(
  model: ApiModel,
  operation: OperationModel,
  validatorFor: ResponseValidatorLookup,
  problems: ExampleProblem[],
  definition?: OperationDefinition,
): OperationPlan {
  const checkHeaders = definition && compileResponseHeadersCheck(definition);
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
      const examples = servableExamples(model.document, contentPointer, content.examples);
      return {
        mediaType: content.mediaType,
        schema: content.schema,
        examples: examples.filter(keep),
        schemaExamples: schemaExamplesOf(model.document, content.schema, `${contentPointer}/schema`).filter(keep),
        validate,
      };
    });
    const headers = documentedHeaders(response).map((header): HeaderPlan => {
      const accepts = checkHeaders && headerAcceptor(checkHeaders, response.status, header.name);
      const examples: string[] = [];
      for (const example of servableExamples(model.document, header.ref ?? `${base}/headers/${encodePointerSegment(header.name)}`, header.examples)) {
        const value = serializeHeader(example.value);
        if (value === undefined) continue;
        if (!accepts || accepts(value)) examples.push(value);
        else problems.push({ file: model.specPath, pointer: example.pointer, operationId: operation.operationId, violations: [`${value} is not a valid ${header.name} header`] });
      }
      return { header, examples, accepts };
    });
    return { status: response.status, kind: response.kind, success: response.success, contents, headers };
  });
  return { operation, responses };
}

/** Examples given by value, each with its JSON pointer in the bundled document. */
function servableExamples(document: unknown, pointer: string, examples: readonly ExampleModel[]): ServableExample[] {
  const raw = getByRef(document, pointer) as { example?: unknown } | undefined;
  return examples
    .filter((example) => 'value' in example && example.externalValue === undefined)
    .map((example) => ({
      name: example.name,
      value: example.value,
      pointer: raw && 'example' in raw && example.name === 'default' ? `${pointer}/example` : `${pointer}/examples/${encodePointerSegment(example.name)}/value`,
    }));
}

/** Checks one header's value alone: issues about the other documented headers are not its business. */
function headerAcceptor(check: ResponseHeadersCheck, status: string, name: string): (value: string) => boolean {
  const lower = name.toLowerCase();
  const pointer = `/header/${escapePointerToken(name)}`;
  return (value) =>
    !check(status, (candidate) => (candidate === lower ? value : undefined)).some((issue) => issue.pointer === pointer || issue.pointer.startsWith(`${pointer}/`));
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
