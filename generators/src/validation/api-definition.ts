// From the API model to the server runtime's operation table (`ApiDefinition`): routes,
// parameter coercion hints, media types, security, and validators by name. The server target
// prints the same descriptors as source; `createApiDefinition` binds in-memory validators.
import { isJsonMediaType } from '@finrail/server';
import type {
  ApiDefinition,
  Discriminator,
  FormFieldDefinition,
  OperationDefinition,
  OperationValidators,
  ParameterDefinition,
  RequestBodyDefinition,
  ResponseDefinition,
  SecurityRequirement as RuntimeSecurityRequirement,
  SecuritySchemeDefinition,
  TypeHint,
  ValidateFunction,
} from '@finrail/server';
import { routeDiscriminators } from '../model/discriminators.ts';
import { getByRef, isRecord } from '../model/refs.ts';
import { declaresNull, JSON_TYPES, pinnedValues } from '../model/schema-keywords.ts';
import type { ApiModel, EncodingModel, JsonSchema, MediaTypeModel, OperationModel, ParameterModel, ResponseModel, SecuritySchemeModel } from '../model/types.ts';
import { createBranchValidators, type BranchValidators } from './branch-validators.ts';
import { compileValidators, createValidationAjv } from './compile.ts';
import { formProperties, isBinarySchema, isFormMedia } from './form-fields.ts';
import { checkedParameters, documentedHeaders, planValidation, type OperationValidatorNames, type ValidationPlan } from './plan.ts';

/** An operation as the runtime needs it, with validators referred to by plan entry name. */
export type OperationDescriptor = Omit<OperationDefinition, 'validators'> & { validators: OperationValidatorNames };

export function describeOperations(model: ApiModel, plan: ValidationPlan): OperationDescriptor[] {
  const { discriminators } = routeDiscriminators(model);
  return model.operations.map((operation) => describeOperation(model, operation, plan.operations.get(operation.operationId) ?? {}, discriminators.get(operation)));
}

function describeOperation(model: ApiModel, operation: OperationModel, validators: OperationValidatorNames, discriminators: Discriminator[] | undefined): OperationDescriptor {
  const descriptor: OperationDescriptor = {
    operationId: operation.operationId,
    method: operation.method,
    path: operation.path,
    parameters: checkedParameters(operation).map((parameter) => describeParameter(model, parameter, operation.path)),
    responses: Object.fromEntries(operation.responses.map((response) => [response.status, describeResponse(model, response)])),
    validators,
  };
  if (operation.requestBody && operation.requestBody.contents.length > 0) {
    const contents = operation.requestBody.contents;
    const requestBody: RequestBodyDefinition = { required: operation.requestBody.required, contentTypes: contents.map((content) => content.mediaType) };
    const forms = contents.filter((content) => isFormMedia(content.mediaType) && content.schema !== undefined);
    if (forms.length > 0) requestBody.forms = Object.fromEntries(forms.map((content) => [content.mediaType, describeForm(model, content)]));
    descriptor.requestBody = requestBody;
  }
  const security = describeSecurity(operation);
  if (security.length > 0) descriptor.security = security;
  if (discriminators && discriminators.length > 0) descriptor.discriminators = discriminators;
  return descriptor;
}

function describeResponse(model: ApiModel, response: ResponseModel): ResponseDefinition {
  const definition: ResponseDefinition = { contentTypes: response.contents.map((content) => content.mediaType) };
  const headers = documentedHeaders(response);
  if (headers.length > 0) {
    // A response header reads like a header parameter: `simple` style, no explode.
    definition.headers = headers.map((header) =>
      describeParameter(model, { name: header.name, in: 'header', required: header.required, style: 'simple', explode: false, schema: header.schema }),
    );
  }
  return definition;
}

function describeForm(model: ApiModel, content: MediaTypeModel): Record<string, FormFieldDefinition> {
  const multipart = !content.mediaType.toLowerCase().startsWith('application/x-www-form-urlencoded');
  return Object.fromEntries(
    Object.entries(formProperties(model.document, content.schema)).map(([name, schema]) => [
      name,
      describeFormField(model, schema, content.encoding[name], multipart),
    ]),
  );
}

function describeFormField(model: ApiModel, schema: JsonSchema, encodingModel: EncodingModel | undefined, multipart: boolean): FormFieldDefinition {
  const field: FormFieldDefinition = { type: typeHint(model, schema) };
  const encoding = encodingModel?.contentType;
  const items = field.type === 'array' && isRecord(schema) ? deref(model, schema.items as JsonSchema | undefined) : undefined;
  const itemsHint = items === undefined ? undefined : typeHint(model, items);
  // Typed items also when an array field is sent as repeated fields (`amounts=32&amounts=45`).
  if (itemsHint !== undefined && itemsHint !== 'unknown' && itemsHint !== 'string') field.items = itemsHint;
  if (field.type === 'array' && allowsEmptyString(model, schema)) field.emptyString = true;
  if (['integer', 'number', 'boolean'].includes(field.type) && allowsNull(model, schema)) field.nullable = true;
  // Stripe sends arrays and anyOf fields in bracket notation too (`expand[0]`, `metadata[key]`).
  if (!multipart && encodingModel?.style === 'deepObject' && ['object', 'array', 'unknown'].includes(field.type)) {
    field.deepObject = true;
    if (field.type === 'object') field.properties = propertyHints(model, schema);
    const leaves = leafHints(model, schema);
    if (Object.keys(leaves).length > 0) field.leaves = leaves;
    return field;
  }
  if (isBinarySchema(schema) || isBinarySchema(items)) {
    delete field.items;
    field.binary = true;
    return field;
  }
  // Without an encoding, object values are JSON: multipart object parts are application/json
  // (OpenAPI's Encoding Object), and the generated client writes an object into an urlencoded form
  // as its JSON text (salesloft's `custom_fields`, an array of objects).
  if (encoding !== undefined ? isJsonMediaType(encoding) : field.type === 'object' || field.items === 'object') field.json = true;
  return field;
}

type DescribedParameter = Pick<ParameterModel, 'name' | 'in' | 'required' | 'style' | 'explode' | 'schema' | 'contentType'>;

function describeParameter(model: ApiModel, parameter: DescribedParameter, path?: string): ParameterDefinition {
  const schema = deref(model, parameter.schema);
  const definition: ParameterDefinition = {
    name: parameter.name,
    in: parameter.in,
    required: parameter.required,
    type: typeHint(model, schema),
  };
  const defaultStyle = parameter.in === 'query' || parameter.in === 'cookie' ? 'form' : 'simple';
  if (parameter.style !== defaultStyle) definition.style = parameter.style;
  if (parameter.explode !== (parameter.style === 'form')) definition.explode = parameter.explode;
  if (definition.type === 'array') {
    const items = typeHint(model, deref(model, isRecord(schema) ? (schema.items as JsonSchema) : undefined));
    if (items !== 'unknown' && items !== 'string') definition.items = items;
  }
  if (definition.type === 'object' && isRecord(schema) && isRecord(schema.properties)) definition.properties = propertyHints(model, schema);
  if (parameter.contentType !== undefined) definition.contentType = parameter.contentType;
  const values = parameter.in === 'path' && isRecord(schema) ? pinnedValues(schema) : undefined;
  if (values && values.length > 0 && values.every((value) => typeof value === 'string') && sharesSegment(path, parameter.name)) definition.values = values as string[];
  return definition;
}

/** Whether a path parameter shares its segment with another (`/blog/{pageName}{mediaTypeExtension}`). */
function sharesSegment(path: string | undefined, name: string): boolean {
  const segment = path?.split('/').find((part) => part.includes(`{${name}}`));
  return segment !== undefined && (segment.match(/\{[^{}]+\}/g) ?? []).length > 1;
}

/** How each property of an object is coerced from text. */
function propertyHints(model: ApiModel, schema: JsonSchema): Record<string, TypeHint> {
  const properties = isRecord(schema) && isRecord(schema.properties) ? schema.properties : {};
  return Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, typeHint(model, deref(model, property as JsonSchema))]));
}

/** Non-text value types below a deepObject field by path (`dob.day`, `*.quantity`: `*` for any index or map key), through refs, allOf/anyOf/oneOf, items and additionalProperties. */
function leafHints(model: ApiModel, root: JsonSchema): Record<string, TypeHint> {
  const leaves: Record<string, TypeHint> = {};
  const visit = (schema: JsonSchema | undefined, path: string, depth: number): void => {
    const resolved = deref(model, schema);
    if (depth > 6 || !isRecord(resolved)) return;
    for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
      if (Array.isArray(resolved[keyword])) for (const branch of resolved[keyword] as JsonSchema[]) visit(branch, path, depth + 1);
    }
    if (isRecord(resolved.properties)) {
      for (const [name, property] of Object.entries(resolved.properties)) visit(property as JsonSchema, path ? `${path}.${name}` : name, depth + 1);
    }
    if (resolved.items !== undefined) visit(resolved.items as JsonSchema, path ? `${path}.*` : '*', depth + 1);
    if (isRecord(resolved.additionalProperties)) visit(resolved.additionalProperties as JsonSchema, path ? `${path}.*` : '*', depth + 1);
    const hint = typeHint(model, resolved);
    if (path && (hint === 'integer' || hint === 'number' || hint === 'boolean')) leaves[path] ??= hint;
  };
  visit(root, '', 0);
  return leaves;
}

function describeSecurity(operation: OperationModel): RuntimeSecurityRequirement[] {
  return operation.security.map((alternative) => Object.fromEntries(alternative.map((requirement) => [requirement.scheme, requirement.scopes])));
}

export function describeSecuritySchemes(model: ApiModel): Record<string, SecuritySchemeDefinition> {
  return Object.fromEntries(Object.entries(model.securitySchemes).map(([name, scheme]) => [name, describeScheme(scheme)]));
}

function describeScheme(scheme: SecuritySchemeModel): SecuritySchemeDefinition {
  switch (scheme.type) {
    case 'apiKey':
      return { type: 'apiKey', in: scheme.in, name: scheme.parameterName };
    case 'http':
      return scheme.bearerFormat !== undefined
        ? { type: 'http', scheme: scheme.scheme, bearerFormat: scheme.bearerFormat }
        : { type: 'http', scheme: scheme.scheme };
    default:
      return { type: scheme.type };
  }
}

function deref(model: ApiModel, schema: JsonSchema | undefined): JsonSchema | undefined {
  let current: unknown = schema;
  for (let depth = 0; depth < 16 && isRecord(current) && typeof current.$ref === 'string'; depth++) {
    current = getByRef(model.document, current.$ref);
  }
  return current as JsonSchema | undefined;
}

/** Whether a oneOf/anyOf branch is the empty string (`enum: ['']`, Stripe's idiom for "unset"). */
function allowsEmptyString(model: ApiModel, schema: JsonSchema): boolean {
  if (!isRecord(schema)) return false;
  const branches = [...(Array.isArray(schema.anyOf) ? schema.anyOf : []), ...(Array.isArray(schema.oneOf) ? schema.oneOf : [])];
  return branches.some((branch) => {
    const resolved = deref(model, branch as JsonSchema);
    return isRecord(resolved) && Array.isArray(resolved.enum) && resolved.enum.includes('');
  });
}

/** Whether a schema admits null: 3.0 `nullable`, a 3.1 type array with `null`, or a null branch. */
function allowsNull(model: ApiModel, schema: JsonSchema | undefined): boolean {
  const resolved = deref(model, schema);
  if (!isRecord(resolved)) return false;
  if (declaresNull(resolved)) return true;
  const branches = [...(Array.isArray(resolved.anyOf) ? resolved.anyOf : []), ...(Array.isArray(resolved.oneOf) ? resolved.oneOf : [])];
  return branches.some((branch) => allowsNull(model, branch as JsonSchema));
}

/** The JSON type raw parameter strings are coerced to, from the schema. */
export function typeHint(model: ApiModel, schema: JsonSchema | undefined): TypeHint {
  if (!isRecord(schema)) return 'unknown';
  const type = Array.isArray(schema.type) ? schema.type.find((entry) => entry !== 'null') : schema.type;
  if (typeof type === 'string' && JSON_TYPES.has(type)) return type as TypeHint;
  if (isRecord(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const types = new Set(schema.enum.map((value) => (typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value)));
    const hint = scalarHint(types) ?? (types.has('string') ? 'string' : undefined);
    if (hint) return hint;
  }
  for (const keyword of ['allOf', 'oneOf', 'anyOf'] as const) {
    const branches = schema[keyword];
    if (!Array.isArray(branches)) continue;
    const hints = branches.map((branch) => typeHint(model, deref(model, branch as JsonSchema))).filter((hint) => hint !== 'unknown');
    // A number or boolean beside text (stripe: `trial_end` is `now` or a timestamp).
    const scalar = scalarHint(new Set(hints));
    if (keyword !== 'allOf' && scalar && hints.every((hint) => SCALAR_HINTS.has(hint) || hint === 'string' || hint === 'null')) return scalar;
    if (hints.length > 0) return hints[0]!;
  }
  return 'unknown';
}

const SCALAR_HINTS: ReadonlySet<TypeHint> = new Set(['integer', 'number', 'boolean', 'scalar']);

/**
 * One hint for a value that may be any of these types' scalars (an enum's members, a union's
 * branches), or none if it has none: coercion converts only the texts that spell one, so the
 * others stay reachable. Numbers and booleans together are 'scalar' (nexmo: one of true, false, 0, 1).
 */
function scalarHint(hints: ReadonlySet<string>): TypeHint | undefined {
  const numeric = hints.has('number') ? 'number' : hints.has('integer') ? 'integer' : undefined;
  if (hints.has('scalar') || (numeric && hints.has('boolean'))) return 'scalar';
  return numeric ?? (hints.has('boolean') ? 'boolean' : undefined);
}

export interface ValidatedApi {
  definition: ApiDefinition;
  plan: ValidationPlan;
  validators: Record<string, ValidateFunction>;
  /** Per-branch validators of every oneOf/anyOf, for generating data that matches one branch. */
  branchValidators: BranchValidators;
}

/**
 * The runtime operation table for a model with validators compiled in memory: what
 * `finrail mock` serves and `finrail contracts check` validates with.
 */
export function createApiDefinition(model: ApiModel): ValidatedApi {
  const plan = planValidation(model);
  const ajv = createValidationAjv(plan, { source: false });
  const validators = compileValidators(plan, ajv);
  const lookup = (name: string | undefined): ValidateFunction | undefined => (name === undefined ? undefined : validators[name]);
  const operations = describeOperations(model, plan).map((descriptor): OperationDefinition => {
    const names = descriptor.validators;
    const bound: OperationValidators = {
      path: lookup(names.path),
      query: lookup(names.query),
      headers: lookup(names.headers),
      cookies: lookup(names.cookies),
      body: names.body && mapRecord(names.body, (name) => validators[name]!),
      responses: names.responses && mapRecord(names.responses, (byType) => mapRecord(byType, (name) => validators[name]!)),
      responseHeaders: names.responseHeaders && mapRecord(names.responseHeaders, (name) => validators[name]!),
    };
    return { ...descriptor, validators: bound };
  });
  return { definition: { operations, securitySchemes: describeSecuritySchemes(model) }, plan, validators, branchValidators: createBranchValidators(plan, ajv) };
}

function mapRecord<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}
