// Decides which validators an API needs and with which JSON Schema each: one per parameter
// location, one per JSON or form request media type, one per JSON response media type and status,
// one for the documented headers of each response.
// The plan is compiled either to standalone code or to in-memory functions (compile.ts).
import { isJsonMediaType } from '@finrail/server';
import type { ApiModel, HeaderModel, JsonSchema, MediaTypeModel, OperationModel, ParameterLocation, ParameterModel, ResponseModel } from '../model/types.ts';
import { componentId, convertSchema, type ConvertContext, type SchemaDirection } from './convert-schema.ts';
import { isFormMedia, relaxFileFields } from './form-fields.ts';

export interface ValidatorEntry {
  /** A JS identifier, unique in the plan: the export name in standalone code. */
  name: string;
  schema: JsonSchema;
}

/** Validator names of one operation, shaped like the runtime's `OperationValidators`. */
export interface OperationValidatorNames {
  path?: string;
  query?: string;
  headers?: string;
  cookies?: string;
  body?: Record<string, string>;
  responses?: Record<string, Record<string, string>>;
  /** By status. */
  responseHeaders?: Record<string, string>;
}

export interface ValidationPlan {
  openapi: '3.0' | '3.1';
  /** Converted component schemas to register with ajv (by id) before compiling entries. */
  components: Array<{ id: string; schema: JsonSchema }>;
  entries: ValidatorEntry[];
  /** Keyed by operationId. */
  operations: Map<string, OperationValidatorNames>;
  /** How a schema converts in each direction, against the components registered above. */
  contexts: Record<SchemaDirection, ConvertContext>;
}

const LOCATION_KEYS: Record<ParameterLocation, 'path' | 'query' | 'headers' | 'cookies'> = {
  path: 'path',
  query: 'query',
  header: 'headers',
  cookie: 'cookies',
};

export function planValidation(model: ApiModel): ValidationPlan {
  const document = model.document;
  // readOnly/writeOnly and defaults make request and response views of a schema differ (defaults
  // are filled into requests, never into responses); without them one view serves both and the
  // generated code stays half the size.
  const json = JSON.stringify(document);
  const hasDefaults = /"default":/.test(json);
  const directional = hasDefaults || /"(readOnly|writeOnly)":true/.test(json);
  const contexts = new Map<SchemaDirection | 'both', ConvertContext>();
  const components: ValidationPlan['components'] = [];
  const register = (context: ConvertContext): void => {
    for (const [name, schema] of Object.entries(model.schemas)) {
      components.push({ id: componentId(context, name), schema: convertSchema(schema, context) });
    }
  };
  const contextFor = (direction: SchemaDirection): ConvertContext => {
    const key = directional ? direction : 'both';
    let context = contexts.get(key);
    if (!context) {
      context = { openapi: model.openapi, direction: directional ? direction : undefined, document, componentIdBase: `finrail:/${key}/` };
      contexts.set(key, context);
      if (context.direction === 'request' && hasDefaults) {
        const tentative: ConvertContext = { ...context, withoutDefaults: true, componentIdBase: 'finrail:/request-tentative/' };
        tentative.tentative = tentative;
        context.tentative = tentative;
        register(tentative);
      }
      register(context);
    }
    return context;
  };

  const entries: ValidatorEntry[] = [];
  const operations = new Map<string, OperationValidatorNames>();
  // APIs document the same few headers on response after response (X-Request-Id on all of them):
  // one validator per distinct set keeps generated code small.
  const headerValidators = new Map<string, string>();
  for (const operation of model.operations) {
    const names: OperationValidatorNames = {};
    const request = contextFor('request');
    for (const [location, key] of Object.entries(LOCATION_KEYS) as Array<[ParameterLocation, (typeof LOCATION_KEYS)[ParameterLocation]]>) {
      const schema = parametersSchema(operation, location, request);
      if (!schema) continue;
      const name = `${operation.name}_${key}`;
      entries.push({ name, schema });
      names[key] = name;
    }
    operation.requestBody?.contents.forEach((content, index) => {
      const schema = isFormMedia(content.mediaType) ? formSchema(content, request) : bodySchema(content, request);
      if (schema === undefined) return;
      const name = `${operation.name}_body_${index}`;
      entries.push({ name, schema });
      (names.body ??= {})[content.mediaType] = name;
    });
    const response = contextFor('response');
    for (const documented of operation.responses) {
      const prefix = `${operation.name}_response_${documented.status.replace(/[^A-Za-z0-9]/g, '_')}`;
      documented.contents.forEach((content, index) => {
        const schema = bodySchema(content, response);
        if (schema === undefined) return;
        const name = `${prefix}_${index}`;
        entries.push({ name, schema });
        ((names.responses ??= {})[documented.status] ??= {})[content.mediaType] = name;
      });
      const headers = documentedHeaders(documented);
      if (headers.length > 0) {
        const schema = objectSchema(headers, response);
        const key = JSON.stringify(schema);
        let name = headerValidators.get(key);
        if (name === undefined) {
          name = `${prefix}_headers`;
          entries.push({ name, schema });
          headerValidators.set(key, name);
        }
        (names.responseHeaders ??= {})[documented.status] = name;
      }
    }
    operations.set(operation.operationId, names);
  }
  const converted = { request: contextFor('request'), response: contextFor('response') };
  return { openapi: model.openapi, components, entries, operations, contexts: converted };
}

function bodySchema(content: MediaTypeModel, context: ConvertContext): JsonSchema | undefined {
  if (!isJsonMediaType(content.mediaType) || content.schema === undefined) return undefined;
  return convertSchema(content.schema, context);
}

function formSchema(content: MediaTypeModel, context: ConvertContext): JsonSchema | undefined {
  if (content.schema === undefined) return undefined;
  return convertSchema(relaxFileFields(context.document, content.schema), context);
}

/**
 * The response headers that make up the contract. Content-Type is the media type's business (and
 * OpenAPI ignores its header definition); Content-Length is framing the adapters set.
 */
export function documentedHeaders(response: ResponseModel): HeaderModel[] {
  return response.headers.filter((header) => !UNCHECKED_HEADERS.has(header.name.toLowerCase()));
}

const UNCHECKED_HEADERS = new Set(['content-type', 'content-length']);

/**
 * The parameters a request is checked against (the model has no Accept, Content-Type or
 * Authorization header parameters: see document-hygiene.ts). A "path" parameter in the query
 * string of a template (`/alerts?lat={lat}`, which OpenAPI forbids and weatherbit does) arrives
 * as a query parameter.
 */
export function checkedParameters(operation: OperationModel): ParameterModel[] {
  const query = operation.path.indexOf('?');
  const inQueryPart = (parameter: ParameterModel): boolean =>
    query !== -1 && parameter.in === 'path' && !operation.path.slice(0, query).includes(`{${parameter.name}}`) && operation.path.includes(`{${parameter.name}}`, query);
  return operation.parameters.map((parameter) => (inQueryPart(parameter) ? { ...parameter, in: 'query', style: 'form', explode: true } : parameter));
}

/** The parameters of one location as an object schema, keyed by declared name. */
function parametersSchema(operation: OperationModel, location: ParameterLocation, context: ConvertContext): JsonSchema | undefined {
  const parameters = checkedParameters(operation).filter((parameter) => parameter.in === location);
  return parameters.length === 0 ? undefined : objectSchema(parameters, context);
}

/** Named values (parameters of a location, headers of a response) as one object schema. */
function objectSchema(fields: ReadonlyArray<{ name: string; schema?: JsonSchema; required: boolean }>, context: ConvertContext): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const field of fields) {
    properties[field.name] = convertSchema(field.schema ?? true, context);
    if (field.required) required.push(field.name);
  }
  const schema: Record<string, unknown> = { type: 'object', properties };
  if (required.length > 0) schema.required = required;
  return schema;
}
