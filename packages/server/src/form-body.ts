// Form bodies (`application/x-www-form-urlencoded`, `multipart/form-data`) as the object their
// schema describes: repeated fields become arrays, each value is coerced from its string as a
// query parameter is, JSON parts are parsed and file parts stay Blobs.
import { coerceScalar, compileParameterParser, decodeComponent, isNullText, jsonOrText, parseQueryString, type ParameterSources } from './parameters.ts';
import type { FormFieldDefinition, ParameterDefinition, TypeHint } from './types.ts';

export type FormFields = Readonly<Record<string, FormFieldDefinition>>;
type FormValue = string | Blob;

/**
 * An urlencoded body as its schema's object. It reads like a query string: deepObject fields
 * (`metadata[order]=1001`) are parsed by the query parameter reader, every other field as a form field.
 */
export function parseUrlEncoded(text: string, fields: FormFields): Record<string, unknown> {
  const deepObjects = deepObjectReader(fields);
  if (!deepObjects) return coerceForm(new URLSearchParams(text), fields);
  const query = parseQueryString(text);
  const rest: Array<[string, string]> = [];
  for (const [name, values] of query) if (!deepObjects.claims(name)) for (const value of values) rest.push([name, decodeComponent(value)]);
  const deep = deepObjects.read({ ...NO_SOURCES, query }).query;
  for (const [name, value] of Object.entries(deep)) {
    const field = fields[name]!;
    // An array field sent in bracket notation (`expand[0]=a&expand[1]=b`) arrives keyed by index.
    const shaped = field.type === 'array' && value !== null && typeof value === 'object' ? Object.values(value) : value;
    const leaves = deepObjects.leaves.get(name);
    deep[name] = leaves ? coerceLeaves(shaped, leaves, '') : shaped;
  }
  return { ...coerceForm(rest, fields), ...deep };
}

interface LeafPaths {
  types: Readonly<Record<string, TypeHint>>;
  /** Every path leading to a typed leaf: a key not on one is a map key, matched by `*`. */
  prefixes: ReadonlySet<string>;
}

function compileLeafPaths(types: Readonly<Record<string, TypeHint>>): LeafPaths {
  const prefixes = new Set<string>();
  for (const path of Object.keys(types)) path.split('.').forEach((_, index, segments) => prefixes.add(segments.slice(0, index + 1).join('.')));
  return { types, prefixes };
}

/** Text values below a deepObject field, coerced to the type their path has in the schema. */
function coerceLeaves(value: unknown, leaves: LeafPaths, path: string): unknown {
  const child = (key: string): string => {
    const named = path ? `${path}.${key}` : key;
    return leaves.prefixes.has(named) ? named : path ? `${path}.*` : '*';
  };
  if (Array.isArray(value)) return value.map((item) => coerceLeaves(item, leaves, child('*')));
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    for (const [key, inner] of Object.entries(object)) object[key] = coerceLeaves(inner, leaves, child(key));
    return object;
  }
  return typeof value === 'string' ? coerceScalar(value, leaves.types[path]) : value;
}

interface DeepObjectReader {
  read: ReturnType<typeof compileParameterParser>;
  claims(name: string): boolean;
  /** The typed leaves of each deepObject field that has any. */
  leaves: ReadonlyMap<string, LeafPaths>;
}

const deepObjectReaders = new WeakMap<FormFields, DeepObjectReader | undefined>();

/** Compiled once per form; undefined when the form has no deepObject field. */
function deepObjectReader(fields: FormFields): DeepObjectReader | undefined {
  if (!deepObjectReaders.has(fields)) deepObjectReaders.set(fields, compileDeepObjectReader(fields));
  return deepObjectReaders.get(fields);
}

function compileDeepObjectReader(fields: FormFields): DeepObjectReader | undefined {
  const names = Object.keys(fields).filter((name) => fields[name]!.deepObject);
  if (names.length === 0) return undefined;
  const parameters: ParameterDefinition[] = names.map((name) => ({ name, in: 'query', required: false, type: 'object', style: 'deepObject', explode: true, properties: fields[name]!.properties }));
  const leaves = new Map(names.flatMap((name) => (fields[name]!.leaves ? [[name, compileLeafPaths(fields[name]!.leaves!)] as const] : [])));
  return { read: compileParameterParser(parameters), claims: (key) => names.some((name) => key.startsWith(`${name}[`) && key.endsWith(']')), leaves };
}

const NO_SOURCES: Omit<ParameterSources, 'query'> = { path: {}, header: () => undefined, cookies: () => new Map() };

/**
 * Multipart parts by name, or undefined when the body is not valid multipart. Parts uploaded as
 * files (the way clients send JSON parts too) are read as text unless their field is binary.
 */
export async function multipartEntries(bytes: Uint8Array, contentType: string, fields: FormFields): Promise<Array<[string, FormValue]> | undefined> {
  let form: FormData;
  try {
    form = await new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return undefined;
  }
  const entries: Array<[string, FormValue]> = [];
  for (const [name, value] of form) {
    const field = fields[name];
    entries.push([name, typeof value === 'string' || !field || field.binary ? value : await value.text()]);
  }
  return entries;
}

/** Fields the definition does not know keep their raw values (an array when repeated). */
export function coerceForm(entries: Iterable<[string, FormValue]>, fields: FormFields): Record<string, unknown> {
  const form: Record<string, unknown> = {};
  const repeated = new Set<string>();
  for (const [name, raw] of entries) {
    const field = fields[name];
    const value = field ? coerceField(raw, field) : raw;
    if (!(name in form)) {
      form[name] = field?.type === 'array' && !(value === '' && field.emptyString) ? [value] : value;
    } else if (field?.type === 'array' && Array.isArray(form[name])) {
      (form[name] as unknown[]).push(value);
    } else {
      // A repeated single-valued field stays visible as an array: validation rejects it.
      if (!repeated.has(name)) form[name] = [form[name]];
      repeated.add(name);
      (form[name] as unknown[]).push(value);
    }
  }
  return form;
}

function coerceField(value: FormValue, field: FormFieldDefinition): unknown {
  if (field.binary) return typeof value === 'string' ? new Blob([value]) : value;
  if (typeof value !== 'string') return value;
  if (field.nullable && isNullText(value)) return null;
  if (field.json) return jsonOrText(value);
  return coerceScalar(value, field.type === 'array' ? field.items : field.type);
}
