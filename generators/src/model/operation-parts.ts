// Normalization of the parts of an operation: parameters, bodies, responses, headers, examples.
import { extensionsOf, isRecord, resolveObject } from './refs.ts';
import type {
  EncodingModel,
  ExampleModel,
  HeaderModel,
  JsonSchema,
  MediaTypeModel,
  ParameterLocation,
  ParameterModel,
  ParameterStyle,
  RequestBodyModel,
  ResponseModel,
} from './types.ts';

type Obj = Record<string, unknown>;

const LOCATIONS = new Set<string>(['path', 'query', 'header', 'cookie']);

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function schemaOf(value: unknown): JsonSchema | undefined {
  return isRecord(value) || typeof value === 'boolean' ? (value as JsonSchema) : undefined;
}

export function examplesOf(document: unknown, holder: Obj): ExampleModel[] {
  const out: ExampleModel[] = [];
  if (isRecord(holder.examples)) {
    for (const [name, raw] of Object.entries(holder.examples)) {
      const { value: example } = resolveObject(document, raw);
      out.push({
        name,
        summary: optionalString(example.summary),
        description: optionalString(example.description),
        value: example.value,
        externalValue: optionalString(example.externalValue),
        extensions: extensionsOf(example),
      });
    }
  }
  if ('example' in holder && out.length === 0) out.push({ name: 'default', value: holder.example, extensions: {} });
  return out;
}

export function parameterFromObject(document: unknown, raw: unknown): ParameterModel | undefined {
  const { value: param, ref } = resolveObject(document, raw);
  const name = optionalString(param.name);
  const location = optionalString(param.in);
  if (name === undefined || location === undefined || !LOCATIONS.has(location)) return undefined;
  const where = location as ParameterLocation;
  const style = (optionalString(param.style) ?? (where === 'query' || where === 'cookie' ? 'form' : 'simple')) as ParameterStyle;
  let schema = schemaOf(param.schema);
  let contentType: string | undefined;
  let examples = examplesOf(document, param);
  if (schema === undefined && isRecord(param.content)) {
    const [first] = Object.entries(param.content);
    if (first && isRecord(first[1])) {
      contentType = first[0];
      schema = schemaOf(first[1].schema);
      if (examples.length === 0) examples = examplesOf(document, first[1]);
    }
  }
  return {
    name,
    in: where,
    required: where === 'path' ? true : param.required === true,
    style,
    explode: typeof param.explode === 'boolean' ? param.explode : style === 'form',
    allowReserved: param.allowReserved === true,
    allowEmptyValue: param.allowEmptyValue === true,
    deprecated: param.deprecated === true,
    description: optionalString(param.description),
    schema,
    contentType,
    examples,
    ref,
    extensions: extensionsOf(param),
  };
}

/** Path-item parameters overridden by operation parameters with the same name and location. */
export function mergeParameters(document: unknown, pathLevel: unknown, operationLevel: unknown): ParameterModel[] {
  const merged = new Map<string, ParameterModel>();
  for (const list of [pathLevel, operationLevel]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const param = parameterFromObject(document, raw);
      if (param && !canBeSent(param)) continue;
      // Header names are case-insensitive; other locations' are not.
      if (param) merged.set(`${param.in}\u0000${param.in === 'header' ? param.name.toLowerCase() : param.name}`, param);
    }
  }
  return [...merged.values()];
}

/** Whether a name can be an HTTP header field's (an RFC 9110 token: no spaces, no separators). */
export function isHeaderName(name: string): boolean {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name);
}

/**
 * Parameters no request can carry (notion: a header named ""), which a Fetch `Headers` lookup
 * would even throw on, are left out of the model.
 */
function canBeSent(param: ParameterModel): boolean {
  return param.name !== '' && (param.in !== 'header' || isHeaderName(param.name));
}

export function headersOf(document: unknown, headers: unknown): HeaderModel[] {
  if (!isRecord(headers)) return [];
  return Object.entries(headers).map(([name, raw]) => {
    const { value: header, ref } = resolveObject(document, raw);
    let schema = schemaOf(header.schema);
    if (schema === undefined && isRecord(header.content)) {
      const [first] = Object.values(header.content);
      if (isRecord(first)) schema = schemaOf(first.schema);
    }
    return {
      name,
      required: header.required === true,
      deprecated: header.deprecated === true,
      description: optionalString(header.description),
      schema,
      examples: examplesOf(document, header),
      ref,
    };
  });
}

function encodingOf(document: unknown, encoding: unknown): Record<string, EncodingModel> {
  const out: Record<string, EncodingModel> = {};
  if (!isRecord(encoding)) return out;
  for (const [property, raw] of Object.entries(encoding)) {
    if (!isRecord(raw)) continue;
    out[property] = {
      contentType: optionalString(raw.contentType),
      style: optionalString(raw.style) as ParameterStyle | undefined,
      explode: typeof raw.explode === 'boolean' ? raw.explode : undefined,
      allowReserved: typeof raw.allowReserved === 'boolean' ? raw.allowReserved : undefined,
      headers: headersOf(document, raw.headers),
    };
  }
  return out;
}

export function contentsOf(document: unknown, content: unknown): MediaTypeModel[] {
  if (!isRecord(content)) return [];
  return Object.entries(content).map(([mediaType, raw]) => {
    const media = isRecord(raw) ? raw : {};
    return {
      mediaType,
      schema: schemaOf(media.schema),
      examples: examplesOf(document, media),
      encoding: encodingOf(document, media.encoding),
    };
  });
}

export function requestBodyOf(document: unknown, raw: unknown): RequestBodyModel | undefined {
  if (raw === undefined) return undefined;
  const { value: body, ref } = resolveObject(document, raw);
  return {
    required: body.required === true,
    description: optionalString(body.description),
    contents: contentsOf(document, body.content),
    ref,
    extensions: extensionsOf(body),
  };
}

export function responsesOf(document: unknown, responses: unknown): ResponseModel[] {
  if (!isRecord(responses)) return [];
  const out: ResponseModel[] = [];
  for (const [key, raw] of Object.entries(responses)) {
    if (key.startsWith('x-')) continue;
    const status = key.toUpperCase() === 'DEFAULT' ? 'default' : key.toUpperCase();
    const kind = status === 'default' ? 'default' : /^\dXX$/.test(status) ? 'range' : 'code';
    const { value: response, ref } = resolveObject(document, raw);
    out.push({
      status,
      kind,
      success: status.startsWith('2'),
      description: optionalString(response.description) ?? '',
      headers: headersOf(document, response.headers),
      contents: contentsOf(document, response.content),
      links: isRecord(response.links) ? response.links : {},
      ref,
      extensions: extensionsOf(response),
    });
  }
  return out;
}
